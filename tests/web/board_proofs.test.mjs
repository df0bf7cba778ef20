// RFC 9162 Merkle proofs, the board's leaf encoding and tree-head signatures in the browser code
// (docs/board.md): the RFC 6962 known root of 8 leaves, every inclusion and consistency proof of
// trees up to 8 leaves (and their rejection when altered), the leaf example of section 3, and
// Ed25519 head signatures.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ed25519PublicKey, ed25519Sign } from '../../web/src/crypto/ed25519.js';
import { fromHex, toHex } from '../../web/src/crypto/bytes.js';
import { sha256 } from '../../web/src/crypto/hash.js';
import {
  consistencyFailure,
  encodeLeaf,
  inclusionFailure,
  leafHash,
  nodeHash,
  treeHeadSignatureValid,
  treeHeadSignedBytes,
} from '../../web/src/board/merkle.js';
import { base32Encode, trackingCode } from '../../web/src/election/ballot.js';
import { canonicalJson } from '../../web/src/crypto/canonical-json.js';

const leaves = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map((x) => fromHex(x));
const split = (n) => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
// Reference definitions of RFC 9162 2.1.1, 2.1.3.1 and 2.1.4.1 (recursive, obviously correct).
function mth(d) {
  if (d.length === 0) return sha256(new Uint8Array(0));
  if (d.length === 1) return leafHash(d[0]);
  const k = split(d.length);
  return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m, d) {
  if (d.length <= 1) return [];
  const k = split(d.length);
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
function subproof(m, d, b) {
  if (m === d.length) return b ? [] : [mth(d)];
  const k = split(d.length);
  return m <= k ? [...subproof(m, d.slice(0, k), b), mth(d.slice(k))] : [...subproof(m - k, d.slice(k), false), mth(d.slice(0, k))];
}

test('RFC 6962 known root of 8 leaves', () => {
  assert.equal(toHex(mth(leaves)), '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
});

test('every inclusion proof up to 8 leaves verifies; wrong root, index or path fails', () => {
  for (let n = 1; n <= 8; n++) {
    const d = leaves.slice(0, n);
    const root = mth(d);
    for (let m = 0; m < n; m++) {
      const p = path(m, d);
      assert.equal(inclusionFailure(m, n, leafHash(d[m]), p, root), '', `leaf ${m} of ${n}`);
      assert.notEqual(inclusionFailure(m, n, leafHash(fromHex('ff')), p, root), '');
      assert.notEqual(inclusionFailure(m, n, leafHash(d[m]), [...p, root], root), '');
      if (p.length) assert.notEqual(inclusionFailure(m, n, leafHash(d[m]), p.slice(1), root), '');
      if (n > 1) assert.notEqual(inclusionFailure((m + 1) % n, n, leafHash(d[m]), p, root), '');
    }
    assert.notEqual(inclusionFailure(n, n, leafHash(d[0]), [], root), '');
  }
});

test('every consistency proof up to 8 leaves verifies; altered ones fail', () => {
  for (let n = 1; n <= 8; n++) {
    for (let m = 1; m < n; m++) {
      const p = subproof(m, leaves.slice(0, n), true);
      const r1 = mth(leaves.slice(0, m));
      const r2 = mth(leaves.slice(0, n));
      assert.equal(consistencyFailure(m, n, r1, r2, p), '', `${m} -> ${n}`);
      assert.notEqual(consistencyFailure(m, n, r2, r2, p), '');
      assert.notEqual(consistencyFailure(m, n, r1, r1, p), '');
      assert.notEqual(consistencyFailure(m, n, r1, r2, []), '');
      assert.notEqual(consistencyFailure(m, n, r1, r2, [...p, r1]), '');
    }
  }
  const r = mth(leaves);
  assert.equal(consistencyFailure(8, 8, r, r, []), '');
  assert.notEqual(consistencyFailure(8, 8, r, mth(leaves.slice(0, 7)), []), '');
  assert.equal(consistencyFailure(0, 8, sha256(new Uint8Array(0)), r, []), '');
  assert.notEqual(consistencyFailure(9, 8, r, r, []), '');
});

test('leaf encoding example of docs/board.md section 3', () => {
  assert.equal(
    toHex(encodeLeaf('ballot', 1, 2, new TextEncoder().encode('{}'))),
    '00000013' + '4841414c2d56312d424f4152442d454e545259' + '00000006' + '62616c6c6f74' + '0000000000000001' + '0000000000000002' + '00000002' + '7b7d',
  );
});

test('tree head signatures verify under the collector key only, over the documented bytes', () => {
  const seed = sha256('collector');
  const head = { log_id: 'city-2026', tree_size: 8, root_hash: toHex(mth(leaves)), timestamp_ms: 1795161612345 };
  const signed = treeHeadSignedBytes(head);
  assert.equal(
    toHex(signed).slice(0, 2 * (4 + 17 + 4 + 9 + 8)),
    '00000011' + toHex(new TextEncoder().encode('HAAL-V1-TREE-HEAD')) + '00000009' + toHex(new TextEncoder().encode('city-2026')) + '0000000000000008',
  );
  const sth = { ...head, signature: toHex(ed25519Sign(signed, seed)) };
  assert.ok(treeHeadSignatureValid(sth, ed25519PublicKey(seed)));
  assert.ok(!treeHeadSignatureValid({ ...sth, tree_size: 9 }, ed25519PublicKey(seed)));
  assert.ok(!treeHeadSignatureValid(sth, ed25519PublicKey(sha256('other'))));
});

test('tracking codes and canonical JSON', () => {
  assert.equal(base32Encode(new TextEncoder().encode('foobar')), 'MZXW6YTBOI');  // RFC 4648 section 10
  assert.equal(trackingCode(fromHex('bfba1cbff9f113f2745b994c18755a58a1961502daf72dd04c3097b658a06ca9')), 'X65B-ZP7Z-6EJ7-E5C3-TFGB-Q5K2');
  assert.equal(canonicalJson({ b: 1, a: ['é', '\u0001\n"\\', '\u007f'], é: null, Z: true }), '{"Z":true,"a":["é","\\u0001\\n\\"\\\\","\u007f"],"b":1,"é":null}');
  assert.throws(() => canonicalJson({ x: 1.5 }), /not an integer/);
});
