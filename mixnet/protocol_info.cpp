#include "mixnet/protocol_info.hpp"

#include <charconv>

#include "crypto/sha256.hpp"
#include "mixnet/byte_tree.hpp"

namespace haal::mixnet {

namespace {

std::string strip_comments(std::string_view xml) {
  std::string out;
  std::size_t pos = 0;
  while (pos < xml.size()) {
    const std::size_t start = xml.find("<!--", pos);
    if (start == std::string_view::npos) {
      out.append(xml.substr(pos));
      break;
    }
    out.append(xml.substr(pos, start - pos));
    const std::size_t end = xml.find("-->", start + 4);
    if (end == std::string_view::npos) throw FormatError("protInfo.xml: unterminated comment");
    pos = end + 3;
  }
  return out;
}

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return "";
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// Returns the text of the unique <tag>...</tag> in `section` (which must not contain nested
// elements of the same name).
std::string tag_value(std::string_view section, const std::string& tag, const std::string& where,
                      bool required = true) {
  const std::string open = "<" + tag + ">";
  const std::string close = "</" + tag + ">";
  const std::size_t start = section.find(open);
  if (start == std::string_view::npos) {
    if (!required) return "";
    throw FormatError("protInfo.xml: " + where + ": missing <" + tag + ">");
  }
  const std::size_t end = section.find(close, start);
  if (end == std::string_view::npos) {
    throw FormatError("protInfo.xml: " + where + ": unterminated <" + tag + ">");
  }
  if (section.find(open, start + open.size()) != std::string_view::npos) {
    throw FormatError("protInfo.xml: " + where + ": duplicate <" + tag + ">");
  }
  const std::string_view text = section.substr(start + open.size(), end - start - open.size());
  if (text.find('<') != std::string_view::npos) {
    throw FormatError("protInfo.xml: " + where + ": <" + tag + "> holds markup");
  }
  return trim(text);
}

unsigned tag_uint(std::string_view section, const std::string& tag, const std::string& where) {
  const std::string text = tag_value(section, tag, where);
  unsigned value = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty()) {
    throw FormatError("protInfo.xml: " + where + ": <" + tag + "> is not an unsigned integer: '" +
                      text + "'");
  }
  return value;
}

}  // namespace

ProtocolInfo parse_protocol_info(std::string_view xml_text) {
  const std::string xml = strip_comments(xml_text);
  const std::size_t root_open = xml.find("<protocol>");
  const std::size_t root_close = xml.rfind("</protocol>");
  if (root_open == std::string::npos || root_close == std::string::npos || root_close < root_open) {
    throw FormatError("protInfo.xml: missing <protocol> root element");
  }
  const std::string_view body =
      std::string_view(xml).substr(root_open + 10, root_close - root_open - 10);
  const std::size_t first_party = body.find("<party>");
  const std::string_view top = body.substr(0, first_party);

  ProtocolInfo info;
  info.version = tag_value(top, "version", "protocol");
  info.sid = tag_value(top, "sid", "protocol");
  info.name = tag_value(top, "name", "protocol", false);
  info.descr = tag_value(top, "descr", "protocol", false);
  info.nopart = tag_uint(top, "nopart", "protocol");
  info.statdist = tag_uint(top, "statdist", "protocol");
  info.bullboard = tag_value(top, "bullboard", "protocol", false);
  info.thres = tag_uint(top, "thres", "protocol");
  info.pgroup = tag_value(top, "pgroup", "protocol");
  info.keywidth = tag_uint(top, "keywidth", "protocol");
  info.vbitlen = tag_uint(top, "vbitlen", "protocol");
  info.vbitlenro = tag_uint(top, "vbitlenro", "protocol");
  info.ebitlen = tag_uint(top, "ebitlen", "protocol");
  info.ebitlenro = tag_uint(top, "ebitlenro", "protocol");
  info.prg = tag_value(top, "prg", "protocol");
  info.rohash = tag_value(top, "rohash", "protocol");
  info.corr = tag_value(top, "corr", "protocol", false);
  info.width = tag_uint(top, "width", "protocol");
  info.maxciph = tag_uint(top, "maxciph", "protocol");

  if (info.sid.empty()) throw FormatError("protInfo.xml: protocol: empty <sid>");
  if (info.prg != "SHA-256") {
    throw FormatError("protInfo.xml: protocol: <prg> '" + info.prg +
                      "' unsupported (SHA-256 only)");
  }
  if (info.rohash != "SHA-256") {
    throw FormatError("protInfo.xml: protocol: <rohash> '" + info.rohash +
                      "' unsupported (SHA-256 only)");
  }
  if (info.keywidth != 1) throw FormatError("protInfo.xml: protocol: <keywidth> must be 1");
  if (info.width == 0) throw FormatError("protInfo.xml: protocol: <width> must be positive");

  std::size_t pos = first_party;
  while (pos != std::string_view::npos) {
    const std::size_t end = body.find("</party>", pos);
    if (end == std::string_view::npos) throw FormatError("protInfo.xml: unterminated <party>");
    const std::string_view section = body.substr(pos + 7, end - pos - 7);
    const std::string where = "party " + std::to_string(info.parties.size() + 1);
    PartyInfo party;
    party.name = tag_value(section, "name", where);
    party.srtbyrole = tag_value(section, "srtbyrole", where, false);
    party.descr = tag_value(section, "descr", where, false);
    party.pkey = tag_value(section, "pkey", where, false);
    party.http = tag_value(section, "http", where, false);
    party.hint = tag_value(section, "hint", where, false);
    info.parties.push_back(std::move(party));
    pos = body.find("<party>", end);
  }
  if (info.parties.size() != info.nopart) {
    throw FormatError("protInfo.xml: <nopart> is " + std::to_string(info.nopart) + " but " +
                      std::to_string(info.parties.size()) + " <party> entries are present");
  }
  if (info.thres == 0 || info.thres > info.nopart) {
    throw FormatError("protInfo.xml: protocol: <thres> must be in [1, nopart]");
  }
  return info;
}

