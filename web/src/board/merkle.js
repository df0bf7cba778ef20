// The bulletin board's hashes (docs/board.md): RFC 9162 Merkle tree hashing, inclusion and
// consistency proof verification (sections 2.1.3.2 and 2.1.4.2), the board-entry leaf encoding
// and the Ed25519 signature over a tree head; and the receipt check of docs/api.md section 4.
import { ed25519Verify } from '../crypto/ed25519.js';
import { bytesEqual, concat, fromHex, lp, u64, utf8 } from '../crypto/bytes.js';
import { sha256 } from '../crypto/hash.js';

export const leafHash = (leaf) => sha256(concat(Uint8Array.of(0), leaf));
export const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));

// leaf = lp("HAAL-V1-BOARD-ENTRY") || lp(kind) || u64(sequence) || u64(timestamp_ms) || lp(payload)
export function encodeLeaf(kind, sequence, timestampMs, payload) {
  return concat(lp('HAAL-V1-BOARD-ENTRY'), lp(kind), u64(sequence), u64(timestampMs), lp(payload));
}

const lsb = (x) => x % 2 === 1;
const half = (x) => Math.floor(x / 2);

// RFC 9162 2.1.3.2. Returns '' on success, else the reason.
export function inclusionFailure(leafIndex, treeSize, leafHashValue, auditPath, root) {
  if (leafIndex >= treeSize) return `leaf ${leafIndex} is not in a tree of ${treeSize}`;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leafHashValue;
  for (const p of auditPath) {
    if (sn === 0) return 'the audit path is too long';
    if (lsb(fn) || fn === sn) {
      r = nodeHash(p, r);
      if (!lsb(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!lsb(fn) && fn !== 0);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return 'the audit path is too short';
  if (!bytesEqual(r, root)) return 'the audit path does not lead to the signed root';
  return '';
}

// RFC 9162 2.1.4.2 with the edge cases of docs/board.md section 1. Returns '' or the reason.
export function consistencyFailure(first, second, firstRoot, secondRoot, path) {
  if (first > second) return `the first size ${first} exceeds the second ${second}`;
  if (first === second) {
    if (path.length !== 0) return 'a proof between equal sizes must be empty';
    return bytesEqual(firstRoot, secondRoot) ? '' : 'equal sizes but different roots';
  }
  if (first === 0) return path.length === 0 ? '' : 'a proof from the empty tree must be empty';
  if (path.length === 0) return 'empty consistency proof';
  let c = path;
  if (2 ** Math.round(Math.log2(first)) === first) c = [firstRoot, ...path];  // a power of two
  let fn = first - 1;
  let sn = second - 1;
  while (lsb(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = c[0];
  let sr = c[0];
  for (const x of c.slice(1)) {
    if (sn === 0) return 'the consistency proof is too long';
    if (lsb(fn) || fn === sn) {
      fr = nodeHash(x, fr);
      sr = nodeHash(x, sr);
      if (!lsb(fn)) {
        do {
          fn = half(fn);
          sn = half(sn);
        } while (!lsb(fn) && fn !== 0);
      }
    } else {
      sr = nodeHash(sr, x);
    }
    fn = half(fn);
    sn = half(sn);
  }
  if (sn !== 0) return 'the consistency proof is too short';
  if (!bytesEqual(fr, firstRoot)) return 'the proof does not reproduce the earlier root';
  if (!bytesEqual(sr, secondRoot)) return 'the proof does not reproduce the later root';
  return '';
}

// signed = lp("HAAL-V1-TREE-HEAD") || lp(log_id) || u64(tree_size) || lp(root_hash) || u64(timestamp_ms)
export function treeHeadSignedBytes(head) {
  return concat(
    lp('HAAL-V1-TREE-HEAD'),
    lp(utf8(head.log_id)),
    u64(head.tree_size),
    lp(fromHex(head.root_hash, 'signed_tree_head.root_hash', 32)),
    u64(head.timestamp_ms),
  );
}

export function treeHeadSignatureValid(head, collectorPublicKey) {
  return ed25519Verify(fromHex(head.signature, 'signed_tree_head.signature'), treeHeadSignedBytes(head), collectorPublicKey);
}

function exact(object, fields, path) {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) throw new Error(`${path}: must be a JSON object`);
  for (const k of Object.keys(object)) if (!fields.includes(k)) throw new Error(`${path}.${k}: unknown field`);
  for (const k of fields) if (!(k in object)) throw new Error(`${path}.${k}: missing`);
}

function uint(value, path) {
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${path}: must be a non-negative integer`);
  return value;
}

function hashes(list, path, max) {
  if (!Array.isArray(list)) throw new Error(`${path}: must be an array`);
  if (list.length > max) throw new Error(`${path}: more than ${max} hashes`);
  return list.map((h, i) => fromHex(h, `${path}[${i}]`, 32));
}

export function parseSignedTreeHead(j, path = 'signed_tree_head') {
  exact(j, ['log_id', 'tree_size', 'root_hash', 'timestamp_ms', 'signature'], path);
  if (typeof j.log_id !== 'string' || !/^[\x21-\x7e]{1,256}$/.test(j.log_id)) throw new Error(`${path}.log_id: invalid`);
  uint(j.tree_size, `${path}.tree_size`);
  uint(j.timestamp_ms, `${path}.timestamp_ms`);
  fromHex(j.root_hash, `${path}.root_hash`, 32);
  fromHex(j.signature, `${path}.signature`, 64);
  return j;
}

// A receipt (docs/api.md section 4), checked for shape.
export function parseReceipt(j) {
  const path = 'receipt';
  exact(j, ['kind', 'board_index', 'timestamp_ms', 'ballot_hash', 'tracking_code', 'inclusion_proof', 'signed_tree_head'], path);
  if (j.kind !== 'ballot' && j.kind !== 'challenge') throw new Error(`${path}.kind: must be "ballot" or "challenge"`);
  uint(j.board_index, `${path}.board_index`);
  uint(j.timestamp_ms, `${path}.timestamp_ms`);
  fromHex(j.ballot_hash, `${path}.ballot_hash`, 32);
  if (typeof j.tracking_code !== 'string') throw new Error(`${path}.tracking_code: must be a string`);
  exact(j.inclusion_proof, ['leaf_index', 'tree_size', 'audit_path'], `${path}.inclusion_proof`);
  uint(j.inclusion_proof.leaf_index, `${path}.inclusion_proof.leaf_index`);
  uint(j.inclusion_proof.tree_size, `${path}.inclusion_proof.tree_size`);
  hashes(j.inclusion_proof.audit_path, `${path}.inclusion_proof.audit_path`, 64);
  parseSignedTreeHead(j.signed_tree_head, `${path}.signed_tree_head`);
  return j;
}

// Checks a receipt against the payload of its board entry: the head's signature, that the
// proof is for the receipt's entry and head, and the leaf's inclusion under the signed root.
// Returns '' or the reason.
export function receiptFailure(receipt, payload, collectorPublicKey) {
  const head = receipt.signed_tree_head;
  if (!treeHeadSignatureValid(head, collectorPublicKey)) return "the signed tree head's signature does not verify under the collector key";
  const proof = receipt.inclusion_proof;
  if (proof.leaf_index !== receipt.board_index || proof.tree_size !== head.tree_size) {
    return `the inclusion proof is for leaf ${proof.leaf_index} of ${proof.tree_size}, not entry ${receipt.board_index} of the signed head's ${head.tree_size}`;
  }
  const leaf = encodeLeaf(receipt.kind, receipt.board_index, receipt.timestamp_ms, payload);
  return inclusionFailure(
    proof.leaf_index,
    proof.tree_size,
    leafHash(leaf),
    proof.audit_path.map((h) => fromHex(h, 'audit_path', 32)),
    fromHex(head.root_hash, 'root_hash', 32),
  );
}
