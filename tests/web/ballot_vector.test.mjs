// The browser's ballot code reproduces tests/vectors/ballot-p256.json byte for byte: the
// election context and its hash, the proof bindings, the ballot seed, the tracking object and
// code, the signed bytes, the ballot and its hash, the check key and the anonymous Benaloh
// challenge record (docs/ballots.md sections 3, 7, 8, 11, 12); the check-key codec is strict;
// the check key opens the cast ballot to the voter's choices, and no other key does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ed25519PublicKey, ed25519Sign } from '../../web/src/crypto/ed25519.js';
import { fromHex, toHex } from '../../web/src/crypto/bytes.js';
import { canonicalJson, canonicalJsonBytes } from '../../web/src/crypto/canonical-json.js';
import { sha256 } from '../../web/src/crypto/hash.js';
import { DeterministicRandomForTests } from '../../web/src/crypto/random.js';
import {
  ballotSignatureValid,
  CHALLENGE_TYPE,
  contestProofBinding,
  Election,
  encryptBallot,
  encryptChoicesFromSeed,
  makeChallenge,
  openingFailure,
  sealContext,
  signedBytes,
  trackingCodeOf,
  trackingObject,
} from '../../web/src/election/ballot.js';
import { checkKeySeed, checkKeyText, checkRequestBinding, makeCheckRequest, normalizeCheckKey, openCastBallot, WrongCheckKeyError } from '../../web/src/election/cast_check.js';
import { schnorrVerify } from '../../web/src/crypto/proofs.js';
import { systemRandom } from '../../web/src/crypto/random.js';
import { groupByName } from '../../web/src/crypto/group.js';
import {
  ballotChoicesFromJson,
  decodeContestPlaintext,
  decodeContestPlaintexts,
  encodeContestPlaintext,
  encodeContestSelection,
  selectionFromJson,
  selectionToJson,
} from '../../web/src/election/selection.js';

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

test('ballot seed, tracking object and code, signed bytes, ballot, ballot_hash, check key and challenge record', () => {
  const choices = ballotChoicesFromJson(v.manifest, v.choices);
  // The rng gives the 32-byte ballot seed first, then the proof nonces contest by contest.
  const rng = new DeterministicRandomForTests(fromHex(v.rng_seed));
  const cast = encryptBallot(election, credential, choices, v.sequence, rng);
  const { encrypted } = cast;
  assert.equal(toHex(encrypted.seed), v.ballot_seed);
  const tracking = trackingObject(v.manifest.election_id, v.context_hash, encrypted.contests);
  assert.equal(toHex(sha256(canonicalJsonBytes(tracking))), v.tracking_object_sha256);
  assert.equal(toHex(encrypted.trackingHash), v.tracking_object_sha256);
  assert.equal(encrypted.trackingCode, v.tracking_code);
  assert.equal(toHex(sha256(signedBytes(cast.ballot))), v.ballot_signed_bytes_sha256);
  assert.equal(canonicalJson(cast.ballot), canonicalJson(v.ballot));
  assert.equal(toHex(cast.hash), v.ballot_hash);
  assert.ok(ballotSignatureValid(cast.ballot));
  // The tracking code commits to the ciphertexts and the election alone: the cast ballot (with
  // proofs, voter id and signature) and the challenge record give the same code.
  assert.equal(trackingCodeOf(v.ballot), v.tracking_code);
  assert.equal(trackingCodeOf(v.challenge), v.tracking_code);
  assert.equal(checkKeyText(encrypted.seed), v.check_key);
  const record = makeChallenge(election, encrypted);
  assert.equal(canonicalJson(record), canonicalJson(v.challenge));
  assert.equal(openingFailure(election, record), '');
  // The same encryption from the seed alone (what the check key carries).
  const again = encryptChoicesFromSeed(election, choices, fromHex(v.ballot_seed));
  assert.equal(canonicalJson(again.contests), canonicalJson(encrypted.contests));
});

test('the challenge record is anonymous: no voter id, credential, sequence or signature', () => {
  assert.deepEqual(Object.keys(v.challenge).sort(), ['contests', 'context_hash', 'election_id', 'type']);
  assert.equal(v.challenge.type, CHALLENGE_TYPE);
  for (const c of v.challenge.contests) assert.deepEqual(Object.keys(c).sort(), ['choices', 'ciphertexts', 'contest_id', 'randomness']);
  const text = canonicalJson(v.challenge);
  for (const secret of [v.voter_id, v.credential_public_key, v.ballot.signature]) assert.ok(!text.includes(secret));
  // The challenged choices are the voter's choices, in manifest order.
  v.manifest.contests.forEach((contest, i) => {
    assert.equal(v.challenge.contests[i].contest_id, contest.id);
    assert.deepEqual(v.challenge.contests[i].choices, selectionToJson(contest, selectionFromJson(contest, v.choices[contest.id])));
  });
});

