import { describe, expect, it } from 'vitest';
import {
  aftership,
  aftershipStatus,
  aftershipTime,
} from '../../../functions/adapters/connectors/aftership.ts';
import { hmacSha256 } from '../../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import { CanonicalEvent, type EventOf } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

const secret = 'aftership-webhook-secret';
const config = { secrets: [secret], settings: {} };
const sign = (body: Buffer | string, key = secret) => hmacSha256(key, body, 'base64');
const signed = (body: Buffer, key = secret) => rawRequest(body, { 'aftership-hmac-sha256': sign(body, key) });

function tracking(file: string): EventOf<'TrackingUpdated'> {
  const body = loadSample('aftership', file);
  const req = signed(body);
  const result = aftership.parse(req, parseContext(aftership.dedupeKey(req)));
  if (result.kind !== 'events') throw new Error(`expected events, got ${result.reason}`);
  expect(result.events).toHaveLength(1);
  const event = CanonicalEvent.parse(result.events[0]);
  if (event.type !== 'TrackingUpdated') throw new Error(`expected TrackingUpdated, got ${event.type}`);
  return event;
}

describe('aftership connector: signature', () => {
  const body = loadSample('aftership', 'tracking-update-in-transit.json');

  it('accepts base64 HMAC-SHA256 of the raw body, with the current or the previous secret', () => {
    expect(aftership.verify(signed(body), config)).toBe(true);
    expect(aftership.verify(signed(body), { secrets: ['rotated-new-secret', secret], settings: {} })).toBe(
      true,
    );
  });

  it('matches the header whatever case the sender used for its name', () => {
    expect(aftership.verify(rawRequest(body, { 'Aftership-Hmac-Sha256': sign(body) }), config)).toBe(true);
  });

  it('rejects a wrong secret, a missing header and a hex digest of the right HMAC', () => {
    expect(aftership.verify(signed(body, 'someone-else'), config)).toBe(false);
    expect(aftership.verify(rawRequest(body, {}), config)).toBe(false);
    expect(
      aftership.verify(
        rawRequest(body, { 'aftership-hmac-sha256': hmacSha256(secret, body, 'hex') }),
        config,
      ),
    ).toBe(false);
  });

  it('rejects a body tampered by one byte', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('InTransit_003')] = 'J'.charCodeAt(0);
    expect(aftership.verify(rawRequest(tampered, { 'aftership-hmac-sha256': sign(body) }), config)).toBe(
      false,
    );
  });

  it('verifies only the signed bytes: the same JSON compacted, or with a trailing newline, fails', () => {
    const compact = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    const header = { 'aftership-hmac-sha256': sign(body) };
    expect(aftership.verify(rawRequest(compact, header), config)).toBe(false);
    expect(aftership.verify(rawRequest(Buffer.concat([body, Buffer.from('\n')]), header), config)).toBe(
      false,
    );
    expect(aftership.verify(signed(compact), config)).toBe(true);
  });
});

