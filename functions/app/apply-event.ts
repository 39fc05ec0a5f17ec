import type { CanonicalEvent } from '../../schemas/events.ts';
import { applyToAggregates, routeEvent } from '../core/engine/apply.ts';
import type { AggregateRef, Effect, ShopSettings } from '../core/engine/types.ts';
import { VersionConflictError } from '../lib/errors.ts';
import type { Clock, EventStore, TimerEffect } from './ports.ts';

/**
 * Tries before a conflict goes back to SQS (whose retry waits a whole visibility timeout). Twenty
 * workers on one hot order settle within about ten rounds of "full jitter" backoff, up to ~5 s.
 */
const MAX_ATTEMPTS = 10;
const MAX_BACKOFF_MS = 1000;

export interface ApplyDeps {
  events: EventStore;
  clock: Clock;
  /** Waits between conflicting attempts (tests pass a fake). */
  sleep?: (ms: number) => Promise<void>;
}

export interface ApplyOutcome {
  /** Effects to publish (notices, follow-on events); timers are already written. */
  effects: Effect[];
  /** True when the event had been applied before; its recorded effects are returned again. */
  replayed: boolean;
}

export interface ApplyOptions {
  /**
   * A decision made on one version of an aggregate: applied only if that aggregate is still at it
   * (else VersionConflictError, no retry), so a staff member never overrides what they did not see.
   */
  expect?: { ref: AggregateRef; version: number };
}

/*
 * Apply an event (a fact from a provider, or the record of a decision).
 * 1. route it to the aggregates it touches; none: nothing to do
 * 2. load them and the applied-marker, strongly consistent
 * 3. a marker means it was applied before: hand back the effects it published then
 * 4. run the pure reducers
 * 5. commit the changed states (each conditional on its version), the marker and the timers in
 *    one transaction
 * 6. a conflict (a concurrent writer) reloads and retries with jittered backoff; after the last
 *    try it is a VersionConflictError, which SQS retries later
 */
export async function applyEvent(
  deps: ApplyDeps,
  shop: ShopSettings,
  event: CanonicalEvent,
  options: ApplyOptions = {},
): Promise<ApplyOutcome> {
  const refs = routeEvent(event, shop);
  if (refs.length === 0) return { effects: [], replayed: false };
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));

  for (let attempt = 1; ; attempt++) {
    const now = deps.clock.now();
    const loaded = await deps.events.load(shop.shopId, refs, event.eventId);
    if (loaded.marker) return { effects: loaded.marker.effects, replayed: true };
    if (options.expect) {
      const at = loaded.states.find(
        (s) => s.ref.aggregate === options.expect!.ref.aggregate && s.ref.id === options.expect!.ref.id,
      );
      if (at && at.version !== options.expect.version) {
        throw new VersionConflictError(
          `${options.expect.ref.aggregate} ${options.expect.ref.id} is at version ${at.version}, not ${options.expect.version}: reload and decide again`,
        );
      }
    }
    const { changes, effects } = applyToAggregates(event, loaded.states, { shop, now });
    const timers = effects.filter((e): e is TimerEffect => e.kind === 'timer');
    const published = effects.filter((e) => e.kind !== 'timer');
    const outcome = await deps.events.commit(shop.shopId, {
      event,
      markerRef: refs[0]!,
      changes: changes.map((change) => ({
        ref: change.ref,
        state: change.after,
        expectedVersion: versionOf(loaded.states, change.ref),
      })),
      published,
      timers,
      now,
    });
    if (outcome === 'committed') return { effects: published, replayed: false };
    if (options.expect) {
      throw new VersionConflictError(
        `${options.expect.ref.aggregate} ${options.expect.ref.id} changed meanwhile`,
      );
    }
    if (attempt >= MAX_ATTEMPTS) {
      throw new VersionConflictError(`event ${event.eventId} kept conflicting with concurrent writes`);
    }
    // Full jitter: workers on one hot order must not retry in lockstep.
    await sleep(Math.random() * Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempt));
  }
}

function versionOf(states: Array<{ ref: AggregateRef; version: number }>, ref: AggregateRef): number {
  return states.find((s) => s.ref.aggregate === ref.aggregate && s.ref.id === ref.id)?.version ?? 0;
}
