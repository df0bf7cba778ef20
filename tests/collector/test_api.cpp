// The collector's API end to end over real HTTP, run against SQLite always and PostgreSQL when
// HAAL_TEST_POSTGRES_URL is set: every rejection path answers its status, code and a precise
// message and leaves the board unchanged; receipts verify; polls open and close; the final head.
#include <catch2/catch.hpp>
#include <thread>

#include "board/receipt.hpp"
#include "collector/protocol/officials_request.hpp"
#include "collector_fixture.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/sha256.hpp"
#include "election/cast_check.hpp"
#include "election/roll.hpp"

using namespace haal;
using namespace haal::collector;
using namespace haal::collector::testing;

namespace {

std::uint64_t board_size(httplib::Client& c) {
  const auto r = get_json(c, "/healthz");
  REQUIRE(r.status == 200);
  return r.body.at("board_size").get<std::uint64_t>();
}

// POSTs `body` and checks the rejection: status, code, a message containing `message_part`,
// and that the board did not change.
void expect_rejected(httplib::Client& c, const std::string& path, const std::string& body,
                     int status, const std::string& code, const std::string& message_part) {
  INFO("expecting " << status << " " << code);
  const std::uint64_t before = board_size(c);
  const auto result = c.Post(path.c_str(), body, "application/json");
  REQUIRE(result);
  CHECK(result->status == status);
  const Json j = Json::parse(result->body, nullptr, false);
  REQUIRE(j.is_object());
  CHECK(j["error"]["code"] == code);
  CHECK_THAT(j["error"]["message"].get<std::string>(), Catch::Contains(message_part));
  CHECK(board_size(c) == before);
}

board::Receipt cast_ok(httplib::Client& c, const election::EncryptedBallot& b,
                       const crypto::Bytes& collector_key) {
  const auto r = post_json(c, "/api/ballots", b.ballot);
  INFO(r.body.dump());
  REQUIRE(r.status == 200);
  const board::Receipt receipt = board::receipt_from_json(r.body);
  CHECK(receipt.ballot_hash == crypto::to_hex(b.hash));
  CHECK(receipt.tracking_code == b.encrypted.tracking_code);
  board::check_receipt_var(receipt, crypto::canonical_json_bytes(b.ballot), collector_key);
  return receipt;
}

Json polls_request(const ElectionFixture& e, std::string_view action) {
  return sign_officials_request(std::string(action), e.view.election_id(), e.officials);
}

void api_suite(const std::string& store_url) {
  ElectionFixture e(6);
  ServerOptions options;
  options.max_body_bytes = 64 * 1024;
  options.voter_rate_per_second = 0.001;  // burst only, so the per-voter limit is reachable
  options.voter_burst = 4;
  options.challenge_rate_per_second = 0.001;  // burst only: the third challenge is refused
  options.challenge_burst = 2;
  options.check_lookups = 2;
  RunningServer s(e.view, store_url, options);
  auto c = s.client();

  const auto info = get_json(*c, "/api/election");
  REQUIRE(info.status == 200);
  CHECK(info.body["election_id"] == e.view.election_id());
  CHECK(info.body["context_hash"] == crypto::to_hex(e.view.context->hash()));
  CHECK(info.body["roll_hash"] == crypto::to_hex(e.view.roll_hash));
  CHECK(info.body["polls"] == "not-opened");
  CHECK(info.body["cast_check"] == crypto::Json{{"lookups", 2}, {"window_seconds", 1800}});
  const crypto::Bytes key = crypto::from_hex(info.body["collector_public_key"].get<std::string>());
  CHECK(key == s.board().public_key());

  const auto b1 = e.ballot(1);
  expect_rejected(*c, "/api/ballots", b1.ballot.dump(), 403, "polls-not-open", "not opened");

  // Officials' requests: signature, freshness, election, action, nonce.
  {
    Json forged = polls_request(e, kActionOpenPolls);
    forged["signature"] =
        crypto::to_hex(crypto::Ed25519PrivateKey::generate().sign(crypto::Bytes{1}));
    expect_rejected(*c, "/api/officials/polls", forged.dump(), 401, "bad-signature",
                    "officials' key");
    OfficialsRequest stale{std::string(kActionOpenPolls), e.view.election_id(),
                           unix_time_ms() - 3'600'000, std::string(32, 'a'), std::nullopt};
    const Json stale_json = {
        {"request", officials_request_to_json(stale)},
        {"signature", crypto::to_hex(e.officials.sign(officials_request_signed_bytes(stale)))}};
    expect_rejected(*c, "/api/officials/polls", stale_json.dump(), 401, "stale-request",
                    "timestamp_ms");
    const Json other =
        sign_officials_request(std::string(kActionOpenPolls), "other-election", e.officials);
    expect_rejected(*c, "/api/officials/polls", other.dump(), 422, "wrong-election", "election_id");
    expect_rejected(*c, "/api/officials/polls", polls_request(e, kActionExport).dump(), 400,
                    "wrong-action", "export");
    expect_rejected(*c, "/api/officials/polls", R"({"request":{}})", 400, "bad-shape",
                    "officials_request");
    // The officials sign the roll they open the polls for; another roll is refused.
    const Json wrong_roll = sign_officials_request(
        std::string(kActionOpenPolls), e.view.election_id(), e.officials, std::string(64, 'a'));
    expect_rejected(*c, "/api/officials/polls", wrong_roll.dump(), 409, "roll-mismatch",
                    "roll_hash");
    const Json roll_on_close =
        sign_officials_request(std::string(kActionClosePolls), e.view.election_id(), e.officials,
                               crypto::to_hex(e.view.roll_hash));
    expect_rejected(*c, "/api/officials/polls", roll_on_close.dump(), 400, "bad-shape",
                    "only open-polls");
  }
  const Json open = sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(),
                                           e.officials, crypto::to_hex(e.view.roll_hash));
  CHECK(open["request"]["roll_hash"] == crypto::to_hex(e.view.roll_hash));
  const auto opened = post_json(*c, "/api/officials/polls", open);
  REQUIRE(opened.status == 200);
  CHECK(opened.body["polls"] == "open");
  CHECK(opened.body["board_index"] == 0);
  expect_rejected(*c, "/api/officials/polls", open.dump(), 409, "nonce-reused", "nonce");
  expect_rejected(*c, "/api/officials/polls", polls_request(e, kActionOpenPolls).dump(), 409,
                  "polls-already-open", "already open");

