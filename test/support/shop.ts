import type { ApplyContext, ShopSettings } from '../../functions/core/engine/types.ts';
import { NotificationSettings } from '../../schemas/shop.ts';

/** The one test shop every unit test applies events for, and the fixed clock it runs on. */

export const NOW = '2026-11-25T00:00:00.000Z';

/** Top-level fields replace the defaults; `tracking` and `cases` are merged field by field. */
export type ShopOverrides = Partial<Omit<ShopSettings, 'tracking' | 'cases'>> & {
  tracking?: Partial<ShopSettings['tracking']>;
  cases?: Partial<ShopSettings['cases']>;
};

export function shopSettings(overrides: ShopOverrides = {}): ShopSettings {
  const { tracking, cases, ...rest } = overrides;
  return {
    shopId: 'demo-shop',
    name: 'Demo',
    timezone: 'Asia/Shanghai',
    locale: 'zh-CN',
    defaultRegion: 'CN',
    ...rest,
    tracking: { stallHours: 72, pendingHours: 48, stallRemedy: 'none', ...tracking },
    cases: {
      staffApprovalLimit: 50_000,
      shipWithinDays: 7,
      refundWithinDays: 7,
      firstResponseHours: 24,
      ...cases,
    },
    notifications: rest.notifications ?? NotificationSettings.parse({}),
  };
}

export function applyContext(shop: ShopSettings = shopSettings(), now: string = NOW): ApplyContext {
  return { shop, now };
}
