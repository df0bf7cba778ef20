// Fast arithmetic for the mod-p groups: Montgomery multiplication on GMP's mpn layer, fixed-base
// exponentiation with precomputed tables, and multi-exponentiation, with a constant-time form
// for secret exponents and a variable-time (`_var`) form for public ones. Shared by crypto/
// (ModpGroup), mixnet/ (Verificatum's ModPGroup) and, through crypto/, the verifier.
//
// Values outside this file are ordinary integers in [0, p) (mpz_class); inside, residues are
// arrays of limbs() limbs in Montgomery form a*R mod p, R = 2^(64 limbs()), kept below R (not
// necessarily below p) between operations.
#pragma once

#include <gmpxx.h>

#include <cstddef>
#include <functional>
#include <span>
#include <vector>

namespace haal::crypto {

// Montgomery arithmetic modulo an odd p (P. L. Montgomery, "Modular multiplication without trial
// division", Math. Comp. 44(170), 1985), built only from GMP's public mpn functions in the
// operation sequence of GMP's own constant-time mpn_sec_powm (mpn/generic/sec_powm.c):
// side-channel-silent basecase products (mpn_sec_mul, mpn_sec_sqr), word-by-word reduction
// (mpn_addmul_1, as GMP's mpn_redc_1) and a masked final subtraction (mpn_cnd_sub_n). The
// running time of mul and sqr depends only on limbs().
class MontModulus {
 public:
  // Precondition: p odd, p > 2.
  explicit MontModulus(const mpz_class& p);

  std::size_t limbs() const { return n_; }
  const mpz_class& modulus() const { return p_; }
  // The residue of 1 (R mod p).
  const mp_limb_t* one() const { return one_.data(); }

  // Per-thread scratch space for mul and sqr.
  class Scratch {
   public:
    explicit Scratch(const MontModulus& m);
    mp_limb_t* product() { return buf_.data(); }
    mp_limb_t* itch() { return buf_.data() + product_limbs_; }

   private:
    std::size_t product_limbs_;
    std::vector<mp_limb_t> buf_;
  };

  // r = a * b / R mod p (residues). r may alias a or b. Constant time.
  void mul(mp_limb_t* r, const mp_limb_t* a, const mp_limb_t* b, Scratch& s) const;
  // r = a^2 / R mod p. r may alias a. Constant time.
  void sqr(mp_limb_t* r, const mp_limb_t* a, Scratch& s) const;
  // As mul and sqr, with GMP's fastest products (mpn_mul_n, mpn_sqr: Karatsuba and Toom, whose
  // branches depend on the operands). Variable time: public operands only.
  void mul_var(mp_limb_t* r, const mp_limb_t* a, const mp_limb_t* b, Scratch& s) const;
  void sqr_var(mp_limb_t* r, const mp_limb_t* a, Scratch& s) const;
  // out = the residue of v. Precondition: 0 <= v < p. Time depends on the size of v in limbs
  // (GMP import), otherwise constant.
  void to_mont(mp_limb_t* out, const mpz_class& v, Scratch& s) const;
  // Returns the integer in [0, p) of residue a. Constant time up to the final GMP import.
  mpz_class from_mont(const mp_limb_t* a, Scratch& s) const;

 private:
  // r = t / R mod p for a 2n-limb t (destroyed), r < R.
  void redc(mp_limb_t* r, mp_limb_t* t) const;

  mpz_class p_;
  std::size_t n_;
  std::vector<mp_limb_t> p_limbs_;
  std::vector<mp_limb_t> one_;  // R mod p
  std::vector<mp_limb_t> r2_;   // R^2 mod p
  mp_limb_t n0inv_;             // -p^-1 mod 2^64
};

// Secret exponent i of a batch (a callback, so that callers keep their own secret types).
using SecretExponents = std::function<const mpz_class&(std::size_t)>;

// A table for exponentiating one fixed base: the fixed-window method of E. F. Brickell,
// D. M. Gordon, K. S. McCurley and D. B. Wilson, "Fast exponentiation with precomputation",
// EUROCRYPT '92 (HAC Algorithm 14.109 with base 2^w): row i holds base^(j 2^(w i)) for
// j < 2^w, and base^k is the product of one entry per row (ceil(bits / w) - 1 multiplications,
// no squarings). Tables are immutable once built and may be shared between threads.
class ModpFixedBaseTable {
 public:
  // Precondition: 0 < base < m.modulus(); the table stays valid while `m` lives. Exponents up
  // to exponent_bits bits. About ceil(exponent_bits / w) * 2^w multiplications to build.
  ModpFixedBaseTable(const MontModulus& m, const mpz_class& base, std::size_t exponent_bits,
                     unsigned window = 6);

  const mpz_class& base() const { return base_; }
  // Returns base^k mod p for a secret 0 <= k < 2^exponent_bits. Constant time in k: every row
  // is read whole (GMP's mpn_sec_tabselect) and multiplied in, digit 0 included (its entry is 1).
  mpz_class exp(const mpz_class& k) const;
  // Sets out[i] = base^exponents(i) mod p for i < count, secret exponents as for exp(), in
  // blocks of 32 exponents that walk the table together (each row is read from memory once per
  // block instead of once per exponent). Constant time in the exponents.
  void exp_batch(const SecretExponents& exponents, std::size_t count,
                 std::vector<mpz_class>& out) const;
  // Returns base^k mod p for a public 0 <= k < 2^exponent_bits. Variable time (skips zero
  // digits, indexes the rows directly).
  mpz_class exp_var(const mpz_class& k) const;

 private:
  const mp_limb_t* entry(std::size_t row, std::size_t digit) const {
    return table_.data() + (row * entries_ + digit) * m_.limbs();
  }

  const MontModulus& m_;
  mpz_class base_;
  std::size_t bits_;
  unsigned window_;
  std::size_t rows_;
  std::size_t entries_;
  std::vector<mp_limb_t> table_;
};

// Returns prod bases[i]^exponents(i) mod p for secret exponents in [0, 2^exponent_bits).
// Constant time in the exponents: Straus' simultaneous exponentiation with interleaved fixed
// windows (E. G. Straus, "Addition chains of vectors", Amer. Math. Monthly 71, 1964; B. Moller,
// "Algorithms for multi-exponentiation", SAC 2001, section 3): per base a table of its first 2^w
// powers read whole with mpn_sec_tabselect, one multiplication per base and window whatever the
// digit, the squarings shared by the batch. About 2^w + exponent_bits / w multiplications per
// base. Preconditions: 0 < bases[i] < p. Returns 1 for an empty batch.
mpz_class modp_multi_exp(const MontModulus& m, std::span<const mpz_class> bases,
                         const SecretExponents& exponents, std::size_t exponent_bits);

// Returns prod bases[i]^exponents[i] mod p for public exponents >= 0. Variable time. Picks by
// operation count between Straus' interleaved windows (few bases) and Pippenger's bucket method
// (N. Pippenger, "On the evaluation of powers and monomials", SIAM J. Comput. 9(2), 1980, in the
// windowed form of D. J. Bernstein et al., "Faster batch forgery identification", INDOCRYPT 2012,
// section 4), over only as many bits as the largest exponent has: the 128-bit batching and
// weighting exponents of the proofs cost about 1/16 of full-size ones. Preconditions: equal
// sizes, 0 < bases[i] < p. Returns 1 for an empty batch.
mpz_class modp_multi_exp_var(const MontModulus& m, std::span<const mpz_class> bases,
                             std::span<const mpz_class> exponents);

}  // namespace haal::crypto
