import { stableId } from '../../lib/crypto.ts';
import type { Effect } from './types.ts';

type TimerFired = Extract<Effect, { kind: 'timer' }>['event'];

/**
 * A timer effect: its TimerFired event happens at its due time (whenever the sweep delivers it)
 * and carries its own deterministic event id. Each aggregate chooses the timer's id.
 */
export function timerEffect(
  id: string,
  dueAt: string,
  kind: string,
  target: TimerFired['target'],
  data?: Record<string, unknown>,
): Effect {
  return {
    kind: 'timer',
    id,
    dueAt,
    event: {
      type: 'TimerFired',
      eventId: stableId('TimerFired', id),
      provider: 'system',
      occurredAt: dueAt,
      timerId: id,
      kind,
      target,
      ...(data && { data }),
    },
  };
}
