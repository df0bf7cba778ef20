// The "Vote" page: credential -> ballot form -> encrypt in the browser -> tracking code ->
// cast (receipt) or challenge (Benaloh: opened choices shown, then vote again).
import { toHex } from '../crypto/bytes.js';
import { canonicalJson, canonicalJsonBytes } from '../crypto/canonical-json.js';
import { systemRandom } from '../crypto/random.js';
import { parseCredentialFile, unlockCredential, WrongPassphraseError } from '../election/credential.js';
import { encryptBallot, makeChallenge, openingFailure, trackingCode, canonicalJsonHash } from '../election/ballot.js';
import { candidateCount, hasWriteIn, isRanked, selectionViolation, utf8Length, writeInViolation } from '../election/selection.js';
import { parseReceipt, receiptFailure } from '../board/merkle.js';
import { ApiError, submitOnce } from './api.js';
import { h, replace, uid } from './dom.js';
import { t } from './i18n.js';

const state = {
  step: 'credential', // credential | ballot | review | challenged | cast
  credential: null,
  model: null, // contest id -> {single, checked:Set, ranks:Map(candidate->rank), writeIn}
  encrypted: null,
  timingMs: null,
  lastSequence: 0,
  result: null, // {receipt, verified} or {record, receipt, failure}
  busy: false,
  message: null, // {kind: 'error'|'info', text}
};

function emptyModel(manifest) {
  const model = new Map();
  for (const c of manifest.contests) model.set(c.id, { single: null, checked: new Set(), ranks: new Map(), writeIn: '' });
  return model;
}

function candidateName(contest, index) {
  return index < contest.options.length ? contest.options[index].title : t('ballot.write-in');
}

function ruleText(contest) {
  if (isRanked(contest)) {
    return contest.min > 0 ? t('rule.rank', { min: contest.min, max: contest.max }) : t('rule.rank-up-to', { max: contest.max });
  }
  if (contest.max === 1) return contest.min === 1 ? t('rule.choose-one') : t('rule.choose-one-optional');
  if (contest.min === 0) return t('rule.choose-up-to', { max: contest.max });
  return t('rule.choose-range', { min: contest.min, max: contest.max });
}

// The model of one contest -> {selection} or {error} (localized).
function selectionOf(contest, m) {
  const title = contest.title;
  const writeInIndex = contest.options.length;
  let candidates;
  if (isRanked(contest)) {
    const byRank = new Map();
    for (const [candidate, rank] of m.ranks) {
      if (byRank.has(rank)) return { error: t('ballot.rank-duplicate', { title, rank }) };
      byRank.set(rank, candidate);
    }
    candidates = [];
    for (let rank = 1; rank <= byRank.size; rank++) {
      if (!byRank.has(rank)) return { error: t('ballot.rank-gap', { title, rank }) };
      candidates.push(byRank.get(rank));
    }
  } else if (contest.max === 1) {
    candidates = m.single === null ? [] : [m.single];
  } else {
    candidates = [...m.checked].sort((a, b) => a - b);
  }
  const writeInChosen = candidates.includes(writeInIndex) && hasWriteIn(contest);
  const selection = { candidates, writeIn: writeInChosen ? m.writeIn : '' };
  if (candidates.length < contest.min) return { error: t('ballot.too-few', { title, min: contest.min }) };
  if (candidates.length > contest.max) return { error: t('ballot.too-many', { title, max: contest.max }) };
  if (writeInChosen) {
    const violation = writeInViolation(m.writeIn, contest.write_in.max_bytes);
    if (violation === 'the write-in text is empty') return { error: t('ballot.write-in-empty', { title }) };
    if (utf8Length(m.writeIn) > contest.write_in.max_bytes) {
      return { error: t('ballot.write-in-too-long', { title, used: utf8Length(m.writeIn), max: contest.write_in.max_bytes }) };
    }
    if (violation) return { error: t('ballot.write-in-invalid', { title }) };
  }
  const violation = selectionViolation(contest, selection);
  if (violation) return { error: t('ballot.other', { title, detail: violation }) };
  return { selection };
}

function choicesSummary(manifest, choicesJson) {
  return h(
    'dl',
    { class: 'summary' },
    manifest.contests.map((contest) => {
      const items = choicesJson[contest.id];
      const text = (item) => (typeof item === 'string' ? contest.options.find((o) => o.id === item).title : t('choices.write-in', { text: item.write_in }));
      let dd;
      if (items.length === 0) dd = h('dd', {}, t('choices.blank'));
      else if (isRanked(contest)) dd = h('dd', {}, h('ol', {}, items.map((item) => h('li', {}, text(item)))));
      else dd = h('dd', {}, h('ul', {}, items.map((item) => h('li', {}, text(item)))));
      return [h('dt', {}, contest.title), dd];
    }),
  );
}

