import type { ApplyContext, ShopSettings } from '../../functions/core/engine/types.ts';

/** The one test shop every unit test applies events for, and the fixed clock it runs on. */

export const NOW = '2026-11-25T00:00:00.000Z';

/** Top-level fields replace the defaults; `tracking` is merged field by field. */
export type ShopOverrides = Partial<Omit<ShopSettings, 'tracking'>> & {
  tracking?: Partial<ShopSettings['tracking']>;
};

export function shopSettings(overrides: ShopOverrides = {}): ShopSettings {
  const { tracking, ...rest } = overrides;
  return {
    shopId: 'demo-shop',
    name: 'Demo',
    timezone: 'Asia/Shanghai',
    locale: 'zh-CN',
    defaultRegion: 'CN',
    ...rest,
    tracking: { stallHours: 72, pendingHours: 48, stallRemedy: 'none', ...tracking },
  };
}

export function applyContext(shop: ShopSettings = shopSettings(), now: string = NOW): ApplyContext {
  return { shop, now };
}
