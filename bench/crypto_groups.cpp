// Micro-benchmarks of the group layer beside the raw OpenSSL / GMP calls it wraps, so the cost
// of the abstraction is visible. Run: build/bin/haal-bench-crypto [--benchmark_filter=...]
#define OPENSSL_SUPPRESS_DEPRECATED
#include <benchmark/benchmark.h>
#include <openssl/obj_mac.h>

#include "crypto/elgamal.hpp"
#include "crypto/group_modp.hpp"
#include "crypto/group_p256.hpp"
#include "crypto/proof_ciphertext_randomness.hpp"

using namespace haal::crypto;

namespace {

const Group& group_arg(const benchmark::State& state) {
  static const char* names[] = {"P-256", "modp-2048", "modp-3072"};
  return group_by_name(names[state.range(0)]);
}

void label(benchmark::State& state) {
  state.SetLabel(group_arg(state).name());
}

void BM_ExpGenerator(benchmark::State& state) {
  const Group& g = group_arg(state);
  const SecretScalar k = g.scalars().random_secret(system_random());
  for (auto _ : state) benchmark::DoNotOptimize(g.exp_generator(k));
  label(state);
}

void BM_ExpVariableBase(benchmark::State& state) {
  const Group& g = group_arg(state);
  const Element base = g.exp_generator(g.scalars().random_secret(system_random()));
  const SecretScalar k = g.scalars().random_secret(system_random());
  for (auto _ : state) benchmark::DoNotOptimize(g.exp(base, k));
  label(state);
}

void BM_ExpVariableBaseVar(benchmark::State& state) {
  const Group& g = group_arg(state);
  const Element base = g.exp_generator(g.scalars().random_secret(system_random()));
  const Scalar k = g.scalars().random_nonzero(system_random());
  for (auto _ : state) benchmark::DoNotOptimize(g.exp_var(base, k));
  label(state);
}

void BM_FixedBaseTable(benchmark::State& state) {
  const Group& g = group_arg(state);
  const auto table = g.precompute(g.exp_generator(g.scalars().random_secret(system_random())));
  const SecretScalar k = g.scalars().random_secret(system_random());
  for (auto _ : state) benchmark::DoNotOptimize(table->exp(k));
  label(state);
}

void BM_FixedBaseTableVar(benchmark::State& state) {
  const Group& g = group_arg(state);
  const auto table = g.precompute(g.exp_generator(g.scalars().random_secret(system_random())));
  const Scalar k = g.scalars().random_nonzero(system_random());
  for (auto _ : state) benchmark::DoNotOptimize(table->exp_var(k));
  label(state);
}

// Reports time per base.
void BM_MultiExpVar(benchmark::State& state) {
  const Group& g = group_arg(state);
  const auto n = static_cast<std::size_t>(state.range(1));
  std::vector<Element> bases;
  std::vector<Scalar> exps;
  for (std::size_t i = 0; i < n; ++i) {
    bases.push_back(g.exp_generator(g.scalars().random_secret(system_random())));
    exps.push_back(g.scalars().random_nonzero(system_random()));
  }
  for (auto _ : state) benchmark::DoNotOptimize(g.multi_exp_var(bases, exps));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * n));
  label(state);
}

void BM_Decode(benchmark::State& state) {
  const Group& g = group_arg(state);
  const Bytes enc = g.encode(g.exp_generator(g.scalars().random_secret(system_random())));
  for (auto _ : state) benchmark::DoNotOptimize(g.decode_var(enc));
  label(state);
}

void BM_EncryptAndProveWidth1(benchmark::State& state) {
  const Group& g = group_arg(state);
  const ElGamalEncryptor enc(g, g.exp_generator(g.scalars().random_secret(system_random())));
  const Element m = g.encode_message_var(to_bytes("1"));
  const ProofContext ctx{Bytes(32, 7), to_bytes("voter/contest")};
  for (auto _ : state) {
    const Scalar r[] = {g.scalars().random_nonzero(system_random())};
    const CiphertextVector cts{enc.encrypt(m, SecretScalar(r[0]))};
    benchmark::DoNotOptimize(ciphertext_randomness_prove(g, ctx, cts, r, system_random()));
  }
  label(state);
}

// Raw library calls, for comparison.
void BM_RawOpenSslP256GeneratorMul(benchmark::State& state) {
  EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  BnPtr k(BN_new());
  BN_rand_range(k.get(), EC_GROUP_get0_order(group.get()));
  EcPointPtr r(EC_POINT_new(group.get()));
  for (auto _ : state)
    EC_POINT_mul(group.get(), r.get(), k.get(), nullptr, nullptr, thread_bn_ctx());
}

void BM_RawOpenSslP256PointMul(benchmark::State& state) {
  EcGroupPtr group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  BnPtr k(BN_new());
  BN_rand_range(k.get(), EC_GROUP_get0_order(group.get()));
  EcPointPtr p(EC_POINT_new(group.get())), r(EC_POINT_new(group.get()));
  EC_POINT_mul(group.get(), p.get(), k.get(), nullptr, nullptr, thread_bn_ctx());
  for (auto _ : state)
    EC_POINT_mul(group.get(), r.get(), nullptr, p.get(), k.get(), thread_bn_ctx());
}

void BM_RawGmpPowm(benchmark::State& state) {
  const ModpGroup& g = modp_group(static_cast<int>(state.range(0)));
  const Scalar k = g.scalars().random_nonzero(system_random());
  mpz_class r, base(4);
  for (auto _ : state) {
    mpz_powm(r.get_mpz_t(), base.get_mpz_t(), k.value().get_mpz_t(), g.modulus().get_mpz_t());
  }
}

void BM_RawGmpPowmSec(benchmark::State& state) {
  const ModpGroup& g = modp_group(static_cast<int>(state.range(0)));
  const Scalar k = g.scalars().random_nonzero(system_random());
  mpz_class r, base(4);
  for (auto _ : state) {
    mpz_powm_sec(r.get_mpz_t(), base.get_mpz_t(), k.value().get_mpz_t(), g.modulus().get_mpz_t());
  }
}

}  // namespace

BENCHMARK(BM_ExpGenerator)->DenseRange(0, 2);
BENCHMARK(BM_ExpVariableBase)->DenseRange(0, 2);
BENCHMARK(BM_ExpVariableBaseVar)->DenseRange(0, 2);
BENCHMARK(BM_FixedBaseTable)->DenseRange(0, 2);
BENCHMARK(BM_FixedBaseTableVar)->DenseRange(0, 2);
BENCHMARK(BM_MultiExpVar)->ArgsProduct({{0}, {2, 100, 1000, 10000}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MultiExpVar)->ArgsProduct({{1, 2}, {2, 100, 1000}})->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Decode)->DenseRange(0, 2);
BENCHMARK(BM_EncryptAndProveWidth1)->DenseRange(0, 2);
BENCHMARK(BM_RawOpenSslP256GeneratorMul);
BENCHMARK(BM_RawOpenSslP256PointMul);
BENCHMARK(BM_RawGmpPowm)->Arg(2048)->Arg(3072);
BENCHMARK(BM_RawGmpPowmSec)->Arg(2048)->Arg(3072);
