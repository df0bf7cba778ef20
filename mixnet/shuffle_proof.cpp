#include "mixnet/shuffle_proof.hpp"

#include <openssl/crypto.h>

#include <mutex>
#include <numeric>
#include <optional>

#include "crypto/base/parallel.hpp"
#include "mixnet/step_timer.hpp"

namespace haal::mixnet {

namespace {

mpz_class mod(const mpz_class& a, const mpz_class& q) {
  mpz_class r;
  mpz_mod(r.get_mpz_t(), a.get_mpz_t(), q.get_mpz_t());
  return r;
}

using Secrets = std::vector<SecretScalar>;

// n secrets, each draw(), on all cores.
template <typename Draw>
Secrets draw_secrets(std::size_t n, const Draw& draw) {
  Secrets out(n);
  base::parallel_for(n, 4096, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) out[i].reveal() = draw();
  });
  return out;
}

Secrets random_secrets(std::size_t n, const mpz_class& q, crypto::RandomSource& rng) {
  return draw_secrets(n, [&] { return random_scalar(q, rng); });
}

// A uniform integer in [0, 2^bits).
mpz_class random_integer_bits(std::size_t bits, crypto::RandomSource& rng) {
  Bytes buf((bits + 7) / 8);
  rng.fill(buf);
  buf[0] &= static_cast<std::uint8_t>(0xff >> (8 * buf.size() - bits));  // big-endian
  mpz_class r = integer_from_bytes(buf);
  OPENSSL_cleanse(buf.data(), buf.size());
  return r;
}

// The bit length of the randomizers eps_j: n_e + n_v + n_r, as Verificatum's
// PoSBasicTW.precompute draws them (and Terelius-Wikstrom, AFRICACRYPT 2010, section 4, for
// the statistical zero knowledge): the reply k_E,j = v e'_j + eps_j then hides v e'_j
// < 2^(n_v + n_e) to statistical distance 2^-n_r, and every product over eps (A', F') or over
// k_E (the verifier's A and F equations) runs over these bits instead of bits(q). bits(q)
// where the bound is not below it (P-256), with eps_j uniform mod q.
std::size_t epsilon_bits(const ProofParams& params, const crypto::Group& group) {
  const std::size_t bits = std::size_t{params.n_e} + params.n_v + params.n_r;
  return std::min(bits, group.scalars().bit_length());
}

// The random-oracle query for the batching seed: rho | node(g, h, u, pk, w, w').
Bytes batching_seed(const ShuffleInstance& in, const ElementArray& u) {
  const crypto::Group& G = *in.group;
  RandomOracleQuery query(256);  // 8 * minNoSeedBytes of the SHA-256 PRG
  query.hash().update(in.params.rho);
  HashSink sink(query.hash());
  ByteTreeWriter w(sink);
  w.node(6);
  write_element(G, w, G.generator_compact());
  write_array(G, w, *in.h);
  write_array(G, w, u);
  write_wide_public_key(G, w, in.y, in.input->width);
  write_ciphertexts(G, w, *in.input);
  write_ciphertexts(G, w, *in.output);
  return query.finish();
}

std::vector<mpz_class> batching_vector(ByteView seed, std::size_t n, unsigned n_e) {
  HashPrg prg(seed);
  std::vector<mpz_class> e(n);
  for (auto& x : e) x = prg.next_integer(n_e);
  return e;
}

// The challenge: RO_{n_v}(rho | node(leaf(seed), commitment)).
mpz_class challenge(const ShuffleInstance& in, ByteView seed, const PosCommitment& c) {
  RandomOracleQuery query(in.params.n_v);
  query.hash().update(in.params.rho);
  HashSink sink(query.hash());
  ByteTreeWriter w(sink);
  w.node(2);
  w.leaf(seed);
  write_pos_commitment(*in.group, w, c);
  return integer_from_bytes(query.finish());
}

void check_instance(const ShuffleInstance& in) {
  if (in.group == nullptr || in.h == nullptr || in.input == nullptr || in.output == nullptr) {
    throw std::invalid_argument("incomplete shuffle instance");
  }
  const std::size_t n = in.input->size();
  if (n == 0) throw std::invalid_argument("a proof of shuffle needs at least one ciphertext");
  if (in.output->size() != n || in.h->size() != n || in.output->width != in.input->width) {
    throw std::invalid_argument("shuffle instance sizes disagree");
  }
}

}  // namespace

