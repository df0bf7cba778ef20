// The RFC 3526 safe-prime groups (p = 2q + 1, "More Modular Exponential (MODP) Diffie-Hellman
// groups", sections 3 and 4): the subgroup of quadratic residues, of prime order q, with
// generator 4 (= 2^2, a residue; the same choice as Verificatum's examples).
#pragma once

#include <mutex>

#include "crypto/group.hpp"
#include "crypto/modp_arith.hpp"
#include "crypto/openssl_handles.hpp"

namespace haal::crypto {

class ModpGroup final : public Group {
 public:
  // Precondition: bits is 2048 or 3072.
  explicit ModpGroup(int bits);

  const std::string& name() const override { return name_; }
  const Element& generator() const override { return generator_; }
  Element identity() const override { return Element(mpz_class(1)); }
  bool is_identity(const Element& a) const override { return a.modp_value() == 1; }
  bool equal(const Element& a, const Element& b) const override {
    return a.modp_value() == b.modp_value();
  }
  using Group::equal;
  Element mul(const Element& a, const Element& b) const override;
  Element inverse(const Element& a) const override;
  Element exp(const Element& base, const SecretScalar& k) const override;
  Element exp_var(const Element& base, const Scalar& k) const override;
  // Constant time: the generator's fixed-base table (built on first use).
  Element exp_generator(const SecretScalar& k) const override;
  Element exp_generator_var(const Scalar& k) const override;
  Element multi_exp_var(std::span<const Element> bases,
                        std::span<const Scalar> exponents) const override;
  std::unique_ptr<FixedBase> precompute(const Element& base, std::size_t uses) const override;

  Bytes to_compact_var(const Element& a) const override;
  Element from_compact_var(ByteView e) const override;
  std::string check_compact_var(ByteView e) const override;
  Bytes mul(ByteView a, ByteView b) const override;
  Bytes inverse(ByteView a) const override;
  Bytes exp_var(ByteView base, const mpz_class& k) const override;
  Bytes exp(ByteView base, const SecretScalar& k) const override;
  std::unique_ptr<FixedBase> precompute(ByteView base, std::size_t uses) const override;
  void exp_combine(const FixedBase& t1, std::span<const SecretScalar> k1, const FixedBase* t2,
                   std::span<const SecretScalar> k2, const ElementArray* factors, ElementArray& out,
                   Progress* progress) const override;
  Bytes multi_exp_var(const ElementArray& bases, std::span<const mpz_class> exps,
                      Progress* progress) const override;
  Bytes multi_exp(const ElementArray& bases, std::span<const SecretScalar> exps,
                  std::size_t exponent_bits, Progress* progress) const override;
  Bytes product(const ElementArray& a) const override;
  ElementArray random_elements_var(const std::function<mpz_class(unsigned)>& next_integer,
                                   std::size_t n, unsigned statdist) const override;
  std::vector<mpz_class> to_integers(ByteView e) const override;
  Bytes from_integers(std::span<const mpz_class> values) const override;
  std::size_t element_length() const override { return p_bytes_; }
  Bytes encode(const Element& a) const override;
  Element decode_var(ByteView bytes) const override;
  Element hash_to_element(ByteView seed, std::string_view dst) const override;
  std::size_t message_capacity() const override { return capacity_; }
  Element encode_message_var(ByteView message) const override;
  Bytes decode_message_var(const Element& a) const override;

  const mpz_class& modulus() const { return p_; }
  // Montgomery arithmetic modulo p (tables and multi-exponentiation, crypto/modp_arith.hpp).
  const MontModulus& arith() const { return arith_; }
  // Returns a*b mod p on raw values (GMP mpz_mul and mpz_tdiv_r).
  void mul_mod(mpz_class& out, const mpz_class& a, const mpz_class& b) const;

 private:
  friend class ModpFixedBase;
  // Returns base^k mod p for a public k >= 0: the generator's table, else OpenSSL's Montgomery
  // exponentiation (1.2-1.4x faster than mpz_powm here). Variable time.
  mpz_class pow_var(const mpz_class& base, const mpz_class& k) const;
  // Returns base^k mod p for a secret k in [0, q). Constant time in k (mpz_powm_sec, which needs
  // k > 0; k = 0 returns 1).
  mpz_class pow_ct(const mpz_class& base, const mpz_class& k) const;
  // The value of a compact form, and the compact form of a value in [0, p).
  mpz_class value(ByteView e) const;
  Bytes compact(const mpz_class& v) const;
  // Returns true iff 0 < v < p is a quadratic residue (a member of the order-q subgroup).
  bool contains(const mpz_class& v) const;
  // Returns prod of chunk(values of bases[begin, end), begin) mod p over blocks covering the
  // array, on all cores.
  using ChunkProduct = std::function<mpz_class(std::span<const mpz_class>, std::size_t)>;
  Bytes product_of_chunks(const ElementArray& bases, const ChunkProduct& chunk,
                          Progress* progress) const;

  std::string name_;
  mpz_class p_;
  std::size_t p_bytes_;
  std::size_t capacity_;
  Element generator_;
  BnPtr p_bn_;
  BnMontCtxPtr mont_;
  // The generator's fixed-base table, built on first use.
  const ModpFixedBaseTable& generator_table() const;

  MontModulus arith_;
  mutable std::once_flag generator_table_once_;
  mutable std::unique_ptr<ModpFixedBaseTable> generator_table_;
};

// The process-wide group modp-<bits>. Precondition: bits is 2048 or 3072.
const ModpGroup& modp_group(int bits);

}  // namespace haal::crypto
