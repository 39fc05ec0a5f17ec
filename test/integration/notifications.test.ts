import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shopChannels } from '../../functions/adapters/channels/index.ts';
import type { OutboxEntry } from '../../functions/app/channels.ts';
import { CHANNEL_SECRET_ITEMS } from '../../functions/app/channels.ts';
import type { AppDeps, Clock } from '../../functions/app/ports.ts';
import { processInbound } from '../../functions/app/process-inbound.ts';
import { type SendNoticeDeps, sendNotice } from '../../functions/app/send-notice.ts';
import { customerApiHandler } from '../../functions/handlers/customer-api.ts';
import { receiveCountOf } from '../../functions/lib/batch.ts';
import { hmacSha256 } from '../../functions/lib/crypto.ts';
import { signUnsubscribeToken } from '../../functions/lib/customer-token.ts';
import { InboundMessage, NotificationMessage } from '../../schemas/messages.ts';
import type { ShopInput } from '../../schemas/shop.ts';
import { decodeWords, parseMime, startSmtp } from '../support/smtp.ts';
import { drain, freshShop, useServices } from './env.ts';
import { deliver } from './pipeline.ts';

/*
 * Notices as customers receive them, on DynamoDB Local and fauxqs with every channel the outbox
 * (and one shop on a real SMTP server in this process), on a clock the test moves: the messages a
 * whole order produces, quiet hours, the frequency cap across programs, unsubscribing, 催付 and
 * win-back cancelled by what the customer did.
 */

const { services, sqs, deps, config } = useServices();
const SECRET = 'notifications-test-secret';
const PUBLIC = 'https://aftersale.test';

/** A clock the test sets. */
const clock = {
  at: '2026-11-30T02:00:00.000Z',
  now() {
    return this.at;
  },
} satisfies Clock & { at: string };
const at = (iso: string) => {
  clock.at = iso;
};

const appDeps: AppDeps = { ...deps, clock };
const sender: SendNoticeDeps = {
  ...appDeps,
  channels: shopChannels(appDeps),
  links: { publicUrl: PUBLIC, tokenSecret: config.customerTokenSecret! },
};

/** Runs process-event and send-notification on what is queued, until nothing is, at the clock's time. */
async function pump() {
  for (let round = 0; round < 20; round++) {
    const inbound = await drain(sqs, services.queueUrls.inbound!);
    for (const r of inbound)
      await processInbound(appDeps, InboundMessage.parse(JSON.parse(r.body)), {
        receiveCount: receiveCountOf(r),
      });
    const notices = await drain(sqs, services.queueUrls.notifications!);
    for (const r of notices) await sendNotice(sender, NotificationMessage.parse(JSON.parse(r.body)));
    if (!inbound.length && !notices.length) return;
  }
  throw new Error('queues did not settle');
}

const shops = new Set<string>();

/** What the sweep does for one minute: its timers' events and deferred notices, then gone. */
async function fire(minute: string) {
  at(`${minute}:30.000Z`);
  // Only this file's shops: other files share the table, and their timers may fall in the same minute.
  const due = (await deps.timers.timersInMinute(minute)).filter((d) => shops.has(d.shopId));
  await deps.queues.sendInbound(
    due.flatMap((d) => (d.event ? [{ kind: 'event' as const, shopId: d.shopId, event: d.event }] : [])),
  );
  await deps.queues.sendNotifications(due.flatMap((d) => (d.notice ? [d.notice] : [])));
  await deps.timers.deleteTimers(due.map((d) => d.key));
  await pump();
  return due;
}

/** Holiday greetings are off unless a shop turns them on. */
const greetings = { programs: { holidays: { enabled: true, dates: [{ name: '圣诞', date: 'christmas' }] } } };

