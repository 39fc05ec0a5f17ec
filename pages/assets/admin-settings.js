import { api, isUnavailable } from './admin-api.js';
import { isManager } from './admin-auth.js';
import { busy, button, field, h, input, section, select, table } from './admin-dom.js';
import { label, moneyInput, number, t } from './admin-i18n.js';
import { notificationsForm } from './admin-notifications.js';
import { loadTemplates } from './admin-templates.js';
import { flash, openDialog } from './admin-ui.js';

/*
 * Settings: the shop's policy as JSON (GET /admin/policy) with a dry run of a draft against the
 * shop's recent cases (POST /admin/policy/dry-run) before a manager publishes it (PUT
 * /admin/policy); and the shop's settings (GET/PUT /admin/settings), which managers change:
 * the shop itself, its notifications (admin-notifications.js) and its own templates
 * (admin-templates.js). The settings are read once and shared, and each save hands the answer on.
 */

const OUTCOMES = ['approve', 'review', 'reject', 'refused'];

export function renderSettings(ctx) {
  ctx.setTitle(t('settings.title'));
  const policy = h('div', { 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  const shop = h('div', { 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  const notifications = h('div', { 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  const templates = h('div', { 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  ctx.view.replaceChildren(
    h('h1', { tabindex: '-1' }, t('settings.title')),
    section(t('settings.policy'), policy),
    section(t('settings.shop'), shop),
    section(t('settings.notifications'), notifications),
    section(t('settings.templates'), templates),
  );
  loadPolicy(ctx, policy);
  const shared = { manager: isManager(), failure, settings: undefined };
  api('GET', '/admin/settings').then(
    (settings) => {
      if (!ctx.alive()) return;
      shared.settings = settings;
      loadShop(ctx, shop, settings, shared);
      notifications.removeAttribute('aria-busy');
      notifications.replaceChildren(
        notificationsForm({
          settings,
          manager: shared.manager,
          onSaved: (saved) => {
            shared.settings = saved;
          },
        }),
      );
      loadTemplates(ctx, templates, shared);
    },
    (err) => {
      if (!ctx.alive()) return;
      for (const el of [shop, notifications, templates]) failure(el, err);
    },
  );
}

function failure(el, err) {
  el.removeAttribute('aria-busy');
  el.replaceChildren(
    h(
      'p',
      { class: 'form-error' },
      isUnavailable(err)
        ? t('common.unavailable', { status: err.status, message: err.message })
        : err.message,
    ),
  );
}

/** The API's list of what is wrong with a draft (400 invalid_request, details = zod issues). */
function issues(err) {
  const list = Array.isArray(err.details) ? err.details : [];
  return h(
    'div',
    {},
    h('p', {}, `${t('settings.invalid')} ${err.message}`),
    list.length
      ? h(
          'ul',
          {},
          list.map((i) =>
            h(
              'li',
              {},
              h('code', {}, Array.isArray(i.path) ? i.path.join('.') || '(root)' : String(i.path ?? '')),
              ` ${i.message ?? ''}`,
            ),
          ),
        )
      : null,
  );
}

async function loadPolicy(ctx, el) {
  let current;
  try {
    current = await api('GET', '/admin/policy');
  } catch (err) {
    if (ctx.alive()) failure(el, err);
    return;
  }
  if (!ctx.alive()) return;
  el.removeAttribute('aria-busy');
  const manager = isManager();
  const text = h('textarea', {
    class: 'mono policy',
    rows: '22',
    spellcheck: 'false',
    autocapitalize: 'off',
    name: 'policy',
    value: JSON.stringify(current.policy, null, 2),
  });
  const jsonField = field({ label: t('settings.policyJson'), control: text, required: true, wide: true });
  const days = input({
    type: 'number',
    min: '1',
    max: '365',
    step: '1',
    value: '30',
    name: 'days',
    class: 'short',
  });
  const daysField = field({ label: t('settings.days'), control: days, required: true });
  const report = h('div', { class: 'dry-report', 'aria-live': 'polite' });
  const problem = h('div', { class: 'form-error', role: 'alert', hidden: true });
  const showProblem = (content) => {
    problem.replaceChildren(...(content ? [content] : []));
    problem.hidden = !content;
  };

  const draft = () => {
    jsonField.setError('');
    showProblem(null);
    try {
      return { ok: true, value: JSON.parse(text.value) };
    } catch (err) {
      jsonField.setError(t('error.json', { message: err.message }));
      text.focus();
      return { ok: false };
    }
  };

  const dryRun = button(
    t('settings.dryRun'),
    async () => {
      const d = draft();
      if (!d.ok) return;
      const n = Number(days.value);
      if (!Number.isInteger(n) || n < 1 || n > 365) {
        daysField.setError(t('error.number'));
        return days.focus();
      }
      daysField.setError('');
      await busy(dryRun, async () => {
        try {
          const r = await api('POST', '/admin/policy/dry-run', { policy: d.value, days: n });
          if (ctx.alive()) report.replaceChildren(dryRunReport(r));
        } catch (err) {
          report.replaceChildren();
          showProblem(err.code === 'invalid_request' ? issues(err) : h('p', {}, err.message));
        }
      });
    },
    'btn btn-primary',
  );

  const publish = button(
    t('settings.publish'),
    async () => {
      const d = draft();
      if (!d.ok) return;
      let published = false;
      await openDialog({
        title: t('settings.publishTitle'),
        intro: t('settings.publishConfirm'),
        fields: [],
        submitLabel: t('settings.publish'),
        onSubmit: async () => {
          try {
            const r = await api('PUT', '/admin/policy', d.value);
            published = true;
            flash(t('settings.published', { version: r.version }));
          } catch (err) {
            if (err.code === 'invalid_request') {
              showProblem(issues(err));
              return;
            }
            throw new Error(
              err.status === 403 ? t('error.forbidden', { message: err.message }) : err.message,
            );
          }
        },
      });
      if (ctx.alive() && published) loadPolicy(ctx, el);
    },
    'btn',
    manager ? {} : { disabled: true, 'aria-describedby': 'publish-hint' },
  );
  const revert = button(
    t('settings.revert'),
    () => {
      text.value = JSON.stringify(current.policy, null, 2);
      showProblem(null);
      jsonField.setError('');
    },
    'btn btn-ghost',
  );

  el.replaceChildren(
    h(
      'p',
      { class: 'meta' },
      t('settings.policyMeta', { version: current.version }),
      current.isDefault ? ` · ${t('settings.policyDefault')}` : '',
    ),
    jsonField,
    daysField,
    problem,
    h(
      'div',
      { class: 'buttons' },
      dryRun,
      publish,
      revert,
      manager ? null : h('span', { class: 'hint', id: 'publish-hint' }, t('common.managerOnly')),
    ),
    report,
  );
}

function dryRunReport(r) {
  const rows = OUTCOMES.map((o) => ({ outcome: o, current: r.current[o], draft: r.draft[o] }));
  const signed = (n) => (n > 0 ? `+${number(n)}` : number(n));
  return h(
    'div',
    { class: 'stack' },
    h('h3', {}, t('dry.title')),
    h('p', {}, t('dry.summary', { samples: r.samples, evaluated: r.evaluated, changed: r.changed })),
    table({
      columns: [
        ['outcome', t('dry.outcome')],
        ['current', t('dry.current', { version: r.currentVersion })],
        ['draft', t('dry.draft')],
        ['difference', t('dry.difference')],
      ],
      rows,
      cls: 'outcomes',
      cell: (row, key) => {
        if (key === 'outcome') return label('outcome', row.outcome);
        if (key === 'difference') return signed(row.draft - row.current);
        return number(row[key]);
      },
    }),
    r.transitions.length
      ? [
          h('h4', {}, t('dry.transitions')),
          h(
            'ul',
            {},
            r.transitions.map((tr) =>
              h('li', {}, `${label('outcome', tr.from)} → ${label('outcome', tr.to)}: ${number(tr.count)}`),
            ),
          ),
        ]
      : null,
    Object.keys(r.byDraftRule).length
      ? table({
          caption: t('dry.byRule'),
          columns: [
            ['rule', t('dry.rule')],
            ['count', t('dry.count')],
          ],
          rows: Object.entries(r.byDraftRule).map(([rule, count]) => ({ rule, count })),
          cell: (row, key) => (key === 'rule' ? h('code', {}, row.rule) : number(row.count)),
        })
      : null,
    r.changes.length
      ? table({
          caption: t('dry.changes'),
          columns: [
            ['caseId', t('dry.case')],
            ['from', t('dry.from')],
            ['to', t('dry.to')],
            ['currentRule', t('dry.currentRule')],
            ['draftRule', t('dry.draftRule')],
            ['codesAdded', t('dry.codesAdded')],
            ['codesRemoved', t('dry.codesRemoved')],
          ],
          rows: r.changes,
          cell: (row, key) => {
            if (key === 'caseId')
              return h('a', { href: `#/case/${encodeURIComponent(row.caseId)}` }, row.caseId.slice(0, 8));
            if (key === 'from' || key === 'to') return label('outcome', row[key]);
            if (key === 'codesAdded' || key === 'codesRemoved')
              return row[key].join(', ') || t('common.none');
            return row[key] ? h('code', {}, row[key]) : t('common.none');
          },
        })
      : h('p', { class: 'muted' }, t('dry.noChange')),
    r.skipped.length
      ? [
          h('h4', {}, t('dry.skipped')),
          h(
            'ul',
            {},
            r.skipped.map((s) => h('li', {}, h('code', {}, s.caseId), ` ${s.error}`)),
          ),
        ]
      : null,
  );
}

const ADDRESS = [
  'name',
  'phone',
  'country',
  'province',
  'city',
  'district',
  'address1',
  'address2',
  'postalCode',
];

function loadShop(_ctx, el, s, shared) {
  el.removeAttribute('aria-busy');
  const manager = isManager();
  const text = (name, value, props = {}) => input({ name, value: value ?? '', ...props });
  const count = (name, value) =>
    input({
      name,
      type: 'number',
      min: '0',
      step: '1',
      inputmode: 'numeric',
      value: String(value ?? 0),
      class: 'short',
    });
  const c = {
    name: text('name', s.name),
    timezone: text('timezone', s.timezone, { autocapitalize: 'off', spellcheck: 'false' }),
    locale: select(
      [
        ['zh-CN', '中文 (zh-CN)'],
        ['en', 'English (en)'],
      ],
      { name: 'locale', value: s.locale },
    ),
    defaultRegion: text('defaultRegion', s.defaultRegion, { maxlength: '2', class: 'short' }),
    stallHours: count('stallHours', s.tracking.stallHours),
    pendingHours: count('pendingHours', s.tracking.pendingHours),
    stallRemedy: select(
      ['none', 'reship', 'refund'].map((r) => [r, t(`remedy.${r}`)]),
      { name: 'stallRemedy', value: s.tracking.stallRemedy },
    ),
    staffApprovalLimit: count('staffApprovalLimit', s.cases.staffApprovalLimit),
    shipWithinDays: count('shipWithinDays', s.cases.shipWithinDays),
    refundWithinDays: count('refundWithinDays', s.cases.refundWithinDays),
    firstResponseHours: count('firstResponseHours', s.cases.firstResponseHours),
    returnInstructions: h('textarea', {
      name: 'returnInstructions',
      rows: '3',
      value: s.cases.returnInstructions ?? '',
    }),
  };
  const address = Object.fromEntries(
    ADDRESS.map((k) => [k, text(`address-${k}`, s.cases.returnAddress?.[k])]),
  );
  const limitHint = h('span');
  const showLimit = () => {
    const v = Number(c.staffApprovalLimit.value);
    limitHint.textContent = Number.isInteger(v)
      ? t('settings.staffApprovalLimitHint', { amount: moneyInput(v, 'CNY') })
      : '';
  };
  c.staffApprovalLimit.addEventListener('input', showLimit);
  showLimit();

  const f = (key, labelKey, hint, extra = {}) => {
    const wrap = field({ label: t(labelKey), control: c[key], hint, optionalMark: false, ...extra });
    wraps[key] = wrap;
    return wrap;
  };
  const wraps = {};
  const fieldset = h(
    'fieldset',
    { class: 'settings-form', disabled: !manager },
    h('legend', { class: 'sr-only' }, t('settings.shop')),
    h(
      'div',
      { class: 'form-grid' },
      f('name', 'settings.name'),
      f('timezone', 'settings.timezone'),
      f('locale', 'settings.locale'),
      f('defaultRegion', 'settings.defaultRegion'),
    ),
    h('h3', {}, t('settings.tracking')),
    h(
      'div',
      { class: 'form-grid' },
      f('stallHours', 'settings.stallHours'),
      f('pendingHours', 'settings.pendingHours'),
      f('stallRemedy', 'settings.stallRemedy'),
    ),
    h('h3', {}, t('settings.cases')),
    h(
      'div',
      { class: 'form-grid' },
      f('staffApprovalLimit', 'settings.staffApprovalLimit', limitHint),
      f('shipWithinDays', 'settings.shipWithinDays'),
      f('refundWithinDays', 'settings.refundWithinDays'),
      f('firstResponseHours', 'settings.firstResponseHours'),
    ),
    f('returnInstructions', 'settings.returnInstructions', undefined, { wide: true, optionalMark: true }),
    h('h3', {}, t('settings.returnAddress')),
    h(
      'div',
      { class: 'form-grid' },
      ADDRESS.map((k) => field({ label: t(`address.${k}`), control: address[k] })),
    ),
  );
  const save = h(
    'button',
    { type: 'submit', class: 'btn btn-primary', disabled: !manager },
    t('common.save'),
  );
  const form = h(
    'form',
    { class: 'stack', novalidate: true },
    manager ? null : h('p', { class: 'notice' }, t('settings.managerOnly')),
    fieldset,
    h('div', { class: 'buttons' }, save),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const counts = [
      'stallHours',
      'pendingHours',
      'staffApprovalLimit',
      'shipWithinDays',
      'refundWithinDays',
      'firstResponseHours',
    ];
    let bad;
    for (const key of counts) {
      const ok = /^\d+$/.test(c[key].value.trim());
      wraps[key].setError(ok ? '' : t('error.number'));
      if (!ok) bad ??= c[key];
    }
    if (bad) return bad.focus();
    const n = (key) => Number(c[key].value.trim());
    const returnAddress = Object.fromEntries(
      ADDRESS.map((k) => [k, address[k].value.trim()]).filter(([, v]) => v),
    );
    const body = {
      ...(c.name.value.trim() && { name: c.name.value.trim() }),
      timezone: c.timezone.value.trim(),
      locale: c.locale.value,
      ...(c.defaultRegion.value.trim() && { defaultRegion: c.defaultRegion.value.trim().toUpperCase() }),
      tracking: {
        stallHours: n('stallHours'),
        pendingHours: n('pendingHours'),
        stallRemedy: c.stallRemedy.value,
      },
      cases: {
        staffApprovalLimit: n('staffApprovalLimit'),
        shipWithinDays: n('shipWithinDays'),
        refundWithinDays: n('refundWithinDays'),
        firstResponseHours: n('firstResponseHours'),
        ...(c.returnInstructions.value.trim() && { returnInstructions: c.returnInstructions.value.trim() }),
        ...(Object.keys(returnAddress).length && { returnAddress }),
      },
    };
    await busy(save, async () => {
      try {
        shared.settings = await api('PUT', '/admin/settings', body);
        flash(t('settings.saved'));
      } catch (err) {
        flash(
          err.status === 403
            ? t('error.forbidden', { message: err.message })
            : err.code === 'invalid_request'
              ? `${err.message} ${(Array.isArray(err.details) ? err.details : []).map((i) => `${(i.path ?? []).join('.')}: ${i.message}`).join('; ')}`
              : err.message,
          'error',
        );
      }
    });
    if (!manager) save.disabled = true;
  });
  el.replaceChildren(form);
}