test('a challenge whose claimed choices differ from the encryption is caught', () => {
  const record = structuredClone(v.challenge);
  record.contests[2].choices = ['yes'];  // the ballot encrypts "no"
  assert.match(openingFailure(election, record), /does not encrypt the claimed choices/);
  const other = structuredClone(v.challenge);
  other.contests[1].randomness[0] = other.contests[0].randomness[0];
  assert.match(openingFailure(election, other), /does not produce the ciphertext's alpha/);
});

test('a check request proves the key, bound to the tracking code, as the collector checks it', () => {
  const binding = checkRequestBinding(election.contextHash, v.tracking_code);
  assert.equal(new TextDecoder().decode(binding), v.check_request_binding);
  const request = makeCheckRequest(election, v.tracking_code, checkKeySeed(v.check_key), systemRandom);
  assert.deepEqual(Object.keys(request), ['proof']);
  assert.ok(!JSON.stringify(request).includes(v.ballot_seed));
  const { group } = election;
  const alpha = group.fromHex(v.ballot.contests[0].ciphertexts[0].alpha, 'alpha');
  const proof = { challenge: group.scalars.fromHex(request.proof.challenge), response: group.scalars.fromHex(request.proof.response) };
  const context = { electionHash: election.contextHash, binding };
  assert.ok(schnorrVerify(group, context, group.generator(), alpha, proof));
  const otherCode = { electionHash: election.contextHash, binding: checkRequestBinding(election.contextHash, 'AAAA-AAAA-AAAA-AAAA-AAAA-AAAA') };
  assert.ok(!schnorrVerify(group, otherCode, group.generator(), alpha, proof));
});

test('the check key codec: 13 groups of four, case and separators free, strict', () => {
  const seed = checkKeySeed(v.check_key);
  assert.equal(toHex(seed), v.ballot_seed);
  assert.match(v.check_key, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){12}$/);
  assert.equal(toHex(checkKeySeed(v.check_key.toLowerCase().replace(/-/g, ' '))), v.ballot_seed);
  assert.equal(normalizeCheckKey(v.check_key.toLowerCase().replace(/-/g, '')), v.check_key);
  const compact = v.check_key.replace(/-/g, '');
  assert.throws(() => checkKeySeed(compact.slice(0, -1)), /check key: expected 52 characters, got 51/);
  assert.throws(() => checkKeySeed(compact + 'A'), /check key: expected 52 characters, got 53/);
  assert.throws(() => checkKeySeed(compact.replace(/^./, '1')), /check key: invalid character '1'/);
  assert.throws(() => checkKeySeed(compact.replace(/^./, 'Ä')), /invalid character/);
  // 52 symbols carry 260 bits for 256: the last symbol's 4 unused bits must be zero.
  const last = compact.at(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const noncanonical = alphabet[alphabet.indexOf(last) | 1];
  assert.notEqual(noncanonical, last);
  assert.throws(() => checkKeySeed(compact.slice(0, -1) + noncanonical), /the last character is not canonical/);
  assert.equal(normalizeCheckKey('not a key'), null);
  assert.throws(() => checkKeyText(new Uint8Array(31)), /32 bytes/);
});

test('the check key opens the cast ballot to the choices; another key does not', () => {
  const opened = openCastBallot(election, v.ballot.contests, checkKeySeed(v.check_key));
  v.manifest.contests.forEach((contest, i) => {
    assert.ok(opened[i].selection, `contest ${contest.id}: ${opened[i].invalid}`);
    assert.deepEqual(selectionToJson(contest, opened[i].selection), selectionToJson(contest, selectionFromJson(contest, v.choices[contest.id])));
  });
  const wrong = checkKeySeed(v.check_key);
  wrong[0] ^= 1;
  assert.throws(() => openCastBallot(election, v.ballot.contests, wrong), (e) => e instanceof WrongCheckKeyError && /contest "mayor", ciphertext 0/.test(e.message));
  // A beta changed on the way decrypts to no valid selection (alphas still match).
  const contests = structuredClone(v.ballot.contests);
  contests[2].ciphertexts[0].beta = contests[0].ciphertexts[0].beta;
  const tampered = openCastBallot(election, contests, checkKeySeed(v.check_key));
  assert.ok(tampered[2].invalid, 'a changed beta must not decode');
  assert.throws(() => openCastBallot(election, contests.slice(1), checkKeySeed(v.check_key)), /this election's contests/);
});

test('decoding inverts the encoding in every group, and refuses what no selection encodes', () => {
  for (const name of ['P-256', 'modp-2048']) {
    const group = groupByName(name);
    for (const contest of v.manifest.contests) {
      const selection = selectionFromJson(contest, v.choices[contest.id]);
      const decoded = decodeContestPlaintexts(group, contest, encodeContestSelection(group, contest, selection));
      assert.deepEqual(decoded, { selection }, `${name} ${contest.id}`);
      const p = encodeContestPlaintext(contest, selection);
      assert.ok(group.decodeMessage(group.encodeMessage(p.subarray(0, 3))).every((b, k) => b === p[k]));
    }
    assert.throws(() => group.decodeMessage(group.generator()), /embeds no message/);
  }
  const [mayor, council, , board] = v.manifest.contests;
  assert.match(decodeContestPlaintext(council, Uint8Array.of(0x01)).invalid, /bitmap bit 7 set \(unused\)/);
  assert.match(decodeContestPlaintext(council, Uint8Array.of(0xf0)).invalid, /4 choices, at most 3 allowed/);
  const ranked = encodeContestPlaintext(board, selectionFromJson(board, ['fay', 'dan']));
  ranked[1] = 0;
  assert.match(decodeContestPlaintext(board, ranked).invalid, /rank 2 is filled after an empty rank/);
  const writeIn = encodeContestPlaintext(mayor, selectionFromJson(mayor, [{ write_in: 'Zed' }]));
  writeIn.set([0xff], 4);
  assert.match(decodeContestPlaintext(mayor, writeIn).invalid, /not valid UTF-8/);
  assert.match(decodeContestPlaintext(mayor, writeIn.subarray(1)).invalid, /plaintext of 42 bytes, expected 43/);
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
