// Verificatum protocol info files (protInfo.xml): the public parameters of a mix-net session,
// and the session prefix rho derived from them (verifier specification, section 6.3 "Deriving
// the prefix to random oracle queries").
#pragma once

#include <string>
#include <vector>

#include "crypto/bytes.hpp"

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
  std::string version = "3.1.0";
  std::string sid;
  std::string name;
  std::string descr;
  unsigned nopart = 1;
  unsigned statdist = 100;  // n_r
  std::string bullboard = "com.verificatum.protocol.com.BullBoardBasicHTTPW";
  unsigned thres = 1;
  std::string pgroup;  // group description string, hashed verbatim into rho
  unsigned keywidth = 1;
  unsigned vbitlen = 128;
  unsigned vbitlenro = 256;  // n_v
  unsigned ebitlen = 128;
  unsigned ebitlenro = 256;  // n_e
  std::string prg = "SHA-256";
  std::string rohash = "SHA-256";
  std::string corr = "noninteractive";
  unsigned width = 1;
  unsigned maxciph = 0;
  std::vector<PartyInfo> parties;
};

// Parses a protInfo.xml. Throws FormatError naming the missing/duplicated/malformed tag.
// Only the parameters Haal uses are interpreted; SHA-256 PRG and hash are required.
ProtocolInfo parse_protocol_info(std::string_view xml);
// Returns the protInfo.xml text for `info` (same layout as Verificatum's, without comments).
std::string write_protocol_info(const ProtocolInfo& info);

// rho = SHA-256(node(leaf(version), leaf(sid "." auxsid), u32(n_r), u32(n_v), u32(n_e),
//                    leaf(prg), leaf(pgroup), leaf(rohash))).
crypto::Bytes derive_rho(const ProtocolInfo& info, std::string_view auxsid);

}  // namespace haal::mixnet
