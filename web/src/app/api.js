// The collector's JSON API (docs/api.md), same origin only. Errors become ApiError with the
// server's code and message; toMessage() explains the code with a catalogue sentence
// (errors.<code>) and keeps the server's own words as details.
import { hasMessage } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, serverMessage) {
    super(serverMessage);
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
  }
  toMessage() {
    const key = hasMessage(`errors.${this.code}`) ? `errors.${this.code}` : 'errors.unexpected';
    const status = this.status ? `HTTP ${this.status}, ` : '';
    return { key, params: {}, details: `${status}${this.code}: ${this.serverMessage}` };
  }
}

// A request without an answer after this long counts as a lost answer (code 'network').
const TIMEOUT_MS = 30000;

async function request(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body,
      cache: 'no-store',
      credentials: 'omit',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    throw new ApiError(0, 'network', e.message);
  }
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ApiError(response.status, 'http-error', `HTTP ${response.status}, not JSON`);
  }
  if (!response.ok) {
    const err = json && json.error;
    if (err && typeof err.code === 'string') throw new ApiError(response.status, err.code, String(err.message ?? ''));
    throw new ApiError(response.status, 'http-error', `HTTP ${response.status}`);
  }
  return json;
}

export const getJson = (path) => request('GET', path);
export const postJson = (path, bodyText) => request('POST', path, bodyText);

// POSTs a ballot or challenge so that a lost answer loses nothing (docs/api.md, "Lost
// answers"): the collector commits before it answers, so when the connection drops or times
// out the entry may be on the board. Look it up by tracking code; if it is not there, re-send
// the same bytes (the collector answers a copy of an entry on its board with that entry's
// receipt). Returns the receipt JSON; throws the last ApiError if no attempt got an answer.
export async function submitOnce(path, bodyText, trackingCode, kind, attempts = 4) {
  let lastError;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    try {
      return await postJson(path, bodyText);
    } catch (err) {
      // No answer, or no collector could take it now (502/503/504: a failover, docs/deploy.md 7).
      const transient = err instanceof ApiError && (err.code === 'network' || [502, 503, 504].includes(err.status));
      if (!transient || (err.code !== 'network' && attempt === attempts)) throw err;
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    try {
      const found = await getJson(`/api/ballots/${encodeURIComponent(trackingCode)}`);
      if (found && found.receipt && found.receipt.kind === kind) return found.receipt;
    } catch (err) {
      if (!(err instanceof ApiError) || !['network', 'not-found', 'not-yet-signed'].includes(err.code)) throw err;
      lastError = err;
    }
  }
  throw lastError;
}
