// Drives headless Chromium through the voter web app at a phone's screen size (called by
// browser_vote.sh, which starts the collector with the polls NOT yet open, a manifest whose
// election and mayor titles are translated and whose contact is in English and Estonian, and
// --check-lookups 4 --check-window 1200): translated titles follow the page's language;
//   polls not open / window not started / window ended (the device's clock moved): no voting;
//   ballot, with no credential asked for (error summary focused, linked to the contests;
//   write-in counter in characters; a typed write-in not chosen is refused) -> tracking code ->
//   anonymous challenge (opened choices shown and verified; the board entry names no voter) ->
//   vote again (the same choices pre-filled) -> cast: only now the credential (passphrase-
//   protected; a refused attempt and a switch to Russian keep the file and passphrase, and the
//   message follows the language) -> receipt card, download, print view where no code group
//   wraps, the check key with its link, QR code and limits (en, ru, et); the credential is forgotten -> the check
//   link opened on a second device shows the cast choices (the key never in a request, out of
//   the address bar), a wrong key, the 5th lookup refused (--check-lookups 4), a challenge's code and an unknown
//   code explained -> Finish -> check by
//   tracking code alone, by receipt, a tampered receipt and a missing board entry (FAILED with
//   details) -> my own key made in the page and downloaded, checked on the roll (OK, not
//   listed, another key, an altered roll) -> the searchable list of cast tracking codes -> results (none, then published:
//   "Winner", "Elected", how to verify) in English, Estonian and Russian -> a server rejection
//   (polls closed) explained, and observers land on the results.
// axe-core checks every page state for accessibility violations; screenshots of every state
// go to the artifact directory, with timing.json (encryption time in the page).
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import assert from 'node:assert/strict';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const jsQR = require('jsqr');

const { values: args } = parseArgs({
  options: { url: { type: 'string' }, work: { type: 'string' }, artifacts: { type: 'string' }, chromium: { type: 'string' }, haal: { type: 'string' } },
});
const log = (...m) => console.log('browser_vote:', ...m);
const failures = [];
let shots = 0;
let axeRuns = 0;

// A screenshot of the page state and an axe-core run over it (WCAG 2.x A and AA rules and
// best practices); every violation fails the test. axe is evaluated through the DevTools
// protocol, which the page's Content-Security-Policy does not govern.
async function axeViolations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

async function state(page, name) {
  await page.screenshot({ path: join(args.artifacts, `${String(++shots).padStart(2, '0')}-${name}.png`), fullPage: true });
  axeRuns++;
  for (const v of await axeViolations(page)) failures.push(`axe, ${name}: ${v}`);
}

const focusedId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);
const haal = (...a) => execFileSync(args.haal, [...a, '--server', args.url, '--officials-key', join(args.work, 'officials.json'), '--passphrase-env', 'HAAL_TEST_PASSPHRASE']);

