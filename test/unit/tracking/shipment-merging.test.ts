import { describe, expect, it } from 'vitest';
import { noticeId } from '../../../functions/core/tracking/milestones.ts';
import { shipmentReducer } from '../../../functions/core/tracking/shipment.ts';
import { CanonicalEvent } from '../../../schemas/events.ts';
import { Shipment } from '../../../schemas/shipment.ts';
import {
  checkpoint,
  created,
  ctx,
  delivered,
  fulfillment,
  inTransit,
  notices,
  outForDelivery,
  run,
  SHIPMENT_ID,
  tracking,
} from './builders.ts';

// Pushes from the shop and the trackers merge into one shipment: attached to its order when the
// fulfillment arrives, checkpoints deduped, expected dates and carriers kept by what they say.

describe('shipment reducer: merging', () => {
  it('keeps an unknown number as an unattached shipment that announces nothing', () => {
    const { state, effects } = run([inTransit]);
    expect(state).toMatchObject({
      shipmentId: SHIPMENT_ID,
      status: 'in_transit',
      carrier: 'ups',
      sources: ['aftership'],
    });
    expect(state?.orderId).toBeUndefined();
    expect(notices(effects)).toEqual([]);
    expect(() => Shipment.parse(state)).not.toThrow();
  });

  it('attaches it when the fulfillment arrives and announces what is true now', () => {
    const { state, effects } = run([inTransit, outForDelivery, fulfillment]);
    expect(state).toMatchObject({
      orderId: '820982911946154508',
      direction: 'outbound',
      shippedAt: '2026-11-19T08:00:00.000Z',
    });
    // Out for delivery is current: "your parcel shipped" would be old news.
    expect(notices(effects).map((n) => n.kind === 'notify' && n.template)).toEqual([
      'shipment.out_for_delivery',
    ]);
  });

  it('announces shipped when the fulfillment comes first', () => {
    const { effects } = run([fulfillment, inTransit]);
    expect(notices(effects)).toEqual([
      expect.objectContaining({
        template: 'shipment.shipped',
        id: noticeId(SHIPMENT_ID, 'shipped'),
        orderId: '820982911946154508',
      }),
    ]);
  });

  it('merges checkpoints from every push, deduped and newest first', () => {
    const { state } = run([inTransit, delivered, outForDelivery, inTransit]);
    expect(state?.checkpoints.map((c) => c.message)).toEqual([
      'Delivered, signed by LI LEI',
      'Out for delivery',
      'Departed facility',
    ]);
    expect(state?.lastCheckpointAt).toBe('2026-11-21T06:30:00.000Z');
  });

  it('keeps only the newest 100 checkpoints', () => {
    const many = Array.from({ length: 130 }, (_, i) =>
      checkpoint(new Date(Date.UTC(2026, 10, 1) + i * 3_600_000).toISOString(), 'in_transit', `scan ${i}`),
    ).reverse();
    const { state } = run([tracking({ eventId: 'big', status: 'in_transit', checkpoints: many })]);
    expect(state?.checkpoints).toHaveLength(100);
    expect(state?.checkpoints[0]?.message).toBe('scan 129');
    expect(state?.checkpoints[99]?.message).toBe('scan 30');
  });

  it('reports no change for a duplicate (nothing to write), with no effects', () => {
    const first = run([fulfillment, inTransit]);
    const again = shipmentReducer.apply(first.state, inTransit, ctx());
    expect(again.state).toBeUndefined();
    expect(again.effects).toEqual([]);
  });

  it('ignores events that are not about shipments', () => {
    const { state } = run([inTransit]);
    const order = CanonicalEvent.parse({
      type: 'OrderPaid',
      eventId: 'p',
      provider: 'shopify',
      occurredAt: '2026-11-19T00:00:00Z',
      orderId: '1',
      paidAt: '2026-11-19T00:00:00Z',
    });
    expect(shipmentReducer.apply(state, order, ctx())).toEqual({ effects: [] });
  });

  it('records each expected delivery date with when it was first promised', () => {
    const { state } = run([
      tracking({
        eventId: 'e1',
        status: 'in_transit',
        occurredAt: '2026-11-20T00:00:00Z',
        expectedDelivery: '2026-11-23T00:00:00Z',
      }),
      tracking({
        eventId: 'e2',
        status: 'in_transit',
        occurredAt: '2026-11-21T00:00:00Z',
        expectedDelivery: '2026-11-23T00:00:00Z',
      }),
      tracking({
        eventId: 'e3',
        status: 'in_transit',
        occurredAt: '2026-11-22T00:00:00Z',
        expectedDelivery: '2026-11-25T00:00:00Z',
      }),
    ]);
    expect(state?.expectedDelivery).toBe('2026-11-25T00:00:00.000Z');
    expect(state?.expectedDeliveryHistory).toEqual([
      { at: '2026-11-20T00:00:00.000Z', value: '2026-11-23T00:00:00.000Z' },
      { at: '2026-11-22T00:00:00.000Z', value: '2026-11-25T00:00:00.000Z' },
    ]);
  });

  it('keeps the newest expected delivery even when an older promise arrives last', () => {
    const newer = tracking({
      eventId: 'n',
      status: 'in_transit',
      occurredAt: '2026-11-22T00:00:00Z',
      expectedDelivery: '2026-11-25T00:00:00Z',
    });
    const older = tracking({
      eventId: 'o',
      status: 'in_transit',
      occurredAt: '2026-11-20T00:00:00Z',
      expectedDelivery: '2026-11-23T00:00:00Z',
    });
    expect(run([newer, older]).state).toEqual(run([older, newer]).state);
    expect(run([newer, older]).state?.expectedDelivery).toBe('2026-11-25T00:00:00.000Z');
  });

  it('flags a later event naming a different known carrier as a conflict', () => {
    const { state } = run([
      fulfillment,
      tracking({
        eventId: 'x',
        provider: '17track',
        status: 'in_transit',
        carrier: 'fedex',
        occurredAt: '2026-11-20T00:00:00Z',
      }),
    ]);
    expect(state).toMatchObject({ carrier: 'ups', carrierConflict: ['fedex'] });
  });

  it("prefers a known carrier over a marketplace's 'Other'", () => {
    const { state } = run([created({ carrier: 'Other' }), inTransit]);
    expect(state?.carrier).toBe('ups');
    expect(state?.carrierConflict).toBeUndefined();
  });
});
