// Haal's voter web app: a single page with four views (#vote, #check, #key, #results), in English,
// Estonian and Russian. Everything it fetches comes from the collector that served it.
import { Election } from '../election/ballot.js';
import { getJson } from './api.js';
import { renderCheck } from './check.js';
import { renderKey } from './key.js';
import { h, replace } from './dom.js';
import { formatTime, initialLanguage, languages, language, localized, setContact, setLanguage, t, timeZone } from './i18n.js';
import { errorMessage, notice } from './notice.js';
import { renderResults } from './results.js';
import { renderVote } from './vote.js';

const views = { vote: renderVote, check: renderCheck, key: renderKey, results: renderResults };

// The short form of the context hash shown as the election's fingerprint: its first 8 bytes,
// upper-case hex in four groups of four (e.g. "1A2B 3C4D 5E6F 7081").
export const fingerprint = (contextHash) => contextHash.slice(0, 16).toUpperCase().match(/.{4}/g).join(' ');

const app = {
  info: null,
  election: null,
  view: 'vote',
  castCheckFromLink: null, // {code, key} of a #check/CODE/KEY address, until the check page takes it
  async refreshInfo() {
    try {
      const info = await getJson('/api/election');
      if (info.context_hash === app.info.context_hash) app.info = info;
    } catch {
      // keep the status shown; the error that led here is already on the page
    }
  },
  // Why voting is not possible now (a catalogue key), or null. The server decides at Cast;
  // the page uses the polls status it was given and this device's clock for the window.
  votingClosed() {
    const { polls, voting_window: w } = app.info;
    const now = Date.now();
    if (polls === 'closed' || now >= w.closes_at_ms) return 'vote.ended';
    if (now < w.opens_at_ms) return 'vote.not-started';
    if (polls !== 'open') return 'vote.not-opened';
    return null;
  },
  render() {
    document.title = t('app.title');
    renderChrome();
    renderHeader();
    const main = document.getElementById('main');
    main.setAttribute('aria-busy', 'false');
    views[app.view](app, main);
  },
};

// The skip link and footer of index.html, in the voter's language. The skip link moves the
// focus itself: following "#main" would change the route.
function renderChrome() {
  const skip = document.querySelector('a.skip');
  skip.textContent = t('skip');
  skip.onclick = (e) => {
    e.preventDefault();
    document.getElementById('main').focus();
  };
  replace(document.querySelector('footer'), h('p', {}, t('footer')));
}

function renderHeader() {
  const header = document.getElementById('header');
  const title = app.election ? localized(app.election.manifest.title) : '';
  const info = app.info;
  const w = info && info.voting_window;
  replace(
    header,
    h('h1', { class: 'brand' }, h('span', { class: 'logo' }, 'Haal'), ' ', h('span', { class: 'election-title' }, title)),
    info ? h('p', { class: 'polls', id: 'polls', 'data-polls': info.polls }, t('election.polls', { status: t(`polls.${info.polls}`) })) : null,
    w ? h('p', { class: 'period', id: 'period' }, t('election.period', { opens: formatTime(w.opens_at_ms), closes: formatTime(w.closes_at_ms), zone: timeZone() })) : null,
    info
      ? h(
          'p',
          { class: 'fingerprint', id: 'fingerprint', title: t('election.fingerprint-help') },
          t('election.fingerprint', { fingerprint: fingerprint(info.context_hash) }),
        )
      : null,
    app.election
      ? h(
          'nav',
          { 'aria-label': t('nav.label') },
          Object.keys(views).map((v) => h('a', { href: `#${v}`, id: `nav-${v}`, 'aria-current': app.view === v ? 'page' : false }, t(`nav.${v}`))),
        )
      : null,
    h(
      'div',
      { class: 'languages', role: 'group', 'aria-label': t('lang.label') },
      languages.map((l) =>
        h(
          'button',
          {
            type: 'button',
            lang: l.code,
            'aria-pressed': language() === l.code ? 'true' : 'false',
            id: `lang-${l.code}`,
            onclick: () => {
              setLanguage(l.code);
              app.render();
            },
          },
          l.name,
        ),
      ),
    ),
  );
}

// A view chosen by the address (#vote, #check, #key, #results); without one, the vote form while
// voting is possible, and the results otherwise (observers after the polls). #check/CODE/KEY
// (the second-device link of a cast ballot) opens the check page, which checks that ballot
// with the key; the key is taken out of the address at once (it shows the vote: it must not
// stay in the address bar or the history). A fragment is never sent to the server.
function route(initial) {
  const v = location.hash.replace('#', '');
  const link = /^check\/([A-Za-z0-9 %-]+)\/([A-Za-z0-9 %-]+)$/.exec(v);
  if (link) {
    history.replaceState(null, '', `${location.pathname}${location.search}#check`);
    app.castCheckFromLink = { code: decodeURIComponent(link[1]), key: decodeURIComponent(link[2]) };
    app.view = 'check';
  } else if (v in views) app.view = v;
  else app.view = app.votingClosed() === 'vote.ended' ? 'results' : 'vote';
  app.render();
  // A page load keeps the focus at the top (the skip link comes first); a change of view moves
  // it to the new view.
  if (!initial) document.getElementById('main').focus();
}

async function start() {
  setLanguage(initialLanguage());
  const main = document.getElementById('main');
  renderChrome();
  replace(main, h('p', {}, t('loading')));
  let failure = null;
  try {
    app.info = await getJson('/api/election');
  } catch (e) {
    failure = errorMessage(e, 'errors.unexpected');
  }
  if (!failure) {
    try {
      app.election = new Election(app.info);
      setContact(app.election.manifest.contact);
    } catch (e) {
      failure = errorMessage(e, 'errors.election-invalid');
    }
  }
  if (failure) {
    // Rendered again on a language switch: the chrome, the header and this message.
    app.info = null;
    views.vote = views.check = views.key = views.results = (_, container) => replace(container, notice(failure, 'error', { id: 'start-error' }));
    app.render();
    return;
  }
  window.addEventListener('hashchange', () => route(false));
  route(true);
  document.body.dataset.ready = 'true';
}

start();
