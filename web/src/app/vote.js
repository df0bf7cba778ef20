// The "Vote" page: ballot form -> encrypt in the browser -> tracking code (nothing names the
// voter yet) -> either challenge (Benaloh: the anonymous opening is published, the opened
// choices shown, then vote again with the same choices pre-filled) or cast: only now the
// credential file and passphrase are asked for, the credential proves and signs, and the
// receipt card shows with the check key, its link and QR code for the second-device check;
// the credential is forgotten. Outside the voting period the page says so and offers no voting.
import { toHex } from '../crypto/bytes.js';
import { canonicalJson, canonicalJsonBytes } from '../crypto/canonical-json.js';
import { systemRandom } from '../crypto/random.js';
import { parseCredentialFile, unlockCredential, WrongPassphraseError } from '../election/credential.js';
import { castBallot, encryptChoices, makeChallenge, openingFailure, trackingCodeOf } from '../election/ballot.js';
import { checkKeyText } from '../election/cast_check.js';
import { candidateCount, hasWriteIn, isRanked, selectionViolation, utf8Length, writeInViolation } from '../election/selection.js';
import { parseReceipt, receiptFailure } from '../board/merkle.js';
import { ApiError, submitOnce } from './api.js';
import { checkLimitsText } from './check_limits.js';
import { choicesJsonOf, choicesSummary } from './choices.js';
import { downloadText, focusInView, h, replace, trackingCodeElement, uid } from './dom.js';
import { formatTime, localized, t } from './i18n.js';
import { detailsToggle, errorMessage, msg, notice } from './notice.js';
import { qrSvg } from './qr.js';

const state = {
  step: 'ballot', // ballot | review | credential (to cast) | challenged | cast | finished
  credential: null, // unlocked only while casting
  model: null, // contest id -> {single, checked:Set, ranks:Map(candidate->rank), writeIn}
  encrypted: null,
  timingMs: null,
  lastSequence: 0,
  result: null, // {receipt, failure, checkKey} or {record, receipt, failure, receiptFailure}
  busy: false,
  message: null, // {kind: 'error'|'info'|'ok', key, params, details}
  errors: [], // the ballot's errors: {contest, message}
  finishedCode: null,
};

// The credential form's inputs live as long as the page, so that a refused attempt or a
// language switch keeps the chosen file and the typed passphrase.
const inputs = { file: null, pass: null };
function credentialInputs() {
  if (!inputs.file) {
    inputs.file = h('input', { type: 'file', id: 'cred-file', accept: '.json,application/json' });
    inputs.pass = h('input', { type: 'password', id: 'cred-pass', autocomplete: 'off' });
  }
  return inputs;
}

// Forgets everything that lets this page vote for the voter, and the cast choices: after
// casting, a new vote needs the credential file and its passphrase again.
function forgetCredential() {
  state.credential = null;
  state.model = null;
  if (state.encrypted) state.encrypted.seed.fill(0);
  state.encrypted = null;
  state.errors = [];
  if (inputs.file) {
    inputs.file.value = '';
    inputs.pass.value = '';
  }
}

function emptyModel(manifest) {
  const model = new Map();
  for (const c of manifest.contests) model.set(c.id, { single: null, checked: new Set(), ranks: new Map(), writeIn: '' });
  return model;
}

function candidateName(contest, index) {
  return index < contest.options.length ? localized(contest.options[index].title) : t('ballot.write-in');
}

function ruleText(contest) {
  if (isRanked(contest)) {
    return contest.min > 0 ? t('rule.rank', { min: contest.min, max: contest.max }) : t('rule.rank-up-to', { max: contest.max });
  }
  if (contest.max === 1) return contest.min === 1 ? t('rule.choose-one') : t('rule.choose-one-optional');
  if (contest.min === 0) return t('rule.choose-up-to', { max: contest.max });
  return t('rule.choose-range', { min: contest.min, max: contest.max });
}

