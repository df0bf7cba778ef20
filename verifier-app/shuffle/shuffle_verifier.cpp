#include "verifier-app/shuffle/shuffle_verifier.hpp"

#include <mutex>

#include "crypto/random_source.hpp"
#include "verifier-app/parallel.hpp"

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
  for (std::size_t i = begin; i < end; ++i) out.push_back(a.decode(group, i));
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

std::string verify_shuffle(const ShuffleInstance& in, const ShuffleProof& proof,
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

  // Batching vector e_i: n_e-bit integers from PRG(seed), used as exponents mod q.
  const Bytes seed = batching_seed(in, proof.u);
  std::vector<Scalar> e;
  e.reserve(n);
  {
    Prg prg(seed);
    for (std::size_t i = 0; i < n; ++i) e.push_back(Zq.reduce(prg.next_integer(in.n_e)));
  }
  const mpz_class v_int = challenge(in, seed, com);
  const Scalar v = Zq.reduce(v_int);

  // Four passes over the N positions: u, h, (B, B'), (input, output).
  ProgressMeter progress(in.workers.progress,
                         "verify shuffle, 4 passes over " + std::to_string(n) + " ciphertexts",
                         4 * n);

  // Pass over u: A = prod u_i^e_i and prod u_i.
  Accumulator A(G), u_prod(G);
  parallel_chunks(
      n, kChunk, in.workers.threads,
      [&](std::size_t b, std::size_t end) {
        const auto u = decode_range(VG, proof.u, b, end);
        A.add(G.multi_exp_var(u, slice(e, b, end)));
        u_prod.add(product(G, u));
      },
      &progress);
  // Pass over h: prod h_i^k_E,i and prod h_i.
  Accumulator h_kE(G), h_prod(G);
  parallel_chunks(
      n, kChunk, in.workers.threads,
      [&](std::size_t b, std::size_t end) {
        const auto h = decode_range(VG, *in.generators, b, end);
        h_kE.add(G.multi_exp_var(h, slice(rep.k_E, b, end)));
        h_prod.add(product(G, h));
      },
      &progress);
  const Element h0 = in.generators->decode(VG, 0);

  // The N equations B_i^v B'_i = g^k_B,i B_{i-1}^k_E,i (B_{-1} = h_0), checked at once with
  // random 128-bit weights t_i (small-exponent batch verification, Bellare, Garay, Rabin,
  // EUROCRYPT 1998): a false equation survives with probability at most 2^-128.
  std::vector<Scalar> t(n);
  {
    Bytes random(16 * n);
    crypto::system_random().fill(random);
    for (std::size_t i = 0; i < n; ++i) {
      t[i] = Scalar(integer_of(ByteView(random).subspan(16 * i, 16)));
    }
  }
  Accumulator b_batch(G);
  parallel_chunks(
      n, kChunk, in.workers.threads,
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
      &progress);
  Scalar g_exp = Zq.from_u64(0);
  for (std::size_t i = 0; i < n; ++i) g_exp = Zq.add(g_exp, Zq.mul(t[i], rep.k_B[i]));
  const Element b_total =
      G.mul(b_batch.value(),
            G.mul(G.exp_var(g, Zq.neg(g_exp)), G.exp_var(h0, Zq.neg(Zq.mul(t[0], rep.k_E[0])))));

  // Passes over the input (F = prod w_i^e_i) and the output (prod w'_i^k_E,i), per component.
  std::vector<std::unique_ptr<Accumulator>> F_a, F_b, O_a, O_b;
  for (std::size_t j = 0; j < w; ++j) {
    F_a.push_back(std::make_unique<Accumulator>(G));
    F_b.push_back(std::make_unique<Accumulator>(G));
    O_a.push_back(std::make_unique<Accumulator>(G));
    O_b.push_back(std::make_unique<Accumulator>(G));
  }
  parallel_chunks(
      n, kChunk, in.workers.threads,
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
      &progress);

  // C = prod u_i / prod h_i; D = B_{N-1} / h_0^(prod e_i).
  const Element C = G.div(u_prod.value(), h_prod.value());
  Scalar prod_e = Zq.from_u64(1);
  for (const auto& ei : e) prod_e = Zq.mul(prod_e, ei);
  const Element D = G.div(com.B.decode(VG, n - 1), G.exp_var(h0, prod_e));

  if (trace != nullptr) {
    trace->seed = seed;
    trace->A = A.value();
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
  if (!G.equal(G.mul(G.exp_var(A.value(), v), com.A_prime),
               G.mul(G.exp_var(g, rep.k_A), h_kE.value()))) {
    return "A^v A' = g^k_A prod h_i^k_E,i (permutation commitment)";
  }
  // (2) batched B equations
  if (!G.is_identity(b_total)) {
    return "B_i^v B'_i = g^k_B,i B_(i-1)^k_E,i (bridging commitments)";
  }
  // (3) C^v C' = g^k_C
  if (!G.equal(G.mul(G.exp_var(C, v), com.C_prime), G.exp_var(g, rep.k_C))) {
    return "C^v C' = g^k_C (sum of the permutation commitment's randomness)";
  }
  // (4) D^v D' = g^k_D
  if (!G.equal(G.mul(G.exp_var(D, v), com.D_prime), G.exp_var(g, rep.k_D))) {
    return "D^v D' = g^k_D (product of the batching vector)";
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

}  // namespace haal::verifier::shuffle
