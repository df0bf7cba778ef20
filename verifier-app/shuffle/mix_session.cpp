#include "verifier-app/shuffle/mix_session.hpp"

#include <charconv>

#include "crypto/base/parallel.hpp"
#include "verifier-app/shuffle/haal_profile.hpp"

namespace haal::verifier::shuffle {

namespace {

std::string strip_comments(std::string_view xml) {
  std::string out;
  std::size_t pos = 0;
  while (pos < xml.size()) {
    const std::size_t open = xml.find("<!--", pos);
    if (open == std::string_view::npos) {
      out.append(xml.substr(pos));
      break;
    }
    out.append(xml.substr(pos, open - pos));
    const std::size_t close = xml.find("-->", open + 4);
    if (close == std::string_view::npos) throw VmnFormatError("protInfo.xml: unterminated comment");
    pos = close + 3;
  }
  return out;
}

std::string tag(const std::string& xml, const std::string& name) {
  const std::string open = "<" + name + ">";
  const std::string close = "</" + name + ">";
  const std::size_t a = xml.find(open);
  if (a == std::string::npos) throw VmnFormatError("protInfo.xml: <" + name + "> missing");
  const std::size_t b = xml.find(close, a);
  if (b == std::string::npos) throw VmnFormatError("protInfo.xml: <" + name + "> not closed");
  return xml.substr(a + open.size(), b - a - open.size());
}

unsigned number(const std::string& text, const std::string& what) {
  unsigned v = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    throw VmnFormatError(what + ": not a decimal number: \"" + text + "\"");
  }
  return v;
}

std::string text_of(const Bytes& b) {
  return std::string(b.begin(), b.end());
}

// nizkp text files hold one value, possibly followed by a newline.
std::string trimmed(const Bytes& b) {
  std::string s = text_of(b);
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string two_digits(unsigned l) {
  return (l < 10 ? "0" : "") + std::to_string(l);
}

}  // namespace

ProtocolInfo parse_protocol_info(std::string_view raw) {
  const std::string xml = strip_comments(raw);
  ProtocolInfo info;
  info.version = tag(xml, "version");
  info.sid = tag(xml, "sid");
  info.nopart = number(tag(xml, "nopart"), "protInfo.xml <nopart>");
  info.thres = number(tag(xml, "thres"), "protInfo.xml <thres>");
  info.statdist = number(tag(xml, "statdist"), "protInfo.xml <statdist>");
  info.keywidth = number(tag(xml, "keywidth"), "protInfo.xml <keywidth>");
  info.vbitlen = number(tag(xml, "vbitlen"), "protInfo.xml <vbitlen>");
  info.vbitlenro = number(tag(xml, "vbitlenro"), "protInfo.xml <vbitlenro>");
  info.ebitlen = number(tag(xml, "ebitlen"), "protInfo.xml <ebitlen>");
  info.ebitlenro = number(tag(xml, "ebitlenro"), "protInfo.xml <ebitlenro>");
  info.prg = tag(xml, "prg");
  info.rohash = tag(xml, "rohash");
  info.pgroup = tag(xml, "pgroup");
  info.corr = tag(xml, "corr");
  return info;
}

Bytes derive_rho(const ProtocolInfo& info, std::string_view auxsid) {
  crypto::Sha256 h;
  TreeHasher t(h);
  t.node(8);
  t.leaf(info.version);
  t.leaf(info.sid + "." + std::string(auxsid));
  t.leaf_u32(info.statdist);
  t.leaf_u32(info.vbitlenro);
  t.leaf_u32(info.ebitlenro);
  t.leaf(info.prg);
  t.leaf(info.pgroup);
  t.leaf(info.rohash);
  const crypto::Digest d = h.finish();
  return Bytes(d.begin(), d.end());
}

Bytes derive_generator_array(const VmnGroup& group, ByteView rho, unsigned n_r, std::size_t n,
                             const Workers& workers) {
  RandomOracle ro(256);
  ro.hash().update(rho);
  TreeHasher(ro.hash()).leaf(std::string_view("generators"));
  Prg prg(ro.output());
  Bytes out = node_header(static_cast<std::uint32_t>(n));
  const Bytes elements = group.derive_generators(prg, n, n_r, workers);
  out.insert(out.end(), elements.begin(), elements.end());
  return out;
}

bool MixChainResult::ok() const {
  if (!errors.empty() || servers.empty()) return false;
  for (const auto& s : servers) {
    if (!s.failure.empty()) return false;
  }
  return true;
}

MixChainResult verify_mix_directory(const VmnGroup& group, const FileSource& files,
                                    const Workers& workers, bool with_traces) {
  MixChainResult out;
  const auto need = [&](const std::string& path) -> Bytes {
    auto b = files(path);
    if (!b) throw VmnFormatError(path + ": missing");
    return std::move(*b);
  };
  out.info = parse_protocol_info(text_of(need("protInfo.xml")));
  const ProtocolInfo& info = out.info;
  if (info.pgroup != group.description()) {
    out.errors.push_back("protInfo.xml <pgroup>: not the election's group " + group.group().name());
    return out;
  }
  if (info.corr != "noninteractive") {
    out.errors.push_back("protInfo.xml <corr>: proofs must be non-interactive");
    return out;
  }
  const std::string version = trimmed(need("nizkp/version"));
  if (version != info.version) {
    out.errors.push_back("nizkp/version: \"" + version + "\" differs from protInfo.xml's \"" +
                         info.version + "\"");
  }
  out.type = trimmed(need("nizkp/type"));
  if (out.type != "shuffling" && out.type != "mixing") {
    out.errors.push_back("nizkp/type: \"" + out.type + "\" is neither shuffling nor mixing");
  }
  out.auxsid = trimmed(need("nizkp/auxsid"));
  out.width = number(trimmed(need("nizkp/width")), "nizkp/width");
  if (out.width == 0) throw VmnFormatError("nizkp/width: zero");
  // Haal's profile: under any other proof parameter (a short challenge above all) a proof can
  // be forged, so no proof is verified under them.
  const std::vector<std::string> profile = haal_profile_violations(info);
  if (!profile.empty()) {
    out.errors.insert(out.errors.end(), profile.begin(), profile.end());
    return out;
  }
  const unsigned active =
      number(trimmed(need("nizkp/proofs/activethreshold")), "nizkp/proofs/activethreshold");
  if (active < info.thres || active > info.nopart || active == 0) {
    out.errors.push_back("nizkp/proofs/activethreshold: " + std::to_string(active) +
                         " servers, expected between <thres> " + std::to_string(info.thres) +
                         " and <nopart> " + std::to_string(info.nopart));
    return out;
  }
  out.rho = derive_rho(info, out.auxsid);
  const Bytes pk_file = need("nizkp/FullPublicKey.bt");
  out.public_key = read_full_public_key(group, pk_file, "nizkp/FullPublicKey.bt");

  out.input_file = need("nizkp/Ciphertexts.bt");
  const CiphertextListView first =
      read_ciphertext_list(group, out.input_file, out.width, 0, "nizkp/Ciphertexts.bt");
  out.count = first.count;
  const Bytes h_bytes = derive_generator_array(group, out.rho, info.statdist, out.count, workers);
  TreeReader h_reader(h_bytes, "generators");
  const ArrayView h = read_array(h_reader, group, out.count, "h");

  // Every server's files stay in memory until the chain is verified (the views point into them).
  const std::string prefix = "nizkp/proofs/";
  std::vector<Bytes> proof_files;  // 3 per server
  std::vector<Bytes> list_files;   // L_1 .. L_active
  proof_files.reserve(3 * active);
  list_files.reserve(active);
  std::vector<CiphertextListView> lists;  // L_0 .. L_active
  lists.reserve(active + 1);
  lists.push_back(first);
  std::vector<ShuffleProof> proofs;
  for (unsigned l = 1; l <= active; ++l) {
    const std::string ll = two_digits(l);
    const Bytes& u_file =
        proof_files.emplace_back(need(prefix + "PermutationCommitment" + ll + ".bt"));
    const Bytes& c_file = proof_files.emplace_back(need(prefix + "PoSCommitment" + ll + ".bt"));
    const Bytes& r_file = proof_files.emplace_back(need(prefix + "PoSReply" + ll + ".bt"));
    const Bytes& output_file = list_files.emplace_back(need(prefix + "Ciphertexts" + ll + ".bt"));
    lists.push_back(read_ciphertext_list(group, output_file, out.width, out.count,
                                         prefix + "Ciphertexts" + ll + ".bt"));
    ShuffleProof& proof = proofs.emplace_back();
    proof.u = read_permutation_commitment(group, u_file, out.count,
                                          prefix + "PermutationCommitment" + ll + ".bt");
    proof.commitment = read_pos_commitment(group, c_file, out.count, out.width,
                                           prefix + "PoSCommitment" + ll + ".bt");
    proof.reply =
        read_pos_reply(group, r_file, out.count, out.width, prefix + "PoSReply" + ll + ".bt");
  }
  std::vector<ShuffleInstance> instances(active);
  for (unsigned l = 1; l <= active; ++l) {
    ShuffleInstance& instance = instances[l - 1];
    instance.group = &group;
    instance.rho = out.rho;
    instance.n_e = info.ebitlenro;
    instance.n_v = info.vbitlenro;
    instance.generators = &h;
    instance.y = out.public_key;
    instance.input = &lists[l - 1];
    instance.output = &lists[l];
    instance.workers = workers;
  }
  std::vector<std::string> failures;
  if (with_traces) {
    for (unsigned l = 1; l <= active; ++l) {
      ServerResult result;
      result.index = l;
      result.failure = verify_shuffle_var(instances[l - 1], proofs[l - 1], &result.trace);
      out.servers.push_back(std::move(result));
    }
  } else {
    failures = verify_shuffle_chain_var(instances, proofs);
    for (unsigned l = 1; l <= active; ++l) {
      ServerResult result;
      result.index = l;
      result.failure = std::move(failures[l - 1]);
      out.servers.push_back(std::move(result));
    }
  }
  out.output_file = std::move(list_files.back());  // active >= 1 (checked above)
  if (auto shuffled = files("nizkp/ShuffledCiphertexts.bt")) {
    if (*shuffled != out.output_file) {
      out.errors.push_back(
          "nizkp/ShuffledCiphertexts.bt: differs from the last server's output "
          "proofs/Ciphertexts" +
          two_digits(active) + ".bt");
    }
  } else if (out.type == "shuffling") {
    out.errors.push_back("nizkp/ShuffledCiphertexts.bt: missing");
  }
  return out;
}

std::vector<std::vector<crypto::Ciphertext>> decode_ciphertexts(const VmnGroup& group,
                                                                const CiphertextListView& list,
                                                                const Workers& workers) {
  std::vector<std::vector<crypto::Ciphertext>> out(list.count,
                                                   std::vector<crypto::Ciphertext>(list.width));
  base::Progress progress("decode ciphertexts", list.count, workers.progress);
  base::parallel_for(
      list.count, 1024,
      [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
          for (std::size_t j = 0; j < list.width; ++j) {
            out[i][j].alpha = list.u[j].decode_var(group, i);
            out[i][j].beta = list.v[j].decode_var(group, i);
          }
        }
      },
      &progress, workers.threads);
  return out;
}

}  // namespace haal::verifier::shuffle

