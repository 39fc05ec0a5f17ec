import { api, path } from './admin-api.js';
import { append, busy, button, field, h, input, table, uid } from './admin-dom.js';
import { label, lang, t } from './admin-i18n.js';
import { flash, openDialog } from './admin-ui.js';

/*
 * The shop's own templates (GET /admin/templates): pick one, a language and whether it is the VIP
 * version, edit the parts its channels have, preview them with the catalog's examples (POST
 * /admin/templates/{id}/preview) and save them into `notifications.templates` (PUT
 * /admin/settings). Only the parts that differ from the built-in text are saved, so a shop that
 * changes its SMS keeps receiving our improvements to the email.
 */

const KINDS = ['transactional', 'marketing', 'staff'];
const LOCALES = [
  ['zh-CN', '中文 (zh-CN)'],
  ['en', 'English (en)'],
];

/** The parts a template's channels have, each with how to read it from the built-in text. */
const PARTS = [
  { key: 'email.subject', channel: 'email', get: (o) => o?.email?.subject, input: true },
  { key: 'email.html', channel: 'email', get: (o) => o?.email?.html, rows: 8, mono: true },
  { key: 'email.text', channel: 'email', get: (o) => o?.email?.text, rows: 6 },
  { key: 'sms', channel: 'sms', get: (o) => o?.sms, rows: 3 },
  { key: 'chat.title', channel: 'chat', get: (o) => o?.chat?.title, input: true },
  { key: 'chat.text', channel: 'chat', get: (o) => o?.chat?.text, rows: 6 },
];

/**
 * What a template says now, part by part: a VIP customer gets the shop's VIP version when there
 * is one, else its ordinary version, else the built-in one (send-notice picks a whole override,
 * so a part the chosen override leaves out is the built-in one).
 */
function inUse(tpl, locale, vip) {
  const own = (vip && tpl.vipOverride?.[locale]) || tpl.override?.[locale];
  const builtIn = tpl.builtIn[locale];
  return { own, value: (part) => part.get(own) ?? part.get(builtIn) ?? '' };
}

/** The override to save: only the parts that differ from the built-in text (email goes as a whole). */
export function draftOverride(builtIn, values, channels) {
  const o = {};
  const differs = (part) => (values[part.key] ?? '') !== (part.get(builtIn) ?? '');
  const has = (channel) => channels.includes(channel);
  const parts = (channel) => PARTS.filter((p) => p.channel === channel);
  if (has('email') && parts('email').some(differs)) {
    o.email = { subject: values['email.subject'], html: values['email.html'], text: values['email.text'] };
  }
  if (has('sms') && parts('sms').some(differs)) o.sms = values.sms;
  if (has('chat') && parts('chat').some(differs)) {
    o.chat = { title: values['chat.title'], text: values['chat.text'] };
  }
  return o;
}

