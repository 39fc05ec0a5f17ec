import { actionForm, caseName, decide, explain } from './admin-actions.js';
import { api } from './admin-api.js';
import { currentUser } from './admin-auth.js';
import { badge, busy, button, field, h, input, select, srOnly } from './admin-dom.js';
import { age, dateTime, label, money, t } from './admin-i18n.js';
import { flash, openDialog } from './admin-ui.js';

/*
 * The review queue: GET /admin/cases with the filters (oldest first, `next` for more), one row per
 * case with approve and reject right there. A decision updates its row in place (the new status,
 * a link to the case) so the clerk sees what it did; a conflict reloads the row.
 */

export const STATUSES = [
  'pending_review',
  'requested',
  'approved',
  'awaiting_return',
  'return_in_transit',
  'return_received',
  'inspected',
  'refunded',
  'replacement_shipped',
  'resolved',
  'rejected',
  'cancelled',
  'closed',
];
export const TYPES = ['return_refund', 'exchange', 'refund_only', 'reship', 'repair', 'complaint'];
export const REASONS = [
  'defective',
  'not_as_described',
  'wrong_item',
  'damaged_in_transit',
  'missing_item',
  'size_too_small',
  'size_too_large',
  'changed_mind',
  'other',
  'delivery_refused',
  'parcel_lost',
  'parcel_damaged',
  'returned_to_sender',
  'shipment_stalled',
  'no_tracking_info',
  'tracking_stopped',
];

const PAGE = 50;

/** The one-click decisions of a row: what a case waiting for review can be told. */
function rowActions(c) {
  if (c.status !== 'pending_review' && c.status !== 'requested') return [];
  return c.type === 'complaint' ? ['acknowledge', 'reject'] : ['approve', 'reject'];
}

export function renderQueue(ctx) {
  const p = ctx.params;
  const filters = {
    status: p.get('status') || 'pending_review',
    type: p.get('type') || '',
    reason: p.get('reason') || '',
    assignee: p.get('assignee') || '',
    sla: p.get('sla') === 'breached' ? 'breached' : '',
    olderThanHours: /^\d+$/.test(p.get('olderThanHours') ?? '') ? p.get('olderThanHours') : '',
  };
  ctx.setTitle(t('queue.title'));

  const statusSel = select(
    STATUSES.map((s) => [s, label('status', s)]),
    { name: 'status', value: filters.status },
  );
  const typeSel = select([['', t('common.any')], ...TYPES.map((s) => [s, label('type', s)])], {
    name: 'type',
    value: filters.type,
  });
  const reasonSel = select([['', t('common.any')], ...REASONS.map((s) => [s, label('reason', s)])], {
    name: 'reason',
    value: filters.reason,
  });
  const assignee = input({ name: 'assignee', value: filters.assignee, autocomplete: 'off' });
  const older = input({
    name: 'olderThanHours',
    type: 'number',
    min: '0',
    max: '8760',
    step: '1',
    inputmode: 'numeric',
    value: filters.olderThanHours,
  });
  const sla = h('input', { type: 'checkbox', name: 'sla', id: 'f-sla', checked: filters.sla === 'breached' });
  const form = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': t('queue.filters') },
    h(
      'div',
      { class: 'filter-grid' },
      field({ label: t('queue.status'), control: statusSel, optionalMark: false }),
      field({ label: t('queue.type'), control: typeSel, optionalMark: false }),
      field({ label: t('queue.reason'), control: reasonSel, optionalMark: false }),
      field({ label: t('queue.assignee'), control: assignee, hint: t('queue.assigneeHint') }),
      field({ label: t('queue.olderThan'), control: older }),
      h('div', { class: 'field checkbox' }, sla, h('label', { for: 'f-sla' }, t('queue.slaBreached'))),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('queue.apply')),
      button(t('queue.reset'), () => ctx.navigate('#/queue'), 'btn btn-ghost'),
      button(t('common.refresh'), () => ctx.rerender(), 'btn btn-ghost'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const q = new URLSearchParams();
    if (statusSel.value) q.set('status', statusSel.value);
    if (typeSel.value) q.set('type', typeSel.value);
    if (reasonSel.value) q.set('reason', reasonSel.value);
    if (assignee.value.trim()) q.set('assignee', assignee.value.trim());
    if (sla.checked) q.set('sla', 'breached');
    if (/^\d+$/.test(older.value)) q.set('olderThanHours', older.value);
    ctx.navigate(`#/queue?${q}`);
  });

  const results = h('div', { class: 'results', 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  ctx.view.replaceChildren(h('h1', { tabindex: '-1' }, t('queue.title')), form, results);

  const rows = [];
  let tbody;
  let caption;
  let more;

  const query = (cursor) => ({
    status: filters.status,
    type: filters.type,
    reason: filters.reason,
    assignee: filters.assignee,
    sla: filters.sla,
    olderThanHours: filters.olderThanHours,
    limit: PAGE,
    cursor,
  });

  const load = async (cursor) => {
    const page = await api('GET', '/admin/cases', undefined, query(cursor));
    if (!ctx.alive()) return;
    if (!tbody) {
      tbody = h('tbody');
      caption = h('caption');
      results.replaceChildren(
        h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            { class: 'data queue' },
            caption,
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                columns().map(([, heading]) => h('th', { scope: 'col' }, heading)),
              ),
            ),
            tbody,
          ),
        ),
      );
    }
    for (const c of page.cases) {
      const row = { c };
      row.tr = rowFor(ctx, row);
      rows.push(row);
      tbody.append(row.tr);
    }
    caption.textContent = t('queue.caption', { count: rows.length });
    more?.remove();
    if (page.next) {
      more = button(
        t('common.loadMore'),
        (event) =>
          busy(event.currentTarget, () => load(page.next).catch((err) => flash(err.message, 'error'))),
        'btn',
      );
      results.append(h('div', { class: 'buttons' }, more));
    }
    if (!rows.length) results.replaceChildren(h('p', { class: 'empty' }, t('queue.empty')));
    results.removeAttribute('aria-busy');
  };
  load().catch((err) => {
    if (!ctx.alive()) return;
    results.removeAttribute('aria-busy');
    results.replaceChildren(h('p', { class: 'form-error' }, err.message));
  });
}

