import { defaultRegionOf, type Shop, type ShopInput } from '../../schemas/shop.ts';
import type { ShopSettings } from '../core/engine/types.ts';
import { VersionConflictError } from '../lib/errors.ts';
import type { AppDeps, ShopWithConnectors } from './ports.ts';

/** The settings the core reads, from the Shop item (defaults applied by its schema). */
export function settingsOf(shop: Shop): ShopSettings {
  return {
    shopId: shop.shopId,
    name: shop.name ?? shop.shopId,
    timezone: shop.timezone,
    locale: shop.locale,
    defaultRegion: defaultRegionOf(shop),
    tracking: shop.tracking,
    cases: shop.cases,
    notifications: shop.notifications,
  };
}

type ShopDeps = Pick<AppDeps, 'shops' | 'clock'>;

/** Adds a shop, or changes the settings given of an existing one (the others stay). */
export function saveShop(deps: ShopDeps, input: ShopInput): Promise<Shop> {
  return deps.shops.put(input, deps.clock.now());
}

export function showShop(
  deps: Pick<AppDeps, 'shops'>,
  shopId: string,
): Promise<ShopWithConnectors | undefined> {
  return deps.shops.load(shopId);
}

/*
 * Set a connector's secret and settings.
 * 1. write it over the version read: a new secret becomes current, the previous one stays second
 * 2. a concurrent change (another rotation) makes that a conflict: read again and write once more,
 *    so both rotations are kept instead of one silently dropping the other's secret
 */
export async function setConnector(
  deps: ShopDeps,
  shopId: string,
  provider: string,
  change: { secret?: string; settings: Record<string, string> },
): Promise<{ secrets: number; settings: string[] }> {
  try {
    return await deps.shops.setConnector(shopId, provider, change, deps.clock.now());
  } catch (err) {
    if (!(err instanceof VersionConflictError)) throw err;
    return deps.shops.setConnector(shopId, provider, change, deps.clock.now());
  }
}
