import type { InboxStatus } from '../../schemas/inbox.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { AppDeps } from './ports.ts';

/*
 * Replay an inbox item (a failed one once its cause is fixed, or any one on purpose).
 * 1. load it; unknown: 404
 * 2. mark it `received` again (its attempts and raw request stay)
 * 3. enqueue it when there is a queue to enqueue to; without one (the local CLI with no runtime
 *    running) the next start, or the sweep, picks it up from `received`
 * Processing it again is safe: every event has the same id as before, and the applied-markers
 * recognise what was applied already.
 */
export async function replayInboxItem(
  deps: Pick<AppDeps, 'inbox' | 'clock'> & { queues?: AppDeps['queues'] },
  shopId: string,
  inboxId: string,
): Promise<{ previous: InboxStatus; queued: boolean }> {
  const item = await deps.inbox.get(shopId, inboxId);
  if (!item) throw new NotFoundError(`no inbox item ${inboxId} in ${shopId}`);
  await deps.inbox.setStatus(item, 'received', deps.clock.now());
  if (!deps.queues) return { previous: item.status, queued: false };
  await deps.queues.sendInbound([{ kind: 'inbox', shopId, inboxId }]);
  return { previous: item.status, queued: true };
}
