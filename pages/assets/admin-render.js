import { badge, dl, h, table } from './admin-dom.js';
import { dateTime, has, label, t } from './admin-i18n.js';

/* Pieces the case page and the lookup share: notices, parcels with their checkpoints, addresses. */

export function time(iso) {
  if (!iso) return t('common.none');
  return h('time', { datetime: iso }, dateTime(iso));
}

/** A notice template by its words, with its code beside (what the logs and templates call it). */
export function templateName(code) {
  const key = `template.${code}`;
  return h(
    'span',
    { class: 'template' },
    has(key) ? t(key) : null,
    has(key) ? ' ' : null,
    h('code', {}, code),
  );
}

export function noticesTable(notices, { caption, withLinks = false } = {}) {
  const columns = [
    ['template', t('notice.template')],
    ['status', t('notice.status')],
    ['plannedAt', t('notice.plannedAt')],
    ['recordedAt', t('notice.recordedAt')],
  ];
  if (withLinks) {
    columns.push(['order', t('case.order')], ['case', t('dry.case')]);
  }
  return table({
    caption,
    columns,
    rows: notices,
    cls: 'notices',
    cell: (n, key) => {
      if (key === 'template') return templateName(n.template);
      if (key === 'status')
        return h(
          'span',
          { class: ['badge', 'badge-notice', `is-${n.status}`] },
          label('noticeStatus', n.status),
        );
      if (key === 'plannedAt') return time(n.plannedAt);
      if (key === 'recordedAt') return time(n.recordedAt);
      if (key === 'order')
        return n.orderId
          ? h('a', { href: `#/lookup?order=${encodeURIComponent(n.orderId)}` }, n.orderId)
          : t('common.none');
      if (key === 'case')
        return n.caseId
          ? h('a', { href: `#/case/${encodeURIComponent(n.caseId)}` }, n.caseId.slice(0, 8))
          : t('common.none');
      return '';
    },
  });
}

export function checkpointsList(checkpoints) {
  if (!checkpoints?.length) return h('p', { class: 'muted' }, t('shipment.noCheckpoints'));
  return h(
    'ol',
    { class: 'checkpoints' },
    checkpoints.map((cp) =>
      h(
        'li',
        {},
        h('div', { class: 'cp-head' }, time(cp.at), ' ', badge('shipStatus', cp.status)),
        h('p', {}, cp.message),
        cp.location ? h('p', { class: 'muted' }, cp.location) : null,
        cp.problem ? h('p', { class: 'warn' }, label('reason', cp.problem)) : null,
      ),
    ),
  );
}

/** A parcel (ShipmentView) with its facts and checkpoints; `heading` names its role. */
export function shipmentBlock(s, { heading, level = 'h3' } = {}) {
  return h(
    'div',
    { class: 'parcel' },
    h(
      level,
      {},
      heading ? `${heading}: ` : '',
      h('a', { href: `#/lookup?tracking=${encodeURIComponent(s.trackingNumber)}` }, s.trackingNumber),
      ' ',
      badge('shipStatus', s.status),
    ),
    dl([
      [t('shipment.carrier'), s.carrier],
      [t('shipment.direction'), s.direction ? t(`direction.${s.direction}`) : undefined],
      [t('shipment.statusAt'), s.statusAt ? time(s.statusAt) : undefined],
      [t('shipment.shippedAt'), s.shippedAt ? time(s.shippedAt) : undefined],
      [t('shipment.expected'), s.expectedDelivery ? time(s.expectedDelivery) : undefined],
      [t('shipment.deliveredAt'), s.deliveredAt ? time(s.deliveredAt) : undefined],
      [t('shipment.signedBy'), s.signedBy],
      [
        t('shipment.track'),
        s.trackingUrl && /^https?:\/\//.test(s.trackingUrl)
          ? h(
              'a',
              { href: s.trackingUrl, rel: 'noopener noreferrer', target: '_blank' },
              s.carrier ?? s.trackingUrl,
            )
          : undefined,
      ],
    ]),
    s.stalled
      ? h(
          'p',
          { class: 'warn' },
          t('shipment.stalled', { since: dateTime(s.stalled.since), reason: s.stalled.reason }),
        )
      : null,
    h('h4', {}, t('shipment.checkpoints')),
    checkpointsList(s.checkpoints),
  );
}

export function addressText(a) {
  if (!a) return undefined;
  const lines = [
    a.name,
    a.phone,
    [a.address1, a.address2].filter(Boolean).join(', '),
    [a.district, a.city, a.province, a.postalCode, a.country].filter(Boolean).join(' '),
  ].filter(Boolean);
  return h(
    'address',
    {},
    lines.map((line, i) => [i ? h('br') : null, line]),
  );
}
