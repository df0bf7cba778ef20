// "Check my ballot": from a tracking code or a receipt, the browser verifies against the board
// itself (docs/web.md):
//   1. board entry board_index is the receipted ballot (kind, index, time; hash and tracking code);
//   2. the receipt's inclusion proof holds under its own signed tree head (signature checked);
//   3. the server's fresh receipt includes the ballot under the current signed head (signature
//      and RFC 9162 inclusion checked here);
//   4. the current head extends the receipt's head (RFC 9162 consistency proof);
// then shows the ballot's status (cast, superseded, challenged). A tracking code alone gets its
// receipt from GET /api/ballots/{code} and goes through the same steps. The page also lists the
// tracking codes of all cast ballots, computed here from the board's entries.
//
// The cast-ballot check on a second device (docs/web.md): opened as #check/CODE/KEY (the link
// or QR code shown after casting; the fragment never reaches the server and is removed from
// the address bar at once) or typed into its form, it posts to /api/ballots/CODE/check,
// verifies the served receipt under the context's collector key and that the ballot's tracking
// code is CODE, re-derives the randomness from the key, checks g^r = alpha, decrypts and shows
// the choices. The key stays in this page's memory: no request, no storage.
import { fromHex, toHex } from '../crypto/bytes.js';
import { canonicalJsonBytes } from '../crypto/canonical-json.js';
import { sha256 } from '../crypto/hash.js';
import { BALLOT_TYPE, ballotSignatureValid, trackingCodeOf } from '../election/ballot.js';
import { checkKeySeed, makeCheckRequest, normalizeCheckKey, openCastBallot, WrongCheckKeyError } from '../election/cast_check.js';
import { systemRandom } from '../crypto/random.js';
import { selectionToJson } from '../election/selection.js';
import { consistencyFailure, parseReceipt, receiptFailure } from '../board/merkle.js';
import { ApiError, getJson, postJson } from './api.js';
import { choicesSummary } from './choices.js';
import { h, replace, trackingCodeElement, uid } from './dom.js';
import { t } from './i18n.js';
import { errorMessage, msg, notice } from './notice.js';

const state = { code: '', text: '', steps: null, error: null, status: null, busy: false, list: null, query: '' };

class CheckFailure extends Error {}

function fail(detail) {
  throw new CheckFailure(detail);
}

// Answers that mean the board does not hold what the receipt says are a FAILED check; others
// (network, rate limit, a head not yet signed) are the server's explanation.
const boardDisagrees = (err) => err instanceof ApiError && ['bad-range', 'not-found'].includes(err.code);

// "abcd efgh-ijkl..." -> "ABCD-EFGH-IJKL-MNOP-QRST-UVWX", or null if it is not a tracking code.
export function normalizeTrackingCode(text) {
  const compact = text.toUpperCase().replace(/[\s-]/g, '');
  if (!/^[A-Z2-7]{24}$/.test(compact)) return null;
  return compact.match(/.{4}/g).join('-');
}

// The receipt to check: parsed from the pasted text, or fetched by tracking code.
async function receiptToCheck() {
  if (state.text.trim() !== '') {
    try {
      return { receipt: parseReceipt(JSON.parse(state.text)) };
    } catch (e) {
      return { error: msg('check.bad-receipt', {}, e.message) };
    }
  }
  if (state.code.trim() === '') return { error: msg('check.need-input') };
  const code = normalizeTrackingCode(state.code);
  if (!code) return { error: msg('check.bad-code') };
  try {
    const answer = await getJson(`/api/ballots/${code}`);
    return { receipt: parseReceipt(answer.receipt) };
  } catch (e) {
    if (e instanceof ApiError && e.code === 'not-found') return { error: msg('check.not-found', {}, e.toMessage().details) };
    return { error: errorMessage(e, 'check.bad-receipt') };
  }
}

