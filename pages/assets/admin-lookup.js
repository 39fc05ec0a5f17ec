import { api } from './admin-api.js';
import { badge, dl, field, h, input, section, select, table } from './admin-dom.js';
import { money, t } from './admin-i18n.js';
import { addressText, noticesTable, shipmentBlock, time } from './admin-render.js';

/*
 * Lookup: an order by the marketplace's id (GET /admin/orders/{orderId}; 409 ambiguous_order asks
 * for ?provider=) or by its display number (GET /admin/orders?number=), a parcel by its tracking
 * number (GET /admin/shipments/{trackingNumber}), a customer by email or phone (GET
 * /admin/customers). The question is kept in the address (#/lookup?number=1001), so the other
 * screens link here.
 */

const MARKETPLACES = ['generic', 'shopify', 'woocommerce', 'taobao', 'doudian'];

export function renderLookup(ctx) {
  const p = ctx.params;
  ctx.setTitle(t('lookup.title'));
  const results = h('div', { class: 'results', 'aria-live': 'polite' });

  const go = (params) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
    const next = `#/lookup?${q}`;
    // The same question again: ask again (the hash would not change).
    if (next === location.hash) ctx.rerender();
    else ctx.navigate(next);
    return true;
  };

  const orderId = input({ name: 'order', value: p.get('order') ?? '', autocomplete: 'off' });
  const provider = select([['', t('common.any')], ...MARKETPLACES.map((m) => [m, m])], {
    name: 'provider',
    value: p.get('provider') ?? '',
  });
  const providerField = field({
    label: t('lookup.provider'),
    control: provider,
    hint: t('lookup.providerHint'),
  });
  const byId = form(
    t('lookup.orderById'),
    [field({ label: t('lookup.orderId'), control: orderId, required: true }), providerField],
    () => orderId.value.trim() && go({ order: orderId.value.trim(), provider: provider.value }),
    orderId,
  );

  const number = input({ name: 'number', value: p.get('number') ?? '', autocomplete: 'off' });
  const byNumber = form(
    t('lookup.orderByNumber'),
    [field({ label: t('lookup.number'), control: number, required: true, hint: t('lookup.numberHint') })],
    () => number.value.trim() && go({ number: number.value.trim() }),
    number,
  );

  const tracking = input({ name: 'tracking', value: p.get('tracking') ?? '', autocomplete: 'off' });
  const byTracking = form(
    t('lookup.shipment'),
    [field({ label: t('lookup.tracking'), control: tracking, required: true })],
    () => tracking.value.trim() && go({ tracking: tracking.value.trim() }),
    tracking,
  );

  const email = input({ name: 'email', type: 'email', value: p.get('email') ?? '', autocomplete: 'off' });
  const phone = input({ name: 'phone', type: 'tel', value: p.get('phone') ?? '', autocomplete: 'off' });
  const byContact = form(
    t('lookup.customer'),
    [
      field({ label: t('lookup.email'), control: email, hint: t('lookup.contactHint') }),
      field({ label: t('lookup.phone'), control: phone }),
    ],
    () =>
      (email.value.trim() || phone.value.trim()) &&
      go(email.value.trim() ? { email: email.value.trim() } : { phone: phone.value.trim() }),
    email,
  );

  ctx.view.replaceChildren(
    h('h1', { tabindex: '-1' }, t('lookup.title')),
    // The answer first (on a phone the four forms would push it out of sight), then the forms.
    results,
    h('div', { class: 'lookup-forms' }, byId, byNumber, byTracking, byContact),
  );

  const show = (...content) => {
    if (ctx.alive()) results.replaceChildren(h('h2', {}, t('lookup.results')), ...content.flat());
  };
  const failed = (err) => {
    if (!ctx.alive()) return;
    if (err.code === 'ambiguous_order') {
      show(h('p', { class: 'form-error', role: 'alert' }, t('lookup.ambiguous', { message: err.message })));
      provider.focus();
    } else if (err.status === 404) {
      show(h('p', { class: 'form-error' }, t('lookup.notFound', { message: err.message })));
    } else show(h('p', { class: 'form-error' }, err.message));
  };

  if (p.get('order')) {
    const id = p.get('order');
    api('GET', `/admin/orders/${encodeURIComponent(id)}`, undefined, { provider: p.get('provider') })
      .then((d) => show(orderBlock(d)))
      .catch(failed);
  } else if (p.get('number')) {
    api('GET', '/admin/orders', undefined, { number: p.get('number') })
      .then((d) => show(...d.orders.map((o) => orderBlock(o))))
      .catch(failed);
  } else if (p.get('tracking')) {
    api('GET', `/admin/shipments/${encodeURIComponent(p.get('tracking'))}`)
      .then((d) =>
        show(
          section(
            t('shipment.title', { tracking: d.shipment.trackingNumber }),
            shipmentBlock(d.shipment, { level: 'h3' }),
            d.shipment.orderId
              ? h(
                  'p',
                  {},
                  `${t('case.order')}: `,
                  h(
                    'a',
                    { href: orderHref(d.shipment.orderId, d.shipment.orderProvider) },
                    d.shipment.orderId,
                  ),
                )
              : null,
            d.notices.length ? [h('h3', {}, t('order.notices')), noticesTable(d.notices)] : null,
          ),
        ),
      )
      .catch(failed);
  } else if (p.get('email') || p.get('phone')) {
    api('GET', '/admin/customers', undefined, { email: p.get('email'), phone: p.get('phone') })
      .then((d) =>
        show(
          d.customers.length
            ? d.customers.map((c) => customerBlock(c))
            : h('p', { class: 'muted' }, t('customer.none')),
        ),
      )
      .catch(failed);
  }
}