  // An honest ballot, its receipt and its status.
  const board::Receipt r1 = cast_ok(*c, b1, key);
  CHECK(r1.board_index == 1);
  for (const std::string& id : {r1.tracking_code, r1.ballot_hash}) {
    const auto st = get_json(*c, "/api/ballots/" + id);
    REQUIRE(st.status == 200);
    CHECK(st.body["status"] == "cast");
    board::check_receipt_var(board::receipt_from_json(st.body["receipt"]),
                             crypto::canonical_json_bytes(b1.ballot), key);
  }
  CHECK(get_json(*c, "/api/ballots/AAAA-BBBB").status == 404);
  {
    std::string lower = r1.tracking_code;
    for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    CHECK(get_json(*c, "/api/ballots/" + lower).status == 200);
  }

  // Every rejection path of POST /api/ballots, in the documented order.
  const auto b2 = e.ballot(2);
  const election::Credential v2 = e.credential(2);
  expect_rejected(*c, "/api/ballots", std::string(options.max_body_bytes + 1, ' '), 413,
                  "payload-too-large", "limit");
  expect_rejected(*c, "/api/ballots", "{\"election_id\": ", 400, "bad-json", "not valid JSON");
  {
    Json j = b2.ballot;
    j.erase("contests");
    expect_rejected(*c, "/api/ballots", j.dump(), 400, "malformed", "contests");
  }
  {
    Json j = b2.ballot;
    j["election_id"] = "another-election";
    expect_rejected(*c, "/api/ballots", j.dump(), 422, "wrong-election", "election");
  }
  {
    Json j = b2.ballot;
    j["voter_id"] = "voter-999999";
    resign(j, v2);
    expect_rejected(*c, "/api/ballots", j.dump(), 403, "unknown-voter", "voter-999999");
  }
  {
    Json j = b2.ballot;
    j["credential"] = crypto::to_hex(e.credential(3).public_key);
    expect_rejected(*c, "/api/ballots", j.dump(), 403, "credential-mismatch", "credential");
  }
  {
    // The identity point as credential with R = identity, S = 0: a valid RFC 8032 signature of
    // any ballot (OpenSSL accepts it), refused because no roll key can be of small order.
    Json j = b2.ballot;
    j["credential"] = "01" + std::string(62, '0');
    j["signature"] = "01" + std::string(126, '0');
    expect_rejected(*c, "/api/ballots", j.dump(), 403, "credential-mismatch", "credential");
  }
  {
    Json j = b2.ballot;
    std::string sig = j["signature"];
    sig[0] = sig[0] == '0' ? '1' : '0';
    j["signature"] = sig;
    expect_rejected(*c, "/api/ballots", j.dump(), 401, "bad-signature", "signature");
  }
  {
    Json j = b2.ballot;
    j["contests"][0]["ciphertexts"][0]["alpha"] = "02" + std::string(64, 'f');  // x >= p
    resign(j, v2);
    expect_rejected(*c, "/api/ballots", j.dump(), 422, "bad-element",
                    "contests[0].ciphertexts[0].alpha");
  }
  {
    Json j = b2.ballot;
    j["contests"][0]["proof"]["challenge"] = std::string(63, '0') + "1";
    resign(j, v2);
    expect_rejected(*c, "/api/ballots", j.dump(), 422, "bad-proof", "contests[0]");
  }
  {
    // The same bytes again (a client that lost the answer): the same entry's receipt, nothing
    // appended (a different ballot reusing the ciphertexts stays a replay: test_front_door).
    const auto size = board_size(*c);
    const auto again = post_json(*c, "/api/ballots", b1.ballot);
    REQUIRE(again.status == 200);
    CHECK(board::receipt_from_json(again.body).board_index == r1.board_index);
    board::check_receipt_var(board::receipt_from_json(again.body),
                             crypto::canonical_json_bytes(b1.ballot), key);
    CHECK(board_size(*c) == size);
  }
  {
    // The same ciphertexts re-signed by another voter: still a replay.
    Json j = b1.ballot;
    j["voter_id"] = "voter-000002";
    j["credential"] = crypto::to_hex(v2.public_key);
    resign(j, v2);
    const auto r = post_json(*c, "/api/ballots", j);
    CHECK(r.status >= 400);  // the proofs bind the credential (bad-proof) or it is a replay
  }

