// The browser's ballot code reproduces tests/vectors/ballot-p256.json byte for byte: the
// election context and its hash, the proof bindings, the signed bytes, the ballot, its hash and
// tracking code, and the Benaloh challenge record (docs/ballots.md sections 3, 7, 8, 11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ed25519PublicKey, ed25519Sign } from '../../web/src/crypto/ed25519.js';
import { fromHex, toHex } from '../../web/src/crypto/bytes.js';
import { canonicalJson } from '../../web/src/crypto/canonical-json.js';
import { sha256 } from '../../web/src/crypto/hash.js';
import { DeterministicRandomForTests } from '../../web/src/crypto/random.js';
import {
  ballotSignatureValid,
  contestProofBinding,
  Election,
  encryptBallot,
  makeChallenge,
  openingFailure,
  sealContext,
  signedBytes,
} from '../../web/src/election/ballot.js';
import { ballotChoicesFromJson, encodeContestPlaintext, selectionFromJson } from '../../web/src/election/selection.js';

const v = JSON.parse(readFileSync(new URL('../vectors/ballot-p256.json', import.meta.url)));
const context = sealContext(v.manifest, v.ceremony_result, v.parties);
const election = new Election({ manifest: v.manifest, context, context_hash: v.context_hash });
const seed = fromHex(v.credential_seed);
const credential = { electionId: v.manifest.election_id, voterId: v.voter_id, publicKey: ed25519PublicKey(seed), seed };

test('election context and context_hash', () => {
  assert.equal(canonicalJson(context), canonicalJson(v.context));
  assert.equal(toHex(election.contextHash), v.context_hash);
  assert.equal(toHex(credential.publicKey), v.credential_public_key);
});

test('proof bindings', () => {
  const bindings = v.manifest.contests.map((c) => new TextDecoder().decode(contestProofBinding(election.contextHash, credential.publicKey, c.id)));
  assert.deepEqual(bindings, v.proof_bindings);
});

test('ballot, signed bytes, ballot_hash, tracking code and challenge record', () => {
  const choices = ballotChoicesFromJson(v.manifest, v.choices);
  const rng = new DeterministicRandomForTests(fromHex(v.rng_seed));
  const encrypted = encryptBallot(election, credential, choices, v.sequence, rng);
  assert.equal(toHex(sha256(signedBytes(encrypted.ballot))), v.ballot_signed_bytes_sha256);
  assert.equal(canonicalJson(encrypted.ballot), canonicalJson(v.ballot));
  assert.equal(toHex(encrypted.hash), v.ballot_hash);
  assert.equal(encrypted.trackingCode, v.tracking_code);
  assert.ok(ballotSignatureValid(encrypted.ballot));
  const record = makeChallenge(election, credential, encrypted);
  assert.equal(canonicalJson(record), canonicalJson(v.challenge));
  assert.equal(openingFailure(election, record), '');
});

test('a challenge whose claimed choices differ from the encryption is caught', () => {
  const record = structuredClone(v.challenge);
  record.openings[2].choices = ['yes'];  // the ballot encrypts "no"
  assert.match(openingFailure(election, record), /does not encrypt the claimed choices/);
  const other = structuredClone(v.challenge);
  other.openings[1].randomness[0] = other.openings[0].randomness[0];
  assert.match(openingFailure(election, other), /does not produce the ballot's alpha/);
});

test('plaintext encodings of each contest kind (docs/ballots.md section 6)', () => {
  const [mayor, council, measure, board] = v.manifest.contests;
  // Plurality with write-in: bitmap of ceil(4/8) = 1 byte, then u16 length, text, zero padding.
  const p = encodeContestPlaintext(mayor, selectionFromJson(mayor, [{ write_in: 'Zoë' }]));
  assert.equal(p.length, 1 + 2 + 40);
  assert.equal(toHex(p.subarray(0, 7)), '10' + '0004' + '5a6fc3ab');
  assert.ok(p.subarray(7).every((b) => b === 0));
  // Approval: c1 and c4 -> bits 0x80 and 0x10.
  assert.equal(toHex(encodeContestPlaintext(council, selectionFromJson(council, ['c4', 'c1']))), '90');
  assert.equal(toHex(encodeContestPlaintext(measure, selectionFromJson(measure, []))), '00');
  // Ranked: u16 slots of 1 + candidate index; the write-in is candidate 4.
  const ranked = encodeContestPlaintext(board, selectionFromJson(board, ['fay', { write_in: 'Hal' }, 'dan']));
  assert.equal(toHex(ranked.subarray(0, 6 + 5)), '0003' + '0005' + '0001' + '0003' + '48616c');
});

test('selection rules give the C++ reasons', () => {
  const [mayor, council, , board] = v.manifest.contests;
  assert.throws(() => selectionFromJson(mayor, []), /0 choices, at least 1 required/);
  assert.throws(() => selectionFromJson(council, ['c1', 'c2', 'c3', 'c4']), /4 choices, at most 3 allowed/);
  assert.throws(() => selectionFromJson(mayor, ['zed']), /unknown option id "zed"/);
  assert.throws(() => selectionFromJson(board, ['dan', 'dan']), /option "dan" repeated/);
  assert.throws(() => selectionFromJson(mayor, [{ write_in: 'x'.repeat(41) }]), /41 UTF-8 bytes, more than the limit of 40/);
  assert.throws(() => selectionFromJson(mayor, [{ write_in: 'a\u0001' }]), /control character \(byte 1\)/);
  assert.throws(() => selectionFromJson(mayor, [{ write_in: '' }]), /the write-in text is empty/);
  assert.throws(() => selectionFromJson(council, [{ write_in: 'x' }]), /has no write-in/);
});