namespace haal::verifier::shuffle {

MixOutput read_mix_output(const VmnGroup& group, const FileSource& files, const Workers& workers) {
  const auto need = [&](const std::string& path) -> Bytes {
    auto b = files(path);
    if (!b) throw VmnFormatError(path + ": missing");
    return std::move(*b);
  };
  const auto text = [&](const std::string& path) {
    const Bytes b = need(path);
    std::string s(b.begin(), b.end());
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
  };
  MixOutput out;
  const std::string width = text("nizkp/width");
  const std::string active = text("nizkp/proofs/activethreshold");
  const auto number = [](const std::string& s, const std::string& what) {
    if (s.empty() || s.size() > 6 || s.find_first_not_of("0123456789") != std::string::npos) {
      throw VmnFormatError(what + ": not a small decimal number");
    }
    return static_cast<unsigned>(std::stoul(s));
  };
  out.width = number(width, "nizkp/width");
  const unsigned l = number(active, "nizkp/proofs/activethreshold");
  if (out.width == 0 || l == 0) throw VmnFormatError("nizkp: zero width or no mix server");
  out.path =
      "nizkp/proofs/Ciphertexts" + std::string(l < 10 ? "0" : "") + std::to_string(l) + ".bt";
  const Bytes file = need(out.path);
  const CiphertextListView list = read_ciphertext_list(group, file, out.width, 0, out.path);
  out.ciphertexts = decode_ciphertexts(group, list, workers);
  return out;
}

}  // namespace haal::verifier::shuffle
