// The voter's choices as a list per contest (the review step, an opened challenge and the
// cast-ballot check on a second device), in the voter's language.
import { isRanked, selectionToJson } from '../election/selection.js';
import { h } from './dom.js';
import { localized, t } from './i18n.js';

// `choicesJson` maps each contest id to its choices JSON (option ids or {"write_in": text}).
export function choicesSummary(manifest, choicesJson, attrs = {}) {
  return h(
    'dl',
    { class: 'summary', ...attrs },
    manifest.contests.map((contest) => {
      const items = choicesJson[contest.id];
      const text = (item) => (typeof item === 'string' ? localized(contest.options.find((o) => o.id === item).title) : t('choices.write-in', { text: item.write_in }));
      let dd;
      if (items.length === 0) dd = h('dd', {}, t('choices.blank'));
      else if (isRanked(contest)) dd = h('dd', {}, h('ol', {}, items.map((item) => h('li', {}, text(item)))));
      else dd = h('dd', {}, h('ul', {}, items.map((item) => h('li', {}, text(item)))));
      return [h('dt', {}, localized(contest.title)), dd];
    }),
  );
}

// The choices JSON of selections given in manifest order.
export function choicesJsonOf(manifest, selections) {
  const out = {};
  manifest.contests.forEach((contest, i) => {
    out[contest.id] = selectionToJson(contest, selections[i]);
  });
  return out;
}