const contestElementId = (contest) => `contest-${contest.id}`;

// The model of one contest -> {selection} or {error} (a message).
function selectionOf(contest, m) {
  const title = contest.title; // a text of the manifest: t() shows it in the page's language
  const writeInIndex = contest.options.length;
  const ranked = isRanked(contest);
  let candidates;
  if (ranked) {
    const byRank = new Map();
    for (const [candidate, rank] of m.ranks) {
      if (byRank.has(rank)) return { error: msg('ballot.rank-duplicate', { title, rank }) };
      byRank.set(rank, candidate);
    }
    candidates = [];
    for (let rank = 1; rank <= byRank.size; rank++) {
      if (!byRank.has(rank)) return { error: msg('ballot.rank-gap', { title, rank }) };
      candidates.push(byRank.get(rank));
    }
  } else if (contest.max === 1) {
    candidates = m.single === null ? [] : [m.single];
  } else {
    candidates = [...m.checked].sort((a, b) => a - b);
  }
  const writeInChosen = candidates.includes(writeInIndex) && hasWriteIn(contest);
  // A name typed for a write-in that is not chosen would be dropped: say so instead.
  if (hasWriteIn(contest) && !writeInChosen && m.writeIn.trim() !== '') return { error: msg('ballot.write-in-not-chosen', { title }) };
  const selection = { candidates, writeIn: writeInChosen ? m.writeIn : '' };
  if (candidates.length < contest.min) return { error: msg(ranked ? 'ballot.rank-too-few' : 'ballot.too-few', { title, min: contest.min }) };
  if (candidates.length > contest.max) return { error: msg(ranked ? 'ballot.rank-too-many' : 'ballot.too-many', { title, max: contest.max }) };
  if (writeInChosen) {
    const violation = writeInViolation(m.writeIn, contest.write_in.max_bytes);
    if (m.writeIn === '') return { error: msg('ballot.write-in-empty', { title }) };
    if (utf8Length(m.writeIn) > contest.write_in.max_bytes) return { error: msg('ballot.write-in-too-long', { title }, violation) };
    if (violation) return { error: msg('ballot.write-in-invalid', { title }, violation) };
  }
  const violation = selectionViolation(contest, selection);
  if (violation) return { error: msg('ballot.write-in-invalid', { title }, violation) };
  return { selection };
}

function messageBox() {
  if (!state.message) return h('div', { id: 'vote-message', role: 'status' });
  return notice(state.message, state.message.kind, { id: 'vote-message', tabindex: -1 });
}

// The write-in field's counter: characters, and bytes only when they differ (the limit is
// in UTF-8 bytes). Not a live region: it would be announced on every keystroke.
function counterText(text, max) {
  const used = utf8Length(text);
  const chars = [...text].length;
  return used === chars ? t('ballot.chars', { used, max }) : t('ballot.chars-bytes', { chars, used, max });
}

