import { describe, expect, it } from 'vitest';
import { easypost, easypostStatus } from '../../../functions/adapters/connectors/easypost.ts';
import { hmacSha256 } from '../../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import { CanonicalEvent, type EventOf } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

/*
 * EasyPost's public test vector: the client libraries (easypost-python, -node, -ruby, -go...) check
 * the secret "sécret" against the first line of EasyPost/examples official/fixtures/event-body.json.
 * The fixture file ends with a newline; the libraries sign the line without it.
 */
const OFFICIAL_SECRET_NFKD = 'se\u0301cret';
const OFFICIAL_SECRET_NFC = 's\u00e9cret';
const OFFICIAL_SIGNATURE = 'hmac-sha256-hex=38f3f53c103713df81616a0a186d77141957323ec21d5fe9363db93840f527db';

const fixture = loadSample('easypost', 'tracker-updated.json');
const firstLine = fixture.subarray(0, fixture.indexOf('\n'));

const secret = 'easypost-webhook-secret';
const config = { secrets: [secret], settings: {} };
const sign = (body: Buffer, key = secret) =>
  `hmac-sha256-hex=${hmacSha256(Buffer.from(key.normalize('NFKD')), body, 'hex')}`;
const signed = (body: Buffer, key = secret) => rawRequest(body, { 'x-hmac-signature': sign(body, key) });

function tracking(body: Buffer): EventOf<'TrackingUpdated'> {
  const req = signed(body);
  const result = easypost.parse(req, parseContext(easypost.dedupeKey(req)));
  if (result.kind !== 'events') throw new Error(`expected events, got ${result.reason}`);
  expect(result.events).toHaveLength(1);
  const event = CanonicalEvent.parse(result.events[0]);
  if (event.type !== 'TrackingUpdated') throw new Error(`expected TrackingUpdated, got ${event.type}`);
  return event;
}

describe('easypost connector: signature', () => {
  it("verifies EasyPost's official test vector (secret sécret, fixture event-body.json)", () => {
    const req = rawRequest(firstLine, { 'X-Hmac-Signature': OFFICIAL_SIGNATURE });
    expect(easypost.verify(req, { secrets: [OFFICIAL_SECRET_NFKD], settings: {} })).toBe(true);
  });

  it('normalises the secret to NFKD: the same secret typed as NFC still verifies', () => {
    expect(OFFICIAL_SECRET_NFC).not.toBe(OFFICIAL_SECRET_NFKD);
    const req = rawRequest(firstLine, { 'x-hmac-signature': OFFICIAL_SIGNATURE });
    expect(easypost.verify(req, { secrets: [OFFICIAL_SECRET_NFC], settings: {} })).toBe(true);
    // Without the normalisation the NFC bytes give another key and another signature.
    const nfcKeyed = `hmac-sha256-hex=${hmacSha256(Buffer.from(OFFICIAL_SECRET_NFC), firstLine, 'hex')}`;
    expect(nfcKeyed).not.toBe(OFFICIAL_SIGNATURE);
  });

  it('verifies only the signed bytes: the fixture with its trailing newline, or pretty-printed, fails', () => {
    const official = { secrets: [OFFICIAL_SECRET_NFKD], settings: {} };
    expect(easypost.verify(rawRequest(fixture, { 'x-hmac-signature': OFFICIAL_SIGNATURE }), official)).toBe(
      false,
    );
    const pretty = Buffer.from(JSON.stringify(JSON.parse(firstLine.toString('utf8')), null, 2));
    expect(easypost.verify(rawRequest(pretty, { 'x-hmac-signature': OFFICIAL_SIGNATURE }), official)).toBe(
      false,
    );
  });

  it('rejects a wrong secret, a tampered byte, a bare hex digest and a missing header', () => {
    expect(easypost.verify(signed(firstLine, 'another'), config)).toBe(false);
    const tampered = Buffer.from(firstLine);
    tampered[tampered.indexOf('614.4')] = '7'.charCodeAt(0);
    expect(easypost.verify(rawRequest(tampered, { 'x-hmac-signature': sign(firstLine) }), config)).toBe(
      false,
    );
    const bare = sign(firstLine).replace('hmac-sha256-hex=', '');
    expect(easypost.verify(rawRequest(firstLine, { 'x-hmac-signature': bare }), config)).toBe(false);
    expect(easypost.verify(rawRequest(firstLine), config)).toBe(false);
  });

  it('accepts either secret during a rotation', () => {
    expect(easypost.verify(signed(firstLine), { secrets: ['new-secret', secret], settings: {} })).toBe(true);
    expect(
      easypost.verify(signed(firstLine, 'new-secret'), { secrets: ['new-secret', secret], settings: {} }),
    ).toBe(true);
  });
});

