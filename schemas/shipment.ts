import * as z from 'zod';
import { Stamp } from './common.ts';
import { Checkpoint, ShipmentDirection, TrackingProblem } from './events.ts';
import { ShipmentStatus } from './names.ts';

/**
 * A register's stamp: the time its value was true and a key derived from the value (see
 * core/orders/registers.ts). Registers merge last-writer-wins on (at, key).
 */
export const ShipmentStamp = Stamp;
export type ShipmentStamp = z.infer<typeof ShipmentStamp>;

/** Why a shipment counts as stalled, and what the stall rests on (so a newer fact can clear it). */
export const StallRule = z.enum(['silence', 'pending', 'stopped']);
export type StallRule = z.infer<typeof StallRule>;

export const Stall = z.object({
  /** When it became stalled: the timer's due time, or the provider's stop time. */
  since: z.string(),
  rule: StallRule,
  /** The quiet-since time the stall was measured from (last checkpoint, or first sighting when pending). */
  basis: z.string().optional(),
  reasonCode: z.string(),
  reason: z.string(),
});
export type Stall = z.infer<typeof Stall>;

/**
 * The Shipment aggregate (sk `SHIP#{shipmentId}`; id = normalised tracking number, see engine/route.ts).
 *
 * Split in two on purpose:
 * - facts: every field except the ledger below is a join of what the providers and the marketplace told
 *   us (sets, minimums, maximums, last-writer-wins registers on (time, value key)), so the same set of
 *   TrackingUpdated/ShipmentCreated events gives the same facts in any arrival order;
 * - ledger (`milestonesNotified`, `casesRequested`, `stallHistory`): what we already told the customer
 *   and staff. It depends on what we knew when, because a notice cannot be taken back.
 *
 * `version` belongs to the store (conditional writes); the reducer carries it through unchanged.
 */
export const Shipment = z.object({
  shipmentId: z.string(),
  /** The number as the marketplace wrote it once attached, else the smallest raw form a provider sent. */
  trackingNumber: z.string(),
  /** Normalised carrier code (core/tracking/carriers): the earliest-named known carrier. */
  carrier: z.string().optional(),
  /** Other known carriers named for the same number (a provider guessed differently): staff may check. */
  carrierConflict: z.array(z.string()).optional(),
  /** Every carrier code named, with the earliest event time that named it. */
  carriersSeen: z.array(z.object({ code: z.string(), at: z.string() })).default([]),

  /** Set when the marketplace fulfillment naming this number arrives; unattached until then. */
  orderId: z.string().optional(),
  /** The marketplace of that order (orders are keyed by marketplace and id). */
  orderProvider: z.string().optional(),
  /** The case this parcel belongs to: a customer's return, or a replacement the shop sent. */
  caseId: z.string().optional(),
  direction: ShipmentDirection.optional(),
  fulfillmentId: z.string().optional(),
  trackingUrl: z.string().optional(),
  /** Earliest shippedAt any fulfillment gave. */
  shippedAt: z.string().optional(),

  /** Current status: the winning observation by (terminal class, time, rank, value key); see status-precedence.ts. */
  status: ShipmentStatus,
  subStatus: z.string().optional(),
  providerStatus: z.string().optional(),
  /** The problem the current status came with (TrackingUpdated.problem): set and cleared with it. */
  problem: TrackingProblem.optional(),
  /** Time of the observation that set the current status. */
  statusAt: z.string().optional(),

  /** Merged from every push, deduped on (time, message, location), newest first, capped. */
  checkpoints: z.array(Checkpoint).default([]),
  lastCheckpointAt: z.string().optional(),

  expectedDelivery: z.string().optional(),
  /** Each promised date with the time it was first promised, oldest first, capped. */
  expectedDeliveryHistory: z.array(z.object({ at: z.string(), value: z.string() })).default([]),

  signedBy: z.string().optional(),
  deliveredTo: z.enum(['addressee', 'other_person', 'locker', 'pickup_point']).optional(),
  pickup: z.object({ point: z.string().optional(), code: z.string().optional() }).optional(),
  /** Earliest time any provider reported delivery; stays set even if the parcel is later returned. */
  deliveredAt: z.string().optional(),

  /** The latest provider stop (Kuaidi100 abort/shutdown, 17TRACK TRACKING_STOPPED, AfterShip Expired). */
  stopped: z.object({ at: z.string(), reason: z.string() }).optional(),
  stalled: Stall.optional(),
  /** Problems seen that need staff (refused, lost, damaged, returned), with the earliest time seen. */
  staffReasons: z.array(z.object({ code: z.string(), at: z.string() })).default([]),

  firstSeenAt: z.string(),
  lastEventAt: z.string(),
  /** Providers that told us about this shipment. */
  sources: z.array(z.string()).default([]),
  /** Last-writer-wins stamps of the registers above (status, fulfillment, expectedDelivery, ...). */
  stamps: z.record(z.string(), ShipmentStamp).default({}),

  // Ledger: what was already announced. Not order-independent (see the doc comment above).
  /** Milestone keys already announced to the customer (`shipped`, `delivered`, `stalled`...). */
  milestonesNotified: z.array(z.string()).default([]),
  /** Reason codes a staff case was already requested for. */
  casesRequested: z.array(z.string()).default([]),
  /** Stalls that ended (a new checkpoint arrived, or the parcel was delivered). */
  stallHistory: z.array(Stall.extend({ clearedAt: z.string() })).default([]),

  version: z.number().int().nonnegative().optional(),
});
export type Shipment = z.infer<typeof Shipment>;