function choicesJsonOf(manifest, encrypted) {
  const out = {};
  manifest.contests.forEach((contest, i) => {
    const sel = encrypted.openings[i].selection;
    out[contest.id] = sel.candidates.map((c) => (c < contest.options.length ? contest.options[c].id : { write_in: sel.writeIn }));
  });
  return out;
}

function messageBox() {
  if (!state.message) return h('div', { id: 'vote-message', role: 'status', 'aria-live': 'polite' });
  return h(
    'div',
    { id: 'vote-message', class: state.message.kind === 'error' ? 'message error' : 'message info', role: state.message.kind === 'error' ? 'alert' : 'status' },
    state.message.text,
  );
}

function contestFieldset(contest, app) {
  const m = state.model.get(contest.id);
  const n = candidateCount(contest);
  const writeInIndex = contest.options.length;
  const name = uid(`contest-${contest.id}`);
  const rows = [];
  const byteCounterId = uid('bytes');
  const writeInInput = () => {
    if (!hasWriteIn(contest)) return null;
    const max = contest.write_in.max_bytes;
    const used = utf8Length(m.writeIn);
    const counter = h('span', { id: byteCounterId, class: used > max ? 'bytes over' : 'bytes', 'aria-live': 'polite' }, t('ballot.bytes', { used, max }));
    const input = h('input', {
      type: 'text',
      class: 'write-in',
      'data-contest': contest.id,
      'aria-label': `${contest.title}: ${t('ballot.write-in-text')}`,
      'aria-describedby': byteCounterId,
      value: m.writeIn,
      autocomplete: 'off',
      oninput: (e) => {
        m.writeIn = e.target.value;
        const u = utf8Length(m.writeIn);
        counter.textContent = t('ballot.bytes', { used: u, max });
        counter.className = u > max ? 'bytes over' : 'bytes';
      },
    });
    return h('span', { class: 'write-in-box' }, input, counter);
  };
  for (let i = 0; i < n; i++) {
    const id = uid('opt');
    const label = candidateName(contest, i);
    let control;
    if (isRanked(contest)) {
      const select = h(
        'select',
        {
          id,
          'data-contest': contest.id,
          'data-candidate': i,
          onchange: (e) => {
            const v = Number(e.target.value);
            if (v === 0) m.ranks.delete(i);
            else m.ranks.set(i, v);
          },
        },
        h('option', { value: 0 }, t('ballot.rank-none')),
        Array.from({ length: contest.max }, (_, k) => h('option', { value: k + 1, selected: m.ranks.get(i) === k + 1 }, String(k + 1))),
      );
      rows.push(h('div', { class: 'option ranked' }, select, h('label', { for: id }, label), i === writeInIndex ? writeInInput() : null));
      continue;
    }
    if (contest.max === 1) {
      control = h('input', {
        type: 'radio',
        id,
        name,
        value: i,
        'data-contest': contest.id,
        'data-candidate': i,
        checked: m.single === i,
        onchange: () => {
          m.single = i;
        },
      });
    } else {
      control = h('input', {
        type: 'checkbox',
        id,
        value: i,
        'data-contest': contest.id,
        'data-candidate': i,
        checked: m.checked.has(i),
        onchange: (e) => {
          if (e.target.checked) m.checked.add(i);
          else m.checked.delete(i);
        },
      });
    }
    rows.push(h('div', { class: 'option' }, control, h('label', { for: id }, label), i === writeInIndex ? writeInInput() : null));
  }
  if (!isRanked(contest) && contest.max === 1 && contest.min === 0) {
    const id = uid('opt');
    rows.push(
      h(
        'div',
        { class: 'option blank' },
        h('input', { type: 'radio', id, name, value: -1, 'data-contest': contest.id, 'data-candidate': 'blank', checked: m.single === null, onchange: () => (m.single = null) }),
        h('label', { for: id }, t('ballot.blank')),
      ),
    );
  }
  return h('fieldset', { class: 'contest', 'data-contest': contest.id }, h('legend', {}, contest.title), h('p', { class: 'rule' }, ruleText(contest)), rows);
}

