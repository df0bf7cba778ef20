#include "mixnet/session.hpp"

#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace haal::mixnet {

namespace fs = std::filesystem;

void write_file(const fs::path& path, ByteView data) {
  const fs::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) throw std::runtime_error("cannot create " + tmp.string());
    out.write(reinterpret_cast<const char*>(data.data()),
              static_cast<std::streamsize>(data.size()));
    if (!out) throw std::runtime_error("cannot write " + tmp.string());
  }
  fs::rename(tmp, path);
}

std::string party_suffix(unsigned l) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02u", l);
  return buf;
}

namespace {

void write_text(const fs::path& path, const std::string& text) {
  write_file(path, ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

unsigned parse_positive(const std::string& text, const std::string& what) {
  if (text.empty() || text.size() > 9 ||
      text.find_first_not_of("0123456789") != std::string::npos) {
    throw FormatError(what + ": not a positive integer: '" + text + "'");
  }
  const unsigned v = static_cast<unsigned>(std::stoul(text));
  if (v == 0) throw FormatError(what + ": must be positive");
  return v;
}

// Verificatum's syntax of session identifiers: at most 256 characters from [A-Za-z0-9], and
// '_' where `underscore` (vmnv reads <sid> and nizkp/auxsid with Protocol.validateSid, which
// allows '_' and the empty string; vmn -auxsid allows neither).
bool verificatum_id(std::string_view id, bool underscore) {
  if (id.size() > 256) return false;
  for (const char c : id) {
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && !(underscore && c == '_')) return false;
  }
  return true;
}

// Refuses the proof files of Verificatum's pre-computation (vmn -precomp, or -maxciph N): a
// proof of a shuffle of commitments (PoSCCommitmentLL.bt, PoSCReplyLL.bt) and a
// commitment-consistent proof of a shuffle (CCPoSCommitmentLL.bt, CCPoSReplyLL.bt, KeepListLL.bt)
// instead of PoSCommitmentLL.bt and PoSReplyLL.bt. Haal verifies only the latter.
void refuse_precomputation(const fs::path& proofs, unsigned active) {
  std::string found;
  if (fs::exists(proofs / "maxciph")) found = "maxciph";
  for (unsigned l = 1; l <= active && found.empty(); ++l) {
    for (const char* name : {"PoSCCommitment", "CCPoSCommitment"}) {
      const std::string file = std::string(name) + party_suffix(l) + ".bt";
      if (found.empty() && fs::exists(proofs / file)) found = file;
    }
  }
  if (!found.empty()) {
    throw FormatError(
        (proofs / found).string() +
        ": the session used Verificatum's pre-computation (vmn -precomp or -maxciph): its "
        "proofs are a proof of a shuffle of commitments and a commitment-consistent proof of a "
        "shuffle, which Haal does not verify (only PoSCommitmentLL.bt/PoSReplyLL.bt proofs); "
        "verify this session with Verificatum's vmnv");
  }
}

ProofParams params_of(const ProtocolInfo& info, const std::string& auxsid) {
  ProofParams p;
  p.n_r = info.statdist;
  p.n_v = info.vbitlenro;
  p.n_e = info.ebitlenro;
  p.rho = derive_rho(info, auxsid);
  return p;
}

// Placeholder for the parties' signature keys (a well-formed RSA key copied from a Verificatum
// test session; nobody holds its secret): Haal signs its records itself, and vmnv checks no
// signatures when verifying.
const char* kPlaceholderKey =
    "com.verificatum.crypto.SignaturePKeyHeuristic(RSA, bitlength=2048)::"
    "0000000002010000002d636f6d2e766572696669636174756d2e63727970746f2e5369676e6174757265504b"
    "65794865757269737469630000000002010000012630820122300d06092a864886f70d01010105000382010f"
    "003082010a0282010100d6fdb70a8142867758f0b570852f255e9e94558dd673eba1c4fe91ed1b6656731695"
    "e66a603401b6ce6a08e6c037920df7b3a60ffe612fb526cee07bfaea11174b4f3e4153b98fbeb27f05ab66d4"
    "5e613f7a83c495d8e498b574c4bcddfe1996f3540c7cd8233d8dc5c9909e6dcabdba2006fdc1f30958c2149b"
    "65a43fd8afafe06bc044fdd9364b250acee86f2289c52feebcbef185d8fded8f2a13f16ba121cdfa6b78c135"
    "fd9e28d72945bb74e0575bd887e3f4065bc698832acfec97ffb0c7e727643605952a4d6abacaee93813694ea"
    "ebdf2e7d6cd3461ac6e8869f47fac51833516e779109d399e2fa204d9425a099ca240e2625542608470d9f75"
    "c2ab0203010001010000000400000800";

}  // namespace

void create_session(const fs::path& dir, const SessionSetup& setup, const CiphertextList& input) {
  if (setup.sid.empty() || !verificatum_id(setup.sid, false))
    throw std::invalid_argument("session id must be 1 to 256 characters of [A-Za-z0-9]");
  if (setup.auxsid.empty() || !verificatum_id(setup.auxsid, false))
    throw std::invalid_argument("auxiliary session id must be 1 to 256 characters of [A-Za-z0-9]");
  if (setup.servers == 0 || setup.servers > 25) throw std::invalid_argument("1 to 25 mix servers");
  if (setup.width == 0 || input.width != setup.width) throw std::invalid_argument("width mismatch");
  const fs::path nizkp = dir / "nizkp";
  if (fs::exists(dir / "protInfo.xml") || fs::exists(nizkp)) {
    throw std::runtime_error(dir.string() + " already holds a mix session");
  }
  fs::create_directories(nizkp / "proofs");
  const crypto::Group& group = crypto::group_by_name(setup.group_name);
  ProtocolInfo info;
  info.sid = setup.sid;
  info.name = "Haal mix";
  info.nopart = setup.servers;
  info.thres = setup.servers;
  info.pgroup = verificatum_description(group);
  info.width = static_cast<unsigned>(setup.width);
  if ((!setup.party_names.empty() && setup.party_names.size() != setup.servers) ||
      (!setup.party_descriptions.empty() && setup.party_descriptions.size() != setup.servers)) {
    throw std::invalid_argument("one party name and description per mix server");
  }
  for (unsigned l = 1; l <= setup.servers; ++l) {
    PartyInfo party;
    party.name =
        setup.party_names.empty() ? "MixServer" + party_suffix(l) : setup.party_names[l - 1];
    if (!setup.party_descriptions.empty()) party.descr = setup.party_descriptions[l - 1];
    party.pkey = kPlaceholderKey;
    party.http = "http://127.0.0.1:" + std::to_string(8040 + l);
    party.hint = "127.0.0.1:" + std::to_string(4040 + l);
    info.parties.push_back(party);
  }
  write_text(dir / "protInfo.xml", write_protocol_info(info));
  write_text(nizkp / "version", info.version);
  write_text(nizkp / "type", "shuffling");
  write_text(nizkp / "auxsid", setup.auxsid);
  write_text(nizkp / "width", std::to_string(setup.width));
  write_text(nizkp / "proofs" / "activethreshold", std::to_string(setup.servers));
  write_file(nizkp / "FullPublicKey.bt", write_full_public_key(group, setup.y));
  write_file(nizkp / "Ciphertexts.bt", ciphertexts_file(group, input));
}

CiphertextList run_mix_server(const fs::path& dir, unsigned l, crypto::RandomSource& rng) {
  const ProtocolInfo info = parse_protocol_info(base::read_file(dir / "protInfo.xml"));
  const fs::path nizkp = dir / "nizkp";
  const fs::path proofs = nizkp / "proofs";
  if (l == 0 || l > info.nopart) throw std::invalid_argument("mix server index out of range");
  if (fs::exists(proofs / ("Ciphertexts" + party_suffix(l) + ".bt"))) {
    throw std::runtime_error("mix server " + std::to_string(l) + " has already shuffled");
  }
  const crypto::Group& group = group_from_description(info.pgroup);
  check_proof_parameters(info, is_haal_session_id(info.sid), (dir / "protInfo.xml").string());
  const std::string auxsid = base::read_file(nizkp / "auxsid");
  const std::size_t width = parse_positive(base::read_file(nizkp / "width"), "width");
  const Bytes y =
      read_full_public_key(group, base::read_file_bytes(nizkp / "FullPublicKey.bt"), "FullPublicKey.bt");
  const fs::path in_path =
      l == 1 ? nizkp / "Ciphertexts.bt" : proofs / ("Ciphertexts" + party_suffix(l - 1) + ".bt");
  if (!fs::exists(in_path)) {
    throw std::runtime_error("mix server " + std::to_string(l - 1) + " has not shuffled yet");
  }
  const CiphertextList input =
      parse_ciphertexts_file(group, base::read_file_bytes(in_path), width, 0, in_path.filename().string());
  ShuffleWitness witness;
  CiphertextList output = shuffle_ciphertexts(group, y, input, witness, rng);
  const std::string ll = party_suffix(l);
  if (input.size() > 0) {
    const ProofParams params = params_of(info, auxsid);
    const ElementArray h = derive_generators(group, params.rho, params.n_r, input.size());
    ShuffleInstance inst{&group, params, &h, y, &input, &output};
    const ShuffleProof proof = prove_shuffle(inst, witness, rng);
    write_file(proofs / ("PermutationCommitment" + ll + ".bt"),
               write_permutation_commitment(group, proof.u));
    BufferSink sink;
    ByteTreeWriter w(sink);
    write_pos_commitment(group, w, proof.commitment);
    write_file(proofs / ("PoSCommitment" + ll + ".bt"), sink.bytes);
    write_file(proofs / ("PoSReply" + ll + ".bt"), write_pos_reply(group, proof.reply));
  }
  const Bytes out_bytes = ciphertexts_file(group, output);
  write_file(proofs / ("Ciphertexts" + ll + ".bt"), out_bytes);
  if (l == info.nopart) write_file(nizkp / "ShuffledCiphertexts.bt", out_bytes);
  return output;
}

SessionReport verify_session(const fs::path& protinfo_xml, const fs::path& nizkp,
                             const VerifyOptions& options) {
  SessionReport report;
  const ProtocolInfo info = parse_protocol_info(base::read_file(protinfo_xml));
  report.haal_profile = options.haal_profile || is_haal_session_id(info.sid);
  check_proof_parameters(info, report.haal_profile, protinfo_xml.string());
  if (!verificatum_id(info.sid, true)) {
    throw FormatError(protinfo_xml.string() + " <sid>: '" + info.sid +
                      "' is not a Verificatum session identifier (at most 256 of [A-Za-z0-9_])");
  }
  const crypto::Group& group = group_from_description(info.pgroup);
  const fs::path proofs = nizkp / "proofs";
  const std::string version = base::read_file(nizkp / "version");
  if (version != info.version) {
    throw FormatError("nizkp/version: '" + version + "' differs from protInfo.xml's '" +
                      info.version + "'");
  }
  report.type = base::read_file(nizkp / "type");
  if (report.type != "shuffling" && report.type != "mixing") {
    throw FormatError("nizkp/type: '" + report.type + "' is not shuffling or mixing");
  }
  const std::string auxsid = base::read_file(nizkp / "auxsid");
  if (!verificatum_id(auxsid, true)) {
    throw FormatError("nizkp/auxsid: '" + auxsid +
                      "' is not a Verificatum session identifier (at most 256 of [A-Za-z0-9_])");
  }
  const std::size_t width = parse_positive(base::read_file(nizkp / "width"), "nizkp/width");
  const unsigned active =
      parse_positive(base::read_file(proofs / "activethreshold"), "proofs/activethreshold");
  if (active < info.thres || active > info.nopart) {
    throw FormatError("proofs/activethreshold: " + std::to_string(active) +
                      " outside [thres, nopart] = [" + std::to_string(info.thres) + ", " +
                      std::to_string(info.nopart) + "]");
  }
  refuse_precomputation(proofs, active);
  const Bytes y =
      read_full_public_key(group, base::read_file_bytes(nizkp / "FullPublicKey.bt"), "FullPublicKey.bt");
  CiphertextList current = parse_ciphertexts_file(group, base::read_file_bytes(nizkp / "Ciphertexts.bt"), width,
                                                  0, "Ciphertexts.bt");
  const std::size_t n = current.size();
  const ProofParams params = params_of(info, auxsid);
  report.rho = params.rho;
  if (n > 0) report.generators = derive_generators(group, params.rho, params.n_r, n);

  if (options.servers > active) {
    throw FormatError("proofs/activethreshold: " + std::to_string(active) + ", but server " +
                      std::to_string(options.servers) + " was to be checked");
  }
  const unsigned last = options.servers == 0 ? active : options.servers;
  for (unsigned l = 1; l <= last; ++l) {
    PartyReport party;
    party.index = l;
    party.name = info.parties[l - 1].name;
    const std::string ll = party_suffix(l);
    fs::path out_path = proofs / ("Ciphertexts" + ll + ".bt");
    if (l == active && !fs::exists(out_path)) out_path = nizkp / "ShuffledCiphertexts.bt";
    CiphertextList output =
        parse_ciphertexts_file(group, base::read_file_bytes(out_path), width, n, out_path.filename().string());
    if (n == 0) {
      // An empty list is a shuffle of an empty list only.
      party.verified = output.size() == 0;
      if (!party.verified) party.failure = "non-empty output for an empty input";
    } else {
      ShuffleProof proof;
      const std::string pc = "PermutationCommitment" + ll + ".bt";
      proof.u = read_permutation_commitment(group, base::read_file_bytes(proofs / pc), n, pc);
      const std::string cc = "PoSCommitment" + ll + ".bt";
      proof.commitment = read_pos_commitment(group, base::read_file_bytes(proofs / cc), n, width, cc);
      const std::string rc = "PoSReply" + ll + ".bt";
      proof.reply = read_pos_reply(group, base::read_file_bytes(proofs / rc), n, width, rc);
      ShuffleInstance inst{&group, params, &report.generators, y, &current, &output};
      party.failure = verify_shuffle(inst, proof, &party.trace);
      party.verified = party.failure.empty();
    }
    report.parties.push_back(party);
    if (!party.verified) {
      report.message = "mix server " + std::to_string(l) + " (" + party.name +
                       "): proof of shuffle rejected: " + party.failure;
      return report;
    }
    current = std::move(output);
  }
  if (last == active && report.type == "shuffling" &&
      fs::exists(nizkp / "ShuffledCiphertexts.bt")) {
    const CiphertextList final_list = parse_ciphertexts_file(
        group, base::read_file_bytes(nizkp / "ShuffledCiphertexts.bt"), width, n, "ShuffledCiphertexts.bt");
    for (std::size_t k = 0; k < width; ++k) {
      if (final_list.u[k].data != current.u[k].data || final_list.v[k].data != current.v[k].data) {
        report.message = "ShuffledCiphertexts.bt differs from the last mix server's output";
        return report;
      }
    }
  }
  report.output = std::move(current);
  report.ok = true;
  report.message = "all " + std::to_string(last) + " shuffles verified";
  return report;
}

}  // namespace haal::mixnet
