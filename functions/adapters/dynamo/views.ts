import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Case } from '../../../schemas/case.ts';
import type { ReadModels, Stored } from '../../app/ports.ts';
import type { AggregateKind, StateOf } from '../../core/engine/types.ts';
import type { Db } from './client.ts';
import { decodeCursor, encodeCursor } from './cursor.ts';
import { keys } from './keys.ts';

/** Read access by access pattern, for the admin API and the views (no Scan). */
export class DynamoReads implements ReadModels {
  constructor(private readonly db: Db) {}

  /** One aggregate by id, scoped to the shop by its key. */
  async getAggregate<K extends AggregateKind>(
    shopId: string,
    kind: K,
    id: string,
  ): Promise<Stored<StateOf[K]> | undefined> {
    const result = await this.db.client.send(
      new GetCommand({ TableName: this.db.table, Key: keys.aggregate(shopId, kind, id) }),
    );
    return result.Item
      ? {
          data: result.Item.data as StateOf[K],
          version: result.Item.version,
          updatedAt: result.Item.updatedAt,
        }
      : undefined;
  }

  /** Several aggregates of one kind, in the order asked, missing ones left out. */
  async getAggregates<K extends AggregateKind>(
    shopId: string,
    kind: K,
    ids: string[],
  ): Promise<Array<Stored<StateOf[K]>>> {
    if (ids.length === 0) return [];
    const table = this.db.table;
    const wanted = [...new Set(ids)].slice(0, 100).map((id) => keys.aggregate(shopId, kind, id));
    const result = await this.db.client.send(
      new BatchGetCommand({ RequestItems: { [table]: { Keys: wanted } } }),
    );
    const byPk = new Map(
      (result.Responses?.[table] ?? []).map((i) => [
        i.pk as string,
        { data: i.data as StateOf[K], version: i.version as number, updatedAt: i.updatedAt as string },
      ]),
    );
    return wanted.flatMap((k) => (byPk.has(k.pk) ? [byPk.get(k.pk)!] : []));
  }

  /** The order ids carrying a display number (a number is unique per marketplace, not across them). */
  async orderIdsByNumber(shopId: string, number: string): Promise<string[]> {
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'orderByNumber',
        KeyConditionExpression: 'orderByNumberPk = :pk',
        ExpressionAttributeValues: { ':pk': `SHOP#${shopId}#NO#${number}` },
        Limit: 10,
      }),
    );
    return (result.Items ?? []).map((i) => i.orderByNumberSk as string);
  }

  /** The notices recorded beside an aggregate, oldest first. */
  async noticesOf(shopId: string, kind: AggregateKind, id: string): Promise<Record<string, unknown>[]> {
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
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
  async customerIdsByContact(shopId: string, kind: 'email' | 'phone', hash: string): Promise<string[]> {
    const index = kind === 'email' ? 'customerByEmail' : 'customerByPhone';
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: index,
        KeyConditionExpression: `${index}Pk = :pk`,
        ExpressionAttributeValues: { ':pk': `SHOP#${shopId}#${kind.toUpperCase()}#${hash}` },
        Limit: 20,
      }),
    );
    return (result.Items ?? []).map((i) => i[`${index}Sk`] as string);
  }

  /**
   * A shop's cases in one status, oldest first (the staff queue), through the casesByStatus index;
   * optionally of one type. A page may hold fewer than `limit` cases when a type is asked for (the
   * type is a filter on the page read); `next` continues where it stopped.
   */
  async listCasesByStatus(
    shopId: string,
    status: string,
    options: { type?: string; limit?: number; cursor?: string; since?: string } = {},
  ): Promise<{ items: Array<Stored<Case>>; next?: string }> {
    const partition = `SHOP#${shopId}#CASES#${status}`;
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'casesByStatus',
        KeyConditionExpression: options.since
          ? 'casesByStatusPk = :pk AND casesByStatusSk >= :since'
          : 'casesByStatusPk = :pk',
        ExpressionAttributeValues: {
          ':pk': partition,
          ...(options.type && { ':type': options.type }),
          ...(options.since && { ':since': options.since }),
        },
        ...(options.type && {
          FilterExpression: '#data.#type = :type',
          ExpressionAttributeNames: { '#data': 'data', '#type': 'type' },
        }),
        ScanIndexForward: true,
        Limit: options.limit ?? 50,
        ...(options.cursor && {
          ExclusiveStartKey: decodeCursor(options.cursor, {
            attributes: ['pk', 'sk', 'casesByStatusPk', 'casesByStatusSk'],
            fixed: { casesByStatusPk: partition, sk: 'CASE' },
            check: (key) => key.pk!.startsWith(`SHOP#${shopId}#CASE#`),
          }),
        }),
      }),
    );
    return {
      items: (result.Items ?? []).map((i) => ({
        data: i.data as Case,
        version: i.version,
        updatedAt: i.updatedAt,
      })),
      ...(result.LastEvaluatedKey && { next: encodeCursor(result.LastEvaluatedKey) }),
    };
  }
}