async function runCheck(app) {
  const { receipt, error } = await receiptToCheck();
  if (error) return { error };
  const steps = [];
  try {
    const key = app.election.collectorKey;
    if (receipt.signed_tree_head.log_id !== app.election.electionId) {
      fail(`the receipt is for election "${receipt.signed_tree_head.log_id}", not "${app.election.electionId}"`);
    }
    const i = receipt.board_index;
    let page;
    try {
      page = await getJson(`/api/board/entries?from=${i}&to=${i + 1}`);
    } catch (e) {
      if (boardDisagrees(e)) fail(`the board has no entry ${i} (${e.code}: ${e.serverMessage})`);
      throw e;
    }
    const entry = page.entries && page.entries[0];
    if (!entry) fail(`the board has no entry ${i}`);
    if (entry.kind !== receipt.kind || entry.sequence !== i || entry.timestamp_ms !== receipt.timestamp_ms) {
      fail(`board entry ${i} is not the receipted ${receipt.kind} (kind, index or time differ)`);
    }
    const payload = fromHex(entry.payload, 'entry.payload');
    if (toHex(sha256(payload)) !== receipt.ballot_hash) fail(`board entry ${i} is not the receipted ballot (hash differs)`);
    if (entryTrackingCode(payload) !== receipt.tracking_code) fail("the tracking code is not that of the entry's ciphertexts");
    steps.push({ key: 'check.step.entry', params: { index: i, code: receipt.tracking_code } });

    const own = receiptFailure(receipt, payload, key);
    if (own) fail(own);
    steps.push({ key: 'check.step.receipt', tech: msg('check.tech.receipt', { index: i, size: receipt.signed_tree_head.tree_size }) });

    let answer;
    try {
      answer = await getJson(`/api/ballots/${receipt.ballot_hash}`);
    } catch (e) {
      if (boardDisagrees(e)) fail(`the server does not find the ballot any more (${e.code}: ${e.serverMessage})`);
      throw e;
    }
    const fresh = parseReceipt(answer.receipt);
    if (fresh.board_index !== i || fresh.kind !== receipt.kind || fresh.timestamp_ms !== receipt.timestamp_ms) {
      fail("the server's current receipt names another board entry");
    }
    const current = receiptFailure(fresh, payload, key);
    if (current) fail(current);
    steps.push({ key: 'check.step.current', tech: msg('check.tech.current', { size: fresh.signed_tree_head.tree_size }) });

    const oldHead = receipt.signed_tree_head;
    const newHead = fresh.signed_tree_head;
    if (newHead.tree_size < oldHead.tree_size) {
      fail(`the current board (${newHead.tree_size} entries) is smaller than the receipt's (${oldHead.tree_size})`);
    }
    let proof;
    try {
      proof = (await getJson(`/api/board/consistency?old=${oldHead.tree_size}&new=${newHead.tree_size}`)).consistency_proof;
    } catch (e) {
      if (boardDisagrees(e)) fail(`the server has no consistency proof (${e.code}: ${e.serverMessage})`);
      throw e;
    }
    if (!proof || proof.first_size !== oldHead.tree_size || proof.second_size !== newHead.tree_size || !Array.isArray(proof.path)) {
      fail('the server sent a consistency proof for other sizes');
    }
    const consistency = consistencyFailure(
      oldHead.tree_size,
      newHead.tree_size,
      fromHex(oldHead.root_hash),
      fromHex(newHead.root_hash),
      proof.path.map((p, k) => fromHex(p, `consistency_proof.path[${k}]`, 32)),
    );
    if (consistency) fail(consistency);
    steps.push({ key: 'check.step.consistent', tech: msg('check.tech.consistent', { old: oldHead.tree_size, size: newHead.tree_size }) });
    return { steps, status: answer.status };
  } catch (e) {
    if (e instanceof ApiError) return { steps, error: e.toMessage() };
    return { steps, error: msg('check.failed', {}, e.message) };
  }
}

// The tracking code of a board entry's payload (a ballot or a challenge record): of its
// ciphertexts and election (docs/ballots.md section 7).
function entryTrackingCode(payload) {
  try {
    return trackingCodeOf(JSON.parse(new TextDecoder().decode(payload)));
  } catch (e) {
    return `(no tracking code: ${e.message})`;
  }
}

// The tracking codes of every cast ballot on the board (entries of kind "ballot"; a re-vote
// adds a code, a superseded ballot keeps its own), 1000 entries per request.
async function loadList(onProgress) {
  const size = (await getJson('/api/board/head')).signed_tree_head.tree_size;
  const codes = [];
  for (let from = 0; from < size; from += 1000) {
    onProgress(from, size);
    const to = Math.min(size, from + 1000);
    const page = await getJson(`/api/board/entries?from=${from}&to=${to}`);
    for (const entry of page.entries) {
      if (entry.kind === 'ballot') codes.push(entryTrackingCode(fromHex(entry.payload, 'entry.payload')));
    }
  }
  return codes;
}

