#include "verifier-app/shuffle/shuffle_verifier.hpp"

#include <memory>
#include <mutex>
#include <tuple>

#include "crypto/base/parallel.hpp"
#include "crypto/random_source.hpp"

namespace haal::verifier::shuffle {

namespace {

using crypto::Element;
using crypto::Scalar;

constexpr std::size_t kChunk = 2048;

// Product of partial results computed per chunk on several threads.
class Accumulator {
 public:
  explicit Accumulator(const crypto::Group& group) : group_(group), value_(group.identity()) {}
  void add(const Element& part) {
    std::lock_guard lock(mutex_);
    value_ = group_.mul(value_, part);
  }
  const Element& value() const { return value_; }

 private:
  const crypto::Group& group_;
  std::mutex mutex_;
  Element value_;
};

std::vector<Element> decode_range(const VmnGroup& group, const ArrayView& a, std::size_t begin,
                                  std::size_t end) {
  std::vector<Element> out;
  out.reserve(end - begin);
  for (std::size_t i = begin; i < end; ++i) out.push_back(a.decode_var(group, i));
  return out;
}

Element product(const crypto::Group& group, const std::vector<Element>& xs) {
  Element acc = group.identity();
  for (const auto& x : xs) acc = group.mul(acc, x);
  return acc;
}

std::span<const Scalar> slice(const std::vector<Scalar>& v, std::size_t begin, std::size_t end) {
  return std::span<const Scalar>(v).subspan(begin, end - begin);
}

void check_sizes(const ShuffleInstance& in, const ShuffleProof& proof) {
  if (in.group == nullptr || in.generators == nullptr || in.input == nullptr ||
      in.output == nullptr) {
    throw std::invalid_argument("incomplete shuffle instance");
  }
  const std::size_t n = in.input->count;
  const std::size_t w = in.input->width;
  if (n == 0 || in.output->count != n || in.output->width != w || in.generators->count != n) {
    throw std::invalid_argument("shuffle instance: input, output and generators disagree in size");
  }
  const auto& c = proof.commitment;
  const auto& r = proof.reply;
  if (proof.u.count != n || c.B.count != n || c.B_prime.count != n || r.k_B.size() != n ||
      r.k_E.size() != n || r.k_F.size() != w || c.F_prime.a.size() != w ||
      c.F_prime.b.size() != w) {
    throw std::invalid_argument("shuffle proof sizes do not match the instance");
  }
}

// n random 128-bit weights from the system CSPRNG (the verifier's own coins: drawn after every
// proof is fixed, so no prover can adapt to them).
std::vector<Scalar> random_weights(std::size_t n) {
  Bytes random(16 * n);
  crypto::system_random().fill(random);
  std::vector<Scalar> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = Scalar(integer_of(ByteView(random).subspan(16 * i, 16)));
  }
  return out;
}

// The batching vector e_i: n_e-bit integers from PRG(seed), used as exponents mod q.
std::vector<Scalar> batching_vector(const ShuffleInstance& in, ByteView seed) {
  const crypto::ScalarField& Zq = in.group->group().scalars();
  std::vector<Scalar> e;
  e.reserve(in.input->count);
  Prg prg(seed);
  for (std::size_t i = 0; i < in.input->count; ++i)
    e.push_back(Zq.reduce(prg.next_integer(in.n_e)));
  return e;
}

// One pass over the permutation commitment: A = prod u_i^e_i and prod u_i.
std::pair<Element, Element> permutation_commitment_products(const ShuffleInstance& in,
                                                            const ShuffleProof& proof,
                                                            const std::vector<Scalar>& e,
                                                            base::Progress* progress) {
  const VmnGroup& VG = *in.group;
  const crypto::Group& G = VG.group();
  Accumulator A(G), u_prod(G);
  base::parallel_for(
      in.input->count, kChunk,
      [&](std::size_t b, std::size_t end) {
        const auto u = decode_range(VG, proof.u, b, end);
        A.add(G.multi_exp_var(u, slice(e, b, end)));
        u_prod.add(product(G, u));
      },
      progress, in.workers.threads);
  return {A.value(), u_prod.value()};
}

// The N equations B_i^v B'_i = g^k_B,i B_{i-1}^k_E,i (B_{-1} = h_0), checked at once with
// random 128-bit weights t_i (small-exponent batch verification, Bellare, Garay, Rabin,
// EUROCRYPT 1998): returns their weighted product, the identity iff (with probability at least
// 1 - 2^-128) all hold.
Element bridging_commitments_batch(const ShuffleInstance& in, const ShuffleProof& proof,
                                   const Scalar& v, const Element& h0, base::Progress* progress) {
  const VmnGroup& VG = *in.group;
  const crypto::Group& G = VG.group();
  const crypto::ScalarField& Zq = G.scalars();
  const std::size_t n = in.input->count;
  const PosCommitment& com = proof.commitment;
  const PosReply& rep = proof.reply;
  const std::vector<Scalar> t = random_weights(n);
  Accumulator b_batch(G);
  base::parallel_for(
      n, kChunk,
      [&](std::size_t b, std::size_t end) {
        const auto B = decode_range(VG, com.B, b, end);
        const auto Bp = decode_range(VG, com.B_prime, b, end);
        std::vector<Scalar> exps;
        exps.reserve(end - b);
        for (std::size_t i = b; i < end; ++i) {
          Scalar x = Zq.mul(v, t[i]);
          if (i + 1 < n) x = Zq.sub(x, Zq.mul(t[i + 1], rep.k_E[i + 1]));
          exps.push_back(std::move(x));
        }
        b_batch.add(G.mul(G.multi_exp_var(B, exps), G.multi_exp_var(Bp, slice(t, b, end))));
      },
      progress, in.workers.threads);
  Scalar g_exp = Zq.from_u64(0);
  for (std::size_t i = 0; i < n; ++i) g_exp = Zq.add(g_exp, Zq.mul(t[i], rep.k_B[i]));
  return G.mul(b_batch.value(), G.mul(G.exp_var(G.generator(), Zq.neg(g_exp)),
                                      G.exp_var(h0, Zq.neg(Zq.mul(t[0], rep.k_E[0])))));
}

// D = B_{N-1} / h_0^(prod e_i).
Element product_commitment(const ShuffleInstance& in, const ShuffleProof& proof,
                           const std::vector<Scalar>& e, const Element& h0) {
  const crypto::Group& G = in.group->group();
  Scalar prod_e = G.scalars().from_u64(1);
  for (const auto& ei : e) prod_e = G.scalars().mul(prod_e, ei);
  return G.div(proof.commitment.B.decode_var(*in.group, in.input->count - 1),
               G.exp_var(h0, prod_e));
}

// Equations (2) to (4) of one server; "" or the first failing one's name.
std::string per_server_equations(const crypto::Group& G, const ShuffleProof& proof, const Scalar& v,
                                 const Element& b_total, const Element& C, const Element& D) {
  const Element& g = G.generator();
  const PosCommitment& com = proof.commitment;
  const PosReply& rep = proof.reply;
  if (!G.is_identity(b_total)) {
    return "B_i^v B'_i = g^k_B,i B_(i-1)^k_E,i (bridging commitments)";
  }
  if (!G.equal(G.mul(G.exp_var(C, v), com.C_prime), G.exp_var(g, rep.k_C))) {
    return "C^v C' = g^k_C (sum of the permutation commitment's randomness)";
  }
  if (!G.equal(G.mul(G.exp_var(D, v), com.D_prime), G.exp_var(g, rep.k_D))) {
    return "D^v D' = g^k_D (product of the batching vector)";
  }
  return "";
}

}  // namespace