ShuffleWitness::~ShuffleWitness() {
  std::fill(sigma.begin(), sigma.end(), std::size_t{0});  // s wipes itself (SecretScalar)
}

mpz_class random_scalar(const mpz_class& q, crypto::RandomSource& rng) {
  Bytes buf((mpz_sizeinbase(q.get_mpz_t(), 2) + 128 + 7) / 8);
  rng.fill(buf);
  mpz_class r = integer_from_bytes(buf);
  OPENSSL_cleanse(buf.data(), buf.size());  // the draws are the prover's secrets
  mpz_mod(r.get_mpz_t(), r.get_mpz_t(), q.get_mpz_t());
  return r;
}

std::vector<std::size_t> random_permutation(std::size_t n, crypto::RandomSource& rng) {
  std::vector<std::size_t> perm(n);
  std::iota(perm.begin(), perm.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) {
    // Unbiased index in [0, i): rejection sampling on 64-bit draws.
    const std::uint64_t bound = i;
    const std::uint64_t limit = UINT64_MAX - (UINT64_MAX % bound);
    std::uint64_t draw = 0;
    do {
      std::uint8_t b[8];
      rng.fill(b);
      draw = 0;
      for (auto c : b) draw = (draw << 8) | c;
    } while (draw >= limit);
    std::swap(perm[i - 1], perm[draw % bound]);
  }
  return perm;
}

ElementArray derive_generators(const crypto::Group& group, ByteView rho, unsigned n_r,
                               std::size_t n) {
  RandomOracleQuery query(256);
  query.hash().update(rho);
  const Bytes label = leaf_bytes(crypto::to_bytes("generators"));
  query.hash().update(label);
  const Bytes seed = query.finish();
  HashPrg prg(seed);
  StepTimer timer("derive generators");
  return random_elements(group, prg, n, n_r);
}

CiphertextList shuffle_ciphertexts(const crypto::Group& group, ByteView y,
                                   const CiphertextList& input, ShuffleWitness& witness,
                                   crypto::RandomSource& rng) {
  const std::size_t n = input.size();
  const std::size_t width = input.width;
  witness.sigma = random_permutation(n, rng);
  witness.s.assign(width, {});
  CiphertextList out(group, width, n);
  const auto g_table = group.precompute(group.generator_compact(), width * n);
  const auto y_table = group.precompute(y, width * n);
  base::Progress progress("shuffle", 2 * width * n);
  for (std::size_t k = 0; k < width; ++k) {
    witness.s[k] = random_secrets(n, group.order(), rng);
    ElementArray pu(group.stride(), n), pv(group.stride(), n);
    for (std::size_t j = 0; j < n; ++j) {
      pu.set(j, input.u[k].view(witness.sigma[j]));
      pv.set(j, input.v[k].view(witness.sigma[j]));
    }
    group.exp_combine(*g_table, witness.s[k], nullptr, {}, &pu, out.u[k], &progress);
    group.exp_combine(*y_table, witness.s[k], nullptr, {}, &pv, out.v[k], &progress);
  }
  return out;
}