const browser = await chromium.launch({
  executablePath: args.chromium,
  args: ['--headless', '--no-sandbox', '--disable-gpu'],
});
let page = null;
try {
  // A phone-sized screen: the whole flow must work there.
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'Europe/Tallinn', acceptDownloads: true });
  const refusals = [];
  const watch = (page) => {
    // Chromium logs every non-2xx fetch as a console error: those are checked through the
    // responses instead, and only the expected refusals may occur.
    page.on('console', (m) => m.type() === 'error' && !m.text().startsWith('Failed to load resource') && failures.push(`console error: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && refusals.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`));
    page.on('pageerror', (e) => failures.push(`page error: ${e.message}`));
    // Every request must stay on the collector's origin.
    page.on('request', (r) => {
      const u = r.url();
      if (!u.startsWith(args.url) && !u.startsWith('blob:') && !u.startsWith('data:')) failures.push(`request left the origin: ${u}`);
    });
  };
  page = await context.newPage();
  watch(page);

  // axe itself finds violations: a page with an image without text and an unlabelled field
  // fails both rules.
  const probe = await context.newPage();
  await probe.setContent('<!doctype html><html lang="en"><head><title>t</title></head><body><main><h1>a</h1><img src="data:,"><input type="text"></main></body></html>');
  const probeViolations = (await axeViolations(probe)).map((v) => v.split(' ')[0]);
  for (const rule of ['image-alt', 'label']) assert.ok(probeViolations.includes(rule), `axe did not report ${rule}: ${probeViolations}`);
  await probe.close();

  // Before the polls open: the period and the fingerprint are shown, no voting is offered.
  const info = await (await page.request.get(`${args.url}/api/election`)).json();
  await page.goto(args.url + '/');
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.$$eval('h1', (l) => l.length), 1);
  assert.equal(await page.getAttribute('#polls', 'data-polls'), 'not-opened');
  assert.match(await page.textContent('#period'), /^Voting period: January 1, 2020 at 2:00\s?AM – January 1, 2100 at 1:59\s?AM \(your time zone, Europe\/Tallinn\)$/);
  assert.equal(await page.textContent('#fingerprint'), `Election fingerprint: ${info.context_hash.slice(0, 16).toUpperCase().match(/.{4}/g).join(' ')}`);
  assert.equal(await page.getAttribute('#voting-closed', 'data-reason'), 'vote.not-opened');
  assert.equal(await page.$('#credential-form'), null);
  assert.equal(await page.$('#ballot-form'), null);
  // No focus frame around the page on load; the skip link is translated and moves the focus.
  assert.equal(await page.evaluate(() => document.activeElement === document.body), true);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip');
  await page.keyboard.press('Enter');
  assert.equal(await focusedId(page), 'main');
  assert.equal(new URL(page.url()).hash, '');
  await state(page, 'vote-polls-not-open');

  // The device's clock before and after the voting period (the polls' status aside); a
  // context's clock is shared by its pages, so each time gets its own context.
  for (const [time, reason, name] of [['2019-06-01T12:00:00Z', 'vote.not-started', 'vote-not-started'], ['2100-06-01T12:00:00Z', 'vote.ended', 'vote-ended']]) {
    const clockContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'Europe/Tallinn' });
    const p = await clockContext.newPage();
    watch(p);
    await clockContext.clock.setFixedTime(new Date(time));
    await p.goto(args.url + '/#vote');
    await p.waitForSelector('body[data-ready="true"]');
    assert.equal(await p.getAttribute('#voting-closed', 'data-reason'), reason);
    assert.equal(await p.$('#ballot-form'), null);
    await state(p, name);
    await clockContext.close();
  }

  // The polls open: the ballot comes first; nothing asks who the voter is before casting.
  haal('polls', 'open');
  await page.reload();
  await page.waitForSelector('#ballot-form');
  assert.match(await page.textContent('#polls'), /open/);
  assert.equal(await page.$('#credential-form'), null);
  assert.equal(await page.$('input[type=file]'), null);

  // Rules are shown; rank menus are named; an incomplete ballot gets an error summary that
  // takes the focus and links to each contest in error, and the contests are marked.
  const rules = await page.$$eval('fieldset.contest .rule', (els) => els.map((e) => e.textContent));
  assert.deepEqual(rules, ['Choose one.', 'Choose up to 3.', 'Choose one, or leave blank.', 'Rank from 1 to 3 candidates: 1 is your first preference.', 'Rank up to 10 candidates: 1 is your first preference.']);
  assert.equal(await page.getAttribute('select[data-contest="board"][data-candidate="2"]', 'aria-label'), 'Rank for Fay');
  await state(page, 'vote-ballot-empty');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#error-summary');
  assert.equal(await focusedId(page), 'error-summary');
  const summary = await page.$$eval('#error-summary a', (l) => l.map((a) => [a.textContent, a.getAttribute('href')]));
  assert.deepEqual(summary, [['Mayor: choose at least 1.', '#contest-mayor'], ['School board: rank at least 1.', '#contest-board']]);
  assert.deepEqual(await page.$$eval('fieldset.invalid', (l) => l.map((f) => f.dataset.contest)), ['mayor', 'board']);
  assert.equal(await page.textContent('#contest-mayor-error'), 'Mayor: choose at least 1.');
  // The manifest's translated titles follow the page's language: the legend, the message, the header.
  await page.click('#lang-ru');
  assert.equal(await page.textContent('fieldset[data-contest="mayor"] legend'), 'Мэр');
  assert.equal(await page.textContent('#contest-mayor-error'), 'Мэр: выберите не менее 1.');
  assert.equal(await page.textContent('.election-title'), 'Тестовые выборы в браузере');
  await page.click('#lang-et');
  assert.equal(await page.textContent('fieldset[data-contest="mayor"] legend'), 'Linnapea');
  await page.click('#lang-en');
  assert.equal(await page.textContent('fieldset[data-contest="mayor"] legend'), 'Mayor');
  assert.equal(await page.textContent('.election-title'), 'Browser test election');
  const summaryTop = await page.evaluate(() => document.getElementById('error-summary').getBoundingClientRect().top);
  assert.ok(summaryTop >= 0 && summaryTop < 400, `the error summary is ${summaryTop} px from the top of the view`);
  await state(page, 'vote-ballot-errors');
  await page.click('#error-summary a[href="#contest-board"]');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.contest), 'board');
  assert.equal(new URL(page.url()).hash, '');

  // The write-in counter counts characters, and bytes only where they differ. Typing a name
  // chooses the write-in; a name left while another candidate is chosen is refused, not dropped.
  const mayorWriteIn = 'fieldset[data-contest="mayor"] input.write-in';
  await page.fill(mayorWriteIn, 'Zed');
  assert.equal(await page.textContent('fieldset[data-contest="mayor"] .chars'), '3 of 40 characters');
  assert.equal(await page.isChecked('input[data-contest="mayor"][data-candidate="3"]'), true);
  assert.equal(await page.getAttribute('fieldset[data-contest="mayor"] .chars', 'aria-live'), null);
  await page.fill(mayorWriteIn, 'Zoë');
  assert.match(await page.textContent('fieldset[data-contest="mayor"] .chars'), /^3 characters, taking 4 of 40 places/);
  await page.fill(mayorWriteIn, 'x'.repeat(41));
  assert.match(await page.getAttribute('fieldset[data-contest="mayor"] .chars', 'class'), /over/);
  await page.fill(mayorWriteIn, 'Zed');

  // First ballot: mayor Bob, council One + Four, measure yes, board Fay then Gus, chair O9. Filled with the keyboard where it matters.
  await page.check('input[data-contest="mayor"][data-candidate="1"]');
  await page.check('input[data-contest="council"][data-candidate="0"]');
  await page.focus('input[data-contest="council"][data-candidate="3"]');
  await page.keyboard.press('Space');
  await page.check('input[data-contest="measure-a"][data-candidate="0"]');
  await page.selectOption('select[data-contest="board"][data-candidate="2"]', '1');
  await page.selectOption('select[data-contest="board"][data-candidate="3"]', '2');
  await page.selectOption('select[data-contest="chair"][data-candidate="9"]', '1');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#error-summary >> text=you typed a write-in name');
  assert.equal(await page.$$eval('#error-summary li', (l) => l.length), 1);
  await page.fill(mayorWriteIn, '');
  await state(page, 'vote-ballot-filled');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#tracking-code');
  const firstCode = await page.textContent('#tracking-code');
  const timings = [Number(await page.getAttribute('body', 'data-encrypt-ms'))];
  assert.match(firstCode, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){5}$/);
  assert.equal(await page.isVisible('#encrypt-timing'), false);
  // The tracking code is shown before the voter decides, and still nothing asks for the
  // credential.
  assert.equal(await page.$('#credential-form'), null);
  await state(page, 'vote-review');

  // Challenge, anonymously: the opened ballot is shown and verified; its board entry names no
  // voter; the voter starts again with the same choices filled in.
  await page.click('#challenge-button');
  await page.waitForSelector('#opening-verified');
  const opened = await page.textContent('#opened-choices');
  for (const expected of ['Bob', 'One', 'Four', 'Yes', 'Fay', 'Gus', 'O9']) assert.ok(opened.includes(expected), `opened choices lack ${expected}: ${opened}`);
  assert.ok((await page.textContent('main')).includes(firstCode));
  assert.ok(await page.isVisible('#challenge-anonymous'));
  await state(page, 'vote-challenged');
  const challengeIndex = (await (await page.request.get(`${args.url}/api/ballots/${firstCode}`)).json()).receipt.board_index;
  const challengeEntry = (await (await page.request.get(`${args.url}/api/board/entries?from=${challengeIndex}&to=${challengeIndex + 1}`)).json()).entries[0];
  assert.equal(challengeEntry.kind, 'challenge');
  const challengeText = Buffer.from(challengeEntry.payload, 'hex').toString('utf8');
  const challengeRecord = JSON.parse(challengeText);
  assert.deepEqual(Object.keys(challengeRecord).sort(), ['contests', 'context_hash', 'election_id', 'type']);
  assert.equal(challengeRecord.type, 'haal-challenge-v2');
  for (const c of challengeRecord.contests) assert.deepEqual(Object.keys(c).sort(), ['choices', 'ciphertexts', 'contest_id', 'randomness']);
  const voterKey = JSON.parse(readFileSync(join(args.work, 'creds', 'voter-0001.json'), 'utf8')).public_key;
  for (const identity of ['voter-0001', 'voter_id', 'credential', 'signature', voterKey]) assert.ok(!challengeText.includes(identity), `the challenge on the board holds "${identity}"`);
  await page.click('#vote-again');
  await page.waitForSelector('#ballot-form');
  assert.equal(await page.isChecked('input[data-contest="mayor"][data-candidate="1"]'), true);
  assert.equal(await page.$('#credential-form'), null);

  // Second ballot: mayor Alice instead; the rest kept. Cast it: only now the credential is
  // asked for, under the tracking code being cast.
  await page.check('input[data-contest="mayor"][data-candidate="0"]');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#tracking-code');
  const secondCode = await page.textContent('#tracking-code');
  timings.push(Number(await page.getAttribute('body', 'data-encrypt-ms')));
  assert.notEqual(secondCode, firstCode);
  await page.click('#cast-button');
  await page.waitForSelector('#credential-form');
  assert.equal(await page.textContent('#casting-code'), secondCode);
  await state(page, 'vote-credential');

  // A protected credential without its passphrase is refused with a clear message; the chosen
  // file stays chosen through the refusal, a wrong passphrase and a switch to Russian.
  const credFile = join(args.work, 'creds', 'voter-0001.json');
  await page.setInputFiles('#cred-file', credFile);
  await page.click('#credential-form button[type=submit]');
  await page.waitForSelector('#vote-message.error');
  assert.match(await page.textContent('#vote-message'), /protected: enter its passphrase/);
  assert.equal(await focusedId(page), 'vote-message');
  await page.fill('#cred-pass', 'wrong passphrase');
  await page.click('#credential-form button[type=submit]');
  await page.waitForSelector('#vote-message.error >> text=Wrong passphrase', { timeout: 60000 });
  assert.equal(await page.$eval('#cred-file', (e) => e.files.length), 1);
  assert.equal(await page.inputValue('#cred-pass'), 'wrong passphrase');
  await state(page, 'vote-credential-refused');
  await page.click('#lang-ru');
  assert.match(await page.textContent('#vote-message'), /Неверный пароль/);
  assert.equal(await page.textContent('#nav-vote'), 'Голосовать');
  assert.equal(await page.$eval('#cred-file', (e) => e.files.length), 1);
  assert.equal(await page.inputValue('#cred-pass'), 'wrong passphrase');
  await state(page, 'vote-credential-refused-ru');
  await page.click('#lang-en');
  await page.fill('#cred-pass', process.env.HAAL_VOTER_PASSPHRASE);
  await page.click('#credential-form button[type=submit]');
  await page.waitForSelector('#receipt-verified', { timeout: 60000 });
  const receipt = JSON.parse(await page.textContent('#receipt-json'));
  assert.equal(receipt.tracking_code, secondCode);
  assert.equal(receipt.kind, 'ballot');
  assert.equal(await page.textContent('#receipt-code'), secondCode);
  assert.match(await page.textContent('#receipt-card'), new RegExp(`entry ${receipt.board_index}`));
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-receipt')]);
  const receiptPath = join(args.artifacts, 'receipt.json');
  await download.saveAs(receiptPath);
  assert.deepEqual(JSON.parse(readFileSync(receiptPath, 'utf8')), receipt);
  // On the phone, on screen and printed, no group of the tracking code wraps.
  // (Groups hidden from the print, those of the check key, have no box.)
  const groupsWhole = () =>
    page.$$eval('.tracking-code .group', (l) => {
      const shown = l.filter((g) => g.getClientRects().length > 0);
      return shown.length > 0 && shown.every((g) => g.getClientRects().length === 1);
    });
  assert.ok(await groupsWhole());
  await state(page, 'vote-cast');
  // The check key (13 groups of four), the link carrying it in the fragment, and its QR code.
  const castKey = await page.textContent('#check-key');
  assert.match(castKey, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){12}$/);
  const checkLink = `${args.url}/#check/${secondCode}/${castKey}`;
  assert.equal(await page.getAttribute('#check-link', 'href'), checkLink);
  assert.equal(await page.textContent('#check-link'), checkLink);
  assert.equal(await page.getAttribute('#check-qr', 'role'), 'img');
  assert.match(await page.getAttribute('#check-qr', 'aria-label'), /QR code/);
  assert.ok(Number(await page.getAttribute('#check-qr', 'data-modules')) >= 21);
  assert.ok((await page.$eval('#check-qr', (e) => e.getBoundingClientRect().width)) >= 150);
  // An independent decoder (jsQR) reads the link from the QR code, drawn at 8 pixels a module.
  const qr = await page.evaluate(async () => {
    const svg = document.getElementById('check-qr');
    const size = 8 * svg.viewBox.baseVal.width;
    const img = new Image();
    img.src = `data:image/svg+xml;base64,${btoa(new XMLSerializer().serializeToString(svg))}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = canvas.height = size;
    const context = canvas.getContext('2d');
    context.imageSmoothingEnabled = false;
    context.drawImage(img, 0, 0, size, size);
    return { size, data: Array.from(context.getImageData(0, 0, size, size).data) };
  });
  const decodedQr = jsQR(Uint8ClampedArray.from(qr.data), qr.size, qr.size);
  assert.equal(decodedQr && decodedQr.data, checkLink);
  // The limits of the check, as the collector was started with (--check-lookups 4
  // --check-window 1200), in the page's language.
  assert.equal(await page.textContent('#check-limits'), 'This link shows your choices at most 4 times, and only within 20 minutes of casting.');
  await page.click('#lang-ru');
  assert.equal(await page.textContent('#check-limits'), 'Эта ссылка показывает Ваш выбор не более 4 раз и только в течение 20 мин после голосования.');
  await page.click('#lang-et');
  assert.equal(await page.textContent('#check-limits'), 'See link näitab Teie valikuid kuni 4 korda ja ainult 20 minuti jooksul pärast hääletamist.');
  await page.click('#lang-en');
  await page.emulateMedia({ media: 'print' });
  assert.ok(await groupsWhole());
  assert.equal(await page.isVisible('#finish'), false);
  assert.equal(await page.isVisible('#cast-check-card'), false);
  await page.screenshot({ path: join(args.artifacts, `${String(++shots).padStart(2, '0')}-vote-cast-print.png`), fullPage: true });
  await page.emulateMedia({ media: 'screen' });
  const challengeReceipt = await (await page.request.get(`${args.url}/api/ballots/${firstCode}`)).json();
  assert.equal(challengeReceipt.status, 'challenged');
  writeFileSync(join(args.artifacts, 'challenge-receipt.json'), JSON.stringify(challengeReceipt.receipt));

  // The second device (another browser, as a phone that scanned the QR code): the link opens
  // the check page, which fetches the cast ballot, opens it with the key and shows the choices.
  // The key is in no request and leaves the address bar at once; nothing is stored.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-US', timezoneId: 'Europe/Tallinn' });
  const second = await phone.newPage();
  watch(second);
  const secondRequests = [];
  second.on('request', (r) => secondRequests.push(`${r.url()} ${r.postData() ?? ''}`));
  await second.goto(checkLink);
  await second.waitForSelector('#cast-check-ok', { timeout: 60000 });
  assert.equal(await focusedId(second), 'cast-check-ok');
  assert.equal(new URL(second.url()).hash, '#check');
  const checked = await second.textContent('#cast-check-choices');
  for (const expected of ['Alice', 'One', 'Four', 'Yes', 'Fay', 'Gus', 'O9']) assert.ok(checked.includes(expected), `the checked ballot lacks ${expected}: ${checked}`);
  assert.ok(!checked.includes('Bob'));
  assert.equal(await second.$$eval('#cast-check-steps li', (l) => l.length), 3);
  assert.match(await second.textContent('#cast-check-steps'), /signed with the credential of voter voter-0001/);
  assert.equal(await second.getAttribute('#cast-check-status', 'data-status'), 'cast');
  await state(second, 'check-cast-second-device');
  await second.click('#lang-et');
  assert.equal(await second.textContent('#cast-check-ok'), 'Teie antud sedelis on need valikud:');
  await state(second, 'check-cast-second-device-et');
  await second.click('#lang-en');
  // A wrong key (a valid key of another ballot): the collector refuses its proof (401
  // bad-check-proof), told apart from a failed check.
  const otherKey = castKey.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
  await second.fill('#cast-check-key', otherKey);
  await second.click('#cast-check-form button[type=submit]');
  await second.waitForSelector('#cast-check-error');
  assert.match(await second.textContent('#cast-check-error p'), /^This check key does not open the ballot with this tracking code\./);
  assert.equal(await focusedId(second), 'cast-check-error');
  await state(second, 'check-cast-wrong-key');
  // Not a key at all: no request.
  await second.fill('#cast-check-key', 'ABCD-EFGH');
  await second.click('#cast-check-form button[type=submit]');
  await second.waitForSelector('#cast-check-error >> text=This is not a check key');
  // The wrong key spent no lookup (the collector refuses its proof first): the second to fourth
  // lookups work; the fifth is refused (--check-lookups 4).
  await second.fill('#cast-check-key', castKey.toLowerCase().replace(/-/g, ' '));
  for (let i = 0; i < 3; ++i) {
    await second.click('#cast-check-form button[type=submit]');
    await second.waitForSelector('#cast-check-ok');
  }
  await second.click('#cast-check-form button[type=submit]');
  await second.waitForSelector('#cast-check-error');
  assert.match(await second.textContent('#cast-check-error p'), /^This ballot has already been checked as many times as allowed\./);
  await second.click('#cast-check-error summary');
  assert.match(await second.textContent('#cast-check-error pre'), /^HTTP 429, check-limit: /);
  await state(second, 'check-cast-limit');
  // A challenged ballot's code is not a cast ballot; an unknown code is not on the board.
  await second.fill('#cast-check-code', firstCode);
  await second.click('#cast-check-form button[type=submit]');
  await second.waitForSelector('#cast-check-error >> text=belongs to a ballot that was opened for checking');
  await second.fill('#cast-check-code', 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ');
  await second.click('#cast-check-form button[type=submit]');
  await second.waitForSelector('#cast-check-error >> text=No ballot with this tracking code is on the board');
  await state(second, 'check-cast-unknown');
  const compactKey = castKey.replace(/-/g, '');
  for (const r of secondRequests) {
    assert.ok(!r.toUpperCase().replace(/[-\s]|%20/g, '').includes(compactKey), `a request carries the check key: ${r}`);
  }
  assert.ok(secondRequests.some((r) => r.includes(`/api/ballots/${secondCode}/check`)));
  for (const p of [page, second]) {
    const stored = await p.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    assert.ok(!stored.toUpperCase().replace(/-/g, '').includes(compactKey), 'the check key is stored');
  }
  await phone.close();

  // Finish: the credential is gone; voting again starts from the credential file.
  assert.ok(await page.isVisible('#credential-forgotten'));
  await page.click('#finish');
  await page.waitForSelector('#finished');
  await state(page, 'vote-finished');
  assert.equal(await page.$('#check-key'), null);
  await page.click('main button.link');
  await page.waitForSelector('#ballot-form');
  assert.equal(await page.isChecked('input[data-contest="mayor"][data-candidate="0"]'), false);
  assert.equal(await page.$('#credential-form'), null);

  // Check my ballot with the tracking code alone (typed loosely), no receipt file.
  await page.click('#nav-check');
  await page.waitForSelector('#check-form');
  await state(page, 'check-empty');
  await page.fill('#check-code', secondCode.toLowerCase().replace(/-/g, ' '));
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-ok');
  assert.equal(await focusedId(page), 'check-ok');
  assert.equal(await page.getAttribute('#check-status', 'data-status'), 'cast');
  assert.equal(await page.$$eval('#check-steps li', (l) => l.length), 4);
  await state(page, 'check-by-code');
  await page.fill('#check-code', 'AAAA-BBBB-CCCC-DDDD-EEEE-FFFF');
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-error');
  assert.match(await page.textContent('#check-error p'), /^No ballot with this tracking code is on the board\..*tell the election officials \(contact: officials@example\.org, phone 600 0000\)\.$/);
  // The manifest's contact in the page's language: Estonian has its own, Russian falls back to English.
  await page.click('#lang-et');
  assert.match(await page.textContent('#check-error p'), /teatage valimiste korraldajatele \(kontakt: valimised@example\.org, telefon 600 0000\)\.$/);
  await page.click('#lang-ru');
  assert.match(await page.textContent('#check-error p'), /сообщите организаторам выборов \(контакт: officials@example\.org, phone 600 0000\)\.$/);
  await page.click('#lang-en');
  await page.fill('#check-code', 'not a code');
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-error >> text=This is not a tracking code');
  await page.fill('#check-code', '');

  // Check with the receipt: passes; a tampered receipt and a receipt whose board entry is
  // missing are FAILED checks that say what to do, with the technical reason in the details.
  await page.fill('#check-form textarea', JSON.stringify(receipt));
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-ok');
  assert.equal(await page.getAttribute('#check-status', 'data-status'), 'cast');
  const tampered = structuredClone(receipt);
  tampered.inclusion_proof.audit_path = tampered.inclusion_proof.audit_path.map((h) => h.replace(/^./, (c) => (c === '0' ? '1' : '0')));
  if (tampered.inclusion_proof.audit_path.length === 0) tampered.signed_tree_head.root_hash = '00'.repeat(32);
  await page.fill('#check-form textarea', JSON.stringify(tampered));
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-error');
  assert.match(await page.textContent('#check-error p'), /^The check FAILED: .*tell the election officials/);
  await page.click('#check-error summary');
  await state(page, 'check-tampered');
  const missing = structuredClone(receipt);
  missing.board_index = missing.inclusion_proof.leaf_index = 999;
  await page.fill('#check-form textarea', JSON.stringify(missing));
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-error');
  assert.match(await page.textContent('#check-error p'), /^The check FAILED/);
  assert.match(await page.textContent('#check-error pre'), /the board has no entry 999/);
  await page.fill('#check-form textarea', '{"kind": 1}');
  await page.click('#check-form button[type=submit]');
  await page.waitForSelector('#check-error >> text=This is not a Haal receipt');
  await page.fill('#check-form textarea', '');

  // My key (issue 18): a key made in the browser with no request at all, downloaded; the roll
  // check of GET /api/roll: FAILED for the new key (not listed), OK for an issued credential,
  // FAILED for a key of `haal credentials keygen` for a listed voter (another key) and for a
  // roll altered on the way (not the published roll_hash).
  const keyStart = Date.now();
  await page.click('#nav-key');
  await page.waitForSelector('#key-make-form');
  await page.fill('#key-voter', 'voter-0003');
  await page.fill('#key-pass', process.env.OWN_PASSPHRASE);
  await page.fill('#key-pass2', 'another passphrase');
  await page.click('#key-make-form button[type=submit]');
  await page.waitForSelector('#key-make-message.error >> text=The two passphrases differ');
  assert.equal(await focusedId(page), 'key-make-message');
  await state(page, 'key-make-refused');
  await page.fill('#key-pass2', process.env.OWN_PASSPHRASE);
  const keyRequests = [];
  const onKeyRequest = (r) => keyRequests.push(r.url());
  page.on('request', onKeyRequest);
  await page.click('#key-make-form button[type=submit]');
  await page.waitForSelector('#key-result', { timeout: 60000 });
  page.off('request', onKeyRequest);
  assert.deepEqual(keyRequests, []);
  assert.match(await page.textContent('#key-make-message'), /^Your key for voter voter-0003 is ready/);
  assert.equal(await focusedId(page), 'key-make-message');
  const grouped = await page.textContent('#key-public');
  assert.match(grouped, /^[0-9a-f]{4}( [0-9a-f]{4}){15}$/);
  const [keyDownload] = await Promise.all([page.waitForEvent('download'), page.click('#key-download')]);
  assert.equal(keyDownload.suggestedFilename(), 'voter-0003.json');
  const ownFile = join(args.work, 'own-voter-0003.json');
  await keyDownload.saveAs(ownFile);
  const own = JSON.parse(readFileSync(ownFile, 'utf8'));
  assert.equal(own.public_key, grouped.replace(/ /g, ''));
  assert.deepEqual(Object.keys(own).sort(), ['election_id', 'public_key', 'seed_box', 'voter_id']);
  assert.equal(own.election_id, info.election_id);
  await state(page, 'key-made');
  // Checks `file` on the roll and waits for the message of `kind` (ok, error) matching `text`.
  const checkKey = async (file, passphrase, kind, text) => {
    await page.setInputFiles('#key-check-file', file);
    await page.fill('#key-check-pass', passphrase);
    await page.click('#key-check-form button[type=submit]');
    await page.waitForSelector(`#key-check-message.${kind} p >> text=${text}`, { timeout: 60000 });
    assert.equal(await focusedId(page), 'key-check-message');
  };
  await checkKey(ownFile, process.env.OWN_PASSPHRASE, 'error', /^FAILED: voter voter-0003 is not on the published voter roll.*Tell the election officials at once/);
  await checkKey(credFile, process.env.HAAL_VOTER_PASSPHRASE, 'ok', /^OK: the published voter roll lists voter voter-0001 with your key\./);
  await state(page, 'key-check-ok');
  const otherKeyFile = join(args.work, 'other-0002.json');
  await checkKey(otherKeyFile, '', 'error', /^FAILED: the published voter roll lists voter voter-0002 with another key, not yours/);
  await page.click('#key-check-message summary');
  assert.match(await page.textContent('#key-check-message pre'), /your key [0-9a-f]{64}\nlisted key [0-9a-f]{64}$/);
  await state(page, 'key-check-another-key');
  // A roll altered on its way to list that key for voter-0002 (without the roll_hash check it
  // would pass) is refused.
  await page.route(`${args.url}/api/roll`, async (route) => {
    const response = await route.fetch();
    const roll = await response.json();
    roll.voters[1].public_key = JSON.parse(readFileSync(otherKeyFile, 'utf8')).public_key;
    await route.fulfill({ response, body: JSON.stringify(roll) });
  });
  await checkKey(otherKeyFile, '', 'error', /^FAILED: the server sent a voter roll that is not the one it published/);
  assert.match(await page.textContent('#key-check-message pre'), /is not the published roll_hash/);
  await page.unroute(`${args.url}/api/roll`);
  log(`my key: made, downloaded and 4 roll checks in ${Date.now() - keyStart} ms`);
  await page.click('#nav-check');
  await page.waitForSelector('#load-list');

  // The public list of cast ballots' tracking codes, searchable; a challenged ballot is not cast.
  await page.click('#load-list');
  await page.waitForSelector('#list-search');
  assert.equal(await focusedId(page), 'list-search');
  assert.match(await page.textContent('#cast-list'), /Cast ballots on the board: 1\./);
  await page.fill('#list-search', secondCode.slice(5, 12).toLowerCase());
  assert.equal(await page.textContent('#list-count'), 'Matching tracking codes: 1');
  assert.equal(await page.textContent('#list-matches li'), secondCode);
  await page.fill('#list-search', firstCode);
  assert.equal(await page.textContent('#list-count'), 'Matching tracking codes: 0');
  await page.fill('#list-search', '');
  await state(page, 'check-list');

  // Results: none yet; then a published results.json: bars, IRV rounds, "Winner"/"Elected".
  await page.click('#nav-results');
  await page.waitForSelector('#no-results');
  await state(page, 'results-none');
  const zeroReasons = { duplicate_option: 0, option_out_of_range: 0, too_few_selections: 0, too_many_selections: 0, undecodable: 0, write_in_empty: 0, write_in_not_allowed: 0, write_in_not_utf8: 0 };
  const ballots = { blank: 0, invalid: 0, invalid_by_reason: zeroReasons, total: 3, valid: 3 };
  writeFileSync(
    join(args.work, 'results.json'),
    JSON.stringify({
      format: 'haal-results-v1',
      election_id: 'web-test-2026',
      contests: [
        { contest_id: 'mayor', format: 'haal-contest-results-v1', kind: 'plurality', ballots, choice: { leaders: [0], option_votes: [2, 0, 0], write_ins: [{ text: 'Zoë Zed', votes: 1 }] } },
        { contest_id: 'council', format: 'haal-contest-results-v1', kind: 'approval', ballots, choice: { leaders: [3], option_votes: [2, 1, 0, 3, 2], write_ins: [] } },
        {
          contest_id: 'board', format: 'haal-contest-results-v1', kind: 'irv', ballots,
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
  for (const expected of ['Mayor', 'Alice', '2 votes (66.7%)', 'Zoë Zed', 'Winner: Alice', 'Round 2', 'Fay is elected (majority)', 'Elected: Fay']) {
    assert.ok(resultsText.includes(expected), `results page lacks "${expected}": ${resultsText}`);
  }
  // Council: voters choose up to 3, and the count names no seats: the three with the most votes.
  assert.equal(await page.textContent('[data-contest="council"] .winner'), 'The 3 with the most votes: Four, One, Five');
  assert.doesNotMatch(resultsText, /Leading/);
  assert.ok((await page.$$('.bar-fill')).length >= 4);
  assert.match(await page.textContent('#verify-results'), /haal-verify record\.tar/);
  await state(page, 'results');

  // Estonian and Russian.
  await page.click('#lang-et');
  assert.equal(await page.textContent('#nav-vote'), 'Hääleta');
  assert.equal(await page.getAttribute('html', 'lang'), 'et');
  await page.waitForSelector('#results');
  assert.match(await page.textContent('#results'), /Võitja: Alice/);
  assert.equal(await page.textContent('[data-contest="mayor"] h3'), 'Linnapea');
  assert.equal(await page.textContent('.election-title'), 'Brauseri testvalimised');
  await state(page, 'results-et');
  await page.click('#lang-ru');
  assert.equal(await page.getAttribute('html', 'lang'), 'ru');
  await page.waitForSelector('#results');
  assert.match(await page.textContent('#results'), /Победитель: Alice/);
  assert.equal(await page.textContent('[data-contest="mayor"] h3'), 'Мэр');
  assert.equal(await page.textContent('.election-title'), 'Тестовые выборы в браузере');
  assert.equal(await page.textContent('a.skip'), 'Перейти к содержанию');
  await state(page, 'results-ru');
  await page.click('#lang-en');

  // A server rejection is explained: the officials close the polls while the voter reviews.
  // After casting and Finish, a new vote needs the credential file and passphrase again.
  await page.click('#nav-vote');
  await page.waitForSelector('#ballot-form');
  await page.check('input[data-contest="mayor"][data-candidate="2"]');
  await page.selectOption('select[data-contest="board"][data-candidate="0"]', '1');
  await page.click('#ballot-form button[type=submit]');
  await page.waitForSelector('#cast-button');
  await page.click('#cast-button');
  await page.waitForSelector('#credential-form');
  assert.equal(await page.$eval('#cred-file', (e) => e.files.length), 0);
  assert.equal(await page.inputValue('#cred-pass'), '');
  await page.setInputFiles('#cred-file', credFile);
  await page.fill('#cred-pass', process.env.HAAL_VOTER_PASSPHRASE);
  haal('polls', 'close');
  await page.click('#cast-submit');
  await page.waitForSelector('#vote-message.error', { timeout: 60000 });
  assert.equal(await page.textContent('#vote-message p'), 'The polls are closed: voting has ended.');
  assert.match(await page.textContent('#vote-message pre'), /^HTTP 403, polls-closed: /);
  assert.equal(await focusedId(page), 'vote-message');
  assert.match(await page.textContent('#polls'), /closed/);
  assert.equal(await page.isDisabled('#cast-submit'), true);
  await state(page, 'vote-rejected');

  // Observers after the polls land on the results; the vote page offers no voting.
  await page.goto(args.url + '/');
  await page.waitForSelector('#results');
  assert.equal(await page.getAttribute('#nav-results', 'aria-current'), 'page');
  await page.click('#nav-vote');
  assert.equal(await page.getAttribute('#voting-closed', 'data-reason'), 'vote.ended');
  await state(page, 'vote-closed');
  // A desktop screen.
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.click('#nav-results');
  await page.waitForSelector('#results');
  await state(page, 'results-desktop');

  assert.deepEqual(refusals.sort(), [
    '400 GET /api/board/entries',
    '403 POST /api/ballots',
    '404 GET /api/results',
    '404 GET /api/ballots/AAAA-BBBB-CCCC-DDDD-EEEE-FFFF',
    `401 POST /api/ballots/${secondCode}/check`,
    `429 POST /api/ballots/${secondCode}/check`,
    `409 POST /api/ballots/${firstCode}/check`,
    '404 POST /api/ballots/ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ/check',
  ].sort());
  writeFileSync(join(args.artifacts, 'timing.json'), JSON.stringify({ contests: 5, elements: 6, encrypt_ms: timings }) + '\n');
  log(`5-contest ballot encrypted in the page in ${timings.map((t) => t.toFixed(1)).join(' ms, ')} ms`);
  const limit = Number(process.env.HAAL_WEB_MAX_ENCRYPT_MS ?? 2000);
  for (const t of timings) if (!(t > 0 && t < limit)) failures.push(`encryption took ${t} ms (limit ${limit} ms)`);
  await context.close();
} catch (e) {
  failures.push(e.stack || String(e));
  // The state the test stopped in, and the text the voter saw.
  if (page) {
    await page.screenshot({ path: join(args.artifacts, 'failure.png'), fullPage: true }).catch(() => {});
    failures.push(`page text at the failure: ${await page.textContent('body').catch(() => '?')}`);
  }
} finally {
  await browser.close();
}
if (failures.length) {
  console.error('browser_vote: FAILED\n' + failures.join('\n'));
  process.exit(1);
}
log(`all browser steps passed; ${axeRuns} page states checked by axe-core with no violation; ${shots} screenshots in`, args.artifacts);
