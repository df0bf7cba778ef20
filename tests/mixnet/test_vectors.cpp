#include "test_vectors.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace haal::mixnet::testing {

TestVectors read_test_vectors(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  TestVectors out;
  std::string line;
  while (std::getline(in, line)) {
    if (line != "TEST VECTOR") continue;
    std::string header, value;
    std::getline(in, header);
    std::getline(in, value);
    out[header.substr(0, header.find(" - "))].push_back(value);
  }
  return out;
}

std::vector<mpz_class> hex_integers(const std::string& value) {
  std::vector<mpz_class> out;
  std::string token;
  auto flush = [&]() {
    if (token.empty()) return;
    if (token == "INFINITY") {
      out.emplace_back(-1);
      out.emplace_back(-1);
    } else {
      out.emplace_back(token, 16);
    }
    token.clear();
  };
  for (char c : value) {
    if (c == '(' || c == ')' || c == ',' || c == ' ') {
      flush();
    } else {
      token += c;
    }
  }
  flush();
  return out;
}

}  // namespace haal::mixnet::testing