function contestFieldset(contest, error) {
  const m = state.model.get(contest.id);
  const n = candidateCount(contest);
  const writeInIndex = contest.options.length;
  const name = uid(`contest-${contest.id}`);
  const errorId = `${contestElementId(contest)}-error`;
  const rows = [];
  const writeInInput = (control) => {
    if (!hasWriteIn(contest)) return null;
    const max = contest.write_in.max_bytes;
    const counterId = uid('chars');
    const counter = h('span', { id: counterId, class: utf8Length(m.writeIn) > max ? 'chars over' : 'chars' }, counterText(m.writeIn, max));
    const input = h('input', {
      type: 'text',
      class: 'write-in',
      'data-contest': contest.id,
      'aria-label': `${localized(contest.title)}: ${t('ballot.write-in-text')}`,
      'aria-describedby': counterId,
      value: m.writeIn,
      autocomplete: 'off',
      oninput: (e) => {
        m.writeIn = e.target.value;
        counter.textContent = counterText(m.writeIn, max);
        counter.className = utf8Length(m.writeIn) > max ? 'chars over' : 'chars';
        // Typing a name chooses the write-in candidate (a ranked write-in still needs a rank).
        if (m.writeIn !== '' && control && control.type === 'radio' && !control.checked) {
          control.checked = true;
          m.single = writeInIndex;
        } else if (m.writeIn !== '' && control && control.type === 'checkbox' && !control.checked) {
          control.checked = true;
          m.checked.add(writeInIndex);
        }
      },
    });
    return h('span', { class: 'write-in-box' }, input, counter);
  };
  for (let i = 0; i < n; i++) {
    const id = uid('opt');
    const label = candidateName(contest, i);
    let control;
    if (isRanked(contest)) {
      control = h(
        'select',
        {
          id,
          'data-contest': contest.id,
          'data-candidate': i,
          'aria-label': t('ballot.rank-label', { name: label }),
          onchange: (e) => {
            const v = Number(e.target.value);
            if (v === 0) m.ranks.delete(i);
            else m.ranks.set(i, v);
          },
        },
        h('option', { value: 0 }, t('ballot.rank-none')),
        Array.from({ length: contest.max }, (_, k) => h('option', { value: k + 1, selected: m.ranks.get(i) === k + 1 }, String(k + 1))),
      );
      rows.push(h('div', { class: 'option ranked' }, control, h('label', { for: id }, label), i === writeInIndex ? writeInInput(null) : null));
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
    rows.push(h('div', { class: 'option' }, control, h('label', { for: id }, label), i === writeInIndex ? writeInInput(control) : null));
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
  return h(
    'fieldset',
    { class: error ? 'contest invalid' : 'contest', id: contestElementId(contest), 'data-contest': contest.id, 'aria-describedby': error ? errorId : false },
    h('legend', {}, localized(contest.title)),
    h('p', { class: 'rule' }, ruleText(contest)),
    error ? h('p', { class: 'field-error', id: errorId }, t(error.key, error.params)) : null,
    rows,
  );
}

function votingClosedView(app, reason) {
  const w = app.info.voting_window;
  return [
    h('h2', {}, t('nav.vote')),
    h(
      'div',
      { class: 'message info', id: 'voting-closed', 'data-reason': reason },
      h('p', {}, t(reason, { opens: formatTime(w.opens_at_ms) })),
      reason === 'vote.ended' ? h('p', {}, h('a', { href: '#results' }, t('vote.see-results'))) : null,
    ),
  ];
}

// Casting: the credential file and passphrase are asked for only now; the credential proves
// and signs the encrypted choices whose tracking code is shown, then the ballot is sent.
function credentialView(app) {
  const { file, pass } = credentialInputs();
  const closed = app.votingClosed();
  const button = h('button', { type: 'submit', id: 'cast-submit', class: 'primary', disabled: state.busy || closed !== null }, t('cred.cast'));
  const form = h(
    'form',
    {
      id: 'credential-form',
      onsubmit: async (e) => {
        e.preventDefault();
        state.busy = true;
        const opened = await openCredential(app, file, pass, button, 'vote-message');
        if (opened.error) {
          state.busy = false;
          return show(app, 'error', opened.error);
        }
        state.credential = opened.credential;
        await cast(app);
      },
    },
    h('p', {}, t('cred.intro')),
    h('div', { class: 'field' }, h('label', { for: file.id }, t('cred.file')), file),
    h('div', { class: 'field' }, h('label', { for: pass.id }, t('cred.passphrase')), pass),
    h(
      'div',
      { class: 'actions' },
      button,
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          id: 'cast-back',
          disabled: state.busy,
          onclick: () => {
            state.step = 'review';
            state.message = null;
            app.render();
          },
        },
        t('cred.back'),
      ),
    ),
  );
  return [
    h('h2', {}, t('cred.heading')),
    messageBox(),
    h('div', { class: 'tracking' }, h('span', { class: 'label' }, t('cred.casting-code')), trackingCodeElement(state.encrypted.trackingCode, { id: 'casting-code' })),
    form,
  ];
}

