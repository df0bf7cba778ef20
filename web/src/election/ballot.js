// Ballots, tracking codes and Benaloh challenge records of docs/ballots.md sections 3, 7 and 8,
// byte for byte as election/ballot.cpp, election/benaloh.cpp and election/tracking_code.cpp:
// the choices are encrypted first (encryptChoices: ciphertexts and tracking code, nothing that
// names the voter); then either challenged (makeChallenge: anonymous) or cast (castBallot:
// the credential proves and signs only now).
import { ed25519Sign, ed25519Verify, requireEd25519PublicKey } from '../crypto/ed25519.js';
import { concat, fromHex, toHex, u32 } from '../crypto/bytes.js';
import { canonicalJson, canonicalJsonBytes } from '../crypto/canonical-json.js';
import { sha256 } from '../crypto/hash.js';
import { groupByName } from '../crypto/group.js';
import { ciphertextRandomnessProve, ciphertextToJson, encrypt, randomnessProofToJson } from '../crypto/proofs.js';
import { contestWidth, encodeContestSelection, selectionFromJson, selectionToJson } from './selection.js';

export const BALLOT_TYPE = 'haal-ballot-v2';
export const CHALLENGE_TYPE = 'haal-challenge-v2';
export const TRACKING_TYPE = 'haal-tracking-v1';
// A ballot seed: 32 uniform bytes from which every encryption randomness of a ballot derives.
export const BALLOT_SEED_LENGTH = 32;
const RANDOMNESS_DST = 'HAAL-V2-BALLOT-RANDOMNESS';
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

// `plain` in groups of four characters joined by '-'.
export const groupByFour = (plain) => plain.match(/.{1,4}/g).join('-');

