// The message catalogues (lang/en.js, et.js, ru.js) and the voter's language. t(key, params)
// fills {name} placeholders; {todo} defaults to the catalogue's "what to do after a failure"
// sentence and {contact} to the officials' contact (the manifest's, else "use the contact given
// in your voting instructions"). Every server error code of docs/api.md has an explanation (errors.<code>).
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
let contact = null; // the manifest's contact (a text of docs/ballots.md 2), or null

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
    // A text of the manifest as a parameter (e.g. a contest's title) is shown in the page's
    // language, so a message keeps switching with the language.
    if (name in params) return typeof params[name] === 'object' && params[name] !== null ? localized(params[name]) : String(params[name]);
    if (name === 'todo') return t('failure.todo');
    if (name === 'contact') return contact === null ? t('contact.instructions') : t('contact.manifest', { contact: localized(contact) });
    return `{${name}}`;
  });
}

// A text of the manifest (a title or the contact: a string, or translations keyed by language,
// "en" always present; docs/ballots.md 2) in the page's language: its translation when there
// is one, else the English one; a string as it is.
export const localized = (text) => (typeof text === 'string' ? text : text[current] ?? text.en);

// Sets the manifest's contact (a text, or undefined when the manifest has none): {contact} in a
// message names it, or else says to use the contact given in the voting instructions.
export function setContact(text) {
  contact = text ?? null;
}

export const hasMessage = (key) => key in catalogues.en;

// A time (milliseconds since 1970) as a date and time in the voter's language and time zone.
export const formatTime = (ms) => new Intl.DateTimeFormat(current, { dateStyle: 'long', timeStyle: 'short' }).format(new Date(ms));

export const timeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