export async function loadTemplates(ctx, el, shared) {
  let list;
  try {
    list = (await api('GET', '/admin/templates')).templates;
  } catch (err) {
    if (ctx.alive()) shared.failure(el, err);
    return;
  }
  if (!ctx.alive()) return;
  el.removeAttribute('aria-busy');
  const manager = shared.manager;
  const editor = h('div', { class: 'tpl-editor' }, h('p', { class: 'muted' }, t('tpl.pick')));
  const items = new Map();
  const listEl = h(
    'nav',
    { class: 'tpl-list', 'aria-label': t('tpl.list') },
    KINDS.map((kind) => {
      const mine = list.filter((tpl) => tpl.kind === kind);
      if (!mine.length) return null;
      const headingId = uid('k');
      return h(
        'div',
        { class: 'tpl-group' },
        h('h3', { id: headingId }, label('templateKind', kind)),
        h(
          'ul',
          { 'aria-labelledby': headingId },
          mine.map((tpl) => {
            const mark = h('span', { class: 'badge badge-own', hidden: true }, t('tpl.own'));
            const item = h(
              'button',
              { type: 'button', class: 'tpl-item', 'aria-pressed': 'false', dataset: { template: tpl.id } },
              h('code', {}, tpl.id),
              ' ',
              mark,
              h('span', { class: 'tpl-desc' }, tpl.description),
            );
            item.addEventListener('click', () => select(tpl));
            items.set(tpl.id, { item, mark, tpl });
            return h('li', {}, item);
          }),
        ),
      );
    }),
  );
  const marks = () => {
    for (const { mark, tpl } of items.values()) {
      mark.hidden = !(Object.keys(tpl.override ?? {}).length || Object.keys(tpl.vipOverride ?? {}).length);
    }
  };
  marks();

  let state = { locale: shared.settings.locale ?? lang(), vip: false };
  // Unsaved edits per template, version and language: switching language or template keeps them.
  const drafts = new Map();
  const select = (tpl, { focus = true } = {}) => {
    for (const { item, tpl: other } of items.values())
      item.setAttribute('aria-pressed', String(other.id === tpl.id));
    state = { ...state, tpl };
    if (tpl.kind === 'staff') state.vip = false;
    renderEditor(focus);
  };

  /** After a save: the shop's templates as the API now has them. */
  const adopt = (settings) => {
    shared.settings = settings;
    const map = settings.notifications.templates ?? {};
    for (const { tpl } of items.values()) {
      tpl.override = map[tpl.id];
      tpl.vipOverride = map[`${tpl.id}#vip`];
    }
    marks();
  };

  const renderEditor = (focus) => {
    const { tpl, locale, vip } = state;
    const key = vip ? `${tpl.id}#vip` : tpl.id;
    const use = inUse(tpl, locale, vip);
    const draftKey = `${key}|${locale}`;
    const kept = drafts.get(draftKey);
    const builtIn = tpl.builtIn[locale];
    const ownHere = (vip ? tpl.vipOverride : tpl.override)?.[locale];
    const parts = PARTS.filter((p) => tpl.channels.includes(p.channel));
    let lastFocused;
    const controls = Object.fromEntries(
      parts.map((p) => {
        const props = {
          name: p.key,
          value: kept?.[p.key] ?? use.value(p),
          spellcheck: 'false',
          readonly: !manager,
          ...(p.mono && { class: 'mono' }),
        };
        const control = p.input ? input(props) : h('textarea', { rows: String(p.rows), ...props });
        control.addEventListener('input', () => drafts.set(draftKey, values()));
        control.addEventListener('focus', () => {
          lastFocused = control;
        });
        return [p.key, control];
      }),
    );
    const smsCount = h('span', { 'aria-live': 'polite' });
    const countSms = () => {
      if (controls.sms) smsCount.textContent = t('tpl.characters', { count: controls.sms.value.length });
    };
    controls.sms?.addEventListener('input', countSms);
    countSms();
    const values = () => Object.fromEntries(Object.entries(controls).map(([k, c]) => [k, c.value]));

    const headingId = uid('t');
    const localeName = `tpl-locale-${headingId}`;
    const localeRadios = h(
      'fieldset',
      { class: 'field radios tpl-locale' },
      h('legend', {}, t('tpl.locale')),
      h(
        'div',
        { class: 'check-row' },
        LOCALES.map(([value, text]) => {
          const id = uid('r');
          const radio = h('input', { type: 'radio', name: localeName, id, value, checked: value === locale });
          radio.addEventListener('change', () => {
            state = { ...state, locale: value };
            renderEditor(false);
            editor.querySelector(`input[name="${localeName}"][value="${value}"]`)?.focus();
          });
          return h('div', { class: 'radio' }, radio, h('label', { for: id, lang: value }, text));
        }),
      ),
    );
    const vipId = uid('c');
    const vipBox =
      tpl.kind === 'staff'
        ? null
        : h(
            'div',
            { class: 'field checkbox' },
            h('input', {
              type: 'checkbox',
              id: vipId,
              checked: vip,
              onchange: (event) => {
                state = { ...state, vip: event.target.checked };
                renderEditor(false);
                editor.querySelector('.tpl-vip input')?.focus();
              },
            }),
            h('label', { for: vipId }, t('tpl.vip')),
          );

    const problems = h('div', { class: 'form-error', role: 'alert', hidden: true });
    const preview = h('div', { class: 'tpl-preview', 'aria-live': 'polite' });
    const showProblems = (list, intro) => {
      problems.replaceChildren(
        h('p', {}, intro),
        h(
          'ul',
          {},
          list.map((p) => h('li', {}, p)),
        ),
      );
      problems.hidden = false;
    };
    const hideProblems = () => {
      problems.hidden = true;
      problems.replaceChildren();
    };

    const previewButton = button(
      t('tpl.preview'),
      async () => {
        hideProblems();
        await busy(previewButton, async () => {
          try {
            const r = await api('POST', path('admin', 'templates', tpl.id, 'preview'), {
              locale,
              vip,
              override: draftOverride(builtIn, values(), tpl.channels),
            });
            if (!ctx.alive()) return;
            if (r.problems.length) {
              preview.replaceChildren();
              showProblems(r.problems, t('tpl.problems'));
            } else preview.replaceChildren(rendered(r.message));
          } catch (err) {
            preview.replaceChildren();
            showProblems([err.message], t('tpl.previewFailed'));
          }
        });
      },
      'btn',
    );

    const put = async (map) => {
      const saved = await api('PUT', '/admin/settings', { notifications: { templates: map } });
      adopt(saved);
      return saved;
    };
    const withKey = (override) => {
      const map = structuredClone(shared.settings.notifications.templates ?? {});
      const byLocale = { ...(map[key] ?? {}) };
      if (override && Object.keys(override).length) byLocale[locale] = override;
      else delete byLocale[locale];
      if (Object.keys(byLocale).length) map[key] = byLocale;
      else delete map[key];
      return map;
    };
    const refused = (err) => {
      if (err.status === 403) return showProblems([err.message], t('error.forbidden', { message: '' }));
      const list = Array.isArray(err.details?.templates) ? err.details.templates : [err.message];
      showProblems(list, t('tpl.refused'));
    };

    const saveButton = button(
      t('tpl.save'),
      async () => {
        hideProblems();
        await busy(saveButton, async () => {
          try {
            await put(withKey(draftOverride(builtIn, values(), tpl.channels)));
            drafts.delete(draftKey);
            flash(t('tpl.saved', { template: key, locale }));
            if (ctx.alive()) renderEditor(false);
          } catch (err) {
            refused(err);
          }
        });
        if (!manager) saveButton.disabled = true;
      },
      'btn btn-primary',
      manager ? {} : { disabled: true },
    );
    const resetButton = button(
      t('tpl.reset'),
      async () => {
        hideProblems();
        let done = false;
        await openDialog({
          title: t('tpl.resetTitle', { template: key, locale }),
          intro: t('tpl.resetConfirm'),
          fields: [],
          submitLabel: t('tpl.reset'),
          danger: true,
          onSubmit: async () => {
            try {
              // Only an unsaved draft: nothing to remove from the shop.
              if (ownHere) await put(withKey(undefined));
              done = true;
              drafts.delete(draftKey);
            } catch (err) {
              throw new Error(err.details?.templates?.join('; ') ?? err.message);
            }
          },
        });
        if (done && ctx.alive()) {
          flash(t('tpl.wasReset', { template: key, locale }));
          renderEditor(false);
        }
      },
      'btn btn-ghost',
      manager && (ownHere || kept) ? {} : { disabled: true },
    );

    const insertable = (name) =>
      manager
        ? button(
            `{{${name}}}`,
            () => {
              const target = lastFocused ?? Object.values(controls).at(-1);
              const token = `{{${name}}}`;
              target.focus();
              target.setRangeText(token, target.selectionStart, target.selectionEnd, 'end');
              target.dispatchEvent(new Event('input'));
            },
            'btn btn-small btn-var',
            { 'aria-label': t('tpl.insert', { name }), title: t('tpl.insert', { name }) },
          )
        : h('code', {}, `{{${name}}}`);

    const status = ownHere
      ? t(vip ? 'tpl.status.vip' : 'tpl.status.own')
      : vip && use.own
        ? t('tpl.status.vipFallback')
        : t('tpl.status.builtIn');

    editor.replaceChildren();
    append(editor, [
      h('h3', { id: headingId, tabindex: '-1', class: 'tpl-title' }, h('code', {}, tpl.id)),
      h('p', {}, tpl.description),
      h(
        'p',
        { class: 'meta' },
        `${label('templateKind', tpl.kind)} · ${tpl.channels.map((c) => label('channel', c)).join(', ')}`,
      ),
      h(
        'div',
        { class: 'tpl-switches' },
        localeRadios,
        vipBox ? h('div', { class: 'tpl-vip' }, vipBox) : null,
      ),
      h('p', { class: 'notice tpl-status' }, status),
      kept ? h('p', { class: 'hint tpl-draft' }, t('tpl.draft')) : null,
      manager ? null : h('p', { class: 'hint' }, t('tpl.readOnly')),
      h(
        'div',
        { class: 'stack', lang: locale },
        parts.map((p) =>
          field({
            label: t(`tpl.part.${p.key}`),
            control: controls[p.key],
            hint: p.key === 'sms' ? h('span', {}, t('tpl.smsHint'), ' ', smsCount) : undefined,
            optionalMark: false,
            wide: true,
          }),
        ),
      ),
      h(
        'details',
        { class: 'tpl-vars', open: true },
        h('summary', {}, t('tpl.variables', { count: tpl.variables.length })),
        manager ? h('p', { class: 'hint' }, t('tpl.insertHint')) : null,
        table({
          columns: [
            ['name', t('tpl.var.name')],
            ['type', t('tpl.var.type')],
            ['required', t('tpl.var.required')],
            ['example', t('tpl.var.example')],
            ['description', t('tpl.var.description')],
          ],
          rows: tpl.variables,
          cls: 'variables',
          cell: (v, col) => {
            if (col === 'name') return insertable(v.name);
            if (col === 'required')
              return v.required ? h('strong', {}, t('tpl.var.requiredYes')) : t('common.no');
            if (col === 'example') return h('span', { lang: locale }, v.example[locale] || t('common.none'));
            if (col === 'type') return h('code', {}, v.type);
            return v.description;
          },
        }),
      ),
      problems,
      h(
        'div',
        { class: 'buttons' },
        previewButton,
        saveButton,
        resetButton,
        manager ? null : h('span', { class: 'hint' }, t('common.managerOnly')),
      ),
      preview,
    ]);
    if (focus) editor.querySelector('h3')?.focus();
  };

  el.replaceChildren(
    h('p', { class: 'hint' }, t('tpl.intro')),
    h('div', { class: 'tpl-layout' }, listEl, editor),
  );
  shared.selectTemplate = (id) => {
    const found = items.get(id);
    if (found) select(found.tpl);
  };
}