  // Re-voting: a higher sequence supersedes; a lower one is stale.
  const auto b1v2 = e.ballot(1, 2);
  cast_ok(*c, b1v2, key);
  CHECK(get_json(*c, "/api/ballots/" + r1.tracking_code).body["status"] == "superseded");
  expect_rejected(*c, "/api/ballots", e.ballot(1, 1).ballot.dump(), 409, "stale-sequence",
                  "sequence");

  // Per-credential limit (burst 4): voter 4 casts 4 times, the 5th is refused.
  for (std::uint64_t seq = 1; seq <= 4; ++seq) cast_ok(*c, e.ballot(4, seq), key);
  expect_rejected(*c, "/api/ballots", e.ballot(4, 5).ballot.dump(), 429, "rate-limited",
                  "voter-000004");

  // Benaloh challenge: anonymous, accepted as a spoiled entry; its ciphertexts can then never
  // be cast. Limited per client address, since no voter can be charged.
  {
    const auto b5 = e.ballot(5);
    const Json challenge = election::make_challenge(*e.view.context, b5.encrypted);
    Json bad = challenge;
    bad["contests"][0]["randomness"][0] = std::string(63, '0') + "2";
    expect_rejected(*c, "/api/challenges", bad.dump(), 422, "bad-opening", "contests[0]");
    Json named = challenge;
    named["voter_id"] = "voter-000005";
    expect_rejected(*c, "/api/challenges", named.dump(), 400, "malformed", "voter_id");
    const auto r = post_json(*c, "/api/challenges", challenge);
    REQUIRE(r.status == 200);
    const board::Receipt rc = board::receipt_from_json(r.body);
    CHECK(rc.kind == "challenge");
    CHECK(rc.tracking_code == b5.encrypted.tracking_code);
    board::check_receipt_var(rc, crypto::canonical_json_bytes(challenge), key);
    const auto status = get_json(*c, "/api/ballots/" + b5.encrypted.tracking_code);
    CHECK(status.body["status"] == "challenged");
    // The board entry names no voter.
    const auto entry = get_json(*c, "/api/board/entries?from=" + std::to_string(rc.board_index) +
                                        "&to=" + std::to_string(rc.board_index + 1));
    REQUIRE(entry.status == 200);
    CHECK(entry.body.dump().find("voter-000005") == std::string::npos);
    expect_rejected(*c, "/api/ballots", b5.ballot.dump(), 409, "replay", "already on the board");
    // A re-sent challenge gets its receipt again (idempotent) and spends the address's budget.
    CHECK(post_json(*c, "/api/challenges", challenge).status == 200);
    expect_rejected(*c, "/api/challenges",
                    election::make_challenge(*e.view.context, e.ballot(5).encrypted).dump(), 429,
                    "rate-limited", "too many challenges");
    // No second-device check of a challenge: it is not a cast ballot.
    CHECK(post_json(*c, "/api/ballots/" + b5.encrypted.tracking_code + "/check",
                    election::make_check_request(*e.view.context, b5.encrypted.tracking_code,
                                                 b5.encrypted.seed, crypto::system_random()))
              .status == 409);
  }

