import * as z from 'zod';
import {
  bounds,
  Currency,
  IdString,
  IsoInstant,
  MinorUnits,
  OrderNumber,
  ProviderName,
  ShortText,
  Text,
  TrackingNumber,
} from './common.ts';
import { CaseStatus, CaseType, FulfillmentState, ShipmentStatus, StaffReasonCode } from './names.ts';
import { Resolution, ReturnReason } from './policy-io.ts';

/*
 * Canonical events: what every connector turns provider payloads into, and the only input of the
 * pure core. They are our own contract, so the schemas are strict.
 *
 * Every event carries:
 * - eventId: deterministic (derived from the inbox dedupe key and the event's position, or from the
 *   provider's own id), so a replay produces the same id and the applied-marker recognises it;
 * - occurredAt: the provider's time for the fact (updated_at, event time), never our arrival time.
 *   The core orders facts by it, which is what makes the result independent of arrival order.
 */

const Base = {
  eventId: z.string().min(1).max(bounds.eventId),
  provider: ProviderName,
  occurredAt: IsoInstant,
};

export const Address = z
  .object({
    name: ShortText.optional(),
    phone: z.string().max(64).optional(),
    country: ShortText.optional(),
    province: ShortText.optional(),
    city: ShortText.optional(),
    district: ShortText.optional(),
    address1: Text.optional(),
    address2: Text.optional(),
    postalCode: ShortText.optional(),
  })
  .strict();
export type Address = z.infer<typeof Address>;

export const CustomerFacts = z
  .object({
    /** The marketplace's customer id, if it has one. */
    externalId: IdString.optional(),
    /** Raw contact; stored only on the Customer item, hashed for lookup, masked everywhere else. */
    email: z.string().max(320).optional(),
    phone: z.string().max(64).optional(),
    name: ShortText.optional(),
    /** Whether the customer accepted marketing messages at the marketplace. */
    acceptsMarketing: z.boolean().optional(),
    /** The language the customer uses (`zh-CN`, `en-US`): their messages are written in it. */
    locale: ShortText.optional(),
    /** The customer's IANA time zone, for quiet hours. */
    timezone: ShortText.optional(),
    /** Month and day (`MM-DD`), for a birthday greeting when the shop sends them. */
    birthday: z
      .string()
      .regex(/^\d{2}-\d{2}$/)
      .optional(),
    tags: z.array(ShortText).max(50).optional(),
  })
  .strict();
export type CustomerFacts = z.infer<typeof CustomerFacts>;

export const OrderLine = z
  .object({
    lineId: IdString,
    sku: ShortText.optional(),
    productId: IdString.optional(),
    variantId: IdString.optional(),
    title: Text,
    variantTitle: Text.optional(),
    quantity: z.number().int().nonnegative().max(1_000_000),
    /** Unit price, minor units, in the order currency. */
    unitPrice: MinorUnits,
    /** Line total after line discounts, minor units. */
    total: MinorUnits,
  })
  .strict();
export type OrderLine = z.infer<typeof OrderLine>;

export const OrderTotals = z
  .object({
    subtotal: MinorUnits.optional(),
    shipping: MinorUnits.optional(),
    tax: MinorUnits.optional(),
    discount: MinorUnits.optional(),
    total: MinorUnits,
  })
  .strict();
export type OrderTotals = z.infer<typeof OrderTotals>;

/**
 * What a marketplace tells us about an order at one moment (a snapshot, possibly partial).
 * Snapshots merge last-writer-wins by `occurredAt`; a partial snapshot only sets the fields it has.
 */
export const OrderFacts = z
  .object({
    number: OrderNumber.optional(),
    currency: Currency.optional(),
    lines: z.array(OrderLine).max(bounds.listItems).optional(),
    totals: OrderTotals.optional(),
    customer: CustomerFacts.optional(),
    shippingAddress: Address.optional(),
    placedAt: IsoInstant.optional(),
    fulfillment: FulfillmentState.optional(),
    /** The marketplace's own status word, kept for display ("processing", "WAIT_SELLER_SEND_GOODS"). */
    providerStatus: ShortText.optional(),
    note: Text.optional(),
  })
  .strict();
