import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { documentClient } from '../../functions/adapters/dynamo/client.ts';
import { keys } from '../../functions/adapters/dynamo/keys.ts';
import { loadShop, putShop, setConnector } from '../../functions/adapters/dynamo/shops.ts';
import { config } from '../../functions/lib/config.ts';
import { VersionConflictError } from '../../functions/lib/errors.ts';
import { freshShop, useServices } from './env.ts';

useServices();
const now = '2026-11-30T00:00:00.000Z';

describe('versioned settings writes', () => {
  it('refuses the second of two concurrent secret rotations instead of dropping a secret', async () => {
    const shopId = await freshShop({ generic: { secret: 'first' } });
    const results = await Promise.allSettled([
      setConnector(shopId, 'generic', { secret: 'second', settings: {} }, now),
      setConnector(shopId, 'generic', { secret: 'third', settings: {} }, now),
    ]);
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(VersionConflictError);
    expect((refused[0] as PromiseRejectedResult).reason.statusCode).toBe(409);
    // The refused one, tried again on a fresh read, keeps the winner's secret as the previous one.
    const loser = results[0]!.status === 'rejected' ? 'second' : 'third';
    const winner = loser === 'second' ? 'third' : 'second';
    await setConnector(shopId, 'generic', { secret: loser, settings: {} }, now);
    const connector = (await loadShop(shopId))!.connectors.get('generic')!;
    expect(connector.secrets).toEqual([loser, winner]);
  });

  it('counts shop versions and refuses a concurrent update', async () => {
    const shopId = await freshShop();
    const item = async () =>
      (await documentClient().send(new GetCommand({ TableName: config.tableName(), Key: keys.shop(shopId) })))
        .Item;
    expect((await item())?.version).toBe(1);
    await putShop({ shopId, name: 'Renamed' }, now);
    expect((await item())?.version).toBe(2);
    const results = await Promise.allSettled([
      putShop({ shopId, timezone: 'Europe/Berlin' }, now),
      putShop({ shopId, locale: 'en' }, now),
    ]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
    expect((await item())?.version).toBe(3);
  });
});