// Opens the credential file chosen in `file` with the passphrase typed in `pass` (docs/ballots.md
// section 4) for this election, disabling `button` and showing the unlocking progress in the
// element `statusId` meanwhile. Returns {credential} or {error: a message}.
export async function openCredential(app, file, pass, button, statusId) {
  if (!file.files || file.files.length === 0) return { error: msg('cred.need-file') };
  let parsed;
  try {
    parsed = parseCredentialFile(await file.files[0].text());
  } catch (err) {
    return { error: errorMessage(err, 'cred.invalid') };
  }
  if (parsed.electionId !== app.election.electionId) {
    return { error: msg('cred.wrong-election', {}, `credential for "${parsed.electionId}", this server runs "${app.election.electionId}"`) };
  }
  if (parsed.protected && pass.value === '') return { error: msg('cred.need-passphrase') };
  button.disabled = true;
  const status = document.getElementById(statusId);
  try {
    const credential = await unlockCredential(parsed, pass.value, (p) => {
      status.className = 'message info';
      status.textContent = t('cred.unlocking', { percent: Math.round(p * 100) });
    });
    return { credential };
  } catch (err) {
    if (err instanceof WrongPassphraseError) return { error: msg('cred.wrong-passphrase') };
    return { error: errorMessage(err, 'cred.invalid') };
  }
}

// Shows a message, moves the focus to it and scrolls it into view.
function show(app, kind, message) {
  state.message = { kind, ...message };
  app.render();
  focusInView('vote-message');
}

function nextSequence() {
  // Later ballots need higher sequence numbers: milliseconds since 1970 grow (as `haal vote`).
  state.lastSequence = Math.max(Date.now(), state.lastSequence + 1);
  return state.lastSequence;
}

// The list of the ballot's errors, each a link to its contest; it takes the focus.
function errorSummary() {
  if (state.errors.length === 0) return null;
  return h(
    'div',
    { class: 'error-summary', id: 'error-summary', role: 'alert', tabindex: -1, 'aria-labelledby': 'error-summary-heading' },
    h('h3', { id: 'error-summary-heading' }, t('ballot.summary-heading')),
    h(
      'ul',
      {},
      state.errors.map(({ contest, message }) =>
        h(
          'li',
          {},
          h(
            'a',
            {
              href: `#${contestElementId(contest)}`,
              onclick: (e) => {
                // The address names the view: move the focus without following the link.
                e.preventDefault();
                const fieldset = document.getElementById(contestElementId(contest));
                fieldset.scrollIntoView({ block: 'start' });
                fieldset.querySelector('input, select').focus();
              },
            },
            t(message.key, message.params),
          ),
          detailsToggle(message.details),
        ),
      ),
    ),
  );
}

function ballotView(app) {
  const { manifest } = app.election;
  const errorOf = new Map(state.errors.map((e) => [e.contest.id, e.message]));
  const form = h(
    'form',
    {
      id: 'ballot-form',
      novalidate: true,
      onsubmit: (e) => {
        e.preventDefault();
        const choices = new Map();
        state.errors = [];
        for (const contest of manifest.contests) {
          const r = selectionOf(contest, state.model.get(contest.id));
          if (r.error) state.errors.push({ contest, message: r.error });
          else choices.set(contest.id, r.selection);
        }
        if (state.errors.length > 0) {
          state.message = null;
          app.render();
          const summary = document.getElementById('error-summary');
          summary.scrollIntoView({ block: 'start' });
          summary.focus();
          return;
        }
        const start = performance.now();
        try {
          state.encrypted = encryptChoices(app.election, choices, systemRandom);
        } catch (err) {
          return show(app, 'error', errorMessage(err, 'errors.page'));
        }
        state.timingMs = performance.now() - start;
        document.body.dataset.encryptMs = state.timingMs.toFixed(1);
        state.step = 'review';
        state.message = null;
        app.render();
      },
    },
    manifest.contests.map((c) => contestFieldset(c, errorOf.get(c.id))),
    h('button', { type: 'submit', class: 'primary' }, t('ballot.encrypt')),
  );
  const closed = app.votingClosed();
  if (closed) return votingClosedView(app, closed);
  return [h('h2', {}, t('ballot.heading')), messageBox(), errorSummary(), form];
}

