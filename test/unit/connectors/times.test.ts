import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aftership } from '../../../functions/adapters/connectors/aftership.ts';
import { doudian } from '../../../functions/adapters/connectors/doudian.ts';
import { easypost } from '../../../functions/adapters/connectors/easypost.ts';
import { generic } from '../../../functions/adapters/connectors/generic.ts';
import { listProviders } from '../../../functions/adapters/connectors/index.ts';
import { kuaidi100 } from '../../../functions/adapters/connectors/kuaidi100.ts';
import { seventeentrack } from '../../../functions/adapters/connectors/seventeentrack.ts';
import { shopify } from '../../../functions/adapters/connectors/shopify.ts';
import { taobao } from '../../../functions/adapters/connectors/taobao.ts';
import { ZONE_LESS } from '../../../functions/adapters/connectors/times.ts';
import { woocommerce } from '../../../functions/adapters/connectors/woocommerce.ts';
import type { Connector } from '../../../functions/app/connectors.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import { isZoneLess, parseInstant, toInstant, unixOrIsoToInstant } from '../../../functions/lib/time.ts';
import { CanonicalEvent } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

/*
 * Every expectation below is an exact UTC instant, asserted while the process runs in Tokyo time
 * (UTC+9): a parser that let the machine's zone read a zone-less time would be 9 hours off and fail.
 */
const originalTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Asia/Tokyo';
});
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

it('runs in a machine zone that is not UTC (so the tests below can catch a machine-zone read)', () => {
  expect(new Date('2026-11-20T10:00:00').toISOString()).toBe('2026-11-20T01:00:00.000Z');
});

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const sampleJson = (provider: string, file: string) =>
  JSON.parse(loadSample(provider, file).toString('utf8'));

function eventsOf(connector: Connector, body: Buffer | string, headers: Record<string, string> = {}) {
  const result = connector.parse(rawRequest(body, headers), parseContext('times'));
  if (result.kind !== 'events') throw new Error(`ignored: ${result.reason}`);
  return result.events.map((event) => CanonicalEvent.parse(event));
}

function trackingOf(connector: Connector, body: Buffer | string, headers: Record<string, string> = {}) {
  const event = eventsOf(connector, body, headers)[0];
  if (event?.type !== 'TrackingUpdated') throw new Error(`expected TrackingUpdated, got ${event?.type}`);
  return event;
}

describe('parseInstant', () => {
  it('reads Z and every offset spelling as that instant, under any rule', () => {
    for (const rule of ['utc', 'china', 'refuse'] as const) {
      expect(parseInstant('2026-11-20T10:00:00Z', rule)).toBe('2026-11-20T10:00:00.000Z');
      expect(parseInstant('2026-11-20T10:00:00+08:00', rule)).toBe('2026-11-20T02:00:00.000Z');
      expect(parseInstant('2026-11-20T10:00:00+0800', rule)).toBe('2026-11-20T02:00:00.000Z');
      expect(parseInstant('2026-11-20T10:00:00+08', rule)).toBe('2026-11-20T02:00:00.000Z');
      expect(parseInstant('2026-11-20T10:00:00-05:30', rule)).toBe('2026-11-20T15:30:00.000Z');
      expect(parseInstant('2026-11-20 10:00:00 +08:00', rule)).toBe('2026-11-20T02:00:00.000Z');
    }
  });

  it('reads a zone-less time by the rule, never by the machine', () => {
    expect(parseInstant('2026-11-20T10:00:00', 'utc')).toBe('2026-11-20T10:00:00.000Z');
    expect(parseInstant('2026-11-20 10:00:00', 'china')).toBe('2026-11-20T02:00:00.000Z');
    expect(parseInstant('2026-11-20T10:00:00', 'refuse')).toBeUndefined();
    expect(parseInstant('2026-11-20', 'utc')).toBe('2026-11-20T00:00:00.000Z');
    expect(parseInstant('2026-11-20', 'china')).toBe('2026-11-19T16:00:00.000Z');
    expect(parseInstant('2026-11-20', 'refuse')).toBeUndefined();
    expect(parseInstant('2026-11-20T10:00', 'utc')).toBe('2026-11-20T10:00:00.000Z');
  });

  it('keeps milliseconds and drops finer fractions', () => {
    expect(parseInstant('2023-03-29T18:00:27.877041743Z', 'refuse')).toBe('2023-03-29T18:00:27.877Z');
    expect(parseInstant('2026-11-20T10:00:00.5', 'utc')).toBe('2026-11-20T10:00:00.500Z');
  });

  it('refuses days and times no calendar has, and anything that is not ISO 8601', () => {
    for (const bad of [
      '2026-02-30T10:00:00Z',
      '2026-13-01T00:00:00Z',
      '2026-11-20T24:00:00Z',
      '2026-11-20T10:60:00Z',
      '2026-11-20T10:00:00+19:00',
      '20 Nov 2026 10:00:00',
      '2026/11/20 10:00:00',
      'soon',
      '',
    ]) {
      expect(parseInstant(bad, 'utc'), bad).toBeUndefined();
    }
    expect(parseInstant(null, 'utc')).toBeUndefined();
    // Date.UTC would read year 50 as 1950.
    expect(parseInstant('0050-01-01T00:00:00Z', 'utc')).toBe('0050-01-01T00:00:00.000Z');
  });

  it('toInstant says why it cannot read a time', () => {
    expect(() => toInstant('2026-11-20T10:00:00', 'refuse')).toThrow(/without a zone offset/);
    expect(() => toInstant('yesterday', 'utc')).toThrow(UnparseablePayloadError);
    expect(isZoneLess('2026-11-20 10:00:00')).toBe(true);
    expect(isZoneLess('2026-11-20T10:00:00Z')).toBe(false);
  });

  it('unixOrIsoToInstant reads unix seconds, epoch millis and text under the rule', () => {
    expect(unixOrIsoToInstant(1618990587, 'china')).toBe('2021-04-21T07:36:27.000Z');
    expect(unixOrIsoToInstant('1618990587000', 'china')).toBe('2021-04-21T07:36:27.000Z');
    expect(unixOrIsoToInstant('2021-04-21 15:36:27', 'china')).toBe('2021-04-21T07:36:27.000Z');
  });
});

