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
import { fromHex, toHex } from '../crypto/bytes.js';
import { sha256 } from '../crypto/hash.js';
import { canonicalJsonHash, trackingCode } from '../election/ballot.js';
import { consistencyFailure, parseReceipt, receiptFailure } from '../board/merkle.js';
import { ApiError, getJson } from './api.js';
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
    let ballotHash;
    if (receipt.kind === 'ballot') ballotHash = toHex(sha256(payload));
    else ballotHash = toHex(canonicalJsonHash(JSON.parse(new TextDecoder().decode(payload)).ballot));
    if (ballotHash !== receipt.ballot_hash) fail(`board entry ${i} is not the receipted ballot (hash differs)`);
    if (trackingCode(fromHex(ballotHash)) !== receipt.tracking_code) fail('the tracking code is not that of the ballot hash');
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
      if (entry.kind === 'ballot') codes.push(trackingCode(sha256(fromHex(entry.payload, 'entry.payload'))));
    }
  }
  return codes;
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
  replace(container, h('h2', {}, t('check.heading')), h('p', {}, t('check.intro')), form, h('div', { id: 'check-results' }, resultBlock()), listSection(app, container));
}

