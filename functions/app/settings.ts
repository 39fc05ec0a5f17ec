import { defaultRegionOf, type Shop } from '../../schemas/shop.ts';
import type { ShopSettings } from '../core/engine/types.ts';

/*
 * Kept apart from shop-settings.ts (saving, with the template checks and so the notification
 * texts): every function reads settings, only the admin side saves them.
 */

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