describe('one zone-less rule per provider', () => {
  it('every provider we take webhooks from has one', () => {
    expect(Object.keys(ZONE_LESS).sort()).toEqual([...listProviders()].sort());
  });

  it('Shopify (refuse): an order time without its offset is unparseable; with it, exact', () => {
    const order = { id: 1, currency: 'USD', total_price: '1.00', created_at: '2026-11-20T10:00:00-05:00' };
    const headers = { 'x-shopify-topic': 'orders/updated' };
    const [event] = eventsOf(shopify, json(order), headers);
    expect(event).toMatchObject({
      occurredAt: '2026-11-20T15:00:00.000Z',
      order: { placedAt: '2026-11-20T15:00:00.000Z' },
    });
    const zoneLess = json({ ...order, created_at: '2026-11-20T10:00:00' });
    expect(() => eventsOf(shopify, zoneLess, headers)).toThrow(
      /without a zone offset: "2026-11-20T10:00:00"/,
    );
  });

  it('Shopify (refuse): a zone-less X-Shopify-Triggered-At is not used; the arrival time is', () => {
    const body = loadSample('shopify', 'returns-request.json');
    const at = (triggeredAt: string) =>
      eventsOf(shopify, body, {
        'x-shopify-topic': 'returns/request',
        'x-shopify-triggered-at': triggeredAt,
      })[0]?.occurredAt;
    expect(at('2026-11-20T10:00:00.123456Z')).toBe('2026-11-20T10:00:00.123Z');
    expect(at('2026-11-20T10:00:00')).toBe('2026-11-23T00:00:00.000Z');
  });

  it('WooCommerce (utc): the zone-less _gmt dates are UTC', () => {
    const order = {
      ...sampleJson('woocommerce', 'order-created.json'),
      date_created: '2026-11-20T18:00:00',
      date_created_gmt: '2026-11-20T10:00:00',
      date_modified_gmt: '2026-11-20T10:05:00',
    };
    const [placed] = eventsOf(woocommerce, json(order), { 'x-wc-webhook-topic': 'order.created' });
    expect(placed).toMatchObject({
      occurredAt: '2026-11-20T10:05:00.000Z',
      order: { placedAt: '2026-11-20T10:00:00.000Z' },
    });
  });

  it('Taobao (china): pub_time and content.modified are Beijing time', () => {
    const message = sampleJson('taobao', 'trade-create.json');
    const [byPubTime] = eventsOf(taobao, json({ ...message, pub_time: '2026-11-20 10:15:00' }));
    expect(byPubTime?.occurredAt).toBe('2026-11-20T02:15:00.000Z');
    const content = { ...JSON.parse(message.content), modified: '2026-11-20T10:15:00' };
    const [byModified] = eventsOf(taobao, json({ ...message, content: JSON.stringify(content) }));
    expect(byModified?.occurredAt).toBe('2026-11-20T02:15:00.000Z');
  });

  it('Douyin (china): unix seconds exactly, a date-time string as Beijing time', () => {
    const [message] = sampleJson('doudian', 'trade-create.json');
    const data = JSON.parse(message.data);
    const withTime = (create_time: unknown) =>
      eventsOf(doudian, json([{ ...message, data: JSON.stringify({ ...data, create_time }) }]))[0]
        ?.occurredAt;
    expect(withTime(1618990587)).toBe('2021-04-21T07:36:27.000Z');
    expect(withTime('2021-04-21 15:36:27')).toBe('2021-04-21T07:36:27.000Z');
  });

  it('Kuaidi100 (china): checkpoint ftime is Beijing time', () => {
    const param = loadSample('kuaidi100', 'param-polling-in-transit.json').toString('utf8');
    const form = new URLSearchParams({ param }).toString();
    const event = trackingOf(kuaidi100, form, { 'content-type': 'application/x-www-form-urlencoded' });
    expect(event.checkpoints[0]?.at).toBe('2012-08-28T08:33:19.000Z');
    expect(event.occurredAt).toBe('2012-08-28T08:33:19.000Z');
  });

  it('AfterShip (utc): a zone-less checkpoint_time is read as UTC, an offset as given', () => {
    const body = sampleJson('aftership', 'tracking-update-in-transit.json');
    body.msg.checkpoints = [
      { ...body.msg.checkpoints[0], checkpoint_time: '2021-05-13T13:04:00' },
      { ...body.msg.checkpoints[0], checkpoint_time: '2021-05-14T13:04:00+08:00', message: 'later' },
    ];
    const event = trackingOf(aftership, json(body));
    expect(event.checkpoints.map((c) => c.at)).toEqual([
      '2021-05-14T05:04:00.000Z',
      '2021-05-13T13:04:00.000Z',
    ]);
  });

  it("EasyPost (utc): a zone-less datetime is UTC, EasyPost's default", () => {
    const body = sampleJson('easypost', 'tracker-updated.json');
    body.result.tracking_details = [{ ...body.result.tracking_details[0], datetime: '2024-07-31T15:00:00' }];
    body.result.est_delivery_date = '2024-08-05T00:00:00';
    const event = trackingOf(easypost, json(body));
    expect(event.checkpoints[0]?.at).toBe('2024-07-31T15:00:00.000Z');
    expect(event.expectedDelivery).toBe('2024-08-05T00:00:00.000Z');
  });

  it('17TRACK (refuse): a zone-less event time or ETA is not used', () => {
    const body = sampleJson('17track', 'tracking-updated-delivered.json');
    const provider = body.data.track_info.tracking.providers[0];
    const [newest, ...rest] = provider.events;
    provider.events = [{ ...newest, time_utc: null, time_iso: '2022-04-04T16:35:22' }, ...rest];
    body.data.track_info.latest_event = provider.events[0];
    body.data.track_info.time_metrics = {
      estimated_delivery_date: { from: '2022-04-08T00:00:00', to: '2022-04-10T00:00:00' },
    };
    const event = trackingOf(seventeentrack, json(body));
    expect(event.checkpoints.map((c) => c.at)).not.toContain('2022-04-04T16:35:22.000Z');
    expect(event.checkpoints.map((c) => c.at)).not.toContain('2022-04-04T07:35:22.000Z');
    expect(event.checkpoints[0]?.at).toBe(parseInstant(rest[0].time_utc ?? rest[0].time_iso, 'refuse'));
    expect(event.expectedDelivery).toBeUndefined();
  });

  it('17TRACK: the sample ETA window with its offset is exact', () => {
    const event = trackingOf(seventeentrack, loadSample('17track', 'tracking-updated-returning.json'));
    expect(event.expectedDelivery).toBe('2022-04-10T07:00:00.000Z');
  });

  it('generic (refuse): a zone-less time is refused, naming the field', () => {
    const checkpoint = { at: '2026-11-20T10:00:00', status: 'in_transit', message: 'Departed' };
    const body = {
      type: 'TrackingUpdated',
      occurredAt: '2026-11-20T10:00:00+08:00',
      trackingNumber: 'ZT7700123456789',
      status: 'in_transit',
      checkpoints: [checkpoint],
    };
    expect(() => eventsOf(generic, json(body))).toThrow(
      /checkpoints\.0\.at: must be ISO 8601 with an offset or Z/,
    );
    const [event] = eventsOf(
      generic,
      json({ ...body, checkpoints: [{ ...checkpoint, at: '2026-11-20T10:00:00Z' }] }),
    );
    expect(event).toMatchObject({ occurredAt: '2026-11-20T02:00:00.000Z' });
    expect(() => eventsOf(generic, json({ ...body, occurredAt: '2026-11-20 10:00' }))).toThrow(/occurredAt/);
  });
});
