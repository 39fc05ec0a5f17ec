import { describe, expect, it } from 'vitest';
import { aftership } from '../../../functions/adapters/connectors/aftership.ts';
import { easypost } from '../../../functions/adapters/connectors/easypost.ts';
import { kuaidi100 } from '../../../functions/adapters/connectors/kuaidi100.ts';
import { seventeentrack } from '../../../functions/adapters/connectors/seventeentrack.ts';
import type { Connector } from '../../../functions/app/connectors.ts';
import { CanonicalEvent, type EventOf } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';
import { created, emitted, notices, run } from './builders.ts';

// The providers' real sample payloads (events/<provider>/), through their connectors, into the core.

const form = { 'content-type': 'application/x-www-form-urlencoded' };

function parsed(connector: Connector, provider: string, file: string): EventOf<'TrackingUpdated'> {
  let body = loadSample(provider, file);
  // Kuaidi100's param samples are the JSON text of the `param` form field.
  if (provider === 'kuaidi100' && file.endsWith('.json'))
    body = Buffer.from(new URLSearchParams({ param: body.toString() }).toString());
  const req = rawRequest(body, provider === 'kuaidi100' ? form : {});
  const result = connector.parse(req, parseContext(`${provider}/${file}`));
  if (result.kind !== 'events') throw new Error(`${file}: ${result.reason}`);
  return CanonicalEvent.parse(result.events[0]) as EventOf<'TrackingUpdated'>;
}

const fulfillmentFor = (event: EventOf<'TrackingUpdated'>, shippedAt: string) =>
  created({ trackingNumber: event.trackingNumber, shippedAt, occurredAt: shippedAt, carrier: undefined });

const templates = (effects: ReturnType<typeof run>['effects']) =>
  notices(effects).map((n) => (n.kind === 'notify' ? n.template : ''));

describe('real provider payloads through the shipment core', () => {
  it('AfterShip Exception_003: apology to the customer and a refused-delivery case', () => {
    const refused = parsed(aftership, 'aftership', 'exception-refused.json');
    const { state, effects } = run([fulfillmentFor(refused, '2021-05-14T00:00:00Z'), refused]);
    expect(state?.status).toBe('exception');
    expect(templates(effects)).toEqual(['shipment.shipped', 'shipment.exception']);
    expect(emitted(effects, 'CaseRequested')).toEqual([
      expect.objectContaining({ reasonCode: 'delivery_refused', caseType: 'return_refund' }),
    ]);
  });

  it('AfterShip Delivered_005: the delivered-elsewhere notice and one order confirmation', () => {
    const neighbour = parsed(aftership, 'aftership', 'delivered-to-neighbour.json');
    const { effects } = run([neighbour, fulfillmentFor(neighbour, '2021-05-14T00:00:00Z')]);
    expect(templates(effects)).toEqual(['shipment.delivered_elsewhere']);
    expect(emitted(effects, 'OrderDelivered')).toHaveLength(1);
  });

  it('Kuaidi100 state 14 (拒签) requests a refused-delivery case; the later station signature is delivered elsewhere', () => {
    const refused = parsed(kuaidi100, 'kuaidi100', 'param-polling-refused.json');
    const signed = parsed(kuaidi100, 'kuaidi100', 'form-shutdown-station-signed.txt');
    const fulfillment = fulfillmentFor(refused, '2022-01-10T00:00:00Z');
    const inOrder = run([fulfillment, refused, signed]);
    const reversed = run([signed, refused, fulfillment]);
    expect(emitted(inOrder.effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['delivery_refused']);
    expect(emitted(reversed.effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['delivery_refused']);
    // Kuaidi100's shutdown after a signature is the normal end of tracking, not a stall.
    expect(inOrder.state).toMatchObject({ status: 'delivered', deliveredTo: 'pickup_point' });
    expect(inOrder.state?.stalled).toBeUndefined();
    expect(templates(reversed.effects)).toEqual(['shipment.delivered_elsewhere']);
  });

  it('Kuaidi100 abort "3天查询无记录" stalls the parcel at once', () => {
    const abort = parsed(kuaidi100, 'kuaidi100', 'param-abort-no-record.json');
    const { state, effects } = run([fulfillmentFor(abort, '2026-11-19T00:00:00Z'), abort]);
    expect(state?.stalled).toMatchObject({
      reasonCode: 'tracking_stopped',
      reason: expect.stringContaining('3天查询无记录'),
    });
    expect(templates(effects)).toEqual(['shipment.shipped', 'shipment.stalled']);
    expect(emitted(effects, 'CaseRequested').map((c) => c.reasonCode)).toEqual(['tracking_stopped']);
  });

  it('17TRACK TRACKING_STOPPED stalls a returning parcel but not a delivered one', () => {
    const stopped = parsed(seventeentrack, '17track', 'tracking-stopped.json');
    const returning = parsed(seventeentrack, '17track', 'tracking-updated-returning.json');
    const delivered = parsed(seventeentrack, '17track', 'tracking-updated-delivered.json');
    const fulfillment = fulfillmentFor(returning, '2022-04-01T00:00:00Z');
    expect(run([fulfillment, returning, stopped]).state?.stalled).toMatchObject({
      reasonCode: 'tracking_stopped',
    });
    // Delivered (terminal) outranks the later "returning" push; a stopped delivered parcel is done.
    const done = run([fulfillment, returning, delivered, stopped]);
    expect(done.state?.status).toBe('delivered');
    expect(done.state?.stalled).toBeUndefined();
  });

  it('EasyPost in transit then delivered, either way round: one confirmation, one delivered notice', () => {
    const moving = parsed(easypost, 'easypost', 'tracker-updated.json');
    const delivered = parsed(easypost, 'easypost', 'tracker-updated-delivered.json');
    const fulfillment = fulfillmentFor(moving, '2024-08-01T00:00:00Z');
    for (const events of [
      [fulfillment, moving, delivered],
      [delivered, moving, fulfillment],
    ]) {
      const { state, effects } = run(events);
      expect(state).toMatchObject({ status: 'delivered', signedBy: 'J DOE', carrier: 'fedex' });
      expect(emitted(effects, 'OrderDelivered')).toHaveLength(1);
      expect(templates(effects).filter((t) => t === 'shipment.delivered')).toHaveLength(1);
    }
  });
});
