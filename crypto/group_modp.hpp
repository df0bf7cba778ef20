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
  Element mul(const Element& a, const Element& b) const override;
  Element inverse(const Element& a) const override;
  Element exp(const Element& base, const Scalar& k) const override;
  Element exp_var(const Element& base, const Scalar& k) const override;
  // Constant time: the generator's fixed-base table (built on first use).
  Element exp_generator(const Scalar& k) const override;
  Element multi_exp_var(std::span<const Element> bases,
                        std::span<const Scalar> exponents) const override;
  std::unique_ptr<FixedBase> precompute(const Element& base) const override;
  std::size_t element_length() const override { return p_bytes_; }
  Bytes encode(const Element& a) const override;
  Element decode(ByteView bytes) const override;
  Element hash_to_element(ByteView seed, std::string_view dst) const override;
  std::size_t message_capacity() const override { return capacity_; }
  Element encode_message(ByteView message) const override;
  Bytes decode_message(const Element& a) const override;

  const mpz_class& modulus() const { return p_; }
  // Montgomery arithmetic modulo p (tables and multi-exponentiation, crypto/modp_arith.hpp).
  const MontModulus& arith() const { return arith_; }
  // Returns a*b mod p on raw values (GMP mpz_mul and mpz_tdiv_r).
  void mul_mod(mpz_class& out, const mpz_class& a, const mpz_class& b) const;

 private:
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
