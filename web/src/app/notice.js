// Messages shown to the voter, kept as catalogue keys (not text) so that a language switch
// re-renders them: {key, params, details}. `details` is technical text (a server's error code
// and message, a parser's or verifier's reason) shown untranslated behind a "Details" toggle.
import { ApiError } from './api.js';
import { h } from './dom.js';
import { t } from './i18n.js';

export const msg = (key, params = {}, details = '') => ({ key, params, details });

// Any error thrown by the page's code -> a message: server errors by their code, anything
// else as `fallbackKey` with the error's own text as the details.
export function errorMessage(err, fallbackKey, params = {}) {
  if (err instanceof ApiError) return err.toMessage();
  return msg(fallbackKey, params, err && err.message ? err.message : String(err));
}

// A "Details" toggle, or null when there are none.
export function detailsToggle(details, summaryKey = 'details') {
  if (!details) return null;
  return h('details', { class: 'details' }, h('summary', {}, t(summaryKey)), h('pre', {}, details));
}

// The message as a block: kind 'error' (role alert), 'ok' or 'info' (role status).
export function notice(m, kind, attrs = {}) {
  return h(
    'div',
    { class: `message ${kind}`, role: kind === 'error' ? 'alert' : 'status', ...attrs },
    h('p', {}, t(m.key, m.params)),
    detailsToggle(m.details),
  );
}
