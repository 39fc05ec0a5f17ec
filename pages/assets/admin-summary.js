import { api, isUnavailable } from './admin-api.js';
import { button, field, h, input, s, section, uid } from './admin-dom.js';
import { dateOnly, label, number, percent, t } from './admin-i18n.js';

/*
 * Summary: GET /admin/summary?from=&to= (SummaryView) for a chosen period: the figures as tiles,
 * open cases by age and by status, the top reasons, cases by type and origin and the delivery
 * exceptions as bar charts (inline SVG built with createElementNS; each with its numbers as a
 * table for screen readers).
 */

const DAY = 86_400_000;

function isoDate(d) {
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The period of the address (#/summary?from=2026-11-01&to=2026-11-30), last 30 days by default. */
function period(params) {
  const valid = (v) => /^\d{4}-\d{2}-\d{2}$/.test(v ?? '') && !Number.isNaN(Date.parse(v));
  const today = new Date();
  const to = valid(params.get('to')) ? params.get('to') : isoDate(today);
  const from = valid(params.get('from')) ? params.get('from') : isoDate(new Date(today.getTime() - 29 * DAY));
  return from <= to ? { from, to } : { from: to, to: from };
}

export function renderSummary(ctx) {
  ctx.setTitle(t('summary.title'));
  const { from, to } = period(ctx.params);
  const fromInput = input({ type: 'date', name: 'from', value: from });
  const toInput = input({ type: 'date', name: 'to', value: to });
  const go = (f, tt) => ctx.navigate(`#/summary?from=${f}&to=${tt}`);
  const presets = [7, 30, 90].map((days) =>
    button(
      t('summary.lastDays', { days }),
      () => {
        const end = new Date();
        go(isoDate(new Date(end.getTime() - (days - 1) * DAY)), isoDate(end));
      },
      'btn btn-ghost btn-small',
    ),
  );
  const form = h(
    'form',
    { class: 'card period', 'aria-label': t('summary.period') },
    h(
      'div',
      { class: 'filter-grid' },
      field({ label: t('summary.from'), control: fromInput, optionalMark: false }),
      field({ label: t('summary.to'), control: toInput, optionalMark: false }),
    ),
    h(
      'div',
      { class: 'buttons' },
      h('button', { type: 'submit', class: 'btn btn-primary' }, t('summary.show')),
      presets,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (fromInput.value && toInput.value) go(fromInput.value, toInput.value);
  });
  const out = h('div', { 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  ctx.view.replaceChildren(h('h1', { tabindex: '-1' }, t('summary.title')), form, out);

  // The days are the clerk's own (this browser's zone): from its first instant to its last.
  const range = {
    from: new Date(`${from}T00:00:00`).toISOString(),
    to: new Date(new Date(`${to}T00:00:00`).getTime() + DAY - 1).toISOString(),
  };
  api('GET', '/admin/summary', undefined, range)
    .then((sum) => {
      if (!ctx.alive()) return;
      out.removeAttribute('aria-busy');
      out.replaceChildren(...summaryView(sum, from, to));
    })
    .catch((err) => {
      if (!ctx.alive()) return;
      out.removeAttribute('aria-busy');
      out.replaceChildren(
        h(
          'p',
          { class: 'form-error' },
          isUnavailable(err)
            ? t('common.unavailable', { status: err.status, message: err.message })
            : err.message,
        ),
      );
    });
}

function summaryView(sum, from, to) {
  const tiles = [
    [t('summary.openNow'), number(sum.open.total)],
    [t('summary.opened'), number(sum.opened.total)],
    [t('summary.orders'), number(sum.orders)],
    [t('summary.returnRate'), percent(sum.returnRate)],
    [
      t('summary.medianHours'),
      sum.medianHoursToDecision === null ? t('common.none') : number(sum.medianHoursToDecision),
    ],
    [
      t('summary.slaCompliance'),
      [
        percent(sum.sla.compliance),
        h(
          'small',
          {},
          t('summary.slaLine', { breached: number(sum.sla.breached), due: number(sum.sla.due) }),
        ),
      ],
    ],
  ];
  const entries = (record, kind) =>
    Object.entries(record)
      .sort((a, b) => b[1] - a[1])
      .map(([code, value]) => ({ label: label(kind, code), value }));
  return [
    h('p', { class: 'meta' }, `${dateOnly(`${from}T12:00:00`)} – ${dateOnly(`${to}T12:00:00`)}`),
    h(
      'dl',
      { class: 'tiles' },
      tiles.map(([term, value]) => h('div', { class: 'tile' }, h('dt', {}, term), h('dd', {}, value))),
    ),
    h(
      'div',
      { class: 'grid' },
      chartSection(
        t('summary.openByAge'),
        ['under1d', 'from1to3d', 'from3to7d', 'over7d'].map((k) => ({
          label: t(`age.${k}`),
          value: sum.open.byAge[k],
        })),
        'columns',
      ),
      chartSection(
        t('summary.topReasons'),
        sum.topReasons.map((r) => ({ label: label('reason', r.reason), value: r.count })),
      ),
      chartSection(t('summary.openByStatus'), entries(sum.open.byStatus, 'status')),
      chartSection(t('summary.byType'), entries(sum.opened.byType, 'type')),
      chartSection(t('summary.byOrigin'), entries(sum.opened.byOrigin, 'origin')),
      chartSection(t('summary.exceptions'), entries(sum.deliveryExceptions, 'reason')),
    ),
  ];
}

/** A chart with its numbers: the SVG for the eye, a table for screen readers. */
function chartSection(title, data, kind = 'bars') {
  if (!data.length || data.every((d) => !d.value)) {
    return section(title, h('p', { class: 'muted' }, t('summary.noData')));
  }
  const svg = kind === 'columns' ? columns(title, data) : bars(title, data);
  const tableEl = h(
    'table',
    { class: 'sr-only' },
    h('caption', {}, title),
    h(
      'tbody',
      {},
      data.map((d) => h('tr', {}, h('th', { scope: 'row' }, d.label), h('td', {}, number(d.value)))),
    ),
  );
  return section(title, h('figure', { class: 'chart' }, svg, tableEl));
}

function svgRoot(title, data, width, height) {
  const titleId = uid('ct');
  const values = data.map((d) => `${d.label} ${number(d.value)}`).join(', ');
  // The table beside it carries the numbers for screen readers; the picture is named, not read twice.
  return s(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      class: 'chart-svg',
      role: 'img',
      'aria-labelledby': titleId,
      preserveAspectRatio: 'xMinYMin meet',
    },
    s('title', { id: titleId }, t('summary.chartLabel', { title, values })),
  );
}

/** Horizontal bars, each label on its own line above its bar (long reasons fit on a phone). */
function bars(title, data) {
  const width = 360;
  const row = 44;
  const max = Math.max(...data.map((d) => d.value), 1);
  const room = width - 48;
  const svg = svgRoot(title, data, width, data.length * row + 4);
  data.forEach((d, i) => {
    const y = i * row + 4;
    const w = Math.max(2, Math.round((d.value / max) * room));
    svg.append(
      s('text', { x: 0, y: y + 13, class: 'chart-label' }, d.label),
      s('rect', { x: 0, y: y + 19, width: w, height: 16, rx: 3, class: 'chart-bar' }),
      s('text', { x: w + 6, y: y + 32, class: 'chart-value' }, number(d.value)),
    );
  });
  return svg;
}

/** Vertical columns (the four age bands). */
function columns(title, data) {
  const width = 360;
  const height = 200;
  const base = 160;
  const top = 22;
  const slot = width / data.length;
  const barWidth = Math.min(56, slot * 0.6);
  const max = Math.max(...data.map((d) => d.value), 1);
  const svg = svgRoot(title, data, width, height);
  svg.append(s('line', { x1: 0, x2: width, y1: base, y2: base, class: 'chart-axis' }));
  data.forEach((d, i) => {
    const hgt = Math.max(d.value ? 2 : 0, Math.round((d.value / max) * (base - top)));
    const x = i * slot + (slot - barWidth) / 2;
    const cx = i * slot + slot / 2;
    svg.append(
      s('rect', { x, y: base - hgt, width: barWidth, height: hgt, rx: 3, class: 'chart-bar' }),
      s('text', { x: cx, y: base - hgt - 6, class: 'chart-value', 'text-anchor': 'middle' }, number(d.value)),
      s('text', { x: cx, y: base + 18, class: 'chart-label', 'text-anchor': 'middle' }, d.label),
    );
  });
  return svg;
}