  // The second-device check of a cast ballot: the ballot itself, at most check_lookups times,
  // only for a request that proves knowledge of the check key (which is never sent).
  {
    const auto b6 = e.ballot(6);
    const board::Receipt r6 = cast_ok(*c, b6, key);
    const std::string path = "/api/ballots/" + b6.encrypted.tracking_code + "/check";
    const auto request = [&](const crypto::Bytes& seed) {
      return election::make_check_request(*e.view.context, b6.encrypted.tracking_code, seed,
                                          crypto::system_random());
    };
    // Anyone can read the tracking code off the board; without the key nothing is spent.
    const crypto::Bytes wrong_seed(32, 7);
    for (int i = 0; i < 4; ++i) {
      const auto refused = post_json(*c, path, request(wrong_seed));
      CHECK(refused.status == 401);
      CHECK(refused.body["error"]["code"] == "bad-check-proof");
    }
    CHECK(post_json(*c, path, Json::object()).status == 401);
    Json replayed_elsewhere = request(b6.encrypted.seed);  // bound to another tracking code
    CHECK(post_json(*c, "/api/ballots/" + r1.tracking_code + "/check", replayed_elsewhere).status ==
          401);
    for (int i = 0; i < 2; ++i) {
      const auto got = post_json(*c, path, request(b6.encrypted.seed));
      REQUIRE(got.status == 200);
      CHECK(got.body["status"] == "cast");
      CHECK(got.body["ballot"] == b6.ballot);
      board::check_receipt_var(board::receipt_from_json(got.body["receipt"]),
                               crypto::canonical_json_bytes(b6.ballot), key);
    }
    const auto third = post_json(*c, path, request(b6.encrypted.seed));
    CHECK(third.status == 429);
    CHECK(third.body["error"]["code"] == "check-limit");
    CHECK(get_json(*c, "/api/ballots/" + r6.tracking_code).status == 200);  // status: unlimited
    CHECK(post_json(*c, "/api/ballots/AAAA-AAAA-AAAA-AAAA-AAAA-AAAA/check", request(wrong_seed))
              .status == 404);
  }

