// "My key" (issue 18, docs/web.md): a voter makes their own credential in the browser (an
// Ed25519 key whose seed is sealed under their passphrase, as `haal credentials keygen`; the
// file is offered for download and the public key shown for the officials to register, and no
// request carries it), and checks a credential against the published roll (GET /api/roll,
// whose canonical JSON must hash to /api/election's roll_hash), as `haal credentials check`.
import { toHex } from '../crypto/bytes.js';
import { IDENTIFIER, makeOwnCredential, rollStanding } from '../election/credential.js';
import { getJson } from './api.js';
import { downloadText, focusInView, h, replace } from './dom.js';
import { t } from './i18n.js';
import { errorMessage, msg, notice } from './notice.js';
import { openCredential } from './vote.js';

const state = {
  make: { busy: false, message: null, result: null }, // result: {voterId, publicKey (hex), text}
  check: { busy: false, message: null },
};

// The forms' inputs live as long as the page (a refusal or a language switch keeps them).
const inputs = {};
function keyInputs() {
  if (!inputs.voter) {
    inputs.voter = h('input', { type: 'text', id: 'key-voter', autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'key-voter-help' });
    inputs.pass = h('input', { type: 'password', id: 'key-pass', autocomplete: 'new-password' });
    inputs.pass2 = h('input', { type: 'password', id: 'key-pass2', autocomplete: 'new-password' });
    inputs.file = h('input', { type: 'file', id: 'key-check-file', accept: '.json,application/json' });
    inputs.checkPass = h('input', { type: 'password', id: 'key-check-pass', autocomplete: 'off' });
  }
  return inputs;
}

function messageBox(part, id) {
  const m = state[part].message;
  if (!m) return h('div', { id, role: 'status' });
  return notice(m, m.kind, { id, tabindex: -1 });
}

function show(app, part, id, kind, message) {
  state[part].message = { kind, ...message };
  app.render();
  focusInView(id);
}

function makeSection(app) {
  const heading = h('h3', { id: 'key-make-heading' }, t('key.make.heading'));
  if (app.votingClosed() === 'vote.ended') {
    return h('section', { 'aria-labelledby': 'key-make-heading' }, heading, h('p', { class: 'message info', id: 'key-make-ended' }, t('key.make.ended')));
  }
  const { voter, pass, pass2 } = keyInputs();
  const s = state.make;
  const say = (kind, message) => show(app, 'make', 'key-make-message', kind, message);
  const button = h('button', { type: 'submit', class: 'primary', disabled: s.busy }, t('key.make.run'));
  const form = h(
    'form',
    {
      id: 'key-make-form',
      onsubmit: async (e) => {
        e.preventDefault();
        const voterId = voter.value.trim();
        if (!IDENTIFIER.test(voterId)) return say('error', msg('key.make.bad-voter-id'));
        if (pass.value === '') return say('error', msg('key.make.need-passphrase'));
        if (pass.value !== pass2.value) return say('error', msg('key.make.mismatch'));
        s.busy = true;
        button.disabled = true;
        const status = document.getElementById('key-make-message');
        try {
          const made = await makeOwnCredential(app.election.electionId, voterId, pass.value, {
            onProgress: (p) => {
              status.className = 'message info';
              status.textContent = t('key.make.sealing', { percent: Math.round(p * 100) });
            },
          });
          s.result = { voterId, publicKey: toHex(made.publicKey), text: made.text };
        } catch (err) {
          s.busy = false;
          return say('error', errorMessage(err, 'key.make.failed'));
        }
        s.busy = false;
        pass.value = pass2.value = '';
        say('ok', msg('key.made', { voter: voterId }));
      },
    },
    h('p', {}, t('key.make.intro')),
    h('div', { class: 'field' }, h('label', { for: voter.id }, t('key.voter-id')), h('span', { class: 'hint', id: 'key-voter-help' }, t('key.voter-id-help')), voter),
    h('div', { class: 'field' }, h('label', { for: pass.id }, t('key.make.passphrase')), pass),
    h('div', { class: 'field' }, h('label', { for: pass2.id }, t('key.make.passphrase-again')), pass2),
    button,
  );
  const r = s.result;
  const card = r
    ? h(
        'div',
        { class: 'key-card', id: 'key-result' },
        h(
          'dl',
          {},
          h('dt', {}, t('key.voter-id')),
          h('dd', {}, h('code', { id: 'key-result-voter' }, r.voterId)),
          h('dt', {}, t('key.public-key')),
          // In groups of four hex digits, for reading aloud.
          h('dd', {}, h('code', { class: 'public-key', id: 'key-public' }, r.publicKey.match(/.{4}/g).map((g, i) => [i > 0 ? ' ' : null, h('span', { class: 'group' }, g)]))),
        ),
        h('p', {}, t('key.register-todo', { voter: r.voterId })),
        h('p', {}, t('key.keep-file')),
        h('div', { class: 'actions' }, h('button', { type: 'button', id: 'key-download', onclick: () => downloadText(r.text, `${r.voterId}.json`) }, t('key.download'))),
        h(
          'details',
          { class: 'details' },
          h('summary', {}, t('tech.details')),
          h('pre', { id: 'key-register-command' }, `haal credentials register --election ELECTION_DIR --voter-id ${r.voterId} --public-key ${r.publicKey}`),
        ),
      )
    : null;
  return h('section', { 'aria-labelledby': 'key-make-heading' }, heading, messageBox('make', 'key-make-message'), card, form);
}

