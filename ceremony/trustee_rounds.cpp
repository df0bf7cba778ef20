#include "ceremony/trustee_rounds.hpp"

#include "ceremony/polynomial.hpp"
#include "crypto/canonical_json.hpp"
#include "crypto/ed25519.hpp"

namespace haal::ceremony {

namespace {

std::string short_hex(const Digest& d) {
  return crypto::to_hex(d).substr(0, 16);
}

void require_coefficients(const CeremonyParameters& params, const TrusteeSecrets& secrets) {
  if (secrets.coefficients.size() != params.threshold) {
    throw CeremonyError("trustee " + std::to_string(secrets.trustee) +
                        " has no polynomial yet: run `haal trustee commit` first");
  }
}

std::string hex_prefix(const Bytes& b) {
  return crypto::to_hex(b).substr(0, 16);
}

}  // namespace

void publish_identity(const CeremonyParameters& params, const CeremonyBoard& board,
                      const TrusteeSecrets& secrets, std::ostream& log) {
  params.check_index(secrets.trustee, "trustee");
  const Identity identity{
      secrets.trustee, crypto::Ed25519PrivateKey::from_seed(secrets.signing_seed).public_key(),
      crypto::X25519PrivateKey::from_bytes(secrets.encryption_key).public_key()};
  const Json message = identity_message(params, identity, secrets.signing_seed);
  board.publish(identity_file(secrets.trustee), message);
  log << "trustee " << secrets.trustee << ": published " << identity_file(secrets.trustee)
      << "\n  signing key    " << crypto::to_hex(identity.signing_key) << "\n  encryption key "
      << crypto::to_hex(identity.encryption_key) << "\n  message hash   "
      << crypto::to_hex(crypto::canonical_json_hash(message))
      << "\n  Read this hash to the other trustees over an independent channel.\n";
}

void commit_round(const CeremonyParameters& params, const CeremonyBoard& board,
                  TrusteeSecrets& secrets, crypto::RandomSource& rng, std::ostream& log) {
  const std::vector<Identity> identities = load_identities(params, board);
  log << "trustee " << secrets.trustee << ": round 0 complete, " << identities.size()
      << " identities verified:\n";
  for (const Identity& id : identities) {
    log << "  trustee " << id.trustee << " signing key " << hex_prefix(id.signing_key) << "...\n";
  }
  if (crypto::Ed25519PrivateKey::from_seed(secrets.signing_seed).public_key() !=
      identities.at(secrets.trustee - 1).signing_key) {
    throw CeremonyError(identity_file(secrets.trustee) +
                        " on the board is not this trustee's identity");
  }
  if (secrets.coefficients.empty()) {
    secrets.coefficients = random_polynomial(params.group->scalars(), params.threshold, rng);
  }
  require_coefficients(params, secrets);
  const auto commitments = commit_polynomial(*params.group, secrets.coefficients);
  const Commitment c{secrets.trustee,
                     coefficient_commitments_hash(params, secrets.trustee, commitments)};
  board.publish(commitment_file(secrets.trustee),
                commitment_message(params, c, secrets.signing_seed));
  log << "  published " << commitment_file(secrets.trustee) << " (commitment hash "
      << short_hex(c.commitment_hash) << "...)\n";
}

void reveal_round(const CeremonyParameters& params, const CeremonyBoard& board,
                  const TrusteeSecrets& secrets, crypto::RandomSource& rng, std::ostream& log) {
  require_coefficients(params, secrets);
  const CeremonyRecord record = CeremonyRecord::load(params, board);
  log << "trustee " << secrets.trustee << ": checking round 1 commitments\n";
  // Revealing before everyone has committed would let a late trustee choose its polynomial
  // after seeing ours: never allowed, whatever the deadline.
  require_round_without_override(record, Round::kCommitment, "haal trustee reveal", log);
  if (board.has(reveal_file(secrets.trustee))) {
    log << "  " << reveal_file(secrets.trustee) << " already published; nothing to do\n";
    return;
  }
  Reveal r;
  r.trustee = secrets.trustee;
  r.commitments = commit_polynomial(*params.group, secrets.coefficients);
  const Element& g = params.group->generator();
  for (std::size_t k = 0; k < r.commitments.size(); ++k) {
    r.proofs.push_back(crypto::schnorr_prove(
        *params.group, params.proof_context(coefficient_binding(secrets.trustee, k)), g,
        r.commitments[k], secrets.coefficients[k], rng));
  }
  board.publish(reveal_file(secrets.trustee), reveal_message(params, r, secrets.signing_seed));
  log << "  published " << reveal_file(secrets.trustee) << " (" << r.commitments.size()
      << " coefficient commitments with proofs of knowledge)\n";
}

void shares_round(const CeremonyParameters& params, const CeremonyBoard& board,
                  const TrusteeSecrets& secrets, std::ostream& log) {
  require_coefficients(params, secrets);
  const std::vector<Identity> identities = load_identities(params, board);
  if (!board.has(reveal_file(secrets.trustee))) {
    throw CeremonyError("publish this trustee's reveal first (`haal trustee reveal`)");
  }
  if (board.has(shares_file(secrets.trustee))) {
    log << "trustee " << secrets.trustee << ": " << shares_file(secrets.trustee)
        << " already published; nothing to do\n";
    return;
  }
  Shares s;
  s.trustee = secrets.trustee;
  const crypto::ScalarField& field = params.group->scalars();
  for (const Identity& recipient : identities) {
    if (recipient.trustee == secrets.trustee) continue;
    const Scalar share = evaluate_polynomial(field, secrets.coefficients, recipient.trustee);
    Bytes plaintext = field.encode(share);
    s.shares.push_back(EncryptedShare{
        recipient.trustee,
        crypto::ecies_encrypt(recipient.encryption_key,
                              share_binding(params, secrets.trustee, recipient.trustee),
                              plaintext)});
    crypto::wipe(plaintext);
  }
  board.publish(shares_file(secrets.trustee), shares_message(params, s, secrets.signing_seed));
  log << "trustee " << secrets.trustee << ": published " << shares_file(secrets.trustee) << " ("
      << s.shares.size() << " encrypted shares, one per other trustee)\n";
}

std::optional<Scalar> received_share(const CeremonyParameters& params,
                                     const TrusteeMessages& sender, const TrusteeSecrets& secrets,
                                     std::string* complaint) {
  const std::uint32_t i = sender.identity.trustee;
  const std::uint32_t j = secrets.trustee;
  const crypto::ScalarField& field = params.group->scalars();
  if (i == j) {
    require_coefficients(params, secrets);
    return evaluate_polynomial(field, secrets.coefficients, j);
  }
  if (!sender.reveal || !sender.shares) {
    if (complaint) *complaint = "missing";
    return std::nullopt;
  }
  const Element expected = evaluate_commitments_var(*params.group, sender.reveal->commitments, j);
  // A share revealed in answer to our complaint replaces the encrypted one.
  if (sender.answer) {
    for (const RevealedShare& r : sender.answer->revealed) {
      if (r.complainer != j) continue;
      // A revealed share is public.
      if (params.group->equal(params.group->exp_generator_var(r.share), expected)) return r.share;
      if (complaint) *complaint = "share-mismatch";
      return std::nullopt;
    }
  }
  const EncryptedShare* encrypted = find_share(*sender.shares, j);
  std::optional<Scalar> share;
  if (encrypted != nullptr) {
    try {
      Bytes plaintext =
          crypto::ecies_decrypt(crypto::X25519PrivateKey::from_bytes(secrets.encryption_key),
                                share_binding(params, i, j), encrypted->ciphertext);
      try {
        share = field.decode(plaintext);
      } catch (const std::invalid_argument&) {
      }
      crypto::wipe(plaintext);
    } catch (const crypto::EciesError&) {
    }
  }
  if (!share) {
    if (complaint) *complaint = "undecryptable-share";
    return std::nullopt;
  }
  // Feldman's check: g^{f_i(j)} == prod_k C_{i,k}^{j^k}.
  if (!params.group->equal(params.group->exp_generator(crypto::SecretScalar(*share)), expected)) {
    if (complaint) *complaint = "share-mismatch";
    return std::nullopt;
  }
  return share;
}

void verify_shares_round(const CeremonyParameters& params, const CeremonyBoard& board,
                         const TrusteeSecrets& secrets, bool allow_missing, std::ostream& log) {
  require_coefficients(params, secrets);
  const CeremonyRecord record = CeremonyRecord::load(params, board);
  const std::uint32_t j = secrets.trustee;
  log << "trustee " << j << ": checking rounds 1 and 2\n";
  require_round(record, Round::kCommitment, allow_missing, log);
  require_round(record, Round::kReveal, allow_missing, log);
  require_round(record, Round::kShares, allow_missing, log);

  Complaints statement;
  statement.trustee = j;
  for (std::uint32_t i = 1; i <= params.trustee_count; ++i) {
    if (i == j) continue;
    const TrusteeMessages& m = record.trustee(i);
    if (!m.commitment || !m.reveal || !m.shares) {
      log << "  trustee " << i << ": messages missing; it will be disqualified\n";
      continue;
    }
    if (auto fault = check_reveal_var(params, *m.reveal, *m.commitment)) {
      log << "  trustee " << i << ": " << fault->detail << "; it will be disqualified ("
          << fault->code << ")\n";
      continue;
    }
    std::string reason;
    if (received_share(params, m, secrets, &reason)) {
      log << "  trustee " << i << ": commitments match the hash commitment, proofs verify, "
          << "share verified\n";
    } else {
      log << "  trustee " << i << ": BAD SHARE (" << reason << "): complaining\n";
      statement.complaints.push_back(Complaint{i, reason});
    }
  }
  for (const FileHash& f : record.file_hashes()) {
    if (f.file.rfind("round0-", 0) == 0 || f.file.rfind("round1-", 0) == 0 ||
        f.file.rfind("round2-", 0) == 0) {
      statement.verified.push_back(f);
    }
  }
  board.publish(complaints_file(j), complaints_message(params, statement, secrets.signing_seed));
  log << "  published " << complaints_file(j) << " with " << statement.complaints.size()
      << " complaint(s)\n";
}

void answer_round(const CeremonyParameters& params, const CeremonyBoard& board,
                  const TrusteeSecrets& secrets, bool allow_missing, std::ostream& log) {
  require_coefficients(params, secrets);
  const CeremonyRecord record = CeremonyRecord::load(params, board);
  const std::uint32_t i = secrets.trustee;
  log << "trustee " << i << ": reading complaint statements\n";
  require_round(record, Round::kComplaints, allow_missing, log);
  Answer answer;
  answer.trustee = i;
  for (std::uint32_t j = 1; j <= params.trustee_count; ++j) {
    const auto& complaints = record.trustee(j).complaints;
    if (!complaints) continue;
    for (const Complaint& c : complaints->complaints) {
      if (c.accused != i) continue;
      log << "  trustee " << j << " complains (" << c.reason
          << "): revealing the share sent to it\n";
      answer.revealed.push_back(
          RevealedShare{j, evaluate_polynomial(params.group->scalars(), secrets.coefficients, j)});
    }
  }
  if (answer.revealed.empty()) log << "  no complaints against trustee " << i << "\n";
  board.publish(answer_file(i), answer_message(params, answer, secrets.signing_seed));
  log << "  published " << answer_file(i) << "\n";
}

CeremonyResult finalize_round(const CeremonyParameters& params, const CeremonyBoard& board,
                              TrusteeSecrets& secrets, bool allow_missing, std::ostream& log) {
  const std::uint32_t j = secrets.trustee;
  if (secrets.share) {
    log << "trustee " << j << ": already holds its final share; checking result.json\n";
  }
  CeremonyResult result = compute_ceremony_result(params, board, allow_missing, log);
  const TrusteeKeys* keys = result.find(j);
  if (keys == nullptr) {
    throw CeremonyError("trustee " + std::to_string(j) +
                        " was disqualified and holds no share of the election key");
  }
  if (!secrets.share) {
    const CeremonyRecord record = CeremonyRecord::load(params, board);
    const crypto::ScalarField& field = params.group->scalars();
    Scalar sum = field.from_u64(0);
    for (const std::uint32_t i : result.qualified) {
      std::string reason;
      const auto share = received_share(params, record.trustee(i), secrets, &reason);
      if (!share) {
        throw CeremonyError("the share from qualified trustee " + std::to_string(i) +
                            " is not valid (" + reason +
                            ") and was not revealed; run "
                            "`haal trustee verify-shares` so it is complained about");
      }
      sum = field.add(sum, *share);
    }
    if (!params.group->equal(params.group->exp_generator(crypto::SecretScalar(sum)),
                             keys->verification_key)) {
      throw CeremonyError("the derived share does not match trustee " + std::to_string(j) +
                          "'s verification key in the result");
    }
    secrets.share = std::move(sum);
    secrets.coefficients.clear();
    log << "trustee " << j << ": derived the secret share from " << result.qualified.size()
        << " qualified trustees; it matches the published verification key\n";
  } else if (!params.group->equal(params.group->exp_generator(crypto::SecretScalar(*secrets.share)),
                                  keys->verification_key)) {
    throw CeremonyError("the stored share does not match the result's verification key");
  }
  publish_ceremony_result(board, result, log);
  return result;
}

}  // namespace haal::ceremony