  // Public board endpoints.
  const auto head = get_json(*c, "/api/board/head");
  REQUIRE(head.status == 200);
  const auto sth = board::signed_tree_head_from_json(head.body["signed_tree_head"]);
  CHECK(board::verify_tree_head_var(sth, key));
  CHECK(sth.head.tree_size == board_size(*c));
  CHECK(head.body["final"] == false);
  CHECK(get_json(*c, "/api/board/entries?from=0&to=x").status == 400);
  CHECK(get_json(*c, "/api/board/entries?from=2&to=1").status == 400);
  CHECK(get_json(*c, "/api/board/entries?from=0&to=100000").status == 400);
  const auto entries = get_json(*c, "/api/board/entries?from=0&to=2");
  REQUIRE(entries.status == 200);
  CHECK(entries.body["entries"][0]["kind"] == "poll-open");
  CHECK(entries.body["entries"][1]["kind"] == "ballot");
  const auto cons = get_json(
      *c, "/api/board/consistency?old=" + std::to_string(r1.signed_tree_head.head.tree_size) +
              "&new=" + std::to_string(sth.head.tree_size));
  REQUIRE(cons.status == 200);
  board::check_consistency_var(board::consistency_proof_from_json(cons.body["consistency_proof"]),
                               r1.signed_tree_head.head.root_hash, sth.head.root_hash);
  CHECK(get_json(*c, "/api/board/consistency?old=5&new=1").status == 400);
  CHECK(get_json(*c, "/no/such/endpoint").status == 404);

  // Close: final head; ballots refused; export.
  const auto closed = post_json(*c, "/api/officials/polls", polls_request(e, kActionClosePolls));
  REQUIRE(closed.status == 200);
  CHECK(closed.body["polls"] == "closed");
  expect_rejected(*c, "/api/ballots", e.ballot(6).ballot.dump(), 403, "polls-closed", "closed");
  expect_rejected(*c, "/api/officials/polls", polls_request(e, kActionClosePolls).dump(), 409,
                  "polls-closed", "closed");
  expect_rejected(*c, "/api/officials/polls", polls_request(e, kActionOpenPolls).dump(), 409,
                  "polls-closed", "closed");
  const auto final_head = get_json(*c, "/api/board/head");
  CHECK(final_head.body["final"] == true);
  const auto final_sth = board::signed_tree_head_from_json(final_head.body["signed_tree_head"]);
  CHECK(final_sth.head.tree_size == closed.body["board_index"].get<std::uint64_t>() + 1);
  CHECK(s.board().latest_signed_head() == final_sth);  // the final head is stored durably
  const Json export_request = polls_request(e, kActionExport);
  const auto exported = post_json(*c, "/api/officials/export", export_request);
  REQUIRE(exported.status == 200);
  expect_rejected(*c, "/api/officials/export", export_request.dump(), 409, "nonce-reused", "nonce");
  expect_rejected(*c, "/api/officials/export", polls_request(e, kActionOpenPolls).dump(), 400,
                  "wrong-action", "not export");
  CHECK(exported.body["final"] == true);
  CHECK(board::signed_tree_head_from_json(exported.body["signed_tree_head"]) == final_sth);

  // Metrics count acceptances and every rejection reason seen above.
  const auto metrics = c->Get("/metrics");
  REQUIRE(metrics);
  CHECK_THAT(metrics->body, Catch::Contains("haal_collector_accepted_total{kind=\"ballot\"} 7"));
  for (const char* reason :
       {"payload-too-large", "bad-json", "malformed", "wrong-election", "unknown-voter",
        "credential-mismatch", "bad-signature", "bad-element", "bad-proof", "replay",
        "stale-sequence", "rate-limited", "polls-closed", "polls-not-open"}) {
    CHECK_THAT(metrics->body, Catch::Contains(std::string("reason=\"") + reason + "\""));
  }
  CHECK_THAT(
      metrics->body,
      Catch::Contains("haal_collector_request_seconds_bucket{route=\"ballot\",le=\"+Inf\"}"));
}

}  // namespace

