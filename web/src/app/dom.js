// A minimal DOM builder: h('p', {class: 'x', onclick: f}, 'text', child...).
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function replace(container, ...children) {
  container.replaceChildren(...children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false));
}

let uniqueCounter = 0;
export const uid = (prefix) => `${prefix}-${++uniqueCounter}`;

// A tracking code (groups of four joined by '-') that may break only between groups: each
// group is a no-wrap span, with a line-break opportunity after every hyphen.
export function trackingCodeElement(code, attrs = {}) {
  const groups = code.split('-');
  return h(
    'code',
    { class: 'tracking-code', ...attrs },
    groups.map((g, i) => [i > 0 ? ['-', h('wbr')] : null, h('span', { class: 'group' }, g)]),
  );
}

// Offers `text` as a JSON file named `name` for download (a blob: link; no request is made).
export function downloadText(text, name) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = h('a', { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// Moves the focus to the element `id` (a message) and scrolls it into view.
export function focusInView(id) {
  const box = document.getElementById(id);
  if (box) {
    box.focus();
    box.scrollIntoView({ block: 'center' });
  }
}
