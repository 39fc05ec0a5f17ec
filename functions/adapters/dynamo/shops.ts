import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  paginateQuery,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { type Shop, ShopInput } from '../../../schemas/shop.ts';
import type { ConnectorConfig } from '../../app/connectors.ts';
import type { ShopStore, ShopWithConnectors } from '../../app/ports.ts';
import { InvalidRequestError, VersionConflictError } from '../../lib/errors.ts';
import type { Db } from './client.ts';
import { keys } from './keys.ts';

export type { ShopWithConnectors };

const CACHE_MS = 15_000;

/**
 * The condition for writing over what was read: the same version, or (for an item written before
 * versions existed) no version at all; nothing there yet for a new item.
 */
function versionCondition(item: Record<string, unknown> | undefined, version: number) {
  if (!item) return { ConditionExpression: 'attribute_not_exists(pk)' };
  if (item.version === undefined)
    return { ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(version)' };
  return { ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } };
}

function isConditionFailure(err: unknown): boolean {
  if (err instanceof ConditionalCheckFailedException) return true;
  return (
    err instanceof TransactionCanceledException &&
    (err.CancellationReasons ?? []).some(
      (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
    )
  );
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Shops and their connectors (one partition per shop), with a short cache for the ingest path. */
export class DynamoShops implements ShopStore {
  private readonly cache = new Map<string, { at: number; value: ShopWithConnectors | undefined }>();

  constructor(private readonly db: Db) {}

  /** The shop and all its connectors in one query (they share the partition). */
  async load(shopId: string): Promise<ShopWithConnectors | undefined> {
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.shop(shopId).pk },
        ConsistentRead: true,
      }),
    );
    const items = result.Items ?? [];
    const shopItem = items.find((i) => i.sk === 'SHOP');
    if (!shopItem) return undefined;
    const connectors = new Map<string, ConnectorConfig>();
    for (const item of items) {
      if (typeof item.sk === 'string' && item.sk.startsWith('CONN#')) {
        connectors.set(item.sk.slice(5), { secrets: item.secrets ?? [], settings: item.settings ?? {} });
      }
    }
    return { shop: ShopInput.parse(shopItem.data), connectors };
  }

  /**
   * `loadShop` with a short in-memory cache for the hot ingest path. `maxAgeMs` asks for a copy at
   * most that old (0: read now), which the ingest does before refusing a signature.
   */
  async loadCached(
    shopId: string,
    options: { maxAgeMs?: number; now?: number } = {},
  ): Promise<ShopWithConnectors | undefined> {
    const now = options.now ?? Date.now();
    const hit = this.cache.get(shopId);
    if (hit && now - hit.at < (options.maxAgeMs ?? CACHE_MS)) return hit.value;
    const value = await this.load(shopId);
    // Only found shops are cached: a shop added right after a failed try must work at once.
    if (value) this.cache.set(shopId, { at: now, value });
    if (this.cache.size > 1000) this.cache.delete(this.cache.keys().next().value as string);
    return value;
  }

  clearCache(): void {
    this.cache.clear();
  }

  /** Creates the shop, or updates the fields given (the id never changes). */
  async put(input: ShopInput, now: string): Promise<Shop> {
    const current = await this.db.client.send(
      new GetCommand({ TableName: this.db.table, Key: keys.shop(input.shopId), ConsistentRead: true }),
    );
    const before = (current.Item?.data ?? {}) as Partial<Shop>;
    const parsed = ShopInput.safeParse({
      ...before,
      ...stripUndefined(input),
      tracking: { ...before.tracking, ...stripUndefined(input.tracking ?? {}) },
    });
    if (!parsed.success) throw new InvalidRequestError(`invalid shop: ${z.prettifyError(parsed.error)}`);
    const shop = parsed.data;
    const version = (current.Item?.version as number | undefined) ?? 0;
    try {
      await this.db.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.db.table,
                Item: {
                  ...keys.shop(shop.shopId),
                  kind: 'shop',
                  data: shop,
                  version: version + 1,
                  createdAt: current.Item?.createdAt ?? now,
                  updatedAt: now,
                },
                // Read, merged, then written: only over the version that was read.
                ...versionCondition(current.Item, version),
              },
            },
            // The shop directory: one small partition listing every shop, for the periodic sweeps.
            {
              Put: {
                TableName: this.db.table,
                Item: { ...keys.shopDirectory(shop.shopId), kind: 'shop-ref' },
              },
            },
          ],
        }),
      );
    } catch (err) {
      if (isConditionFailure(err))
        throw new VersionConflictError(`shop ${shop.shopId} changed meanwhile; try again`);
      throw err;
    }
    return shop;
  }

  /** Every shop id (a deployment serves one owner's handful of shops; paginated all the same). */
  async listIds(): Promise<string[]> {
    const ids: string[] = [];
    const pages = paginateQuery(
      { client: this.db.client },
      {
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.shopDirectory('').pk },
      },
    );
    for await (const page of pages) for (const item of page.Items ?? []) ids.push(item.sk as string);
    return ids;
  }

  /**
   * Stores a connector. A new secret becomes current and the previous current one is kept as the
   * second, so deliveries still signed with it verify during the rotation (at most two are kept).
   */
  async setConnector(
    shopId: string,
    provider: string,
    change: { secret?: string; settings: Record<string, string> },
    now: string,
  ): Promise<{ secrets: number; settings: string[] }> {
    const current = await this.db.client.send(
      new GetCommand({
        TableName: this.db.table,
        Key: keys.connector(shopId, provider),
        ConsistentRead: true,
      }),
    );
    const previous: string[] = current.Item?.secrets ?? [];
    const secrets = change.secret
      ? [change.secret, ...previous.filter((s) => s !== change.secret)].slice(0, 2)
      : previous;
    const settings = { ...(current.Item?.settings ?? {}), ...change.settings };
    const version = (current.Item?.version as number | undefined) ?? 0;
    const condition = versionCondition(current.Item, version);
    try {
      await this.db.client.send(
        new PutCommand({
          TableName: this.db.table,
          Item: {
            ...keys.connector(shopId, provider),
            kind: 'connector',
            secrets,
            settings,
            version: version + 1,
            updatedAt: now,
          },
          ...condition,
        }),
      );
    } catch (err) {
      // Two rotations at once: the second would drop the first's secret. It is told to read again.
      if (isConditionFailure(err)) {
        throw new VersionConflictError(`the ${provider} connector of ${shopId} changed meanwhile; try again`);
      }
      throw err;
    }
    return { secrets: secrets.length, settings: Object.keys(settings) };
  }
}