export type OrderFacts = z.infer<typeof OrderFacts>;

/** Which lines and how many of each (a refund, a fulfillment, an after-sale request). */
const LineQuantities = z
  .array(z.object({ lineId: IdString, quantity: z.number().int().positive().max(1_000_000) }).strict())
  .max(bounds.listItems);

/** A shipment's id: its tracking number, normalised (see core/engine/route.ts shipmentIdFor). */
const ShipmentId = z.string().min(1).max(bounds.trackingNumber);

const OrderBase = {
  ...Base,
  /** The marketplace's order id, exact, as a string. */
  orderId: IdString,
  /**
   * The marketplace the order belongs to, when that is not the event's own provider: set on events
   * the core makes (provider `system`). Orders are keyed by marketplace and id, so a Shopify order
   * and a WooCommerce order that happen to share an id stay apart.
   */
  orderProvider: ProviderName.optional(),
};

export const OrderPlaced = z
  .object({ ...OrderBase, type: z.literal('OrderPlaced'), order: OrderFacts })
  .strict();
export const OrderUpdated = z
  .object({ ...OrderBase, type: z.literal('OrderUpdated'), order: OrderFacts })
  .strict();
export const OrderPaid = z
  .object({ ...OrderBase, type: z.literal('OrderPaid'), paidAt: IsoInstant, order: OrderFacts.optional() })
  .strict();
export const OrderCancelled = z
  .object({
    ...OrderBase,
    type: z.literal('OrderCancelled'),
    cancelledAt: IsoInstant,
    reason: Text.optional(),
    order: OrderFacts.optional(),
  })
  .strict();
/** An order taken back out of cancellation (WooCommerce order.restored). Wins only if later. */
export const OrderRestored = z
  .object({ ...OrderBase, type: z.literal('OrderRestored'), order: OrderFacts.optional() })
  .strict();
export const OrderRefunded = z
  .object({
    ...OrderBase,
    type: z.literal('OrderRefunded'),
    refundId: IdString,
    amount: MinorUnits.nonnegative(),
    currency: Currency,
    reason: Text.optional(),
    lines: LineQuantities.optional(),
  })
  .strict();
/** Delivery confirmed: by the carrier (via tracking) or by the buyer (Taobao TradeSuccess). */
export const OrderDelivered = z
  .object({
    ...OrderBase,
    type: z.literal('OrderDelivered'),
    deliveredAt: IsoInstant,
    shipmentId: ShipmentId.optional(),
    confirmedBy: z.enum(['carrier', 'buyer', 'marketplace']),
  })
  .strict();

export const ShipmentDirection = z.enum(['outbound', 'return']);

/** The shop shipped (part of) an order: a fulfillment with carrier and tracking number. */
export const ShipmentCreated = z
  .object({
    ...OrderBase,
    type: z.literal('ShipmentCreated'),
    /** The marketplace's fulfillment id, when it has one. */
    fulfillmentId: IdString.optional(),
    carrier: ShortText.optional(),
    trackingNumber: TrackingNumber,
    trackingUrl: z.string().max(2048).optional(),
    direction: ShipmentDirection.default('outbound'),
    /** The case a return or replacement parcel belongs to (set by the core, never by a provider). */
    caseId: z.string().min(1).max(bounds.shortText).optional(),
    lines: LineQuantities.optional(),
    shippedAt: IsoInstant,
  })
  .strict();

