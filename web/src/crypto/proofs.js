// ElGamal (docs/crypto.md section 6) and the strong Fiat-Shamir proofs of section 7:
//   T = LP(tag) || LP("group") || LP(fingerprint) || LP("context") || LP(election_hash)
//       || LP("binding") || LP(binding) || (LP(label_i) || LP(data_i))*
//   c = hash_to_scalar(T, tag || "-CHALLENGE")
// Proofs are (c, z); verifiers recompute the commitments and reject an identity commitment.
import { concat, lp, u64, utf8 } from './bytes.js';

export class Transcript {
  constructor(tag, group, context) {
    this.tag = tag;
    this.group = group;
    this.parts = [lp(tag), lp('group'), lp(group.fingerprint()), lp('context'), lp(context.electionHash)];
    this.append('binding', context.binding);
  }
  append(label, data) {
    this.parts.push(lp(label), lp(typeof data === 'string' ? utf8(data) : data));
    return this;
  }
  appendU64(label, value) {
    return this.append(label, u64(value));
  }
  appendElement(label, a) {
    return this.append(label, this.group.encode(a));
  }
  bytes() {
    return concat(...this.parts);
  }
  challenge() {
    return this.group.scalars.hashToScalar(this.bytes(), this.tag + '-CHALLENGE');
  }
}

// (alpha, beta) = (g^r, m * h^r).
export function encrypt(group, publicKey, m, r) {
  return { alpha: group.expGenerator(r), beta: group.mul(m, group.exp(publicKey, r)) };
}

export function ciphertextToJson(group, c) {
  return { alpha: group.toHex(c.alpha), beta: group.toHex(c.beta) };
}

// --- 7.1 Schnorr --------------------------------------------------------------------------
const SCHNORR = 'HAAL-V1-SCHNORR';

function schnorrChallenge(group, context, base, y, commitment) {
  return new Transcript(SCHNORR, group, context)
    .appendElement('base', base)
    .appendElement('y', y)
    .appendElement('commitment', commitment)
    .challenge();
}

export function schnorrProve(group, context, base, y, x, rng) {
  const f = group.scalars;
  const w = f.randomNonzero(rng);
  const c = schnorrChallenge(group, context, base, y, group.exp(base, w));
  return { challenge: c, response: f.add(w, f.mul(c, x)) };
}

export function schnorrVerify(group, context, base, y, proof) {
  const a = group.multiExp2Var(base, proof.response, y, group.scalars.neg(proof.challenge));
  if (group.isIdentity(a)) return false;
  return schnorrChallenge(group, context, base, y, a) === proof.challenge;
}

// --- 7.2 Chaum-Pedersen -------------------------------------------------------------------
const CHAUM_PEDERSEN = 'HAAL-V1-CHAUM-PEDERSEN';

function chaumPedersenChallenge(group, context, g1, A, g2, B, a1, a2) {
  return new Transcript(CHAUM_PEDERSEN, group, context)
    .appendElement('g1', g1)
    .appendElement('A', A)
    .appendElement('g2', g2)
    .appendElement('B', B)
    .appendElement('commitment1', a1)
    .appendElement('commitment2', a2)
    .challenge();
}

export function chaumPedersenProve(group, context, g1, A, g2, B, x, rng) {
  const f = group.scalars;
  const w = f.randomNonzero(rng);
  const c = chaumPedersenChallenge(group, context, g1, A, g2, B, group.exp(g1, w), group.exp(g2, w));
  return { challenge: c, response: f.add(w, f.mul(c, x)) };
}

export function chaumPedersenVerify(group, context, g1, A, g2, B, proof) {
  const minusC = group.scalars.neg(proof.challenge);
  const a1 = group.multiExp2Var(g1, proof.response, A, minusC);
  const a2 = group.multiExp2Var(g2, proof.response, B, minusC);
  if (group.isIdentity(a1) || group.isIdentity(a2)) return false;
  return chaumPedersenChallenge(group, context, g1, A, g2, B, a1, a2) === proof.challenge;
}

export function singleProofToJson(group, proof) {
  return { challenge: group.scalars.toHex(proof.challenge), response: group.scalars.toHex(proof.response) };
}

// --- 7.3 Ciphertext randomness ------------------------------------------------------------
const RANDOMNESS = 'HAAL-V1-CIPHERTEXT-RANDOMNESS';

function randomnessChallenge(group, context, ciphertexts, commitments) {
  const t = new Transcript(RANDOMNESS, group, context).appendU64('width', ciphertexts.length);
  for (const c of ciphertexts) t.appendElement('alpha', c.alpha).appendElement('beta', c.beta);
  for (const a of commitments) t.appendElement('commitment', a);
  return t.challenge();
}

// Draws one nonce per ciphertext (after the caller drew the randomness), like the C++ prover.
export function ciphertextRandomnessProve(group, context, ciphertexts, randomness, rng) {
  if (ciphertexts.length === 0 || ciphertexts.length !== randomness.length) {
    throw new Error('randomness proof needs one randomness per ciphertext');
  }
  const f = group.scalars;
  const nonces = ciphertexts.map(() => f.randomNonzero(rng));
  const commitments = nonces.map((w) => group.expGenerator(w));
  const c = randomnessChallenge(group, context, ciphertexts, commitments);
  return { challenge: c, responses: nonces.map((w, i) => f.add(w, f.mul(c, randomness[i]))) };
}

export function ciphertextRandomnessVerify(group, context, ciphertexts, proof) {
  if (ciphertexts.length === 0 || proof.responses.length !== ciphertexts.length) return false;
  const minusC = group.scalars.neg(proof.challenge);
  const commitments = [];
  for (let i = 0; i < ciphertexts.length; i++) {
    const a = group.multiExp2Var(group.generator(), proof.responses[i], ciphertexts[i].alpha, minusC);
    if (group.isIdentity(a)) return false;
    commitments.push(a);
  }
  return randomnessChallenge(group, context, ciphertexts, commitments) === proof.challenge;
}

export function randomnessProofToJson(group, proof) {
  return {
    challenge: group.scalars.toHex(proof.challenge),
    responses: proof.responses.map((z) => group.scalars.toHex(z)),
  };
}
