import { button, field, h, input, select, uid } from './admin-dom.js';
import { moneyInput, parseMoney, t } from './admin-i18n.js';

/*
 * What every screen shares: the status messages (a polite live region for what went well, an
 * alert for what did not; both visible) and the modal form dialog (a native <dialog>: focus moves
 * into it, Tab stays inside, Escape closes it, focus returns to the button that opened it).
 */

function regions() {
  return { status: document.getElementById('status'), alert: document.getElementById('alert') };
}

/** Shows a message: `ok` in the status region, `error` in the alert region. */
export function flash(message, kind = 'ok') {
  const { status, alert } = regions();
  const target = kind === 'error' ? alert : status;
  const other = kind === 'error' ? status : alert;
  // The regions stay rendered (an emptied one takes no room): a live region that appears together
  // with its text is often not announced.
  other.replaceChildren();
  target.replaceChildren(
    h('p', {}, message),
    button('×', () => clearFlash(), 'btn-icon', { 'aria-label': t('common.dismiss') }),
  );
}

export function clearFlash() {
  for (const el of Object.values(regions())) el.replaceChildren();
}

/**
 * A modal form. `fields`: [{name, kind, label, hint, required, value, options, currency}] with
 * kind text | textarea | select | radio | money | currency | photos | number. `onSubmit(values)`
 * resolves when done (the dialog closes) or throws an Error whose message is shown in the dialog.
 * Resolves with the values submitted, or undefined when cancelled.
 */
export function openDialog({ title, intro, fields, submitLabel, danger = false, onSubmit }) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = uid('dlg');
    const dialog = h('dialog', { class: 'dialog', 'aria-labelledby': titleId });
    const controls = fields.map((spec) => build(spec));
    const error = h('p', { class: 'form-error', role: 'alert', hidden: true });
    const submit = h(
      'button',
      { type: 'submit', class: ['btn', danger ? 'btn-danger' : 'btn-primary'] },
      submitLabel,
    );
    const cancel = button(t('common.cancel'), () => dialog.close(), 'btn btn-ghost');
    const form = h(
      'form',
      { class: 'stack', novalidate: true },
      h('h2', { id: titleId }, title),
      intro ? h('p', {}, intro) : null,
      controls.map((c) => c.wrap),
      error,
      h('div', { class: 'buttons' }, submit, cancel),
    );
    dialog.append(form);
    let result;
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
      resolve(result);
    });
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      error.hidden = true;
      const values = {};
      const invalid = [];
      // Money last: an amount is read in the currency the form names (a refund's own field).
      const ordered = [...controls].sort((a, b) => (a.spec.kind === 'money') - (b.spec.kind === 'money'));
      for (const c of ordered) {
        const { value, problem } = c.read(values);
        c.wrap.setError(problem);
        if (problem) invalid.push(c);
        else if (value !== undefined) values[c.spec.name] = value;
      }
      if (invalid.length) {
        controls.find((c) => invalid.includes(c)).focusable.focus();
        return;
      }
      submit.disabled = true;
      submit.setAttribute('aria-busy', 'true');
      try {
        await onSubmit(values);
        result = values;
        dialog.close();
      } catch (err) {
        error.textContent = err.message;
        error.hidden = false;
      } finally {
        submit.disabled = false;
        submit.removeAttribute('aria-busy');
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    controls[0]?.focusable.focus();
  });
}

function build(spec) {
  const { kind = 'text', required = false } = spec;
  const need = (raw) =>
    required && (raw === '' || raw === undefined) ? t('error.fieldRequired') : undefined;
  if (kind === 'radio') {
    const legendId = uid('lg');
    const radios = spec.options.map(([value, text]) => {
      const id = uid('r');
      return {
        el: h('input', { type: 'radio', name: `${spec.name}-${legendId}`, id, value }),
        label: text,
        id,
      };
    });
    const errorEl = h('p', { class: 'field-error', hidden: true });
    const wrap = h(
      'fieldset',
      { class: 'field radios' },
      h('legend', { id: legendId }, spec.label),
      radios.map((r) => h('div', { class: 'radio' }, r.el, h('label', { for: r.id }, r.label))),
      errorEl,
    );
    wrap.setError = (message) => {
      errorEl.textContent = message ?? '';
      errorEl.hidden = !message;
    };
    return {
      spec,
      wrap,
      focusable: radios[0].el,
      read: () => {
        const chosen = radios.find((r) => r.el.checked)?.el.value;
        const problem = need(chosen);
        return { problem, value: chosen === undefined ? undefined : chosen === 'true' };
      },
    };
  }
  let control;
  if (kind === 'textarea' || kind === 'photos') {
    control = h('textarea', {
      rows: kind === 'photos' ? '3' : '4',
      name: spec.name,
      value: spec.value ?? '',
    });
  } else if (kind === 'select') {
    control = select(spec.options, { name: spec.name, value: spec.value ?? '' });
  } else {
    control = input({
      name: spec.name,
      value: kind === 'money' ? moneyInput(spec.value, spec.currency) : (spec.value ?? ''),
      ...(kind === 'money' && { inputmode: 'decimal', autocomplete: 'off' }),
      ...(kind === 'number' && { inputmode: 'numeric' }),
      ...(kind === 'currency' && { maxlength: '3', autocapitalize: 'characters', class: 'short' }),
    });
  }
  if (required) control.required = true;
  const wrap = field({ label: spec.label, control, hint: spec.hint, required });
  const read = (values) => {
    const raw = control.value.trim();
    const missing = need(raw);
    if (missing) return { problem: missing };
    if (raw === '') return { value: undefined };
    if (kind === 'money') {
      const currency = (spec.currencyFrom && values[spec.currencyFrom]) || spec.currency || 'CNY';
      const parsed = parseMoney(raw, currency);
      return parsed.error ? { problem: parsed.error } : { value: parsed.value };
    }
    if (kind === 'currency') {
      return /^[A-Za-z]{3}$/.test(raw) ? { value: raw.toUpperCase() } : { problem: t('error.currency') };
    }
    if (kind === 'number') {
      return /^\d+$/.test(raw) ? { value: Number(raw) } : { problem: t('error.number') };
    }
    if (kind === 'photos') {
      const urls = raw
        .split(/\s+/)
        .map((u) => u.trim())
        .filter(Boolean);
      return urls.length > 10 || urls.some((u) => !/^https?:\/\/\S+$/.test(u))
        ? { problem: t('error.photos') }
        : { value: urls };
    }
    return { value: raw };
  };
  return { spec, wrap, focusable: control, read };
}
