import type { AggregateKind } from '../../core/engine/types.ts';

/** Every key starts with the shop, so no query can cross tenants. */
export const keys = {
  shop: (shopId: string) => ({ pk: `SHOP#${shopId}`, sk: 'SHOP' }),
  shopDirectory: (shopId: string) => ({ pk: 'SHOPS', sk: shopId }),
  connector: (shopId: string, provider: string) => ({ pk: `SHOP#${shopId}`, sk: `CONN#${provider}` }),
  inbox: (shopId: string, inboxId: string) => ({ pk: `SHOP#${shopId}#IN#${inboxId}`, sk: 'IN' }),
  aggregate: (shopId: string, kind: AggregateKind, id: string) => ({
    pk: `SHOP#${shopId}#${AGGREGATE_PREFIX[kind]}#${id}`,
    sk: AGGREGATE_PREFIX[kind],
  }),
  applied: (aggregatePk: string, eventId: string) => ({ pk: aggregatePk, sk: `APPLIED#${eventId}` }),
  /** Notices live beside what they are about (an order, else a shipment), one item per notice id. */
  notice: (ownerPk: string, noticeId: string) => ({ pk: ownerPk, sk: `NOTE#${noticeId}` }),
  timer: (dueMinute: string, shard: number, dueAt: string, id: string) => ({
    pk: `TIMER#${dueMinute}#${shard}`,
    sk: `${dueAt}#${id}`,
  }),
  sweepCursor: () => ({ pk: 'SWEEP', sk: 'CURSOR' }),
  /** A shop's counters per day (orders created), for the summary. */
  stats: (shopId: string, day = '') => ({ pk: `SHOP#${shopId}#STATS`, sk: `DAY#${day}` }),
  /** Every published version of a shop's policy, zero-padded so the newest sorts last. */
  policy: (shopId: string, version: number) => ({
    pk: `SHOP#${shopId}#POLICY`,
    sk: `POLICY#${String(version).padStart(6, '0')}`,
  }),
};

const AGGREGATE_PREFIX: Record<AggregateKind, string> = {
  order: 'ORDER',
  shipment: 'SHIP',
  customer: 'CUST',
  case: 'CASE',
};

/** The two attributes of a GSI, named after it (see infra/topology.ts `table.indexes`). */
export function indexKeys(index: string, pk: string, sk: string): Record<string, string> {
  return { [`${index}Pk`]: pk, [`${index}Sk`]: sk };
}
