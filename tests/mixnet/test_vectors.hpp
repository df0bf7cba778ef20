// Reads the intermediate values printed by `vmnv -t` (TEST VECTOR blocks) for comparison.
#pragma once

#include <gmpxx.h>

#include <map>
#include <string>
#include <vector>

namespace haal::mixnet::testing {

// name -> values in order of appearance (PoS.* repeat once per mix server).
using TestVectors = std::map<std::string, std::vector<std::string>>;

TestVectors read_test_vectors(const std::string& path);
// Hex integers of a printed value, in order, ignoring parentheses, commas and spaces
// ("(INFINITY)" reads as -1, -1).
std::vector<mpz_class> hex_integers(const std::string& value);

}  // namespace haal::mixnet::testing