TEST_CASE("collector API on SQLite: receipts, every rejection path, polls, final head") {
  TempDir store;
  api_suite("sqlite:" + (store.path() / "board.db").string());
}

TEST_CASE("collector API on PostgreSQL") {
  const auto base = postgres_test_url();
  if (!base) {
    WARN("SKIP: collector PostgreSQL tests need HAAL_TEST_POSTGRES_URL");
    return;
  }
  PostgresSchema schema(*base);
  api_suite(schema.url());
}

TEST_CASE("GET /api/roll serves the roll the collector admits ballots by, hashing to roll_hash") {
  ElectionFixture e(3);
  TempDir store;
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string());
  auto c = s.client();
  const auto info = get_json(*c, "/api/election");
  REQUIRE(info.status == 200);
  for (int request = 0; request < 2; ++request) {  // the first serializes, the second reuses
    const auto r = c->Get("/api/roll");
    REQUIRE(r);
    CHECK(r->status == 200);
    CHECK(r->get_header_value("Content-Type") == "application/json");
    const crypto::Bytes body(r->body.begin(), r->body.end());
    CHECK(body == crypto::canonical_json_bytes(e.view.roll->to_json()));
    CHECK(crypto::to_hex(crypto::sha256(body)) == info.body["roll_hash"].get<std::string>());
    const election::Roll served = election::Roll::from_json(Json::parse(r->body));
    CHECK(served.size() == 3);
    CHECK(served.voters() == e.view.roll->voters());
  }
}

TEST_CASE("the voting window of the manifest bounds the polls") {
  TestElectionOptions past;
  past.opens = "2001-01-01T00:00:00Z";
  past.closes = "2001-01-02T00:00:00Z";
  ElectionFixture e(2, past);
  TempDir store;
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string());
  auto c = s.client();
  REQUIRE(post_json(*c, "/api/officials/polls", polls_request(e, kActionOpenPolls)).status == 200);
  expect_rejected(*c, "/api/ballots", e.ballot(1).ballot.dump(), 403, "outside-voting-window",
                  "2001-01-02T00:00:00Z");
  // Shape and election come before the window in the documented order.
  expect_rejected(*c, "/api/ballots", "[]", 400, "malformed", "");
  Json j = e.ballot(1).ballot;
  j["election_id"] = "x";
  expect_rejected(*c, "/api/ballots", j.dump(), 422, "wrong-election", "");
  // ... and a bad signature after it: outside the window, the window answers.
  j = e.ballot(2).ballot;
  j["signature"] = std::string(128, '0');
  expect_rejected(*c, "/api/ballots", j.dump(), 403, "outside-voting-window", "");
}

TEST_CASE("per-address rate limit answers 429 and the board is unchanged") {
  ElectionFixture e(2);
  TempDir store;
  ServerOptions options;
  options.ip_rate_per_second = 0.001;
  options.ip_burst = 5;
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string(), options);
  auto c = s.client();
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    const auto r = c->Post("/api/ballots", "garbage", "application/json");
    REQUIRE(r);
    if (r->status == 429) {
      ++limited;
      CHECK_THAT(r->body, Catch::Contains("rate-limited"));
    } else {
      CHECK(r->status == 400);
    }
  }
  CHECK(limited == 3);
  CHECK(s.board().size() == 0);
}

TEST_CASE("the second-device check of a cast ballot ends with its window") {
  ElectionFixture e(1);
  TempDir store;
  ServerOptions options;
  options.check_window_seconds = 0;  // the window closes as soon as the ballot is on the board
  RunningServer s(e.view, "sqlite:" + (store.path() / "board.db").string(), options);
  auto c = s.client();
  REQUIRE(post_json(*c, "/api/officials/polls",
                    sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(),
                                           e.officials, crypto::to_hex(e.view.roll_hash)))
              .status == 200);
  const auto b = e.ballot(1);
  cast_ok(*c, b, s.board().public_key());
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const auto late =
      post_json(*c, "/api/ballots/" + b.encrypted.tracking_code + "/check",
                election::make_check_request(*e.view.context, b.encrypted.tracking_code,
                                             b.encrypted.seed, crypto::system_random()));
  CHECK(late.status == 403);
  CHECK(late.body["error"]["code"] == "check-window-over");
  CHECK_THAT(late.body["error"]["message"].get<std::string>(), Catch::Contains("within 0 minutes"));
}

