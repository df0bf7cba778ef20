// The prime-order groups of docs/crypto.md section 1 with the exact encodings, descriptors,
// hash-to-element, message embedding and scalar arithmetic of the C++ core (crypto/group_*.cpp).
//   P-256 through @noble/curves (SEC1 compressed points, 33 bytes);
//   modp-2048 / modp-3072: the quadratic residues modulo the RFC 3526 safe primes, g = 4,
//   with JS BigInt arithmetic.
// Elements are opaque values of each group; scalars are BigInt in [0, q).
import { p256 } from '@noble/curves/nist.js';
import { concat, i2osp, lp, os2ip, toHex, u16, u32, utf8, fromHex } from './bytes.js';
import { sha256, expandMessageXmd, hashToScalar } from './hash.js';

function mod(a, m) {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function bitLength(x) {
  return x === 0n ? 0 : x.toString(2).length;
}

// Modular exponentiation (variable time; BigInt offers nothing else): left-to-right with a
// 5-bit sliding window.
export function modPow(base, exponent, m) {
  if (exponent < 0n) throw new Error('modPow: negative exponent');
  if (m === 1n) return 0n;
  base = mod(base, m);
  if (exponent === 0n) return 1n;
  const window = 5;
  const table = [base];
  const b2 = (base * base) % m;
  for (let i = 1; i < 1 << (window - 1); i++) table.push((table[i - 1] * b2) % m);
  const bits = exponent.toString(2);
  let result = 1n;
  let i = 0;
  while (i < bits.length) {
    if (bits[i] === '0') {
      result = (result * result) % m;
      i++;
      continue;
    }
    let j = Math.min(i + window, bits.length);
    while (bits[j - 1] === '0') j--;
    const value = parseInt(bits.slice(i, j), 2);
    for (let k = i; k < j; k++) result = (result * result) % m;
    result = (result * table[(value - 1) >> 1]) % m;
    i = j;
  }
  return result;
}

// Jacobi symbol (a/n) for odd n > 0; equals the Legendre symbol when n is prime.
export function jacobi(a, n) {
  a = mod(a, n);
  let t = 1;
  while (a !== 0n) {
    while ((a & 1n) === 0n) {
      a >>= 1n;
      const r = n & 7n;
      if (r === 3n || r === 5n) t = -t;
    }
    [a, n] = [n, a];
    if ((a & 3n) === 3n && (n & 3n) === 3n) t = -t;
    a %= n;
  }
  return n === 1n ? t : 0;
}

// Scalars mod q (docs/crypto.md section 1, "Scalars").
class ScalarField {
  constructor(q) {
    this.q = q;
    this.bits = bitLength(q);
    this.length = Math.ceil(this.bits / 8);
  }
  encode(s) {
    return i2osp(s, this.length);
  }
  decode(bytes, what = 'scalar') {
    if (bytes.length !== this.length) {
      throw new Error(`${what}: scalar must be ${this.length} bytes, got ${bytes.length}`);
    }
    const v = os2ip(bytes);
    if (v >= this.q) throw new Error(`${what}: scalar is not below the group order`);
    return v;
  }
  toHex(s) {
    return toHex(this.encode(s));
  }
  fromHex(hex, what = 'scalar') {
    return this.decode(fromHex(hex, what), what);
  }
  add(a, b) {
    return (a + b) % this.q;
  }
  mul(a, b) {
    return (a * b) % this.q;
  }
  neg(a) {
    return mod(-a, this.q);
  }
  hashToScalar(msg, dst) {
    return hashToScalar(msg, dst, this.q);
  }
  // Rejection sampling in [1, q) exactly as ScalarField::random_nonzero: draw `length` bytes,
  // clear the excess top bits, retry on 0 or >= q.
  randomNonzero(rng) {
    const buf = new Uint8Array(this.length);
    const topMask = 0xff >> (this.length * 8 - this.bits);
    for (;;) {
      rng.fill(buf);
      buf[0] &= topMask;
      const v = os2ip(buf);
      if (v !== 0n && v < this.q) {
        buf.fill(0);
        return v;
      }
    }
  }
}

class P256Group {
  constructor() {
    this.name = 'P-256';
    this.Point = p256.Point;
    const curve = this.Point.CURVE();
    this.p = curve.p;
    this.scalars = new ScalarField(curve.n);
    this.q = curve.n;
    this.elementLength = 33;
    this.capacity = 30;
    this.g = this.Point.BASE;
    this.identityElement = this.Point.ZERO;
    this._descriptor = concat(
      lp('HAAL-V1-GROUP'),
      lp('P-256'),
      lp(i2osp(curve.p, 32)),
      lp(i2osp(mod(curve.a, curve.p), 32)),
      lp(i2osp(curve.b, 32)),
      lp(this.Point.BASE.toBytes(true)),
      lp(i2osp(curve.n, 32)),
    );
    this._fingerprint = sha256(this._descriptor);
  }
  descriptor() {
    return this._descriptor;
  }
  fingerprint() {
    return this._fingerprint;
  }
  generator() {
    return this.g;
  }
  identity() {
    return this.identityElement;
  }
  isIdentity(a) {
    return a.is0();
  }
  equals(a, b) {
    return a.equals(b);
  }
  mul(a, b) {
    return a.add(b);
  }
  // a * b^-1.
  div(a, b) {
    return a.subtract(b);
  }
  // Secret exponents: noble's constant-time ladder (k in [1, q)).
  expGenerator(k) {
    return this.Point.BASE.multiply(k);
  }
  exp(b, k) {
    return b.multiply(k);
  }
  // Public exponents (any k in [0, q)).
  expVar(b, k) {
    return k === 0n ? this.Point.ZERO : b.multiplyUnsafe(k);
  }
  // b1^e1 * b2^e2 with public exponents.
  multiExp2Var(b1, e1, b2, e2) {
    return this.expVar(b1, e1).add(this.expVar(b2, e2));
  }
  // Speeds up later exponentiations of a long-lived base (the election key).
  prepareBase(b) {
    b.precompute(8, false);
    return b;
  }
  encode(a) {
    return a.is0() ? new Uint8Array(33) : a.toBytes(true);
  }
  // Decoding with the checks of docs/crypto.md section 1, in that order.
  decode(bytes, what = 'element') {
    if (bytes.length !== 33) throw new Error(`${what}: P-256 element must be 33 bytes, got ${bytes.length}`);
    if (bytes.every((b) => b === 0)) throw new Error(`${what}: the identity is not accepted`);
    if (bytes[0] !== 2 && bytes[0] !== 3) throw new Error(`${what}: first byte must be 02 or 03`);
    if (os2ip(bytes.subarray(1)) >= this.p) throw new Error(`${what}: x is not below the field prime`);
    try {
      return this.Point.fromBytes(bytes);
    } catch {
      throw new Error(`${what}: x is not the abscissa of a curve point`);
    }
  }
  toHex(a) {
    return toHex(this.encode(a));
  }
  fromHex(hex, what = 'element') {
    return this.decode(fromHex(hex, what), what);
  }
  // The point with abscissa x (32 bytes) and even y, or null.
  _liftX(xBytes) {
    if (os2ip(xBytes) >= this.p) return null;
    try {
      return this.Point.fromBytes(concat(Uint8Array.of(2), xBytes));
    } catch {
      return null;
    }
  }
  hashToElement(seed, dst) {
    const prefix = concat(lp(dst), lp(seed));
    for (let i = 0; ; i++) {
      const e = this._liftX(sha256(concat(prefix, u32(i))));
      if (e) return e;
    }
  }
  independentGenerators(label, n) {
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(this.hashToElement(concat(utf8(label), u32(i)), 'HAAL-V1-GENERATORS'));
    }
    return out;
  }
  // x = u8(L) || m || zeros to 31 bytes || u8(counter); first counter giving a point, even y.
  encodeMessage(m) {
    if (m.length > this.capacity) {
      throw new Error(`message of ${m.length} bytes exceeds the P-256 capacity of 30 bytes`);
    }
    const x = new Uint8Array(32);
    x[0] = m.length;
    x.set(m, 1);
    for (let counter = 0; counter < 256; counter++) {
      x[31] = counter;
      const e = this._liftX(x);
      if (e) return e;
    }
    throw new Error('P-256 message embedding found no point in 256 tries');
  }
  // The message m that encodeMessage embeds as `a` (x = u8(L) || m || zeros || u8(counter));
  // throws unless `a` is exactly encodeMessage(m), as crypto/group_p256.cpp decode_message.
  decodeMessage(a) {
    if (a.is0()) throw new Error('the identity embeds no message');
    const x = a.toBytes(true).subarray(1);
    if (x[0] > this.capacity) throw new Error('element embeds no message (length byte out of range)');
    const m = x.slice(1, 1 + x[0]);
    if (!this.encodeMessage(m).equals(a)) throw new Error('element embeds no message (not the canonical embedding)');
    return m;
  }
}

