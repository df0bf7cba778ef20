// Verificatum's ModPGroup over GMP: the order-q subgroup of Z_p^* (verifier specification,
// section 4.4.1 "Modular groups"; RFC 3526 for the fixed safe primes).
#include <algorithm>
#include <mutex>
#include <stdexcept>

#include "crypto/exp_path_counts.hpp"
#include "crypto/modp_arith.hpp"
#include "mixnet/mix_group.hpp"

namespace haal::mixnet {

namespace {

// From this many uses on, a fixed base gets a table (building one costs about as much as 25
// exponentiations with it; crypto/modp_arith.hpp).
constexpr std::size_t kTableUses = 64;

class ModPTable final : public FixedBaseTable {
 public:
  ModPTable(const crypto::MontModulus& arith, mpz_class base, std::size_t exponent_bits,
            bool with_table)
      : base(std::move(base)) {
    if (with_table)
      table = std::make_unique<crypto::ModpFixedBaseTable>(arith, this->base, exponent_bits);
  }
  mpz_class base;
  std::unique_ptr<crypto::ModpFixedBaseTable> table;  // null for few uses
};

class ModPGroup final : public MixGroup {
 public:
  ModPGroup(const mpz_class& p, const mpz_class& q, const mpz_class& g, std::string description,
            std::string haal_name)
      : p_(p),
        cofactor_((p - 1) / q),
        safe_prime_(p == 2 * q + 1),
        arith_(p),
        q_bits_(mpz_sizeinbase(q.get_mpz_t(), 2)) {
    if (p < 5 || q < 3 || (p - 1) % q != 0 || mpz_probab_prime_p(p.get_mpz_t(), 30) == 0 ||
        mpz_probab_prime_p(q.get_mpz_t(), 30) == 0) {
      throw FormatError("ModPGroup: modulus and order are not primes with q | p-1");
    }
    order_ = q;
    stride_ = java_byte_length(p);
    scalar_leaf_length_ = java_byte_length(q);
    haal_name_ = std::move(haal_name);
    if (!contains(g) || g == 1) throw FormatError("ModPGroup: generator not of order q");
    g_ = to_bytes(g);
    if (description.empty()) {
      if (!safe_prime_) throw std::invalid_argument("only safe-prime groups can be described");
      BufferSink sink;
      ByteTreeWriter w(sink);
      w.node(2);
      w.leaf_string("com.verificatum.arithm.ModPGroup");
      w.node(4);
      Bytes buf(java_byte_length(p));
      export_fixed(p, buf.data(), buf.size());
      w.leaf(buf);
      buf.assign(java_byte_length(q), 0);
      export_fixed(q, buf.data(), buf.size());
      w.leaf(buf);
      w.leaf(g_);
      w.leaf_u32(1);  // SAFEPRIME_ENCODING
      description = "ModPGroup(safe-prime modulus=2*order+1. order bit-length = " +
                    std::to_string(mpz_sizeinbase(q.get_mpz_t(), 2)) +
                    ")::" + crypto::to_hex(sink.bytes);
    }
    description_ = std::move(description);
  }

  const Bytes& generator() const override { return g_; }
  Bytes identity() const override { return to_bytes(1); }

  Bytes mul(ByteView a, ByteView b) const override {
    mpz_class r = value(a) * value(b);
    mpz_mod(r.get_mpz_t(), r.get_mpz_t(), p_.get_mpz_t());
    return to_bytes(r);
  }
  Bytes inverse(ByteView a) const override {
    mpz_class r;
    mpz_invert(r.get_mpz_t(), value(a).get_mpz_t(), p_.get_mpz_t());
    return to_bytes(r);
  }
  Bytes exp_ct(ByteView base, const SecretScalar& k) const override {
    return to_bytes(pow_ct(value(base), k.reveal()));
  }
  Bytes exp_var(ByteView base, const mpz_class& k) const override {
    return to_bytes(pow_var(value(base), k));
  }

