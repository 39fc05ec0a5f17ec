import type { Case } from '../../../schemas/case.ts';
import type { Customer } from '../../../schemas/customer.ts';
import type { Address, CanonicalEvent } from '../../../schemas/events.ts';
import type { OutboundType } from '../../../schemas/names.ts';
import type { Order } from '../../../schemas/order.ts';
import type { Shipment } from '../../../schemas/shipment.ts';
import type { NotificationSettings } from '../../../schemas/shop.ts';

/** The aggregates the core keeps. Each is one DynamoDB item with a `version`. */
export type AggregateKind = 'order' | 'shipment' | 'customer' | 'case';

export interface AggregateRef {
  aggregate: AggregateKind;
  id: string;
}

/** Shop settings the core reads (from the Shop item; defaults applied by the adapter). */
export interface ShopSettings {
  shopId: string;
  name: string;
  timezone: string;
  locale: string;
  /** ISO 3166 region for phone numbers written without a country code. */
  defaultRegion: string;
  tracking: {
    /** Hours without a new checkpoint after shipping before a parcel counts as stalled. */
    stallHours: number;
    /** Hours a parcel may stay `pending` with no carrier info before it counts as stalled. */
    pendingHours: number;
    /** What the stall case offers the customer; staff approve either way. */
    stallRemedy: 'none' | 'reship' | 'refund';
  };
  cases: {
    /** The largest case value (minor units) a `staff` member may approve; managers approve any. */
    staffApprovalLimit: number;
    /** Where returns go, shown in the approval notice and the portal. */
    returnAddress?: Address;
    returnInstructions?: string;
    /** Deadlines where the policy sets none (marketplace and system cases). */
    shipWithinDays: number;
    refundWithinDays: number;
    /** The first answer to a complaint is due within this many hours. */
    firstResponseHours: number;
  };
  /** Channels, quiet hours, caps, programs and templates (schemas/shop.ts NotificationSettings). */
  notifications: NotificationSettings;
}

export interface ApplyContext {
  shop: ShopSettings;
  /** Processing time, used only to schedule timers; state decisions use event times. */
  now: string;
}

/**
 * What applying an event asks the world to do. Every effect has a deterministic `id` (same event,
 * same ids), so a replay that re-emits it is recognised downstream and nothing is done twice.
 */
export type Effect =
  /** A customer notice, planned here, sent (with consent, quiet hours, caps) by send-notification. */
  | {
      kind: 'notify';
      id: string;
      /** Template name, e.g. `shipment.delivered`. */
      template: string;
      /** Whom: the order's customer (resolved by the sender) and the order/shipment it is about. */
      orderId?: string;
      /** The order's marketplace (orders are keyed by marketplace and id). */
      orderProvider?: string;
      shipmentId?: string;
      customerId?: string;
      data: Record<string, unknown>;
    }
  /** A follow-on event for another aggregate, applied through the inbound queue. */
  | { kind: 'emit'; event: CanonicalEvent }
  /**
   * An event for the shop's own systems (refunds, exchanges, reships are executed there), signed
   * and POSTed by deliver-outbound. `id` is deterministic: the receiver dedupes on it.
   */
  | { kind: 'outbound'; id: string; type: OutboundType; caseId?: string; data: Record<string, unknown> }
  /** A timer, written in the same transaction as the state; fires as a TimerFired event. */
  | { kind: 'timer'; id: string; dueAt: string; event: Extract<CanonicalEvent, { type: 'TimerFired' }> };

/** The state each aggregate kind keeps. */
export interface StateOf {
  order: Order;
  shipment: Shipment;
  customer: Customer;
  case: Case;
}

/** What applying one event did: `state` when it changed (absent: leave the stored item alone). */
export interface Applied<S> {
  state?: S;
  effects: Effect[];
}

/**
 * A pure state machine for one aggregate kind. `apply` must be deterministic and, for the result to
 * be independent of arrival order, commutative over events: decide by event time and precedence,
 * never by which event came last. Duplicates are filtered before it (applied markers), but it
 * should be idempotent anyway.
 */
export interface Reducer<S> {
  apply(state: S | undefined, event: CanonicalEvent, ctx: ApplyContext): Applied<S>;
}

/** One reducer per aggregate kind, each typed with its own state. */
export type Reducers = { [K in AggregateKind]: Reducer<StateOf[K]> };

/** What a decision needs besides the state: who acts, when, and the shop's settings. */
export interface DecideContext {
  shop: ShopSettings;
  /** The decision's time; it becomes the events' occurredAt. */
  now: string;
  actor: { kind: 'staff' | 'customer' | 'system'; id: string; roles?: string[] };
}

/**
 * The command half of an aggregate: staff and customers ask, `decide` checks the transition table
 * and the policy against the current state and answers with the events that record the decision,
 * or throws a DomainError (InvalidTransitionError 409, PolicyViolationError 422). Pure. The events
 * go through the same `apply` and the same versioned transaction as any fact.
 */
export interface Decider<S, C> {
  decide(state: S | undefined, command: C, ctx: DecideContext): CanonicalEvent[];
}
