// Voter credential files (docs/ballots.md section 4) and passphrase boxes (docs/crypto.md
// section 9): scrypt (n, r, p from the box, bounded) -> AES-256-GCM key, associated data
// LP("haal-passphrase-box-v1") || LP(label), label "HAAL-V1-CREDENTIAL:<election>:<voter>".
// A voter's own key (makeOwnCredential) is sealed as crypto::passphrase_box_seal does, and
// rollStanding compares a credential with the published roll as `haal credentials check`.
import { ed25519PublicKey, requireEd25519PublicKey } from '../crypto/ed25519.js';
import { scryptAsync } from '@noble/hashes/scrypt.js';
import { bytesEqual, concat, fromHex, lp, toHex, utf8 } from '../crypto/bytes.js';
import { canonicalJsonBytes } from '../crypto/canonical-json.js';
import { sha256 } from '../crypto/hash.js';
import { systemRandom } from '../crypto/random.js';

// Voter, election, contest and option ids (docs/ballots.md): safe as file names.
export const IDENTIFIER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const BOX_FORMAT = 'haal-passphrase-box-v1';

export class WrongPassphraseError extends Error {}

// The scrypt parameters a box is sealed with: crypto::ScryptParameters' defaults (n = 2^15,
// r = 8, p = 1; 32 MiB).
export const SCRYPT_DEFAULT = Object.freeze({ n: 2 ** 15, r: 8, p: 1 });

function exactFields(object, allowed, path) {
  if (object === null || typeof object !== 'object' || Array.isArray(object)) {
    throw new Error(`${path}: must be a JSON object`);
  }
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw new Error(`${path}.${key}: unknown field`);
  }
}

function requireString(object, key, path) {
  if (typeof object[key] !== 'string') throw new Error(`${path}.${key}: missing or not a string`);
  return object[key];
}

function requireUint(object, key, path) {
  if (!Number.isSafeInteger(object[key]) || object[key] < 0) {
    throw new Error(`${path}.${key}: missing or not a non-negative integer`);
  }
  return object[key];
}

export const credentialBoxLabel = (electionId, voterId) => `HAAL-V1-CREDENTIAL:${electionId}:${voterId}`;

// Opens a passphrase box; throws WrongPassphraseError for a wrong passphrase or a corrupted box
// (AES-GCM cannot tell them apart), Error for a malformed box.
export async function openPassphraseBox(box, passphrase, label, onProgress = undefined) {
  const path = 'seed_box';
  exactFields(box, ['format', 'label', 'kdf', 'salt', 'nonce', 'ciphertext', 'tag'], path);
  if (requireString(box, 'format', path) !== BOX_FORMAT) throw new Error(`${path}.format: must be "${BOX_FORMAT}"`);
  if (requireString(box, 'label', path) !== label) {
    throw new Error(`${path}.label: this box is for "${box.label}", not "${label}"`);
  }
  exactFields(box.kdf, ['name', 'n', 'r', 'p'], `${path}.kdf`);
  if (requireString(box.kdf, 'name', `${path}.kdf`) !== 'scrypt') throw new Error(`${path}.kdf.name: must be "scrypt"`);
  const n = requireUint(box.kdf, 'n', `${path}.kdf`);
  const r = requireUint(box.kdf, 'r', `${path}.kdf`);
  const p = requireUint(box.kdf, 'p', `${path}.kdf`);
  if (n < 2 ** 14 || n > 2 ** 20 || (n & (n - 1)) !== 0) throw new Error(`${path}.kdf.n: must be a power of two in [2^14, 2^20]`);
  if (r < 8 || r > 16) throw new Error(`${path}.kdf.r: must be in [8, 16]`);
  if (p < 1 || p > 4) throw new Error(`${path}.kdf.p: must be in [1, 4]`);
  const salt = fromHex(requireString(box, 'salt', path), `${path}.salt`, 16);
  const nonce = fromHex(requireString(box, 'nonce', path), `${path}.nonce`, 12);
  const ciphertext = fromHex(requireString(box, 'ciphertext', path), `${path}.ciphertext`);
  const tag = fromHex(requireString(box, 'tag', path), `${path}.tag`, 16);

  const keyBytes = await scryptAsync(utf8(passphrase), salt, {
    N: n,
    r,
    p,
    dkLen: 32,
    maxmem: 2 ** 30,
    onProgress,
  });
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', keyBytes, { name: 'AES-GCM' }, false, ['decrypt']);
  keyBytes.fill(0);
  try {
    const plain = await subtle.decrypt(
      { name: 'AES-GCM', iv: nonce, additionalData: concat(lp(BOX_FORMAT), lp(label)), tagLength: 128 },
      key,
      concat(ciphertext, tag),
    );
    return new Uint8Array(plain);
  } catch {
    throw new WrongPassphraseError('wrong passphrase or corrupted box');
  }
}

