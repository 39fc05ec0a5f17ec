import type { CanonicalEvent } from '../../../schemas/events.ts';
import { reducers } from './reducers.ts';
import { routeEvent } from './route.ts';
import type { AggregateKind, AggregateRef, Applied, ApplyContext, Effect, StateOf } from './types.ts';

export interface LoadedAggregate {
  ref: AggregateRef;
  state: unknown;
}

export interface Change {
  ref: AggregateRef;
  before: unknown;
  after: unknown;
}

/**
 * Applies one event to every aggregate it touches. Pure: the store loads the states, calls this,
 * and writes the changes with the applied-marker in one transaction.
 */
export function applyToAggregates(
  event: CanonicalEvent,
  loaded: LoadedAggregate[],
  ctx: ApplyContext,
): { changes: Change[]; effects: Effect[] } {
  const changes: Change[] = [];
  const effects: Effect[] = [];
  for (const { ref, state } of loaded) {
    const result = applyTo(ref.aggregate, state, event, ctx);
    effects.push(...result.effects);
    if (result.state !== undefined && result.state !== state)
      changes.push({ ref, before: state, after: result.state });
  }
  return { changes, effects };
}

function applyTo<K extends AggregateKind>(
  kind: K,
  state: unknown,
  event: CanonicalEvent,
  ctx: ApplyContext,
): Applied<StateOf[K]> {
  // The store hands back what this kind's reducer wrote; it is the only place a stored state is typed.
  return reducers[kind].apply(state as StateOf[K] | undefined, event, ctx);
}

export { routeEvent };
