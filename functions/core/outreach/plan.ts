import type { Customer } from '../../../schemas/customer.ts';
import type { Locale, NoticeKind } from '../../../schemas/notifications.ts';
import type { NotificationSettings, Segment } from '../../../schemas/shop.ts';
import { pickLocale } from '../notifications/pick-locale.ts';
import { isTimeZone } from '../zone.ts';
import { outsideQuietHours } from './quiet-hours.ts';

/** Why a notice was not sent; kept in the delivery log beside it. */
export type SuppressReason =
  | 'covered_by_another_notice'
  | 'no_customer'
  | 'no_contact'
  | 'no_marketing_consent'
  | 'unsubscribed'
  | 'contact_undeliverable'
  | 'open_case'
  | 'recent_delivery_problem'
  | 'not_in_target_segment'
  | 'frequency_cap'
  | 'program_disabled';

export type OutreachPlan =
  | { action: 'suppress'; reason: SuppressReason; detail?: string }
  | { action: 'defer'; until: string; channel: 'email' | 'sms'; to: string; locale: Locale; timeZone: string }
  | { action: 'send'; channel: 'email' | 'sms'; to: string; locale: Locale; timeZone: string };

export interface OutreachInput {
  kind: Exclude<NoticeKind, 'staff'>;
  /** The channels the template has. */
  channels: ReadonlyArray<'email' | 'sms' | 'chat'>;
  now: string;
  shop: { locale: string; timezone: string; notifications: NotificationSettings };
  customer: Customer | undefined;
  /** Whether the customer has a case that is not yet resolved, rejected, cancelled or closed. */
  openCase: boolean;
  /** When a parcel of the customer's last had a problem (exception, failed attempt, stall, return). */
  lastProblemAt?: string | undefined;
  /** The customer's segment now, and the segments the program targets (none: everyone). */
  segment?: Segment | undefined;
  targetSegments?: readonly Segment[] | undefined;
}

/** No marketing this long after a parcel problem. */
export const PROBLEM_QUIET_DAYS = 14;

const UNDELIVERABLE = new Set(['bounced', 'complained', 'rejected']);

/**
 * What to do with one customer notice, from what we know now (pure; the sender loads the facts,
 * takes the frequency cap and sends):
 * 1. silent notices are for the record only;
 * 2. marketing needs the customer's consent, no opt-out, no open case, no parcel problem in the
 *    last 14 days, and (when the program targets segments) the customer in one of them;
 * 3. the channel: SMS first for Chinese, email first otherwise, among the template's channels the
 *    customer has an address for that is not known to bounce (and, for marketing, not opted out);
 * 4. quiet hours (the customer's zone, else the shop's) hold back SMS and marketing email to their
 *    end; transactional SMS too unless the shop exempts it. Transactional email is never held.
 */
export function planOutreach(input: OutreachInput): OutreachPlan {
  const { kind, customer, shop } = input;
  const settings = shop.notifications;
  if (kind === 'silent') return { action: 'suppress', reason: 'covered_by_another_notice' };
  if (!customer) return { action: 'suppress', reason: 'no_customer' };
  const marketing = kind === 'marketing';
  if (marketing) {
    if (customer.acceptsMarketing !== true) return { action: 'suppress', reason: 'no_marketing_consent' };
    if (customer.optOuts?.all?.optedOut) return { action: 'suppress', reason: 'unsubscribed' };
    if (input.openCase) return { action: 'suppress', reason: 'open_case' };
    if (
      input.lastProblemAt &&
      Date.parse(input.now) - Date.parse(input.lastProblemAt) < PROBLEM_QUIET_DAYS * 86_400_000
    ) {
      return { action: 'suppress', reason: 'recent_delivery_problem', detail: input.lastProblemAt };
    }
    if (input.targetSegments?.length && !(input.segment && input.targetSegments.includes(input.segment))) {
      return { action: 'suppress', reason: 'not_in_target_segment', detail: input.segment ?? 'none' };
    }
  }
  const locale = pickLocale(customer.locale, shop.locale);
  const timeZone = isTimeZone(customer.timezone) ? customer.timezone : shop.timezone;
  const order: Array<'email' | 'sms'> = locale === 'zh-CN' ? ['sms', 'email'] : ['email', 'sms'];
  const addresses = { email: customer.email, sms: customer.phone };
  const candidates = order.filter((c) => input.channels.includes(c) && addresses[c]);
  if (!candidates.length) return { action: 'suppress', reason: 'no_contact' };
  const deliverable = candidates.filter((c) => !UNDELIVERABLE.has(customer.contactStatus?.[c]?.status ?? ''));
  if (!deliverable.length) {
    return { action: 'suppress', reason: 'contact_undeliverable', detail: candidates.join(',') };
  }
  const allowed = marketing ? deliverable.filter((c) => !customer.optOuts?.[c]?.optedOut) : deliverable;
  const channel = allowed[0];
  if (!channel) return { action: 'suppress', reason: 'unsubscribed', detail: deliverable.join(',') };
  const to = addresses[channel]!;
  const held =
    channel === 'sms' ? !(kind === 'transactional' && settings.quietHours.exemptTransactional) : marketing;
  const at = held ? outsideQuietHours(input.now, timeZone, settings.quietHours) : input.now;
  if (at !== input.now) return { action: 'defer', until: at, channel, to, locale, timeZone };
  return { action: 'send', channel, to, locale, timeZone };
}
