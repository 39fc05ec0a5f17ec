import { actionForm, caseName, DANGER, decide, explain, staffActions } from './admin-actions.js';
import { api } from './admin-api.js';
import { currentUser } from './admin-auth.js';
import { badge, busy, button, dl, field, h, section, showValue, table } from './admin-dom.js';
import { dateTime, label, money, t } from './admin-i18n.js';
import { noticesTable, shipmentBlock, time } from './admin-render.js';
import { flash, openDialog } from './admin-ui.js';

/*
 * The case page: GET /admin/cases/{caseId} (CaseDetailView). Everything about the case (its lines,
 * the policy's decision and trace, the trail, notices, parcels, outbound events, notes) and a
 * button for every staff action it allows now. After a decision the page shows the answer of the
 * POST (the case as it is now) and looks again a little later for the notices and events that
 * the decision planned (they are recorded through a queue, within a few seconds).
 */

export function renderCase(ctx) {
  const caseId = ctx.arg;
  const heading = h('h1', { tabindex: '-1' }, t('case.loading'));
  const body = h('div', { class: 'case-body', 'aria-busy': 'true' });
  ctx.setTitle(t('case.loading'));
  ctx.view.replaceChildren(
    h('p', { class: 'crumbs' }, h('a', { href: '#/queue' }, `← ${t('common.back')}`)),
    heading,
    body,
  );

  let detail;
  let later = [];
  const get = () => api('GET', `/admin/cases/${encodeURIComponent(caseId)}`);

  const paint = (next) => {
    detail = next;
    const c = next.case;
    heading.textContent = t('case.title', { number: caseName(c) });
    ctx.setTitle(heading.textContent);
    body.replaceChildren(...page(next, { act, addNote, refresh }));
    body.removeAttribute('aria-busy');
  };

  const refresh = async (btn) => {
    const work = async () => {
      try {
        const next = await get();
        if (ctx.alive()) paint(next);
      } catch (err) {
        flash(err.message, 'error');
      }
    };
    return btn ? busy(btn, work) : work();
  };

  /** Notices and outbound events come a moment after a decision: look again, without disturbing a form. */
  const followUp = () => {
    for (const timer of later) clearTimeout(timer);
    later = [1500, 4000].map((ms) =>
      setTimeout(async () => {
        if (!ctx.alive() || document.querySelector('dialog[open]')) return;
        try {
          const next = await get();
          if (!ctx.alive() || next.case.version !== detail.case.version) return;
          detail = next;
          for (const [key, build] of Object.entries(LIVE_SECTIONS)) {
            body.querySelector(`[data-section="${key}"]`)?.replaceWith(build(next));
          }
        } catch {
          // The clerk can press Refresh.
        }
      }, ms),
    );
  };

  const act = async (action) => {
    const c = detail.case;
    let outcome;
    await openDialog({
      ...actionForm(c, action, currentUser()?.sub),
      onSubmit: async (values) => {
        try {
          outcome = { detail: await decide(c, action, values) };
        } catch (err) {
          const { message, reload } = explain(err, c);
          if (!reload) throw new Error(message);
          outcome = { conflict: message };
        }
      },
    });
    if (!ctx.alive()) return;
    if (outcome?.detail) {
      paint(outcome.detail);
      flash(
        t('case.done', {
          case: caseName(c),
          action: label('action', action),
          status: label('status', outcome.detail.case.status),
        }),
      );
      heading.focus();
      followUp();
    } else if (outcome?.conflict) {
      flash(outcome.conflict, 'error');
      await refresh();
      heading.focus();
    }
  };

  const addNote = async (text, btn) => {
    await busy(btn, async () => {
      try {
        const next = await decide(detail.case, 'note', { text });
        if (!ctx.alive()) return;
        paint(next);
        flash(t('case.noteAdded'));
        body.querySelector('textarea[name="note-text"]')?.focus();
      } catch (err) {
        flash(explain(err, detail.case).message, 'error');
      }
    });
  };

  get()
    .then((next) => ctx.alive() && paint(next))
    .catch((err) => {
      if (!ctx.alive()) return;
      heading.textContent = err.status === 404 ? t('case.notFound') : err.message;
      body.removeAttribute('aria-busy');
    });
}