ShuffleProof prove_shuffle(const ShuffleInstance& in, const ShuffleWitness& wit,
                           crypto::RandomSource& rng) {
  check_instance(in);
  const crypto::Group& G = *in.group;
  const mpz_class& q = G.order();
  const std::size_t n = in.input->size();
  const std::size_t width = in.input->width;
  if (wit.sigma.size() != n || wit.s.size() != width) {
    throw std::invalid_argument("shuffle witness does not match the instance");
  }
  base::Progress progress("prove", 4 * n + 2 * width * n);
  ShuffleProof proof;
  const auto g_table = G.precompute(G.generator_compact(), 3 * n);
  const Bytes h0 = in.h->get(0);
  const auto h0_table = G.precompute(h0, 2 * n);

  // Permutation commitment u_i = g^{r_i} h_{sigma^-1(i)}, i.e. u_{sigma(j)} = g^r h_j.
  // Every exponent below except the public batching vector e and the challenge v is secret
  // (SecretScalar): it reaches only the constant-time exp_combine, exp_ct and multi_exp_ct.
  std::optional<StepTimer> timer(std::in_place, "prove: permutation commitment");
  const Secrets r = random_secrets(n, q, rng);
  ElementArray hperm(G.stride(), n);
  for (std::size_t j = 0; j < n; ++j) hperm.set(wit.sigma[j], in.h->view(j));
  G.exp_combine(*g_table, r, nullptr, {}, &hperm, proof.u, &progress);

  timer.emplace("prove: seed and batching vector");
  const Bytes seed = batching_seed(in, proof.u);
  const std::vector<mpz_class> e = batching_vector(seed, n, in.params.n_e);
  Secrets ep(n);  // e'_j = e_{sigma(j)}: public values in the secret order
  for (std::size_t j = 0; j < n; ++j) ep[j].reveal() = mod(e[wit.sigma[j]], q);

  // Bridging commitments B_j = g^{x_j} h0^{y_j}: x_j = x_{j-1} e'_j + b_j, y_j = prod e'.
  timer.emplace("prove: B and B'");
  const Secrets b = random_secrets(n, q, rng);
  Secrets x(n), yv(n);
  for (std::size_t j = 0; j < n; ++j) {
    x[j].reveal() =
        j == 0 ? b[0].reveal() : mod(x[j - 1].reveal() * ep[j].reveal() + b[j].reveal(), q);
    yv[j].reveal() = j == 0 ? ep[0].reveal() : mod(yv[j - 1].reveal() * ep[j].reveal(), q);
  }
  PosCommitment& c = proof.commitment;
  G.exp_combine(*g_table, x, h0_table.get(), yv, nullptr, c.B, &progress);

  // B'_j = g^{beta_j} B_{j-1}^{eps_j} = g^{beta_j + x_{j-1} eps_j} h0^{y_{j-1} eps_j}.
  const Secrets beta = random_secrets(n, q, rng);
  const std::size_t eps_bits = epsilon_bits(in.params, G);
  const Secrets eps = eps_bits < G.scalars().bit_length()
                          ? draw_secrets(n, [&] { return random_integer_bits(eps_bits, rng); })
                          : random_secrets(n, q, rng);
  Secrets bx(n), by(n);
  for (std::size_t j = 0; j < n; ++j) {
    bx[j].reveal() =
        j == 0 ? beta[0].reveal() : mod(beta[j].reveal() + x[j - 1].reveal() * eps[j].reveal(), q);
    by[j].reveal() = j == 0 ? eps[0].reveal() : mod(yv[j - 1].reveal() * eps[j].reveal(), q);
  }
  G.exp_combine(*g_table, bx, h0_table.get(), by, nullptr, c.Bp, &progress);

  // A' = g^alpha prod h_j^{eps_j}; C' = g^gamma; D' = g^delta.
  timer.emplace("prove: A', C', D', F'");
  const SecretScalar alpha(random_scalar(q, rng));
  const SecretScalar gamma(random_scalar(q, rng));
  const SecretScalar delta(random_scalar(q, rng));
  c.Ap = G.mul(G.exp(G.generator_compact(), alpha), G.multi_exp(*in.h, eps, eps_bits, &progress));
  c.Cp = G.exp(G.generator_compact(), gamma);
  c.Dp = G.exp(G.generator_compact(), delta);

  // F'_k = (g^{-phi_k} prod u'_{k,j}^{eps_j}, y^{-phi_k} prod v'_{k,j}^{eps_j}).
  Secrets phi(width);
  c.Fp.a.resize(width);
  c.Fp.b.resize(width);
  for (std::size_t k = 0; k < width; ++k) {
    phi[k].reveal() = random_scalar(q, rng);
    const SecretScalar neg(mod(-phi[k].reveal(), q));
    c.Fp.a[k] = G.mul(G.exp(G.generator_compact(), neg),
                      G.multi_exp(in.output->u[k], eps, eps_bits, &progress));
    c.Fp.b[k] = G.mul(G.exp(in.y, neg), G.multi_exp(in.output->v[k], eps, eps_bits, &progress));
  }

  timer.emplace("prove: challenge and reply");
  const mpz_class v = challenge(in, seed, c);

  PosReply& rep = proof.reply;
  SecretScalar a, sum_r;  // <r, e> and sum r_i
  for (std::size_t i = 0; i < n; ++i) {
    a.reveal() += r[i].reveal() * e[i];
    sum_r.reveal() += r[i].reveal();
  }
  rep.k_A = mod(v * a.reveal() + alpha.reveal(), q);
  rep.k_C = mod(v * sum_r.reveal() + gamma.reveal(), q);
  rep.k_D = mod(v * x[n - 1].reveal() + delta.reveal(), q);
  rep.k_B.resize(n);
  rep.k_E.resize(n);
  for (std::size_t j = 0; j < n; ++j) {
    rep.k_B[j] = mod(v * b[j].reveal() + beta[j].reveal(), q);
    rep.k_E[j] = mod(v * ep[j].reveal() + eps[j].reveal(), q);
  }
  rep.k_F.resize(width);
  for (std::size_t k = 0; k < width; ++k) {
    SecretScalar f;  // sum_j s_{k,j} e'_j
    for (std::size_t j = 0; j < n; ++j) f.reveal() += wit.s[k][j].reveal() * ep[j].reveal();
    rep.k_F[k] = mod(v * f.reveal() + phi[k].reveal(), q);
  }
  return proof;
}

