// Submitting a ballot or challenge so that a lost answer loses nothing: the collector commits
// before it answers (docs/api.md section 7), so when the connection drops or times out after the
// request was sent, the entry may be on the board without the client knowing. The client then
// looks it up by tracking code and, if it is not there, re-sends the very same bytes (the
// collector answers a copy of an entry on its board with that entry's receipt).
#pragma once

#include <optional>
#include <string>

#include "collector/client/http_client.hpp"

namespace haal::collector {

// Returns GET /api/ballots/{tracking_code}'s receipt JSON if an entry of `kind` ("ballot" or
// "challenge") with this tracking code is on the board and signed; nullopt if there is none
// (404) or it is not yet covered by a signed head (503). Throws std::runtime_error on a
// transport error or any other answer.
std::optional<Json> lookup_receipt(httplib::Client& client, const std::string& tracking_code,
                                   const std::string& kind);

// POSTs `body` to `path` (/api/ballots or /api/challenges); on a transport error (no answer) or
// a 502/503/504 answer (a failover or store outage, docs/deploy.md section 7) looks the entry up
// by `tracking_code` and returns {200, receipt} if it is on the board, else re-sends the same
// bytes, up to `attempts` sends in all, waiting 1 s, 2 s, ... between tries. Returns the
// collector's answer (a receipt on 200, an error otherwise, also the last 502/503/504). Throws
// std::runtime_error if no attempt got an answer.
JsonResponse submit_once(httplib::Client& client, const std::string& path, const Json& body,
                         const std::string& tracking_code, int attempts = 4);

}  // namespace haal::collector