function page(detail, handlers) {
  const c = detail.case;
  return [
    h(
      'div',
      { class: 'case-head' },
      h(
        'p',
        { class: 'subtitle' },
        badge('status', c.status),
        ' ',
        h('span', { class: 'type' }, label('type', c.type)),
        ' ',
        c.slaBreaches.length ? h('span', { class: 'badge badge-sla is-breached' }, t('sla.breached')) : null,
      ),
      button(t('common.refresh'), (event) => handlers.refresh(event.currentTarget), 'btn btn-ghost'),
    ),
    actionsSection(c, handlers.act),
    h(
      'div',
      { class: 'grid' },
      detailsSection(c),
      policySection(c),
      timelineSection(c),
      notesSection(c, handlers.addNote),
      LIVE_SECTIONS.notices(detail),
      LIVE_SECTIONS.parcels(detail),
      LIVE_SECTIONS.outbound(detail),
    ),
  ];
}

function actionsSection(c, act) {
  const actions = staffActions(c.allowedActions);
  return section(
    t('case.actions'),
    actions.length
      ? h(
          'div',
          { class: 'buttons actions' },
          actions.map((a) =>
            button(
              label('action', a),
              () => act(a),
              ['btn', DANGER.has(a) ? 'btn-danger' : 'btn-primary'].join(' '),
              {
                dataset: { action: a },
              },
            ),
          ),
        )
      : h('p', { class: 'muted' }, t('case.noActions')),
  );
}