std::string verify_shuffle(const ShuffleInstance& in, const ShuffleProof& proof, PosTrace* trace) {
  check_instance(in);
  const crypto::Group& G = *in.group;
  const mpz_class& q = G.order();
  const std::size_t n = in.input->size();
  const std::size_t width = in.input->width;
  const PosCommitment& c = proof.commitment;
  const PosReply& rep = proof.reply;
  if (proof.u.size() != n || c.B.size() != n || c.Bp.size() != n || rep.k_B.size() != n ||
      rep.k_E.size() != n || rep.k_F.size() != width || c.Fp.a.size() != width ||
      c.Fp.b.size() != width) {
    return "proof sizes do not match the instance";
  }
  base::Progress progress("verify", 4 * n + 4 * width * n);
  const Bytes& g = G.generator_compact();

  std::optional<StepTimer> timer(std::in_place, "verify: seed and batching vector");
  const Bytes seed = batching_seed(in, proof.u);
  const std::vector<mpz_class> e = batching_vector(seed, n, in.params.n_e);
  timer.emplace("verify: A and F");
  const Bytes A = G.multi_exp_var(proof.u, e, &progress);
  WideCiphertext F;
  F.a.resize(width);
  F.b.resize(width);
  for (std::size_t k = 0; k < width; ++k) {
    F.a[k] = G.multi_exp_var(in.input->u[k], e, &progress);
    F.b[k] = G.multi_exp_var(in.input->v[k], e, &progress);
  }
  timer.emplace("verify: challenge, C, D");
  const mpz_class v = challenge(in, seed, c);

  const Bytes C = G.div(G.product(proof.u), G.product(*in.h));
  mpz_class prod_e = 1;
  for (const auto& ei : e) prod_e = mod(prod_e * ei, q);
  const Bytes h0 = in.h->get(0);
  const Bytes D = G.div(c.B.get(n - 1), G.exp_var(h0, prod_e));
  if (trace != nullptr) {
    trace->seed = seed;
    trace->e = e;
    trace->A = A;
    trace->F = F;
    trace->v = v;
    trace->C = C;
    trace->D = D;
  }

  // A^v A' = g^{k_A} prod h_i^{k_E,i}
  timer.emplace("verify: equation A");
  const Bytes lhs_a = G.mul(G.exp_var(A, v), c.Ap);
  const Bytes rhs_a = G.mul(G.exp_var(g, rep.k_A), G.multi_exp_var(*in.h, rep.k_E, &progress));
  if (!G.equal(lhs_a, rhs_a)) return "A (batched permutation commitment)";

  // B_i^v B'_i = g^{k_B,i} B_{i-1}^{k_E,i} with B_{-1} = h0, checked for all i at once with
  // random 128-bit weights t_i (small-exponent batch verification: a false equation passes
  // with probability at most 2^-128).
  timer.emplace("verify: equations B");
  {
    std::vector<mpz_class> t(n);
    Bytes rnd(16 * n);
    crypto::system_random().fill(rnd);
    for (std::size_t i = 0; i < n; ++i)
      t[i] = integer_from_bytes(ByteView(rnd).subspan(16 * i, 16));
    std::vector<mpz_class> exp_b(n);
    mpz_class g_exp = 0;
    for (std::size_t i = 0; i < n; ++i) {
      mpz_class ex = v * t[i];
      if (i + 1 < n) ex -= t[i + 1] * rep.k_E[i + 1];
      exp_b[i] = mod(ex, q);
      g_exp += t[i] * rep.k_B[i];
    }
    Bytes total =
        G.mul(G.multi_exp_var(c.B, exp_b, &progress), G.multi_exp_var(c.Bp, t, &progress));
    total = G.mul(total, G.exp_var(g, mod(-g_exp, q)));
    total = G.mul(total, G.exp_var(h0, mod(-(t[0] * rep.k_E[0]), q)));
    if (!G.equal(total, G.identity_compact())) return "B (bridging commitments)";
  }

  // C^v C' = g^{k_C}
  if (!G.equal(G.mul(G.exp_var(C, v), c.Cp), G.exp_var(g, rep.k_C))) return "C (sum of randomness)";
  // D^v D' = g^{k_D}
  if (!G.equal(G.mul(G.exp_var(D, v), c.Dp), G.exp_var(g, rep.k_D)))
    return "D (product of batching)";

  // F^v F' = (g^{-k_F}, y^{-k_F}) prod w'_i^{k_E,i}, per component.
  timer.emplace("verify: equations F");
  for (std::size_t k = 0; k < width; ++k) {
    const mpz_class neg = mod(-rep.k_F[k], q);
    const Bytes la = G.mul(G.exp_var(F.a[k], v), c.Fp.a[k]);
    const Bytes ra = G.mul(G.exp_var(g, neg), G.multi_exp_var(in.output->u[k], rep.k_E, &progress));
    const Bytes lb = G.mul(G.exp_var(F.b[k], v), c.Fp.b[k]);
    const Bytes rb =
        G.mul(G.exp_var(in.y, neg), G.multi_exp_var(in.output->v[k], rep.k_E, &progress));
    if (!G.equal(la, ra) || !G.equal(lb, rb)) return "F (re-encryption of the batched input)";
  }
  return "";
}

