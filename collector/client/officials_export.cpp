#include "collector/client/officials_export.hpp"

#include "board/merkle_tree.hpp"
#include "collector/protocol/officials_request.hpp"
#include "crypto/base/parallel.hpp"
#include "crypto/ed25519.hpp"

namespace haal::collector {

std::vector<board::BoardEntry> download_board(httplib::Client& client,
                                              const board::SignedTreeHead& head, bool progress) {
  constexpr std::uint64_t kPage = 1000;
  board::MerkleTree tree;
  std::vector<board::BoardEntry> entries;
  entries.reserve(head.head.tree_size);
  base::Progress meter("downloading the board", head.head.tree_size,
                       progress ? &std::cerr : nullptr);
  for (std::uint64_t from = 0; from < head.head.tree_size; from += kPage) {
    const std::uint64_t to = std::min(head.head.tree_size, from + kPage);
    const JsonResponse page = get_json(
        client, "/api/board/entries?from=" + std::to_string(from) + "&to=" + std::to_string(to));
    if (page.status != 200 || !page.body.is_object() || !page.body.contains("entries")) {
      throw std::runtime_error("GET /api/board/entries: " + describe_error(page));
    }
    const Json& list = page.body["entries"];
    if (list.size() != to - from)
      throw std::runtime_error("GET /api/board/entries: wrong page size");
    for (std::size_t i = 0; i < list.size(); ++i) {
      entries.push_back(
          board::entry_from_json(list[i], "entries[" + std::to_string(from + i) + "]"));
      if (entries.back().sequence != from + i) {
        throw std::runtime_error("board entry " + std::to_string(from + i) + " has sequence " +
                                 std::to_string(entries.back().sequence));
      }
      tree.append_leaf(board::encode_leaf(entries.back()));
    }
    meter.advance(to - from);
  }
  if (tree.size() != head.head.tree_size || tree.root() != head.head.root_hash) {
    throw std::runtime_error(
        "the board's entries do not hash to the signed head's root: the board was altered");
  }
  return entries;
}

Json export_final_board(const std::string& server_url, const ClientOptions& options,
                        const crypto::Ed25519PrivateKey& officials_key, bool progress) {
  auto client = make_client(server_url, options);
  const JsonResponse info = get_json(*client, "/api/election");
  if (info.status != 200) throw std::runtime_error("GET /api/election: " + describe_error(info));
  const std::string election_id = info.body.at("election_id").get<std::string>();
  const JsonResponse r =
      post_json(*client, "/api/officials/export",
                sign_officials_request(std::string(kActionExport), election_id, officials_key));
  if (r.status != 200) throw std::runtime_error("POST /api/officials/export: " + describe_error(r));
  const crypto::Bytes key = crypto::from_hex(r.body.at("collector_public_key").get<std::string>());
  crypto::require_ed25519_public_key(key, "POST /api/officials/export: collector_public_key");
  if (crypto::to_hex(key) != info.body.value("collector_public_key", "")) {
    throw std::runtime_error("the export names another collector key than GET /api/election");
  }
  const board::SignedTreeHead head =
      board::signed_tree_head_from_json(r.body.at("signed_tree_head"));
  board::check_tree_head_signature_var(head, key);
  const auto entries = download_board(*client, head, progress);
  Json list = Json::array();
  for (const auto& e : entries) list.push_back(board::entry_to_json(e));
  return {{"election_id", election_id},
          {"final", r.body.at("final")},
          {"collector_public_key", crypto::to_hex(key)},
          {"signed_tree_head", board::signed_tree_head_to_json(head)},
          {"entries", std::move(list)}};
}

}  // namespace haal::collector
