// Conversions between lists of Haal ballots (crypto::CiphertextVector, one per ballot) and the
// mix-net's lists of width w (compact element arrays, crypto/group.hpp).
#pragma once

#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/group.hpp"
#include "mixnet/ciphertexts.hpp"

namespace haal::mixnet {

// Returns N ballots, each a vector of w ciphertexts, as a mix-net list of width w, converted on
// all cores. Throws std::invalid_argument unless every ballot has width w >= 1.
CiphertextList to_mix_list(const crypto::Group& group,
                           const std::vector<crypto::CiphertextVector>& ballots, std::size_t width);
// Returns the ballots of a mix-net list (membership-checked: crypto::Group::from_compact_var).
std::vector<crypto::CiphertextVector> to_haal_list(const crypto::Group& group,
                                                   const CiphertextList& list);

}  // namespace haal::mixnet