// --- The cast-ballot check on a second device --------------------------------------------

const cast = { code: '', key: '', busy: false, steps: null, error: null, choices: null, status: null };

// Fetches the cast ballot by tracking code and opens it with the check key: {steps, choices,
// status} or {steps, error}. The key never leaves this function but as the derived randomness.
async function runCastCheck(app) {
  const code = normalizeTrackingCode(cast.code);
  if (!code) return { error: msg('check.bad-code') };
  let seed;
  try {
    seed = checkKeySeed(cast.key);
  } catch (e) {
    return { error: msg('castcheck.bad-key', {}, e.message) };
  }
  const steps = [];
  try {
    let answer;
    try {
      // Proves the key without sending it: a stranger who read the code off the board cannot
      // spend the voter's few lookups (docs/ballots.md section 12).
      const request = makeCheckRequest(app.election, code, seed, systemRandom);
      answer = await postJson(`/api/ballots/${code}/check`, new TextDecoder().decode(canonicalJsonBytes(request)));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'not-found') return { error: msg('castcheck.not-found', {}, e.toMessage().details) };
      // The collector refuses a proof made with a key that is not this ballot's.
      if (e instanceof ApiError && e.code === 'bad-check-proof') return { error: msg('castcheck.wrong-key', {}, e.toMessage().details) };
      return { error: errorMessage(e, 'errors.unexpected') };
    }
    const { election } = app;
    const { ballot } = answer;
    const receipt = parseReceipt(answer.receipt);
    if (receipt.kind !== 'ballot') fail(`the server answered with a ${receipt.kind}, not a cast ballot`);
    if (receipt.signed_tree_head.log_id !== election.electionId) fail(`the receipt is for election "${receipt.signed_tree_head.log_id}"`);
    if (ballot === null || typeof ballot !== 'object' || ballot.type !== BALLOT_TYPE) fail('the server sent no ballot');
    if (ballot.election_id !== election.electionId || ballot.context_hash !== toHex(election.contextHash)) fail('the ballot is for another election');
    const payload = canonicalJsonBytes(ballot);
    const own = receiptFailure(receipt, payload, election.collectorKey);
    if (own) fail(own);
    if (receipt.ballot_hash !== toHex(sha256(payload))) fail('the receipt names another ballot');
    const served = trackingCodeOf(ballot);
    if (served !== code || receipt.tracking_code !== code) fail(`the served ballot has tracking code ${served}, not ${code}`);
    steps.push({ key: 'castcheck.step.board', params: { code, index: receipt.board_index } });
    if (!ballotSignatureValid(ballot)) fail("the ballot's signature does not verify under its credential");
    steps.push({ key: 'castcheck.step.signed', params: { voter: ballot.voter_id } });
    let opened;
    try {
      opened = openCastBallot(election, ballot.contests, seed);
    } catch (e) {
      if (e instanceof WrongCheckKeyError) return { steps, error: msg('castcheck.wrong-key', {}, e.message) };
      throw e;
    }
    const choices = {};
    election.manifest.contests.forEach((contest, i) => {
      if (opened[i].invalid) fail(`contest "${contest.id}" holds no valid choice: ${opened[i].invalid}`);
      choices[contest.id] = selectionToJson(contest, opened[i].selection);
    });
    steps.push({ key: 'castcheck.step.opened' });
    return { steps, choices, status: answer.status };
  } catch (e) {
    return { steps, error: msg('castcheck.failed', {}, e.message) };
  } finally {
    seed.fill(0);
  }
}

function castResults(app) {
  const out = [];
  if (cast.steps && cast.steps.length) out.push(h('ul', { class: 'steps', id: 'cast-check-steps' }, cast.steps.map((s) => h('li', { class: 'pass' }, '✓ ', t(s.key, s.params)))));
  if (cast.error) out.push(notice(cast.error, 'error', { id: 'cast-check-error', tabindex: -1 }));
  if (cast.choices) {
    out.push(h('p', { class: 'message ok', id: 'cast-check-ok', role: 'status', tabindex: -1 }, t('castcheck.ok')));
    out.push(choicesSummary(app.election.manifest, cast.choices, { id: 'cast-check-choices' }));
    out.push(h('p', { id: 'cast-check-status', 'data-status': cast.status }, t('check.status', { status: t(`status.${cast.status}`) })));
    out.push(h('p', { class: 'help' }, t('castcheck.compare')));
  }
  return out;
}