TEST_CASE("the count of second-device checks survives a collector restart") {
  ElectionFixture e(1);
  TempDir store;
  const std::string url = "sqlite:" + (store.path() / "board.db").string();
  ServerOptions options;
  options.check_lookups = 2;
  const auto b = e.ballot(1);
  const std::string path = "/api/ballots/" + b.encrypted.tracking_code + "/check";
  const auto request = [&] {
    return election::make_check_request(*e.view.context, b.encrypted.tracking_code,
                                        b.encrypted.seed, crypto::system_random());
  };
  {
    RunningServer s(e.view, url, options);
    auto c = s.client();
    REQUIRE(post_json(*c, "/api/officials/polls",
                      sign_officials_request(std::string(kActionOpenPolls), e.view.election_id(),
                                             e.officials, crypto::to_hex(e.view.roll_hash)))
                .status == 200);
    cast_ok(*c, b, s.board().public_key());
    CHECK(post_json(*c, path, request()).status == 200);
  }
  // The collector restarts on the same store (or a standby takes over): one lookup is left.
  {
    RunningServer s(e.view, url, options);
    auto c = s.client();
    CHECK(post_json(*c, path, request()).status == 200);
    const auto third = post_json(*c, path, request());
    CHECK(third.status == 429);
    CHECK(third.body["error"]["code"] == "check-limit");
    CHECK(third.body["error"]["message"] == "this ballot has already been checked 2 times");
  }
  // Restarted with a limit of 1, the spent ballot is refused in the singular.
  options.check_lookups = 1;
  RunningServer s(e.view, url, options);
  auto c = s.client();
  const auto refused = post_json(*c, path, request());
  CHECK(refused.status == 429);
  CHECK(refused.body["error"]["message"] == "this ballot has already been checked once");
}

TEST_CASE("plain HTTP only on loopback, TLS files go together, the head key is the board key") {
  ElectionFixture e(1);
  TempDir store;
  board::Board board(board::open_store("sqlite:" + (store.path() / "b.db").string()),
                     e.view.election_id(),
                     crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 1)));
  ServerOptions options;
  options.host = "0.0.0.0";
  CHECK_THROWS_WITH(
      CollectorServer(e.view, std::make_unique<ElectionBallotChecker>(e.view), board,
                      crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 1)), options),
      Catch::Contains("only on a loopback address"));
  options.host = "127.0.0.1";
  options.tls_cert_file = "cert.pem";
  CHECK_THROWS_WITH(
      CollectorServer(e.view, std::make_unique<ElectionBallotChecker>(e.view), board,
                      crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 1)), options),
      Catch::Contains("go together"));
  // The head key must be the one context.json pins (seed 7 in the fixture) ...
  CHECK_THROWS_WITH(
      CollectorServer(e.view, std::make_unique<ElectionBallotChecker>(e.view), board,
                      crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 2)), ServerOptions{}),
      Catch::Contains("not the collector_key context.json pins"));
  // ... and the board's.
  CHECK_THROWS_WITH(
      CollectorServer(e.view, std::make_unique<ElectionBallotChecker>(e.view), board,
                      crypto::Ed25519PrivateKey::from_seed(crypto::Bytes(32, 7)), ServerOptions{}),
      Catch::Contains("not the board's key"));
  CHECK(is_loopback_host("127.0.0.1"));
  CHECK(is_loopback_host("::1"));
  CHECK_FALSE(is_loopback_host("10.0.0.1"));
}
