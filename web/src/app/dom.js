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
