import type { NotificationMessage } from '../../schemas/messages.ts';
import { logger } from '../lib/logger.ts';
import type { AppDeps } from './ports.ts';

/*
 * Record a planned notice, once, by its deterministic id, in the delivery log beside the order (or,
 * for a parcel not yet tied to an order, the shipment). A re-emitted notice finds its record and is
 * not logged (or, once channels exist, sent) twice.
 *
 * Rendering, consent, quiet hours, frequency caps and the channel senders are the notifications
 * issue; until then every notice stays `pending_channel`, visible to staff in the order view.
 */
export async function recordNotice(
  deps: Pick<AppDeps, 'notices' | 'clock'>,
  notice: NotificationMessage,
): Promise<void> {
  const recorded = await deps.notices.record(notice, deps.clock.now());
  if (!recorded) logger.debug('notice already recorded', { id: notice.id });
}
