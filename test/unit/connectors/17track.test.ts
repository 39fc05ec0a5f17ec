import { describe, expect, it } from 'vitest';
import {
  seventeenTrackStatus,
  seventeentrack,
} from '../../../functions/adapters/connectors/seventeentrack.ts';
import { hmacSha256, sha256 } from '../../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import { CanonicalEvent, type EventOf } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

const key = '17track-security-key';
const config = { secrets: [key], settings: {} };
const sign = (body: Buffer, k = key) => sha256(Buffer.concat([body, Buffer.from(`/${k}`)]));
const signed = (body: Buffer, k = key) => rawRequest(body, { sign: sign(body, k) });

function tracking(file: string): EventOf<'TrackingUpdated'> {
  const req = signed(loadSample('17track', file));
  const result = seventeentrack.parse(req, parseContext(seventeentrack.dedupeKey(req)));
  if (result.kind !== 'events') throw new Error(`expected events, got ${result.reason}`);
  expect(result.events).toHaveLength(1);
  const event = CanonicalEvent.parse(result.events[0]);
  if (event.type !== 'TrackingUpdated') throw new Error(`expected TrackingUpdated, got ${event.type}`);
  return event;
}

describe('17track connector: signature', () => {
  const body = loadSample('17track', 'tracking-updated-delivered.json');

  it('accepts sha256(body + "/" + key) with the current or the previous key', () => {
    expect(seventeentrack.verify(signed(body), config)).toBe(true);
    expect(seventeentrack.verify(signed(body), { secrets: ['new-key', key], settings: {} })).toBe(true);
    expect(seventeentrack.verify(rawRequest(body, { Sign: sign(body) }), config)).toBe(true);
  });

  it('rejects an HMAC of the body, a wrong key, a missing header and the key without the slash', () => {
    expect(seventeentrack.verify(rawRequest(body, { sign: hmacSha256(key, body, 'hex') }), config)).toBe(
      false,
    );
    expect(seventeentrack.verify(signed(body, 'other-key'), config)).toBe(false);
    expect(seventeentrack.verify(rawRequest(body), config)).toBe(false);
    const noSlash = sha256(Buffer.concat([body, Buffer.from(key)]));
    expect(seventeentrack.verify(rawRequest(body, { sign: noSlash }), config)).toBe(false);
  });

  it('rejects a body tampered by one byte', () => {
    const tampered = Buffer.from(body);
    tampered[tampered.indexOf('GASQUET')] = 'g'.charCodeAt(0);
    expect(seventeentrack.verify(rawRequest(tampered, { sign: sign(body) }), config)).toBe(false);
  });

  it('verifies only the signed bytes: compacted JSON or a trailing newline fails', () => {
    const compact = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    expect(seventeentrack.verify(rawRequest(compact, { sign: sign(body) }), config)).toBe(false);
    const newline = Buffer.concat([body, Buffer.from('\n')]);
    expect(seventeentrack.verify(rawRequest(newline, { sign: sign(body) }), config)).toBe(false);
    expect(seventeentrack.verify(signed(compact), config)).toBe(true);
  });
});

