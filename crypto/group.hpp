// The one group layer of Haal (as Verificatum's PGroup with ModPGroup and ECqPGroup behind it):
// prime-order groups behind one interface, P-256 (OpenSSL) and the RFC 3526 safe-prime groups
// (GMP and crypto/modp_arith.hpp). Every component (election, ceremony, mix-net, tally, verifier)
// uses it. Two forms of elements:
//  - Element: one immutable value, for the protocols that handle a few elements at a time;
//  - compact form: a fixed-size byte block per element (ElementArray holds millions of them
//    contiguously), with batch operations on all cores: fixed-base tables, multi-exponentiation
//    with public exponents, constant-time batch exponentiation with secret ones.
// The byte-tree codecs of the mix-net (mixnet/group_codec.hpp) read and write the compact form.
//
// Naming follows libsecp256k1: functions whose running time may depend on a scalar carry the
// suffix `_var`; feed them public scalars only. Functions without the suffix are constant time
// in their scalar arguments. Secret exponents have their own type, SecretScalar, which only the
// constant-time functions accept (and which they require); public ones are Scalar (single
// elements) or mpz_class (compact arrays), which the `_var` functions take.
#pragma once

#include <gmpxx.h>
#include <openssl/ec.h>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "crypto/base/parallel.hpp"
#include "crypto/bytes.hpp"
#include "crypto/scalar.hpp"
#include "crypto/sha256.hpp"

namespace haal::crypto {

// The base layer's parallel loop and progress line, used by the batch operations.
using base::parallel_for;
using base::Progress;
using base::worker_count;

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

// A contiguous array of elements of one group in compact form (Group::stride() bytes each).
struct ElementArray {
  std::size_t stride = 0;
  Bytes data;

  ElementArray() = default;
  // An array of `count` all-zero blocks (not elements until set).
  ElementArray(std::size_t stride_bytes, std::size_t count)
      : stride(stride_bytes), data(stride_bytes * count) {}
  std::size_t size() const { return stride == 0 ? 0 : data.size() / stride; }
  std::uint8_t* at(std::size_t i) { return data.data() + i * stride; }
  const std::uint8_t* at(std::size_t i) const { return data.data() + i * stride; }
  ByteView view(std::size_t i) const { return ByteView(at(i), stride); }
  Bytes get(std::size_t i) const { return Bytes(at(i), at(i) + stride); }
  // Copies e into slot i. Throws std::invalid_argument if e.size() != stride.
  void set(std::size_t i, ByteView e);
};

// A fixed base, with a precomputed table when it is used often enough (Group::precompute).
class FixedBase {
 public:
  virtual ~FixedBase() = default;
  // Returns base^k for a secret k in [0, q). Constant time in k.
  virtual Element exp(const SecretScalar& k) const = 0;
  // Returns base^k. Variable time: public k only. May be faster than exp().
  virtual Element exp_var(const Scalar& k) const = 0;
  virtual const Element& base() const = 0;
};

// With at least this many uses, precompute() builds a table (fewer uses exponentiate directly).
inline constexpr std::size_t kManyUses = static_cast<std::size_t>(-1);

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

  // Returns base^k for a secret k in [0, q). Constant time in k.
  virtual Element exp(const Element& base, const SecretScalar& k) const = 0;
  // Returns base^k. Variable time: public k only.
  virtual Element exp_var(const Element& base, const Scalar& k) const = 0;
  // Returns g^k for the standard generator and a secret k in [0, q). Constant time in k.
  virtual Element exp_generator(const SecretScalar& k) const = 0;
  // Returns g^k for the standard generator. Variable time: public k only.
  virtual Element exp_generator_var(const Scalar& k) const = 0;
  // Returns prod bases[i]^exponents[i]. Variable time (public exponents only).
  // Precondition: bases.size() == exponents.size(). Returns the identity for empty input.
  virtual Element multi_exp_var(std::span<const Element> bases,
                                std::span<const Scalar> exponents) const = 0;
  // Returns `base` prepared for about `uses` exponentiations: with a precomputed table when that
  // many pay for it (mod-p from 64 uses, P-256 from 256), else the plain base. The default builds
  // the table.
  virtual std::unique_ptr<FixedBase> precompute(const Element& base,
                                                std::size_t uses = kManyUses) const = 0;

