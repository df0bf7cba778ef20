// Haal's profile of the Verificatum mix-net (docs/mixnet.md section 4.1): the proof parameters
// of protInfo.xml are constants, not choices. Every reader of a Haal session refuses any other
// value, naming the field: the challenge length n_v = <vbitlenro> is what makes a proof of
// shuffle sound ([TW10] section 4: a prover who can guess the challenge v in advance picks the
// replies and solves the verification equations for the commitment, for any output list), so a
// floor would not do (with 16 bits a forger grinds 2^16 commitments).
//
// A Haal session is one whose <sid> is "Haal" followed by the 64 lowercase hex digits of the
// election's context hash (docs/record.md), or one verified with the profile forced
// (`haal mix verify --haal-profile`, the trustees' check before decrypting).
#pragma once

#include <string_view>

namespace haal::mixnet::profile {

inline constexpr std::string_view kVersion = "3.1.0";   // <version>, nizkp/version
inline constexpr unsigned kStatdist = 100;              // <statdist>  n_r
inline constexpr unsigned kVbitlen = 128;               // <vbitlen>   (interactive challenge)
inline constexpr unsigned kVbitlenro = 256;             // <vbitlenro> n_v
inline constexpr unsigned kEbitlen = 128;               // <ebitlen>   (interactive batching)
inline constexpr unsigned kEbitlenro = 256;             // <ebitlenro> n_e
inline constexpr std::string_view kPrg = "SHA-256";     // <prg>
inline constexpr std::string_view kRohash = "SHA-256";  // <rohash>
inline constexpr unsigned kKeywidth = 1;                // <keywidth>
// Largest bit length or statistical distance a foreign session may use (a bound on the work a
// protInfo.xml can ask for; Verificatum's defaults are the profile's values).
inline constexpr unsigned kMaxBits = 4096;

}  // namespace haal::mixnet::profile

namespace haal::mixnet {

struct ProtocolInfo;  // protocol_info.hpp (which includes this header)

// Returns true iff `sid` is "Haal" followed by exactly 64 lowercase hex digits.
bool is_haal_session_id(std::string_view sid);

// Checks the proof parameters of `info` (version, statdist, vbitlen, vbitlenro, ebitlen,
// ebitlenro, prg, rohash, keywidth). With `haal_profile` each must equal the profile's value;
// without (a foreign Verificatum session) none may be weaker: the same version, hashes and key
// width, bit lengths and statdist in [profile value, kMaxBits]. Throws FormatError
// "<where> <vbitlenro>: 8, Haal's profile requires 256" naming the first offending field.
void check_proof_parameters(const ProtocolInfo& info, bool haal_profile, std::string_view where);

}  // namespace haal::mixnet