/** The message the preview rendered: the email (HTML in a sandbox, and its text), the SMS, the chat alert. */
function rendered(message) {
  const out = [];
  if (message.email) {
    const frame = h('iframe', {
      class: 'email-frame',
      title: t('tpl.emailFrame'),
      // No scripts, forms or navigation; same origin only so this page can size it and restyle it.
      sandbox: 'allow-same-origin',
      referrerpolicy: 'no-referrer',
    });
    const { html, styles, sheets } = inert(message.email.html);
    frame.addEventListener('load', () => {
      const doc = frame.contentDocument;
      if (!doc) return;
      // The page's CSP (inherited by srcdoc) refuses style attributes; the CSSOM is allowed.
      for (const el of doc.querySelectorAll('[data-preview-style]')) {
        el.style.cssText = styles[Number(el.dataset.previewStyle)] ?? '';
        el.removeAttribute('data-preview-style');
      }
      if (sheets.length) {
        try {
          const sheet = new frame.contentWindow.CSSStyleSheet();
          sheet.replaceSync(sheets.join('\n'));
          doc.adoptedStyleSheets = [sheet];
        } catch {
          // The email's own <style> is then not shown: its inline styles and text still are.
        }
      }
      // A link would navigate the frame to an address the CSP refuses: it is shown, not followed.
      doc.addEventListener('click', (event) => {
        if (event.target.closest?.('a')) event.preventDefault();
      });
      frame.style.height = `${Math.min(Math.max(doc.documentElement.scrollHeight + 16, 160), 900)}px`;
    });
    frame.srcdoc = html;
    out.push(
      h('h4', {}, t('tpl.previewEmail')),
      h(
        'p',
        {},
        h('strong', {}, `${t('tpl.subject')}: `),
        h('span', { class: 'email-subject' }, message.email.subject),
      ),
      frame,
      h(
        'details',
        {},
        h('summary', {}, t('tpl.plainText')),
        h('pre', { class: 'email-text' }, message.email.text),
      ),
    );
  }
  if (message.sms) {
    out.push(
      h('h4', {}, t('tpl.previewSms')),
      h('p', { class: 'sms-bubble' }, message.sms.text),
      h(
        'p',
        { class: 'meta sms-meta' },
        t('tpl.segments', { count: message.sms.segments }),
        ' · ',
        t('tpl.characters', { count: [...message.sms.text].length }),
      ),
    );
  }
  if (message.chat) {
    out.push(
      h('h4', {}, t('tpl.previewChat')),
      h(
        'div',
        { class: 'chat-card' },
        h('p', {}, h('strong', {}, message.chat.title)),
        h('pre', {}, message.chat.text),
        message.chat.url ? h('p', { class: 'meta' }, message.chat.url) : null,
      ),
    );
  }
  return h('div', { class: 'stack' }, h('h3', {}, t('tpl.previewTitle')), out);
}

