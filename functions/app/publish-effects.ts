import type { InboundMessage, NotificationMessage } from '../../schemas/messages.ts';
import type { Effect } from '../core/engine/types.ts';
import type { Queues } from './ports.ts';

/** Publishes what applying an event asked for: notices to the notifications queue, events back inbound. */
export async function publishEffects(
  queues: Queues,
  shopId: string,
  effects: Effect[],
  now: string,
): Promise<void> {
  const notices: NotificationMessage[] = [];
  const events: InboundMessage[] = [];
  for (const effect of effects) {
    if (effect.kind === 'notify') {
      const { kind: _kind, ...notice } = effect;
      notices.push({ shopId, ...notice, plannedAt: now });
    } else if (effect.kind === 'emit') {
      events.push({ kind: 'event', shopId, event: effect.event });
    }
  }
  await Promise.all([queues.sendNotifications(notices), queues.sendInbound(events)]);
}
