// The message catalogues (lang/en.js, et.js, ru.js) and the voter's language. t(key, params)
// fills {name} placeholders; {todo} defaults to the catalogue's "what to do after a failure"
// sentence. Every server error code of docs/api.md has an explanation (errors.<code>).
import en from './lang/en.js';
import et from './lang/et.js';
import ru from './lang/ru.js';

export const catalogues = { en, et, ru };
export const languages = [
  { code: 'en', name: 'English' },
  { code: 'et', name: 'Eesti' },
  { code: 'ru', name: 'Русский' },
];

let current = 'en';

export function setLanguage(code) {
  if (!catalogues[code]) throw new Error(`no catalogue for language "${code}"`);
  current = code;
  document.documentElement.lang = code;
  try {
    localStorage.setItem('haal.lang', code);
  } catch {
    // storage may be disabled; the choice then lasts for this page only
  }
}

export function initialLanguage() {
  try {
    const saved = localStorage.getItem('haal.lang');
    if (saved && catalogues[saved]) return saved;
  } catch {
    // ignore
  }
  const browser = (navigator.language || 'en').toLowerCase().slice(0, 2);
  return catalogues[browser] ? browser : 'en';
}

export const language = () => current;

export function t(key, params = {}) {
  const template = catalogues[current][key] ?? catalogues.en[key];
  if (template === undefined) throw new Error(`missing message "${key}"`);
  return template.replace(/\{(\w+)\}/g, (_, name) => {
    if (name in params) return String(params[name]);
    if (name === 'todo') return t('failure.todo');
    return `{${name}}`;
  });
}

export const hasMessage = (key) => key in catalogues.en;

// A time (milliseconds since 1970) as a date and time in the voter's language and time zone.
export const formatTime = (ms) => new Intl.DateTimeFormat(current, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(ms));

export const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
