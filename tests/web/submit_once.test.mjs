// submitOnce (web/src/app/api.js): a cast whose answer is lost is recovered by tracking code, or
// the same bytes are re-sent; an answer (even a refusal) is final.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, submitOnce } from '../../web/src/app/api.js';

const receipt = { kind: 'ballot', board_index: 3, tracking_code: 'ABCD-EFGH' };
const reply = (status, body) => ({ ok: status >= 200 && status < 300, status, text: async () => JSON.stringify(body) });

// Replaces fetch with `answers` (a function per call, in order) and makes waits immediate.
function scripted(answers) {
  const calls = [];
  globalThis.setTimeout = (f) => f();
  globalThis.fetch = async (path, init) => {
    calls.push(`${init.method} ${path}${init.body === undefined ? '' : ` ${init.body}`}`);
    const next = answers.shift();
    if (!next) throw new Error('unexpected request');
    return next();
  };
  return calls;
}
const lost = () => { throw new TypeError('Failed to fetch'); };

test('a lost answer is recovered by tracking code without re-sending', async () => {
  const calls = scripted([lost, () => reply(200, { status: 'cast', receipt })]);
  assert.deepEqual(await submitOnce('/api/ballots', '{"b":1}', 'ABCD-EFGH', 'ballot'), receipt);
  assert.deepEqual(calls, ['POST /api/ballots {"b":1}', 'GET /api/ballots/ABCD-EFGH']);
});

test('a ballot not on the board is re-sent with the same bytes', async () => {
  const calls = scripted([
    lost,
    () => reply(404, { error: { code: 'not-found', message: 'no ballot' } }),
    () => reply(200, receipt),
  ]);
  assert.deepEqual(await submitOnce('/api/ballots', '{"b":1}', 'ABCD-EFGH', 'ballot'), receipt);
  assert.deepEqual(calls, ['POST /api/ballots {"b":1}', 'GET /api/ballots/ABCD-EFGH', 'POST /api/ballots {"b":1}']);
});

test('an entry of the other kind is not taken for the receipt', async () => {
  const calls = scripted([lost, () => reply(200, { status: 'challenged', receipt: { ...receipt, kind: 'challenge' } }), () => reply(200, receipt)]);
  assert.deepEqual(await submitOnce('/api/ballots', '{"b":1}', 'ABCD-EFGH', 'ballot'), receipt);
  assert.equal(calls.length, 3);
});

test('a 502/503/504 (a failover) is looked up and re-sent, and the last one is final', async () => {
  const unavailable = () => reply(503, { error: { code: 'store-unavailable', message: 'x' } });
  const calls = scripted([
    unavailable,
    () => reply(404, { error: { code: 'not-found', message: 'no ballot' } }),
    () => reply(502, { error: { code: 'bad-gateway', message: 'x' } }),
    () => reply(404, { error: { code: 'not-found', message: 'no ballot' } }),
    () => reply(200, receipt),
  ]);
  assert.deepEqual(await submitOnce('/api/ballots', '{"b":1}', 'ABCD-EFGH', 'ballot'), receipt);
  assert.deepEqual(calls, ['POST /api/ballots {"b":1}', 'GET /api/ballots/ABCD-EFGH', 'POST /api/ballots {"b":1}',
    'GET /api/ballots/ABCD-EFGH', 'POST /api/ballots {"b":1}']);
  const last = scripted([unavailable, () => reply(404, { error: { code: 'not-found', message: 'x' } }), unavailable]);
  await assert.rejects(submitOnce('/api/ballots', '{}', 'X', 'ballot', 2), (e) => e instanceof ApiError && e.status === 503);
  assert.equal(last.length, 3);  // two sends, one look-up between them
});

test('a refusal is final and the attempts are bounded', async () => {
  scripted([() => reply(409, { error: { code: 'replay', message: 'already on the board' } })]);
  await assert.rejects(submitOnce('/api/ballots', '{}', 'X', 'ballot'), (e) => e instanceof ApiError && e.code === 'replay');
  const calls = scripted([lost, lost, lost, lost, lost, lost, lost, lost]);
  await assert.rejects(submitOnce('/api/ballots', '{}', 'X', 'ballot', 4), (e) => e instanceof ApiError && e.code === 'network');
  assert.equal(calls.length, 8);  // four sends, four look-ups
});