function form(title, fields, submit, first) {
  const f = h(
    'form',
    { class: 'card stack', novalidate: true, 'aria-label': title },
    h('h2', {}, title),
    fields,
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('common.search')),
    ),
  );
  f.addEventListener('submit', (event) => {
    event.preventDefault();
    const ok = submit() === true;
    fields[0].setError(ok ? '' : t('error.fieldRequired'));
    if (!ok) first.focus();
  });
  return f;
}

function orderHref(orderId, provider) {
  return `#/lookup?order=${encodeURIComponent(orderId)}${provider ? `&provider=${encodeURIComponent(provider)}` : ''}`;
}

function orderBlock({ order: o, shipments, notices }) {
  const cur = o.currency;
  return section(
    t('order.title', { number: o.number ?? o.orderId }),
    h('p', {}, badge('orderStatus', o.status)),
    dl([
      [t('order.provider'), o.provider],
      [t('order.id'), o.orderId],
      [t('order.placedAt'), o.placedAt ? time(o.placedAt) : undefined],
      [t('order.paidAt'), o.paidAt ? time(o.paidAt) : undefined],
      [
        t('order.deliveredAt'),
        o.deliveredAt
          ? [time(o.deliveredAt), o.deliveredConfirmedBy ? ` (${o.deliveredConfirmedBy})` : '']
          : undefined,
      ],
      [
        t('order.cancelledAt'),
        o.cancelledAt ? [time(o.cancelledAt), o.cancelReason ? ` ${o.cancelReason}` : ''] : undefined,
      ],
      [t('order.total'), o.totals ? money(o.totals.total, cur) : undefined],
      [t('order.refunded'), o.refundedTotal ? money(o.refundedTotal, cur) : undefined],
      [
        t('order.customer'),
        o.customer
          ? [o.customer.name, o.customer.emailMasked, o.customer.phoneMasked].filter(Boolean).join(' · ')
          : undefined,
      ],
      [t('order.shipTo'), addressText(o.shippingAddress)],
    ]),
    h('h3', {}, t('order.lines')),
    table({
      columns: [
        ['lineId', t('case.line')],
        ['title', t('order.lineTitle')],
        ['sku', t('order.sku')],
        ['quantity', t('case.quantity')],
        ['unitPrice', t('order.unitPrice')],
        ['total', t('order.lineTotal')],
      ],
      rows: o.lines,
      cell: (line, key) => {
        if (key === 'unitPrice' || key === 'total') return money(line[key], cur);
        if (key === 'title') return [line.title, line.variantTitle ? ` · ${line.variantTitle}` : ''];
        return line[key] === undefined ? t('common.none') : String(line[key]);
      },
    }),
    o.afterSales.length
      ? [
          h('h3', {}, t('order.cases')),
          h(
            'ul',
            {},
            o.afterSales.map((a) =>
              h(
                'li',
                {},
                h('a', { href: `#/case/${encodeURIComponent(a.caseId)}` }, a.requestId),
                ' ',
                time(a.requestedAt),
              ),
            ),
          ),
        ]
      : null,
    shipments.length
      ? [h('h3', {}, t('order.shipments')), shipments.map((s) => shipmentBlock(s, { level: 'h4' }))]
      : null,
    notices.length ? [h('h3', {}, t('order.notices')), noticesTable(notices)] : null,
    o.timeline.length
      ? [
          h('h3', {}, t('order.timeline')),
          h(
            'ol',
            { class: 'timeline' },
            [...o.timeline]
              .sort((a, b) => String(a.at).localeCompare(String(b.at)))
              .map((e) =>
                h(
                  'li',
                  {},
                  time(e.at),
                  ' ',
                  h('strong', {}, e.type),
                  ' ',
                  h('span', { class: 'muted' }, e.provider),
                  e.summary ? h('p', {}, e.summary) : null,
                ),
              ),
          ),
        ]
      : null,
  );
}

function customerBlock(c) {
  return section(
    c.name ?? c.customerId,
    dl([
      [t('lookup.email'), c.emailMasked],
      [t('lookup.phone'), c.phoneMasked],
      [t('customer.firstOrder'), c.firstOrderAt ? time(c.firstOrderAt) : undefined],
      [t('customer.lastOrder'), c.lastOrderAt ? time(c.lastOrderAt) : undefined],
      [
        t('customer.segment'),
        c.rfm
          ? `${t(`segment.${c.rfm.segment}`)}${c.vip ? ' · VIP' : ''} (R${c.rfm.r} F${c.rfm.f} M${c.rfm.m})`
          : c.vip
            ? 'VIP'
            : undefined,
      ],
      [
        t('customer.optOuts'),
        Object.entries(c.optOuts ?? {})
          .filter(([, o]) => o.optedOut)
          .map(([channel]) => channel)
          .join(', ') || undefined,
      ],
      [
        t('customer.contactStatus'),
        Object.entries(c.contactStatus ?? {})
          .filter(([, s]) => s.status !== 'ok')
          .map(([address, s]) => `${address}: ${s.status}`)
          .join(', ') || undefined,
      ],
    ]),
    h('h3', {}, t('customer.orders')),
    h(
      'ul',
      {},
      c.orderIds.map((ref) => {
        // Order references are `provider:orderId`.
        const at = ref.indexOf(':');
        const prov = at > 0 ? ref.slice(0, at) : undefined;
        const id = at > 0 ? ref.slice(at + 1) : ref;
        return h('li', {}, h('a', { href: orderHref(id, prov) }, `${id}${prov ? ` (${prov})` : ''}`));
      }),
    ),
  );
}
