import { describe, expect, it } from 'vitest';
import { applyEvent } from '../../../functions/app/apply-event.ts';
import type { CommitRequest, EventStore, LoadedForApply } from '../../../functions/app/ports.ts';
import type { AggregateRef } from '../../../functions/core/engine/types.ts';
import { VersionConflictError } from '../../../functions/lib/errors.ts';
import { CanonicalEvent } from '../../../schemas/events.ts';
import { shopSettings } from '../../support/orders.ts';

const shop = shopSettings();
const clock = { now: () => '2026-11-25T00:00:00.000Z' };
const noWait = async () => undefined;

const refund = (refundId: string) =>
  CanonicalEvent.parse({
    type: 'OrderRefunded',
    eventId: `refund-${refundId}`,
    provider: 'generic',
    orderId: 'o-1',
    occurredAt: '2026-11-21T08:00:00Z',
    refundId,
    amount: 100,
    currency: 'CNY',
  });

/** An in-memory event store whose commits answer from a script: 'conflict' n times, then commit. */
function scriptedStore(conflicts: number, version = 3) {
  const commits: CommitRequest[] = [];
  let loads = 0;
  const store: EventStore = {
    async load(_shopId: string, refs: AggregateRef[]): Promise<LoadedForApply> {
      loads++;
      return { states: refs.map((ref) => ({ ref, state: undefined, version })) };
    },
    async commit(_shopId, request) {
      commits.push(request);
      return commits.length <= conflicts ? 'conflict' : 'committed';
    },
  };
  return { store, commits, loads: () => loads };
}

describe('applyEvent', () => {
  it('reloads and retries a conflict, and commits over the version it loaded', async () => {
    const { store, commits, loads } = scriptedStore(2);
    const outcome = await applyEvent({ events: store, clock, sleep: noWait }, shop, refund('r1'));
    expect(outcome.replayed).toBe(false);
    expect(loads()).toBe(3);
    expect(commits).toHaveLength(3);
    expect(commits[2]!.changes.map((c) => c.expectedVersion)).toEqual([3]);
    expect(commits[2]!.event.eventId).toBe('refund-r1');
  });

  it('gives up after the last retry with a VersionConflictError (409), which SQS retries later', async () => {
    const { store, commits } = scriptedStore(Number.POSITIVE_INFINITY);
    const attempt = applyEvent({ events: store, clock, sleep: noWait }, shop, refund('r2'));
    await expect(attempt).rejects.toBeInstanceOf(VersionConflictError);
    await expect(attempt).rejects.toMatchObject({ statusCode: 409, code: 'version_conflict' });
    expect(commits).toHaveLength(10);
  });

  it('hands back the recorded effects of an event applied before, and writes nothing', async () => {
    const recorded = [{ kind: 'notify' as const, id: 'n-1', template: 'order.refunded', data: {} }];
    const commits: CommitRequest[] = [];
    const store: EventStore = {
      load: async () => ({ marker: { effects: recorded }, states: [] }),
      commit: async (_s, request) => {
        commits.push(request);
        return 'committed';
      },
    };
    const outcome = await applyEvent({ events: store, clock, sleep: noWait }, shop, refund('r3'));
    expect(outcome).toEqual({ effects: recorded, replayed: true });
    expect(commits).toEqual([]);
  });

  it('refuses a decision made on a version the aggregate has moved past, without retrying', async () => {
    const { store, commits } = scriptedStore(0, 5);
    const ref = { aggregate: 'order' as const, id: 'generic:o-1' };
    const stale = applyEvent({ events: store, clock, sleep: noWait }, shop, refund('r4'), {
      expect: { ref, version: 4 },
    });
    await expect(stale).rejects.toBeInstanceOf(VersionConflictError);
    expect(commits).toEqual([]);
    const conflicted = scriptedStore(1, 4);
    await expect(
      applyEvent({ events: conflicted.store, clock, sleep: noWait }, shop, refund('r5'), {
        expect: { ref, version: 4 },
      }),
    ).rejects.toBeInstanceOf(VersionConflictError);
    expect(conflicted.commits).toHaveLength(1);
  });
});
