// A voter's own key (issue 18) across the two implementations, through the real `haal` binary
// (ctest passes its path in HAAL): a credential file sealed by the web code
// (makeOwnCredential) is opened by `haal credentials check` (a wrong passphrase refused; not on
// the roll, then OK once `haal credentials register` adds its key), a file made by
// `haal credentials keygen` opens in the web code, and the web code's roll check (rollStanding)
// agrees with the C++ one: listed, not listed, another key, and a roll that is not the
// published one refused; a credential mailed by `haal authority issue` opens in the web code
// with its voter's delivery code (and not another's).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toHex } from '../../web/src/crypto/bytes.js';
import { canonicalJsonBytes } from '../../web/src/crypto/canonical-json.js';
import { sha256 } from '../../web/src/crypto/hash.js';
import { makeOwnCredential, parseCredentialFile, rollStanding, SCRYPT_DEFAULT, unlockCredential, WrongPassphraseError } from '../../web/src/election/credential.js';

const haal = process.env.HAAL;
assert.ok(haal, 'HAAL must name the haal binary');
const work = mkdtempSync(join(tmpdir(), 'haal-web-cred-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const env = { ...process.env, HAAL_TEST_PASSPHRASE: 'officials', MY_PASSPHRASE: 'my passphrase ü' };
const run = (...a) => spawnSync(haal, a, { cwd: work, env, encoding: 'utf8' });
execFileSync(haal, ['loadgen', 'test-election', '--election', 'el', '--credentials', 'creds', '--voters', '2', '--officials-key', 'officials.json', '--collector-key', 'collector.key', '--passphrase-env', 'HAAL_TEST_PASSPHRASE'], { cwd: work, env, stdio: 'ignore' });
const electionId = JSON.parse(readFileSync(join(work, 'el', 'manifest.json'), 'utf8')).election_id;
const roll = () => JSON.parse(readFileSync(join(work, 'el', 'roll.json'), 'utf8'));
const rollHash = () => toHex(sha256(canonicalJsonBytes(roll())));

test('a credential sealed in the web code opens in haal credentials check, and is OK once registered', async () => {
  const made = await makeOwnCredential(electionId, 'web-voter', env.MY_PASSPHRASE);
  const file = JSON.parse(made.text);
  assert.equal(made.text, new TextDecoder().decode(canonicalJsonBytes(file)) + '\n');
  assert.deepEqual(Object.keys(file).sort(), ['election_id', 'public_key', 'seed_box', 'voter_id']);
  assert.equal(file.public_key, toHex(made.publicKey));
  assert.deepEqual(file.seed_box.kdf, { name: 'scrypt', ...SCRYPT_DEFAULT });
  assert.equal(file.seed_box.label, `HAAL-V1-CREDENTIAL:${electionId}:web-voter`);
  assert.equal(file.seed_box.ciphertext.length, 64);
  // Fresh randomness: a second key has another salt, nonce and key.
  const again = JSON.parse((await makeOwnCredential(electionId, 'web-voter', env.MY_PASSPHRASE)).text);
  assert.notEqual(again.seed_box.salt, file.seed_box.salt);
  assert.notEqual(again.seed_box.nonce, file.seed_box.nonce);
  assert.notEqual(again.public_key, file.public_key);
  writeFileSync(join(work, 'web-voter.json'), made.text, { mode: 0o600 });

  const check = () => run('credentials', 'check', '--election', 'el', '--credential', 'web-voter.json', '--passphrase-env', 'MY_PASSPHRASE');
  let r = check();
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^FAILED: voter web-voter is not on the roll/);
  env.MY_PASSPHRASE = 'wrong';
  r = check();
  env.MY_PASSPHRASE = 'my passphrase ü';
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /wrong passphrase/);
  // A box whose ciphertext was changed is refused by C++ the same way.
  const tampered = structuredClone(file);
  tampered.seed_box.ciphertext = (tampered.seed_box.ciphertext[0] === '0' ? '1' : '0') + tampered.seed_box.ciphertext.slice(1);
  writeFileSync(join(work, 'tampered.json'), JSON.stringify(tampered));
  r = run('credentials', 'check', '--election', 'el', '--credential', 'tampered.json', '--passphrase-env', 'MY_PASSPHRASE');
  assert.match(r.stderr, /wrong passphrase/);

  assert.equal(rollStanding(roll(), rollHash(), { electionId, voterId: 'web-voter', publicKey: made.publicKey }).standing, 'not-listed');
  execFileSync(haal, ['credentials', 'register', '--election', 'el', '--voter-id', 'web-voter', '--public-key', file.public_key], { cwd: work });
  r = check();
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^OK: the roll \\(roll_hash ${rollHash()}\\) lists voter web-voter with your key ${file.public_key}`));
  const parsed = parseCredentialFile(made.text);
  const unlocked = await unlockCredential(parsed, env.MY_PASSPHRASE);
  assert.deepEqual(rollStanding(roll(), rollHash(), unlocked), { standing: 'listed', listedKey: file.public_key });
});

test('a credential made by haal credentials keygen opens in the web code; the roll checks agree', async () => {
  const r = run('credentials', 'keygen', '--election', 'el', '--voter-id', 'cpp-voter', '--out', 'cpp-voter.json', '--passphrase-env', 'MY_PASSPHRASE');
  assert.equal(r.status, 0, r.stderr);
  const printed = r.stdout.match(/^your public key: ([0-9a-f]{64})$/m)[1];
  const parsed = parseCredentialFile(readFileSync(join(work, 'cpp-voter.json'), 'utf8'));
  assert.equal(parsed.protected, true);
  await assert.rejects(unlockCredential(parsed, 'wrong'), WrongPassphraseError);
  const credential = await unlockCredential(parsed, env.MY_PASSPHRASE);
  assert.equal(toHex(credential.publicKey), printed);
  assert.equal(rollStanding(roll(), rollHash(), credential).standing, 'not-listed');

  // A roll listing another key for the voter (a dishonest official's): both say so.
  execFileSync(haal, ['credentials', 'register', '--election', 'el', '--voter-id', 'cpp-voter', '--public-key', printed], { cwd: work });
  assert.equal(rollStanding(roll(), rollHash(), credential).standing, 'listed');
  const other = run('credentials', 'keygen', '--election', 'el', '--voter-id', 'cpp-voter', '--out', 'other.json', '--no-passphrase').stdout.match(/^your public key: ([0-9a-f]{64})$/m)[1];
  writeFileSync(join(work, 'el', 'roll.json'), readFileSync(join(work, 'el', 'roll.json'), 'utf8').replace(printed, other));
  const c = run('credentials', 'check', '--election', 'el', '--credential', 'cpp-voter.json', '--passphrase-env', 'MY_PASSPHRASE');
  assert.equal(c.status, 1);
  assert.match(c.stdout, new RegExp(`^FAILED: the roll \\(roll_hash ${rollHash()}\\) lists voter cpp-voter with the key ${other}, not yours`));
  assert.deepEqual(rollStanding(roll(), rollHash(), credential), { standing: 'another-key', listedKey: other });
  // A roll that is not the one whose hash was published is refused, whatever it lists.
  const published = rollHash();
  const swapped = roll();
  swapped.voters.find((v) => v.voter_id === 'cpp-voter').public_key = printed;
  assert.throws(() => rollStanding(swapped, published, credential), /roll: its hash [0-9a-f]{64} is not the published roll_hash/);
  // ... and a roll of another election.
  const foreign = { ...roll(), election_id: 'other' };
  assert.throws(() => rollStanding(foreign, toHex(sha256(canonicalJsonBytes(foreign))), credential), /roll.election_id/);
});

test('a credential mailed by haal authority opens in the web code with its delivery code only', async () => {
  writeFileSync(join(work, 'mail.csv'), 'voter_id,name\nmailed-1,One\nmailed-2,Two\n');
  const r = run('authority', 'issue', '--election', 'el', '--voters', 'mail.csv', '--dir', 'vault');
  assert.equal(r.status, 0, r.stderr);
  const code = (id) => readFileSync(join(work, 'vault', 'delivery', 'letters', `${id}.txt`), 'utf8').match(/^Delivery code: (\S+)$/m)[1];
  const parsed = parseCredentialFile(readFileSync(join(work, 'vault', 'delivery', 'credentials', 'mailed-1.json'), 'utf8'));
  assert.equal(parsed.protected, true);
  await assert.rejects(unlockCredential(parsed, code('mailed-2')), WrongPassphraseError);
  const credential = await unlockCredential(parsed, code('mailed-1'));
  const listed = JSON.parse(readFileSync(join(work, 'vault', 'roll.json'), 'utf8')).voters.find((v) => v.voter_id === 'mailed-1');
  assert.equal(toHex(credential.publicKey), listed.public_key);
});
