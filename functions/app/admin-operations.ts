import type { QueueName } from '../contract.ts';
import { ForbiddenError, NotFoundError } from '../lib/errors.ts';
import { listDeadLetters, redriveDeadLetters } from './dead-letters.ts';
import type { AppDeps, DeadLetters } from './ports.ts';
import { replayInboxItem } from './replay-inbox-item.ts';
import { saveShop } from './shop-settings.ts';
import { settingsView } from './views.ts';

/*
 * What the operations and settings screens do. Reads are for every member of the shop's staff;
 * what changes how the shop runs (its settings, moving dead letters back) is for managers (403
 * otherwise). Every call is scoped to the token's shop.
 */

export interface Staff {
  shopId: string;
  sub: string;
  roles: string[];
}

export function requireManager(staff: Staff, what: string): void {
  if (!staff.roles.includes('manager')) throw new ForbiddenError(`only a manager may ${what}`);
}

export async function showSettings(deps: Pick<AppDeps, 'shops'>, staff: Staff) {
  const loaded = await deps.shops.load(staff.shopId);
  if (!loaded) throw new NotFoundError(`no shop ${staff.shopId}`);
  return settingsView(loaded.shop);
}

/** A manager changes the shop's settings: only the fields given; versioned like every settings write. */
export async function changeSettings(
  deps: Pick<AppDeps, 'shops' | 'clock'>,
  staff: Staff,
  change: Record<string, unknown>,
) {
  requireManager(staff, "change the shop's settings");
  const shop = await saveShop(deps, { ...change, shopId: staff.shopId } as Parameters<typeof saveShop>[1]);
  return settingsView(shop);
}

/** Replays one of the shop's inbox items (any member of staff: it only processes what was received). */
export function replay(deps: Pick<AppDeps, 'inbox' | 'queues' | 'clock'>, staff: Staff, inboxId: string) {
  return replayInboxItem(deps, staff.shopId, inboxId).then((r) => ({ inboxId, ...r }));
}

/** The shop's own messages waiting in each DLQ (never another shop's). */
export async function deadLetters(
  deps: { deadLetters?: DeadLetters | undefined },
  staff: Staff,
  queues: QueueName[],
) {
  if (!deps.deadLetters) throw new NotFoundError('this deployment has no dead-letter access');
  const out = [];
  for (const queue of queues) {
    out.push(await listDeadLetters({ deadLetters: deps.deadLetters }, queue, 10, staff.shopId));
  }
  return { queues: out };
}

/** Moves the shop's messages of a DLQ back to their queue (managers); other shops' stay. */
export async function redrive(
  deps: { deadLetters?: DeadLetters | undefined },
  staff: Staff,
  queue: QueueName,
) {
  requireManager(staff, 'redrive a dead-letter queue');
  if (!deps.deadLetters) throw new NotFoundError('this deployment has no dead-letter access');
  return redriveDeadLetters({ deadLetters: deps.deadLetters }, queue, staff.shopId);
}
