// Byte helpers with the notation of docs/crypto.md: hex (lowercase, even length, no prefix),
// u32 / u64 big endian, LP(x) = u32(len(x)) || x, OS2IP / I2OSP.

const encoder = new TextEncoder();

export function utf8(text) {
  return encoder.encode(text);
}

export function concat(...parts) {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function toHex(bytes) {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}

// Parses canonical hex (lowercase, even length). `what` names the field in the error; with
// `length`, the decoded byte count must match.
export function fromHex(hex, what = 'hex', length = undefined) {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-f]*$/.test(hex)) {
    throw new Error(`${what}: expected lowercase hex of even length`);
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(2 * i, 2), 16);
  if (length !== undefined && out.length !== length) {
    throw new Error(`${what}: expected ${length} bytes, got ${out.length}`);
  }
  return out;
}

export function u16(x) {
  return Uint8Array.of((x >>> 8) & 0xff, x & 0xff);
}

export function u32(x) {
  return Uint8Array.of((x >>> 24) & 0xff, (x >>> 16) & 0xff, (x >>> 8) & 0xff, x & 0xff);
}

export function u64(x) {
  let v = BigInt(x);
  if (v < 0n || v >= 1n << 64n) throw new Error('u64 out of range');
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

// LP(x) = u32(len(x)) || x; strings are their UTF-8 bytes.
export function lp(x) {
  const b = typeof x === 'string' ? utf8(x) : x;
  return concat(u32(b.length), b);
}

export function os2ip(bytes) {
  let hex = toHex(bytes);
  return hex.length === 0 ? 0n : BigInt('0x' + hex);
}

export function i2osp(value, length) {
  if (value < 0n) throw new Error('I2OSP of a negative number');
  const hex = value.toString(16);
  if (hex.length > 2 * length) throw new Error(`I2OSP: value does not fit in ${length} bytes`);
  return fromHex(hex.padStart(2 * length, '0'));
}

export function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}
