import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import type { RawRequest } from '../../functions/app/connectors.ts';
import { applyToAggregates, routeEvent } from '../../functions/core/engine/apply.ts';
import type { AggregateKind, Effect, ShopSettings } from '../../functions/core/engine/types.ts';
import { stableId } from '../../functions/lib/crypto.ts';
import { CanonicalEvent } from '../../schemas/events.ts';
import type { SoakOrder, Webhook } from './lifecycle.ts';

/*
 * The expected outcome of an order: its webhooks in their real order, each parsed by its connector
 * with the event ids the worker gives them, applied through the pure core (applyToAggregates), and
 * the follow-on events it emits applied right after, as the inbound queue would. Timers are only
 * collected: the soak's event times are recent, so none of them comes due during a run (the report
 * says how many were planned and the earliest due time).
 */

export interface Expected {
  /** `<kind>#<id>` -> state. */
  states: Map<string, unknown>;
  /** Notice id -> template, every notice the in-order run planned. */
  notices: Map<string, { template: string; orderId?: string }>;
  timers: number;
  earliestTimer?: string;
}

export function rawRequestOf(w: Webhook, receivedAt: string): RawRequest {
  return {
    body: w.body,
    headers: {
      'content-type': 'application/json',
      ...(w.topic && { 'x-shopify-topic': w.topic }),
      ...(w.eventId && { 'x-shopify-event-id': w.eventId }),
      'x-shopify-triggered-at': receivedAt,
    },
    query: {},
    receivedAt,
  };
}

export function replayOrder(order: SoakOrder, shop: ShopSettings, now: string): Expected {
  const expected: Expected = { states: new Map(), notices: new Map(), timers: 0 };
  const applied = new Set<string>();
  const apply = (event: CanonicalEvent) => {
    const refs = routeEvent(event, shop);
    if (refs.length === 0) return;
    const marker = `${refs[0]!.aggregate}#${refs[0]!.id}#${event.eventId}`;
    if (applied.has(marker)) return;
    applied.add(marker);
    const loaded = refs.map((ref) => ({ ref, state: expected.states.get(`${ref.aggregate}#${ref.id}`) }));
    const { changes, effects } = applyToAggregates(event, loaded, { shop, now });
    for (const change of changes)
      expected.states.set(`${change.ref.aggregate}#${change.ref.id}`, change.after);
    for (const effect of effects) handle(effect);
  };
  const handle = (effect: Effect) => {
    if (effect.kind === 'notify') {
      expected.notices.set(effect.id, {
        template: effect.template,
        ...(effect.orderId && { orderId: effect.orderId }),
      });
    } else if (effect.kind === 'emit') {
      apply(effect.event);
    } else if (effect.kind === 'timer') {
      expected.timers++;
      if (!expected.earliestTimer || effect.dueAt < expected.earliestTimer)
        expected.earliestTimer = effect.dueAt;
    }
  };

  for (const w of [...order.webhooks].sort((a, b) => a.step - b.step)) {
    if (w.poison) continue;
    const connector = connectorFor(w.provider)!;
    const req = rawRequestOf(w, now);
    const dedupeKey = connector.dedupeKey(req);
    const parsed = connector.parse(req, {
      shopId: shop.shopId,
      inboxId: stableId(w.provider, dedupeKey).slice(0, 26),
      dedupeKey,
      receivedAt: now,
      eventId: (suffix) => stableId(shop.shopId, w.provider, dedupeKey, suffix),
    });
    if (parsed.kind === 'ignored')
      throw new Error(`order ${order.index} step ${w.step} is ignored: ${parsed.reason}`);
    for (const input of parsed.events) apply(CanonicalEvent.parse(input));
  }
  return expected;
}

export const aggregateKey = (kind: AggregateKind | string, id: string) => `${kind}#${id}`;
