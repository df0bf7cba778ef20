// The message catalogue: English, Estonian and Russian have the same keys with the same
// placeholders, every key the page's code names literally exists, and every error code of
// docs/openapi.yaml has an explanation in all three.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { catalogues, languages, setLanguage } from '../../web/src/app/i18n.js';
import { checkLimitsText } from '../../web/src/app/check_limits.js';

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const codes = Object.keys(catalogues);

test('the languages offered are the catalogues: English, Estonian, Russian', () => {
  assert.deepEqual(codes.sort(), ['en', 'et', 'ru']);
  assert.deepEqual(languages.map((l) => l.code).sort(), codes);
});

test('every catalogue key exists in all three languages, with the same placeholders', () => {
  const keys = Object.keys(catalogues.en).sort();
  assert.ok(keys.length > 150);
  for (const code of codes) {
    assert.deepEqual(Object.keys(catalogues[code]).sort(), keys, `keys of ${code}`);
    for (const key of keys) {
      assert.equal(typeof catalogues[code][key], 'string', `${code} ${key}`);
      assert.notEqual(catalogues[code][key].trim(), '', `${code} ${key} is empty`);
      assert.deepEqual(placeholders(catalogues[code][key]), placeholders(catalogues.en[key]), `${code} ${key}`);
    }
  }
});

test('the translations are translations: Estonian and Russian differ from English where words are', () => {
  // Texts made of names, numbers and punctuation only may be equal (e.g. "{round}. voor" is not).
  const wordy = Object.keys(catalogues.en).filter((k) => /[a-z]{4}/.test(catalogues.en[k].replace(/\{\w+\}/g, '').replace(/haal[-\w.…]*/gi, '')));
  for (const key of wordy) {
    assert.notEqual(catalogues.et[key], catalogues.en[key], `et ${key} is the English text`);
    assert.notEqual(catalogues.ru[key], catalogues.en[key], `ru ${key} is the English text`);
  }
  // Estonian addresses the voter formally (Teie), as state e-services do.
  const et = Object.values(catalogues.et).join('\n');
  assert.doesNotMatch(et, /\b(sinu|Sinu|sul|Sul|sind|Sind)\b/);
  assert.doesNotMatch(et, /\b(volitus\w*|Vaidlusta\w*|puupea\w*)\b/i);
});

test('every message key the page names literally is in the catalogue', () => {
  const dir = new URL('../../web/src/app/', import.meta.url);
  let count = 0;
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
    const source = readFileSync(new URL(file, dir), 'utf8');
    for (const m of source.matchAll(/\b(?:t|msg|errorMessage\([^,]+,)\s*\(?\s*'([a-z][\w.-]*)'/g)) {
      assert.ok(m[1] in catalogues.en, `${file}: "${m[1]}" is not in the catalogue`);
      count++;
    }
  }
  assert.ok(count > 100, `only ${count} keys found in the page's code`);
});

test('every error code of the API has an explanation', () => {
  const yaml = readFileSync(new URL('../../docs/openapi.yaml', import.meta.url), 'utf8');
  const list = yaml.match(/code:\s*\n\s*type: string\s*\n\s*enum: \[([^\]]*)\]/);
  assert.ok(list, 'the error code enum of docs/openapi.yaml');
  const apiCodes = list[1].split(',').map((c) => c.trim()).filter(Boolean);
  assert.ok(apiCodes.length > 20);
  for (const code of apiCodes) for (const lang of codes) assert.ok(catalogues[lang][`errors.${code}`], `${lang} errors.${code}`);
});

test('the check limits read correctly, a count of one included', () => {
  globalThis.document ??= { documentElement: {} }; // setLanguage marks the page's language
  const expected = {
    en: [
      [{ lookups: 4, window_seconds: 1200 }, 'This link shows your choices at most 4 times, and only within 20 minutes of casting.'],
      [{ lookups: 1, window_seconds: 60 }, 'This link shows your choices only once, and only within 1 minute of casting.'],
      [{ lookups: 3, window_seconds: 1 }, 'This link shows your choices at most 3 times, and only within 1 second of casting.'],
      [{ lookups: 1, window_seconds: 90 }, 'This link shows your choices only once, and only within 90 seconds of casting.'],
    ],
    et: [
      [{ lookups: 4, window_seconds: 1200 }, 'See link näitab Teie valikuid kuni 4 korda ja ainult 20 minuti jooksul pärast hääletamist.'],
      [{ lookups: 1, window_seconds: 60 }, 'See link näitab Teie valikuid ainult ühe korra ja ainult 1 minuti jooksul pärast hääletamist.'],
    ],
    ru: [
      [{ lookups: 4, window_seconds: 1200 }, 'Эта ссылка показывает Ваш выбор не более 4 раз и только в течение 20 мин после голосования.'],
      [{ lookups: 1, window_seconds: 90 }, 'Эта ссылка показывает Ваш выбор только один раз и только в течение 90 с после голосования.'],
    ],
  };
  try {
    for (const [lang, cases] of Object.entries(expected)) {
      setLanguage(lang);
      for (const [limits, text] of cases) assert.equal(checkLimitsText(limits), text, `${lang} ${JSON.stringify(limits)}`);
    }
  } finally {
    setLanguage('en');
  }
});