describe('aftership connector: parsing', () => {
  it('dedupes on event_id and names the event as topic', () => {
    const req = signed(loadSample('aftership', 'tracking-update-in-transit.json'));
    expect(aftership.dedupeKey(req)).toBe('bca2a741-8613-4694-bfb4-2ceb0016ee4f');
    expect(aftership.topic(req)).toBe('tracking_update');
  });

  it('turns the documented in-transit push into one TrackingUpdated with checkpoints newest first', () => {
    const event = tracking('tracking-update-in-transit.json');
    expect(event).toMatchObject({
      provider: 'aftership',
      carrier: 'usps',
      trackingNumber: '9405516902697649303570',
      status: 'in_transit',
      subStatus: 'InTransit_003',
      providerStatus: 'InTransit / Arrival scan',
      expectedDelivery: '2021-05-17T00:00:00.000Z',
      // the newest checkpoint's time, read as UTC because AfterShip gives it without a zone
      occurredAt: '2021-05-17T03:45:00.000Z',
    });
    expect(event.checkpoints).toHaveLength(7);
    expect(event.checkpoints[0]).toEqual({
      at: '2021-05-17T03:45:00.000Z',
      status: 'in_transit',
      subStatus: 'InTransit_003',
      message: 'Arrived at Post Office',
      location: 'HOLLY RIDGE, NC, 28445, USA, United States',
    });
    expect(event.checkpoints.at(-1)).toMatchObject({
      status: 'info_received',
      subStatus: 'InfoReceived_001',
    });
    const times = event.checkpoints.map((c) => c.at);
    expect(times).toEqual([...times].sort().reverse());
    expect(event.deliveredTo).toBeUndefined();
    expect(event.stopped).toBeUndefined();
  });

  it('marks Delivered_005 as delivered to another person, with the signer', () => {
    const event = tracking('delivered-to-neighbour.json');
    expect(event).toMatchObject({
      status: 'delivered',
      subStatus: 'Delivered_005',
      deliveredTo: 'other_person',
      signedBy: 'R SMITH',
      occurredAt: '2021-05-17T14:12:00.000Z',
    });
    expect(event.checkpoints[0]).toMatchObject({
      status: 'delivered',
      message: 'Delivered, Left with Individual',
    });
    expect(event.checkpoints).toHaveLength(8);
  });

  it('keeps a refusal (Exception_003) an exception, with the subtag for the staff case', () => {
    const event = tracking('exception-refused.json');
    expect(event).toMatchObject({ status: 'exception', subStatus: 'Exception_003' });
  });

  it('maps Exception_010 to returning', () => {
    expect(tracking('exception-returning.json')).toMatchObject({
      status: 'returning',
      subStatus: 'Exception_010',
    });
  });

  it('gives the pickup point for a parcel waiting at a pickup point', () => {
    const event = tracking('available-for-pickup.json');
    expect(event).toMatchObject({
      status: 'available_for_pickup',
      pickup: { point: 'HOLLY RIDGE POST OFFICE, 205 SOUND RD, HOLLY RIDGE, NC 28445' },
    });
  });

  it('is deterministic: the same request gives the same event id', () => {
    expect(tracking('exception-refused.json').eventId).toBe(tracking('exception-refused.json').eventId);
  });

  it('ignores events that are not tracking updates and undocumented tags', () => {
    const ctx = parseContext('x');
    const other = Buffer.from(
      '{"event":"tracking_pending_time","event_id":"e-1","msg":{"tracking_number":"1"}}',
    );
    expect(aftership.parse(signed(other), ctx)).toEqual({
      kind: 'ignored',
      reason: 'AfterShip event tracking_pending_time',
    });
    const newTag = Buffer.from(
      '{"event":"tracking_update","event_id":"e-2","msg":{"tracking_number":"1","tag":"Teleported"}}',
    );
    expect(aftership.parse(signed(newTag), ctx)).toMatchObject({ kind: 'ignored' });
  });

  it('refuses a body it cannot read with a reason', () => {
    const ctx = parseContext('x');
    expect(() => aftership.parse(rawRequest('{"event":'), ctx)).toThrow(UnparseablePayloadError);
    expect(() => aftership.dedupeKey(rawRequest('{"event":"tracking_update"}'))).toThrow(/event_id/);
    const noNumber = '{"event":"tracking_update","event_id":"e","msg":{"tag":"InTransit"}}';
    expect(() => aftership.parse(rawRequest(noNumber), ctx)).toThrow(/not a tracking/);
  });
});

describe('aftershipStatus and aftershipTime', () => {
  it.each([
    ['Pending', undefined, 'pending'],
    ['InfoReceived', 'InfoReceived_001', 'info_received'],
    ['OutForDelivery', 'OutForDelivery_003', 'out_for_delivery'],
    ['AttemptFail', 'AttemptFail_002', 'failed_attempt'],
    ['AvailableForPickup', 'AvailableForPickup_001', 'available_for_pickup'],
    ['Exception', 'Exception_011', 'returned'],
    ['Exception', 'Exception_013', 'exception'],
    ['Expired', 'Expired_001', 'expired'],
  ])('maps %s / %s to %s', (tag, subtag, status) => {
    expect(aftershipStatus(tag, subtag)).toBe(status);
  });

  it('reads offsets, bare dates and zone-less times the same way on every machine', () => {
    expect(aftershipTime('2021-05-13T13:04:00+08:00')).toBe('2021-05-13T05:04:00.000Z');
    expect(aftershipTime('2021-05-13T13:04:00')).toBe('2021-05-13T13:04:00.000Z');
    expect(aftershipTime('2021-05-13')).toBe('2021-05-13T00:00:00.000Z');
    expect(aftershipTime('soon')).toBeUndefined();
    expect(aftershipTime(null)).toBeUndefined();
  });
});
