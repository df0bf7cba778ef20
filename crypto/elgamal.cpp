#include "crypto/elgamal.hpp"

#include <stdexcept>

namespace haal::crypto {

ElGamalEncryptor::ElGamalEncryptor(const Group& group, const Element& public_key)
    : group_(group),
      table_g_(group.precompute(group.generator())),
      table_h_(group.precompute(public_key)) {}

Ciphertext ElGamalEncryptor::encrypt(const Element& message, const SecretScalar& randomness) const {
  return Ciphertext{table_g_->exp(randomness), group_.mul(message, table_h_->exp(randomness))};
}

CiphertextVector ElGamalEncryptor::encrypt(std::span<const Element> messages,
                                           std::span<const SecretScalar> randomness) const {
  if (messages.size() != randomness.size()) {
    throw std::invalid_argument("encrypt: messages and randomness differ in number");
  }
  CiphertextVector out;
  out.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i)
    out.push_back(encrypt(messages[i], randomness[i]));
  return out;
}

CiphertextVector ElGamalEncryptor::encrypt_var(std::span<const Element> messages,
                                               std::span<const Scalar> randomness) const {
  if (messages.size() != randomness.size()) {
    throw std::invalid_argument("encrypt_var: messages and randomness differ in number");
  }
  CiphertextVector out;
  out.reserve(messages.size());
  for (std::size_t i = 0; i < messages.size(); ++i) {
    out.push_back(Ciphertext{table_g_->exp_var(randomness[i]),
                             group_.mul(messages[i], table_h_->exp_var(randomness[i]))});
  }
  return out;
}

Ciphertext ElGamalEncryptor::reencrypt(const Ciphertext& c, const SecretScalar& randomness) const {
  return Ciphertext{group_.mul(c.alpha, table_g_->exp(randomness)),
                    group_.mul(c.beta, table_h_->exp(randomness))};
}

Element elgamal_decrypt(const Group& group, const SecretScalar& secret_key, const Ciphertext& c) {
  return group.div(c.beta, group.exp(c.alpha, secret_key));
}

Element elgamal_decryption_share(const Group& group, const SecretScalar& secret_share,
                                 const Element& alpha) {
  return group.exp(alpha, secret_share);
}

}  // namespace haal::crypto
