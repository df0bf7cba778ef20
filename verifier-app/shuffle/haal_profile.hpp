// Haal's profile of the Verificatum mix-net as docs/verifier-mixing.md section 6.2 states it
// (written from the docs, independently of mixnet/): the parameters of a mix session's
// protInfo.xml that a Haal record must carry exactly. The challenge length n_v (vbitlenro) makes
// a proof of shuffle sound; with a short challenge a forger guesses it and simulates the proof
// for any output list, so any value other than the profile's is refused.
#pragma once

#include <string>
#include <vector>

#include "verifier-app/shuffle/mix_session.hpp"

namespace haal::verifier::shuffle {

struct HaalProfile {
  static constexpr const char* kVersion = "3.1.0";
  static constexpr unsigned kStatdist = 100;   // n_r
  static constexpr unsigned kVbitlen = 128;    // interactive challenge length
  static constexpr unsigned kVbitlenro = 256;  // n_v
  static constexpr unsigned kEbitlen = 128;    // interactive batching length
  static constexpr unsigned kEbitlenro = 256;  // n_e
  static constexpr const char* kPrg = "SHA-256";
  static constexpr const char* kRohash = "SHA-256";
  static constexpr unsigned kKeywidth = 1;
};

// Returns one message per field of `info` that differs from Haal's profile, in protInfo.xml
// order, e.g. "protInfo.xml <vbitlenro>: 8, Haal's profile requires 256"; empty when it conforms.
std::vector<std::string> haal_profile_violations(const ProtocolInfo& info);

}  // namespace haal::verifier::shuffle