// Runs `action` (which sets the next step) with the busy state and the message `busyKey`; an
// error stays on the current step, with the focus on it.
async function submitting(app, busyKey, action) {
  state.busy = true;
  state.message = { kind: 'info', ...msg(busyKey) };
  app.render();
  try {
    await action(app.election);
    state.message = null;
  } catch (err) {
    state.message = { kind: 'error', ...errorMessage(err, 'errors.unexpected') };
    // The polls or the window changed since the page loaded: refresh the header's status.
    if (err instanceof ApiError && /^(polls-|outside-voting-window)/.test(err.code)) await app.refreshInfo();
  }
  state.busy = false;
  app.render();
  if (state.message && state.message.kind === 'error') document.getElementById('vote-message').focus();
}

// The anonymous Benaloh challenge: no credential. Once sent, the opening may be on the board
// even when no answer came, so these ciphertexts are never offered for casting again: after a
// refusal the voter is back at the ballot (choices kept) and encrypts afresh.
function challenge(app) {
  return submitting(app, 'review.challenging', async (election) => {
    const encrypted = state.encrypted;
    try {
      const record = makeChallenge(election, encrypted);
      const failure = openingFailure(election, record);
      const receipt = parseReceipt(await submitOnce('/api/challenges', canonicalJson(record), encrypted.trackingCode, 'challenge'));
      let payloadFailure = receiptFailure(receipt, canonicalJsonBytes(record), election.collectorKey);
      if (!payloadFailure && receipt.tracking_code !== encrypted.trackingCode) payloadFailure = 'the receipt names another tracking code';
      state.result = { record, receipt, failure, receiptFailure: payloadFailure };
      state.step = 'challenged';
    } catch (err) {
      state.step = 'ballot';
      throw err;
    } finally {
      encrypted.seed.fill(0);
      state.encrypted = null;
    }
  });
}

// Casting the encrypted choices under the unlocked credential: proofs and signature now. The
// credential is forgotten whether or not the collector takes the ballot (a new attempt opens
// the file again); the check key is kept for the cast view only.
async function cast(app) {
  const credential = state.credential;
  state.credential = null;
  await submitting(app, 'review.casting', async (election) => {
    const encrypted = state.encrypted;
    const { ballot, hash } = castBallot(election, credential, encrypted, nextSequence(), systemRandom);
    const receipt = parseReceipt(await submitOnce('/api/ballots', canonicalJson(ballot), encrypted.trackingCode, 'ballot'));
    let failure = receiptFailure(receipt, canonicalJsonBytes(ballot), election.collectorKey);
    if (!failure && receipt.ballot_hash !== toHex(hash)) failure = 'the receipt names another ballot hash';
    if (!failure && receipt.tracking_code !== encrypted.trackingCode) failure = 'the receipt names another tracking code';
    state.result = { receipt, failure, checkKey: checkKeyText(encrypted.seed) };
    state.step = 'cast';
    forgetCredential();
  });
}

