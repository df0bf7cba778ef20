// Conversions between Haal's crypto types (crypto::Group, Element, Ciphertext) and the mix-net's
// Verificatum-form arrays. The mix-net groups and Haal's groups are the same groups with the
// same generators; these functions check that and membership on the way in.
#pragma once

#include <vector>

#include "crypto/elgamal.hpp"
#include "crypto/group.hpp"
#include "mixnet/ciphertexts.hpp"

namespace haal::mixnet {

// Returns the mix-net group for Haal's group (same name); throws if the generators differ.
const MixGroup& mix_group_for(const crypto::Group& group);

// Returns the mix-net form of a Haal element. Variable time (public elements).
Bytes to_mix_element(const crypto::Group& group, const crypto::Element& e);
// Returns the Haal element of a mix-net element (membership-checked: P-256 points from their
// affine coordinates with OpenSSL's on-curve check, mod-p values by Haal's decoder).
crypto::Element to_haal_element(const crypto::Group& group, ByteView e);

// A list of N ballots, each a vector of w ciphertexts, as a mix-net list of width w.
// Precondition: every ballot has the same width w >= 1 (throws otherwise).
CiphertextList to_mix_list(const crypto::Group& group,
                           const std::vector<crypto::CiphertextVector>& ballots, std::size_t width);
std::vector<crypto::CiphertextVector> to_haal_list(const crypto::Group& group,
                                                   const CiphertextList& list);

}  // namespace haal::mixnet
