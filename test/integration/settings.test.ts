import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it, vi } from 'vitest';
import { keys } from '../../functions/adapters/dynamo/keys.ts';
import { VersionConflictError } from '../../functions/lib/errors.ts';
import { freshShop, useServices } from './env.ts';

const { deps, db } = useServices();
const now = '2026-11-30T00:00:00.000Z';

describe('versioned settings writes', () => {
  it('refuses the second of two concurrent secret rotations instead of dropping a secret', async () => {
    const shopId = await freshShop({ generic: { secret: 'first' } });
    // Interleave for certain: rotation A has read and is about to write when rotation B runs whole.
    const client = db.client;
    const send = client.send.bind(client);
    let interleaved = false;
    const spy = vi.spyOn(client, 'send').mockImplementation((async (command: {
      constructor: { name: string };
    }) => {
      if (!interleaved && command.constructor.name === 'PutCommand') {
        interleaved = true;
        await deps.shops.setConnector(shopId, 'generic', { secret: 'third', settings: {} }, now);
      }
      return send(command as never);
    }) as never);
    const refused = await deps.shops
      .setConnector(shopId, 'generic', { secret: 'second', settings: {} }, now)
      .catch((err: unknown) => err);
    spy.mockRestore();
    expect(refused).toBeInstanceOf(VersionConflictError);
    expect((refused as VersionConflictError).statusCode).toBe(409);
    // Tried again on a fresh read, it keeps the winner's secret as the previous one.
    await deps.shops.setConnector(shopId, 'generic', { secret: 'second', settings: {} }, now);
    const connector = (await deps.shops.load(shopId))!.connectors.get('generic')!;
    expect(connector.secrets).toEqual(['second', 'third']);
  });

  it('counts shop versions and refuses a concurrent update', async () => {
    const shopId = await freshShop();
    const item = async () =>
      (await db.client.send(new GetCommand({ TableName: db.table, Key: keys.shop(shopId) }))).Item;
    expect((await item())?.version).toBe(1);
    await deps.shops.put({ shopId, name: 'Renamed' }, now);
    expect((await item())?.version).toBe(2);
    const client = db.client;
    const send = client.send.bind(client);
    let interleaved = false;
    const spy = vi.spyOn(client, 'send').mockImplementation((async (command: {
      constructor: { name: string };
    }) => {
      if (!interleaved && command.constructor.name === 'TransactWriteCommand') {
        interleaved = true;
        await deps.shops.put({ shopId, locale: 'en' }, now);
      }
      return send(command as never);
    }) as never);
    const refused = await deps.shops
      .put({ shopId, timezone: 'Europe/Berlin' }, now)
      .catch((err: unknown) => err);
    spy.mockRestore();
    expect(refused).toBeInstanceOf(VersionConflictError);
    expect((await item())?.version).toBe(3);
  });
});
