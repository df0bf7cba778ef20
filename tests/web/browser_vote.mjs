// Drives headless Chromium through the voter web app (called by browser_vote.sh):
// credential (passphrase-protected) -> ballot (an invalid attempt first, live write-in byte
// counter) -> challenge (opened choices shown and verified) -> vote again -> cast (receipt
// verified, downloaded) -> check the receipt in the page -> results (none, then published)
// -> Estonian texts -> a server rejection (polls closed) shown clearly. Screenshots of every
// page go to the artifact directory, with timing.json (encryption time in the page).
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import assert from 'node:assert/strict';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

const { values: args } = parseArgs({
  options: { url: { type: 'string' }, work: { type: 'string' }, artifacts: { type: 'string' }, chromium: { type: 'string' }, haal: { type: 'string' } },
});
const shot = (page, name) => page.screenshot({ path: join(args.artifacts, `${name}.png`), fullPage: true });
const log = (...m) => console.log('browser_vote:', ...m);

const browser = await chromium.launch({
  executablePath: args.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
const failures = [];
try {
  // A phone-sized screen: the whole flow must work there.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', acceptDownloads: true });
  const page = await context.newPage();
  // Chromium logs every non-2xx fetch as a console error: those are checked through the
  // responses instead, and only the expected refusals may occur.
  page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && failures.push(`console error: ${m.text()}`));
  const refusals = [];
  page.on('response', (r) => r.status() >= 400 && refusals.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
  page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
  // Every request must stay on the collector's origin.
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(args.url) && !u.startsWith('blob:') && !u.startsWith('data:')) failures.push(`request left the origin: ${u}`);
  });

  await page.goto(args.url + '/');
  await page.waitForSelector('body[data-ready="true"]');
  assert.match(await page.textContent('#polls'), /open/);
  await shot(page, '01-vote-credential');

  // A protected credential without its passphrase is refused with a clear message.
  const credFile = join(args.work, 'creds', 'voter-0001.json');
  await page.setInputFiles('#credential-form input[type=file]', credFile);
  await page.click('#credential-form button[type=submit]');
  await page.waitForSelector('#vote-message.error');
  assert.match(await page.textContent('#vote-message'), /protected: enter its passphrase/);
  await page.setInputFiles('#credential-form input[type=file]', credFile);
  await page.fill('#credential-form input[type=password]', 'wrong passphrase');
  await page.click('#credential-form button[type=submit]');
  await page.waitForSelector('#vote-message.error >> text=Wrong passphrase', { timeout: 60000 });
  await page.setInputFiles('#credential-form input[type=file]', credFile);
  await page.fill('#credential-form input[type=password]', process.env.HAAL_VOTER_PASSPHRASE);
  await page.click('#credential-form button[type=submit]');
  await page.waitForSelector('#ballot-form', { timeout: 60000 });
  assert.match(await page.textContent('#vote-message'), /voter-0001/);

  // Rules are shown; an incomplete ballot is refused with the contest named.
  const rules = await page.$$eval('fieldset.contest .rule', (els) => els.map((e) => e.textContent));
  assert.deepEqual(rules, ['Choose one.', 'Choose up to 3.', 'Choose one, or leave blank.', 'Rank from 1 to 3 candidates: 1 is your first preference.', 'Rank up to 10 candidates: 1 is your first preference.']);
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#vote-message.error');
  assert.match(await page.textContent('#vote-message'), /Mayor: choose at least 1/);

  // The write-in byte counter follows the typed text live (UTF-8 bytes, not characters).
  const mayorWriteIn = 'fieldset[data-contest="mayor"] input.write-in';
  await page.fill(mayorWriteIn, 'Zoë');
  assert.equal(await page.textContent('fieldset[data-contest="mayor"] .bytes'), '4 of 40 bytes');
  await page.fill(mayorWriteIn, 'x'.repeat(41));
  assert.match(await page.getAttribute('fieldset[data-contest="mayor"] .bytes', 'class'), /over/);
  await page.fill(mayorWriteIn, '');

  // First ballot: mayor Bob, council One + Four, measure yes, board Fay then Gus, chair O9. Filled with the keyboard where it matters.
  await page.check('input[data-contest="mayor"][data-candidate="1"]');
  await page.check('input[data-contest="council"][data-candidate="0"]');
  await page.focus('input[data-contest="council"][data-candidate="3"]');
  await page.keyboard.press('Space');
  await page.check('input[data-contest="measure-a"][data-candidate="0"]');
  await page.selectOption('select[data-contest="board"][data-candidate="2"]', '1');
  await page.selectOption('select[data-contest="board"][data-candidate="3"]', '2');
  await page.selectOption('select[data-contest="chair"][data-candidate="9"]', '1');
  await shot(page, '02-vote-ballot');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#tracking-code');
  const firstCode = await page.textContent('#tracking-code');
  const timings = [Number(await page.getAttribute('body', 'data-encrypt-ms'))];
  assert.match(firstCode, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
  await shot(page, '03-vote-review');

  // Challenge: the opened ballot is shown and verified, then the voter starts again.
  await page.click('#challenge-button');
  await page.waitForSelector('#opening-verified');
  const opened = await page.textContent('#opened-choices');
  for (const expected of ['Bob', 'One', 'Four', 'Yes', 'Fay', 'Gus', 'O9']) assert.ok(opened.includes(expected), `opened choices lack ${expected}: ${opened}`);
  assert.ok((await page.textContent('main')).includes(firstCode));
  await shot(page, '04-vote-challenged');
  await page.click('#vote-again');
  await page.waitForSelector('#ballot-form');

  // Second ballot: mayor Alice instead; the rest kept. Cast it.
  await page.check('input[data-contest="mayor"][data-candidate="0"]');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#tracking-code');
  const secondCode = await page.textContent('#tracking-code');
  timings.push(Number(await page.getAttribute('body', 'data-encrypt-ms')));
  assert.notEqual(secondCode, firstCode);
  await page.click('#cast-button');
  await page.waitForSelector('#receipt-verified');
  const receipt = JSON.parse(await page.textContent('#receipt-json'));
  assert.equal(receipt.tracking_code, secondCode);
  assert.equal(receipt.kind, 'ballot');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-receipt')]);
  const receiptPath = join(args.artifacts, 'receipt.json');
  await download.saveAs(receiptPath);
  assert.deepEqual(JSON.parse(readFileSync(receiptPath, 'utf8')), receipt);
  await shot(page, '05-vote-cast');
  const challengeReceipt = await (await page.request.get(`${args.url}/api/ballots/${firstCode}`)).json();
  assert.equal(challengeReceipt.status, 'challenged');
  writeFileSync(join(args.artifacts, 'challenge-receipt.json'), JSON.stringify(challengeReceipt.receipt));

  // Check my ballot: the page verifies the receipt against the board itself.
  await page.click('#nav-check');
  await page.fill('#check-form textarea', JSON.stringify(receipt));
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-ok');
  assert.equal(await page.getAttribute('#check-status', 'data-status'), 'cast');
  assert.equal(await page.$$eval('#check-steps li', (l) => l.length), 4);
  await shot(page, '06-check-ok');
  // A tampered receipt fails.
  const tampered = structuredClone(receipt);
  tampered.inclusion_proof.audit_path = tampered.inclusion_proof.audit_path.map((h) => h.replace(/^./, (c) => (c === '0' ? '1' : '0')));
  if (tampered.inclusion_proof.audit_path.length === 0) tampered.signed_tree_head.root_hash = '00'.repeat(32);
  await page.fill('#check-form textarea', JSON.stringify(tampered));
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-error');
  assert.match(await page.textContent('#check-error'), /FAILED/);
  await shot(page, '07-check-tampered');

  // Results: none yet; then a published results.json is shown with bars and IRV rounds.
  await page.click('#nav-results');
  await page.waitForSelector('#no-results');
  await shot(page, '08-results-none');
  const zeroReasons = { duplicate_option: 0, option_out_of_range: 0, too_few_selections: 0, too_many_selections: 0, undecodable: 0, write_in_empty: 0, write_in_not_allowed: 0, write_in_not_utf8: 0 };
  writeFileSync(
    join(args.work, 'results.json'),
    JSON.stringify({
      format: 'haal-results-v1',
      election_id: 'web-test-2026',
      contests: [
        { contest_id: 'mayor', format: 'haal-contest-results-v1', kind: 'plurality', ballots: { blank: 0, invalid: 0, invalid_by_reason: zeroReasons, total: 3, valid: 3 }, choice: { leaders: [0], option_votes: [2, 0, 0], write_ins: [{ text: 'Zoë Zed', votes: 1 }] } },
        {
          contest_id: 'board', format: 'haal-contest-results-v1', kind: 'irv', ballots: { blank: 0, invalid: 0, invalid_by_reason: zeroReasons, total: 3, valid: 3 },
          tie_break: { order: [0, 1, 2, 3], seed: '00' },
          irv: { winner: 2, rounds: [
            { action: 'eliminate', continuing_ballots: 3, exhausted_ballots: 0, option: 0, reason: 'lowest_votes', round: 1, tallies: [{ option: 0, votes: 0 }, { option: 1, votes: 1 }, { option: 2, votes: 2 }], tie_decided_in_round: null, tied_options: [] },
            { action: 'elect', continuing_ballots: 3, exhausted_ballots: 0, option: 2, reason: 'majority', round: 2, tallies: [{ option: 1, votes: 1 }, { option: 2, votes: 2 }], tie_decided_in_round: null, tied_options: [] },
          ] },
        },
      ],
    }),
  );
  await page.click('#nav-vote');
  await page.click('#nav-results');
  await page.waitForSelector('#results');
  const resultsText = await page.textContent('#results');
  for (const expected of ['Mayor', 'Alice', '2 votes (66.7%)', 'Zoë Zed', 'Round 2', 'Fay is elected (majority)', 'Winner: Fay']) {
    assert.ok(resultsText.includes(expected), `results page lacks "${expected}": ${resultsText}`);
  }
  assert.ok((await page.$$('.bar-fill')).length >= 4);
  await shot(page, '09-results');

  // Estonian.
  await page.click('#lang-et');
  assert.equal(await page.textContent('#nav-vote'), 'Hääleta');
  assert.equal(await page.getAttribute('html', 'lang'), 'et');
  await shot(page, '10-results-et');
  await page.click('#lang-en');

  // A server rejection is explained: the officials close the polls, the voter tries again.
  execFileSync(args.haal, ['polls', 'close', '--server', args.url, '--officials-key', join(args.work, 'officials.json'), '--passphrase-env', 'HAAL_TEST_PASSPHRASE']);
  await page.click('#nav-vote');
  await page.click('#vote-again-after-cast');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#cast-button');
  await page.click('#cast-button');
  await page.waitForSelector('#vote-message.error');
  assert.match(await page.textContent('#vote-message'), /The polls are closed\. \(server: polls-closed: /);
  assert.match(await page.textContent('#polls'), /closed/);
  await shot(page, '11-vote-rejected');

  assert.deepEqual(refusals, ['404 GET /api/results', '403 POST /api/ballots']);
  writeFileSync(join(args.artifacts, 'timing.json'), JSON.stringify({ contests: 5, elements: 6, encrypt_prove_sign_ms: timings }) + '\n');
  log(`5-contest ballot encrypted, proved and signed in the page in ${timings.map((t) => t.toFixed(1)).join(' ms, ')} ms`);
  const limit = Number(process.env.HAAL_WEB_MAX_ENCRYPT_MS ?? 2000);
  for (const t of timings) if (!(t > 0 && t < limit)) failures.push(`encryption took ${t} ms (limit ${limit} ms)`);
  await context.close();
} catch (e) {
  failures.push(e.stack || String(e));
} finally {
  await browser.close();
}
if (failures.length) {
  console.error('browser_vote: FAILED\n' + failures.join('\n'));
  process.exit(1);
}
log('all browser steps passed; screenshots in', args.artifacts);
