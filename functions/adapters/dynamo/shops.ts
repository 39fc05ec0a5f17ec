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
import {
  type SecretContext,
  type SecretsCipher,
  SecretsKeyMissingError,
  SecretUnreadableError,
} from '../secrets/cipher.ts';
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

/**
 * A connector whose secrets this process cannot open: its settings are there, and asking for its
 * secrets throws the reason (no key here, or a value that does not open). Functions that never
 * touch secrets (most of them) load such shops without noticing; one that does fails loudly
 * instead of refusing every signature as if it were wrong.
 */
function withUnopenedSecrets(settings: Record<string, string>, reason: Error): ConnectorConfig {
  const config = { settings } as ConnectorConfig;
  Object.defineProperty(config, 'secrets', {
    get() {
      throw reason;
    },
  });
  return config;
}

function withoutNulls<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as T;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Shops and their connectors (one partition per shop), with a short cache for the ingest path.
 *
 * Connector secrets are stored sealed (`sealedSecrets`, functions/adapters/secrets/), bound to the
 * shop and the connector; they are opened on each read from the table, so a cached shop holds them
 * open and the hot path does no crypto and no KMS call. Items written before secrets were sealed
 * (a plaintext `secrets` list) still read as they are, and are sealed by the next write to the
 * connector or by `aftersale secrets seal`.
 */
export class DynamoShops implements ShopStore {
  private readonly cache = new Map<string, { at: number; value: ShopWithConnectors | undefined }>();

  constructor(
    private readonly db: Db,
    /** Only in processes that open secrets: functions with `secretsKey`, the CLI. */
    private readonly cipher?: SecretsCipher,
  ) {}

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
    const connectorItems = items.filter((i) => typeof i.sk === 'string' && i.sk.startsWith('CONN#'));
    const connectors = new Map<string, ConnectorConfig>(
      await Promise.all(
        connectorItems.map(async (item) => {
          const provider = (item.sk as string).slice(5);
          return [provider, await this.connectorOf({ shopId, connector: provider }, item)] as const;
        }),
      ),
    );
    return { shop: ShopInput.parse(shopItem.data), connectors };
  }

  private async connectorOf(context: SecretContext, item: Record<string, unknown>): Promise<ConnectorConfig> {
    const settings = (item.settings ?? {}) as Record<string, string>;
    const sealed = item.sealedSecrets as string[] | undefined;
    // Written before secrets were sealed: read as it is until it is sealed.
    if (!sealed) return { secrets: (item.secrets ?? []) as string[], settings };
    if (!this.cipher) {
      return withUnopenedSecrets(
        settings,
        new SecretsKeyMissingError(
          `the ${context.connector} secrets of shop ${context.shopId} are sealed and this function has no secrets key (secretsKey in infra/topology.ts, SECRETS_KEY_ID)`,
        ),
      );
    }
    const cipher = this.cipher;
    try {
      return { secrets: await Promise.all(sealed.map((s) => cipher.open(s, context))), settings };
    } catch (err) {
      // Only this connector is unusable; the shop's other connectors and settings still work.
      if (err instanceof SecretUnreadableError) return withUnopenedSecrets(settings, err);
      throw err;
    }
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
      cases: { ...before.cases, ...stripUndefined(input.cases ?? {}) },
      // Each notification part given replaces the shop's; the parts not given stay.
      // A part given as null is cleared (an optional one: the gateway, a link).
      notifications: withoutNulls({ ...before.notifications, ...stripUndefined(input.notifications ?? {}) }),
    });
    if (!parsed.success) {
      throw new InvalidRequestError(`invalid shop: ${z.prettifyError(parsed.error)}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      });
    }
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
   * Secrets are sealed; one already sealed is kept as it is (no new ciphertext), one left in plain
   * text by an older version is sealed now, and one that no longer opens is dropped by a rotation.
   */
  async setConnector(
    shopId: string,
    provider: string,
    change: { secret?: string; settings: Record<string, string> },
    now: string,
  ): Promise<{ secrets: number; settings: string[] }> {
    const cipher = this.cipher;
    if (!cipher) {
      throw new SecretsKeyMissingError(
        `connector secrets are sealed before they are stored, and this process has no secrets key (SECRETS_KEY_ID)`,
      );
    }
    const current = await this.db.client.send(
      new GetCommand({
        TableName: this.db.table,
        Key: keys.connector(shopId, provider),
        ConsistentRead: true,
      }),
    );
    const context: SecretContext = { shopId, connector: provider };
    let kept = await keptSecrets(current.Item, cipher, context);
    if (change.secret) {
      const secret = change.secret;
      // The same secret set again stays one entry: compare with what the kept ones open to.
      const previous = await Promise.all(
        kept.map(async (k) => ({
          ...k,
          plain: k.plain ?? (await openOrUndefined(cipher, k.sealed, context)),
        })),
      );
      kept = [
        { sealed: await cipher.seal(secret, context), plain: secret },
        ...previous.filter((k) => k.plain !== undefined && k.plain !== secret),
      ].slice(0, 2);
    }
    const settings = { ...(current.Item?.settings ?? {}), ...change.settings };
    const version = (current.Item?.version as number | undefined) ?? 0;
    const condition = versionCondition(current.Item, version);
    try {
      await this.db.client.send(
        new PutCommand({
          TableName: this.db.table,
          // The whole item: a plaintext `secrets` list of an older version is gone with this write.
          Item: {
            ...keys.connector(shopId, provider),
            kind: 'connector',
            sealedSecrets: kept.map((k) => k.sealed),
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
    return { secrets: kept.length, settings: Object.keys(settings) };
  }

  /**
   * Seals the shop's connector secrets still stored in plain text by an older version; answers
   * the connectors it sealed (none when all were sealed already).
   */
  async sealPlaintextSecrets(shopId: string, now: string): Promise<string[]> {
    const result = await this.db.client.send(
      new QueryCommand({
        TableName: this.db.table,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :conn)',
        ExpressionAttributeValues: { ':pk': keys.shop(shopId).pk, ':conn': 'CONN#' },
        ConsistentRead: true,
      }),
    );
    const sealed: string[] = [];
    for (const item of result.Items ?? []) {
      if (item.sealedSecrets || !item.secrets) continue;
      const provider = (item.sk as string).slice(5);
      await this.setConnector(shopId, provider, { settings: {} }, now);
      sealed.push(provider);
    }
    this.cache.delete(shopId);
    return sealed;
  }
}

/** The secrets an item keeps, sealed: as stored, or sealed now if an older version left them plain. */
async function keptSecrets(
  item: Record<string, unknown> | undefined,
  cipher: SecretsCipher,
  context: SecretContext,
): Promise<Array<{ sealed: string; plain?: string | undefined }>> {
  if (Array.isArray(item?.sealedSecrets))
    return (item.sealedSecrets as string[]).map((sealed) => ({ sealed }));
  const plain = (item?.secrets ?? []) as string[];
  return Promise.all(plain.map(async (p) => ({ sealed: await cipher.seal(p, context), plain: p })));
}

/** What a kept secret opens to; undefined if it no longer opens (it could verify nothing either). */
async function openOrUndefined(
  cipher: SecretsCipher,
  sealed: string,
  context: SecretContext,
): Promise<string | undefined> {
  try {
    return await cipher.open(sealed, context);
  } catch (err) {
    if (err instanceof SecretUnreadableError) return undefined;
    throw err;
  }
}
