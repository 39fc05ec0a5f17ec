import type { InboundMessage, NotificationMessage, OutboundMessage } from '../../schemas/messages.ts';
import type { Effect } from '../core/engine/types.ts';
import type { Queues } from './ports.ts';

/** Publishes what applying an event asked for: notices, follow-on events, and events for the shop's systems. */
export async function publishEffects(
  queues: Queues,
  shopId: string,
  effects: Effect[],
  now: string,
): Promise<void> {
  const notices: NotificationMessage[] = [];
  const events: InboundMessage[] = [];
  const outbound: OutboundMessage[] = [];
  for (const effect of effects) {
    if (effect.kind === 'notify') {
      const { kind: _kind, ...notice } = effect;
      notices.push({ shopId, ...notice, plannedAt: now });
    } else if (effect.kind === 'emit') {
      events.push({ kind: 'event', shopId, event: effect.event });
    } else if (effect.kind === 'outbound') {
      const { kind: _kind, ...message } = effect;
      outbound.push({ shopId, ...message, plannedAt: now });
    }
  }
  await Promise.all([
    queues.sendNotifications(notices),
    queues.sendInbound(events),
    queues.sendOutbound(outbound),
  ]);
}
