// ElGamal encryption over a prime-order group, on single elements and on vectors of width w.
// (T. ElGamal, "A public key cryptosystem and a signature scheme based on discrete logarithms",
// IEEE Trans. IT 31(4), 1985.)  A ciphertext of m under h = g^x with randomness r is
// (alpha, beta) = (g^r, m * h^r).
#pragma once

#include <memory>
#include <vector>

#include "crypto/group.hpp"

namespace haal::crypto {

struct Ciphertext {
  Element alpha;  // g^r
  Element beta;   // m * h^r
};
using CiphertextVector = std::vector<Ciphertext>;

// Encryption under one public key, with fixed-base tables for g and h.
class ElGamalEncryptor {
 public:
  // Precondition: public_key is a decoded (membership-checked) element of `group`.
  ElGamalEncryptor(const Group& group, const Element& public_key);

  const Group& group() const { return group_; }
  const Element& public_key() const { return table_h_->base(); }

  // Returns (g^r, m h^r). Constant time in the secret r.
  Ciphertext encrypt(const Element& message, const SecretScalar& randomness) const;
  // Encrypts each message with the matching randomness. Precondition: equal sizes.
  CiphertextVector encrypt(std::span<const Element> messages,
                           std::span<const SecretScalar> randomness) const;
  // encrypt() for public randomness (an audited ballot's revealed randomness). Variable time.
  CiphertextVector encrypt_var(std::span<const Element> messages,
                               std::span<const Scalar> randomness) const;
  // Returns (alpha g^r, beta h^r): the same plaintext, fresh randomness. Constant time in r.
  Ciphertext reencrypt(const Ciphertext& c, const SecretScalar& randomness) const;

 private:
  const Group& group_;
  std::unique_ptr<FixedBase> table_g_;
  std::unique_ptr<FixedBase> table_h_;
};

// Returns beta * alpha^-x. Constant time in the secret key x.
Element elgamal_decrypt(const Group& group, const SecretScalar& secret_key, const Ciphertext& c);

// Returns the share alpha^s used by threshold decryption. Constant time in s.
Element elgamal_decryption_share(const Group& group, const SecretScalar& secret_share,
                                 const Element& alpha);

}  // namespace haal::crypto
