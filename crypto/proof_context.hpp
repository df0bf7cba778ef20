// What every Haal proof is bound to besides its statement: the election and a binding string.
#pragma once

#include "crypto/bytes.hpp"

namespace haal::crypto {

struct ProofContext {
  // SHA-256 of the canonical election context (docs/ballots.md); 32 bytes.
  Bytes election_hash;
  // Who/what the proof is about, e.g. trustee index and coefficient, voter credential and
  // contest id. Goes into the transcript as LP("binding") || LP(binding).
  Bytes binding;
};

}  // namespace haal::crypto