const RFC3526_2048 =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AACAA68FFFFFFFFFFFFFFFF';
const RFC3526_3072 =
  'FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DD' +
  'EF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A637ED6B0BFF5CB6F406B7ED' +
  'EE386BFB5A899FA5AE9F24117C4B1FE649286651ECE45B3DC2007CB8A163BF0598DA48361C55D39A69163FA8FD24CF5F' +
  '83655D23DCA3AD961C62F356208552BB9ED529077096966D670C354E4ABC9804F1746C08CA18217C32905E462E36CE3B' +
  'E39E772C180E86039B2783A2EC07A28FB5C55DF06F4C52C9DE2BCBF6955817183995497CEA956AE515D2261898FA0510' +
  '15728E5A8AAAC42DAD33170D04507A33A85521ABDF1CBA64ECFB850458DBEF0A8AEA71575D060C7DB3970F85A6E1E4C7' +
  'ABF5AE8CDB0933D71E8C94E04A25619DCEE3D2261AD2EE6BF12FFA06D98A0864D87602733EC86A64521F2B18177B200C' +
  'BBE117577A615D6C770988C0BAD946E208E24FA074E5AB3143DB5BFCE0FD108E4B82D120A93AD2CAFFFFFFFFFFFFFFFF';

class ModpGroup {
  constructor(name, primeHex) {
    this.name = name;
    this.p = BigInt('0x' + primeHex);
    this.q = (this.p - 1n) / 2n;
    this.scalars = new ScalarField(this.q);
    this.elementLength = Math.ceil(bitLength(this.p) / 8);
    this.capacity = Math.floor((bitLength(this.p) - 2) / 8) - 2;
    this.g = 4n;
    const n = this.elementLength;
    this._descriptor = concat(
      lp('HAAL-V1-GROUP'),
      lp(name),
      lp(i2osp(this.p, n)),
      lp(i2osp(this.q, n)),
      lp(i2osp(4n, n)),
    );
    this._fingerprint = sha256(this._descriptor);
  }
  descriptor() {
    return this._descriptor;
  }
  fingerprint() {
    return this._fingerprint;
  }
  generator() {
    return this.g;
  }
  identity() {
    return 1n;
  }
  isIdentity(a) {
    return a === 1n;
  }
  equals(a, b) {
    return a === b;
  }
  mul(a, b) {
    return (a * b) % this.p;
  }
  // a * b^-1 (b^(p-2) = b^-1 mod the prime p).
  div(a, b) {
    return (a * modPow(b, this.p - 2n, this.p)) % this.p;
  }
  // BigInt has no constant-time exponentiation; see docs/web.md ("Side channels").
  expGenerator(k) {
    return modPow(this.g, k, this.p);
  }
  exp(b, k) {
    return modPow(b, k, this.p);
  }
  expVar(b, k) {
    return modPow(b, k, this.p);
  }
  multiExp2Var(b1, e1, b2, e2) {
    return (modPow(b1, e1, this.p) * modPow(b2, e2, this.p)) % this.p;
  }
  prepareBase(b) {
    return b;
  }
  encode(a) {
    return a === 1n ? new Uint8Array(this.elementLength) : i2osp(a, this.elementLength);
  }
  decode(bytes, what = 'element') {
    if (bytes.length !== this.elementLength) {
      throw new Error(`${what}: ${this.name} element must be ${this.elementLength} bytes, got ${bytes.length}`);
    }
    const v = os2ip(bytes);
    if (v < 1n || v >= this.p) throw new Error(`${what}: value must be in [1, p)`);
    if (v === 1n) throw new Error(`${what}: the identity is not accepted`);
    if (jacobi(v, this.p) !== 1) throw new Error(`${what}: not a quadratic residue (not in the group)`);
    return v;
  }
  toHex(a) {
    return toHex(this.encode(a));
  }
  fromHex(hex, what = 'element') {
    return this.decode(fromHex(hex, what), what);
  }
  hashToElement(seed, dst) {
    const length = this.elementLength + 16;
    for (let i = 0; ; i++) {
      const v = os2ip(expandMessageXmd(concat(lp(seed), u32(i)), dst, length)) % this.p;
      const e = (v * v) % this.p;
      if (e !== 0n && e !== 1n) return e;
    }
  }
  independentGenerators(label, n) {
    const out = [];
    for (let i = 0; i < n; i++) {
      out.push(this.hashToElement(concat(utf8(label), u32(i)), 'HAAL-V1-GENERATORS'));
    }
    return out;
  }
  // x = OS2IP(u16(L) || m) + 2; x if it is a quadratic residue, else p - x.
  encodeMessage(m) {
    if (m.length > this.capacity) {
      throw new Error(`message of ${m.length} bytes exceeds the ${this.name} capacity of ${this.capacity} bytes`);
    }
    const x = os2ip(concat(u16(m.length), m)) + 2n;
    return jacobi(x, this.p) === 1 ? x : this.p - x;
  }
  // The message m that encodeMessage embeds as `a`; throws unless `a` is exactly
  // encodeMessage(m), as crypto/group_modp.cpp decode_message.
  decodeMessage(a) {
    const x = (a <= this.q ? a : this.p - a) - 2n;
    if (x < 0n) throw new Error('element embeds no message (below the frame)');
    const size = (bitLength(x) + 7) >> 3;
    for (let length = 0; length <= this.capacity; length++) {
      if (size > length + 2 || x >> BigInt(8 * length) !== BigInt(length)) continue;
      const m = i2osp(x, length + 2).slice(2);
      if (this.encodeMessage(m) !== a) break;
      return m;
    }
    throw new Error('element embeds no message (bad length frame)');
  }
}

const groups = new Map();

export function groupByName(name) {
  if (!groups.has(name)) {
    if (name === 'P-256') groups.set(name, new P256Group());
    else if (name === 'modp-2048') groups.set(name, new ModpGroup(name, RFC3526_2048));
    else if (name === 'modp-3072') groups.set(name, new ModpGroup(name, RFC3526_3072));
    else throw new Error(`unknown group "${name}" (P-256, modp-2048 or modp-3072)`);
  }
  return groups.get(name);
}