describe('17track connector: parsing', () => {
  it('dedupes on number + event + latest event time, which the same content always repeats', () => {
    const updated = signed(loadSample('17track', 'tracking-updated-delivered.json'));
    expect(seventeentrack.dedupeKey(updated)).toBe(
      '1Z2617V10397725789|TRACKING_UPDATED|2022-04-04T23:35:22.000Z',
    );
    expect(seventeentrack.dedupeKey(signed(loadSample('17track', 'tracking-stopped.json')))).toBe(
      '1Z2617V10397725789|TRACKING_STOPPED|none',
    );
    expect(seventeentrack.topic(updated)).toBe('TRACKING_UPDATED');
  });

  it('turns a delivered push into TrackingUpdated with every provider event, newest first, in UTC', () => {
    const event = tracking('tracking-updated-delivered.json');
    expect(event).toMatchObject({
      provider: '17track',
      carrier: 'ups',
      trackingNumber: '1Z2617V10397725789',
      status: 'delivered',
      subStatus: 'Delivered_Other',
      providerStatus: 'Delivered / Delivered_Other',
      occurredAt: '2022-04-04T23:35:22.000Z',
    });
    expect(event.stopped).toBeUndefined();
    expect(event.expectedDelivery).toBeUndefined();
    expect(event.checkpoints.map((c) => [c.at, c.status])).toEqual([
      ['2022-04-04T23:35:22.000Z', 'delivered'],
      ['2022-04-04T15:46:06.000Z', 'out_for_delivery'],
      ['2022-04-02T09:15:00.000Z', 'in_transit'],
      ['2022-03-31T23:36:47.000Z', 'in_transit'],
      ['2022-03-29T05:43:08.000Z', 'info_received'],
    ]);
    expect(event.checkpoints[0]).toMatchObject({ message: 'DELIVERED', location: 'GASQUET, CA, US' });
  });

  it('maps Exception_Returning to returning and keeps the expected delivery date', () => {
    const event = tracking('tracking-updated-returning.json');
    expect(event).toMatchObject({
      status: 'returning',
      subStatus: 'Exception_Returning',
      expectedDelivery: '2022-04-10T07:00:00.000Z',
      occurredAt: '2022-04-05T16:02:00.000Z',
    });
    expect(event.checkpoints[0]).toMatchObject({ status: 'returning', subStatus: 'Returning' });
  });

  it('marks TRACKING_STOPPED without delivery as stopped, timed at arrival, without moving the status', () => {
    const event = tracking('tracking-stopped.json');
    expect(event).toMatchObject({
      trackingNumber: '1Z2617V10397725789',
      carrier: 'ups',
      status: 'pending',
      checkpoints: [],
      occurredAt: '2026-11-23T00:00:00.000Z',
      stopped: { reason: expect.stringContaining('TRACKING_STOPPED') },
    });
  });

  it('does not call a stop after delivery a stall', () => {
    const delivered = JSON.parse(loadSample('17track', 'tracking-updated-delivered.json').toString('utf8'));
    delivered.event = 'TRACKING_STOPPED';
    const req = signed(Buffer.from(JSON.stringify(delivered)));
    const result = seventeentrack.parse(req, parseContext('s'));
    expect(result).toMatchObject({ kind: 'events', events: [{ status: 'delivered', stopped: undefined }] });
  });

  it('falls back to the provider name for a carrier key we do not know', () => {
    const body = JSON.parse(loadSample('17track', 'tracking-updated-delivered.json').toString('utf8'));
    body.data.carrier = 999999;
    const result = seventeentrack.parse(signed(Buffer.from(JSON.stringify(body))), parseContext('c'));
    expect(result).toMatchObject({ kind: 'events', events: [{ carrier: 'ups' }] });
  });

  it('ignores other events and undocumented statuses; refuses unreadable bodies', () => {
    const ctx = parseContext('x');
    const other = Buffer.from('{"event":"TRACKING_ARCHIVED","data":{"number":"1"}}');
    expect(seventeentrack.parse(signed(other), ctx)).toEqual({
      kind: 'ignored',
      reason: '17TRACK event TRACKING_ARCHIVED',
    });
    const odd = Buffer.from(
      '{"event":"TRACKING_UPDATED","data":{"number":"1","track_info":{"latest_status":{"status":"Lost"}}}}',
    );
    expect(seventeentrack.parse(signed(odd), ctx)).toMatchObject({ kind: 'ignored' });
    expect(() => seventeentrack.parse(rawRequest('not json'), ctx)).toThrow(UnparseablePayloadError);
    expect(() => seventeentrack.dedupeKey(rawRequest('{"event":"TRACKING_UPDATED","data":{}}'))).toThrow(
      /number/,
    );
  });
});

describe('seventeenTrackStatus', () => {
  it.each([
    ['NotFound', 'NotFound_Other', 'pending'],
    ['InfoReceived', 'InfoReceived', 'info_received'],
    ['InTransit', 'InTransit_CustomsProcessing', 'in_transit'],
    ['Expired', 'Expired_Other', 'expired'],
    ['AvailableForPickup', 'AvailableForPickup_Other', 'available_for_pickup'],
    ['OutForDelivery', 'OutForDelivery_Other', 'out_for_delivery'],
    ['DeliveryFailure', 'DeliveryFailure_NoBody', 'failed_attempt'],
    ['DeliveryFailure', 'DeliveryFailure_Rejected', 'exception'],
    ['Exception', 'Exception_Returned', 'returned'],
    ['Exception', 'Exception_Lost', 'exception'],
    [undefined, 'Delivered_Other', 'delivered'],
  ])('maps %s / %s to %s', (status, sub, ours) => {
    expect(seventeenTrackStatus(status, sub)).toBe(ours);
  });
});
