// "Check my ballot": the browser verifies a receipt against the board itself (docs/web.md):
//   1. board entry board_index is the receipted ballot (kind, index, time; hash and tracking code);
//   2. the receipt's inclusion proof holds under its own signed tree head (signature checked);
//   3. the server's fresh receipt includes the ballot under the current signed head (signature
//      and RFC 9162 inclusion checked here);
//   4. the current head extends the receipt's head (RFC 9162 consistency proof);
// then shows the ballot's status (cast, superseded, challenged).
import { fromHex, toHex } from '../crypto/bytes.js';
import { requireEd25519PublicKey } from '../crypto/ed25519.js';
import { sha256 } from '../crypto/hash.js';
import { canonicalJsonHash, trackingCode } from '../election/ballot.js';
import { consistencyFailure, parseReceipt, receiptFailure } from '../board/merkle.js';
import { ApiError, getJson } from './api.js';
import { h, replace, uid } from './dom.js';
import { t } from './i18n.js';

const state = { text: '', steps: null, error: null, status: null, busy: false };

class CheckFailure extends Error {}

function fail(detail) {
  throw new CheckFailure(detail);
}

async function runCheck(app, text) {
  let json;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { error: t('check.bad-json', { detail: e.message }) };
  }
  let receipt;
  try {
    receipt = parseReceipt(json);
  } catch (e) {
    return { error: t('check.bad-receipt', { detail: e.message }) };
  }
  const steps = [];
  try {
    const key = app.election.collectorKey;
    if (receipt.signed_tree_head.log_id !== app.election.electionId) {
      fail(`the receipt is for election "${receipt.signed_tree_head.log_id}", not "${app.election.electionId}"`);
    }
    const i = receipt.board_index;
    const page = await getJson(`/api/board/entries?from=${i}&to=${i + 1}`);
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
    steps.push(t('check.step.entry', { index: i, code: receipt.tracking_code }));

    const own = receiptFailure(receipt, payload, key);
    if (own) fail(own);
    steps.push(t('check.step.receipt', { size: receipt.signed_tree_head.tree_size }));

    const answer = await getJson(`/api/ballots/${receipt.ballot_hash}`);
    const fresh = parseReceipt(answer.receipt);
    if (fresh.board_index !== i || fresh.kind !== receipt.kind || fresh.timestamp_ms !== receipt.timestamp_ms) {
      fail("the server's current receipt names another board entry");
    }
    const current = receiptFailure(fresh, payload, key);
    if (current) fail(current);
    steps.push(t('check.step.current', { size: fresh.signed_tree_head.tree_size }));

    const oldHead = receipt.signed_tree_head;
    const newHead = fresh.signed_tree_head;
    if (newHead.tree_size < oldHead.tree_size) {
      fail(`the current board (${newHead.tree_size} entries) is smaller than the receipt's (${oldHead.tree_size})`);
    }
    const proof = (await getJson(`/api/board/consistency?old=${oldHead.tree_size}&new=${newHead.tree_size}`)).consistency_proof;
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
    steps.push(t('check.step.consistent'));
    const status = answer.status;
    return { steps, status };
  } catch (e) {
    if (e instanceof ApiError) return { steps, error: e.explain() };
    return { steps, error: t('check.failed', { detail: e.message }) };
  }
}

export function renderCheck(app, container) {
  const areaId = uid('receipt');
  const fileId = uid('receipt-file');
  const area = h('textarea', { id: areaId, rows: 8, spellcheck: 'false', oninput: (e) => (state.text = e.target.value) });
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
  const results = [];
  if (state.steps) {
    results.push(h('ul', { class: 'steps', id: 'check-steps' }, state.steps.map((s) => h('li', { class: 'pass' }, '✓ ', s))));
  }
  if (state.error) results.push(h('p', { class: 'message error', role: 'alert', id: 'check-error' }, state.error));
  if (state.status) {
    results.push(h('p', { class: 'message ok', id: 'check-ok', role: 'status' }, t('check.ok')));
    results.push(h('p', { id: 'check-status', 'data-status': state.status }, t('check.status', { status: t(`status.${state.status}`) })));
  }
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
        const r = await runCheck(app, state.text);
        state.busy = false;
        state.steps = r.steps ?? null;
        state.error = r.error ?? null;
        state.status = r.error ? null : r.status;
        renderCheck(app, container);
      },
    },
    h('div', { class: 'field' }, h('label', { for: areaId }, t('check.paste')), area),
    h('div', { class: 'field' }, h('label', { for: fileId }, t('check.file')), file),
    h('button', { type: 'submit', class: 'primary', disabled: state.busy }, state.busy ? t('check.running') : t('check.run')),
  );
  replace(container, h('h2', {}, t('check.heading')), h('p', {}, t('check.intro')), form, h('div', { 'aria-live': 'polite' }, results));
}
