// Ballots, tracking codes and Benaloh challenge records of docs/ballots.md sections 3, 7 and 8,
// byte for byte as election/ballot.cpp, election/benaloh.cpp and election/tracking_code.cpp.
import { ed25519Sign, ed25519Verify, requireEd25519PublicKey } from '../crypto/ed25519.js';
import { fromHex, toHex } from '../crypto/bytes.js';
import { canonicalJson, canonicalJsonBytes } from '../crypto/canonical-json.js';
import { sha256 } from '../crypto/hash.js';
import { groupByName } from '../crypto/group.js';
import { ciphertextRandomnessProve, ciphertextToJson, encrypt, randomnessProofToJson } from '../crypto/proofs.js';
import { contestWidth, encodeContestSelection, selectionFromJson, selectionToJson } from './selection.js';

export const BALLOT_TYPE = 'haal-ballot-v1';
export const CHALLENGE_TYPE = 'haal-challenge-v1';
export const MAX_SEQUENCE = 2 ** 53 - 1;

export const canonicalJsonHash = (value) => sha256(canonicalJsonBytes(value));

// The election context (section 3) computed from the manifest, the ceremony result and the
// parties' keys ({officials_key, collector_key, mix_servers}), as `haal election seal` does. The
// browser gets context.json from GET /api/election and checks it in the Election constructor.
export function sealContext(manifest, ceremonyResult, parties) {
  const group = groupByName(manifest.group);
  const key = group.fromHex(ceremonyResult.public_key, 'ceremony/result.json.public_key');
  return {
    election_id: manifest.election_id,
    manifest_hash: toHex(canonicalJsonHash(manifest)),
    group: group.name,
    public_key: group.toHex(key),
    ceremony_hash: toHex(canonicalJsonHash(ceremonyResult)),
    contests: manifest.contests.map((c) => ({ contest_id: c.id, width: contestWidth(group, c) })),
    officials_key: partyKey(parties.officials_key, 'officials_key'),
    collector_key: partyKey(parties.collector_key, 'collector_key'),
    mix_servers: (parties.mix_servers || []).map((s, i) => ({
      id: s.id,
      public_key: partyKey(s.public_key, `mix_servers[${i}].public_key`),
    })),
  };
}

// A party's Ed25519 public key (64 lowercase hex), refused when small-order or non-canonical.
function partyKey(hex, field) {
  requireEd25519PublicKey(fromHex(hex, `context.${field}`, 32), `context.${field}`);
  return hex;
}

// Everything the voting device needs, from GET /api/election. Recomputes what can be
// recomputed (manifest hash, widths, context hash) and decodes the public key with its
// membership check, so a collector serving an inconsistent election is caught here.
export class Election {
  constructor(info) {
    const { manifest, context } = info;
    this.manifest = manifest;
    this.group = groupByName(manifest.group);
    this.context = context;
    const expected = {
      ...sealContext(manifest, { public_key: context.public_key }, context),
      ceremony_hash: context.ceremony_hash,
    };
    if (canonicalJson(expected) !== canonicalJson(context)) {
      throw new Error('the election context does not match its manifest (manifest hash, group, widths or parties)');
    }
    // Tree heads are checked under the key the context pins, never one served beside it.
    this.collectorKey = fromHex(context.collector_key, 'context.collector_key', 32);
    if (info.collector_public_key !== undefined && info.collector_public_key !== context.collector_key) {
      throw new Error("the collector's key is not the one the election context pins");
    }
    this.contextHash = canonicalJsonHash(context);
    if (info.context_hash !== undefined && info.context_hash !== toHex(this.contextHash)) {
      throw new Error('context_hash is not the hash of the served context');
    }
    this.publicKey = this.group.prepareBase(this.group.fromHex(context.public_key, 'context.public_key'));
    this.widths = context.contests.map((c) => c.width);
  }
  get electionId() {
    return this.manifest.election_id;
  }
}

// The binding of each contest proof: canonical JSON of
// {"type": "haal-ballot-contest-v1", "context_hash", "credential", "contest_id"}.
export function contestProofBinding(contextHash, credentialPublicKey, contestId) {
  return canonicalJsonBytes({
    type: 'haal-ballot-contest-v1',
    context_hash: toHex(contextHash),
    credential: toHex(credentialPublicKey),
    contest_id: contestId,
  });
}

