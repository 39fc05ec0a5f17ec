import type { ApplyContext, Effect, ShopSettings } from '../../../functions/core/engine/types.ts';
import { shipmentIdFor } from '../../../functions/core/ids.ts';
import { shipmentReducer } from '../../../functions/core/tracking/shipment.ts';
import {
  type CanonicalEvent,
  CanonicalEvent as CanonicalEventSchema,
  type EventOf,
  type TrackingProblem,
} from '../../../schemas/events.ts';
import type { Shipment } from '../../../schemas/shipment.ts';
import { applyContext, shopSettings } from '../../support/shop.ts';

/** Plain-object builders for the shipment tests: events parsed by the real schemas, a fixed clock. */

export { NOW } from '../../support/shop.ts';

/** The test shop (test/support/shop.ts) at the fixed clock, with tracking settings overridden. */
export function ctx(tracking: Partial<ShopSettings['tracking']> = {}): ApplyContext {
  return applyContext(shopSettings({ tracking }));
}

type TrackingInput = Partial<Omit<EventOf<'TrackingUpdated'>, 'type'>> &
  Pick<EventOf<'TrackingUpdated'>, 'status'>;

export function tracking(input: TrackingInput): EventOf<'TrackingUpdated'> {
  return CanonicalEventSchema.parse({
    type: 'TrackingUpdated',
    eventId: `t-${input.status}-${input.occurredAt ?? input.checkpoints?.[0]?.at ?? 'x'}`,
    provider: 'aftership',
    occurredAt: input.checkpoints?.[0]?.at ?? '2026-11-20T00:00:00.000Z',
    trackingNumber: '1Z999AA10123456784',
    checkpoints: [],
    ...input,
  }) as EventOf<'TrackingUpdated'>;
}

export function checkpoint(
  at: string,
  status: EventOf<'TrackingUpdated'>['status'],
  message = `${status} scan`,
  extra: { subStatus?: string; problem?: TrackingProblem; location?: string } = {},
) {
  return { at: new Date(at).toISOString(), status, message, ...extra };
}

export function created(
  input: Partial<Omit<EventOf<'ShipmentCreated'>, 'type'>> = {},
): EventOf<'ShipmentCreated'> {
  return CanonicalEventSchema.parse({
    type: 'ShipmentCreated',
    eventId: 'fulfillment-1',
    provider: 'shopify',
    occurredAt: '2026-11-19T08:00:00.000Z',
    orderId: '820982911946154508',
    carrier: 'UPS',
    trackingNumber: '1Z999AA10123456784',
    shippedAt: '2026-11-19T08:00:00.000Z',
    ...input,
  }) as EventOf<'ShipmentCreated'>;
}

export interface Run {
  state: Shipment | undefined;
  effects: Effect[];
}

/** Folds events through the reducer from nothing (or `from`), collecting every effect. */
export function run(events: CanonicalEvent[], context: ApplyContext = ctx(), from?: Shipment): Run {
  let state = from;
  const effects: Effect[] = [];
  for (const event of events) {
    const result = shipmentReducer.apply(state, event, context);
    state = result.state ?? state;
    effects.push(...result.effects);
  }
  return { state, effects };
}

export const notices = (effects: Effect[]) => effects.filter((e) => e.kind === 'notify');
export const timers = (effects: Effect[]) => effects.filter((e) => e.kind === 'timer');
export const emitted = <T extends CanonicalEvent['type']>(effects: Effect[], type: T) =>
  effects.flatMap((e) => (e.kind === 'emit' && e.event.type === type ? [e.event as EventOf<T>] : []));

/*
 * One UPS parcel of order 820982911946154508, the journey most shipment tests replay: the Shopify
 * fulfillment, then AfterShip's in-transit, out-for-delivery and delivered pushes (each push lists
 * every checkpoint so far, newest first).
 */

export const SHIPMENT_ID = shipmentIdFor('1Z999AA10123456784');

export const fulfillment = created();

export const inTransit = tracking({
  eventId: 'as-1',
  status: 'in_transit',
  carrier: 'ups',
  checkpoints: [
    checkpoint('2026-11-20T02:00:00Z', 'in_transit', 'Departed facility', { location: 'Shenzhen' }),
  ],
});

export const outForDelivery = tracking({
  eventId: 'as-2',
  status: 'out_for_delivery',
  carrier: 'ups',
  checkpoints: [
    checkpoint('2026-11-21T01:00:00Z', 'out_for_delivery', 'Out for delivery'),
    checkpoint('2026-11-20T02:00:00Z', 'in_transit', 'Departed facility', { location: 'Shenzhen' }),
  ],
});

export const delivered = tracking({
  eventId: 'as-3',
  status: 'delivered',
  subStatus: 'Delivered_003',
  carrier: 'ups',
  signedBy: 'LI LEI',
  deliveredTo: 'addressee',
  checkpoints: [
    checkpoint('2026-11-21T06:30:00Z', 'delivered', 'Delivered, signed by LI LEI'),
    checkpoint('2026-11-21T01:00:00Z', 'out_for_delivery', 'Out for delivery'),
    checkpoint('2026-11-20T02:00:00Z', 'in_transit', 'Departed facility', { location: 'Shenzhen' }),
  ],
});
