// Ed25519 (RFC 8032) through @noble/curves, strict RFC 8032 verification (zip215: false) like
// OpenSSL: 32-byte seeds and public keys, 64-byte signatures (docs/crypto.md section 8).
import { ed25519 } from '@noble/curves/ed25519.js';

export const ed25519PublicKey = (seed) => ed25519.getPublicKey(seed);
export const ed25519Sign = (message, seed) => ed25519.sign(message, seed);

export function ed25519Verify(signature, message, publicKey) {
  if (signature.length !== 64 || publicKey.length !== 32) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
