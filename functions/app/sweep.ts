import { logger } from '../lib/logger.ts';
import type { AppDeps } from './ports.ts';

export type SweepDeps = Pick<AppDeps, 'timers' | 'queues' | 'shops' | 'inbox' | 'clock'>;

/** Minutes swept per run at most, so a long outage is caught up over a few runs, not one timeout. */
const MAX_MINUTES_PER_RUN = 120;
/** An inbox item still `received` after this long lost its queue message: enqueue it again. */
const STUCK_AFTER_MS = 10 * 60_000;

const minuteOf = (ms: number) => new Date(ms).toISOString().slice(0, 16);

/*
 * Runs every minute.
 * 1. every complete minute since the cursor: send its timers to the inbound queue as TimerFired
 *    events (and deferred notices to the notifications queue), then delete them (a crash in
 *    between re-sends them: the applied-marker and the delivery log dedupe)
 * 2. re-enqueue inbox items stuck in `received` (their message was lost, e.g. a local restart)
 */
export async function sweep(deps: SweepDeps): Promise<{ timers: number; stuck: number; minutes: number }> {
  const now = deps.clock.now();
  const nowMs = Date.parse(now);
  // Only complete minutes: a timer written now lands in the next minute's bucket at the earliest.
  const lastComplete = Math.floor(nowMs / 60_000) * 60_000 - 60_000;
  const cursor = await deps.timers.getSweepCursor();
  let from = cursor ? Date.parse(`${cursor}:00.000Z`) + 60_000 : lastComplete - 60 * 60_000;
  // Timers expire (TTL) 30 days after they were due; nothing older can still be there.
  from = Math.max(from, lastComplete - 30 * 86_400_000);
  let timers = 0;
  let minutes = 0;
  for (let t = from; t <= lastComplete && minutes < MAX_MINUTES_PER_RUN; t += 60_000, minutes++) {
    const due = await deps.timers.timersInMinute(minuteOf(t));
    if (due.length) {
      const events = due.flatMap((d) =>
        d.event ? [{ kind: 'event' as const, shopId: d.shopId, event: d.event }] : [],
      );
      const notices = due.flatMap((d) => (d.notice ? [d.notice] : []));
      await deps.queues.sendInbound(events);
      // Notices held back for quiet hours go to the sender again, now that they are due.
      await deps.queues.sendNotifications(notices);
      await deps.timers.deleteTimers(due.map((d) => d.key));
      timers += due.length;
    }
    await deps.timers.setSweepCursor(minuteOf(t), now);
  }

  let stuck = 0;
  const olderThan = new Date(nowMs - STUCK_AFTER_MS).toISOString();
  for (const shopId of await deps.shops.listIds()) {
    const page = await deps.inbox.list(shopId, 'received', { olderThan, limit: 100 });
    const claimed = [];
    for (const item of page.items) if (await deps.inbox.claimRequeue(item, now)) claimed.push(item);
    if (claimed.length) {
      await deps.queues.sendInbound(claimed.map((i) => ({ kind: 'inbox', shopId, inboxId: i.inboxId })));
      stuck += claimed.length;
    }
  }
  if (timers || stuck) logger.info('sweep', { timers, stuck, minutes });
  return { timers, stuck, minutes };
}
