import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import { applyToAggregates, routeEvent } from '../../functions/core/engine/apply.ts';
import type {
  AggregateKind,
  AggregateRef,
  ApplyContext,
  Effect,
  ShopSettings,
} from '../../functions/core/engine/types.ts';
import { orderReducer } from '../../functions/core/orders/order.ts';
import type { Case } from '../../schemas/case.ts';
import type { Customer } from '../../schemas/customer.ts';
import {
  type CanonicalEvent,
  type CanonicalEventInput,
  CanonicalEvent as CanonicalEventSchema,
} from '../../schemas/events.ts';
import type { Order } from '../../schemas/order.ts';
import { loadSample, parseContext, rawRequest } from './requests.ts';
import { applyContext, shopSettings } from './shop.ts';

/**
 * Shared fixtures for the Order and Customer state machine tests: parsed samples, store-like folds.
 * The shop and the clock come from ./shop.ts (re-exported here).
 */

export { applyContext, NOW, type ShopOverrides, shopSettings } from './shop.ts';

/** One webhook request: a sample file, the headers the parser reads, optionally its body edited. */
export interface Delivery {
  provider: 'shopify' | 'woocommerce' | 'taobao' | 'doudian' | 'generic';
  file: string;
  headers?: Record<string, string>;
  /** Raw text edits (never re-serialise: that would round the big ids). */
  edits?: Array<[from: string, to: string]>;
}

export function deliveryBody(delivery: Delivery): Buffer {
  let text = loadSample(delivery.provider, delivery.file).toString('utf8');
  for (const [from, to] of delivery.edits ?? []) {
    if (!text.includes(from)) throw new Error(`${delivery.file} does not contain ${from}`);
    text = text.replace(from, to);
  }
  return Buffer.from(text, 'utf8');
}

/**
 * The canonical events the real connector makes of a delivery, validated as the worker does. The
 * dedupe key names the delivery: the same request under another key gets new event ids, as a
 * provider re-sending a fact under a new event id would.
 */
export function parseDelivery(delivery: Delivery, dedupeKey = deliveryKey(delivery)): CanonicalEvent[] {
  const connector = connectorFor(delivery.provider);
  if (!connector) throw new Error(`no connector for ${delivery.provider}`);
  const result = connector.parse(
    rawRequest(deliveryBody(delivery), delivery.headers),
    parseContext(dedupeKey),
  );
  if (result.kind !== 'events') throw new Error(`${delivery.file}: ignored (${result.reason})`);
  return result.events.map((event) => CanonicalEventSchema.parse(event));
}

export function deliveryKey(delivery: Delivery): string {
  return `${delivery.provider}:${delivery.file}:${JSON.stringify(delivery.edits ?? [])}`;
}

/** A hand-built generic request: a canonical event without eventId/provider, as other systems send it. */
export function genericEvent(body: Record<string, unknown>, dedupeKey: string): CanonicalEvent {
  const generic = connectorFor('generic')!;
  const result = generic.parse(rawRequest(JSON.stringify(body)), parseContext(dedupeKey));
  if (result.kind !== 'events') throw new Error(`generic body ignored: ${result.reason}`);
  return CanonicalEventSchema.parse(result.events[0]);
}

type Loose<E> = E extends unknown
  ? Omit<E, 'provider' | 'eventId'> & { provider?: CanonicalEventInput['provider']; eventId?: string }
  : never;

/** A canonical event built in code, validated (and normalised) by the real schema. */
export function event(input: Loose<CanonicalEventInput>): CanonicalEvent {
  return CanonicalEventSchema.parse({
    provider: 'generic',
    eventId: `${input.type}@${input.occurredAt}`,
    ...input,
  });
}

