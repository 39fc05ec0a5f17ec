import { api, isUnavailable } from './admin-api.js';
import { isManager } from './admin-auth.js';
import { badge, busy, button, field, h, section, select, table } from './admin-dom.js';
import { label, t } from './admin-i18n.js';
import { noticesTable, time } from './admin-render.js';
import { flash } from './admin-ui.js';

/*
 * Operations: webhooks that failed (GET /admin/inbox?status=failed) with a replay each (POST
 * /admin/inbox/{inboxId}/replay), the dead-letter queues (GET /admin/dlq) with a redrive for
 * managers (POST /admin/dlq/{queue}/redrive), and the notice log (GET /admin/notices). Each part
 * loads on its own, so one failing does not hide the others.
 */

const INBOX_STATUSES = ['failed', 'received', 'ignored', 'processed'];

export function renderOperations(ctx) {
  ctx.setTitle(t('ops.title'));
  const status = ctx.params.get('inbox');
  const inbox = h('div', { 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  const dlq = h('div', { 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  const notices = h('div', { 'aria-busy': 'true' }, h('p', {}, t('app.loading')));
  const statusSel = select(
    INBOX_STATUSES.map((s) => [s, label('inboxStatus', s)]),
    { value: INBOX_STATUSES.includes(status) ? status : 'failed' },
  );
  statusSel.addEventListener('change', () => ctx.navigate(`#/operations?inbox=${statusSel.value}`));
  ctx.view.replaceChildren(
    h('h1', { tabindex: '-1' }, t('ops.title')),
    section(
      t('ops.inbox'),
      h(
        'div',
        { class: 'inline-field' },
        field({ label: t('ops.inboxStatus'), control: statusSel, optionalMark: false }),
      ),
      inbox,
    ),
    section(t('ops.dlq'), h('p', { class: 'muted' }, t('ops.dlqIntro')), dlq),
    section(t('ops.notices'), notices),
  );
  loadInbox(ctx, inbox, statusSel.value);
  loadDlq(ctx, dlq);
  loadNotices(ctx, notices);
}

function unavailable(el, err) {
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

function paged(ctx, el, fetchPage, render, emptyText) {
  const items = [];
  let more;
  const holder = h('div');
  const load = async (cursor) => {
    const page = await fetchPage(cursor);
    if (!ctx.alive()) return;
    items.push(...page.items);
    holder.replaceChildren(items.length ? render(items) : h('p', { class: 'muted' }, emptyText));
    more?.remove();
    more = undefined;
    if (page.next) {
      more = h(
        'div',
        { class: 'buttons' },
        button(
          t('common.loadMore'),
          (event) =>
            busy(event.currentTarget, () => load(page.next).catch((err) => flash(err.message, 'error'))),
          'btn',
        ),
      );
      el.append(more);
    }
  };
  el.replaceChildren(holder);
  return load()
    .then(() => el.removeAttribute('aria-busy'))
    .catch((err) => ctx.alive() && unavailable(el, err));
}

function loadInbox(ctx, el, status) {
  return paged(
    ctx,
    el,
    async (cursor) => {
      const page = await api('GET', '/admin/inbox', undefined, { status, cursor, limit: 50 });
      return { items: page.items, next: page.next };
    },
    (items) =>
      table({
        columns: [
          ['receivedAt', t('ops.received')],
          ['provider', t('ops.provider')],
          ['topic', t('ops.topic')],
          ['status', t('queue.status')],
          ['attempts', t('ops.attempts')],
          ['error', t('ops.error')],
          ['bytes', t('ops.bytes')],
          ['replay', t('ops.replay')],
        ],
        rows: items,
        cell: (item, key) => {
          if (key === 'receivedAt') return time(item.receivedAt);
          if (key === 'status') return badge('inboxStatus', item.status);
          if (key === 'error')
            return item.error ? h('code', { class: 'wrap' }, item.error) : t('common.none');
          if (key === 'replay')
            return button(
              [t('ops.replay'), h('span', { class: 'sr-only' }, ` ${item.inboxId}`)],
              (event) => replay(event.currentTarget, item),
              'btn btn-small',
            );
          const v = item[key];
          return v === undefined ? t('common.none') : String(v);
        },
      }),
    t('ops.inboxEmpty'),
  );
}

async function replay(btn, item) {
  await busy(btn, async () => {
    try {
      const r = await api('POST', `/admin/inbox/${encodeURIComponent(item.inboxId)}/replay`);
      flash(
        t(r.queued ? 'ops.replayed' : 'ops.replayNotQueued', {
          id: item.inboxId,
          previous: label('inboxStatus', r.previous),
        }),
      );
    } catch (err) {
      flash(err.message, 'error');
    }
  });
}

async function loadDlq(ctx, el) {
  try {
    const { queues } = await api('GET', '/admin/dlq');
    if (!ctx.alive()) return;
    el.removeAttribute('aria-busy');
    const manager = isManager();
    el.replaceChildren(
      ...queues.map((q) => {
        const hintId = `dlq-hint-${q.queue}`;
        const redrive = button(
          t('ops.redrive', { queue: q.queue }),
          (event) => doRedrive(ctx, event.currentTarget, q.queue, el),
          'btn',
          manager ? {} : { disabled: true, 'aria-describedby': hintId },
        );
        if (!q.depth) redrive.disabled = true;
        return h(
          'div',
          { class: 'dlq' },
          h(
            'h3',
            {},
            q.queue,
            ' ',
            h(
              'span',
              { class: ['badge', q.depth ? 'is-warn' : 'is-ok'] },
              t('ops.depth', { count: q.depth }),
            ),
          ),
          q.messages.length
            ? h(
                'details',
                {},
                h('summary', {}, `${t('ops.messages')} (${q.messages.length})`),
                h(
                  'ul',
                  { class: 'messages' },
                  q.messages.map((m) =>
                    h(
                      'li',
                      {},
                      h('code', {}, m.messageId),
                      h('pre', {}, m.body.length > 2000 ? `${m.body.slice(0, 2000)}…` : m.body),
                    ),
                  ),
                ),
              )
            : null,
          h(
            'div',
            { class: 'buttons' },
            redrive,
            manager ? null : h('span', { class: 'hint', id: hintId }, t('common.managerOnly')),
          ),
        );
      }),
    );
  } catch (err) {
    if (ctx.alive()) unavailable(el, err);
  }
}

async function doRedrive(ctx, btn, queue, el) {
  await busy(btn, async () => {
    try {
      const r = await api('POST', `/admin/dlq/${encodeURIComponent(queue)}/redrive`);
      flash(t('ops.redriven', { moved: r.moved, queue: r.queue }));
    } catch (err) {
      flash(err.status === 403 ? t('error.forbidden', { message: err.message }) : err.message, 'error');
    }
  });
  await loadDlq(ctx, el);
}

function loadNotices(ctx, el) {
  return paged(
    ctx,
    el,
    async (cursor) => {
      const page = await api('GET', '/admin/notices', undefined, { cursor, limit: 50 });
      return { items: page.notices, next: page.next };
    },
    (items) => noticesTable(items, { withLinks: true }),
    t('ops.noticesEmpty'),
  );
}