async function shop(settings: Partial<ShopInput> = {}) {
  const shopId = await freshShop({ generic: { secret: SECRET } });
  shops.add(shopId);
  await deps.shops.put(
    { shopId, name: '龙井茶舍', locale: 'zh-CN', timezone: 'Asia/Shanghai', ...settings },
    clock.now(),
  );
  return shopId;
}

async function send(shopId: string, event: Record<string, unknown>) {
  const res = await deliver('generic', shopId, Buffer.from(JSON.stringify(event)), { secret: SECRET });
  expect(res.statusCode).toBe(202);
  await pump();
}

const customer = {
  externalId: 'cust-42',
  name: '李雷',
  email: 'li.lei@example.cn',
  phone: '+8613800138000',
  acceptsMarketing: true,
};

function placed(orderId: string, occurredAt: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'OrderPlaced',
    orderId,
    occurredAt,
    order: {
      number: `#${orderId}`,
      currency: 'CNY',
      placedAt: occurredAt,
      customer,
      lines: [
        {
          lineId: '1',
          sku: 'TEA-500',
          title: '西湖龙井 500g',
          quantity: 1,
          unitPrice: 12_800,
          total: 12_800,
        },
      ],
      totals: { subtotal: 12_800, shipping: 0, tax: 0, discount: 0, total: 12_800 },
      ...extra,
    },
  };
}

const paid = (orderId: string, paidAt: string) => ({
  type: 'OrderPaid',
  orderId,
  occurredAt: paidAt,
  paidAt,
});

const tracking = (trackingNumber: string, status: string, occurredAt: string) => ({
  type: 'TrackingUpdated',
  carrier: 'sf-express',
  trackingNumber,
  status,
  occurredAt,
  checkpoints: [{ at: occurredAt, status, message: status }],
});

async function outbox(shopId: string): Promise<OutboxEntry[]> {
  return (await deps.outbox.list({ shopId, limit: 100 })).reverse();
}

async function notices(shopId: string) {
  const all: Array<Record<string, unknown>> = [];
  let cursor: string | undefined;
  do {
    const page = await deps.reads.listNotices(shopId, { limit: 100, ...(cursor && { cursor }) });
    all.push(...page.items);
    cursor = page.next;
  } while (cursor);
  return all;
}

const noticeOf = async (shopId: string, template: string) =>
  (await notices(shopId)).filter((n) => n.template === template);