function checkSection(app) {
  const { file, checkPass } = keyInputs();
  const s = state.check;
  const say = (kind, message) => show(app, 'check', 'key-check-message', kind, message);
  const button = h('button', { type: 'submit', class: 'primary', disabled: s.busy }, t('key.check.run'));
  const form = h(
    'form',
    {
      id: 'key-check-form',
      onsubmit: async (e) => {
        e.preventDefault();
        s.busy = true;
        const opened = await openCredential(app, file, checkPass, button, 'key-check-message');
        if (opened.error) {
          s.busy = false;
          return say('error', opened.error);
        }
        const credential = opened.credential;
        credential.seed.fill(0);
        let roll;
        try {
          roll = await getJson('/api/roll');
        } catch (err) {
          s.busy = false;
          return say('error', errorMessage(err, 'errors.unexpected'));
        }
        let result;
        try {
          result = rollStanding(roll, app.info.roll_hash, credential);
        } catch (err) {
          s.busy = false;
          return say('error', msg('key.check.roll-invalid', { todo: t('key.todo') }, err.message));
        }
        result.mine = toHex(credential.publicKey);
        s.busy = false;
        checkPass.value = '';
        const voter = credential.voterId;
        const details = `roll_hash ${app.info.roll_hash}\nvoter ${voter}\nyour key ${result.mine}\nlisted key ${result.listedKey ?? '-'}`;
        if (result.standing === 'listed') return say('ok', msg('key.check.ok', { voter }, details));
        if (result.standing === 'not-listed') return say('error', msg('key.check.not-listed', { voter, todo: t('key.todo') }, details));
        return say('error', msg('key.check.another-key', { voter, todo: t('key.todo') }, details));
      },
    },
    h('p', {}, t('key.check.intro')),
    h('div', { class: 'field' }, h('label', { for: file.id }, t('cred.file')), file),
    h('div', { class: 'field' }, h('label', { for: checkPass.id }, t('cred.passphrase')), checkPass),
    button,
  );
  return h('section', { 'aria-labelledby': 'key-check-heading' }, h('h3', { id: 'key-check-heading' }, t('key.check.heading')), messageBox('check', 'key-check-message'), form);
}

export function renderKey(app, container) {
  replace(container, h('h2', {}, t('key.heading')), h('p', {}, t('key.intro')), makeSection(app), checkSection(app));
}
