// The groups of the mix-net in Verificatum's representation: ModPGroup (RFC 3526 safe-prime
// groups, GMP) and ECqPGroup(P-256) (OpenSSL). Elements are stored as fixed-size byte blocks
// (mod p: big-endian of the modulus' two's-complement length; P-256: affine x || y, 32 bytes
// each, the identity as 64 zero bytes) so that arrays of millions of elements stay compact.
// Batch operations run on all cores. Variable-time functions carry the suffix `_var` and take
// public exponents (mpz_class); secret exponents have their own type, SecretScalar, which only
// the constant-time functions (exp_ct, multi_exp_ct, exp_combine) accept.
#pragma once

#include <gmpxx.h>

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "mixnet/byte_tree.hpp"
#include "mixnet/parallel.hpp"
#include "mixnet/random_oracle.hpp"

namespace haal::mixnet {

// Overwrites the limbs of a secret integer before it is freed (best effort: GMP may have left
// copies in memory it reallocated earlier).
void wipe(mpz_class& secret);
void wipe(std::vector<mpz_class>& secrets);

// A secret exponent: randomness of the shuffle and the proof, and every value that depends on
// the permutation. It does not convert to mpz_class, so it cannot be passed to a `_var`
// function by mistake (tests/mixnet/test_prover_secrets.cpp checks this at compile time).
// Wiped on destruction. reveal() gives the value for the prover's arithmetic mod q (GMP's mpz
// arithmetic is not constant time; only the exponentiations are).
class SecretScalar {
 public:
  SecretScalar() = default;
  explicit SecretScalar(mpz_class value) : value_(std::move(value)) {}
  SecretScalar(const SecretScalar&) = default;
  SecretScalar(SecretScalar&&) noexcept = default;
  SecretScalar& operator=(const SecretScalar&) = default;
  SecretScalar& operator=(SecretScalar&&) noexcept = default;
  ~SecretScalar() { wipe(value_); }
  const mpz_class& reveal() const { return value_; }
  mpz_class& reveal() { return value_; }

 private:
  mpz_class value_;
};

// A contiguous array of elements of one group.
struct ElementArray {
  std::size_t stride = 0;
  Bytes data;

  ElementArray() = default;
  ElementArray(std::size_t stride_bytes, std::size_t count)
      : stride(stride_bytes), data(stride_bytes * count) {}
  std::size_t size() const { return stride == 0 ? 0 : data.size() / stride; }
  std::uint8_t* at(std::size_t i) { return data.data() + i * stride; }
  const std::uint8_t* at(std::size_t i) const { return data.data() + i * stride; }
  ByteView view(std::size_t i) const { return ByteView(at(i), stride); }
  Bytes get(std::size_t i) const { return Bytes(at(i), at(i) + stride); }
  void set(std::size_t i, ByteView e);
};

// A precomputed table for exponentiating one fixed base.
class FixedBaseTable {
 public:
  virtual ~FixedBaseTable() = default;
};

class MixGroup {
 public:
  virtual ~MixGroup() = default;

  // Verificatum's group description, as in <pgroup> of protInfo.xml (hashed into rho).
  const std::string& description() const { return description_; }
  // Haal's group name: "P-256", "modp-2048", "modp-3072", or "" for other mod-p groups.
  const std::string& haal_name() const { return haal_name_; }
  const mpz_class& order() const { return order_; }
  // Bytes per stored element.
  std::size_t stride() const { return stride_; }
  // Byte length of a scalar leaf: Verificatum's two's-complement length of q.
  std::size_t scalar_leaf_length() const { return scalar_leaf_length_; }

  virtual const Bytes& generator() const = 0;
  virtual Bytes identity() const = 0;
  // Stored representations are canonical: equality is byte equality.
  bool equal(ByteView a, ByteView b) const;

  virtual Bytes mul(ByteView a, ByteView b) const = 0;
  virtual Bytes inverse(ByteView a) const = 0;
  Bytes div(ByteView a, ByteView b) const { return mul(a, inverse(b)); }
  // Returns base^k (k any public integer >= 0; reduced mod q). Variable time.
  virtual Bytes exp_var(ByteView base, const mpz_class& k) const = 0;
  // Returns base^k for a secret 0 <= k < q. Constant time: OpenSSL's single-point scalar
  // multiplication (BN_FLG_CONSTTIME; ec_scalar_mul_ladder or the constant-time P-256 code) on
  // P-256, mpz_powm_sec on mod-p groups.
  virtual Bytes exp_ct(ByteView base, const SecretScalar& k) const = 0;