function credentialView(app) {
  const fileId = uid('cred-file');
  const passId = uid('cred-pass');
  const file = h('input', { type: 'file', id: fileId, accept: '.json,application/json' });
  const pass = h('input', { type: 'password', id: passId, autocomplete: 'off' });
  const button = h('button', { type: 'submit', disabled: state.busy }, t('cred.load'));
  const form = h(
    'form',
    {
      id: 'credential-form',
      onsubmit: async (e) => {
        e.preventDefault();
        if (!file.files || file.files.length === 0) return show(app, 'error', t('cred.need-file'));
        let parsed;
        try {
          parsed = parseCredentialFile(await file.files[0].text());
        } catch (err) {
          return show(app, 'error', t('cred.invalid', { detail: err.message }));
        }
        if (parsed.electionId !== app.election.electionId) {
          return show(app, 'error', t('cred.wrong-election', { theirs: parsed.electionId, ours: app.election.electionId }));
        }
        if (parsed.protected && pass.value === '') return show(app, 'error', t('cred.need-passphrase'));
        state.busy = true;
        button.disabled = true;
        const status = document.getElementById('vote-message');
        try {
          state.credential = await unlockCredential(parsed, pass.value, (p) => {
            status.className = 'message info';
            status.textContent = t('cred.unlocking', { percent: Math.round(p * 100) });
          });
        } catch (err) {
          state.busy = false;
          if (err instanceof WrongPassphraseError) return show(app, 'error', t('cred.wrong-passphrase'));
          return show(app, 'error', t('cred.invalid', { detail: err.message }));
        } finally {
          pass.value = '';
        }
        state.busy = false;
        state.model = emptyModel(app.election.manifest);
        state.step = 'ballot';
        state.message = { kind: 'info', text: t('cred.loaded', { voter: state.credential.voterId }) };
        app.render();
      },
    },
    h('p', {}, t('cred.intro')),
    h('div', { class: 'field' }, h('label', { for: fileId }, t('cred.file')), file),
    h('div', { class: 'field' }, h('label', { for: passId }, t('cred.passphrase')), pass),
    button,
  );
  return [h('h2', {}, t('cred.heading')), messageBox(), form];
}

function show(app, kind, text) {
  state.message = { kind, text };
  app.render();
  const box = document.getElementById('vote-message');
  if (box) box.focus?.();
}

function nextSequence() {
  // Later ballots need higher sequence numbers: milliseconds since 1970 grow (as `haal vote`).
  state.lastSequence = Math.max(Date.now(), state.lastSequence + 1);
  return state.lastSequence;
}

function ballotView(app) {
  const { manifest } = app.election;
  const form = h(
    'form',
    {
      id: 'ballot-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        const choices = new Map();
        for (const contest of manifest.contests) {
          const r = selectionOf(contest, state.model.get(contest.id));
          if (r.error) return show(app, 'error', t('ballot.fix', { detail: r.error }));
          choices.set(contest.id, r.selection);
        }
        const start = performance.now();
        state.encrypted = encryptBallot(app.election, state.credential, choices, nextSequence(), systemRandom);
        state.timingMs = performance.now() - start;
        document.body.dataset.encryptMs = state.timingMs.toFixed(1);
        state.step = 'review';
        state.message = null;
        app.render();
      },
    },
    manifest.contests.map((c) => contestFieldset(c, app)),
    h('button', { type: 'submit', class: 'primary' }, t('ballot.encrypt')),
  );
  return [h('h2', {}, t('ballot.heading')), messageBox(), form];
}

async function submit(app, challenge) {
  state.busy = true;
  state.message = { kind: 'info', text: challenge ? t('review.challenging') : t('review.casting') };
  app.render();
  try {
    const election = app.election;
    if (challenge) {
      const record = makeChallenge(election, state.credential, state.encrypted);
      const failure = openingFailure(election, record);
      const receipt = parseReceipt(await submitOnce('/api/challenges', canonicalJson(record), state.encrypted.trackingCode, 'challenge'));
      const payloadFailure = receiptFailure(receipt, canonicalJsonBytes(record), election.collectorKey);
      state.result = { record, receipt, failure, receiptFailure: payloadFailure };
      state.step = 'challenged';
    } else {
      const receipt = parseReceipt(await submitOnce('/api/ballots', canonicalJson(state.encrypted.ballot), state.encrypted.trackingCode, 'ballot'));
      let failure = receiptFailure(receipt, canonicalJsonBytes(state.encrypted.ballot), election.collectorKey);
      if (!failure && receipt.ballot_hash !== toHex(state.encrypted.hash)) failure = 'the receipt names another ballot hash';
      if (!failure && receipt.tracking_code !== state.encrypted.trackingCode) failure = 'the receipt names another tracking code';
      state.result = { receipt, failure };
      state.step = 'cast';
    }
    state.message = null;
  } catch (err) {
    state.message = { kind: 'error', text: err instanceof ApiError ? err.explain() : err.message };
    // The polls or the window changed since the page loaded: refresh the header's status.
    if (err instanceof ApiError && /^(polls-|outside-voting-window)/.test(err.code)) await app.refreshInfo();
  }
  state.busy = false;
  app.render();
}

