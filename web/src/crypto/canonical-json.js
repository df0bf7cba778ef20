// Canonical JSON (docs/crypto.md section 3, crypto/canonical_json.cpp): nlohmann::json dump()
// without indentation. No whitespace, object keys sorted by their UTF-8 bytes, strings with only
// '"', '\\' and control characters escaped (\b \f \n \r \t, otherwise \u00xx in lowercase),
// integers in decimal. Floating-point numbers are rejected.
import { utf8 } from './bytes.js';

function compareUtf8(a, b) {
  const x = utf8(a);
  const y = utf8(b);
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

function escapeString(s) {
  // JSON.stringify escapes exactly '"', '\\' and U+0000..U+001F (with the short forms and
  // lowercase \u00xx); it also escapes lone surrogates, which are not valid UTF-8 and rejected.
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = s.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      throw new Error('canonical JSON: string is not valid Unicode (lone surrogate)');
    }
  }
  return JSON.stringify(s);
}

export function canonicalJson(value) {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isSafeInteger(value)) {
        throw new Error(`canonical JSON: ${value} is not an integer (floats are rejected)`);
      }
      return String(value);
    case 'bigint':
      return value.toString();
    case 'string':
      return escapeString(value);
    case 'object': {
      if (Array.isArray(value)) return '[' + value.map(canonicalJson).join(',') + ']';
      const keys = Object.keys(value).sort(compareUtf8);
      return '{' + keys.map((k) => escapeString(k) + ':' + canonicalJson(value[k])).join(',') + '}';
    }
    default:
      throw new Error(`canonical JSON: cannot encode a ${typeof value}`);
  }
}

export function canonicalJsonBytes(value) {
  return utf8(canonicalJson(value));
}