Bytes batching_seed(const ShuffleInstance& in, const ArrayView& u) {
  const VmnGroup& G = *in.group;
  RandomOracle ro(256);  // the seed length of the SHA-256 PRG
  ro.hash().update(in.rho);
  TreeHasher t(ro.hash());
  t.node(6);
  t.raw(G.encode(G.group().generator()));
  t.raw(in.generators->serialized);
  t.raw(u.serialized);
  t.raw(widened_public_key(G, in.y, in.input->width));
  t.raw(in.input->serialized);
  t.raw(in.output->serialized);
  return ro.output();
}

mpz_class challenge(const ShuffleInstance& in, ByteView seed, const PosCommitment& commitment) {
  RandomOracle ro(in.n_v);
  ro.hash().update(in.rho);
  TreeHasher t(ro.hash());
  t.node(2);
  t.leaf(seed);
  t.raw(commitment.serialized);
  return integer_of(ro.output());
}

std::string verify_shuffle_var(const ShuffleInstance& in, const ShuffleProof& proof,
                               ShuffleTrace* trace) {
  check_sizes(in, proof);
  const VmnGroup& VG = *in.group;
  const crypto::Group& G = VG.group();
  const crypto::ScalarField& Zq = G.scalars();
  const std::size_t n = in.input->count;
  const std::size_t w = in.input->width;
  const PosCommitment& com = proof.commitment;
  const PosReply& rep = proof.reply;
  const Element& g = G.generator();

  const Bytes seed = batching_seed(in, proof.u);
  const std::vector<Scalar> e = batching_vector(in, seed);
  const mpz_class v_int = challenge(in, seed, com);
  const Scalar v = Zq.reduce(v_int);

  // Four passes over the N positions: u, h, (B, B'), (input, output).
  base::Progress progress("verify shuffle, 4 passes over " + std::to_string(n) + " ciphertexts",
                          4 * n, in.workers.progress);
  const auto [A, u_prod] = permutation_commitment_products(in, proof, e, &progress);
  // Pass over h: prod h_i^k_E,i and prod h_i.
  Accumulator h_kE(G), h_prod(G);
  base::parallel_for(
      n, kChunk,
      [&](std::size_t b, std::size_t end) {
        const auto h = decode_range(VG, *in.generators, b, end);
        h_kE.add(G.multi_exp_var(h, slice(rep.k_E, b, end)));
        h_prod.add(product(G, h));
      },
      &progress, in.workers.threads);
  const Element h0 = in.generators->decode_var(VG, 0);
  const Element b_total = bridging_commitments_batch(in, proof, v, h0, &progress);

  // Passes over the input (F = prod w_i^e_i) and the output (prod w'_i^k_E,i), per component.
  std::vector<std::unique_ptr<Accumulator>> F_a, F_b, O_a, O_b;
  for (std::size_t j = 0; j < w; ++j) {
    F_a.push_back(std::make_unique<Accumulator>(G));
    F_b.push_back(std::make_unique<Accumulator>(G));
    O_a.push_back(std::make_unique<Accumulator>(G));
    O_b.push_back(std::make_unique<Accumulator>(G));
  }
  base::parallel_for(
      n, kChunk,
      [&](std::size_t b, std::size_t end) {
        for (std::size_t j = 0; j < w; ++j) {
          F_a[j]->add(G.multi_exp_var(decode_range(VG, in.input->u[j], b, end), slice(e, b, end)));
          F_b[j]->add(G.multi_exp_var(decode_range(VG, in.input->v[j], b, end), slice(e, b, end)));
          O_a[j]->add(
              G.multi_exp_var(decode_range(VG, in.output->u[j], b, end), slice(rep.k_E, b, end)));
          O_b[j]->add(
              G.multi_exp_var(decode_range(VG, in.output->v[j], b, end), slice(rep.k_E, b, end)));
        }
      },
      &progress, in.workers.threads);

  // C = prod u_i / prod h_i; D = B_{N-1} / h_0^(prod e_i).
  const Element C = G.div(u_prod, h_prod.value());
  const Element D = product_commitment(in, proof, e, h0);

  if (trace != nullptr) {
    trace->seed = seed;
    trace->A = A;
    trace->F.a.clear();
    trace->F.b.clear();
    for (std::size_t j = 0; j < w; ++j) {
      trace->F.a.push_back(F_a[j]->value());
      trace->F.b.push_back(F_b[j]->value());
    }
    trace->v = v_int;
    trace->C = C;
    trace->D = D;
  }

  // (1) A^v A' = g^k_A prod h_i^k_E,i
  if (!G.equal(G.mul(G.exp_var(A, v), com.A_prime), G.mul(G.exp_var(g, rep.k_A), h_kE.value()))) {
    return "A^v A' = g^k_A prod h_i^k_E,i (permutation commitment)";
  }
  // (2) batched B equations, (3), (4)
  if (std::string failure = per_server_equations(G, proof, v, b_total, C, D); !failure.empty()) {
    return failure;
  }
  // (5) F^v F' = Enc_pk(1, -k_F) prod w'_i^k_E,i, per component j:
  //     F_a^v F'_a = g^-k_F,j prod u'_i^k_E,i and F_b^v F'_b = y^-k_F,j prod v'_i^k_E,i
  for (std::size_t j = 0; j < w; ++j) {
    const Scalar neg = Zq.neg(rep.k_F[j]);
    const bool a_ok = G.equal(G.mul(G.exp_var(F_a[j]->value(), v), com.F_prime.a[j]),
                              G.mul(G.exp_var(g, neg), O_a[j]->value()));
    const bool b_ok = G.equal(G.mul(G.exp_var(F_b[j]->value(), v), com.F_prime.b[j]),
                              G.mul(G.exp_var(in.y, neg), O_b[j]->value()));
    if (!a_ok || !b_ok) {
      return "F^v F' = Enc(1, -k_F) prod w'_i^k_E,i (re-encryption), component " +
             std::to_string(j);
    }
  }
  return "";
}