function detailsSection(c) {
  const left = c.marketplace;
  return section(
    t('case.details'),
    dl([
      [t('queue.col.type'), label('type', c.type)],
      [t('queue.col.status'), label('status', c.status)],
      [t('case.origin'), label('origin', c.origin)],
      [
        t('case.order'),
        c.orderId
          ? h(
              'a',
              {
                href: `#/lookup?order=${encodeURIComponent(c.orderId)}${c.orderProvider ? `&provider=${encodeURIComponent(c.orderProvider)}` : ''}`,
              },
              `${c.orderId}${c.orderProvider ? ` (${c.orderProvider})` : ''}`,
            )
          : undefined,
      ],
      [t('case.customer'), c.customerId],
      [t('queue.reason'), c.reasonCode ? label('reason', c.reasonCode) : undefined],
      [t('case.reasonText'), c.reason],
      [t('case.amount'), typeof c.amount === 'number' ? money(c.amount, c.currency) : undefined],
      [t('case.refunded'), c.refundedTotal ? money(c.refundedTotal, c.currency) : undefined],
      [t('case.resolution'), c.resolution ? t(`method.${c.resolution}`) : undefined],
      [t('case.proposedRemedy'), c.proposedRemedy !== 'none' ? label('remedy', c.proposedRemedy) : undefined],
      [t('case.requestedAt'), time(c.requestedAt)],
      [t('case.approvedAt'), c.approvedAt ? time(c.approvedAt) : undefined],
      [t('case.returnBy'), c.returnBy ? time(c.returnBy) : undefined],
      [t('case.receivedAt'), c.receivedAt ? time(c.receivedAt) : undefined],
      [t('case.refundDueBy'), c.refundDueBy ? time(c.refundDueBy) : undefined],
      [t('case.complaintStep'), c.complaintStep ? label('complaintStep', c.complaintStep) : undefined],
      [t('case.firstResponseDueBy'), c.firstResponseDueBy ? time(c.firstResponseDueBy) : undefined],
      [t('case.assignee'), c.assignee ?? h('span', { class: 'muted' }, t('queue.unassigned'))],
      [t('case.closedAt'), c.closedAt ? time(c.closedAt) : undefined],
      [
        t('case.slaBreaches'),
        c.slaBreaches.length
          ? c.slaBreaches.map((b) => `${label('sla', b.sla)} ${dateTime(b.at)}`).join('; ')
          : undefined,
      ],
      [t('common.version'), String(c.version)],
      [t('common.updated'), time(c.updatedAt)],
    ]),
    h('h3', {}, t('case.lines')),
    table({
      columns: [
        ['lineId', t('case.line')],
        ['quantity', t('case.quantity')],
        ['reason', t('queue.reason')],
        ['note', t('case.lineNote')],
        ['exchangeFor', t('case.exchangeFor')],
      ],
      rows: c.lines,
      cell: (line, key) => {
        if (key === 'reason') return line.reason ? label('reason', line.reason) : t('common.none');
        if (key === 'exchangeFor')
          return line.exchangeFor
            ? [line.exchangeFor.variantId, line.exchangeFor.sku].filter(Boolean).join(' · ')
            : t('common.none');
        return line[key] ?? t('common.none');
      },
    }),
    c.photos?.length
      ? [
          h('h3', {}, t('case.photos')),
          h(
            'ul',
            { class: 'photos' },
            c.photos
              .filter((u) => /^https?:\/\//.test(u))
              .map((u, i) =>
                h(
                  'li',
                  {},
                  h(
                    'a',
                    { href: u, rel: 'noopener noreferrer', target: '_blank' },
                    t('case.photo', { n: i + 1 }),
                  ),
                ),
              ),
          ),
        ]
      : null,
    left
      ? [
          h('h3', {}, t('case.marketplace')),
          h(
            'p',
            {},
            t('case.marketplaceLine', {
              provider: left.provider,
              id: left.requestId,
              status: label('status', left.status),
              providerStatus: left.providerStatus ?? t('common.none'),
            }),
          ),
        ]
      : null,
    c.inspection
      ? [
          h('h3', {}, t('case.inspection')),
          h(
            'p',
            {},
            t('case.inspectionLine', {
              result: c.inspection.passed ? t('case.inspectionPassed') : t('case.inspectionFailed'),
              by: c.inspection.by,
              at: dateTime(c.inspection.at),
            }),
          ),
          c.inspection.note ? h('p', { class: 'quote' }, c.inspection.note) : null,
          typeof c.inspection.refundAmount === 'number'
            ? h(
                'p',
                {},
                `${t('form.refundAmount', { currency: c.currency ?? '' })}: ${money(c.inspection.refundAmount, c.currency)}`,
              )
            : null,
        ]
      : null,
    c.refunds.length
      ? [
          h('h3', {}, t('case.refunds')),
          h(
            'ul',
            {},
            c.refunds.map((r) =>
              h(
                'li',
                {},
                t('case.refundLine', {
                  amount: money(r.amount, r.currency),
                  method: r.method ? t(`method.${r.method}`) : t('common.none'),
                  reference: r.reference,
                  by: r.by,
                  at: dateTime(r.at),
                }),
              ),
            ),
          ),
        ]
      : null,
  );
}

function policySection(c) {
  const p = c.policy;
  if (!p) return section(t('case.policy'), h('p', { class: 'muted' }, t('case.policyNone')));
  const terms = p.terms;
  return section(
    t('case.policy'),
    h(
      'p',
      { class: 'decision' },
      h('span', { class: ['badge', 'badge-outcome', `is-${p.action}`] }, label('outcome', p.action)),
      ' ',
      t('case.policyRule', { rule: p.rule, version: p.version }),
    ),
    p.reasons.length
      ? h(
          'ul',
          { class: 'reasons' },
          p.reasons.map((r) => h('li', {}, r)),
        )
      : null,
    p.trace.length
      ? table({
          caption: t('case.trace'),
          columns: [
            ['test', t('case.trace.test')],
            ['value', t('case.trace.value')],
            ['passed', t('case.trace.passed')],
          ],
          rows: p.trace,
          cls: 'trace',
          cell: (row, key) => {
            if (key === 'test') return h('code', {}, row.test);
            if (key === 'value') return h('code', {}, showValue(row.value));
            return h(
              'span',
              { class: ['passed', row.passed ? 'is-yes' : 'is-no'] },
              row.passed ? `✓ ${t('common.yes')}` : `✗ ${t('common.no')}`,
            );
          },
        })
      : null,
    p.violations.length
      ? [
          h('h3', {}, t('case.violations')),
          h(
            'ul',
            {},
            p.violations.map((v) => h('li', {}, h('code', {}, v.code), ` ${v.message}`)),
          ),
        ]
      : null,
    h('h3', {}, t('case.terms')),
    dl([
      [t('case.terms.windowEndsAt'), terms.windowEndsAt ? time(terms.windowEndsAt) : undefined],
      [t('case.terms.shipWithinDays'), String(terms.shipWithinDays)],
      [t('case.terms.refundWithinDays'), String(terms.refundWithinDays)],
      [t('case.terms.returnPostagePaidBy'), t(`case.postage.${terms.returnPostagePaidBy}`)],
      [t('case.terms.restockingFee'), money(terms.restockingFee, c.currency)],
      [t('case.terms.mustBeIntact'), terms.mustBeIntact ? t('common.yes') : t('common.no')],
    ]),
  );
}

function timelineSection(c) {
  const trail = [...c.decisionTrail].sort((a, b) => a.at.localeCompare(b.at));
  return section(
    t('case.timeline'),
    h(
      'ol',
      { class: 'timeline' },
      trail.map((d) =>
        h(
          'li',
          { dataset: { action: d.action } },
          h(
            'div',
            { class: 'tl-head' },
            time(d.at),
            ' ',
            h('strong', {}, label('action', d.action)),
            ' ',
            h('span', { class: 'muted' }, t('case.trailBy', { by: d.by })),
          ),
          d.from || d.status
            ? h(
                'p',
                { class: 'tl-move' },
                d.from ? badge('status', d.from) : null,
                d.from && d.status ? h('span', { 'aria-hidden': 'true' }, ' → ') : null,
                d.from && d.status ? h('span', { class: 'sr-only' }, ` ${t('case.trailTo')} `) : null,
                d.status ? badge('status', d.status) : null,
              )
            : null,
          d.reasonCode ? h('p', {}, `${t('reject.reason')}: ${label('rejectReason', d.reasonCode)}`) : null,
          d.note ? h('p', { class: 'quote' }, d.note) : null,
          d.policyVersion !== undefined || d.rule
            ? h(
                'p',
                { class: 'muted' },
                t('case.trailPolicy', { version: d.policyVersion ?? '?', rule: d.rule ?? '?' }),
              )
            : null,
        ),
      ),
    ),
  );
}

/** The sections a decision changes a moment later (notices, parcels, outbound events). */
const LIVE_SECTIONS = {
  notices: (detail) =>
    tag(
      'notices',
      section(
        t('case.notices'),
        detail.notices.length
          ? noticesTable(detail.notices)
          : h('p', { class: 'muted' }, t('case.noNotices')),
      ),
    ),
  parcels: (detail) => {
    const c = detail.case;
    const byId = new Map(detail.parcels.map((p) => [p.shipmentId, p]));
    const roles = [
      [t('case.returnParcel'), c.returnParcel],
      [t('case.replacement'), c.replacement],
    ].filter(([, p]) => p);
    const shown = new Set();
    const blocks = roles.map(([heading, p]) => {
      shown.add(p.shipmentId);
      const full = byId.get(p.shipmentId);
      if (full) return shipmentBlock(full, { heading });
      // The parcel is registered but not tracked yet: what the case knows of it.
      return h(
        'div',
        { class: 'parcel' },
        h('h3', {}, `${heading}: ${p.trackingNumber}`),
        dl([
          [t('shipment.carrier'), p.carrier],
          [t('case.requestedAt'), time(p.registeredAt)],
          [t('shipment.shippedAt'), p.scannedAt ? time(p.scannedAt) : undefined],
          [t('shipment.deliveredAt'), p.deliveredAt ? time(p.deliveredAt) : undefined],
        ]),
      );
    });
    for (const p of detail.parcels) if (!shown.has(p.shipmentId)) blocks.push(shipmentBlock(p));
    return tag(
      'parcels',
      section(t('case.parcels'), blocks.length ? blocks : h('p', { class: 'muted' }, t('case.noParcels'))),
    );
  },
  outbound: (detail) =>
    tag(
      'outbound',
      wide(
        section(
          t('case.outbound'),
          detail.outbound.length
            ? table({
                columns: [
                  ['type', t('outbound.type')],
                  ['status', t('outbound.status')],
                  ['attempts', t('outbound.attempts')],
                  ['lastError', t('outbound.lastError')],
                  ['occurredAt', t('outbound.occurredAt')],
                  ['deliveredAt', t('outbound.deliveredAt')],
                ],
                rows: detail.outbound,
                cell: (o, key) => {
                  if (key === 'type') return h('code', { class: 'nowrap' }, o.type);
                  if (key === 'status') return badge('outboundStatus', o.status);
                  if (key === 'attempts') return String(o.attempts);
                  if (key === 'lastError')
                    return (
                      [o.lastStatusCode ? `HTTP ${o.lastStatusCode} ` : '', o.lastError ?? ''].join('') ||
                      t('common.none')
                    );
                  return time(o[key]);
                },
              })
            : h('p', { class: 'muted' }, t('case.noOutbound')),
        ),
      ),
    ),
};

/** A card as wide as the grid (a table with many columns). */
function wide(el) {
  el.classList.add('span-all');
  return el;
}

function tag(key, el) {
  el.dataset.section = key;
  return el;
}

function notesSection(c, addNote) {
  const text = h('textarea', { name: 'note-text', rows: '3' });
  const f = field({ label: t('case.noteLabel'), control: text, required: true });
  const submit = h('button', { type: 'submit', class: 'btn' }, t('case.noteSubmit'));
  const form = h('form', { class: 'stack', novalidate: true }, f, h('div', { class: 'buttons' }, submit));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const value = text.value.trim();
    f.setError(value ? '' : t('error.fieldRequired'));
    if (!value) return text.focus();
    addNote(value, submit);
  });
  const notes = [...c.notes].sort((a, b) => a.at.localeCompare(b.at));
  return section(
    t('case.notes'),
    notes.length
      ? h(
          'ul',
          { class: 'notes' },
          notes.map((n) =>
            h('li', {}, h('div', { class: 'muted' }, time(n.at), ' · ', n.by), h('p', {}, n.text)),
          ),
        )
      : h('p', { class: 'muted' }, t('case.noNotes')),
    form,
  );
}
