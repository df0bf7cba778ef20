// Checking the cast ballot itself on a second device (docs/ballots.md, "Checking the cast
// ballot"; as Estonia's vote verification app, S. Heiberg and J. Willemson, "Verifiable
// internet voting in Estonia", EVOTE 2014), as election/cast_check.cpp: after casting, the
// voting device shows a check key, the ballot seed that derives every encryption randomness
// of the ballot. A second device fetches the cast ballot by its tracking code, re-derives the
// randomness, checks that it gives the ballot's alphas, decrypts (m = beta / h^r) and shows
// the choices. The key never reaches the server: it travels in the URL fragment or is typed.
import { ballotRandomness, base32DecodeGrouped, base32Encode, BALLOT_SEED_LENGTH, groupByFour } from './ballot.js';
import { decodeContestPlaintexts } from './selection.js';
import { toHex } from '../crypto/bytes.js';
import { canonicalJsonBytes } from '../crypto/canonical-json.js';
import { schnorrProve, singleProofToJson } from '../crypto/proofs.js';

// The check key does not open the ballot (a wrong or mistyped key, or another ballot).
export class WrongCheckKeyError extends Error {}

// The check key text of a ballot seed: base32 (A-Z2-7) of its 32 bytes, 52 characters in 13
// groups of four joined by '-'.
export function checkKeyText(seed) {
  if (seed.length !== BALLOT_SEED_LENGTH) throw new Error(`a ballot seed has ${BALLOT_SEED_LENGTH} bytes`);
  return groupByFour(base32Encode(seed));
}

// The seed a check key stands for (case-insensitive; '-' and spaces ignored). Throws for
// anything but 52 base32 characters with zero unused bits.
export const checkKeySeed = (text) => base32DecodeGrouped(text, BALLOT_SEED_LENGTH, 'check key');

// "thya dw3v-..." -> "THYA-DW3V-...", or null if it is not a check key.
export function normalizeCheckKey(text) {
  try {
    return checkKeyText(checkKeySeed(text));
  } catch {
    return null;
  }
}

// Per contest in manifest order, what the cast ballot's ciphertexts encrypt ({selection} or
// {invalid: reason}), opened with the randomness derived from `seed`. `contests` is the
// "contests" array of a ballot of this election whose ciphertexts are group elements (they are
// decoded here with the membership checks). Throws WrongCheckKeyError when a derived randomness
// does not give the ciphertext's alpha. The result and the seed are SECRET (they show the vote).
export function openCastBallot(election, contests, seed) {
  const { manifest, group } = election;
  if (!Array.isArray(contests) || contests.length !== manifest.contests.length) {
    throw new Error("the ballot does not have this election's contests");
  }
  return manifest.contests.map((contest, i) => {
    const cts = contests[i].ciphertexts;
    if (contests[i].contest_id !== contest.id || !Array.isArray(cts) || cts.length !== election.widths[i]) {
      throw new Error(`the ballot's contest ${i} is not "${contest.id}" with ${election.widths[i]} ciphertexts`);
    }
    const messages = cts.map((c, j) => {
      const r = ballotRandomness(election, seed, i, j);
      if (!group.equals(group.expGenerator(r), group.fromHex(c.alpha, `contests[${i}].ciphertexts[${j}].alpha`))) {
        throw new WrongCheckKeyError(`the check key does not open this ballot (contest "${contest.id}", ciphertext ${j})`);
      }
      return group.div(group.fromHex(c.beta, `contests[${i}].ciphertexts[${j}].beta`), group.exp(election.publicKey, r));
    });
    return decodeContestPlaintexts(group, contest, messages);
  });
}

// The binding of a check request: canonical JSON of {"type":"haal-cast-check-v1",
// "context_hash", "tracking_code"} (docs/ballots.md section 12).
export function checkRequestBinding(contextHash, trackingCode) {
  return canonicalJsonBytes({ type: 'haal-cast-check-v1', context_hash: toHex(contextHash), tracking_code: trackingCode });
}

// The body of POST /api/ballots/CODE/check: a Schnorr proof of knowledge of r_00 with
// alpha_00 = g^r_00, bound to the tracking code, so the collector counts a lookup only for
// whoever holds the key. The key itself is not in it.
export function makeCheckRequest(election, trackingCode, seed, rng) {
  const { group } = election;
  const r = ballotRandomness(election, seed, 0, 0);
  const context = { electionHash: election.contextHash, binding: checkRequestBinding(election.contextHash, trackingCode) };
  const proof = schnorrProve(group, context, group.generator(), group.expGenerator(r), r, rng);
  return { proof: singleProofToJson(group, proof) };
}
