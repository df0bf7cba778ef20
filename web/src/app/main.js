// Haal's voter web app: a single page with three views (#vote, #check, #results), English and
// Estonian texts. Everything it fetches comes from the collector that served it.
import { Election } from '../election/ballot.js';
import { ApiError, getJson } from './api.js';
import { renderCheck } from './check.js';
import { h, replace } from './dom.js';
import { initialLanguage, languages, language, setLanguage, t } from './i18n.js';
import { renderResults } from './results.js';
import { renderVote } from './vote.js';

const views = { vote: renderVote, check: renderCheck, results: renderResults };

const app = {
  info: null,
  election: null,
  view: 'vote',
  async refreshInfo() {
    try {
      const info = await getJson('/api/election');
      if (info.context_hash === app.info.context_hash) app.info = info;
    } catch {
      // keep the status shown; the error that led here is already on the page
    }
  },
  render() {
    document.title = t('app.title');
    renderHeader();
    const main = document.getElementById('main');
    main.setAttribute('aria-busy', 'false');
    views[app.view](app, main);
  },
};

function renderHeader() {
  const header = document.getElementById('header');
  const title = app.election ? app.election.manifest.title : '';
  const polls = app.info ? t('election.polls', { status: t(`polls.${app.info.polls}`) }) : '';
  replace(
    header,
    h('div', { class: 'brand' }, h('span', { class: 'logo' }, 'Haal'), h('span', { class: 'election-title' }, title)),
    h('p', { class: 'polls', id: 'polls' }, polls),
    h(
      'nav',
      { 'aria-label': 'Haal' },
      Object.keys(views).map((v) => h('a', { href: `#${v}`, id: `nav-${v}`, 'aria-current': app.view === v ? 'page' : false }, t(`nav.${v}`))),
    ),
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

function route() {
  const v = location.hash.replace('#', '');
  app.view = v in views ? v : 'vote';
  app.render();
  document.getElementById('main').focus();
}

async function start() {
  setLanguage(initialLanguage());
  const main = document.getElementById('main');
  replace(main, h('p', {}, t('loading')));
  try {
    app.info = await getJson('/api/election');
    app.election = new Election(app.info);
  } catch (e) {
    replace(main, h('p', { class: 'message error', role: 'alert' }, e instanceof ApiError ? e.explain() : e.message));
    return;
  }
  window.addEventListener('hashchange', route);
  route();
  document.body.dataset.ready = 'true';
}

start();