std::string write_protocol_info(const ProtocolInfo& info) {
  std::string out = "<protocol>\n";
  auto field = [&out](const char* indent, const char* tag, const std::string& value) {
    out += std::string(indent) + "<" + tag + ">" + value + "</" + tag + ">\n";
  };
  const char* in1 = "   ";
  field(in1, "version", info.version);
  field(in1, "sid", info.sid);
  field(in1, "name", info.name);
  field(in1, "descr", info.descr);
  field(in1, "nopart", std::to_string(info.nopart));
  field(in1, "statdist", std::to_string(info.statdist));
  field(in1, "bullboard", info.bullboard);
  field(in1, "thres", std::to_string(info.thres));
  field(in1, "pgroup", info.pgroup);
  field(in1, "keywidth", std::to_string(info.keywidth));
  field(in1, "vbitlen", std::to_string(info.vbitlen));
  field(in1, "vbitlenro", std::to_string(info.vbitlenro));
  field(in1, "ebitlen", std::to_string(info.ebitlen));
  field(in1, "ebitlenro", std::to_string(info.ebitlenro));
  field(in1, "prg", info.prg);
  field(in1, "rohash", info.rohash);
  field(in1, "corr", info.corr);
  field(in1, "width", std::to_string(info.width));
  field(in1, "maxciph", std::to_string(info.maxciph));
  const char* in2 = "      ";
  for (const PartyInfo& party : info.parties) {
    out += "   <party>\n";
    field(in2, "name", party.name);
    field(in2, "srtbyrole", party.srtbyrole);
    field(in2, "descr", party.descr);
    field(in2, "pkey", party.pkey);
    field(in2, "http", party.http);
    field(in2, "hint", party.hint);
    out += "   </party>\n";
  }
  out += "</protocol>\n";
  return out;
}

bool is_haal_session_id(std::string_view sid) {
  if (sid.size() != 68 || sid.substr(0, 4) != "Haal") return false;
  return sid.substr(4).find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

void check_proof_parameters(const ProtocolInfo& info, bool haal_profile, std::string_view where) {
  const std::string at = std::string(where) + " ";
  const auto text = [&](const char* tag, const std::string& value, std::string_view required) {
    if (value != required) {
      throw FormatError(at + "<" + tag + ">: '" + value + "', " +
                        (haal_profile ? "Haal's profile requires '" : "Haal requires '") +
                        std::string(required) + "'");
    }
  };
  const auto number = [&](const char* tag, unsigned value, unsigned required) {
    if (haal_profile ? value != required : value < required || value > profile::kMaxBits) {
      throw FormatError(at + "<" + tag + ">: " + std::to_string(value) +
                        (haal_profile ? ", Haal's profile requires " + std::to_string(required)
                                      : ", Haal requires " + std::to_string(required) + " to " +
                                            std::to_string(profile::kMaxBits) +
                                            " (never weaker than Haal's profile)"));
    }
  };
  text("version", info.version, profile::kVersion);
  number("statdist", info.statdist, profile::kStatdist);
  text("keywidth", std::to_string(info.keywidth), std::to_string(profile::kKeywidth));
  number("vbitlen", info.vbitlen, profile::kVbitlen);
  number("vbitlenro", info.vbitlenro, profile::kVbitlenro);
  number("ebitlen", info.ebitlen, profile::kEbitlen);
  number("ebitlenro", info.ebitlenro, profile::kEbitlenro);
  text("prg", info.prg, profile::kPrg);
  text("rohash", info.rohash, profile::kRohash);
}

crypto::Bytes derive_rho(const ProtocolInfo& info, std::string_view auxsid) {
  BufferSink sink;
  ByteTreeWriter w(sink);
  w.node(8);
  w.leaf_string(info.version);
  w.leaf_string(info.sid + "." + std::string(auxsid));
  w.leaf_u32(info.statdist);
  w.leaf_u32(info.vbitlenro);
  w.leaf_u32(info.ebitlenro);
  w.leaf_string(info.prg);
  w.leaf_string(info.pgroup);
  w.leaf_string(info.rohash);
  const crypto::Digest d = crypto::sha256(sink.bytes);
  return crypto::Bytes(d.begin(), d.end());
}

}  // namespace haal::mixnet
