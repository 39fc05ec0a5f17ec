import { contactHash, normalizePhone } from '../core/customers/identity.ts';
import { hmacSha256, safeEqual, stableId } from '../lib/crypto.ts';
import { InvalidSignatureError, NotFoundError } from '../lib/errors.ts';
import { type ApplyDeps, applyEvent } from './apply-event.ts';
import { CHANNEL_SECRET_ITEMS } from './channels.ts';
import type { AppDeps } from './ports.ts';
import { publishEffects } from './publish-effects.ts';
import { settingsOf } from './settings.ts';

/*
 * Replies to the shop's SMS, as its own gateway (the webhook channel: Aliyun, Tencent Cloud SMS
 * behind it) forwards them: 回TD退订 / reply STOP opts the sender out of marketing SMS at once;
 * START (or 订阅) opts them back in. Order, parcel and case texts still go. Signed like what we send
 * the gateway: `x-aftersale-signature: sha256=<hex HMAC-SHA256(the webhook channel's secret, body)>`.
 * Amazon SNS keeps its own opt-out list: its STOP replies need nothing from us (a send to an opted-out
 * number fails as refused and is recorded as such).
 */

/** What a reply says, after trimming, case and width folded, and end punctuation dropped. */
const STOP_WORDS = new Set([
  'TD',
  'T',
  '退订',
  '退',
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'N',
]);
const START_WORDS = new Set(['START', 'UNSTOP', '订阅', 'YES']);

export type ReplyMeaning = 'opt_out' | 'opt_in' | 'other';

export function meaningOf(text: string): ReplyMeaning {
  const word = text
    .normalize('NFKC')
    .trim()
    .replace(/[\s.!。！]+$/u, '')
    .toUpperCase();
  if (STOP_WORDS.has(word) || /^回?TD?退订$/.test(word)) return 'opt_out';
  if (START_WORDS.has(word)) return 'opt_in';
  return 'other';
}

export interface SmsReply {
  from: string;
  text: string;
  receivedAt?: string | undefined;
}

export async function receiveSmsReply(
  deps: ApplyDeps & Pick<AppDeps, 'shops' | 'reads' | 'queues'>,
  shopId: string,
  raw: Buffer,
  signature: string | undefined,
  reply: () => SmsReply,
): Promise<{ meaning: ReplyMeaning; customers: number }> {
  const loaded = await deps.shops.load(shopId);
  // One answer for no shop and no gateway: nothing to learn about which shops exist.
  const secrets = loaded?.connectors.get(CHANNEL_SECRET_ITEMS.webhook)?.secrets ?? [];
  if (!loaded || secrets.length === 0) throw new NotFoundError('no SMS gateway is set up for this shop');
  // Every secret kept (the current and the previous one) is tried, in constant time each.
  const received = signature?.trim().toLowerCase();
  const matched = secrets
    .filter((s) => s !== '')
    .map((s) => safeEqual(`sha256=${hmacSha256(s, raw, 'hex')}`, received))
    .some(Boolean);
  if (!matched) throw new InvalidSignatureError('the signature does not match the SMS gateway secret');
  const { from, text, receivedAt } = reply();
  const meaning = meaningOf(text);
  if (meaning === 'other') return { meaning, customers: 0 };
  const shop = settingsOf(loaded.shop);
  const phone = normalizePhone(from, shop.defaultRegion);
  if (!phone) return { meaning, customers: 0 };
  const ids = await deps.reads.customerIdsByContact(shopId, 'phone', contactHash(shopId, phone));
  const now = deps.clock.now();
  const at = receivedAt ?? now;
  for (const customerId of ids) {
    const { effects } = await applyEvent(deps, shop, {
      type: 'CustomerOptedOut',
      // The same reply forwarded twice is one event; a later STOP after a START is another.
      eventId: stableId('sms-reply', shopId, customerId, meaning, at),
      provider: 'system',
      occurredAt: at,
      customerId,
      channel: 'sms',
      optedOut: meaning === 'opt_out',
    });
    await publishEffects(deps.queues, shopId, effects, now);
  }
  return { meaning, customers: ids.length };
}