/** A refund/return/exchange request raised at the marketplace (Shopify return, Taobao/Douyin refund). */
export const AfterSaleRequested = z
  .object({
    ...OrderBase,
    type: z.literal('AfterSaleRequested'),
    /** The marketplace's id for the request (Taobao refund_id, Shopify return id). */
    requestId: IdString,
    caseType: CaseType,
    /** Where the marketplace says the request stands, in our case words. */
    status: CaseStatus,
    /** The marketplace's own status word. */
    providerStatus: ShortText.optional(),
    amount: MinorUnits.nonnegative().optional(),
    currency: Currency.optional(),
    reason: Text.optional(),
    lines: LineQuantities.optional(),
    returnTrackingNumber: TrackingNumber.optional(),
    returnCarrier: ShortText.optional(),
  })
  .strict();

/**
 * A problem a tracking provider reported, in our words: the staff reasons a parcel can raise by
 * itself, and an address the customer can correct. Each connector maps its own codes to these
 * (the raw code stays in `subStatus`), so the core never reads a provider's code.
 */
export const TrackingProblem = z.enum([
  ...StaffReasonCode.extract(['delivery_refused', 'parcel_lost', 'parcel_damaged', 'returned_to_sender'])
    .options,
  'address_problem',
]);
export type TrackingProblem = z.infer<typeof TrackingProblem>;

export const Checkpoint = z
  .object({
    at: IsoInstant,
    status: ShipmentStatus,
    /** The provider's own sub-status code (AfterShip subtag, Kuaidi100 state code...), raw, for audit. */
    subStatus: ShortText.optional(),
    /** What the sub-status means, when it is a problem; set by the connector from its own codes. */
    problem: TrackingProblem.optional(),
    message: Text,
    location: Text.optional(),
  })
  .strict();
export type Checkpoint = z.infer<typeof Checkpoint>;

/** A carrier aggregator pushed news about one parcel. */
export const TrackingUpdated = z
  .object({
    ...Base,
    type: z.literal('TrackingUpdated'),
    /** Normalised carrier code (see core/tracking/carriers), e.g. `ups`, `sf-express`, `yto`. */
    carrier: ShortText.optional(),
    trackingNumber: TrackingNumber,
    status: ShipmentStatus,
    /** The provider's own sub-status code, raw, for display and audit. */
    subStatus: ShortText.optional(),
    /** The problem the status comes with (refused, lost, damaged, returned, address), in our words. */
    problem: TrackingProblem.optional(),
    /** The provider's raw status words, for display and audit. */
    providerStatus: ShortText.optional(),
    checkpoints: z.array(Checkpoint).max(bounds.listItems),
    expectedDelivery: IsoInstant.optional(),
    signedBy: ShortText.optional(),
    /** Left with a neighbour, a locker or a station rather than the addressee. */
    deliveredTo: z.enum(['addressee', 'other_person', 'locker', 'pickup_point']).optional(),
    pickup: z.object({ point: Text.optional(), code: ShortText.optional() }).strict().optional(),
    /** The provider stopped tracking (Kuaidi100 abort/shutdown, 17TRACK TRACKING_STOPPED). */
    stopped: z.object({ reason: Text }).strict().optional(),
  })
  .strict();

/** A timer written by the core came due (swept each minute). `target` names the aggregate. */
export const TimerFired = z
  .object({
    ...Base,
    type: z.literal('TimerFired'),
    timerId: ShortText,
    kind: ShortText,
    target: z
      .object({
        aggregate: z.enum(['order', 'shipment', 'case', 'customer']),
        id: z.string().min(1).max(bounds.shortText),
      })
      .strict(),
    data: z.record(z.string(), z.unknown()).optional(),
  })
  .strict();

/**
 * Something needs a staff decision: raised by the system (a stalled or refused parcel) or forwarded
 * from elsewhere. Creates a case in `pending_review` unless it exists already (caseId is deterministic).
 */
export const CaseRequested = z
  .object({
    ...Base,
    type: z.literal('CaseRequested'),
    caseId: z.string().min(1).max(bounds.shortText),
    caseType: CaseType,
    origin: z.enum(['customer', 'marketplace', 'system']),
    reason: Text,
    /** Machine-readable reason, e.g. `shipment_stalled`, `delivery_refused`, `parcel_lost`. */
    reasonCode: ShortText,
    orderId: IdString.optional(),
    orderProvider: ProviderName.optional(),
    shipmentId: ShipmentId.optional(),
    /** What the shop offers; staff still approve it. */
    proposedRemedy: z.enum(['none', 'reship', 'refund']).default('none'),
  })
  .strict();

