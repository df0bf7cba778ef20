#include "election/ciphertext_shape.hpp"

#include "election/ballot.hpp"

namespace haal::election {

using crypto::FormatError;

namespace {
std::string at(const std::string& path, std::size_t index) {
  return path + "[" + std::to_string(index) + "]";
}
}  // namespace

CiphertextEncodings parse_ciphertext_encodings_var(const crypto::Group& group,
                                                   const crypto::Json& contest,
                                                   const std::string& path, std::size_t width) {
  const crypto::Json& ciphertexts = crypto::require_array(contest, "ciphertexts", path);
  if (ciphertexts.size() != width) {
    throw FormatError(path + ".ciphertexts", "expected " + std::to_string(width) +
                                                 " ciphertexts, found " +
                                                 std::to_string(ciphertexts.size()));
  }
  const std::size_t element_length = group.element_length();
  CiphertextEncodings out;
  for (std::size_t k = 0; k < width; ++k) {
    const std::string c_path = at(path + ".ciphertexts", k);
    const crypto::Json& c = ciphertexts[k];
    if (!c.is_object()) throw FormatError(c_path, "must be a JSON object");
    crypto::reject_unknown_fields(c, {"alpha", "beta"}, c_path);
    out.emplace_back(crypto::bytes_from_json(crypto::require_field(c, "alpha", c_path),
                                             c_path + ".alpha", element_length),
                     crypto::bytes_from_json(crypto::require_field(c, "beta", c_path),
                                             c_path + ".beta", element_length));
  }
  return out;
}

crypto::CiphertextVector decode_ciphertexts_var(const crypto::Group& group,
                                                const CiphertextEncodings& encodings,
                                                const std::string& path) {
  crypto::CiphertextVector out;
  for (std::size_t k = 0; k < encodings.size(); ++k) {
    const std::string c_path = at(path + ".ciphertexts", k);
    crypto::Ciphertext c;
    try {
      c.alpha = group.decode_var(encodings[k].first);
    } catch (const std::invalid_argument& e) {
      throw BallotRejected(BallotErrorCode::bad_element, c_path + ".alpha: " + e.what());
    }
    try {
      c.beta = group.decode_var(encodings[k].second);
    } catch (const std::invalid_argument& e) {
      throw BallotRejected(BallotErrorCode::bad_element, c_path + ".beta: " + e.what());
    }
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace haal::election
