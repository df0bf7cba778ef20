// Contests, selections and the choices JSON of docs/ballots.md section 5, with the C++ reasons
// verbatim (election/selection.cpp), and the plaintext encoding of section 6
// (election/encoding.cpp).
import { concat, u16, utf8 } from '../crypto/bytes.js';

export const isRanked = (contest) => contest.kind === 'ranked';
export const hasWriteIn = (contest) => contest.write_in !== undefined;

// N: the options plus the write-in candidate (index n) when the contest has one.
export function candidateCount(contest) {
  return contest.options.length + (hasWriteIn(contest) ? 1 : 0);
}

export function utf8Length(text) {
  return utf8(text).length;
}

// Returns the length of the UTF-8 sequence at bytes[i], or 0 if it is not well formed.
function utf8SequenceLength(bytes, i) {
  const b0 = bytes[i];
  if (b0 < 0x80) return 1;
  let length;
  let low = 0x80;
  let high = 0xbf;
  if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
  else if (b0 >= 0xe0 && b0 <= 0xef) {
    length = 3;
    if (b0 === 0xe0) low = 0xa0;
    if (b0 === 0xed) high = 0x9f;
  } else if (b0 >= 0xf0 && b0 <= 0xf4) {
    length = 4;
    if (b0 === 0xf0) low = 0x90;
    if (b0 === 0xf4) high = 0x8f;
  } else return 0;
  if (i + length > bytes.length) return 0;
  if (bytes[i + 1] < low || bytes[i + 1] > high) return 0;
  for (let k = 2; k < length; k++) if (bytes[i + k] < 0x80 || bytes[i + k] > 0xbf) return 0;
  return length;
}

export function writeInViolation(text, maxBytes) {
  if (text.length === 0) return 'the write-in text is empty';
  // A JS string with a lone surrogate is not valid Unicode; TextEncoder would replace it.
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
    return 'the write-in text is not valid UTF-8 (lone surrogate)';
  }
  const bytes = utf8(text);
  if (bytes.length > maxBytes) {
    return `the write-in text has ${bytes.length} UTF-8 bytes, more than the limit of ${maxBytes}`;
  }
  for (let i = 0; i < bytes.length; ) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return `the write-in text is not valid UTF-8 (byte ${i})`;
    if (length === 1 && (bytes[i] < 0x20 || bytes[i] === 0x7f)) {
      return `the write-in text contains a control character (byte ${i})`;
    }
    i += length;
  }
  return '';
}

// A selection is {candidates: [index...], writeIn: string}. Returns '' when valid.
export function selectionViolation(contest, selection) {
  const count = selection.candidates.length;
  const n = candidateCount(contest);
  const noun = isRanked(contest) ? 'ranks' : 'choices';
  if (count < contest.min) return `${count} ${noun}, at least ${contest.min} required`;
  if (count > contest.max) return `${count} ${noun}, at most ${contest.max} allowed`;
  const seen = new Set();
  for (let i = 0; i < count; i++) {
    const c = selection.candidates[i];
    if (c >= n) return `candidate index ${c} out of range (${n} candidates)`;
    if (seen.has(c)) return `candidate index ${c} repeated`;
    seen.add(c);
    if (!isRanked(contest) && i > 0 && selection.candidates[i - 1] > c) {
      return 'choices not in increasing order';
    }
  }
  if (hasWriteIn(contest) && seen.has(contest.options.length)) {
    return writeInViolation(selection.writeIn, contest.write_in.max_bytes);
  }
  if (selection.writeIn !== '') return 'write-in text given but the write-in is not selected';
  return '';
}

// Parses a contest's choices JSON array (option ids or {"write_in": text}); throws with the
// C++ messages. Non-ranked selections are sorted by candidate index.
export function selectionFromJson(contest, items, path = contest.id) {
  if (!Array.isArray(items)) throw new Error(`${path}: must be an array of option ids`);
  const selection = { candidates: [], writeIn: '' };
  let writeInSeen = false;
  items.forEach((item, i) => {
    const itemPath = `${path}[${i}]`;
    if (typeof item === 'string') {
      const index = contest.options.findIndex((o) => o.id === item);
      if (index < 0) {
        throw new Error(`${itemPath}: unknown option id ${JSON.stringify(item)} in contest ${JSON.stringify(contest.id)}`);
      }
      if (selection.candidates.includes(index)) {
        throw new Error(`${itemPath}: option ${JSON.stringify(item)} repeated`);
      }
      selection.candidates.push(index);
    } else if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      if (!hasWriteIn(contest)) throw new Error(`${itemPath}: contest ${JSON.stringify(contest.id)} has no write-in`);
      const keys = Object.keys(item);
      if (keys.length !== 1 || keys[0] !== 'write_in' || typeof item.write_in !== 'string') {
        throw new Error(`${itemPath}: must be {"write_in": text}`);
      }
      if (writeInSeen) throw new Error(`${itemPath}: more than one write-in`);
      writeInSeen = true;
      const violation = writeInViolation(item.write_in, contest.write_in.max_bytes);
      if (violation) throw new Error(`${itemPath}.write_in: ${violation}`);
      selection.writeIn = item.write_in;
      selection.candidates.push(contest.options.length);
    } else {
      throw new Error(`${itemPath}: must be an option id or {"write_in": text}`);
    }
  });
  if (!isRanked(contest)) selection.candidates.sort((a, b) => a - b);
  const violation = selectionViolation(contest, selection);
  if (violation) throw new Error(`${path}: ${violation}`);
  return selection;
}

