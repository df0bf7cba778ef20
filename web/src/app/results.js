// "Results": the published results.json (docs/counting.md section 7) from GET /api/results,
// with bar charts for choice contests, instant-runoff rounds and the Schulze ranking.
import { ApiError, getJson } from './api.js';
import { h, replace } from './dom.js';
import { localized, t } from './i18n.js';
import { errorMessage, notice } from './notice.js';

function nameOf(contest, index) {
  if (contest && index < contest.options.length) return localized(contest.options[index].title);
  return t('results.write-in-candidate');
}

function bar(label, votes, total) {
  const fill = h('span', { class: 'bar-fill' });
  // CSSOM (allowed by the page's Content-Security-Policy, unlike style attributes).
  fill.style.width = total > 0 ? `${(100 * votes) / total}%` : '0%';
  const count = t(votes === 1 ? 'results.vote' : 'results.votes', { votes });
  const percent = total > 0 ? ` (${((1000 * votes) / total / 10).toFixed(1)}%)` : '';
  return h(
    'div',
    { class: 'bar-row' },
    h('span', { class: 'bar-label' }, label),
    h('span', { class: 'bar', role: 'img', 'aria-label': `${label}: ${count}${percent}` }, fill),
    h('span', { class: 'bar-value' }, count + percent),
  );
}

// The outcome of a choice contest. The count names the leaders (most votes; a tie is several)
// and applies no seats or thresholds: one leader of a single-choice contest is its winner; for a
// contest where voters choose up to k, the k options with the most votes are named, unless a
// tie at the k-th place makes that undecided.
function choiceOutcome(contest, c) {
  const names = (list) => list.map((i) => nameOf(contest, i)).join(', ');
  if (c.leaders.length === 0) return t('results.no-winner');
  const seats = contest ? contest.max : 1;
  if (seats <= 1 || contest.kind !== 'approval') {
    return c.leaders.length === 1 ? t('results.winner', { names: names(c.leaders) }) : t('results.tie', { names: names(c.leaders) });
  }
  const order = c.option_votes.map((v, i) => [v, i]).filter(([v]) => v > 0).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  if (order.length <= seats) return t('results.top', { seats, names: names(order.map(([, i]) => i)) });
  const last = order[seats - 1][0];
  if (order[seats][0] === last) {
    const above = order.filter(([v]) => v > last).map(([, i]) => i);
    const tied = order.filter(([v]) => v === last).map(([, i]) => i);
    return t('results.top-tie', { seats, names: names(above), tied: names(tied) });
  }
  return t('results.top', { seats, names: names(order.slice(0, seats).map(([, i]) => i)) });
}

function choiceSection(contest, r) {
  const c = r.choice;
  const total = r.ballots.valid;
  const rows = c.option_votes.map((v, i) => bar(nameOf(contest, i), v, total));
  const writeIns = c.write_ins.length
    ? [h('h4', {}, t('results.write-ins')), c.write_ins.map((w) => bar(w.text, w.votes, total))]
    : [];
  return [rows, writeIns, h('p', { class: 'winner' }, choiceOutcome(contest, c))];
}

function irvSection(contest, r) {
  const irv = r.irv;
  const rounds = irv.rounds.map((round) => {
    const total = round.tallies.reduce((s, x) => s + x.votes, 0);
    const reason =
      round.reason === 'previous_round'
        ? t('results.reason.previous_round', { round: round.tie_decided_in_round })
        : t(`results.reason.${round.reason}`);
    const action = round.action === 'elect' ? 'results.round-elect' : 'results.round-eliminate';
    return h(
      'section',
      { class: 'round' },
      h('h4', {}, t('results.round', { round: round.round })),
      round.tallies.map((x) => bar(nameOf(contest, x.option), x.votes, total)),
      h('p', {}, t('results.exhausted', { continuing: round.continuing_ballots, exhausted: round.exhausted_ballots })),
      h('p', {}, t(action, { name: nameOf(contest, round.option), reason })),
    );
  });
  return [
    h('h4', {}, t('results.irv')),
    rounds,
    h('p', { class: 'winner' }, irv.winner === null ? t('results.no-winner') : t('results.elected', { names: nameOf(contest, irv.winner) })),
  ];
}

function schulzeSection(contest, r) {
  const s = r.schulze;
  return [
    h('h4', {}, t('results.ranking')),
    h('ol', {}, s.ranking_tiers.map((tier) => h('li', {}, tier.map((i) => nameOf(contest, i)).join(' = ')))),
    h('p', { class: 'winner' }, s.winners.length ? t('results.winner', { names: s.winners.map((i) => nameOf(contest, i)).join(', ') }) : t('results.no-winner')),
  ];
}

// A ranked contest is counted by instant-runoff in results.contests and by Schulze in
// results.ranked_alternatives (docs/counting.md 7.1): both are shown.
function contestSection(manifest, r, alternatives) {
  const contest = manifest.contests.find((c) => c.id === r.contest_id);
  const b = r.ballots;
  let body;
  if (r.choice) body = choiceSection(contest, r);
  else if (r.irv) body = irvSection(contest, r);
  else if (r.schulze) body = schulzeSection(contest, r);
  const alt = (alternatives || []).find((a) => a.contest_id === r.contest_id && a.schulze);
  if (alt && !r.schulze) body = [...[body].flat(), h('h4', {}, t('results.schulze')), ...schulzeSection(contest, alt)];
  return h(
    'section',
    { class: 'contest-result', 'data-contest': r.contest_id },
    h('h3', {}, contest ? localized(contest.title) : r.contest_id),
    h('p', {}, t('results.ballots', { total: b.total, valid: b.valid, blank: b.blank, invalid: b.invalid })),
    body,
  );
}

// How anyone can check the count: the election record and the independent verifier, with
// links to what this server publishes (the results file and the final signed board).
function verifySection() {
  return h(
    'section',
    { class: 'verify', id: 'verify-results', 'aria-labelledby': 'verify-heading' },
    h('h3', { id: 'verify-heading' }, t('results.verify-heading')),
    h('p', {}, t('results.verify')),
    h('ul', {}, h('li', {}, h('a', { href: '/api/results', id: 'results-file' }, t('results.file'))), h('li', {}, h('a', { href: '/api/board/head' }, t('results.board')))),
  );
}

let renders = 0;

export async function renderResults(app, container) {
  const heading = () => h('h2', {}, t('results.heading'));
  replace(container, heading(), h('p', {}, t('loading')));
  // An answer that arrives after the voter left the view (or after a newer render) is dropped:
  // it must not replace the view now shown.
  const mine = ++renders;
  let results;
  try {
    results = await getJson('/api/results');
    if (app.view !== 'results' || mine !== renders) return;
  } catch (e) {
    if (app.view !== 'results' || mine !== renders) return;
    if (e instanceof ApiError && e.code === 'no-results') {
      return replace(container, heading(), h('p', { id: 'no-results' }, t('results.none')));
    }
    return replace(container, heading(), notice(errorMessage(e, 'errors.unexpected'), 'error'));
  }
  let sections;
  try {
    sections = results.contests.map((r) => contestSection(app.election.manifest, r, results.ranked_alternatives));
  } catch (e) {
    // A results file this page cannot read (the collector checked only its outline).
    return replace(container, heading(), notice(errorMessage(e, 'errors.results-invalid'), 'error'));
  }
  replace(container, heading(), h('div', { id: 'results' }, sections), verifySection());
}