  // Returns a table for about `uses` exponentiations of `base` (small counts skip the
  // precomputation, which costs about as much as a few hundred exponentiations on P-256).
  virtual std::unique_ptr<FixedBaseTable> fixed_base(ByteView base, std::size_t uses) const = 0;
  // out[i] = t1^k1[i] * (t2 ? t2^k2[i] : 1) * (factors ? factors[i] : 1), on all cores.
  // Constant time in the secret exponents: the P-256 tables use OpenSSL's constant-time
  // fixed-base or single-point multiplication, mod p the constant-time fixed-base tables of
  // crypto/modp_arith.hpp (mpz_powm_sec below 64 uses). Preconditions: equal sizes, exponents in
  // [0, q); out is resized.
  virtual void exp_combine(const FixedBaseTable& t1, std::span<const SecretScalar> k1,
                           const FixedBaseTable* t2, std::span<const SecretScalar> k2,
                           const ElementArray* factors, ElementArray& out,
                           Progress* progress) const = 0;
  // Returns prod bases[i]^exps[i] for public exponents, on all cores. Variable time
  // (OpenSSL's multi-point EC_POINTs_mul; mod p Straus or Pippenger, crypto/modp_arith.hpp).
  virtual Bytes multi_exp_var(const ElementArray& bases, std::span<const mpz_class> exps,
                              Progress* progress = nullptr) const = 0;
  // Returns prod bases[i]^exps[i] for secret exponents in [0, q), on all cores. Constant time
  // in the exponents: on P-256 one constant-time exponentiation per base (as exp_ct), then
  // products, about twice the work of multi_exp_var; mod p Straus' interleaved windows with
  // every table read whole (crypto::modp_multi_exp).
  virtual Bytes multi_exp_ct(const ElementArray& bases, std::span<const SecretScalar> exps,
                             Progress* progress = nullptr) const = 0;
  // Returns prod a[i].
  virtual Bytes product(const ElementArray& a) const = 0;

  // Verificatum byte-tree codec of one element. read_element checks group membership and
  // canonical form, throwing FormatError with `field` and the offset.
  virtual void write_element(ByteTreeWriter& w, ByteView e) const = 0;
  virtual void read_element(ByteTreeReader& r, std::uint8_t* out, std::string_view field) const = 0;
  // Serialized size of one element (every element of a group encodes to the same length).
  virtual std::size_t encoded_size() const = 0;
  // Arrays: node(N) of elements. expected_size 0 accepts any size. Elements are checked on all
  // cores.
  void write_array(ByteTreeWriter& w, const ElementArray& a) const;
  ElementArray read_array(ByteTreeReader& r, std::size_t expected_size,
                          std::string_view field) const;
  // Scalars: a leaf of scalar_leaf_length() bytes, value in [0, q).
  void write_scalar(ByteTreeWriter& w, const mpz_class& k) const;
  mpz_class read_scalar(ByteTreeReader& r, std::string_view field) const;
  std::vector<mpz_class> read_scalars(ByteTreeReader& r, std::size_t expected_size,
                                      std::string_view field) const;
  void write_scalars(ByteTreeWriter& w, std::span<const mpz_class> ks) const;

  // Verificatum's randomElementArray(n, prg, statdist): the independent generators.
  virtual ElementArray random_elements(HashPrg& prg, std::size_t n, unsigned statdist) const = 0;

  // The integers Verificatum prints for an element (`vmnv -t`): [value] or [x, y].
  virtual std::vector<mpz_class> to_integers(ByteView e) const = 0;
  // Builds an element from the integers of to_integers (membership-checked).
  virtual Bytes from_integers(std::span<const mpz_class> values) const = 0;

 protected:
  std::string description_;
  std::string haal_name_;
  mpz_class order_;
  std::size_t stride_ = 0;
  std::size_t scalar_leaf_length_ = 0;
};

// Returns the group described by a Verificatum <pgroup> string ("ModPGroup(...)::hex" or
// "ECqPGroup(P-256)::hex"). Throws FormatError for anything else.
std::unique_ptr<MixGroup> mix_group_from_description(std::string_view description);
// Returns Haal's named group in Verificatum form ("P-256", "modp-2048", "modp-3072").
// Process-wide singletons.
const MixGroup& mix_group_by_name(std::string_view name);

// Two's-complement length of a non-negative integer as Java's BigInteger.toByteArray().
std::size_t java_byte_length(const mpz_class& v);
// Fixed-length big-endian export into out[0..len) (value must fit).
void export_fixed(const mpz_class& v, std::uint8_t* out, std::size_t len);

// Implementations (mix_group_modp.cpp, mix_group_p256.cpp).
std::unique_ptr<MixGroup> make_modp_group(const mpz_class& p, const mpz_class& q,
                                          const mpz_class& g, std::string description,
                                          std::string haal_name);
std::unique_ptr<MixGroup> make_p256_group();

}  // namespace haal::mixnet
