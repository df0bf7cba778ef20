// Verificatum protocol info files (protInfo.xml): the public parameters of a mix-net session,
// and the session prefix rho derived from them (verifier specification, section 6.3 "Deriving
// the prefix to random oracle queries").
#pragma once

#include <string>
#include <vector>

#include "crypto/bytes.hpp"
#include "mixnet/haal_profile.hpp"

namespace haal::mixnet {

struct PartyInfo {
  std::string name;
  std::string srtbyrole = "anyrole";
  std::string descr;
  std::string pkey;  // Verificatum signature key (a placeholder in Haal-written files)
  std::string http;
  std::string hint;
};

struct ProtocolInfo {
  std::string version = std::string(profile::kVersion);
  std::string sid;
  std::string name;
  std::string descr;
  unsigned nopart = 1;
  unsigned statdist = profile::kStatdist;  // n_r
  std::string bullboard = "com.verificatum.protocol.com.BullBoardBasicHTTPW";
  unsigned thres = 1;
  std::string pgroup;  // group description string, hashed verbatim into rho
  unsigned keywidth = profile::kKeywidth;
  unsigned vbitlen = profile::kVbitlen;
  unsigned vbitlenro = profile::kVbitlenro;  // n_v
  unsigned ebitlen = profile::kEbitlen;
  unsigned ebitlenro = profile::kEbitlenro;  // n_e
  std::string prg = std::string(profile::kPrg);
  std::string rohash = std::string(profile::kRohash);
  std::string corr = "noninteractive";
  unsigned width = 1;
  unsigned maxciph = 0;
  std::vector<PartyInfo> parties;
};

// Parses a protInfo.xml. Throws FormatError naming the missing/duplicated/malformed tag.
// Only the parameters Haal uses are interpreted; SHA-256 PRG and hash are required. The proof
// parameters' values are checked separately (check_proof_parameters, haal_profile.hpp).
ProtocolInfo parse_protocol_info(std::string_view xml);
// Returns the protInfo.xml text for `info` (same layout as Verificatum's, without comments).
std::string write_protocol_info(const ProtocolInfo& info);

// rho = SHA-256(node(leaf(version), leaf(sid "." auxsid), u32(n_r), u32(n_v), u32(n_e),
//                    leaf(prg), leaf(pgroup), leaf(rohash))).
crypto::Bytes derive_rho(const ProtocolInfo& info, std::string_view auxsid);

}  // namespace haal::mixnet
