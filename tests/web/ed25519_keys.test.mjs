// The browser's Ed25519 public-key rule (web/src/crypto/ed25519.js) gives the verdicts and
// reasons of crypto::ed25519_public_key_problem_var (tests/crypto/test_ed25519.cpp), and its
// small-order list is the one noble-curves computes with curve arithmetic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// noble itself, as web/ installs it (tests/web has no node_modules of its own).
import { ed25519, ED25519_TORSION_SUBGROUP } from '../../web/node_modules/@noble/curves/ed25519.js';
import { fromHex, toHex, utf8 } from '../../web/src/crypto/bytes.js';
import { ed25519PublicKey, ed25519PublicKeyProblem, ed25519Sign, ed25519Verify, requireEd25519PublicKey } from '../../web/src/crypto/ed25519.js';
import { parseCredentialFile } from '../../web/src/election/credential.js';

const SMALL = 'a small-order Ed25519 point (it would verify forged signatures)';
const NON_CANONICAL = 'not a canonical Ed25519 point encoding (y >= 2^255-19, RFC 8032 5.1.3)';
const OFF_CURVE = 'not an Ed25519 curve point (no x for this y, RFC 8032 5.1.3)';

// docs/crypto.md section 8: the seven y of libsodium's blocklist, each with both sign bits.
const BLOCKLIST_Y = [
  '0000000000000000000000000000000000000000000000000000000000000000',
  '0100000000000000000000000000000000000000000000000000000000000000',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
];
const withSign = (hex) => hex.slice(0, 62) + (parseInt(hex.slice(62), 16) | 0x80).toString(16);
const ALL_ENCODINGS = BLOCKLIST_Y.flatMap((y) => [y, withSign(y)]);

test('the 14 small-order encodings are refused, and noble finds each of small order', () => {
  assert.equal(ALL_ENCODINGS.length, 14);
  for (const hex of ALL_ENCODINGS) {
    assert.equal(ed25519PublicKeyProblem(fromHex(hex)), SMALL, hex);
    assert.ok(ed25519.Point.fromHex(hex, true).isSmallOrder(), hex);
  }
  // noble's 8-torsion subgroup (canonical encodings) is among them.
  for (const hex of ED25519_TORSION_SUBGROUP) assert.ok(ALL_ENCODINGS.includes(hex), hex);
  assert.throws(() => requireEd25519PublicKey(fromHex(BLOCKLIST_Y[1]), 'credential.public_key'),
    { message: `credential.public_key: ${SMALL}` });
});

test('under the identity key, R = identity, S = 0 passes ZIP-215 only: noble strict and ed25519Verify refuse it', () => {
  const identity = fromHex(BLOCKLIST_Y[1]);
  const forged = new Uint8Array(64);
  forged[0] = 1;
  // ZIP-215 (noble's default) accepts the forgery under the identity for any message.
  assert.equal(ed25519.verify(forged, utf8('ballot'), identity, { zip215: true }), true);
  assert.equal(ed25519.verify(forged, utf8('ballot'), identity, { zip215: false }), false);
  assert.equal(ed25519Verify(forged, utf8('ballot'), identity), false);
});

test('non-canonical, off-curve and wrong-length keys get the C++ reasons; real keys pass', () => {
  assert.equal(ed25519PublicKeyProblem(fromHex('f0' + 'ff'.repeat(30) + '7f')), NON_CANONICAL);
  assert.equal(ed25519PublicKeyProblem(fromHex('ff'.repeat(32))), NON_CANONICAL);
  assert.equal(ed25519PublicKeyProblem(fromHex('02' + '00'.repeat(31))), OFF_CURVE);
  assert.equal(ed25519PublicKeyProblem(fromHex('03' + '00'.repeat(31))), '');
  assert.equal(ed25519PublicKeyProblem(new Uint8Array(31)), 'an Ed25519 public key must be 32 bytes, got 31');
  assert.equal(ed25519PublicKeyProblem(fromHex('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a')), '');
  for (let i = 0; i < 50; i++) {
    const seed = new Uint8Array(32).fill(i + 1);
    const key = ed25519PublicKey(seed);
    assert.equal(ed25519PublicKeyProblem(key), '', toHex(key));
    assert.equal(ed25519Verify(ed25519Sign(utf8('m'), seed), utf8('m'), key), true);
  }
});

test('a credential file with a small-order public key is refused', () => {
  const file = JSON.stringify({ election_id: 'e', voter_id: 'v1', public_key: BLOCKLIST_Y[1], seed: '00'.repeat(32) });
  assert.throws(() => parseCredentialFile(file), { message: `credential.public_key: ${SMALL}` });
});