  // Canonical fixed-length encoding: P-256 SEC1 compressed (33 bytes), mod-p big-endian
  // (byte length of p). The identity encodes as all-zero bytes (and never decodes).
  virtual std::size_t element_length() const = 0;
  virtual Bytes encode(const Element& a) const = 0;
  // Parses a canonical encoding and checks membership in the prime-order group.
  // Throws std::invalid_argument with the precise reason (length, not on curve / not a
  // quadratic residue, out of range, identity, non-canonical). Variable time (public input).
  virtual Element decode_var(ByteView bytes) const = 0;
  std::string to_hex(const Element& a) const { return crypto::to_hex(encode(a)); }
  Element from_hex_var(std::string_view hex) const;

  // Derives an element nobody knows the discrete log of, from a public seed and a domain tag
  // (P-256: try-and-increment on x; mod-p: hash then square). Deterministic; variable time.
  virtual Element hash_to_element(ByteView seed, std::string_view dst) const = 0;
  // Returns `count` independent generators derived from `seed_label` (element i is
  // hash_to_element(seed_label || u32_be(i), "HAAL-V1-GENERATORS")).
  std::vector<Element> independent_generators(std::string_view seed_label, std::size_t count) const;

  // ---- Compact form and batch operations ----
  // Bytes per element in compact form. mod-p: the value big-endian in bits(p)/8 + 1 bytes (the
  // length of Verificatum's leaf, so 257 for modp-2048); P-256: the affine x || y, 32 bytes
  // each, the identity as 64 zero bytes. Compact forms are canonical: equality is byte equality.
  std::size_t stride() const { return stride_; }
  // Compact forms of g and of the identity.
  const Bytes& generator_compact() const { return generator_compact_; }
  const Bytes& identity_compact() const { return identity_compact_; }
  // Returns true iff a == b (byte comparison). Variable time (public elements).
  bool equal(ByteView a, ByteView b) const;
  // Returns the compact form of a. Variable time: P-256 skips the field inversion for a point
  // whose Jacobian Z is one (decoded points).
  virtual Bytes to_compact_var(const Element& a) const = 0;
  // Returns the element of compact form e (the identity included). Throws std::invalid_argument
  // with the reason of check_compact_var. Variable time.
  virtual Element from_compact_var(ByteView e) const = 0;
  // Returns "" if e is the compact form of a group element, else the reason (wrong size, not
  // reduced, not on the curve, not in the order-q subgroup). Variable time.
  virtual std::string check_compact_var(ByteView e) const = 0;

