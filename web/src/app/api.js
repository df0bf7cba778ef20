// The collector's JSON API (docs/api.md), same origin only. Errors become ApiError with the
// server's code and message, explained in the voter's language (i18n errors.<code>).
import { t } from './i18n.js';

export class ApiError extends Error {
  constructor(status, code, serverMessage) {
    super(serverMessage);
    this.status = status;
    this.code = code;
    this.serverMessage = serverMessage;
  }
  explain() {
    if (this.code === 'network') return t('errors.network', { detail: this.serverMessage });
    let explanation;
    try {
      explanation = t(`errors.${this.code}`);
    } catch {
      explanation = t('errors.unexpected', { status: this.status });
    }
    return t('errors.server', { explanation, code: this.code, message: this.serverMessage });
  }
}

async function request(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body,
      cache: 'no-store',
      credentials: 'omit',
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