async function submitCastCheck(app, container) {
  cast.busy = true;
  cast.steps = cast.error = cast.choices = cast.status = null;
  renderCheck(app, container);
  const r = await runCastCheck(app);
  cast.busy = false;
  cast.steps = r.steps ?? null;
  cast.error = r.error ?? null;
  cast.choices = r.choices ?? null;
  cast.status = r.status ?? null;
  if (app.view !== 'check') return; // the voter went to another view meanwhile
  renderCheck(app, container);
  const target = document.getElementById(cast.error ? 'cast-check-error' : 'cast-check-ok');
  target.focus();
  target.scrollIntoView({ block: 'center' });
}

function castCheckSection(app, container) {
  const codeId = 'cast-check-code';
  const keyId = 'cast-check-key';
  const keyHelpId = 'cast-check-key-help';
  const field = (id, value, set, attrs) =>
    h('input', { type: 'text', id, autocomplete: 'off', spellcheck: 'false', autocapitalize: 'characters', value, oninput: (e) => set(e.target.value), ...attrs });
  return h(
    'section',
    { id: 'cast-check', 'aria-labelledby': 'cast-check-heading' },
    h('h3', { id: 'cast-check-heading' }, t('castcheck.heading')),
    h('p', {}, t('castcheck.intro')),
    h(
      'form',
      {
        id: 'cast-check-form',
        onsubmit: (e) => {
          e.preventDefault();
          submitCastCheck(app, container);
        },
      },
      h('div', { class: 'field' }, h('label', { for: codeId }, t('check.code')), field(codeId, cast.code, (v) => (cast.code = v), {})),
      h(
        'div',
        { class: 'field' },
        h('label', { for: keyId }, t('castcheck.key')),
        h('span', { class: 'hint', id: keyHelpId }, t('castcheck.key-help')),
        field(keyId, cast.key, (v) => (cast.key = v), { 'aria-describedby': keyHelpId }),
      ),
      h('button', { type: 'submit', class: 'primary', disabled: cast.busy }, cast.busy ? t('check.running') : t('castcheck.run')),
    ),
    h('div', { id: 'cast-check-results' }, castResults(app)),
  );
}

const SHOWN = 100;

function listSection(app, container) {
  const section = h('section', { id: 'cast-list', 'aria-labelledby': 'cast-list-heading' }, h('h3', { id: 'cast-list-heading' }, t('list.heading')));
  const list = state.list;
  if (!list || list.error) {
    const button = h(
      'button',
      {
        type: 'button',
        id: 'load-list',
        disabled: list && list.loading,
        onclick: async () => {
          state.list = { loading: true };
          button.disabled = true;
          const progress = document.getElementById('list-progress');
          try {
            const codes = await loadList((done, total) => {
              progress.textContent = t('list.loading', { done, total });
            });
            state.list = { codes };
          } catch (e) {
            state.list = { error: errorMessage(e, 'errors.unexpected') };
          }
          if (app.view !== 'check') return;
          renderCheck(app, container);
          document.getElementById(state.list.error ? 'list-error' : 'list-search').focus();
        },
      },
      t('list.load'),
    );
    section.append(
      h('p', {}, t('list.intro')),
      list && list.error ? notice(list.error, 'error', { id: 'list-error', tabindex: -1 }) : '',
      button,
      h('p', { id: 'list-progress', role: 'status' }),
    );
    return section;
  }
  const searchId = 'list-search';
  const matches = h('div', { id: 'list-matches' });
  const update = () => {
    const needle = state.query.toUpperCase().replace(/[\s-]/g, '');
    const found = list.codes.filter((c) => c.replace(/-/g, '').includes(needle));
    replace(
      matches,
      h('p', { role: 'status', id: 'list-count' }, t('list.matches', { count: found.length })),
      h('ul', { class: 'codes' }, found.slice(0, SHOWN).map((c) => h('li', {}, trackingCodeElement(c)))),
      found.length > SHOWN ? h('p', {}, t('list.shown', { shown: SHOWN })) : null,
    );
  };
  const search = h('input', {
    type: 'search',
    id: searchId,
    autocomplete: 'off',
    spellcheck: 'false',
    value: state.query,
    oninput: (e) => {
      state.query = e.target.value;
      update();
    },
  });
  update();
  section.append(
    h('p', {}, t('list.count', { count: list.codes.length })),
    h('div', { class: 'field' }, h('label', { for: searchId }, t('list.search')), search),
    matches,
  );
  return section;
}