// Canonical JSON of the object without its "signature" member.
export function signedBytes(object) {
  const { signature: _ignored, ...rest } = object;
  return canonicalJsonBytes(rest);
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Encode(bytes) {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = ((buffer << 8) | b) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(buffer >> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(buffer << (5 - bits)) & 31];
  return out;
}

// Base32 of the first 15 bytes of ballot_hash in six groups of four joined by '-'.
export function trackingCode(ballotHash) {
  return base32Encode(ballotHash.subarray(0, 15)).match(/.{4}/g).join('-');
}

// Encrypts, proves and signs (section 7). `choices` is a Map contest id -> selection;
// `credential` is {electionId, voterId, publicKey, seed}. Per contest: w randomness scalars,
// then w proof nonces, from `rng`.
export function encryptBallot(election, credential, choices, sequence, rng) {
  const { manifest, group } = election;
  if (credential.electionId !== manifest.election_id) {
    throw new Error(`the credential is for election "${credential.electionId}", not "${manifest.election_id}"`);
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new Error('sequence must be between 1 and 2^53 - 1');
  }
  for (const id of choices.keys()) {
    if (!manifest.contests.some((c) => c.id === id)) throw new Error(`choices name unknown contest "${id}"`);
  }
  const contests = [];
  const openings = [];
  for (const contest of manifest.contests) {
    const selection = choices.get(contest.id);
    if (!selection) throw new Error(`choices miss contest "${contest.id}"`);
    const messages = encodeContestSelection(group, contest, selection);
    const randomness = messages.map(() => group.scalars.randomNonzero(rng));
    const ciphertexts = messages.map((m, j) => encrypt(group, election.publicKey, m, randomness[j]));
    const proofContext = {
      electionHash: election.contextHash,
      binding: contestProofBinding(election.contextHash, credential.publicKey, contest.id),
    };
    const proof = ciphertextRandomnessProve(group, proofContext, ciphertexts, randomness, rng);
    contests.push({
      contest_id: contest.id,
      ciphertexts: ciphertexts.map((c) => ciphertextToJson(group, c)),
      proof: randomnessProofToJson(group, proof),
    });
    openings.push({ selection, randomness });
  }
  const ballot = {
    type: BALLOT_TYPE,
    election_id: manifest.election_id,
    context_hash: toHex(election.contextHash),
    voter_id: credential.voterId,
    credential: toHex(credential.publicKey),
    sequence,
    contests,
  };
  ballot.signature = toHex(ed25519Sign(signedBytes(ballot), credential.seed));
  const hash = canonicalJsonHash(ballot);
  return { ballot, hash, trackingCode: trackingCode(hash), openings };
}

// The Benaloh challenge record (section 8), signed with the same credential.
export function makeChallenge(election, credential, encrypted) {
  const { manifest, group } = election;
  const openings = manifest.contests.map((contest, i) => ({
    contest_id: contest.id,
    choices: selectionToJson(contest, encrypted.openings[i].selection),
    randomness: encrypted.openings[i].randomness.map((r) => group.scalars.toHex(r)),
  }));
  const record = { type: CHALLENGE_TYPE, ballot: encrypted.ballot, openings };
  record.signature = toHex(ed25519Sign(signedBytes(record), credential.seed));
  return record;
}

// Checks a ballot's signature (the device checks its own output before showing the code).
export function ballotSignatureValid(ballot) {
  return ed25519Verify(fromHex(ballot.signature), signedBytes(ballot), fromHex(ballot.credential));
}


// The device's own check of a challenge record before showing it: every opened contest
// re-encrypts (g^r_j = alpha_j and m_j h^r_j = beta_j) to the ballot's ciphertexts. Returns ''
// or the first mismatch. (The board's verifier repeats this independently.)
export function openingFailure(election, record) {
  const { manifest, group } = election;
  for (let i = 0; i < manifest.contests.length; i++) {
    const contest = manifest.contests[i];
    const opening = record.openings[i];
    const cts = record.ballot.contests[i].ciphertexts;
    let selection;
    try {
      selection = selectionFromJson(contest, opening.choices, `openings[${i}].choices`);
    } catch (e) {
      return e.message;
    }
    const messages = encodeContestSelection(group, contest, selection);
    for (let j = 0; j < messages.length; j++) {
      const r = group.scalars.fromHex(opening.randomness[j], `openings[${i}].randomness[${j}]`);
      const alpha = group.fromHex(cts[j].alpha, 'alpha');
      const beta = group.fromHex(cts[j].beta, 'beta');
      if (!group.equals(group.expGenerator(r), alpha)) return `openings[${i}].randomness[${j}]: does not produce the ballot's alpha`;
      if (!group.equals(group.mul(messages[j], group.exp(election.publicKey, r)), beta)) {
        return `openings[${i}].choices: element ${j} does not encrypt the claimed choices`;
      }
    }
  }
  return '';
}