  // Group operation and inverse on compact forms. Precondition: members (checked on entry into
  // the process, e.g. by check_compact_var).
  virtual Bytes mul(ByteView a, ByteView b) const = 0;
  virtual Bytes inverse(ByteView a) const = 0;
  Bytes div(ByteView a, ByteView b) const { return mul(a, inverse(b)); }
  // Returns base^k (any public k >= 0, reduced mod q). Variable time.
  virtual Bytes exp_var(ByteView base, const mpz_class& k) const = 0;
  // Returns base^k for a secret k in [0, q). Constant time: OpenSSL's single-point scalar
  // multiplication with BN_FLG_CONSTTIME on P-256, mpz_powm_sec on mod-p.
  virtual Bytes exp(ByteView base, const SecretScalar& k) const = 0;
  // precompute() for a compact base (the identity included).
  virtual std::unique_ptr<FixedBase> precompute(ByteView base, std::size_t uses) const = 0;
  // Sets out[i] = t1^k1[i] * (t2 ? t2^k2[i] : 1) * (factors ? factors[i] : 1), on all cores.
  // Constant time in the secret exponents: P-256 OpenSSL's constant-time fixed-base or
  // single-point multiplication, mod-p the constant-time tables of crypto/modp_arith.hpp
  // (mpz_powm_sec without a table). Preconditions: t1, t2 from this group; k1.size() ==
  // k2.size() when t2 is given, == factors->size() when factors is given; exponents in [0, q).
  // out is resized.
  virtual void exp_combine(const FixedBase& t1, std::span<const SecretScalar> k1,
                           const FixedBase* t2, std::span<const SecretScalar> k2,
                           const ElementArray* factors, ElementArray& out,
                           Progress* progress = nullptr) const = 0;
  // Returns prod bases[i]^exps[i] for public exponents >= 0, on all cores. Variable time
  // (P-256 OpenSSL's EC_POINTs_mul in chunks of 256-2048; mod-p Straus or Pippenger,
  // crypto/modp_arith.hpp).
  // Throws std::invalid_argument on different sizes; the identity for empty input.
  virtual Bytes multi_exp_var(const ElementArray& bases, std::span<const mpz_class> exps,
                              Progress* progress = nullptr) const = 0;
  // Returns prod bases[i]^exps[i] for secret exponents in [0, q), on all cores. Constant time in
  // the exponents: P-256 OpenSSL's constant-time multi-point multiplication (ecp_nistz256's
  // windowed Straus, with a random blinding base per chunk; docs/crypto.md section 1), or one
  // constant-time single-point multiplication per base where OpenSSL's P-256 method is another;
  // mod-p Straus' interleaved windows with every table read whole (crypto::modp_multi_exp),
  // over exponent_bits bits: a public bound on every exponent (0 means bits(q)), which makes
  // short secret exponents (the shuffle proof's epsilon) proportionally cheaper on mod-p;
  // P-256's method costs the same for any bound. Precondition: no exponent has more than
  // exponent_bits bits (mod-p throws std::invalid_argument otherwise).
  // Throws std::invalid_argument on different sizes; the identity for empty input.
  virtual Bytes multi_exp(const ElementArray& bases, std::span<const SecretScalar> exps,
                          std::size_t exponent_bits, Progress* progress = nullptr) const = 0;
  // Returns prod a[i] (the identity for an empty array).
  virtual Bytes product(const ElementArray& a) const = 0;
  // Verificatum's randomElementArray(n, prg, statdist) (verifier specification, "Independent
  // generators"): n elements nobody knows a discrete log of, from integers of bits(p) + statdist
  // bits drawn by next_integer(bits). mod-p: (x mod p)^((p-1)/q). P-256: rounds drawing 2m
  // candidates x mod p for the m elements still missing, keeping in order each x for which
  // x^3 + ax + b is a non-zero square, with the smaller root as y. Variable time (public).
  virtual ElementArray random_elements_var(const std::function<mpz_class(unsigned)>& next_integer,
                                           std::size_t n, unsigned statdist) const = 0;
  // The integers Verificatum prints for an element (`vmnv -t`): [value] or [x, y] ([-1, -1] for
  // the P-256 identity).
  virtual std::vector<mpz_class> to_integers(ByteView e) const = 0;
  // Returns the compact form of the element with these integers. Throws std::invalid_argument
  // if they are not those of a group element.
  virtual Bytes from_integers(std::span<const mpz_class> values) const = 0;

  // Message embedding: the largest byte string encode_message_var accepts.
  virtual std::size_t message_capacity() const = 0;
  // Returns an element that decodes to `message` (injective). Throws std::invalid_argument when
  // message.size() > message_capacity(). Variable time (ballot plaintexts are embedded on the
  // voter's own device; see docs/crypto.md).
  virtual Element encode_message_var(ByteView message) const = 0;
  // Returns the message embedded in `a`. Throws std::invalid_argument if `a` is not the image
  // of any message (e.g. an invalid ballot after mixing).
  virtual Bytes decode_message_var(const Element& a) const = 0;

 protected:
  Group(mpz_class order, Bytes descriptor, std::size_t stride);
  // Called by the constructors of the implementations once the group can compute.
  void set_compact_constants(Bytes generator, Bytes identity);

 private:
  ScalarField scalars_;
  Bytes descriptor_;
  Digest fingerprint_;
  std::size_t stride_;
  Bytes generator_compact_;
  Bytes identity_compact_;
};

// Returns the named group ("P-256", "modp-2048", "modp-3072"). Groups are process-wide
// singletons built on first use. Throws std::invalid_argument for an unknown name.
const Group& group_by_name(std::string_view name);

// Names of every supported group.
std::vector<std::string> supported_group_names();

}  // namespace haal::crypto
