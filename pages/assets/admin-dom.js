import { label, t } from './admin-i18n.js';

/*
 * Building the page with DOM APIs only: text goes in as textContent, never as HTML, so nothing the
 * API answers (a customer's note, a carrier's message) can become markup. No inline styles or
 * handlers either (the CSP forbids them): classes and addEventListener.
 */

let counter = 0;
/** A unique id for label/control and aria-describedby pairs. */
export function uid(prefix = 'id') {
  counter += 1;
  return `${prefix}-${counter}`;
}

const PROPERTIES = new Set(['value', 'checked', 'selected', 'indeterminate']);

/**
 * `h('button', {class: 'btn', onclick: fn, type: 'button'}, 'Approve')`. Props: `class`, `text`,
 * `on<event>` listeners, `dataset`, the live properties in PROPERTIES (set after the children,
 * so a select's value finds its option), booleans as present/absent attributes, the rest as
 * attributes. Children: nodes, strings, numbers, arrays; null/undefined/false are skipped.
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  const later = [];
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'text') el.textContent = String(value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function')
      el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (PROPERTIES.has(key)) later.push([key, value]);
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  for (const [key, value] of later) el[key] = value;
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
/** An SVG element (charts): attributes only, children appended. */
export function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

/** Visually hidden text, read by screen readers (a row's case number after "Approve"). */
export function srOnly(text) {
  return h('span', { class: 'sr-only' }, text);
}

/** A status word as a coloured badge; the colour is never the only signal (the word is there). */
export function badge(kind, code, extra = '') {
  return h('span', { class: ['badge', `badge-${kind}`, `is-${code}`, extra] }, label(kind, code));
}

/**
 * A labelled form control: `field({label, control, hint, required})`. The label points at the
 * control, the hint and the error line are its description, and `setError` marks it invalid.
 */
export function field({
  label: text,
  control,
  hint,
  required = false,
  wide = false,
  optionalMark = !required,
}) {
  control.id ||= uid('f');
  const hintEl = hint ? h('p', { class: 'hint', id: uid('h') }, hint) : null;
  const errorEl = h('p', { class: 'field-error', id: uid('e'), hidden: true });
  control.setAttribute('aria-describedby', [hintEl?.id, errorEl.id].filter(Boolean).join(' '));
  if (required) control.setAttribute('aria-required', 'true');
  const wrap = h(
    'div',
    { class: ['field', wide && 'field-wide'] },
    h(
      'label',
      { for: control.id },
      text,
      optionalMark ? h('span', { class: 'optional' }, ` (${t('common.optional')})`) : null,
    ),
    control,
    hintEl,
    errorEl,
  );
  wrap.setError = (message) => {
    errorEl.textContent = message ?? '';
    errorEl.hidden = !message;
    if (message) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  };
  return wrap;
}

export function input(props = {}) {
  return h('input', { type: 'text', ...props });
}

export function select(options, props = {}) {
  return h(
    'select',
    props,
    options.map(([value, text]) => h('option', { value }, text)),
  );
}

/** A definition list of [term, value] pairs; pairs without a value are left out. */
export function dl(pairs, cls = 'facts') {
  return h(
    'dl',
    { class: cls },
    pairs
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([term, value]) => h('div', { class: 'fact' }, h('dt', {}, term), h('dd', {}, value))),
  );
}

/**
 * A table: `table({caption, columns: [[key, heading]], rows, cell(row, key)})`. Each cell carries
 * its column's heading as data-label, which the phone layout shows beside the value.
 */
export function table({ caption, columns, rows, cell, rowProps, cls = '' }) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: ['data', cls] },
      caption ? h('caption', {}, caption) : null,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map(([, heading]) => h('th', { scope: 'col' }, heading)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            rowProps ? rowProps(row) : {},
            columns.map(([key, heading]) => h('td', { 'data-label': heading }, cell(row, key))),
          ),
        ),
      ),
    ),
  );
}

/** A section with a heading: `section('Timeline', content...)`; level 2 unless told. */
export function section(title, ...content) {
  const id = uid('s');
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...content);
}

export function button(text, onclick, cls = 'btn', props = {}) {
  return h('button', { type: 'button', class: cls, onclick, ...props }, text);
}

/** Wraps a button's async work: disabled and aria-busy until it settles. */
export async function busy(btn, work) {
  const buttons = Array.isArray(btn) ? btn : [btn];
  for (const b of buttons) {
    b.disabled = true;
    b.setAttribute('aria-busy', 'true');
  }
  try {
    return await work();
  } finally {
    for (const b of buttons) {
      b.disabled = false;
      b.removeAttribute('aria-busy');
    }
  }
}

export function code(text) {
  return h('code', {}, text);
}

/** A value of a policy trace, shown as compact JSON (strings as they are). */
export function showValue(value) {
  if (value === undefined) return t('common.none');
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
