// How the collector clients of `haal` (vote, receipt check, polls, tally close, loadgen) choose
// their TLS trust anchor, in one place.
#pragma once

#include "cli/args.hpp"
#include "collector/client/http_client.hpp"
#include "election/context.hpp"

namespace haal::cli {

// The usage lines shared by the collector clients.
inline constexpr const char* kCaCertUsage =
    "  --ca-cert FILE: trust exactly this CA (or self-signed) certificate for https; without it,\n"
    "      ELECTION_DIR/collector-ca.pem when --election DIR holds one, else the system's store\n";

// Returns the client options of a command whose Args may hold --ca-cert and --election:
// --ca-cert FILE, else ELECTION_DIR/collector-ca.pem if present, else the system's trust store
// (collector::choose_ca_cert). Not constant time (reads the file system).
collector::ClientOptions client_options(const Args& args);

// The election a collector serves (GET /api/election), checked as a voter's client must: the
// context hashes to the served context_hash, equals ELECTION_DIR/context.json when --election
// DIR holds one, and the served collector key is the one the context pins. Throws
// std::runtime_error naming the mismatch. Not constant time (public data).
election::ElectionContext fetch_served_election(httplib::Client& client, const Args& args);

}  // namespace haal::cli