  std::unique_ptr<FixedBaseTable> fixed_base(ByteView base, std::size_t uses) const override {
    return std::make_unique<ModPTable>(arith_, value(base), q_bits_, uses >= kTableUses);
  }

  void exp_combine(const FixedBaseTable& t1, std::span<const SecretScalar> k1,
                   const FixedBaseTable* t2, std::span<const SecretScalar> k2,
                   const ElementArray* factors, ElementArray& out,
                   Progress* progress) const override {
    const auto& b1 = static_cast<const ModPTable&>(t1);
    const auto* b2 = static_cast<const ModPTable*>(t2);
    out = ElementArray(stride_, k1.size());
    // Blocks of 64: a table walks its rows once per 32 exponents (exp_batch).
    parallel_for(
        k1.size(), 64,
        [&](std::size_t begin, std::size_t end) {
          std::vector<mpz_class> r = table_pow_ct(b1, k1.subspan(begin, end - begin));
          std::vector<mpz_class> r2;
          if (b2 != nullptr) r2 = table_pow_ct(*b2, k2.subspan(begin, end - begin));
          for (std::size_t i = begin; i < end; ++i) {
            mpz_class& x = r[i - begin];
            if (b2 != nullptr) x = x * r2[i - begin] % p_;
            if (factors != nullptr) x = x * value(factors->view(i)) % p_;
            export_fixed(x, out.at(i), stride_);
          }
          wipe(r);
          wipe(r2);
        },
        progress);
  }

  Bytes multi_exp_var(const ElementArray& bases, std::span<const mpz_class> exps,
                      Progress* progress) const override {
    return product_of_chunks(
        bases.size(),
        [&](std::size_t begin, std::size_t end) {
          return crypto::modp_multi_exp_var(arith_, values(bases, begin, end),
                                            exps.subspan(begin, end - begin));
        },
        progress);
  }

  Bytes multi_exp_ct(const ElementArray& bases, std::span<const SecretScalar> exps,
                     Progress* progress) const override {
    return product_of_chunks(
        bases.size(),
        [&](std::size_t begin, std::size_t end) {
          return crypto::modp_multi_exp(
              arith_, values(bases, begin, end),
              [&](std::size_t i) -> const mpz_class& { return exps[begin + i].reveal(); }, q_bits_);
        },
        progress);
  }

  Bytes product(const ElementArray& a) const override {
    mpz_class acc = 1;
    for (std::size_t i = 0; i < a.size(); ++i) acc = acc * value(a.view(i)) % p_;
    return to_bytes(acc);
  }

  void write_element(ByteTreeWriter& w, ByteView e) const override { w.leaf(e); }
  std::size_t encoded_size() const override { return 5 + stride_; }

  void read_element(ByteTreeReader& r, std::uint8_t* out, std::string_view field) const override {
    const std::size_t at = r.offset();
    const ByteView leaf = r.leaf(stride_, field);
    const mpz_class v = integer_from_bytes(leaf);
    if (!contains(v)) r.fail_at(at, field, "not an element of the order-q subgroup of Z_p^*");
    std::copy(leaf.begin(), leaf.end(), out);
  }

  ElementArray random_elements(HashPrg& prg, std::size_t n, unsigned statdist) const override {
    const unsigned bits = static_cast<unsigned>(mpz_sizeinbase(p_.get_mpz_t(), 2)) + statdist;
    std::vector<mpz_class> raw(n);
    for (auto& x : raw) x = prg.next_integer(bits) % p_;
    ElementArray out(stride_, n);
    Progress progress("derive generators", n);
    parallel_for(
        n, 16,
        [&](std::size_t begin, std::size_t end) {
          for (std::size_t i = begin; i < end; ++i)
            export_fixed(pow_var(raw[i], cofactor_), out.at(i), stride_);
        },
        &progress);
    return out;
  }

