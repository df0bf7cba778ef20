// The message catalogue: English and Estonian have the same messages with the same
// placeholders, and every error code of docs/openapi.yaml has an explanation in both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { catalogues } from '../../web/src/app/i18n.js';

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('English and Estonian have the same keys and placeholders', () => {
  assert.deepEqual(Object.keys(catalogues.et).sort(), Object.keys(catalogues.en).sort());
  for (const key of Object.keys(catalogues.en)) {
    assert.deepEqual(placeholders(catalogues.et[key]), placeholders(catalogues.en[key]), key);
    assert.notEqual(catalogues.et[key].trim(), '', key);
  }
});

test('every error code of the API has an explanation', () => {
  const yaml = readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8');
  const list = yaml.match(/code:\s*\n\s*type: string\s*\n\s*enum: \[([^\]]*)\]/);
  assert.ok(list, 'the error code enum of docs/openapi.yaml');
  const codes = list[1].split(',').map((c) => c.trim()).filter(Boolean);
  assert.ok(codes.length > 20);
  for (const code of codes) {
    assert.ok(catalogues.en[`errors.${code}`], `errors.${code}`);
    assert.ok(catalogues.et[`errors.${code}`], `errors.${code}`);
  }
});
