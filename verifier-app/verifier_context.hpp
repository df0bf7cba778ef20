// What the stages of haal-verify establish and hand on to the later stages: the parsed
// manifest, the election context, the group, the joint public key, the roll, the trustees'
// verification keys (stages 1-3), and the cleansed list of counted ballots (stage 5).
// Everything here is re-derived from the record by the verifier itself (docs/verifier.md).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/group.hpp"
#include "crypto/json_codec.hpp"
#include "crypto/sha256.hpp"

namespace haal::verifier {

// The manifest as the verifier reads it (schema: docs/ballots.md, "Manifest").
// A text (title, contact; docs/ballots.md 2, "Texts"): the string form, or translations keyed by
// language tag ("en" always present).
struct ManifestText {
  std::string text;                                 // the string form; empty in the object form
  std::map<std::string, std::string> translations;  // the object form
};

struct ManifestOption {
  std::string id;
  ManifestText title;
};

struct ManifestContest {
  std::string id;
  ManifestText title;
  std::string kind;  // "plurality" | "approval" | "referendum" | "ranked"
  std::size_t min = 0;
  std::size_t max = 1;
  std::vector<ManifestOption> options;
  std::optional<std::size_t> write_in_max_bytes;
  std::string method;  // ranked contests: "instant-runoff" | "schulze", the binding count
  // Number of ElGamal ciphertexts per ballot for this contest, from context.json (checked
  // against the manifest and the group in stage 1).
  std::size_t width = 0;

  bool ranked() const { return kind == "ranked"; }
  // Options plus the write-in candidate (which has index options.size()).
  std::size_t candidate_count() const { return options.size() + (write_in_max_bytes ? 1 : 0); }
};

struct ParsedManifest {
  std::string election_id;
  ManifestText title;
  std::optional<ManifestText> contact;
  std::string opens;   // RFC 3339 UTC
  std::string closes;  // RFC 3339 UTC
  std::string group_name;
  std::size_t trustee_count = 0;
  std::size_t trustee_threshold = 0;
  std::vector<ManifestContest> contests;
  crypto::Json json;      // manifest.json as read
  crypto::Digest hash{};  // manifest_hash = canonical_json_hash(json)

  // Returns the index of the contest with this id, or nullopt.
  std::optional<std::size_t> find_contest(std::string_view id) const;
};

// A trustee as established by the key-ceremony checks (stage 2).
struct TrusteeKey {
  std::uint32_t index = 0;           // 1-based trustee index (the polynomial's x-coordinate)
  std::string name;                  // as published in the ceremony
  crypto::Element verification_key;  // g^{s_i}, s_i = trustee i's share of the joint key
  bool qualified = false;            // in the ceremony result's qualified set
};

// A mix server as context.json pins it (stage 1): the chain's order is the array's.
struct PinnedMixServer {
  std::string id;
  crypto::Bytes public_key;  // Ed25519, signs the server's mix statements
};

// One counted ballot (stage 5), in board order: the input of the mix-net.
struct CleansedBallot {
  std::string voter_id;
  std::uint64_t board_index = 0;  // leaf index of the ballot entry on the board
  crypto::Digest ballot_hash{};   // SHA-256 of the canonical ballot JSON
  // One ciphertext vector per contest, manifest order, `width` ciphertexts each.
  std::vector<crypto::CiphertextVector> contests;
};

struct VerifierContext {
  // Run options: worker threads for parallel loops (>= 1) and where progress lines go (null:
  // silent). Use base::parallel_for/base::Progress (crypto/base/parallel.hpp) with them.
  unsigned threads = 1;
  std::ostream* progress = nullptr;

  // Stage 1 (parameters). `group` is null when the group could not be established; later
  // stages must then skip (and report) their checks.
  ParsedManifest manifest;
  crypto::Json context_json;
  crypto::Digest context_hash{};
  crypto::Bytes context_hash_bytes;  // the same 32 bytes (ProofContext.election_hash)
  const crypto::Group* group = nullptr;
  crypto::Element
      public_key;  // joint ElGamal key h (from context.json; stage 2 ties it to the ceremony)
  // The parties context.json pins: the only keys stages 3 and 6 accept.
  crypto::Bytes officials_key;               // Ed25519, poll-open/close requests
  crypto::Bytes collector_key;               // Ed25519, the board's tree heads
  std::vector<PinnedMixServer> mix_servers;  // chain order

  // Stage 2 (ceremony): every trustee in index order.
  std::vector<TrusteeKey> trustees;

  // Stage 3 (roll and board): voter id -> 32-byte Ed25519 credential public key.
  std::map<std::string, crypto::Bytes> roll;

  // Stage 5 (cleansing): the counted ballots in cleanse/cast.json order. Filled from
  // cleanse/cast.json once it was found equal to the verifier's own recomputation;
  // `cleansed_ok` is false when it differed or could not be checked (the mix stage then still
  // checks the mix against cast.json's own ciphertexts, read by the verifier, if present).
  std::vector<CleansedBallot> cleansed;
  bool cleansed_ok = false;

  // Returns whether stage 1 established the group and key (later stages need them).
  bool has_group() const { return group != nullptr && !public_key.empty(); }
};

}  // namespace haal::verifier
