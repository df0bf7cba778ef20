#include "crypto/group_modp.hpp"

#include <algorithm>
#include <cstring>
#include <mutex>
#include <stdexcept>

#include "crypto/exp_path_counts.hpp"
#include "crypto/expand_message.hpp"

namespace haal::crypto {

namespace {

// RFC 3526, section 3 (2048-bit MODP group) and section 4 (3072-bit MODP group).
constexpr const char* kModp2048Hex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E34"
    "04DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6"
    "F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A6916"
    "3FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C"
    "32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA95"
    "6AE515D2261898FA051015728E5A8AACAA68FFFFFFFFFFFFFFFF";
constexpr const char* kModp3072Hex =
    "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E34"
    "04DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6"
    "F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A6916"
    "3FA8FD24CF5F83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C"
    "32905E462E36CE3BE39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA95"
    "6AE515D2261898FA051015728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA7157"
    "5D060C7DB3970F85A6E1E4C7ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D876"
    "02733EC86A64521F2B18177B200CBBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E"
    "4B82D120A93AD2CAFFFFFFFFFFFFFFFF";

mpz_class modulus_for(int bits) {
  if (bits == 2048) return mpz_class(kModp2048Hex, 16);
  if (bits == 3072) return mpz_class(kModp3072Hex, 16);
  throw std::invalid_argument("mod-p groups exist for 2048 and 3072 bits only");
}

Bytes modp_descriptor(const std::string& name, const mpz_class& p, std::size_t p_bytes) {
  const mpz_class q = (p - 1) / 2;
  Bytes d;
  append_length_prefixed(d, to_bytes("HAAL-V1-GROUP"));
  append_length_prefixed(d, to_bytes(name));
  append_length_prefixed(d, mpz_to_bytes(p, p_bytes));
  append_length_prefixed(d, mpz_to_bytes(q, p_bytes));
  append_length_prefixed(d, mpz_to_bytes(mpz_class(4), p_bytes));
  return d;
}

BnPtr mpz_to_bn(const mpz_class& v, std::size_t length) {
  const Bytes bytes = mpz_to_bytes(v, length);
  return BnPtr(
      check_openssl(BN_bin2bn(bytes.data(), static_cast<int>(bytes.size()), nullptr), "BN_bin2bn"));
}

mpz_class bn_to_mpz(const BIGNUM* bn) {
  Bytes bytes(static_cast<std::size_t>(BN_num_bytes(bn)));
  BN_bn2bin(bn, bytes.data());
  return mpz_from_bytes(bytes);
}

// From this many uses on, a fixed base gets a table (building one costs about as much as 25
// exponentiations with it; crypto/modp_arith.hpp).
constexpr std::size_t kTableUses = 64;

// Java's BigInteger.toByteArray() length of a positive integer: bits/8 + 1.
std::size_t java_length(const mpz_class& v) {
  return mpz_sizeinbase(v.get_mpz_t(), 2) / 8 + 1;
}

}  // namespace

// A fixed base: a table (crypto/modp_arith.hpp: Brickell-Gordon-McCurley-Wilson fixed windows)
// from kTableUses uses on, whose exp() reads every row whole (constant time) and exp_var()
// indexes it directly; without a table mpz_powm_sec and OpenSSL's Montgomery exponentiation.
class ModpFixedBase final : public FixedBase {
 public:
  ModpFixedBase(const ModpGroup& group, const Element& base, bool with_table)
      : group_(group), base_(base) {
    if (with_table) {
      table_ = std::make_unique<ModpFixedBaseTable>(group.arith(), base.modp_value(),
                                                    group.scalars().bit_length());
    }
  }
  Element exp(const SecretScalar& k) const override { return Element(exp_value(k.reveal())); }
  Element exp_var(const Scalar& k) const override {
    return Element(table_ ? table_->exp_var(k.value()) : group_.pow_var(value(), k.value()));
  }
  const Element& base() const override { return base_; }

  // Sets out[i] = base^ks[i] for secret ks[i] in [0, q). Constant time in the exponents.
  void exp_batch(std::span<const SecretScalar> ks, std::vector<mpz_class>& out) const {
    if (table_) {
      table_->exp_batch([&](std::size_t i) -> const mpz_class& { return ks[i].reveal(); },
                        ks.size(), out);
      return;
    }
    out.clear();
    out.reserve(ks.size());
    for (const auto& k : ks) out.push_back(group_.pow_ct(value(), k.reveal()));
  }