export function selectionToJson(contest, selection) {
  return selection.candidates.map((c) =>
    c < contest.options.length ? contest.options[c].id : { write_in: selection.writeIn },
  );
}

// The choices JSON object: one member per contest of the manifest.
export function ballotChoicesFromJson(manifest, json) {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error('(choices): must be a JSON object keyed by contest id');
  }
  for (const key of Object.keys(json)) {
    if (!manifest.contests.some((c) => c.id === key)) throw new Error(`${key}: no such contest in the election`);
  }
  const out = new Map();
  for (const contest of manifest.contests) {
    if (!(contest.id in json)) throw new Error(`${contest.id}: missing (use [] to abstain)`);
    out.set(contest.id, selectionFromJson(contest, json[contest.id], contest.id));
  }
  return out;
}

// --- Plaintext encoding (section 6) -------------------------------------------------------

export function contestPlaintextLength(contest) {
  let length = isRanked(contest) ? 2 * contest.max : Math.ceil(candidateCount(contest) / 8);
  if (hasWriteIn(contest)) length += 2 + contest.write_in.max_bytes;
  return length;
}

export function contestWidth(group, contest) {
  return Math.ceil(contestPlaintextLength(contest) / group.capacity);
}

export function encodeContestPlaintext(contest, selection) {
  const violation = selectionViolation(contest, selection);
  if (violation) throw new Error(`contest "${contest.id}": ${violation}`);
  const total = contestPlaintextLength(contest);
  const p = new Uint8Array(total);
  let offset;
  if (isRanked(contest)) {
    for (let k = 0; k < contest.max; k++) {
      const slot = k < selection.candidates.length ? selection.candidates[k] + 1 : 0;
      p.set(u16(slot), 2 * k);
    }
    offset = 2 * contest.max;
  } else {
    for (const c of selection.candidates) p[c >> 3] |= 0x80 >> (c & 7);
    offset = Math.ceil(candidateCount(contest) / 8);
  }
  if (hasWriteIn(contest)) {
    const text = utf8(selection.writeIn);
    p.set(concat(u16(text.length), text), offset);
  }
  return p;
}

export function encodeContestSelection(group, contest, selection) {
  const p = encodeContestPlaintext(contest, selection);
  const elements = [];
  for (let offset = 0; offset < p.length; offset += group.capacity) {
    elements.push(group.encodeMessage(p.subarray(offset, Math.min(p.length, offset + group.capacity))));
  }
  return elements;
}

// --- Decoding (section 6, "Decoding"; election/encoding.cpp) -------------------------------

const invalid = (reason) => ({ invalid: reason });
const readU16 = (p, offset) => (p[offset] << 8) | p[offset + 1];

// The selection a contest's plaintext P encodes: {selection} or {invalid: reason}, with the
// C++ reasons (decode_contest_plaintext). Never throws for a bad plaintext.
export function decodeContestPlaintext(contest, p) {
  const total = contestPlaintextLength(contest);
  if (p.length !== total) return invalid(`plaintext of ${p.length} bytes, expected ${total}`);
  const candidates = candidateCount(contest);
  const selection = { candidates: [], writeIn: '' };
  let offset;
  if (isRanked(contest)) {
    let emptySeen = false;
    for (let k = 0; k < contest.max; k++) {
      const slot = readU16(p, 2 * k);
      if (slot === 0) {
        emptySeen = true;
        continue;
      }
      if (emptySeen) return invalid(`rank ${k + 1} is filled after an empty rank`);
      if (slot > candidates) return invalid(`rank ${k + 1} names candidate ${slot} of ${candidates}`);
      selection.candidates.push(slot - 1);
    }
    offset = 2 * contest.max;
  } else {
    offset = Math.ceil(candidates / 8);
    for (let i = 0; i < 8 * offset; i++) {
      if ((p[i >> 3] & (0x80 >> (i & 7))) === 0) continue;
      if (i >= candidates) return invalid(`bitmap bit ${i} set (unused)`);
      selection.candidates.push(i);
    }
  }
  if (hasWriteIn(contest)) {
    const length = readU16(p, offset);
    const limit = contest.write_in.max_bytes;
    if (length > limit) return invalid(`write-in length ${length} exceeds the limit of ${limit}`);
    if (p.subarray(offset + 2 + length).some((b) => b !== 0)) return invalid('non-zero padding after the write-in text');
    try {
      selection.writeIn = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(p.subarray(offset + 2, offset + 2 + length));
    } catch {
      return invalid('the write-in text is not valid UTF-8');
    }
  }
  const violation = selectionViolation(contest, selection);
  return violation ? invalid(violation) : { selection };
}

// The selection that the decrypted elements of one contest encode (election::decode_contest_plaintexts_var):
// each element embeds a chunk of the expected length; {selection} or {invalid: reason}.
export function decodeContestPlaintexts(group, contest, elements) {
  const total = contestPlaintextLength(contest);
  const width = contestWidth(group, contest);
  if (elements.length !== width) return invalid(`${elements.length} elements, expected ${width}`);
  const chunks = [];
  for (let i = 0; i < width; i++) {
    let chunk;
    try {
      chunk = group.decodeMessage(elements[i]);
    } catch {
      return invalid(`element ${i} embeds no message`);
    }
    const expected = Math.min(group.capacity, total - i * group.capacity);
    if (chunk.length !== expected) return invalid(`element ${i} embeds ${chunk.length} bytes, expected ${expected}`);
    chunks.push(chunk);
  }
  return decodeContestPlaintext(contest, concat(...chunks));
}
