// Ed25519 (RFC 8032) through @noble/curves, strict RFC 8032 verification (zip215: false) like
// OpenSSL: 32-byte seeds and public keys, 64-byte signatures (docs/crypto.md section 8), and the
// public-key rule of crypto/ed25519.cpp (small-order, non-canonical and off-curve keys refused,
// with the same reasons).
import { ed25519 } from '@noble/curves/ed25519.js';

export const ed25519PublicKey = (seed) => ed25519.getPublicKey(seed);
export const ed25519Sign = (message, seed) => ed25519.sign(message, seed);

const P = (1n << 255n) - 19n;

// Returns '' when `publicKey` (bytes) is an acceptable Ed25519 public key, else why, in the words
// of crypto::ed25519_public_key_problem_var (docs/crypto.md section 8), checked in the same order:
// length; small order (decoded leniently, ZIP-215, so that every encoding of the 8 points of order
// dividing 8 is caught, then noble's isSmallOrder: [8]P = identity); y < p (RFC 8032 5.1.3 step 1);
// a curve point (noble's strict RFC 8032 5.1.3 decoding).
export function ed25519PublicKeyProblem(publicKey) {
  if (publicKey.length !== 32) return `an Ed25519 public key must be 32 bytes, got ${publicKey.length}`;
  let lenient = null;
  try {
    lenient = ed25519.Point.fromBytes(publicKey, true);
  } catch {
    lenient = null;
  }
  if (lenient !== null && lenient.isSmallOrder()) return 'a small-order Ed25519 point (it would verify forged signatures)';
  let y = 0n;
  for (let i = 31; i >= 0; i--) y = (y << 8n) | BigInt(i === 31 ? publicKey[i] & 0x7f : publicKey[i]);
  if (y >= P) return 'not a canonical Ed25519 point encoding (y >= 2^255-19, RFC 8032 5.1.3)';
  try {
    ed25519.Point.fromBytes(publicKey, false);
  } catch {
    return 'not an Ed25519 curve point (no x for this y, RFC 8032 5.1.3)';
  }
  return '';
}

// Throws Error(`${path}: reason`) unless ed25519PublicKeyProblem(publicKey) is ''.
export function requireEd25519PublicKey(publicKey, path) {
  const problem = ed25519PublicKeyProblem(publicKey);
  if (problem !== '') throw new Error(`${path}: ${problem}`);
}

// Returns true iff `publicKey` passes ed25519PublicKeyProblem and `signature` verifies (noble's
// strict mode refuses small-order keys too; the rule here is the same as the C++ one).
export function ed25519Verify(signature, message, publicKey) {
  if (signature.length !== 64 || ed25519PublicKeyProblem(publicKey) !== '') return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