// The `length` bytes whose base32 is `text` (case-insensitive; '-' and spaces ignored):
// exactly ceil(8 length / 5) symbols whose unused trailing bits are zero, as
// election/tracking_code.cpp base32_decode_grouped. Throws an Error starting with `what`.
export function base32DecodeGrouped(text, length, what) {
  const expected = Math.ceil((8 * length) / 5);
  const out = [];
  let buffer = 0;
  let bits = 0;
  let symbols = 0;
  for (const raw of text) {
    if (raw === '-' || raw === ' ') continue;
    const value = BASE32.indexOf(raw >= 'a' && raw <= 'z' ? raw.toUpperCase() : raw);
    if (value < 0) throw new Error(`${what}: invalid character '${raw}'`);
    symbols++;
    buffer = ((buffer << 5) | value) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      out.push((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  if (symbols !== expected) throw new Error(`${what}: expected ${expected} characters, got ${symbols}`);
  if ((buffer & ((1 << bits) - 1)) !== 0) throw new Error(`${what}: the last character is not canonical`);
  return Uint8Array.from(out);
}

// Base32 of the first 15 bytes of a tracking hash in six groups of four joined by '-'.
export function trackingCode(hash) {
  return groupByFour(base32Encode(hash.subarray(0, 15)));
}

// The tracking object of a ballot's or a challenge's contests (section 7): canonical JSON
// input {"type": "haal-tracking-v1", "election_id", "context_hash", "contests": [{"contest_id",
// "ciphertexts"}]}, keeping only those two members of each contest.
export function trackingObject(electionId, contextHashHex, contests) {
  return {
    type: TRACKING_TYPE,
    election_id: electionId,
    context_hash: contextHashHex,
    contests: contests.map((c) => ({ contest_id: c.contest_id, ciphertexts: c.ciphertexts })),
  };
}

// tracking_hash = SHA-256(canonical JSON of the tracking object).
export const trackingHash = (electionId, contextHashHex, contests) => canonicalJsonHash(trackingObject(electionId, contextHashHex, contests));

// The tracking code of a ballot or challenge record (the JSON object).
export const trackingCodeOf = (record) => trackingCode(trackingHash(record.election_id, record.context_hash, record.contests));

// The encryption randomness r of ciphertext j of contest i (section 7):
// hash_to_scalar(context_hash || seed || u32(i) || u32(j), "HAAL-V2-BALLOT-RANDOMNESS").
export function ballotRandomness(election, seed, i, j) {
  if (seed.length !== BALLOT_SEED_LENGTH) throw new Error(`a ballot seed has ${BALLOT_SEED_LENGTH} bytes`);
  const r = election.group.scalars.hashToScalar(concat(election.contextHash, seed, u32(i), u32(j)), RANDOMNESS_DST);
  if (r === 0n) throw new Error('the ballot seed derives a zero randomness');
  return r;
}

// The voter's choices encrypted before the voter decides to cast or challenge: {contests
// ([{contest_id, ciphertexts}], public), trackingHash, trackingCode, ciphertexts, seed and
// openings (SECRET unless challenged)}. Nothing in it names the voter. `choices` is a Map
// contest id -> selection; every randomness derives from the 32-byte `seed`.
export function encryptChoicesFromSeed(election, choices, seed) {
  const { manifest, group } = election;
  for (const id of choices.keys()) {
    if (!manifest.contests.some((c) => c.id === id)) throw new Error(`choices name unknown contest "${id}"`);
  }
  const contests = [];
  const ciphertexts = [];
  const openings = [];
  manifest.contests.forEach((contest, i) => {
    const selection = choices.get(contest.id);
    if (!selection) throw new Error(`choices miss contest "${contest.id}"`);
    const messages = encodeContestSelection(group, contest, selection);
    const randomness = messages.map((_, j) => ballotRandomness(election, seed, i, j));
    const cts = messages.map((m, j) => encrypt(group, election.publicKey, m, randomness[j]));
    contests.push({ contest_id: contest.id, ciphertexts: cts.map((c) => ciphertextToJson(group, c)) });
    ciphertexts.push(cts);
    openings.push({ selection, randomness });
  });
  const hash = trackingHash(manifest.election_id, toHex(election.contextHash), contests);
  return { contests, trackingHash: hash, trackingCode: trackingCode(hash), ciphertexts, seed: Uint8Array.from(seed), openings };
}

// Same, with a fresh seed of 32 bytes from `rng`.
export function encryptChoices(election, choices, rng) {
  const seed = rng.fill(new Uint8Array(BALLOT_SEED_LENGTH));
  const out = encryptChoicesFromSeed(election, choices, seed);
  seed.fill(0);
  return out;
}

// Casts `encrypted` under `credential` ({electionId, voterId, publicKey, seed}): per contest
// the proof of knowledge of the randomness bound to the credential (nonces from `rng`), then
// the Ed25519 signature. Returns {ballot, hash}.
export function castBallot(election, credential, encrypted, sequence, rng) {
  const { manifest, group } = election;
  if (credential.electionId !== manifest.election_id) {
    throw new Error(`the credential is for election "${credential.electionId}", not "${manifest.election_id}"`);
  }
  if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > MAX_SEQUENCE) {
    throw new Error('sequence must be between 1 and 2^53 - 1');
  }
  if (encrypted.ciphertexts.length !== manifest.contests.length || encrypted.openings.length !== manifest.contests.length) {
    throw new Error("the encrypted choices do not match the manifest's contests");
  }
  const contests = manifest.contests.map((contest, i) => {
    const proofContext = {
      electionHash: election.contextHash,
      binding: contestProofBinding(election.contextHash, credential.publicKey, contest.id),
    };
    const proof = ciphertextRandomnessProve(group, proofContext, encrypted.ciphertexts[i], encrypted.openings[i].randomness, rng);
    return { contest_id: contest.id, ciphertexts: encrypted.contests[i].ciphertexts, proof: randomnessProofToJson(group, proof) };
  });
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
  return { ballot, hash: canonicalJsonHash(ballot) };
}

// encryptChoices then castBallot, drawing from `rng` in the order of section 7 (the seed,
// then the proof nonces contest by contest), as `encrypt_ballot`. Returns {ballot, hash,
// encrypted}.
export function encryptBallot(election, credential, choices, sequence, rng) {
  if (credential.electionId !== election.manifest.election_id) {
    throw new Error(`the credential is for election "${credential.electionId}", not "${election.manifest.election_id}"`);
  }
  const encrypted = encryptChoices(election, choices, rng);
  return { ...castBallot(election, credential, encrypted, sequence, rng), encrypted };
}

// The anonymous Benaloh challenge record (section 8) opening `encrypted`: the ciphertexts with
// their choices and randomness, no voter identity and no signature.
export function makeChallenge(election, encrypted) {
  const { manifest, group } = election;
  return {
    type: CHALLENGE_TYPE,
    election_id: manifest.election_id,
    context_hash: toHex(election.contextHash),
    contests: manifest.contests.map((contest, i) => ({
      contest_id: contest.id,
      ciphertexts: encrypted.contests[i].ciphertexts,
      choices: selectionToJson(contest, encrypted.openings[i].selection),
      randomness: encrypted.openings[i].randomness.map((r) => group.scalars.toHex(r)),
    })),
  };
}

// Checks a ballot's signature (the device checks its own output).
export function ballotSignatureValid(ballot) {
  return ed25519Verify(fromHex(ballot.signature), signedBytes(ballot), fromHex(ballot.credential));
}

// The device's own check of a challenge record before showing it: every opened contest
// re-encrypts (g^r_j = alpha_j and m_j h^r_j = beta_j) to its ciphertexts. Returns '' or the
// first mismatch. (The collector and the verifier repeat this independently.)
export function openingFailure(election, record) {
  const { manifest, group } = election;
  for (let i = 0; i < manifest.contests.length; i++) {
    const contest = manifest.contests[i];
    const opened = record.contests[i];
    const cts = opened.ciphertexts;
    let selection;
    try {
      selection = selectionFromJson(contest, opened.choices, `contests[${i}].choices`);
    } catch (e) {
      return e.message;
    }
    const messages = encodeContestSelection(group, contest, selection);
    if (cts.length !== messages.length || opened.randomness.length !== messages.length) return `contests[${i}]: expected ${messages.length} ciphertexts and scalars`;
    for (let j = 0; j < messages.length; j++) {
      const r = group.scalars.fromHex(opened.randomness[j], `contests[${i}].randomness[${j}]`);
      const alpha = group.fromHex(cts[j].alpha, 'alpha');
      const beta = group.fromHex(cts[j].beta, 'beta');
      if (!group.equals(group.expGenerator(r), alpha)) return `contests[${i}].randomness[${j}]: does not produce the ciphertext's alpha`;
      if (!group.equals(group.mul(messages[j], group.exp(election.publicKey, r)), beta)) {
        return `contests[${i}].choices: element ${j} does not encrypt the claimed choices`;
      }
    }
  }
  return '';
}