function resultBlock() {
  const results = [];
  if (state.steps && state.steps.length) {
    results.push(h('ul', { class: 'steps', id: 'check-steps' }, state.steps.map((s) => h('li', { class: 'pass' }, '✓ ', t(s.key, s.params)))));
    const tech = state.steps.filter((s) => s.tech);
    if (tech.length) {
      results.push(
        h('details', { class: 'details' }, h('summary', {}, t('tech.details')), h('ul', { id: 'check-tech' }, tech.map((s) => h('li', {}, t(s.tech.key, s.tech.params))))),
      );
    }
  }
  if (state.error) results.push(notice(state.error, 'error', { id: 'check-error', tabindex: -1 }));
  if (state.status) {
    results.push(h('p', { class: 'message ok', id: 'check-ok', role: 'status' }, t('check.ok')));
    results.push(h('p', { id: 'check-status', 'data-status': state.status }, t('check.status', { status: t(`status.${state.status}`) })));
  }
  return results;
}

export function renderCheck(app, container) {
  const codeId = 'check-code';
  const codeHelpId = 'check-code-help';
  const areaId = uid('receipt');
  const fileId = uid('receipt-file');
  const code = h('input', {
    type: 'text',
    id: codeId,
    autocomplete: 'off',
    spellcheck: 'false',
    autocapitalize: 'characters',
    'aria-describedby': codeHelpId,
    value: state.code,
    oninput: (e) => (state.code = e.target.value),
  });
  const area = h('textarea', { id: areaId, rows: 6, spellcheck: 'false', oninput: (e) => (state.text = e.target.value) });
  area.value = state.text;
  const file = h('input', {
    type: 'file',
    id: fileId,
    accept: '.json,application/json',
    onchange: async (e) => {
      if (e.target.files.length) {
        state.text = await e.target.files[0].text();
        area.value = state.text;
      }
    },
  });
  const form = h(
    'form',
    {
      id: 'check-form',
      onsubmit: async (e) => {
        e.preventDefault();
        state.busy = true;
        state.steps = null;
        state.error = null;
        state.status = null;
        renderCheck(app, container);
        const r = await runCheck(app);
        state.busy = false;
        state.steps = r.steps ?? null;
        state.error = r.error ?? null;
        state.status = r.error ? null : r.status;
        if (app.view !== 'check') return; // the voter went to another view meanwhile
        renderCheck(app, container);
        const target = document.getElementById(state.error ? 'check-error' : 'check-ok');
        target.setAttribute('tabindex', '-1');
        target.focus();
      },
    },
    h('div', { class: 'field' }, h('label', { for: codeId }, t('check.code')), h('span', { class: 'hint', id: codeHelpId }, t('check.code-help')), code),
    h('div', { class: 'field' }, h('label', { for: areaId }, t('check.paste')), area),
    h('div', { class: 'field' }, h('label', { for: fileId }, t('check.file')), file),
    h('button', { type: 'submit', class: 'primary', disabled: state.busy }, state.busy ? t('check.running') : t('check.run')),
  );
  replace(
    container,
    h('h2', {}, t('check.heading')),
    h('p', {}, t('check.intro')),
    form,
    h('div', { id: 'check-results' }, resultBlock()),
    castCheckSection(app, container),
    listSection(app, container),
  );
  // Opened from the link or QR code of a cast ballot (#check/CODE/KEY): check at once.
  if (app.castCheckFromLink) {
    const { code, key } = app.castCheckFromLink;
    app.castCheckFromLink = null;
    cast.code = normalizeTrackingCode(code) ?? code;
    cast.key = normalizeCheckKey(key) ?? key;
    submitCastCheck(app, container);
  }
}

