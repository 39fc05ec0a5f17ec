import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyEvent } from '../../functions/app/apply-event.ts';
import { settingsOf } from '../../functions/app/settings.ts';
import type { ShopSettings } from '../../functions/core/engine/types.ts';
import { CanonicalEvent } from '../../schemas/events.ts';
import { freshShop, useServices } from './env.ts';

const { deps, db } = useServices();
const now = '2026-11-23T00:00:00.000Z';
/** The dependencies with a clock stopped at `time`. */
const at = (time: string) => ({ ...deps, clock: { now: () => time } });

const placed = (orderId: string, eventId: string) =>
  CanonicalEvent.parse({
    type: 'OrderPlaced',
    eventId,
    provider: 'generic',
    orderId,
    occurredAt: '2026-11-20T08:00:00Z',
    order: { number: `N-${orderId}`, currency: 'CNY', totals: { total: 10000 } },
  });

const refunded = (orderId: string, refundId: string) =>
  CanonicalEvent.parse({
    type: 'OrderRefunded',
    eventId: `refund-${refundId}`,
    provider: 'generic',
    orderId,
    occurredAt: `2026-11-21T08:00:${refundId.padStart(2, '0').slice(-2)}Z`,
    refundId,
    amount: 100,
    currency: 'CNY',
  });

describe('applyEvent (one transaction: state, applied-marker, timers)', () => {
  let shop: ShopSettings;
  beforeAll(async () => {
    const shopId = await freshShop();
    shop = settingsOf((await deps.shops.load(shopId))!.shop);
  });

  it('writes the order at version 1 and an applied-marker', async () => {
    const outcome = await applyEvent(at(now), shop, placed('o-1', 'e-1'));
    expect(outcome.replayed).toBe(false);
    const stored = await deps.reads.getAggregate(shop.shopId, 'order', 'generic:o-1');
    expect(stored?.version).toBe(1);
    expect(stored?.data.status).toBe('placed');
    const markers = await db.client.send(
      new QueryCommand({
        TableName: db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
        ExpressionAttributeValues: { ':pk': `SHOP#${shop.shopId}#ORDER#generic:o-1`, ':a': 'APPLIED#' },
      }),
    );
    expect(markers.Items?.map((i) => i.sk)).toEqual(['APPLIED#e-1']);
  });

  it('recognises a replayed event: no new version, the same effects again', async () => {
    await applyEvent(at(now), shop, placed('o-2', 'e-2'));
    const first = await applyEvent(at(now), shop, refunded('o-2', '1'));
    const again = await applyEvent(at(now), shop, refunded('o-2', '1'));
    expect(first.effects).toHaveLength(1);
    expect(again).toEqual({ effects: first.effects, replayed: true });
    expect((await deps.reads.getAggregate(shop.shopId, 'order', 'generic:o-2'))?.version).toBe(2);
  });

  it('lands every one of many concurrent events on one order (version conditions + retries)', async () => {
    await applyEvent(at(now), shop, placed('o-3', 'e-3'));
    const ids = Array.from({ length: 12 }, (_, i) => String(i + 1));
    const outcomes = await Promise.all(ids.map((id) => applyEvent(at(now), shop, refunded('o-3', id))));
    expect(outcomes.every((o) => !o.replayed)).toBe(true);
    const stored = await deps.reads.getAggregate(shop.shopId, 'order', 'generic:o-3');
    expect(stored?.version).toBe(1 + ids.length);
    expect(stored?.data.refunds.map((r) => r.refundId).sort()).toEqual([...ids].sort());
    expect(stored?.data.refundedTotal).toBe(100 * ids.length);
  });

  it('finds the order by its display number through the orderByNumber index', async () => {
    await applyEvent(at(now), shop, placed('o-4', 'e-4'));
    const result = await db.client.send(
      new QueryCommand({
        TableName: db.table,
        IndexName: 'orderByNumber',
        KeyConditionExpression: 'orderByNumberPk = :pk',
        ExpressionAttributeValues: { ':pk': `SHOP#${shop.shopId}#NO#N-o-4` },
      }),
    );
    expect(result.Items?.map((i) => i.orderByNumberSk)).toEqual(['generic:o-4']);
  });
});