/** A line a case is about: how many, and why. */
export const CaseRequestLine = z
  .object({
    lineId: IdString,
    quantity: z.number().int().positive().max(1_000_000),
    reason: ReturnReason,
    note: Text.optional(),
    exchangeFor: z.object({ variantId: IdString, sku: ShortText.optional() }).strict().optional(),
  })
  .strict();
export type CaseRequestLine = z.infer<typeof CaseRequestLine>;

/** The policy's answer as a case records it: the decision, its trace and the terms that apply. */
export const CasePolicyRecord = z
  .object({
    version: z.number().int().nonnegative(),
    action: z.enum(['approve', 'review', 'reject']),
    rule: ShortText,
    reasonCode: ShortText.optional(),
    reasons: z.array(Text).max(50),
    trace: z.array(z.object({ test: Text, value: z.unknown(), passed: z.boolean() }).strict()).max(200),
    /** Refusals noted but not applied (a staff-created case). */
    violations: z
      .array(z.object({ code: ShortText, message: Text, lineId: ShortText.optional() }).strict())
      .max(50),
    terms: z
      .object({
        windowEndsAt: IsoInstant.optional(),
        shipWithinDays: z.number().int().positive(),
        refundWithinDays: z.number().int().positive(),
        returnPostagePaidBy: z.enum(['buyer', 'shop']),
        restockingFee: z.number().int().nonnegative(),
        mustBeIntact: z.boolean(),
      })
      .strict(),
  })
  .strict();
export type CasePolicyRecord = z.infer<typeof CasePolicyRecord>;

/** Who made a change to a case. */
export const CaseActor = z
  .object({
    kind: z.enum(['customer', 'staff', 'system', 'carrier', 'shop', 'marketplace']),
    /** The staff member's subject, `customer`, `system`, the carrier or the shop system. */
    id: ShortText,
  })
  .strict();
export type CaseActor = z.infer<typeof CaseActor>;

const Money = { amount: MinorUnits.nonnegative(), currency: Currency };

/**
 * One change to a case, as the case decider records a command (staff, customer) or as the system
 * reports a fact (a carrier scan of the return parcel, a timer, the shop's system refunding).
 */