// Returns the passphrase box (docs/crypto.md section 9) of `secret` (bytes) under `passphrase`
// and `label`: a fresh 16-byte salt and 12-byte nonce from `random` (the Web Crypto CSPRNG),
// scrypt with `params`, AES-256-GCM (Web Crypto) with associated data LP(format) || LP(label).
// The same JSON as crypto::passphrase_box_seal; openPassphraseBox and the C++ loader open it.
export async function sealPassphraseBox(secret, passphrase, label, { random = systemRandom, params = SCRYPT_DEFAULT, onProgress = undefined } = {}) {
  const salt = random.fill(new Uint8Array(16));
  const nonce = random.fill(new Uint8Array(12));
  const keyBytes = await scryptAsync(utf8(passphrase), salt, { N: params.n, r: params.r, p: params.p, dkLen: 32, maxmem: 2 ** 30, onProgress });
  const subtle = globalThis.crypto.subtle;
  const key = await subtle.importKey('raw', keyBytes, { name: 'AES-GCM' }, false, ['encrypt']);
  keyBytes.fill(0);
  const sealed = new Uint8Array(
    await subtle.encrypt({ name: 'AES-GCM', iv: nonce, additionalData: concat(lp(BOX_FORMAT), lp(label)), tagLength: 128 }, key, secret),
  );
  return {
    format: BOX_FORMAT,
    label,
    kdf: { name: 'scrypt', n: params.n, r: params.r, p: params.p },
    salt: toHex(salt),
    nonce: toHex(nonce),
    ciphertext: toHex(sealed.subarray(0, sealed.length - 16)),
    tag: toHex(sealed.subarray(sealed.length - 16)),
  };
}

// A voter's own credential (docs/ballots.md section 4, as `haal credentials keygen`): a fresh
// Ed25519 seed from `random`, sealed under `passphrase` (non-empty) in "seed_box". Returns
// {text, publicKey}: the file's canonical JSON and a newline, and the public key to register.
// The seed exists only inside this call (wiped before it returns) and in `text`'s box.
export async function makeOwnCredential(electionId, voterId, passphrase, options = {}) {
  if (!IDENTIFIER.test(voterId)) throw new Error(`voter id: invalid identifier "${voterId}" (1 to 64 of a-z A-Z 0-9 . _ -, starting with a letter or digit)`);
  if (passphrase === '') throw new Error('passphrase: must not be empty');
  const seed = (options.random ?? systemRandom).fill(new Uint8Array(32));
  try {
    const publicKey = ed25519PublicKey(seed);
    const seedBox = await sealPassphraseBox(seed, passphrase, credentialBoxLabel(electionId, voterId), options);
    const file = { election_id: electionId, voter_id: voterId, public_key: toHex(publicKey), seed_box: seedBox };
    return { text: new TextDecoder().decode(canonicalJsonBytes(file)) + '\n', publicKey };
  } finally {
    seed.fill(0);
  }
}

// Compares `credential` ({electionId, voterId, publicKey}) with `roll` (the parsed roll.json of
// GET /api/roll) whose canonical JSON must hash to `rollHashHex` (GET /api/election's
// roll_hash). Returns {standing: 'listed' | 'not-listed' | 'another-key', listedKey (hex or
// null)}, as `haal credentials check`; throws Error when the roll is not the published one or
// not a roll of this credential's election.
export function rollStanding(roll, rollHashHex, credential) {
  const hash = toHex(sha256(canonicalJsonBytes(roll)));
  if (hash !== rollHashHex) throw new Error(`roll: its hash ${hash} is not the published roll_hash ${rollHashHex}`);
  exactFields(roll, ['election_id', 'voters'], 'roll');
  if (requireString(roll, 'election_id', 'roll') !== credential.electionId) {
    throw new Error(`roll.election_id: "${roll.election_id}", the credential is for "${credential.electionId}"`);
  }
  if (!Array.isArray(roll.voters)) throw new Error('roll.voters: missing or not an array');
  const entry = roll.voters.find((v) => v !== null && typeof v === 'object' && v.voter_id === credential.voterId);
  if (!entry) return { standing: 'not-listed', listedKey: null };
  const listedKey = requireString(entry, 'public_key', 'roll.voters[]');
  return { standing: listedKey === toHex(credential.publicKey) ? 'listed' : 'another-key', listedKey };
}

export function parseCredentialFile(text) {
  let j;
  try {
    j = JSON.parse(text);
  } catch (e) {
    throw new Error(`the credential file is not JSON (${e.message})`);
  }
  const path = 'credential';
  exactFields(j, ['election_id', 'voter_id', 'public_key', 'seed', 'seed_box'], path);
  const electionId = requireString(j, 'election_id', path);
  const voterId = requireString(j, 'voter_id', path);
  if (!IDENTIFIER.test(voterId)) throw new Error(`${path}.voter_id: invalid voter id`);
  const publicKey = fromHex(requireString(j, 'public_key', path), `${path}.public_key`, 32);
  requireEd25519PublicKey(publicKey, `${path}.public_key`);
  if (('seed' in j) === ('seed_box' in j)) throw new Error(`${path}: must hold exactly one of "seed" and "seed_box"`);
  return { electionId, voterId, publicKey, json: j, protected: 'seed_box' in j };
}

// Returns {electionId, voterId, publicKey, seed}; `passphrase` is needed iff parsed.protected.
export async function unlockCredential(parsed, passphrase, onProgress = undefined) {
  let seed;
  if (parsed.protected) {
    seed = await openPassphraseBox(parsed.json.seed_box, passphrase, credentialBoxLabel(parsed.electionId, parsed.voterId), onProgress);
    if (seed.length !== 32) throw new Error('credential.seed_box: does not hold a 32-byte seed');
  } else {
    seed = fromHex(parsed.json.seed, 'credential.seed', 32);
  }
  if (!bytesEqual(ed25519PublicKey(seed), parsed.publicKey)) {
    throw new Error("credential: the seed's public key is not public_key");
  }
  return { electionId: parsed.electionId, voterId: parsed.voterId, publicKey: parsed.publicKey, seed };
}