 private:
  const mpz_class& value() const { return base_.modp_value(); }
  mpz_class exp_value(const mpz_class& k) const {
    return table_ ? table_->exp(k) : group_.pow_ct(value(), k);
  }

  const ModpGroup& group_;
  Element base_;
  std::unique_ptr<ModpFixedBaseTable> table_;  // null below kTableUses uses
};

ModpGroup::ModpGroup(int bits)
    : Group((modulus_for(bits) - 1) / 2,
            modp_descriptor("modp-" + std::to_string(bits), modulus_for(bits),
                            static_cast<std::size_t>(bits) / 8),
            java_length(modulus_for(bits))),
      name_("modp-" + std::to_string(bits)),
      p_(modulus_for(bits)),
      p_bytes_(static_cast<std::size_t>(bits) / 8),
      // u16 length || message, plus two, must stay below q (bits(q) = bits - 1).
      capacity_((static_cast<std::size_t>(bits) - 2) / 8 - 2),
      generator_(mpz_class(4)),
      p_bn_(mpz_to_bn(p_, p_bytes_)),
      mont_(check_openssl(BN_MONT_CTX_new(), "BN_MONT_CTX_new")),
      arith_(p_) {
  check_openssl_rc(BN_MONT_CTX_set(mont_.get(), p_bn_.get(), thread_bn_ctx()), "BN_MONT_CTX_set");
  set_compact_constants(compact(generator_.modp_value()), compact(1));
}

void ModpGroup::mul_mod(mpz_class& out, const mpz_class& a, const mpz_class& b) const {
  mpz_mul(out.get_mpz_t(), a.get_mpz_t(), b.get_mpz_t());
  mpz_tdiv_r(out.get_mpz_t(), out.get_mpz_t(), p_.get_mpz_t());
}

Element ModpGroup::mul(const Element& a, const Element& b) const {
  mpz_class r;
  mul_mod(r, a.modp_value(), b.modp_value());
  return Element(std::move(r));
}

Element ModpGroup::inverse(const Element& a) const {
  mpz_class r;
  if (mpz_invert(r.get_mpz_t(), a.modp_value().get_mpz_t(), p_.get_mpz_t()) == 0) {
    throw std::invalid_argument("element is not invertible modulo p");
  }
  return Element(std::move(r));
}

mpz_class ModpGroup::pow_ct(const mpz_class& base, const mpz_class& k) const {
  count_exp_path(true);
  if (k <= 0) return 1;  // mpz_powm_sec requires a positive exponent
  mpz_class r;
  mpz_powm_sec(r.get_mpz_t(), base.get_mpz_t(), k.get_mpz_t(), p_.get_mpz_t());
  return r;
}

Element ModpGroup::exp(const Element& base, const SecretScalar& k) const {
  return Element(pow_ct(base.modp_value(), k.reveal()));
}

const ModpFixedBaseTable& ModpGroup::generator_table() const {
  std::call_once(generator_table_once_, [this] {
    generator_table_ = std::make_unique<ModpFixedBaseTable>(arith_, generator_.modp_value(),
                                                            scalars().bit_length());
  });
  return *generator_table_;
}

Element ModpGroup::exp_generator(const SecretScalar& k) const {
  return Element(generator_table().exp(k.reveal()));
}

Element ModpGroup::exp_generator_var(const Scalar& k) const {
  return Element(generator_table().exp_var(k.value()));
}

mpz_class ModpGroup::pow_var(const mpz_class& base, const mpz_class& k) const {
  if (k >= order()) {
    mpz_class reduced;
    mpz_mod(reduced.get_mpz_t(), k.get_mpz_t(), order().get_mpz_t());
    return pow_var(base, reduced);
  }
  if (base == generator_.modp_value()) return generator_table().exp_var(k);
  count_exp_path(false);
  BnPtr b = mpz_to_bn(base, p_bytes_);
  BnPtr e = mpz_to_bn(k, scalars().byte_length());
  BnPtr r(check_openssl(BN_new(), "BN_new"));
  check_openssl_rc(
      BN_mod_exp_mont(r.get(), b.get(), e.get(), p_bn_.get(), thread_bn_ctx(), mont_.get()),
      "BN_mod_exp_mont");
  return bn_to_mpz(r.get());
}

Element ModpGroup::exp_var(const Element& base, const Scalar& k) const {
  return Element(pow_var(base.modp_value(), k.value()));
}

// Straus or Pippenger over Montgomery residues, whichever costs fewer multiplications for this
// batch (crypto/modp_arith.hpp), over only as many bits as the largest exponent has.
Element ModpGroup::multi_exp_var(std::span<const Element> bases,
                                 std::span<const Scalar> exponents) const {
  if (bases.size() != exponents.size()) {
    throw std::invalid_argument("multi_exp_var: bases and exponents differ in number");
  }
  // One or two bases (the proofs' verification equations g^s a^-c): one exponentiation per base,
  // the generator's table for g and OpenSSL's Montgomery exponentiation otherwise, beats a
  // simultaneous exponentiation on GMP's products at this size.
  if (bases.size() <= 2) {
    mpz_class acc = 1;
    for (std::size_t i = 0; i < bases.size(); ++i) {
      mul_mod(acc, acc, exp_var(bases[i], exponents[i]).modp_value());
    }
    return Element(std::move(acc));
  }
  std::vector<mpz_class> values, exps;
  values.reserve(bases.size());
  exps.reserve(bases.size());
  for (std::size_t i = 0; i < bases.size(); ++i) {
    values.push_back(bases[i].modp_value());
    exps.push_back(exponents[i].value());
  }
  return Element(modp_multi_exp_var(arith_, values, exps));
}

std::unique_ptr<FixedBase> ModpGroup::precompute(const Element& base, std::size_t uses) const {
  return std::make_unique<ModpFixedBase>(*this, base, uses >= kTableUses);
}

// ---- Compact form: the value big-endian in stride() bytes (Verificatum's ModPGroup leaf) ----

mpz_class ModpGroup::value(ByteView e) const {
  return mpz_from_bytes(e);
}

Bytes ModpGroup::compact(const mpz_class& v) const {
  return mpz_to_bytes(v, stride());
}

bool ModpGroup::contains(const mpz_class& v) const {
  return v > 0 && v < p_ && mpz_legendre(v.get_mpz_t(), p_.get_mpz_t()) == 1;
}

Bytes ModpGroup::to_compact_var(const Element& a) const {
  return compact(a.modp_value());
}

std::string ModpGroup::check_compact_var(ByteView e) const {
  if (e.size() != stride())
    return "element of " + std::to_string(e.size()) + " bytes, not " + std::to_string(stride());
  if (!contains(value(e))) return "not an element of the order-q subgroup of Z_p^*";
  return "";
}

Element ModpGroup::from_compact_var(ByteView e) const {
  const std::string error = check_compact_var(e);
  if (!error.empty()) throw std::invalid_argument(name_ + ": " + error);
  return Element(value(e));
}

Bytes ModpGroup::mul(ByteView a, ByteView b) const {
  mpz_class r;
  mul_mod(r, value(a), value(b));
  return compact(r);
}

Bytes ModpGroup::inverse(ByteView a) const {
  return compact(inverse(Element(value(a))).modp_value());
}

Bytes ModpGroup::exp_var(ByteView base, const mpz_class& k) const {
  return compact(pow_var(value(base), k));
}

Bytes ModpGroup::exp(ByteView base, const SecretScalar& k) const {
  return compact(pow_ct(value(base), k.reveal()));
}

std::unique_ptr<FixedBase> ModpGroup::precompute(ByteView base, std::size_t uses) const {
  return precompute(Element(value(base)), uses);
}

void ModpGroup::exp_combine(const FixedBase& t1, std::span<const SecretScalar> k1,
                            const FixedBase* t2, std::span<const SecretScalar> k2,
                            const ElementArray* factors, ElementArray& out,
                            Progress* progress) const {
  const auto& b1 = dynamic_cast<const ModpFixedBase&>(t1);
  const auto* b2 = dynamic_cast<const ModpFixedBase*>(t2);
  if ((t2 != nullptr && (b2 == nullptr || k2.size() != k1.size())) ||
      (factors != nullptr && factors->size() != k1.size())) {
    throw std::invalid_argument("exp_combine: mismatched tables or sizes");
  }
  out = ElementArray(stride(), k1.size());
  // Blocks of 64: a table walks its rows once per 32 exponents (exp_batch).
  parallel_for(
      k1.size(), 64,
      [&](std::size_t begin, std::size_t end) {
        std::vector<mpz_class> r, r2;
        b1.exp_batch(k1.subspan(begin, end - begin), r);
        if (b2 != nullptr) b2->exp_batch(k2.subspan(begin, end - begin), r2);
        for (std::size_t i = begin; i < end; ++i) {
          mpz_class& x = r[i - begin];
          if (b2 != nullptr) mul_mod(x, x, r2[i - begin]);
          if (factors != nullptr) mul_mod(x, x, value(factors->view(i)));
          mpz_to_bytes_into(x, out.at(i), stride());
        }
        wipe(r);
        wipe(r2);
      },
      progress);
}

Bytes ModpGroup::product_of_chunks(const ElementArray& bases, const ChunkProduct& chunk,
                                   Progress* progress) const {
  // One block per worker: a multi-exponentiation gets cheaper per base with more bases.
  const std::size_t n = bases.size();
  std::mutex mutex;
  mpz_class total = 1;
  const std::size_t workers = worker_count();
  const std::size_t block = std::max<std::size_t>(64, (n + workers - 1) / workers);
  parallel_for(
      n, block,
      [&](std::size_t begin, std::size_t end) {
        std::vector<mpz_class> values;
        values.reserve(end - begin);
        for (std::size_t i = begin; i < end; ++i) values.push_back(value(bases.view(i)));
        const mpz_class part = chunk(values, begin);
        std::lock_guard lock(mutex);
        mul_mod(total, total, part);
      },
      progress);
  return compact(total);
}

Bytes ModpGroup::multi_exp_var(const ElementArray& bases, std::span<const mpz_class> exps,
                               Progress* progress) const {
  if (bases.size() != exps.size()) {
    throw std::invalid_argument("multi_exp_var: bases and exponents differ in number");
  }
  return product_of_chunks(
      bases,
      [&](std::span<const mpz_class> values, std::size_t begin) {
        return modp_multi_exp_var(arith_, values, exps.subspan(begin, values.size()));
      },
      progress);
}

Bytes ModpGroup::multi_exp(const ElementArray& bases, std::span<const SecretScalar> exps,
                           std::size_t exponent_bits, Progress* progress) const {
  if (bases.size() != exps.size()) {
    throw std::invalid_argument("multi_exp: bases and exponents differ in number");
  }
  if (exponent_bits == 0 || exponent_bits > scalars().bit_length()) {
    exponent_bits = scalars().bit_length();
  }
  return product_of_chunks(
      bases,
      [&](std::span<const mpz_class> values, std::size_t begin) {
        return modp_multi_exp(
            arith_, values,
            [&](std::size_t i) -> const mpz_class& { return exps[begin + i].reveal(); },
            exponent_bits);
      },
      progress);
}

Bytes ModpGroup::product(const ElementArray& a) const {
  mpz_class acc = 1;
  for (std::size_t i = 0; i < a.size(); ++i) mul_mod(acc, acc, value(a.view(i)));
  return compact(acc);
}

ElementArray ModpGroup::random_elements_var(const std::function<mpz_class(unsigned)>& next_integer,
                                            std::size_t n, unsigned statdist) const {
  const unsigned bits = static_cast<unsigned>(mpz_sizeinbase(p_.get_mpz_t(), 2)) + statdist;
  std::vector<mpz_class> raw(n);
  for (auto& x : raw) x = next_integer(bits) % p_;
  ElementArray out(stride(), n);
  Progress progress("derive generators", n);
  // The cofactor (p - 1) / q is 2 for a safe prime: squaring maps into the subgroup.
  parallel_for(
      n, 16,
      [&](std::size_t begin, std::size_t end) {
        mpz_class square;
        for (std::size_t i = begin; i < end; ++i) {
          mul_mod(square, raw[i], raw[i]);
          mpz_to_bytes_into(square, out.at(i), stride());
        }
      },
      &progress);
  return out;
}

std::vector<mpz_class> ModpGroup::to_integers(ByteView e) const {
  return {value(e)};
}

Bytes ModpGroup::from_integers(std::span<const mpz_class> values) const {
  if (values.size() != 1 || !contains(values[0])) {
    throw std::invalid_argument(name_ + ": not a group element");
  }
  return compact(values[0]);
}

Bytes ModpGroup::encode(const Element& a) const {
  return mpz_to_bytes(a.modp_value(), p_bytes_);
}

Element ModpGroup::decode_var(ByteView bytes) const {
  if (bytes.size() != p_bytes_) {
    throw std::invalid_argument(name_ + " element must be " + std::to_string(p_bytes_) +
                                " bytes, got " + std::to_string(bytes.size()));
  }
  mpz_class v = mpz_from_bytes(bytes);
  if (v == 0 || v >= p_) throw std::invalid_argument(name_ + " element is not in [1, p-1]");
  if (v == 1)
    throw std::invalid_argument(name_ + " element is the identity, which is not allowed here");
  // For a safe prime, the order-q subgroup is exactly the quadratic residues.
  if (mpz_legendre(v.get_mpz_t(), p_.get_mpz_t()) != 1) {
    throw std::invalid_argument(name_ +
                                " element is not a quadratic residue (not in the subgroup)");
  }
  return Element(std::move(v));
}

// Hash then square: v_i = OS2IP(xmd(LP(seed) || u32_be(i), dst, |p| + 16)) mod p, element v_i^2,
// for the first i with v_i^2 not in {0, 1}.
Element ModpGroup::hash_to_element(ByteView seed, std::string_view dst) const {
  for (std::uint32_t i = 0;; ++i) {
    Bytes input;
    append_length_prefixed(input, seed);
    append_u32_be(input, i);
    mpz_class v = mpz_from_bytes(expand_message_xmd_sha256(input, dst, p_bytes_ + 16));
    mpz_mod(v.get_mpz_t(), v.get_mpz_t(), p_.get_mpz_t());
    mpz_class e;
    mul_mod(e, v, v);
    if (e != 0 && e != 1) return Element(std::move(e));
  }
}

// Embedding: x = OS2IP(u16_be(L) || message) + 2 in [2, q] (+2, not +1, so that the empty
// message does not land on the identity 1); the element is x if x is a residue, else p - x
// (exactly one of them is, since p = 3 mod 4 makes -1 a non-residue).
Element ModpGroup::encode_message_var(ByteView message) const {
  if (message.size() > capacity_) {
    throw std::invalid_argument("message of " + std::to_string(message.size()) +
                                " bytes exceeds the " + name_ + " capacity of " +
                                std::to_string(capacity_) + " bytes");
  }
  Bytes framed;
  framed.push_back(static_cast<std::uint8_t>(message.size() >> 8));
  framed.push_back(static_cast<std::uint8_t>(message.size() & 0xff));
  framed.insert(framed.end(), message.begin(), message.end());
  mpz_class x = mpz_from_bytes(framed) + 2;
  if (mpz_legendre(x.get_mpz_t(), p_.get_mpz_t()) != 1) x = p_ - x;
  return Element(std::move(x));
}

Bytes ModpGroup::decode_message_var(const Element& a) const {
  const mpz_class& y = a.modp_value();
  const mpz_class q = order();
  mpz_class x = (y <= q) ? y : p_ - y;
  x -= 2;
  if (x < 0) throw std::invalid_argument("element embeds no message (below the frame)");
  const std::size_t size = x == 0 ? 0 : mpz_sizeinbase(x.get_mpz_t(), 256);
  for (std::size_t length = 0; length <= capacity_; ++length) {
    if (size > length + 2) continue;
    const mpz_class prefix = x >> static_cast<mp_bitcnt_t>(8 * length);
    if (prefix != length) continue;
    const Bytes framed = mpz_to_bytes(x, length + 2);
    return Bytes(framed.begin() + 2, framed.end());
  }
  throw std::invalid_argument("element embeds no message (bad length frame)");
}

const ModpGroup& modp_group(int bits) {
  if (bits == 2048) {
    static const ModpGroup g2048(2048);
    return g2048;
  }
  if (bits == 3072) {
    static const ModpGroup g3072(3072);
    return g3072;
  }
  throw std::invalid_argument("mod-p groups exist for 2048 and 3072 bits only");
}

}  // namespace haal::crypto
