import type * as z from 'zod';
import type { Locale, TemplateId, TemplateOverride } from '../../schemas/notifications.ts';
import type { TemplateListView, TemplatePreviewView } from '../../schemas/views.ts';
import {
  renderTemplate,
  TEMPLATE_CATALOG,
  TemplateError,
  validateOverride,
} from '../core/notifications/index.ts';
import { NotFoundError } from '../lib/errors.ts';
import type { AppDeps } from './ports.ts';

/*
 * The settings page's template editor: every template with what it may say (its variables and
 * their examples), the built-in text to start from and the shop's own; and a preview of a draft
 * with the examples, or the problems that would stop it being saved (the same check as saving).
 */

type Deps = Pick<AppDeps, 'shops'>;

const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

export async function listTemplates(deps: Deps, shopId: string): Promise<z.output<typeof TemplateListView>> {
  const shop = (await deps.shops.load(shopId))?.shop;
  if (!shop) throw new NotFoundError(`shop ${shopId} not found`);
  const own = shop.notifications.templates;
  return {
    templates: Object.values(TEMPLATE_CATALOG)
      .filter((spec) => spec.kind !== 'silent')
      .map((spec) => ({
        id: spec.id,
        kind: spec.kind as 'transactional' | 'marketing' | 'staff',
        description: spec.description,
        channels: spec.channels,
        variables: Object.entries(spec.variables).map(([name, v]) => ({
          name,
          type: v.type,
          description: v.description,
          required: v.required,
          example: { 'zh-CN': asText(v.example['zh-CN']), en: asText(v.example.en) },
        })),
        builtIn: spec.builtIn,
        ...(own[spec.id] && { override: own[spec.id] }),
        ...(own[`${spec.id}#vip`] && { vipOverride: own[`${spec.id}#vip`] }),
      })),
  };
}

export async function previewTemplate(
  deps: Deps,
  shopId: string,
  templateId: string,
  request: { locale: Locale; vip: boolean; override?: TemplateOverride | undefined },
): Promise<z.output<typeof TemplatePreviewView>> {
  const spec = TEMPLATE_CATALOG[templateId as TemplateId];
  if (!spec) throw new NotFoundError(`there is no template "${templateId}"`);
  const shop = (await deps.shops.load(shopId))?.shop;
  if (!shop) throw new NotFoundError(`shop ${shopId} not found`);
  const { locale } = request;
  const shopName = shop.name ?? shop.shopId;
  const inUse = shop.notifications.templates;
  const override =
    request.override ??
    (request.vip ? inUse[`${spec.id}#vip`]?.[locale] : undefined) ??
    inUse[spec.id]?.[locale];
  const problems = override ? validateOverride(spec.id, override, { locale, shopName }) : [];
  if (problems.length) return { problems };
  const vars = Object.fromEntries(Object.entries(spec.variables).map(([n, v]) => [n, v.example[locale]]));
  try {
    const message = renderTemplate(spec.id, {
      locale,
      timeZone: shop.timezone,
      shopName,
      vars: { ...vars, shopName },
      ...(override && { override }),
    });
    return { problems: [], message };
  } catch (err) {
    if (err instanceof TemplateError) return { problems: [err.message] };
    throw err;
  }
}
