import { describe, expect, it } from 'vitest';
import { noticeId } from '../../../functions/core/tracking/milestones.ts';
import { stableId } from '../../../functions/lib/crypto.ts';
import { CanonicalEvent } from '../../../schemas/events.ts';
import {
  checkpoint,
  created,
  delivered,
  emitted,
  fulfillment,
  inTransit,
  notices,
  outForDelivery,
  run,
  SHIPMENT_ID,
  tracking,
} from './builders.ts';

// A delivery is confirmed to the order once and announced once, in the notice that fits where the
// parcel went (addressee, neighbour, pickup point, or back to the shop for a return).

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

describe('shipment reducer: delivery', () => {
  it('emits exactly one OrderDelivered and one delivered notice in every arrival order', () => {
    for (const order of permutations([fulfillment, inTransit, outForDelivery, delivered])) {
      const withDuplicates = [...order, delivered, fulfillment];
      const { state, effects } = run(withDuplicates);
      const confirmations = emitted(effects, 'OrderDelivered');
      expect(confirmations).toEqual([
        {
          type: 'OrderDelivered',
          eventId: stableId(SHIPMENT_ID, 'OrderDelivered'),
          provider: 'system',
          occurredAt: '2026-11-21T06:30:00.000Z',
          orderId: '820982911946154508',
          orderProvider: 'shopify',
          deliveredAt: '2026-11-21T06:30:00.000Z',
          shipmentId: SHIPMENT_ID,
          confirmedBy: 'carrier',
        },
      ]);
      expect(() => CanonicalEvent.parse(confirmations[0])).not.toThrow();
      const deliveredNotices = notices(effects).filter((n) => n.id === noticeId(SHIPMENT_ID, 'delivered'));
      expect(deliveredNotices).toHaveLength(1);
      expect(deliveredNotices[0]).toMatchObject({
        template: 'shipment.delivered',
        data: { inspectParcelReminder: true, reportDamageVia: 'after_sale_request', signedBy: 'LI LEI' },
      });
      expect(state?.status).toBe('delivered');
    }
  });

  it('never announces out-for-delivery after the delivery was already known', () => {
    const { effects } = run([fulfillment, delivered, outForDelivery, inTransit]);
    expect(notices(effects).map((n) => n.kind === 'notify' && n.template)).toEqual([
      'shipment.shipped',
      'shipment.delivered',
    ]);
  });

  it('sends the delivered-elsewhere notice instead of the plain one for a neighbour or a locker', () => {
    const neighbour = tracking({
      eventId: 'nb',
      status: 'delivered',
      subStatus: 'Delivered_005',
      deliveredTo: 'other_person',
      signedBy: 'Neighbour at no. 12',
      checkpoints: [checkpoint('2026-11-21T06:30:00Z', 'delivered', 'Left with neighbour')],
    });
    const { effects } = run([fulfillment, neighbour, delivered]);
    const delivery = notices(effects).filter((n) => n.id === noticeId(SHIPMENT_ID, 'delivered'));
    expect(delivery).toEqual([
      expect.objectContaining({
        template: 'shipment.delivered_elsewhere',
        data: expect.objectContaining({ deliveredTo: 'other_person', signedBy: 'Neighbour at no. 12' }),
      }),
    ]);
  });

  it('tracks a return parcel with return.* notices and confirms no order delivery', () => {
    const returnParcel = created({ direction: 'return', eventId: 'ret', occurredAt: '2026-11-25T00:00:00Z' });
    const { effects } = run([returnParcel, { ...delivered, occurredAt: '2026-11-27T00:00:00.000Z' }]);
    expect(notices(effects).map((n) => n.kind === 'notify' && n.template)).toEqual([
      'return.shipped',
      'return.delivered',
    ]);
    expect(emitted(effects, 'OrderDelivered')).toEqual([]);
  });

  it('announces available for pickup with the pickup point and code', () => {
    const station = tracking({
      eventId: 'k',
      provider: 'kuaidi100',
      status: 'available_for_pickup',
      subStatus: '501',
      pickup: { point: '菜鸟驿站(幸福里店)', code: '3-2-1021' },
      checkpoints: [checkpoint('2026-11-21T03:00:00Z', 'available_for_pickup', '快件已由菜鸟驿站代收')],
    });
    const { effects } = run([fulfillment, station]);
    expect(notices(effects).at(-1)).toMatchObject({
      template: 'shipment.available_for_pickup',
      data: { pickupPoint: '菜鸟驿站(幸福里店)', pickupCode: '3-2-1021' },
    });
  });
});
