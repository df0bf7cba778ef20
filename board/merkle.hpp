// RFC 9162 (Certificate Transparency 2.0) section 2.1 Merkle tree hashing with SHA-256, and the
// verification algorithms for inclusion proofs (2.1.3.2) and consistency proofs (2.1.4.2).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "crypto/sha256.hpp"

namespace haal::board {

using Hash = crypto::Digest;

// A proof that failed verification or a request for an impossible proof; what() says why.
class ProofError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Returns SHA-256(0x00 || leaf) (RFC 9162 2.1.1). Variable time in leaf length only.
Hash leaf_hash(crypto::ByteView leaf);

// Returns SHA-256(0x01 || left || right) (RFC 9162 2.1.1).
Hash node_hash(const Hash& left, const Hash& right);

// Returns MTH({}) = SHA-256() (RFC 9162 2.1.1).
Hash empty_tree_hash();

// Returns the largest power of two strictly smaller than n. Precondition: n >= 2.
std::uint64_t largest_power_of_two_below(std::uint64_t n);

// Returns the root MTH(D[n]) computed from n leaf hashes directly (O(n); reference use, tests).
Hash root_from_leaf_hashes(const std::vector<Hash>& leaf_hashes);

// RFC 9162 2.1.3.2: returns the root implied by `leaf` (a leaf HASH) at `leaf_index` in a tree of
// `tree_size` leaves and its audit path. Throws ProofError naming the failed check.
Hash root_from_inclusion_proof(std::uint64_t leaf_index, std::uint64_t tree_size, const Hash& leaf,
                               const std::vector<Hash>& audit_path);

// Throws ProofError unless `audit_path` proves leaf hash `leaf` at `leaf_index` in the tree of
// `tree_size` leaves with root `root` (RFC 9162 2.1.3.2). Variable time (public data).
void check_inclusion_var(std::uint64_t leaf_index, std::uint64_t tree_size, const Hash& leaf,
                         const std::vector<Hash>& audit_path, const Hash& root);

// Returns true iff check_inclusion_var succeeds.
bool verify_inclusion_var(std::uint64_t leaf_index, std::uint64_t tree_size, const Hash& leaf,
                          const std::vector<Hash>& audit_path, const Hash& root);

// Throws ProofError unless `proof` shows that the tree of `first_size` leaves with root
// `first_root` is a prefix of the tree of `second_size` leaves with root `second_root`
// (RFC 9162 2.1.4.2). Edge cases: first_size == second_size needs an empty proof and equal
// roots; first_size == 0 < second_size needs an empty proof. Variable time (public data).
void check_consistency_var(std::uint64_t first_size, std::uint64_t second_size,
                           const Hash& first_root, const Hash& second_root,
                           const std::vector<Hash>& proof);

// Returns true iff check_consistency_var succeeds.
bool verify_consistency_var(std::uint64_t first_size, std::uint64_t second_size,
                            const Hash& first_root, const Hash& second_root,
                            const std::vector<Hash>& proof);

}  // namespace haal::board