export const CaseChange = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('open'),
      caseType: CaseType,
      origin: z.enum(['customer', 'staff']),
      /** Where the case starts: the policy's decision mapped onto the case's flow. */
      status: CaseStatus,
      orderId: IdString,
      orderProvider: ProviderName,
      customerId: ShortText.optional(),
      lines: z.array(CaseRequestLine).min(1).max(bounds.listItems),
      resolution: Resolution.optional(),
      photos: z.array(z.url().max(2048)).max(10).optional(),
      note: Text.optional(),
      /** What the requested lines are worth, minor units. */
      ...Money,
      policy: CasePolicyRecord,
    })
    .strict(),
  z.object({ action: z.literal('approve'), note: Text.optional() }).strict(),
  z.object({ action: z.literal('reject'), reasonCode: ShortText, note: Text.optional() }).strict(),
  z.object({ action: z.literal('cancel'), note: Text.optional() }).strict(),
  z
    .object({
      action: z.literal('register_return'),
      carrier: ShortText.optional(),
      trackingNumber: TrackingNumber,
    })
    .strict(),
  z.object({ action: z.literal('return_scanned'), shipmentId: ShortText }).strict(),
  z.object({ action: z.literal('return_delivered'), shipmentId: ShortText }).strict(),
  z.object({ action: z.literal('receive'), note: Text.optional() }).strict(),
  z
    .object({
      action: z.literal('inspect'),
      passed: z.boolean(),
      note: Text.optional(),
      photos: z.array(z.url().max(2048)).max(10).optional(),
      /** A partial refund offered after a failed inspection, minor units. */
      refundAmount: MinorUnits.nonnegative().optional(),
    })
    .strict(),
  z
    .object({
      action: z.literal('refund'),
      ...Money,
      method: Resolution,
      /** The shop's or payment provider's reference for the refund. */
      reference: ShortText,
    })
    .strict(),
  z
    .object({
      action: z.literal('ship_replacement'),
      carrier: ShortText.optional(),
      trackingNumber: TrackingNumber,
    })
    .strict(),
  z.object({ action: z.literal('replacement_delivered'), shipmentId: ShortText }).strict(),
  z.object({ action: z.literal('resolve'), note: Text.optional() }).strict(),
  z.object({ action: z.literal('close'), note: Text.optional() }).strict(),
  z.object({ action: z.literal('note'), text: Text.min(1) }).strict(),
  z.object({ action: z.literal('assign'), assignee: ShortText.min(1) }).strict(),
  z
    .object({
      action: z.enum(['acknowledge', 'investigate', 'propose', 'agree', 'follow_up']),
      note: Text.optional(),
    })
    .strict(),
  z.object({ action: z.literal('expire') }).strict(),
  z.object({ action: z.literal('sla_breach'), sla: z.enum(['refund_due', 'first_response']) }).strict(),
]);
export type CaseChange = z.infer<typeof CaseChange>;
export type CaseAction = CaseChange['action'];

/** A change to a case (see CaseChange). Ours (provider `system`), or reported by the shop's system. */
export const CaseChanged = z
  .object({
    ...Base,
    type: z.literal('CaseChanged'),
    caseId: z.string().min(1).max(bounds.shortText),
    by: CaseActor,
    change: CaseChange,
  })
  .strict();

/** The shop's own system reports a refund it executed for a case (the answer to refund.requested). */
export const RefundRecorded = z
  .object({
    ...Base,
    type: z.literal('RefundRecorded'),
    caseId: z.string().min(1).max(bounds.shortText),
    ...Money,
    method: Resolution.optional(),
    reference: ShortText,
  })
  .strict();

/**
 * The customer stops (or restarts) marketing messages: a one-click unsubscribe, a reply STOP or
 * 回TD退订, or a change at the marketplace. Transactional messages are not affected.
 */
export const CustomerOptedOut = z
  .object({
    ...Base,
    type: z.literal('CustomerOptedOut'),
    customerId: z.string().min(1).max(bounds.shortText),
    channel: z.enum(['email', 'sms', 'all']),
    /** False: opted back in. */
    optedOut: z.boolean().default(true),
  })
  .strict();

/** A provider reported what became of an address: bounced or complained (SES, an SMTP DSN), or fine again. */
export const CustomerContactReported = z
  .object({
    ...Base,
    type: z.literal('CustomerContactReported'),
    customerId: z.string().min(1).max(bounds.shortText),
    channel: z.enum(['email', 'sms']),
    status: z.enum(['bounced', 'complained', 'rejected', 'ok']),
    detail: Text.optional(),
  })
  .strict();

export const CanonicalEvent = z.discriminatedUnion('type', [
  CaseRequested,
  CaseChanged,
  RefundRecorded,
  CustomerOptedOut,
  CustomerContactReported,
  OrderPlaced,
  OrderUpdated,
  OrderPaid,
  OrderCancelled,
  OrderRestored,
  OrderRefunded,
  OrderDelivered,
  ShipmentCreated,
  AfterSaleRequested,
  TrackingUpdated,
  TimerFired,
]);
export type CanonicalEvent = z.infer<typeof CanonicalEvent>;
/** What connectors build before validation (defaults not yet applied). */
export type CanonicalEventInput = z.input<typeof CanonicalEvent>;
export type EventType = CanonicalEvent['type'];
export type EventOf<T extends EventType> = Extract<CanonicalEvent, { type: T }>;
