#include "crypto/json_strict.hpp"

#include <set>
#include <vector>

namespace haal::crypto {

DuplicateKeyError::DuplicateKeyError(std::string path, std::string key)
    : std::invalid_argument((path.empty() ? key : path + "." + key) + ": duplicate key"),
      path_(std::move(path)),
      key_(std::move(key)) {}

std::string DuplicateKeyError::field_path() const {
  return path_.empty() ? key_ : path_ + "." + key_;
}

namespace {

// nlohmann's DOM builder behind a SAX handler that also remembers, per open object, the keys
// seen so far, and per open array, the index of the element being read (for the error path).
class DuplicateRefusingSax {
 public:
  explicit DuplicateRefusingSax(Json& result) : dom_(result, true) {}

  bool null() { return scalar(dom_.null()); }
  bool boolean(bool value) { return scalar(dom_.boolean(value)); }
  bool number_integer(Json::number_integer_t value) { return scalar(dom_.number_integer(value)); }
  bool number_unsigned(Json::number_unsigned_t value) {
    return scalar(dom_.number_unsigned(value));
  }
  bool number_float(Json::number_float_t value, const Json::string_t& text) {
    return scalar(dom_.number_float(value, text));
  }
  bool string(Json::string_t& value) { return scalar(dom_.string(value)); }
  bool binary(Json::binary_t& value) { return scalar(dom_.binary(value)); }

  bool start_object(std::size_t elements) {
    frames_.push_back(Frame{true, 0, {}, {}});
    return dom_.start_object(elements);
  }
  bool key(Json::string_t& key) {
    Frame& frame = frames_.back();
    if (!frame.keys.insert(key).second) throw DuplicateKeyError(open_path(), key);
    frame.key = key;
    return dom_.key(key);
  }
  bool end_object() { return container_end(dom_.end_object()); }
  bool start_array(std::size_t elements) {
    frames_.push_back(Frame{false, 0, {}, {}});
    return dom_.start_array(elements);
  }
  bool end_array() { return container_end(dom_.end_array()); }

  template <class Exception>
  bool parse_error(std::size_t position, const std::string& last_token, const Exception& error) {
    return dom_.parse_error(position, last_token, error);  // throws: exceptions are allowed
  }

 private:
  struct Frame {
    bool object;
    std::size_t index;  // arrays: index of the element being read
    std::string key;    // objects: key of the member being read
    std::set<std::string> keys;
  };

  bool scalar(bool ok) {
    value_done();
    return ok;
  }
  bool container_end(bool ok) {
    frames_.pop_back();
    value_done();
    return ok;
  }
  void value_done() {
    if (!frames_.empty() && !frames_.back().object) ++frames_.back().index;
  }
  // The path of the innermost open container, e.g. "contests[2]".
  std::string open_path() const {
    std::string path;
    for (std::size_t i = 0; i + 1 < frames_.size(); ++i) {
      if (frames_[i].object) {
        path += (path.empty() ? "" : ".") + frames_[i].key;
      } else {
        path += "[" + std::to_string(frames_[i].index) + "]";
      }
    }
    return path;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  std::vector<Frame> frames_;
};

}  // namespace

Json parse_json_rejecting_duplicate_keys(std::string_view text) {
  Json result;
  DuplicateRefusingSax sax(result);
  Json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json,
                  /*strict=*/true, /*ignore_comments=*/false);
  return result;
}

}  // namespace haal::crypto