  std::vector<mpz_class> to_integers(ByteView e) const override { return {value(e)}; }
  Bytes from_integers(std::span<const mpz_class> values) const override {
    if (values.size() != 1 || !contains(values[0])) {
      throw FormatError("ModPGroup: not a group element");
    }
    return to_bytes(values[0]);
  }

 private:
  bool contains(const mpz_class& v) const {
    if (v <= 0 || v >= p_) return false;
    if (safe_prime_) return mpz_jacobi(v.get_mpz_t(), p_.get_mpz_t()) == 1;
    mpz_class t;
    mpz_powm(t.get_mpz_t(), v.get_mpz_t(), order_.get_mpz_t(), p_.get_mpz_t());
    return t == 1;
  }
  mpz_class value(ByteView e) const { return integer_from_bytes(e); }
  Bytes to_bytes(const mpz_class& v) const {
    Bytes out(stride_);
    export_fixed(v, out.data(), stride_);
    return out;
  }
  // Returns base^k mod p. Variable time (mpz_powm): public k only.
  mpz_class pow_var(const mpz_class& base, const mpz_class& k) const {
    crypto::count_exp_path(false);
    mpz_class r;
    mpz_powm(r.get_mpz_t(), base.get_mpz_t(), k.get_mpz_t(), p_.get_mpz_t());
    return r;
  }
  // Returns base^k mod p for a secret k in [0, q). Constant time in k (mpz_powm_sec, which
  // needs k > 0; k = 0 has probability 1/q and returns 1).
  mpz_class pow_ct(const mpz_class& base, const mpz_class& k) const {
    crypto::count_exp_path(true);
    if (k <= 0) return 1;
    mpz_class r;
    mpz_powm_sec(r.get_mpz_t(), base.get_mpz_t(), k.get_mpz_t(), p_.get_mpz_t());
    return r;
  }
  // Returns the base to each secret k in [0, q): the constant-time table (exp_batch), or
  // mpz_powm_sec without one.
  std::vector<mpz_class> table_pow_ct(const ModPTable& t, std::span<const SecretScalar> ks) const {
    std::vector<mpz_class> out;
    if (t.table) {
      t.table->exp_batch([&](std::size_t i) -> const mpz_class& { return ks[i].reveal(); },
                         ks.size(), out);
      return out;
    }
    out.reserve(ks.size());
    for (const auto& k : ks) out.push_back(pow_ct(t.base, k.reveal()));
    return out;
  }
  std::vector<mpz_class> values(const ElementArray& a, std::size_t begin, std::size_t end) const {
    std::vector<mpz_class> out;
    out.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) out.push_back(value(a.view(i)));
    return out;
  }
  // Returns prod of chunk(begin, end) mod p over blocks covering [0, n), on all cores: one
  // block per worker (a multi-exponentiation gets cheaper per base with more bases).
  template <typename Chunk>
  Bytes product_of_chunks(std::size_t n, const Chunk& chunk, Progress* progress) const {
    std::mutex mutex;
    mpz_class total = 1;
    const std::size_t workers = worker_count();
    const std::size_t block = std::max<std::size_t>(64, (n + workers - 1) / workers);
    parallel_for(
        n, block,
        [&](std::size_t begin, std::size_t end) {
          const mpz_class part = chunk(begin, end);
          std::lock_guard lock(mutex);
          total = total * part % p_;
        },
        progress);
    return to_bytes(total);
  }

  mpz_class p_;
  mpz_class cofactor_;
  bool safe_prime_;
  crypto::MontModulus arith_;
  std::size_t q_bits_;
  Bytes g_;
};

}  // namespace

std::unique_ptr<MixGroup> make_modp_group(const mpz_class& p, const mpz_class& q,
                                          const mpz_class& g, std::string description,
                                          std::string haal_name) {
  return std::make_unique<ModPGroup>(p, q, g, std::move(description), std::move(haal_name));
}

}  // namespace haal::mixnet