Bytes write_permutation_commitment(const crypto::Group& group, const ElementArray& u) {
  BufferSink sink;
  ByteTreeWriter w(sink);
  write_array(group, w, u);
  return std::move(sink.bytes);
}

ElementArray read_permutation_commitment(const crypto::Group& group, ByteView file, std::size_t n,
                                         std::string_view source) {
  ByteTreeReader r(file, std::string(source));
  ElementArray u = read_array(group, r, n, "permutation commitment");
  r.finish();
  return u;
}

void write_pos_commitment(const crypto::Group& group, ByteTreeWriter& w, const PosCommitment& c) {
  w.node(6);
  write_array(group, w, c.B);
  write_element(group, w, c.Ap);
  write_array(group, w, c.Bp);
  write_element(group, w, c.Cp);
  write_element(group, w, c.Dp);
  write_wide_ciphertext(group, w, c.Fp);
}

PosCommitment read_pos_commitment(const crypto::Group& group, ByteView file, std::size_t n,
                                  std::size_t width, std::string_view source) {
  ByteTreeReader r(file, std::string(source));
  PosCommitment c;
  r.node(6, "commitment");
  c.B = read_array(group, r, n, "B");
  c.Ap.resize(group.stride());
  read_element(group, r, c.Ap.data(), "A'");
  c.Bp = read_array(group, r, n, "B'");
  c.Cp.resize(group.stride());
  read_element(group, r, c.Cp.data(), "C'");
  c.Dp.resize(group.stride());
  read_element(group, r, c.Dp.data(), "D'");
  c.Fp = read_wide_ciphertext(group, r, width, "F'");
  r.finish();
  return c;
}

Bytes write_pos_reply(const crypto::Group& group, const PosReply& rep) {
  BufferSink sink;
  ByteTreeWriter w(sink);
  w.node(6);
  write_scalar(group, w, rep.k_A);
  write_scalars(group, w, rep.k_B);
  write_scalar(group, w, rep.k_C);
  write_scalar(group, w, rep.k_D);
  write_scalars(group, w, rep.k_E);
  if (rep.k_F.size() == 1) {
    write_scalar(group, w, rep.k_F[0]);
  } else {
    write_scalars(group, w, rep.k_F);
  }
  return std::move(sink.bytes);
}

PosReply read_pos_reply(const crypto::Group& group, ByteView file, std::size_t n, std::size_t width,
                        std::string_view source) {
  ByteTreeReader r(file, std::string(source));
  PosReply rep;
  r.node(6, "reply");
  rep.k_A = read_scalar(group, r, "k_A");
  rep.k_B = read_scalars(group, r, n, "k_B");
  rep.k_C = read_scalar(group, r, "k_C");
  rep.k_D = read_scalar(group, r, "k_D");
  rep.k_E = read_scalars(group, r, n, "k_E");
  if (width == 1) {
    rep.k_F = {read_scalar(group, r, "k_F")};
  } else {
    rep.k_F = read_scalars(group, r, width, "k_F");
  }
  r.finish();
  return rep;
}

}  // namespace haal::mixnet
