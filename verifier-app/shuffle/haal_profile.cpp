#include "verifier-app/shuffle/haal_profile.hpp"

namespace haal::verifier::shuffle {

std::vector<std::string> haal_profile_violations(const ProtocolInfo& info) {
  std::vector<std::string> out;
  const auto text = [&out](const char* tag, const std::string& value, const char* required) {
    if (value != required) {
      out.push_back(std::string("protInfo.xml <") + tag + ">: \"" + value +
                    "\", Haal's profile requires \"" + required + "\"");
    }
  };
  const auto number = [&out](const char* tag, unsigned value, unsigned required) {
    if (value != required) {
      out.push_back(std::string("protInfo.xml <") + tag + ">: " + std::to_string(value) +
                    ", Haal's profile requires " + std::to_string(required));
    }
  };
  using P = HaalProfile;
  text("version", info.version, P::kVersion);
  number("statdist", info.statdist, P::kStatdist);
  number("keywidth", info.keywidth, P::kKeywidth);
  number("vbitlen", info.vbitlen, P::kVbitlen);
  number("vbitlenro", info.vbitlenro, P::kVbitlenro);
  number("ebitlen", info.ebitlen, P::kEbitlen);
  number("ebitlenro", info.ebitlenro, P::kEbitlenro);
  text("prg", info.prg, P::kPrg);
  text("rohash", info.rohash, P::kRohash);
  return out;
}

}  // namespace haal::verifier::shuffle