function reviewView(app) {
  const enc = state.encrypted;
  const closed = app.votingClosed();
  return [
    h('h2', {}, t('review.heading')),
    messageBox(),
    h('div', { class: 'tracking' }, h('span', { class: 'label' }, t('review.tracking')), trackingCodeElement(enc.trackingCode, { id: 'tracking-code' })),
    h('p', {}, t('review.tracking-help')),
    h('h3', {}, t('review.summary')),
    choicesSummary(app.election.manifest, choicesJsonOf(app.election.manifest, enc.openings.map((o) => o.selection))),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          id: 'cast-button',
          class: 'primary',
          disabled: state.busy || closed !== null,
          onclick: () => {
            state.step = 'credential';
            state.message = null;
            app.render();
          },
        },
        t('review.cast'),
      ),
      h('button', { type: 'button', id: 'challenge-button', disabled: state.busy || closed !== null, onclick: () => challenge(app) }, t('review.challenge')),
      h(
        'button',
        {
          type: 'button',
          class: 'link',
          disabled: state.busy,
          onclick: () => {
            state.step = 'ballot';
            state.encrypted.seed.fill(0);
            state.encrypted = null;
            app.render();
          },
        },
        t('review.back'),
      ),
    ),
    h('p', { class: 'help' }, t('review.cast-help')),
    h('p', { class: 'help' }, t('review.challenge-help')),
    h('details', { class: 'details' }, h('summary', {}, t('tech.details')), h('p', { id: 'encrypt-timing' }, t('review.timing', { ms: Math.round(state.timingMs) }))),
  ];
}

// The receipt as a card: tracking code, time, place on the board; download and print. The
// receipt's JSON (what `haal receipt check` reads) is in the technical details.
function receiptCard(receipt) {
  const text = JSON.stringify(receipt, null, 2) + '\n';
  const name = `haal-receipt-${receipt.tracking_code}.json`;
  return h(
    'section',
    { class: 'receipt-card', id: 'receipt-card', 'aria-labelledby': 'receipt-heading' },
    h('h3', { id: 'receipt-heading' }, t('receipt.heading')),
    h(
      'dl',
      {},
      h('dt', {}, t('receipt.code')),
      h('dd', {}, trackingCodeElement(receipt.tracking_code, { id: 'receipt-code' })),
      h('dt', {}, t('receipt.time')),
      h('dd', {}, formatTime(receipt.timestamp_ms)),
      h('dt', {}, t('receipt.position')),
      h('dd', {}, t('receipt.entry', { index: receipt.board_index })),
    ),
    h(
      'div',
      { class: 'actions no-print' },
      h(
        'button',
        {
          type: 'button',
          id: 'download-receipt',
          onclick: () => downloadText(text, name),
        },
        t('cast.download'),
      ),
      h('button', { type: 'button', id: 'print-receipt', onclick: () => window.print() }, t('cast.print')),
    ),
    h('details', { class: 'details no-print' }, h('summary', {}, t('tech.details')), h('pre', { id: 'receipt-json', class: 'receipt' }, text.trimEnd())),
  );
}

function challengedView(app) {
  const { record, receipt, failure, receiptFailure: rf } = state.result;
  const choices = {};
  for (const c of record.contests) choices[c.contest_id] = c.choices;
  return [
    h('h2', {}, t('challenged.heading')),
    messageBox(),
    h('p', {}, t('challenged.intro', { code: trackingCodeOf(record), index: receipt.board_index })),
    h('p', { id: 'challenge-anonymous' }, t('challenged.anonymous')),
    h('div', { id: 'opened-choices' }, choicesSummary(app.election.manifest, choices)),
    failure || rf
      ? notice(msg('challenged.mismatch', {}, failure || rf), 'error', { id: 'opening-failed' })
      : h('p', { class: 'message ok', id: 'opening-verified' }, t('challenged.verified')),
    h(
      'button',
      {
        type: 'button',
        id: 'vote-again',
        class: 'primary',
        onclick: () => {
          // The same choices stay filled in: the voter casts (or checks again) what was just
          // checked, encrypted afresh.
          state.step = 'ballot';
          state.result = null;
          app.render();
        },
      },
      t('challenged.again'),
    ),
    h('p', { class: 'help' }, t('challenged.again-help')),
  ];
}

