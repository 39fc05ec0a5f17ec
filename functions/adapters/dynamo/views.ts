import { BatchGetCommand, GetCommand, paginateQuery, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Case } from '../../../schemas/case.ts';
import type { CaseListOptions, ReadModels, Stored } from '../../app/ports.ts';
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
   * A shop's cases in one status, oldest first (the staff queue), through the casesByStatus index
   * (its sort key starts with the request time, so `since` and `before` are key conditions). The
   * other filters (type, reason, assignee, SLA breached) apply to each page read: a page may hold
   * fewer than `limit` cases; `next` continues where it stopped.
   */
  async listCasesByStatus(
    shopId: string,
    status: string,
    options: CaseListOptions = {},
  ): Promise<{ items: Array<Stored<Case>>; next?: string }> {
    const partition = `SHOP#${shopId}#CASES#${status}`;
    const values: Record<string, unknown> = { ':pk': partition };
    const names: Record<string, string> = {};
    const filters: string[] = [];
    let key = 'casesByStatusPk = :pk';
    if (options.since && options.before) {
      key += ' AND casesByStatusSk BETWEEN :since AND :before';
      Object.assign(values, { ':since': options.since, ':before': options.before });
    } else if (options.since) {
      key += ' AND casesByStatusSk >= :since';
      values[':since'] = options.since;
    } else if (options.before) {
      key += ' AND casesByStatusSk < :before';
      values[':before'] = options.before;
    }
    const field = (name: string) => {
      names['#data'] = 'data';
      names[`#${name}`] = name;
      return `#data.#${name}`;
    };
    if (options.type) {
      filters.push(`${field('type')} = :type`);
      values[':type'] = options.type;
    }
    if (options.reason) {
      filters.push(`contains(${field('reasons')}, :reason)`);
      values[':reason'] = options.reason;
    }
    if (options.assignee) {
      filters.push(`${field('assignee')} = :assignee`);
      values[':assignee'] = options.assignee;
    }
    if (options.slaBreached) {
      filters.push(`size(${field('slaBreaches')}) > :zero`);
      values[':zero'] = 0;
    }
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'casesByStatus',
        KeyConditionExpression: key,
        ExpressionAttributeValues: values,
        ...(filters.length && { FilterExpression: filters.join(' AND '), ExpressionAttributeNames: names }),
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

  async listNotices(
    shopId: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<{ items: Record<string, unknown>[]; next?: string }> {
    const partition = `SHOP#${shopId}#NOTICES`;
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        IndexName: 'noticesByShop',
        KeyConditionExpression: 'noticesByShopPk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
        ScanIndexForward: false,
        Limit: options.limit ?? 50,
        ...(options.cursor && {
          ExclusiveStartKey: decodeCursor(options.cursor, {
            attributes: ['pk', 'sk', 'noticesByShopPk', 'noticesByShopSk'],
            fixed: { noticesByShopPk: partition },
            check: (key) => key.pk!.startsWith(`SHOP#${shopId}#`) && key.sk!.startsWith('NOTE#'),
          }),
        }),
      }),
    );
    return {
      items: (result.Items ?? []).map(
        ({
          pk: _pk,
          sk: _sk,
          kind: _kind,
          shopId: _shop,
          noticesByShopPk: _a,
          noticesByShopSk: _b,
          ...notice
        }) => notice,
      ),
      ...(result.LastEvaluatedKey && { next: encodeCursor(result.LastEvaluatedKey) }),
    };
  }

  async ordersCreated(shopId: string, fromDay: string, toDay: string): Promise<number> {
    let total = 0;
    const pages = paginateQuery(
      { client: this.db.client },
      {
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: {
          ':pk': keys.stats(shopId).pk,
          ':from': `DAY#${fromDay}`,
          ':to': `DAY#${toDay}`,
        },
      },
    );
    for await (const page of pages)
      for (const item of page.Items ?? []) total += (item.ordersCreated as number) ?? 0;
    return total;
  }
}
