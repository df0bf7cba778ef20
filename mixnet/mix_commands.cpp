#include "mixnet/mix_commands.hpp"

#include <nlohmann/json.hpp>

#include "crypto/base/parallel.hpp"
#include "mixnet/haal_bridge.hpp"

namespace haal::mixnet {

namespace fs = std::filesystem;
using Json = nlohmann::json;

CiphertextList read_list_file(const crypto::Group& group, const fs::path& path,
                              std::optional<std::size_t> width, bool& json) {
  const Bytes data = base::read_file_bytes(path);
  json = !data.empty() && data[0] != 0x00;
  if (!json) {
    if (width) return parse_ciphertexts_file(group, data, *width, 0, path.filename().string());
    // Width from the structure: node(u[N], v[N]) for width 1, node(node(u_1..u_w), ..) else.
    try {
      return parse_ciphertexts_file(group, data, 1, 0, path.filename().string());
    } catch (const FormatError&) {
      ByteTreeReader r(data, path.filename().string());
      r.node(2, "ciphertexts");
      const std::uint32_t w = r.node("ciphertexts.u");
      if (w < 2) throw;
      return parse_ciphertexts_file(group, data, w, 0, path.filename().string());
    }
  }
  Json j;
  try {
    j = Json::parse(data.begin(), data.end());
  } catch (const std::exception& e) {
    throw FormatError(path.filename().string() + ": not a byte tree and not JSON: " + e.what());
  }
  if (!j.is_array()) throw FormatError(path.filename().string() + ": expected a JSON array");
  const std::size_t w = width ? *width : (j.empty() ? 1 : j[0].size());
  std::vector<crypto::CiphertextVector> ballots(j.size());
  // Decoding (a square root per P-256 element) runs on all cores; the first error found is
  // reported.
  const Json& list = j;
  base::parallel_for(list.size(), 512, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::string where = path.filename().string() + "[" + std::to_string(i) + "]";
      if (!list[i].is_array() || list[i].size() != w) {
        throw FormatError(where + ": expected an array of " + std::to_string(w) + " ciphertexts");
      }
      for (std::size_t k = 0; k < w; ++k) {
        const Json& c = list[i][k];
        const std::string cw = where + "[" + std::to_string(k) + "]";
        if (!c.is_object() || c.size() != 2 || !c.contains("alpha") || !c.contains("beta") ||
            !c.at("alpha").is_string() || !c.at("beta").is_string()) {
          throw FormatError(cw + ": expected {\"alpha\": hex, \"beta\": hex}");
        }
        try {
          ballots[i].push_back(
              crypto::Ciphertext{group.from_hex_var(c.at("alpha").get_ref<const std::string&>()),
                                 group.from_hex_var(c.at("beta").get_ref<const std::string&>())});
        } catch (const std::exception& e) {
          throw FormatError(cw + ": " + e.what());
        }
      }
    }
  });
  return to_mix_list(group, ballots, w);
}

void write_list_file(const crypto::Group& group, const fs::path& path, const CiphertextList& list,
                     bool json) {
  if (!json) {
    write_file(path, ciphertexts_file(group, list));
    return;
  }
  const std::vector<crypto::CiphertextVector> ballots = to_haal_list(group, list);
  // Encoding (a field inversion per P-256 element) runs on all cores.
  std::vector<std::string> hex(2 * list.width * ballots.size());
  base::parallel_for(ballots.size(), 512, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      for (std::size_t k = 0; k < list.width; ++k) {
        hex[2 * (i * list.width + k)] = group.to_hex(ballots[i][k].alpha);
        hex[2 * (i * list.width + k) + 1] = group.to_hex(ballots[i][k].beta);
      }
    }
  });
  Json j = Json::array();
  for (std::size_t i = 0; i < ballots.size(); ++i) {
    Json b = Json::array();
    for (std::size_t k = 0; k < list.width; ++k) {
      b.push_back({{"alpha", std::move(hex[2 * (i * list.width + k)])},
                   {"beta", std::move(hex[2 * (i * list.width + k) + 1])}});
    }
    j.push_back(std::move(b));
  }
  const std::string text = j.dump() + "\n";
  write_file(path, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

MixRunResult mix_run(const MixRunOptions& options, crypto::RandomSource& rng) {
  const fs::path dir = options.proof_dir;
  MixRunResult result;
  bool json = false;
  if (!fs::exists(dir / "protInfo.xml")) {
    if (options.public_key_hex.empty()) {
      throw std::invalid_argument("a new mix session needs the election public key");
    }
    const crypto::Group& group = crypto::group_by_name(options.group);
    const CiphertextList input = read_list_file(group, options.in, std::nullopt, json);
    SessionSetup setup;
    setup.sid = options.sid;
    setup.auxsid = options.auxsid;
    setup.group_name = options.group;
    setup.width = input.width;
    setup.servers = options.servers;
    setup.y = group.to_compact_var(group.from_hex_var(options.public_key_hex));
    create_session(dir, setup, input);
  }
  const ProtocolInfo info = parse_protocol_info(base::read_file(dir / "protInfo.xml"));
  const crypto::Group& group = group_from_description(info.pgroup);
  const fs::path proofs = dir / "nizkp" / "proofs";
  unsigned l = 1;
  while (l <= info.nopart && fs::exists(proofs / ("Ciphertexts" + party_suffix(l) + ".bt"))) ++l;
  if (l > info.nopart) {
    throw std::runtime_error("all " + std::to_string(info.nopart) + " mix servers have shuffled");
  }
  const std::size_t width = std::stoul(base::read_file(dir / "nizkp" / "width"));
  const CiphertextList given = read_list_file(group, options.in, width, json);
  const fs::path expected_path = l == 1 ? dir / "nizkp" / "Ciphertexts.bt"
                                        : proofs / ("Ciphertexts" + party_suffix(l - 1) + ".bt");
  if (ciphertexts_file(group, given) != base::read_file_bytes(expected_path)) {
    throw std::runtime_error(options.in.string() + " is not the list mix server " +
                             std::to_string(l) + " must shuffle (" + expected_path.string() + ")");
  }
  const CiphertextList output = run_mix_server(dir, l, rng);
  write_list_file(group, options.out, output, json);
  result.server = l;
  result.servers = info.nopart;
  result.ciphertexts = output.size();
  result.width = width;
  return result;
}

SessionReport mix_verify(const fs::path& proof_dir, bool haal_profile) {
  VerifyOptions options;
  options.haal_profile = haal_profile;
  return verify_session(proof_dir / "protInfo.xml", proof_dir / "nizkp", options);
}

}  // namespace haal::mixnet