// The second-device check of the cast ballot (docs/web.md): the check key, the link that
// carries it in the URL fragment (never sent to the server) and the link's QR code. Not printed:
// the key shows the vote. The limits are the collector's (cast_check of GET /api/election).
function castCheckCard(code, key, limits) {
  const link = `${location.origin}${location.pathname}#check/${code}/${key}`;
  return h(
    'section',
    { class: 'check-card no-print', id: 'cast-check-card', 'aria-labelledby': 'cast-check-heading' },
    h('h3', { id: 'cast-check-heading' }, t('castcheck.card-heading')),
    h('p', {}, t('castcheck.card-intro')),
    h(
      'p',
      { id: 'check-limits' },
      checkLimitsText(limits),
    ),
    h('div', { class: 'qr' }, qrSvg(link, t('castcheck.qr-label'), { id: 'check-qr' })),
    h(
      'dl',
      {},
      h('dt', {}, t('castcheck.link')),
      h('dd', {}, h('a', { href: link, id: 'check-link', class: 'check-link', target: '_blank', rel: 'noopener noreferrer' }, link)),
      h('dt', {}, t('castcheck.key')),
      h('dd', {}, trackingCodeElement(key, { id: 'check-key', class: 'tracking-code check-key' })),
    ),
    h('p', { class: 'message info' }, t('castcheck.card-secret')),
  );
}

function castView(app) {
  const { receipt, failure } = state.result;
  const again = () => {
    state.step = 'ballot';
    state.model = emptyModel(app.election.manifest);
    state.result = null;
    state.message = null;
    app.render();
  };
  return [
    h('h2', {}, t('cast.heading')),
    messageBox(),
    failure
      ? notice(msg('cast.failed', {}, failure), 'error', { id: 'receipt-failed' })
      : h('p', { class: 'message ok', id: 'receipt-verified' }, t('cast.verified')),
    h('p', {}, t('cast.intro')),
    receiptCard(receipt),
    failure ? null : castCheckCard(receipt.tracking_code, state.result.checkKey, app.info.cast_check),
    h('p', { class: 'message info no-print', id: 'credential-forgotten' }, t('cast.forgotten')),
    h(
      'div',
      { class: 'actions no-print' },
      h(
        'button',
        {
          type: 'button',
          id: 'finish',
          class: 'primary',
          onclick: () => {
            state.finishedCode = receipt.tracking_code;
            state.result = null; // the check key is gone from this page
            state.step = 'finished';
            app.render();
          },
        },
        t('cast.finish'),
      ),
      h('button', { type: 'button', id: 'vote-again-after-cast', onclick: again }, t('cast.vote-again')),
    ),
    h('p', { class: 'no-print' }, t('cast.check')),
  ];
}

function finishedView(app) {
  return [
    h('h2', {}, t('finished.heading')),
    h('p', { id: 'finished' }, t('finished.text')),
    h('p', {}, t('finished.code'), ' ', trackingCodeElement(state.finishedCode)),
    h(
      'button',
      {
        type: 'button',
        class: 'link',
        onclick: () => {
          state.step = 'ballot';
          state.model = emptyModel(app.election.manifest);
          app.render();
        },
      },
      t('cast.vote-again'),
    ),
  ];
}

let renderedStep = null;

export function renderVote(app, container) {
  const views = { credential: credentialView, ballot: ballotView, review: reviewView, challenged: challengedView, cast: castView, finished: finishedView };
  if (!state.model) state.model = emptyModel(app.election.manifest);
  replace(container, views[state.step](app));
  // A new step: move the keyboard and screen-reader focus to its heading.
  if (renderedStep !== null && renderedStep !== state.step) {
    const heading = container.querySelector('h2');
    heading.setAttribute('tabindex', '-1');
    heading.focus();
  }
  renderedStep = state.step;
}