std::vector<std::string> verify_shuffle_chain_var(std::span<const ShuffleInstance> servers,
                                                  std::span<const ShuffleProof> proofs) {
  const std::size_t L = servers.size();
  if (L == 0 || proofs.size() != L) {
    throw std::invalid_argument("shuffle chain: one proof per server, at least one server");
  }
  const ShuffleInstance& first = servers[0];
  for (std::size_t l = 0; l < L; ++l) {
    check_sizes(servers[l], proofs[l]);
    const ShuffleInstance& s = servers[l];
    if (s.group != first.group || s.rho != first.rho || s.n_e != first.n_e || s.n_v != first.n_v ||
        s.generators != first.generators || !first.group->group().equal(s.y, first.y) ||
        (l > 0 && s.input != servers[l - 1].output)) {
      throw std::invalid_argument("shuffle chain: servers do not share a session or a list");
    }
  }
  const VmnGroup& VG = *first.group;
  const crypto::Group& G = VG.group();
  const crypto::ScalarField& Zq = G.scalars();
  const std::size_t n = first.input->count;
  const std::size_t w = first.input->width;
  const Element& g = G.generator();
  const Workers& workers = first.workers;
  const auto each_alone = [&] {
    std::vector<std::string> out;
    for (std::size_t l = 0; l < L; ++l) out.push_back(verify_shuffle_var(servers[l], proofs[l]));
    return out;
  };

  // Passes: per server u and (B, B'); once h; once each of the L + 1 lists.
  base::Progress progress(
      "verify " + std::to_string(L) + " shuffles of " + std::to_string(n) + " ciphertexts",
      n * (2 * L + 1 + (L + 1)), workers.progress);
  const Element h0 = first.generators->decode_var(VG, 0);
  std::vector<std::vector<Scalar>> e(L);
  std::vector<Scalar> v(L);
  std::vector<Element> A(L), u_prod(L), b_total(L);
  for (std::size_t l = 0; l < L; ++l) {
    const Bytes seed = batching_seed(servers[l], proofs[l].u);
    e[l] = batching_vector(servers[l], seed);
    v[l] = Zq.reduce(challenge(servers[l], seed, proofs[l].commitment));
    std::tie(A[l], u_prod[l]) =
        permutation_commitment_products(servers[l], proofs[l], e[l], &progress);
    b_total[l] = bridging_commitments_batch(servers[l], proofs[l], v[l], h0, &progress);
  }

  // (1) for all servers at once, weights rho_l:
  //     prod_l (A_l^v_l A'_l g^-k_A,l)^rho_l = prod_i h_i^(sum_l rho_l k_E,i^(l)).
  const std::vector<Scalar> rho = random_weights(L);
  Accumulator h_combined(G), h_prod(G);
  base::parallel_for(
      n, kChunk,
      [&](std::size_t b, std::size_t end) {
        const auto h = decode_range(VG, *first.generators, b, end);
        std::vector<Scalar> exps(end - b, Zq.from_u64(0));
        for (std::size_t l = 0; l < L; ++l) {
          for (std::size_t i = b; i < end; ++i) {
            exps[i - b] = Zq.add(exps[i - b], Zq.mul(rho[l], proofs[l].reply.k_E[i]));
          }
        }
        h_combined.add(G.multi_exp_var(h, exps));
        h_prod.add(product(G, h));
      },
      &progress, workers.threads);
  std::vector<Element> lhs1(L);
  for (std::size_t l = 0; l < L; ++l) {
    lhs1[l] = G.mul(G.mul(G.exp_var(A[l], v[l]), proofs[l].commitment.A_prime),
                    G.exp_var(g, Zq.neg(proofs[l].reply.k_A)));
  }
  if (!G.equal(G.multi_exp_var(lhs1, rho), h_combined.value())) return each_alone();

  // (2) to (4) per server.
  for (std::size_t l = 0; l < L; ++l) {
    const Element C = G.div(u_prod[l], h_prod.value());
    const Element D = product_commitment(servers[l], proofs[l], e[l], h0);
    if (!per_server_equations(G, proofs[l], v[l], b_total[l], C, D).empty()) return each_alone();
  }

  // (5) for all servers at once, weights sigma_l, per component j. Server l's equations read
  //     prod_i w_i^(v_l e_i^(l)) F'_l Enc(1, k_F,l) prod_i w'_i^(-k_E,i^(l)) = 1 (w its input,
  //     w' its output). List m is server m's input (m < L) and server m - 1's output (m > 0),
  //     so it enters once, with exponent sigma_m v_m e_i^(m) - sigma_(m-1) k_E,i^(m-1).
  const std::vector<Scalar> sigma = random_weights(L);
  std::vector<Scalar> sigma_v(L);
  for (std::size_t l = 0; l < L; ++l) sigma_v[l] = Zq.mul(sigma[l], v[l]);
  std::vector<std::unique_ptr<Accumulator>> lists_a, lists_b;
  for (std::size_t j = 0; j < w; ++j) {
    lists_a.push_back(std::make_unique<Accumulator>(G));
    lists_b.push_back(std::make_unique<Accumulator>(G));
  }
  for (std::size_t m = 0; m <= L; ++m) {
    const CiphertextListView& list = m < L ? *servers[m].input : *servers[m - 1].output;
    base::parallel_for(
        n, kChunk,
        [&](std::size_t b, std::size_t end) {
          std::vector<Scalar> exps;
          exps.reserve(end - b);
          for (std::size_t i = b; i < end; ++i) {
            Scalar x = m < L ? Zq.mul(sigma_v[m], e[m][i]) : Zq.from_u64(0);
            if (m > 0) x = Zq.sub(x, Zq.mul(sigma[m - 1], proofs[m - 1].reply.k_E[i]));
            exps.push_back(std::move(x));
          }
          for (std::size_t j = 0; j < w; ++j) {
            lists_a[j]->add(G.multi_exp_var(decode_range(VG, list.u[j], b, end), exps));
            lists_b[j]->add(G.multi_exp_var(decode_range(VG, list.v[j], b, end), exps));
          }
        },
        &progress, workers.threads);
  }
  for (std::size_t j = 0; j < w; ++j) {
    std::vector<Element> a_terms, b_terms;
    for (std::size_t l = 0; l < L; ++l) {
      const PosCommitment& com = proofs[l].commitment;
      const Scalar& k_F = proofs[l].reply.k_F[j];
      a_terms.push_back(G.mul(com.F_prime.a[j], G.exp_var(g, k_F)));
      b_terms.push_back(G.mul(com.F_prime.b[j], G.exp_var(first.y, k_F)));
    }
    if (!G.is_identity(G.mul(lists_a[j]->value(), G.multi_exp_var(a_terms, sigma))) ||
        !G.is_identity(G.mul(lists_b[j]->value(), G.multi_exp_var(b_terms, sigma)))) {
      return each_alone();
    }
  }
  return std::vector<std::string>(L);
}

}  // namespace haal::verifier::shuffle
