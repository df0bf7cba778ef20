// Prime-order groups behind one interface: P-256 (OpenSSL) and the RFC 3526 safe-prime groups
// (GMP). Elements are immutable values; every operation goes through the Group that made them.
//
// Naming follows libsecp256k1: functions whose running time may depend on a scalar carry the
// suffix `_var`; feed them public scalars only. Functions without the suffix are constant time
// in their scalar arguments.
#pragma once

#include <gmpxx.h>
#include <openssl/ec.h>

#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/scalar.hpp"
#include "crypto/sha256.hpp"

namespace haal::crypto {

// A group element. Cheap to copy (P-256 points are shared and immutable).
// A default-constructed Element is empty: no operation accepts it.
class Element {
 public:
  Element() = default;
  bool empty() const { return std::holds_alternative<std::monostate>(repr_); }

  // Representation, for group implementations only.
  using EcRepr = std::shared_ptr<const EC_POINT>;
  explicit Element(EcRepr point) : repr_(std::move(point)) {}
  explicit Element(mpz_class value) : repr_(std::move(value)) {}
  const EC_POINT* ec_point() const;     // throws if not a P-256 element
  const mpz_class& modp_value() const;  // throws if not a mod-p element

 private:
  std::variant<std::monostate, EcRepr, mpz_class> repr_;
};

// A precomputed table for exponentiations of one fixed base.
class FixedBase {
 public:
  virtual ~FixedBase() = default;
  // Returns base^k. Constant time in k.
  virtual Element exp(const Scalar& k) const = 0;
  // Returns base^k. Variable time: public k only. May be faster than exp().
  virtual Element exp_var(const Scalar& k) const = 0;
  virtual const Element& base() const = 0;
};

class Group {
 public:
  virtual ~Group() = default;
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  // The group's name as written in manifests and records: "P-256", "modp-2048", "modp-3072".
  virtual const std::string& name() const = 0;
  // Canonical descriptor bytes (name and every parameter), specified in docs/crypto.md.
  const Bytes& descriptor() const { return descriptor_; }
  // SHA-256 of descriptor(): what Fiat-Shamir transcripts hash to identify the group.
  const Digest& fingerprint() const { return fingerprint_; }

  const ScalarField& scalars() const { return scalars_; }
  const mpz_class& order() const { return scalars_.order(); }

  virtual const Element& generator() const = 0;
  virtual Element identity() const = 0;
  virtual bool is_identity(const Element& a) const = 0;
  // Variable time: compares public elements.
  virtual bool equal(const Element& a, const Element& b) const = 0;

  // Group operation, inverse, and a * b^-1. Constant time for P-256; GMP multiplication
  // for mod-p (time depends on operand limb counts only).
  virtual Element mul(const Element& a, const Element& b) const = 0;
  virtual Element inverse(const Element& a) const = 0;
  Element div(const Element& a, const Element& b) const { return mul(a, inverse(b)); }

  // Returns base^k. Constant time in k (secret k allowed).
  virtual Element exp(const Element& base, const Scalar& k) const = 0;
  // Returns base^k. Variable time: public k only.
  virtual Element exp_var(const Element& base, const Scalar& k) const = 0;
  // Returns g^k for the standard generator. Constant time in k.
  virtual Element exp_generator(const Scalar& k) const = 0;
  // Returns prod bases[i]^exponents[i]. Variable time (public exponents only).
  // Precondition: bases.size() == exponents.size(). Returns the identity for empty input.
  virtual Element multi_exp_var(std::span<const Element> bases,
                                std::span<const Scalar> exponents) const = 0;
  // Returns a fixed-base table for `base` (worth it from a few dozen exponentiations on).
  virtual std::unique_ptr<FixedBase> precompute(const Element& base) const = 0;

  // Canonical fixed-length encoding: P-256 SEC1 compressed (33 bytes), mod-p big-endian
  // (byte length of p). The identity encodes as all-zero bytes (and never decodes).
  virtual std::size_t element_length() const = 0;
  virtual Bytes encode(const Element& a) const = 0;
  // Parses a canonical encoding and checks membership in the prime-order group.
  // Throws std::invalid_argument with the precise reason (length, not on curve / not a
  // quadratic residue, out of range, identity, non-canonical). Variable time (public input).
  virtual Element decode(ByteView bytes) const = 0;
  std::string to_hex(const Element& a) const { return crypto::to_hex(encode(a)); }
  Element from_hex(std::string_view hex) const;

  // Derives an element nobody knows the discrete log of, from a public seed and a domain tag
  // (P-256: try-and-increment on x; mod-p: hash then square). Deterministic; variable time.
  virtual Element hash_to_element(ByteView seed, std::string_view dst) const = 0;
  // Returns `count` independent generators derived from `seed_label` (element i is
  // hash_to_element(seed_label || u32_be(i), "HAAL-V1-GENERATORS")).
  std::vector<Element> independent_generators(std::string_view seed_label, std::size_t count) const;

  // Message embedding: the largest byte string encode_message accepts.
  virtual std::size_t message_capacity() const = 0;
  // Returns an element that decodes to `message` (injective). Throws std::invalid_argument when
  // message.size() > message_capacity(). Variable time (ballot plaintexts are embedded on the
  // voter's own device; see docs/crypto.md).
  virtual Element encode_message(ByteView message) const = 0;
  // Returns the message embedded in `a`. Throws std::invalid_argument if `a` is not the image
  // of any message (e.g. an invalid ballot after mixing).
  virtual Bytes decode_message(const Element& a) const = 0;

 protected:
  Group(mpz_class order, Bytes descriptor);

 private:
  ScalarField scalars_;
  Bytes descriptor_;
  Digest fingerprint_;
};

// Returns the named group ("P-256", "modp-2048", "modp-3072"). Groups are process-wide
// singletons built on first use. Throws std::invalid_argument for an unknown name.
const Group& group_by_name(std::string_view name);

// Names of every supported group.
std::vector<std::string> supported_group_names();

}  // namespace haal::crypto