/** The Order reducer alone, event after event, with every effect it planned. */
export function runOrder(
  events: CanonicalEvent[],
  ctx: ApplyContext = applyContext(),
  initial?: Order,
): { order: Order; effects: Effect[] } {
  let order = initial;
  const effects: Effect[] = [];
  for (const e of events) {
    const applied = orderReducer.apply(order, e, ctx);
    order = applied.state ?? order;
    effects.push(...applied.effects);
  }
  if (!order) throw new Error('no event touched an order');
  return { order, effects };
}

export interface FoldOptions {
  shop?: ShopSettings;
  /** Skip events whose applied-marker exists, as the store does. Off: every delivery reaches the reducers. */
  dedupe?: boolean;
  /** Feed emitted follow-on events back in right after their cause, as the inbound queue would. */
  followOns?: boolean;
  /**
   * The aggregates folded. The shipment aggregate has its own tests (test/unit/tracking) and its
   * notices legitimately depend on arrival order, so it is left out here by default.
   */
  kinds?: AggregateKind[];
}

export interface Folded {
  states: Map<string, unknown>;
  /** Every effect published, replays included (a replay re-publishes the recorded effects). */
  effects: Effect[];
  order(orderId: string): Order | undefined;
  customer(customerId: string): Customer | undefined;
  /** A case by its id (marketplace cases: afterSaleCaseId(marketplace, requestId)). */
  case(caseId: string): Case | undefined;
  /** All states of a kind, keyed by id. */
  all(kind: AggregateKind): Record<string, unknown>;
}

const refKey = (ref: AggregateRef) => `${ref.aggregate}#${ref.id}`;

/**
 * Folds events the way event-store.ts applies them: route, load one state per aggregate ref, run
 * applyToAggregates, keep the changed states, mark the event applied on the first ref (a replay
 * returns the recorded effects and changes nothing).
 */
export function foldEvents(events: CanonicalEvent[], options: FoldOptions = {}): Folded {
  const shop = options.shop ?? shopSettings();
  const kinds = new Set(options.kinds ?? ['order', 'customer', 'case']);
  const dedupe = options.dedupe ?? true;
  const ctx = applyContext(shop);
  const states = new Map<string, unknown>();
  const markers = new Map<string, Effect[]>();
  const effects: Effect[] = [];

  const apply = (e: CanonicalEvent): void => {
    const refs = routeEvent(e, shop).filter((ref) => kinds.has(ref.aggregate));
    if (refs.length === 0) return;
    const marker = `${refKey(refs[0]!)}#${e.eventId}`;
    const recorded = markers.get(marker);
    let published: Effect[];
    if (dedupe && recorded) {
      published = recorded;
    } else {
      const loaded = refs.map((ref) => ({ ref, state: states.get(refKey(ref)) }));
      const result = applyToAggregates(e, loaded, ctx);
      for (const change of result.changes) states.set(refKey(change.ref), change.after);
      published = result.effects.filter((effect) => effect.kind !== 'timer');
      if (!recorded) markers.set(marker, published);
    }
    effects.push(...published);
    if (options.followOns ?? true) {
      for (const effect of published) if (effect.kind === 'emit') apply(effect.event);
    }
  };
  for (const e of events) apply(e);

  const all = (kind: AggregateKind) =>
    Object.fromEntries(
      [...states.entries()]
        .filter(([key]) => key.startsWith(`${kind}#`))
        .map(([key, state]) => [key.slice(kind.length + 1), state]),
    );
  return {
    states,
    effects,
    // By the marketplace's id (the aggregate id is `marketplace:id`), or by the full aggregate id.
    order: (id) =>
      (states.get(`order#${id}`) ??
        [...states.entries()].find(([k, v]) => k.startsWith('order#') && (v as Order).orderId === id)?.[1]) as
        | Order
        | undefined,
    customer: (id) => states.get(`customer#${id}`) as Customer | undefined,
    case: (id) => states.get(`case#${id}`) as Case | undefined,
    all,
  };
}

/** The id every effect is known by downstream. */
export function effectId(effect: Effect): string {
  return effect.kind === 'emit' ? `emit:${effect.event.eventId}` : `${effect.kind}:${effect.id}`;
}