describe('a whole order, as the customer hears of it', () => {
  it('sends each milestone once, by SMS in Chinese, with the shop signature; follow-ups on day 3 and 7', async () => {
    const shopId = await shop();
    at('2026-11-30T02:00:00.000Z'); // Monday 10:00 in Shanghai
    await send(shopId, placed('5001', '2026-11-30T01:55:00Z'));
    await send(shopId, paid('5001', '2026-11-30T01:57:00Z'));
    await send(shopId, {
      type: 'ShipmentCreated',
      orderId: '5001',
      occurredAt: '2026-11-30T02:00:00Z',
      carrier: 'sf-express',
      trackingNumber: 'SF1234567890123',
      shippedAt: '2026-11-30T02:00:00Z',
    });
    // A second in-transit scan is the same milestone: no second message.
    await send(shopId, tracking('SF1234567890123', 'in_transit', '2026-11-30T04:00:00Z'));
    await send(shopId, tracking('SF1234567890123', 'in_transit', '2026-11-30T06:00:00Z'));
    at('2026-12-01T01:00:00.000Z');
    await send(shopId, tracking('SF1234567890123', 'out_for_delivery', '2026-12-01T00:50:00Z'));
    at('2026-12-01T03:00:00.000Z');
    await send(shopId, tracking('SF1234567890123', 'delivered', '2026-12-01T03:00:00Z'));
    // The program timers: check-in on day 3, review invitation on day 7 (11:00 local).
    await fire('2026-12-04T03:00');
    await fire('2026-12-08T03:00');

    const sent = await outbox(shopId);
    expect(sent.map((m) => m.templateId)).toEqual([
      'order.confirmed',
      'shipment.shipped',
      'shipment.out_for_delivery',
      'shipment.delivered',
      'followup.checkin',
      'followup.review',
    ]);
    for (const m of sent) {
      expect(m).toMatchObject({ channel: 'sms', to: '+8613800138000', locale: 'zh-CN' });
      expect(m.text).toMatch(/^【龙井茶舍】/);
    }
    expect(sent[0]!.text).toContain('李雷');
    expect(sent[1]!.text).toContain('SF1234567890123');
    // Retention messages carry the SMS opt-out; order and parcel updates do not.
    expect(sent.slice(4).every((m) => m.text.includes('回TD退订'))).toBe(true);
    expect(sent.slice(0, 4).some((m) => m.text.includes('回TD退订'))).toBe(false);
    // The delivery log says what became of each, with the address masked.
    const log = await noticeOf(shopId, 'shipment.delivered');
    expect(log).toMatchObject([{ status: 'sent', channel: 'sms', to: '+86138****8000', attempts: 1 }]);
  });

  it('writes an English customer by email, in English, with both parts', async () => {
    const shopId = await shop({ name: 'Northwind Tea', locale: 'en' });
    await send(
      shopId,
      placed('5002', '2026-11-30T01:55:00Z', {
        customer: { externalId: 'en-1', name: 'Alex Smith', email: 'alex@example.com', locale: 'en' },
      }),
    );
    const [m] = await outbox(shopId);
    expect(m).toMatchObject({
      templateId: 'order.confirmed',
      channel: 'email',
      to: 'alex@example.com',
      locale: 'en',
    });
    expect(m!.subject).toMatch(/#5002/);
    expect(m!.text).toContain('Alex Smith');
    expect(m!.html).toContain('<');
  });

  it('sends nothing twice when the same notice comes again', async () => {
    const shopId = await shop();
    await send(shopId, placed('5003', '2026-11-30T01:55:00Z'));
    const [log] = await noticeOf(shopId, 'order.confirmed');
    const again = NotificationMessage.parse({
      shopId,
      id: log!.id,
      template: 'order.confirmed',
      orderId: '5003',
      orderProvider: 'generic',
      data: log!.data,
      plannedAt: log!.plannedAt,
    });
    expect(await sendNotice(sender, again)).toBe('already_settled');
    expect((await outbox(shopId)).length).toBe(1);
  });
});

describe('quiet hours', () => {
  it('holds an SMS due at 23:00 customer time to 08:00, then sends it', async () => {
    const shopId = await shop();
    at('2026-11-30T15:00:00.000Z'); // 23:00 in Shanghai
    await send(shopId, placed('5101', '2026-11-30T14:58:00Z'));
    expect(await outbox(shopId)).toEqual([]);
    expect(await noticeOf(shopId, 'order.confirmed')).toMatchObject([
      { status: 'deferred', deferredUntil: '2026-12-01T00:00:00.000Z', channel: 'sms' },
    ]);
    const due = await fire('2026-12-01T00:00');
    expect(due.some((d) => d.notice?.template === 'order.confirmed')).toBe(true);
    expect(await outbox(shopId)).toMatchObject([
      { templateId: 'order.confirmed', channel: 'sms', createdAt: '2026-12-01T00:00:30.000Z' },
    ]);
    expect(await noticeOf(shopId, 'order.confirmed')).toMatchObject([{ status: 'sent', attempts: 2 }]);
  });

  it('lets parcel updates through at night when the shop exempts them', async () => {
    const shopId = await shop({ notifications: { quietHours: { exemptTransactional: true } } });
    at('2026-11-30T15:00:00.000Z');
    await send(shopId, placed('5102', '2026-11-30T14:58:00Z'));
    expect(await outbox(shopId)).toMatchObject([
      { templateId: 'order.confirmed', createdAt: '2026-11-30T15:00:00.000Z' },
    ]);
  });
});

/** A retention notice for the customer, as the core plans it. */
const retention = (shopId: string, template: string, key: string, orderId?: string) =>
  NotificationMessage.parse({
    shopId,
    id: `n-${template}-${key}`,
    template,
    customerId: 'generic-cust-42',
    ...(orderId && { orderId, orderProvider: 'generic' }),
    data: { ...(orderId && { orderId }), holiday: '圣诞' },
    plannedAt: clock.now(),
  });

describe('frequency caps', () => {
  it('holds across programs: one marketing message a day, two a week', async () => {
    const shopId = await shop({ notifications: greetings });
    at('2026-11-30T02:00:00.000Z');
    await send(shopId, placed('5201', '2026-11-30T01:00:00Z'));
    await send(shopId, paid('5201', '2026-11-30T01:01:00Z'));
    const results: string[] = [];
    // Monday: the check-in goes, a birthday greeting the same day does not.
    results.push(await sendNotice(sender, retention(shopId, 'followup.checkin', 'mon', '5201')));
    results.push(await sendNotice(sender, retention(shopId, 'greeting.holiday', 'mon')));
    // Tuesday: a win-back goes (the second this week); Wednesday: the week is full.
    at('2026-12-01T02:00:00.000Z');
    results.push(await sendNotice(sender, retention(shopId, 'winback', 'tue')));
    at('2026-12-02T02:00:00.000Z');
    results.push(await sendNotice(sender, retention(shopId, 'followup.review', 'wed', '5201')));
    // Next Monday: a new week.
    at('2026-12-07T02:00:00.000Z');
    results.push(await sendNotice(sender, retention(shopId, 'greeting.holiday', 'next-mon')));
    expect(results).toEqual(['sent', 'suppressed', 'sent', 'suppressed', 'sent']);
    expect((await noticeOf(shopId, 'followup.review'))[0]).toMatchObject({
      status: 'suppressed',
      reason: 'frequency_cap',
    });
    // Transactional messages are not capped: the order confirmation went too.
    expect((await outbox(shopId)).map((m) => m.templateId)).toEqual([
      'order.confirmed',
      'followup.checkin',
      'winback',
      'greeting.holiday',
    ]);
  });

  it('suppresses a review invitation while the customer has a parcel problem in the last 14 days', async () => {
    const shopId = await shop();
    at('2026-11-30T02:00:00.000Z');
    await send(shopId, placed('5202', '2026-11-30T01:00:00Z'));
    await send(shopId, {
      type: 'ShipmentCreated',
      orderId: '5202',
      occurredAt: '2026-11-30T01:30:00Z',
      carrier: 'sf-express',
      trackingNumber: 'SF5202',
      shippedAt: '2026-11-30T01:30:00Z',
    });
    await send(shopId, {
      ...tracking('SF5202', 'exception', '2026-11-30T01:45:00Z'),
      problem: 'parcel_damaged',
    });
    expect((await outbox(shopId)).map((m) => m.templateId)).toContain('shipment.exception');
    at('2026-12-05T02:00:00.000Z');
    expect(await sendNotice(sender, retention(shopId, 'followup.review', 'x', '5202'))).toBe('suppressed');
    expect((await noticeOf(shopId, 'followup.review'))[0]!.reason).toMatch(/^recent_delivery_problem/);
  });
});

describe('unsubscribing', () => {
  const api = customerApiHandler(appDeps, config.customerTokenSecret!) as unknown as (
    e: APIGatewayProxyEventV2,
    c: object,
  ) => Promise<{ statusCode: number; body: string; headers?: Record<string, string> }>;
  const call = (method: 'GET' | 'POST', token: string) =>
    api(
      {
        routeKey: `${method} /unsubscribe/{token}`,
        rawPath: `/unsubscribe/${token}`,
        pathParameters: { token },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        requestContext: { http: { method, sourceIp: '127.0.0.1' } },
      } as unknown as APIGatewayProxyEventV2,
      {},
    );

  it('on a plain-http public URL (the local default) a marketing email still goes, with the link and without one-click', async () => {
    // One-click (RFC 8058) must POST to https; a sender refuses it otherwise, and every review
    // invitation and greeting of `npm start` failed that way before.
    const shopId = await shop({ name: 'Northwind Tea', locale: 'en', notifications: greetings });
    at('2026-11-30T14:00:00.000Z');
    const customer = {
      externalId: 'cust-42',
      email: 'sam@example.com',
      locale: 'en',
      timezone: 'America/New_York',
      acceptsMarketing: true,
    };
    await send(shopId, placed('5311', '2026-11-30T13:00:00Z', { customer }));
    const local: SendNoticeDeps = {
      ...sender,
      links: { ...sender.links, publicUrl: 'http://127.0.0.1:3000' },
    };
    const outcome = await sendNotice(local, retention(shopId, 'winback', 'http'));
    expect({ outcome, reason: (await noticeOf(shopId, 'winback'))[0]?.reason }).toEqual({
      outcome: 'sent',
      reason: undefined,
    });
    const marketing = (await outbox(shopId)).find((m) => m.templateId === 'winback')!;
    expect(marketing.headers?.['List-Unsubscribe']).toMatch(
      /^<http:\/\/127\.0\.0\.1:3000\/unsubscribe\/[^>]+>$/,
    );
    expect(marketing.headers).not.toHaveProperty('List-Unsubscribe-Post');
  });

  it('stops marketing at once with the one-click link of a marketing email, but not shipping notices', async () => {
    const shopId = await shop({ name: 'Northwind Tea', locale: 'en', notifications: greetings });
    at('2026-11-30T14:00:00.000Z'); // 09:00 in New York
    const en = {
      externalId: 'cust-42',
      name: 'Alex Smith',
      email: 'alex@example.com',
      locale: 'en',
      timezone: 'America/New_York',
      acceptsMarketing: true,
    };
    await send(shopId, placed('5301', '2026-11-30T13:00:00Z', { customer: en }));
    expect(await sendNotice(sender, retention(shopId, 'winback', 'a'))).toBe('sent');
    const marketing = (await outbox(shopId)).find((m) => m.templateId === 'winback')!;
    expect(marketing.headers).toMatchObject({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
    const link = /^<(https:\/\/aftersale\.test\/unsubscribe\/([^>]+))>$/.exec(
      marketing.headers!['List-Unsubscribe']!,
    )!;
    expect(marketing.html).toContain(link[1]);
    // The page a person opens asks first (link scanners fetch links): nothing is changed by a GET.
    const page = await call('GET', link[2]!);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<form method="post">');
    at('2026-12-01T14:00:00.000Z');
    const r = await sendNotice(sender, retention(shopId, 'greeting.holiday', 'b'));
    expect(r).toBe('sent');
    // The one-click POST (RFC 8058), as the mail client sends it.
    const done = await call('POST', link[2]!);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    at('2026-12-08T14:00:00.000Z');
    expect(await sendNotice(sender, retention(shopId, 'winback', 'c'))).toBe('suppressed');
    expect((await noticeOf(shopId, 'winback')).find((n) => n.id === 'n-winback-c')).toMatchObject({
      reason: expect.stringMatching(/^unsubscribed/),
    });
    // Shipping notices still go.
    await send(shopId, {
      type: 'ShipmentCreated',
      orderId: '5301',
      occurredAt: '2026-12-08T14:00:00Z',
      carrier: 'ups',
      trackingNumber: '1Z999AA10123456784',
      shippedAt: '2026-12-08T14:00:00Z',
    });
    expect((await outbox(shopId)).map((m) => m.templateId).at(-1)).toBe('shipment.shipped');
  });

  it('refuses a link that is not ours', async () => {
    const forged = await signUnsubscribeToken('another-key-another-key-another-key', {
      shopId: 'x',
      customerId: 'y',
      channel: 'all',
    });
    expect((await call('POST', forged)).statusCode).toBe(401);
  });
});

describe('SMS replies from the shop gateway', () => {
  const api = customerApiHandler(appDeps, config.customerTokenSecret!) as unknown as (
    e: APIGatewayProxyEventV2,
    c: object,
  ) => Promise<{ statusCode: number; body: string }>;
  const GATEWAY = 'gateway-secret-0123456789';
  const reply = (shopId: string, body: object, secret = GATEWAY) => {
    const raw = JSON.stringify(body);
    return api(
      {
        routeKey: 'POST /sms/replies/{shopId}',
        rawPath: `/sms/replies/${shopId}`,
        pathParameters: { shopId },
        headers: {
          'content-type': 'application/json',
          'x-aftersale-signature': `sha256=${hmacSha256(secret, raw, 'hex')}`,
        },
        body: raw,
        requestContext: { http: { method: 'POST', sourceIp: '127.0.0.9' } },
      } as unknown as APIGatewayProxyEventV2,
      {},
    );
  };

  it('opts the sender out of marketing SMS at once on 回TD退订, not out of parcel texts; START opts back in', async () => {
    const shopId = await shop({ notifications: greetings });
    await deps.shops.setConnector(
      shopId,
      CHANNEL_SECRET_ITEMS.webhook,
      { secret: GATEWAY, settings: {} },
      clock.now(),
    );
    at('2026-11-30T02:00:00.000Z');
    await send(shopId, placed('5501', '2026-11-30T01:00:00Z'));
    // Forged or unsigned: refused before anything changes.
    expect(
      (await reply(shopId, { from: '13800138000', text: 'TD' }, 'not-the-gateway-secret')).statusCode,
    ).toBe(401);
    // Other words are not an opt-out.
    const chat = await reply(shopId, { from: '13800138000', text: '什么时候发货?' });
    expect(JSON.parse(chat.body)).toEqual({ meaning: 'other', customers: 0 });
    // The number as the gateway writes it, without +86: the shop's region completes it.
    const stop = await reply(shopId, { from: '138 0013 8000', text: '回TD退订' });
    expect(stop.statusCode).toBe(200);
    expect(JSON.parse(stop.body)).toEqual({ meaning: 'opt_out', customers: 1 });
    at('2026-12-01T02:00:00.000Z');
    // Marketing no longer goes by SMS: the customer still takes email, so it goes there.
    expect(await sendNotice(sender, retention(shopId, 'winback', 'sms-a'))).toBe('sent');
    const winbacks = async () =>
      (await outbox(shopId)).filter((m) => m.templateId === 'winback').map((m) => m.channel);
    expect(await winbacks()).toEqual(['email']);
    await send(shopId, {
      type: 'ShipmentCreated',
      orderId: '5501',
      occurredAt: '2026-12-01T02:00:00Z',
      carrier: 'sf-express',
      trackingNumber: 'SF5501',
      shippedAt: '2026-12-01T02:00:00Z',
    });
    // Parcel texts still go by SMS.
    expect((await outbox(shopId)).find((m) => m.templateId === 'shipment.shipped')?.channel).toBe('sms');
    at('2026-12-02T02:00:00.000Z');
    expect(JSON.parse((await reply(shopId, { from: '+8613800138000', text: 'start' })).body)).toEqual({
      meaning: 'opt_in',
      customers: 1,
    });
    expect(await sendNotice(sender, retention(shopId, 'winback', 'sms-b'))).toBe('sent');
    expect(await winbacks()).toEqual(['email', 'sms']);
  });

  it('answers 404 for a shop without a gateway secret, whatever the signature', async () => {
    const shopId = await shop();
    expect((await reply(shopId, { from: '13800138000', text: 'TD' })).statusCode).toBe(404);
  });
});

describe('催付 and win-back', () => {
  it('reminds an unpaid order once after 30 minutes; payment cancels the reminder', async () => {
    const shopId = await shop();
    at('2026-11-30T02:00:00.000Z');
    await send(shopId, placed('5401', '2026-11-30T02:00:00Z'));
    await send(shopId, placed('5402', '2026-11-30T02:00:00Z'));
    at('2026-11-30T02:10:00.000Z');
    await send(shopId, paid('5402', '2026-11-30T02:10:00Z'));
    await fire('2026-11-30T02:30');
    const reminders = (await outbox(shopId)).filter((m) => m.templateId === 'order.payment_reminder');
    expect(reminders).toHaveLength(1);
    expect(reminders[0]!.text).toContain('5401');
    expect(await noticeOf(shopId, 'order.payment_reminder')).toHaveLength(1);
  });

  it('sends a win-back 90 days after the last order; a newer order moves it', async () => {
    const shopId = await shop();
    at('2026-09-01T02:00:00.000Z');
    await send(shopId, placed('5501', '2026-09-01T02:00:00Z'));
    at('2026-09-11T02:00:00.000Z');
    await send(shopId, placed('5502', '2026-09-11T02:00:00Z'));
    // 90 days after the first order: the newer one cancelled it.
    const first = await fire('2026-11-30T02:00');
    expect(first.some((d) => d.event?.type === 'TimerFired' && d.event.kind === 'customer.winback')).toBe(
      true,
    );
    expect((await outbox(shopId)).filter((m) => m.templateId === 'winback')).toEqual([]);
    // 90 days after the second.
    await fire('2026-12-10T02:00');
    expect((await outbox(shopId)).filter((m) => m.templateId === 'winback')).toHaveLength(1);
  });
});

describe('email through SMTP', () => {
  const smtp = startSmtp();
  let port = 0;
  beforeAll(async () => {
    port = await smtp.listen();
  });
  afterAll(() => smtp.close());

  it('arrives at the SMTP server with its text and HTML parts and the unsubscribe headers', async () => {
    const shopId = await shop({
      name: 'Northwind Tea',
      locale: 'en',
      notifications: {
        email: {
          provider: 'smtp',
          from: 'Northwind Tea <service@shop.example>',
          smtp: { host: '127.0.0.1', port, secure: false, user: 'service@shop.example' },
        },
      },
    });
    await deps.shops.setConnector(
      shopId,
      CHANNEL_SECRET_ITEMS.smtp,
      { secret: 'smtp-password', settings: {} },
      clock.now(),
    );
    at('2026-11-30T15:00:00.000Z'); // 10:00 in New York
    const en = {
      externalId: 'cust-42',
      name: 'Alex Smith',
      email: 'alex@example.com',
      locale: 'en',
      timezone: 'America/New_York',
      acceptsMarketing: true,
    };
    await send(shopId, placed('5601', '2026-11-30T14:00:00Z', { customer: en }));
    expect(await sendNotice(sender, retention(shopId, 'winback', 'smtp'))).toBe('sent');
    const mails = smtp.delivered.filter((d) => d.to.includes('alex@example.com'));
    expect(mails).toHaveLength(2);
    const mail = parseMime(mails[1]!.raw);
    expect(mails[1]!.user).toBe('service@shop.example');
    expect(decodeWords(mail.headers.get('subject')!)).toBeTruthy();
    expect(mail.parts.map((p) => p.type)).toEqual(['text/plain', 'text/html']);
    expect(mail.headers.get('list-unsubscribe')).toMatch(/^<https:\/\/aftersale\.test\/unsubscribe\/[^>]+>$/);
    expect(mail.headers.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    // The order confirmation is transactional: no unsubscribe header.
    expect(parseMime(mails[0]!.raw).headers.has('list-unsubscribe')).toBe(false);
  });
});
