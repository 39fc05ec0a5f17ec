import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { AggregateKind } from '../../core/engine/types.ts';
import { config } from '../../lib/config.ts';
import { documentClient } from './client.ts';
import { keys } from './keys.ts';

export interface Stored<T> {
  data: T;
  version: number;
  updatedAt: string;
}

/** One aggregate by id, scoped to the shop by its key. */
export async function getAggregate<T>(
  shopId: string,
  kind: AggregateKind,
  id: string,
): Promise<Stored<T> | undefined> {
  const result = await documentClient().send(
    new GetCommand({ TableName: config.tableName(), Key: keys.aggregate(shopId, kind, id) }),
  );
  return result.Item
    ? { data: result.Item.data as T, version: result.Item.version, updatedAt: result.Item.updatedAt }
    : undefined;
}

/** Several aggregates of one kind, in the order asked, missing ones left out. */
export async function getAggregates<T>(shopId: string, kind: AggregateKind, ids: string[]): Promise<T[]> {
  if (ids.length === 0) return [];
  const table = config.tableName();
  const wanted = [...new Set(ids)].slice(0, 100).map((id) => keys.aggregate(shopId, kind, id));
  const result = await documentClient().send(
    new BatchGetCommand({ RequestItems: { [table]: { Keys: wanted } } }),
  );
  const byPk = new Map((result.Responses?.[table] ?? []).map((i) => [i.pk as string, i.data as T]));
  return wanted.flatMap((k) => (byPk.has(k.pk) ? [byPk.get(k.pk)!] : []));
}

/** The order ids carrying a display number (a number is unique per marketplace, not across them). */
export async function orderIdsByNumber(shopId: string, number: string): Promise<string[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: config.tableName(),
      IndexName: 'orderByNumber',
      KeyConditionExpression: 'orderByNumberPk = :pk',
      ExpressionAttributeValues: { ':pk': `SHOP#${shopId}#NO#${number}` },
      Limit: 10,
    }),
  );
  return (result.Items ?? []).map((i) => i.orderByNumberSk as string);
}

/** The notices recorded beside an aggregate, oldest first. */
export async function noticesOf(
  shopId: string,
  kind: AggregateKind,
  id: string,
): Promise<Record<string, unknown>[]> {
  const result = await documentClient().send(
    new QueryCommand({
      TableName: config.tableName(),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :note)',
      ExpressionAttributeValues: { ':pk': keys.aggregate(shopId, kind, id).pk, ':note': 'NOTE#' },
      Limit: 200,
    }),
  );
  return (result.Items ?? [])
    .map(({ pk: _pk, sk: _sk, kind: _kind, shopId: _shop, ...notice }) => notice)
    .sort((a, b) => String(a.plannedAt).localeCompare(String(b.plannedAt)));
}

/** Customer ids whose normalised email or phone has this salted hash (the lookup indexes). */
export async function customerIdsByContact(
  shopId: string,
  kind: 'email' | 'phone',
  hash: string,
): Promise<string[]> {
  const index = kind === 'email' ? 'customerByEmail' : 'customerByPhone';
  const result = await documentClient().send(
    new QueryCommand({
      TableName: config.tableName(),
      IndexName: index,
      KeyConditionExpression: `${index}Pk = :pk`,
      ExpressionAttributeValues: { ':pk': `SHOP#${shopId}#${kind.toUpperCase()}#${hash}` },
      Limit: 20,
    }),
  );
  return (result.Items ?? []).map((i) => i[`${index}Sk`] as string);
}