describe('easypost connector: parsing', () => {
  it('dedupes on the event id and names the description as topic', () => {
    expect(easypost.dedupeKey(signed(firstLine))).toBe('evt_1');
    expect(easypost.topic(signed(firstLine))).toBe('tracker.updated');
  });

  it('turns the official tracker.updated fixture into TrackingUpdated, newest checkpoint first', () => {
    const event = tracking(fixture);
    expect(event).toMatchObject({
      provider: 'easypost',
      carrier: 'fedex',
      trackingNumber: '1',
      status: 'in_transit',
      subStatus: 'arrived_at_facility',
      providerStatus: 'in_transit / arrived_at_facility',
      expectedDelivery: '2024-08-05T00:00:00.000Z',
      occurredAt: '2024-08-02T18:50:00.000Z',
    });
    expect(event.signedBy).toBeUndefined();
    expect(event.checkpoints).toHaveLength(7);
    expect(event.checkpoints[0]).toEqual({
      at: '2024-08-02T18:50:00.000Z',
      status: 'in_transit',
      subStatus: 'arrived_at_facility',
      message: 'Arrived at FedEx location',
      location: 'EDISON, NJ, US',
    });
    expect(event.checkpoints.at(-1)).toMatchObject({
      at: '2024-07-31T15:00:00.000Z',
      status: 'info_received',
      subStatus: 'label_created',
      location: 'US',
    });
  });

  it('reads a delivered tracker with its signer', () => {
    const event = tracking(loadSample('easypost', 'tracker-updated-delivered.json'));
    expect(event).toMatchObject({
      status: 'delivered',
      subStatus: 'arrived_at_destination',
      signedBy: 'J DOE',
      occurredAt: '2024-08-05T18:02:00.000Z',
    });
    expect(event.checkpoints.slice(0, 2).map((c) => c.status)).toEqual(['delivered', 'out_for_delivery']);
  });

  it('ignores events that are not about trackers', () => {
    const body = loadSample('easypost', 'batch-created.json');
    expect(easypost.parse(signed(body), parseContext('evt_3'))).toEqual({
      kind: 'ignored',
      reason: 'EasyPost event batch.created',
    });
  });

  it('refuses bodies it cannot read', () => {
    const ctx = parseContext('x');
    expect(() => easypost.parse(rawRequest('{'), ctx)).toThrow(UnparseablePayloadError);
    expect(() => easypost.dedupeKey(rawRequest('{"description":"tracker.updated"}'))).toThrow(/not an Event/);
    const noCode = '{"id":"evt_9","description":"tracker.updated","result":{"status":"in_transit"}}';
    expect(() => easypost.parse(rawRequest(noCode), ctx)).toThrow(/not a Tracker/);
  });
});

describe('easypostStatus', () => {
  it.each([
    ['unknown', 'unknown', 'pending'],
    ['pre_transit', 'label_created', 'info_received'],
    ['out_for_delivery', 'out_for_delivery', 'out_for_delivery'],
    ['available_for_pickup', 'arrived_at_pickup_location', 'available_for_pickup'],
    ['return_to_sender', 'return', 'returning'],
    ['in_transit', 'return', 'returning'],
    ['failure', 'refused', 'exception'],
    ['cancelled', 'cancelled', 'exception'],
    ['error', null, 'exception'],
    ['delivered', 'return', 'delivered'],
  ])('maps %s / %s to %s', (status, detail, ours) => {
    expect(easypostStatus(status, detail)).toBe(ours);
  });

  it('leaves an undocumented status unmapped', () => {
    expect(easypostStatus('teleported', null)).toBeUndefined();
  });
});