function columns() {
  return [
    ['case', t('queue.col.case')],
    ['type', t('queue.col.type')],
    ['status', t('queue.col.status')],
    ['order', t('queue.col.order')],
    ['requested', t('queue.col.requested')],
    ['amount', t('queue.col.amount')],
    ['assignee', t('queue.col.assignee')],
    ['sla', t('queue.col.sla')],
    ['decide', t('queue.col.decide')],
  ];
}

function rowFor(ctx, row) {
  const { c } = row;
  const link = h('a', { href: `#/case/${encodeURIComponent(c.caseId)}`, class: 'case-link' }, caseName(c));
  const decideCell = h('div', { class: 'row-actions' });
  const actions = rowActions(c);
  const buttons = actions.map((action) =>
    h(
      'button',
      {
        type: 'button',
        class: ['btn', 'btn-small', action === 'reject' ? 'btn-danger' : 'btn-primary'],
        dataset: { action },
      },
      label('action', action),
      srOnly(` ${caseName(c)}`),
    ),
  );
  for (const b of buttons) {
    b.addEventListener('click', () => act(ctx, row, b.dataset.action, buttons));
    decideCell.append(b);
  }
  if (!actions.length) decideCell.append(h('a', { href: link.getAttribute('href') }, t('common.open')));
  const cells = {
    case: link,
    type: label('type', c.type),
    status: badge('status', c.status),
    order: c.orderId
      ? h(
          'a',
          {
            href: `#/lookup?order=${encodeURIComponent(c.orderId)}${c.orderProvider ? `&provider=${encodeURIComponent(c.orderProvider)}` : ''}`,
          },
          c.orderId,
        )
      : t('common.none'),
    requested: h('time', { datetime: c.requestedAt, title: dateTime(c.requestedAt) }, age(c.requestedAt)),
    amount: money(c.amount, c.currency),
    assignee: c.assignee ?? h('span', { class: 'muted' }, t('queue.unassigned')),
    sla: c.slaBreached
      ? h('span', { class: 'badge badge-sla is-breached' }, t('sla.breached'))
      : h('span', { class: 'badge badge-sla is-ok' }, t('sla.ok')),
    decide: decideCell,
  };
  return h(
    'tr',
    { dataset: { caseId: c.caseId } },
    columns().map(([key, heading]) =>
      h(
        key === 'case' ? 'th' : 'td',
        { 'data-label': heading, ...(key === 'case' && { scope: 'row' }) },
        cells[key],
      ),
    ),
  );
}

function replaceRow(ctx, row, c) {
  row.c = c;
  const fresh = rowFor(ctx, row);
  row.tr.replaceWith(fresh);
  row.tr = fresh;
}

/** The case as a queue row, from the case page's answer. */
function summaryOf(detail, previous) {
  const c = detail.case;
  return {
    ...previous,
    caseId: c.caseId,
    number: c.number,
    type: c.type,
    status: c.status,
    orderId: c.orderId,
    orderProvider: c.orderProvider,
    requestedAt: c.requestedAt,
    amount: c.amount,
    currency: c.currency,
    assignee: c.assignee,
    slaBreached: c.slaBreaches.length > 0,
    version: c.version,
    updatedAt: c.updatedAt,
  };
}

async function act(ctx, row, action, buttons) {
  const c = row.c;
  const done = (detail) => {
    replaceRow(ctx, row, summaryOf(detail, c));
    row.tr.querySelector('.case-link')?.focus();
  };
  const reload = async () => {
    try {
      const detail = await api('GET', `/admin/cases/${encodeURIComponent(c.caseId)}`);
      if (ctx.alive()) replaceRow(ctx, row, summaryOf(detail, c));
      row.tr.querySelector('.case-link')?.focus();
    } catch {
      // The message about the conflict is already shown; the row stays as it was.
    }
  };
  if (action === 'reject') {
    let outcome;
    await openDialog({
      ...actionForm(c, 'reject', currentUser()?.sub),
      onSubmit: async (values) => {
        try {
          outcome = { detail: await decide(c, 'reject', values), values };
        } catch (err) {
          const { message, reload: again } = explain(err, c);
          if (!again) throw new Error(message);
          outcome = { conflict: message };
        }
      },
    });
    // The dialog has closed and handed focus back; now the row changes and focus moves to it.
    if (outcome?.detail) {
      flash(
        t('queue.rejected', { case: caseName(c), reason: t(`rejectReason.${outcome.values.reasonCode}`) }),
      );
      done(outcome.detail);
    } else if (outcome?.conflict) {
      flash(outcome.conflict, 'error');
      await reload();
    }
    return;
  }
  await busy(buttons, async () => {
    try {
      const detail = await decide(c, action);
      flash(t(`queue.done.${action}`, { case: caseName(c), status: label('status', detail.case.status) }));
      done(detail);
    } catch (err) {
      const { message, reload: again } = explain(err, c);
      flash(message, 'error');
      if (again) await reload();
    }
  });
}