const ENTITIES = { '&quot;': '"', '&#39;': "'", '&apos;': "'", '&lt;': '<', '&gt;': '>', '&amp;': '&' };

/**
 * The email's HTML made inert for the preview: no scripts, frames, forms or handlers (the sandbox
 * would refuse them anyway, loudly), and its styles (attributes and <style>) set aside to be applied through the CSSOM once
 * it has loaded. Style attributes are taken out of the source before it is parsed: a DOMParser
 * document has this page's CSP, which refuses (and reports) every inline style it parses.
 */
function inert(source) {
  const styles = [];
  const sheets = [];
  const quiet = source
    .replace(/<style\b[^>]*>([\s\S]*?)<\/style>/gi, (_m, css) => {
      sheets.push(css);
      return '';
    })
    .replace(/(\s)style\s*=\s*(?:"([^"]*)"|'([^']*)')/gi, (_m, space, dq, sq) => {
      styles.push((dq ?? sq ?? '').replace(/&(?:quot|#39|apos|lt|gt|amp);/g, (e) => ENTITIES[e]));
      return `${space}data-preview-style="${styles.length - 1}"`;
    });
  const doc = new DOMParser().parseFromString(quiet, 'text/html');
  for (const el of doc.querySelectorAll('script, iframe, object, embed, form, base, meta, link, style'))
    el.remove();
  for (const el of doc.querySelectorAll('*')) {
    for (const attr of [...el.attributes]) {
      if (/^on/i.test(attr.name) || attr.name === 'style') el.removeAttribute(attr.name);
    }
  }
  return { html: `<!doctype html>${doc.documentElement.outerHTML}`, styles, sheets };
}
