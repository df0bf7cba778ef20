// The browser's crypto reproduces tests/vectors/crypto-*.json byte for byte (node --test):
// group descriptors and fingerprints, hash_to_scalar, independent generators, message
// embedding, ElGamal and the Schnorr, Chaum-Pedersen and ciphertext-randomness proofs with
// DeterministicRandomForTests (the seed of tests/crypto/test_vectors.cpp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fromHex, toHex, utf8 } from '../../web/src/crypto/bytes.js';
import { groupByName } from '../../web/src/crypto/group.js';
import { sha256 } from '../../web/src/crypto/hash.js';
import { DeterministicRandomForTests } from '../../web/src/crypto/random.js';
import * as P from '../../web/src/crypto/proofs.js';

const vectors = (name) => JSON.parse(readFileSync(new URL(`../vectors/crypto-${name}.json`, import.meta.url)));

for (const name of ['P-256', 'modp-2048']) {
  const v = vectors(name);
  const g = groupByName(name);
  const f = g.scalars;

  test(`${name}: descriptor, fingerprint and generator`, () => {
    assert.equal(toHex(g.descriptor()), v.descriptor);
    assert.equal(toHex(g.fingerprint()), v.fingerprint);
    assert.equal(g.toHex(g.generator()), v.generator);
  });

  test(`${name}: hash_to_scalar (expand_message_xmd, RFC 9380)`, () => {
    for (const h of v.hash_to_scalar) assert.equal(f.toHex(f.hashToScalar(utf8(h.message), h.dst)), h.scalar);
  });

  test(`${name}: independent generators (hash to element)`, () => {
    const gens = g.independentGenerators(v.independent_generators.seed_label, v.independent_generators.elements.length);
    assert.deepEqual(gens.map((e) => g.toHex(e)), v.independent_generators.elements);
  });

  test(`${name}: message embedding`, () => {
    for (const m of v.message_embedding) assert.equal(g.toHex(g.encodeMessage(fromHex(m.message_hex))), m.element);
  });

  test(`${name}: keys, ElGamal and the three proofs with the deterministic test RNG`, () => {
    const rng = new DeterministicRandomForTests(utf8(`haal test vectors ${name}`));
    const x = f.randomNonzero(rng);
    const pk = g.expGenerator(x);
    assert.equal(f.toHex(x), v.secret_key);
    assert.equal(g.toHex(pk), v.public_key);
    const r = f.randomNonzero(rng);
    const m = g.encodeMessage(utf8('A'));
    const ct = P.encrypt(g, pk, m, r);
    assert.deepEqual(
      { message: g.toHex(m), randomness: f.toHex(r), ...P.ciphertextToJson(g, ct) },
      v.elgamal,
    );
    const ctx = { electionHash: sha256('haal test election'), binding: utf8('binding') };
    assert.deepEqual({ election_hash: toHex(ctx.electionHash), binding: toHex(ctx.binding) }, v.proof_context);
    const schnorr = P.schnorrProve(g, ctx, g.generator(), pk, x, rng);
    assert.deepEqual(P.singleProofToJson(g, schnorr), v.schnorr);
    const share = g.exp(ct.alpha, x);
    assert.equal(g.toHex(share), v.chaum_pedersen.B);
    assert.equal(g.toHex(ct.alpha), v.chaum_pedersen.g2);
    const cp = P.chaumPedersenProve(g, ctx, g.generator(), pk, ct.alpha, share, x, rng);
    assert.deepEqual(P.singleProofToJson(g, cp), v.chaum_pedersen.proof);
    const rp = P.ciphertextRandomnessProve(g, ctx, [ct], [r], rng);
    assert.deepEqual(P.randomnessProofToJson(g, rp), v.ciphertext_randomness);
  });

  test(`${name}: the stored proofs verify, altered ones do not`, () => {
    const ctx = { electionHash: fromHex(v.proof_context.election_hash), binding: fromHex(v.proof_context.binding) };
    const pk = g.fromHex(v.public_key);
    const schnorr = { challenge: f.fromHex(v.schnorr.challenge), response: f.fromHex(v.schnorr.response) };
    assert.ok(P.schnorrVerify(g, ctx, g.generator(), pk, schnorr));
    assert.ok(!P.schnorrVerify(g, ctx, g.generator(), pk, { ...schnorr, response: f.add(schnorr.response, 1n) }));
    assert.ok(!P.schnorrVerify(g, { ...ctx, binding: utf8('other') }, g.generator(), pk, schnorr));
    const ct = { alpha: g.fromHex(v.elgamal.alpha), beta: g.fromHex(v.elgamal.beta) };
    const rp = { challenge: f.fromHex(v.ciphertext_randomness.challenge), responses: v.ciphertext_randomness.responses.map((z) => f.fromHex(z)) };
    assert.ok(P.ciphertextRandomnessVerify(g, ctx, [ct], rp));
    // beta is in the transcript: changing it breaks the proof.
    assert.ok(!P.ciphertextRandomnessVerify(g, ctx, [{ alpha: ct.alpha, beta: ct.alpha }], rp));
    const B = g.fromHex(v.chaum_pedersen.B);
    const cp = { challenge: f.fromHex(v.chaum_pedersen.proof.challenge), response: f.fromHex(v.chaum_pedersen.proof.response) };
    assert.ok(P.chaumPedersenVerify(g, ctx, g.generator(), pk, ct.alpha, B, cp));
    assert.ok(!P.chaumPedersenVerify(g, ctx, g.generator(), pk, ct.alpha, pk, cp));
  });

  test(`${name}: element and scalar decoding rejects what the C++ core rejects`, () => {
    const zero = new Uint8Array(g.elementLength);
    assert.throws(() => g.decode(zero), /identity|\[1, p\)/);
    assert.throws(() => g.decode(new Uint8Array(g.elementLength - 1)), /must be/);
    assert.throws(() => f.decode(new Uint8Array(f.length + 1)), /scalar must be/);
    assert.throws(() => f.fromHex(f.q.toString(16).padStart(2 * f.length, '0')), /below the group order/);
    assert.throws(() => g.fromHex(v.public_key.toUpperCase()), /lowercase hex/);
    if (name === 'P-256') {
      const bad = fromHex(v.public_key);
      bad[0] = 4;
      assert.throws(() => g.decode(bad), /02 or 03/);
    } else {
      // p - 1 is not a quadratic residue (p = 3 mod 4), so not in the group.
      const minusOne = g.encode(g.p - 1n);
      assert.throws(() => g.decode(minusOne), /quadratic residue/);
    }
  });
}