function reviewView(app) {
  const enc = state.encrypted;
  return [
    h('h2', {}, t('review.heading')),
    messageBox(),
    h('div', { class: 'tracking' }, h('span', { class: 'label' }, t('review.tracking')), h('code', { id: 'tracking-code' }, enc.trackingCode)),
    h('p', {}, t('review.tracking-help')),
    h('p', { class: 'timing', id: 'encrypt-timing' }, t('review.timing', { ms: Math.round(state.timingMs) })),
    h('h3', {}, t('review.summary')),
    choicesSummary(app.election.manifest, choicesJsonOf(app.election.manifest, enc)),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', id: 'cast-button', class: 'primary', disabled: state.busy, onclick: () => submit(app, false) }, t('review.cast')),
      h('button', { type: 'button', id: 'challenge-button', disabled: state.busy, onclick: () => submit(app, true) }, t('review.challenge')),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          disabled: state.busy,
          onclick: () => {
            state.step = 'ballot';
            state.encrypted = null;
            app.render();
          },
        },
        t('review.back'),
      ),
    ),
    h('p', { class: 'help' }, t('review.challenge-help')),
  ];
}

function receiptDownload(receipt) {
  const text = JSON.stringify(receipt, null, 2) + '\n';
  const name = `haal-receipt-${receipt.tracking_code}.json`;
  return h(
    'button',
    {
      type: 'button',
      id: 'download-receipt',
      onclick: () => {
        const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        const a = h('a', { href: url, download: name });
        document.body.append(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1000);
      },
    },
    t('cast.download'),
  );
}

function challengedView(app) {
  const { record, receipt, failure, receiptFailure: rf } = state.result;
  const choices = {};
  for (const o of record.openings) choices[o.contest_id] = o.choices;
  return [
    h('h2', {}, t('challenged.heading')),
    messageBox(),
    h('p', {}, t('challenged.intro', { code: trackingCode(canonicalJsonHash(record.ballot)), index: receipt.board_index })),
    h('div', { id: 'opened-choices' }, choicesSummary(app.election.manifest, choices)),
    failure || rf
      ? h('p', { class: 'message error', role: 'alert' }, t('challenged.mismatch', { detail: failure || rf }))
      : h('p', { class: 'message ok', id: 'opening-verified' }, t('challenged.verified')),
    h(
      'button',
      {
        type: 'button',
        id: 'vote-again',
        class: 'primary',
        onclick: () => {
          state.step = 'ballot';
          state.encrypted = null;
          state.result = null;
          app.render();
        },
      },
      t('challenged.again'),
    ),
  ];
}

function castView(app) {
  const { receipt, failure } = state.result;
  return [
    h('h2', {}, t('cast.heading')),
    messageBox(),
    h('p', {}, t('cast.intro', { code: receipt.tracking_code, index: receipt.board_index })),
    failure
      ? h('p', { class: 'message error', role: 'alert' }, t('check.failed', { detail: failure }))
      : h('p', { class: 'message ok', id: 'receipt-verified' }, t('cast.verified')),
    h('h3', {}, t('cast.receipt')),
    h('pre', { id: 'receipt-json', class: 'receipt', tabindex: 0 }, JSON.stringify(receipt, null, 2)),
    h(
      'div',
      { class: 'actions' },
      receiptDownload(receipt),
      h(
        'button',
        {
          type: 'button',
          id: 'vote-again-after-cast',
          onclick: () => {
            state.step = 'ballot';
            state.encrypted = null;
            state.result = null;
            app.render();
          },
        },
        t('cast.vote-again'),
      ),
    ),
    h('p', {}, t('cast.check')),
  ];
}

let renderedStep = null;

export function renderVote(app, container) {
  const views = { credential: credentialView, ballot: ballotView, review: reviewView, challenged: challengedView, cast: castView };
  replace(container, views[state.step](app));
  // A new step: move the keyboard and screen-reader focus to its heading.
  if (renderedStep !== null && renderedStep !== state.step) {
    const heading = container.querySelector('h2');
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
  renderedStep = state.step;
}
