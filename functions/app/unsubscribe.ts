import { stableId } from '../lib/crypto.ts';
import type { UnsubscribeClaims } from '../lib/customer-token.ts';
import { type ApplyDeps, applyEvent } from './apply-event.ts';
import { shopSettingsOf } from './cases.ts';
import type { AppDeps } from './ports.ts';
import { publishEffects } from './publish-effects.ts';

export interface UnsubscribePage {
  shopName: string;
  locale: 'zh-CN' | 'en';
  channel: UnsubscribeClaims['channel'];
  /** Whether the customer is opted out of marketing on that channel now. */
  optedOut: boolean;
}

/** What an unsubscribe link's page says: whose messages, which channel, whether already done. */
export async function unsubscribeStatus(
  deps: Pick<AppDeps, 'shops' | 'reads'>,
  claims: UnsubscribeClaims,
): Promise<UnsubscribePage> {
  const shop = await shopSettingsOf(deps, claims.shopId);
  const customer = (await deps.reads.getAggregate(shop.shopId, 'customer', claims.customerId))?.data;
  const locale = /^zh/i.test(customer?.locale ?? shop.locale) ? 'zh-CN' : 'en';
  const optedOut = !!(customer?.optOuts?.[claims.channel]?.optedOut || customer?.optOuts?.all?.optedOut);
  return { shopName: shop.name, locale, channel: claims.channel, optedOut };
}

/**
 * The customer opts out of marketing on the link's channel, at once: the opt-out is applied to the
 * customer before this answers (a marketing message planned a second later is suppressed), not
 * queued. Order, parcel and case updates still go. Doing it twice changes nothing.
 */
export async function unsubscribe(
  deps: ApplyDeps & Pick<AppDeps, 'shops' | 'reads' | 'queues'>,
  claims: UnsubscribeClaims,
): Promise<UnsubscribePage> {
  const shop = await shopSettingsOf(deps, claims.shopId);
  const now = deps.clock.now();
  const { effects } = await applyEvent(deps, shop, {
    type: 'CustomerOptedOut',
    eventId: stableId('unsubscribe', claims.shopId, claims.customerId, claims.channel, now),
    provider: 'system',
    occurredAt: now,
    customerId: claims.customerId,
    channel: claims.channel,
    optedOut: true,
  });
  await publishEffects(deps.queues, shop.shopId, effects, now);
  return { ...(await unsubscribeStatus(deps, claims)), optedOut: true };
}

const WORDS = {
  'zh-CN': {
    title: '退订营销消息',
    channel: { email: '邮件', sms: '短信', all: '所有渠道' },
    ask: (shop: string, ch: string) =>
      `不再通过${ch}接收「${shop}」的优惠、问候和回访消息？订单、物流和售后进度通知不受影响。`,
    button: '确认退订',
    done: (shop: string, ch: string) =>
      `已退订：「${shop}」不会再通过${ch}向您发送营销消息。订单、物流和售后进度通知仍会照常发送。`,
  },
  en: {
    title: 'Unsubscribe from marketing',
    channel: { email: 'email', sms: 'text message', all: 'any channel' },
    ask: (shop: string, ch: string) =>
      `Stop offers, greetings and follow-ups from ${shop} by ${ch}? Updates about your orders, parcels and returns are not affected.`,
    button: 'Unsubscribe',
    done: (shop: string, ch: string) =>
      `You are unsubscribed: ${shop} will not send you marketing by ${ch} again. Updates about your orders, parcels and returns still come.`,
  },
} as const;

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The page: a question with one button (GET; link scanners fetch links, they do not press buttons), or the answer. */
export function unsubscribeHtml(page: UnsubscribePage): string {
  const w = WORDS[page.locale];
  const ch = w.channel[page.channel];
  const body = page.optedOut
    ? `<p role="status">${escapeHtml(w.done(page.shopName, ch))}</p>`
    : `<p>${escapeHtml(w.ask(page.shopName, ch))}</p><form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">${escapeHtml(w.button)}</button></form>`;
  return `<!doctype html><html lang="${page.locale}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(w.title)} · ${escapeHtml(page.shopName)}</title><style>body{font:16px/1.6 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1a1a1a}button{font:inherit;padding:.5rem 1.25rem;border-radius:.375rem;border:1px solid #1a56db;background:#1a56db;color:#fff;cursor:pointer}</style></head><body><main><h1>${escapeHtml(w.title)}</h1>${body}</main></body></html>`;
}
