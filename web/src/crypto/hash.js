// SHA-256, expand_message_xmd (RFC 9380 section 5.3.1) and hash_to_scalar (docs/crypto.md
// section 3).
import { sha256 as nobleSha256 } from '@noble/hashes/sha2.js';
import { expand_message_xmd } from '@noble/curves/abstract/hash-to-curve.js';
import { utf8, os2ip } from './bytes.js';

export function sha256(bytes) {
  return nobleSha256(typeof bytes === 'string' ? utf8(bytes) : bytes);
}

export function expandMessageXmd(msg, dst, length) {
  return expand_message_xmd(msg, typeof dst === 'string' ? utf8(dst) : dst, length, nobleSha256);
}

// OS2IP(expand_message_xmd(msg, dst, L)) mod q with L = ceil((bits(q) + 128) / 8).
export function hashToScalar(msg, dst, q) {
  const bits = q.toString(2).length;
  const length = Math.ceil((bits + 128) / 8);
  return os2ip(expandMessageXmd(msg, dst, length)) % q;
}
