import type { TemplateId } from '../../schemas/notifications.ts';
import type { Shop, ShopInput } from '../../schemas/shop.ts';
import { validateOverride } from '../core/notifications/index.ts';
import { InvalidRequestError, VersionConflictError } from '../lib/errors.ts';
import type { AppDeps, ShopWithConnectors } from './ports.ts';

type ShopDeps = Pick<AppDeps, 'shops' | 'clock'>;

/** Adds a shop, or changes the settings given of an existing one (the others stay). */
export async function saveShop(deps: ShopDeps, input: ShopInput): Promise<Shop> {
  // SMS length is checked with the shop's own name in the signature, as it will be sent.
  const name =
    input.name ?? (input.notifications ? (await deps.shops.load(input.shopId))?.shop.name : undefined);
  const problems = templateProblems({ ...input, ...(name && { name }) });
  if (problems.length) {
    throw new InvalidRequestError(`the shop's templates cannot be saved: ${problems.join('; ')}`, {
      templates: problems,
    });
  }
  return deps.shops.put(input, deps.clock.now());
}

/**
 * Every problem of the templates a shop saves (keys `<templateId>` or `<templateId>#vip`, then a
 * locale): an unknown variable or template is an error now, never a blank at send time.
 */
export function templateProblems(input: Pick<ShopInput, 'name' | 'notifications'>): string[] {
  const templates = (input.notifications as { templates?: unknown } | undefined)?.templates;
  if (!templates || typeof templates !== 'object') return [];
  const problems: string[] = [];
  for (const [key, byLocale] of Object.entries(templates as Record<string, unknown>)) {
    const id = key.endsWith('#vip') ? key.slice(0, -'#vip'.length) : key;
    if (!byLocale || typeof byLocale !== 'object') continue; // the schema names it
    for (const [locale, override] of Object.entries(byLocale as Record<string, unknown>)) {
      if (locale !== 'zh-CN' && locale !== 'en') continue; // the schema names it
      const found = validateOverride(id as TemplateId, override as never, {
        locale,
        ...(input.name && { shopName: input.name }),
      });
      for (const problem of found) problems.push(`${key} (${locale}) ${problem}`);
    }
  }
  return problems;
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
