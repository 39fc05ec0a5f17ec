/*
 * Building the page: elements from plain data, text always as text (order titles, carrier
 * messages and the shop's words come from elsewhere and are never parsed as HTML), events bound
 * with addEventListener (the CSP allows no inline handlers), looks by class (no style attributes).
 */

/**
 * h('button', {class: 'primary', onclick: go}, 'Send'): props starting with `on` are listeners,
 * `class` may be a list (falsy entries dropped), `value`/`checked` are set as properties (a
 * select's value once its options are in), `true` is an empty attribute, `false`/null/undefined
 * are left out; children are nodes, strings, numbers or nested lists, falsy ones skipped.
 */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [key, v] of Object.entries(props ?? {})) {
    if (v === undefined || v === null || v === false) continue;
    if (key.startsWith('on') && typeof v === 'function') el.addEventListener(key.slice(2), v);
    else if (key === 'class') el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
    else if (key === 'value') value = v;
    else if (key === 'checked') el.checked = Boolean(v);
    else el.setAttribute(key, v === true ? '' : String(v));
  }
  append(el, children);
  if (value !== undefined) el.value = String(value);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false || child === '') continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces what `parent` holds, keeping focus (and the caret) on the element with the same id. */
export function replace(parent, node) {
  const active = document.activeElement;
  const id = active && parent.contains(active) ? active.id : '';
  const caret =
    active && typeof active.selectionStart === 'number'
      ? [active.selectionStart, active.selectionEnd]
      : undefined;
  parent.replaceChildren(node);
  if (!id) return;
  const again = document.getElementById(id);
  if (!again) return;
  again.focus({ preventScroll: true });
  if (caret && typeof again.setSelectionRange === 'function') {
    try {
      again.setSelectionRange(caret[0], caret[1]);
    } catch {
      // Not a text field (a number or a select): nothing to restore.
    }
  }
}

/** A term and its description, for <dl> lists; nothing when there is no value. */
export function pair(term, description) {
  if (description === undefined || description === null || description === '') return null;
  return h('div', { class: 'pair' }, h('dt', null, term), h('dd', null, description));
}

/** A <time> for an instant, in words. */
export function time(iso, text) {
  return h('time', { datetime: iso }, text);
}
