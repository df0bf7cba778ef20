// Process-wide counts of the mod-p exponentiations by path, so that tests can check by
// behaviour, not by timing, that a caller's secrets took the constant-time path
// (tests/election/test_ballot.cpp, tests/mixnet/test_prover_secrets.cpp).
#pragma once

#include <cstdint>

namespace haal::crypto {

struct ExpPathCounts {
  std::uint64_t constant_time = 0;  // mpz_powm_sec, table exp, modp_multi_exp
  std::uint64_t variable_time = 0;  // mpz_powm / OpenSSL, table exp_var, modp_multi_exp_var
};

// Returns the counts so far (relaxed atomic reads: exact once the counted calls have returned).
ExpPathCounts exp_path_counts();
// Records one mod-p exponentiation call (a batch counts once) on the given path.
void count_exp_path(bool constant_time);

}  // namespace haal::crypto
