import type { Customer } from '../../schemas/customer.ts';
import type { NotificationMessage } from '../../schemas/messages.ts';
import {
  type NoticeKind,
  type OutgoingMessage,
  type RenderedMessage,
  type SendResult,
  TemplateId,
} from '../../schemas/notifications.ts';
import type { Order } from '../../schemas/order.ts';
import type { Shipment } from '../../schemas/shipment.ts';
import type { Segment } from '../../schemas/shop.ts';
import { TERMINAL } from '../core/cases/transitions.ts';
import { maskEmail, maskPhone } from '../core/customers/identity.ts';
import type { ShopSettings } from '../core/engine/types.ts';
import { orderAggregateId } from '../core/ids.ts';
import {
  renderTemplate,
  TEMPLATE_CATALOG,
  TemplateError,
  templateKind,
} from '../core/notifications/index.ts';
import { type OutreachPlan, planOutreach } from '../core/outreach/plan.ts';
import { isVip, rfmOf } from '../core/outreach/rfm.ts';
import { isoWeek, localTime } from '../core/outreach/zoned.ts';
import { stableId } from '../lib/crypto.ts';
import { signUnsubscribeToken } from '../lib/customer-token.ts';
import { DomainError } from '../lib/errors.ts';
import { logger } from '../lib/logger.ts';
import { count } from '../lib/metrics.ts';
import type { ShopChannels } from './channels.ts';
import type { AppDeps, NoticeOutcome, OutreachLedger, ShopWithConnectors } from './ports.ts';
import { settingsOf } from './settings.ts';

/** Where the links in messages point, and the key their tokens are signed with. */
export interface LinkSettings {
  /** The API's public base URL: `/portal/{shop}`, `/unsubscribe/{token}`, `/admin`. */
  publicUrl: string;
  tokenSecret: string;
}

export interface SendNoticeDeps
  extends Pick<AppDeps, 'shops' | 'reads' | 'notices' | 'timers' | 'queues' | 'clock'> {
  outreach: OutreachLedger;
  /** The shop's channels (its settings and secrets), built by the composition root. */
  channels: (shop: ShopWithConnectors) => ShopChannels;
  links: LinkSettings;
}

/** A send that may work later (a provider's 5xx, a timeout): SQS delivers the notice again. */
export class NoticeNotSentError extends DomainError {
  override readonly statusCode = 503;
  override readonly code = 'notice_not_sent';
}

const METRIC = {
  sent: 'NoticesSent',
  suppressed: 'NoticesSuppressed',
  deferred: 'NoticesDeferred',
  retrying: 'NoticesRetrying',
  failed: 'NoticesFailed',
  unconfirmed: 'NoticesUnconfirmed',
} as const;

/** An attempt that began this recently and has no outcome may still be running. */
const IN_FLIGHT_MS = 5 * 60_000;

/** Parcel notices that mean a problem: no marketing for 14 days after one, and VIPs alert the staff. */
const PROBLEM_TEMPLATES = new Set<string>([
  'shipment.exception',
  'shipment.failed_attempt',
  'shipment.stalled',
  'shipment.returning',
  'shipment.returned',
]);

/** Which program a marketing template belongs to: switched off, or aimed at segments, at send time. */
function programOf(
  templateId: TemplateId,
  settings: ShopSettings['notifications'],
): { enabled: boolean; segments?: readonly Segment[] } | undefined {
  const p = settings.programs;
  switch (templateId) {
    case 'order.payment_reminder':
      return { enabled: p.paymentReminder.enabled };
    case 'followup.checkin':
      return p.checkin;
    case 'followup.review':
      return p.review;
    case 'winback':
      return p.winback;
    case 'greeting.birthday':
      return p.birthday;
    case 'greeting.holiday':
      return p.holidays;
    default:
      return undefined;
  }
}

export type SendOutcome = NoticeOutcome['status'] | 'already_settled' | 'in_flight';

/*
 * One planned notice, once:
 * 1. claim it in the delivery log (`sending`, before anything leaves): a notice already sent,
 *    suppressed or failed is left alone; one an attempt began minutes ago and never finished is
 *    settled `unconfirmed` (it may have gone out), not sent twice
 * 2. staff alerts go to the shop's chat groups; customer notices are planned (planOutreach):
 *    consent, suppression, channel, quiet hours; marketing then takes its frequency cap
 * 3. held for quiet hours: a timer hands it back at the end of them (`deferred`)
 * 4. render it (the customer's language, the shop's own template if it has one), send it, and
 *    record what became of it; a transient failure is `retrying` and thrown for SQS to retry, a
 *    permanent one `failed`, and an address the provider refused is reported to the customer
 */
export async function sendNotice(deps: SendNoticeDeps, notice: NotificationMessage): Promise<SendOutcome> {
  const now = deps.clock.now();
  const claim = await deps.notices.claim(notice, now);
  if (!claim.claimed) {
    const { record } = claim;
    if (record.status !== 'sending') return 'already_settled';
    if (record.startedAt && Date.parse(now) - Date.parse(record.startedAt) < IN_FLIGHT_MS) {
      // Another delivery of the same message is sending it right now; SQS brings this one back.
      throw new NoticeNotSentError(`notice ${notice.id} is being sent by another attempt`);
    }
    await deps.notices.settle(
      notice,
      { status: 'unconfirmed', reason: 'an attempt ended without recording whether it was sent' },
      now,
    );
    count('NoticesUnconfirmed');
    return 'unconfirmed';
  }
  const settle = async (outcome: NoticeOutcome) => {
    await deps.notices.settle(notice, outcome, deps.clock.now());
    count(METRIC[outcome.status]);
    return outcome.status;
  };

  const parsed = TemplateId.safeParse(notice.template);
  if (!parsed.success) return settle({ status: 'failed', reason: `no template ${notice.template}` });
  const templateId = parsed.data;
  const kind = templateKind(templateId);
  const loaded = await deps.shops.loadCached(notice.shopId);
  if (!loaded) return settle({ status: 'failed', kind, reason: `no shop ${notice.shopId}` });
  const shop = settingsOf(loaded.shop);
  const facts = await factsOf(deps, notice);
  const customerId = notice.customerId ?? facts.order?.customer?.customerId;
  if (customerId && PROBLEM_TEMPLATES.has(templateId))
    await deps.outreach.noteProblem(shop.shopId, customerId, notice.plannedAt);

  if (kind === 'staff') return sendStaffAlert(deps, { notice, templateId, shop, loaded, facts, settle });

  const customer = customerId
    ? (await deps.reads.getAggregate(shop.shopId, 'customer', customerId))?.data
    : undefined;
  const segment = customer ? rfmOf(customer, now, shop.notifications.rfm)?.segment : undefined;
  const vip = customer ? isVip(customer, segment, shop.notifications.vip) : false;
  if (vip && PROBLEM_TEMPLATES.has(templateId)) {
    // A VIP's parcel problem reaches the staff too (its own notice, sent once like any other).
    await deps.queues.sendNotifications([
      {
        ...notice,
        id: stableId(notice.id, 'vip'),
        template: 'staff.vip_exception',
        ...(customerId && { customerId }),
        data: { ...notice.data, problem: templateId, ...(segment && { segment }) },
        plannedAt: now,
      },
    ]);
  }

  const program = programOf(templateId, shop.notifications);
  if (program && !program.enabled) return settle({ status: 'suppressed', kind, reason: 'program_disabled' });
  const marketing = kind === 'marketing';
  const plan = planOutreach({
    kind: kind as Exclude<NoticeKind, 'staff'>,
    channels: TEMPLATE_CATALOG[templateId].channels,
    now,
    shop,
    customer,
    openCase: marketing && customer ? await hasOpenCase(deps, shop.shopId, customer) : false,
    lastProblemAt:
      marketing && customerId ? await deps.outreach.lastProblemAt(shop.shopId, customerId) : undefined,
    segment,
    targetSegments: program?.segments,
  });
  if (plan.action === 'suppress') {
    return settle({
      status: 'suppressed',
      kind,
      reason: plan.reason + (plan.detail ? `: ${plan.detail}` : ''),
    });
  }
  const to = mask(plan.channel, plan.to);
  if (plan.action === 'defer') {
    await deps.timers.deferNotice(notice, plan.until, now);
    return settle({ status: 'deferred', kind, channel: plan.channel, to, deferredUntil: plan.until });
  }
  if (marketing && customer && !claim.capTaken) {
    const local = localTime(now, plan.timeZone);
    const taken = await deps.outreach.takeCap(
      shop.shopId,
      customer.customerId,
      { day: local.date, week: isoWeek(local.date) },
      shop.notifications.caps,
    );
    if (!taken)
      return settle({ status: 'suppressed', kind, channel: plan.channel, to, reason: 'frequency_cap' });
    await deps.notices.markCapTaken(notice);
  }

  let rendered: RenderedMessage;
  try {
    rendered = renderTemplate(templateId, {
      locale: plan.locale,
      timeZone: plan.timeZone,
      shopName: shop.name,
      vars: await customerVars(deps, { notice, shop, customer, facts, plan, marketing }),
      ...overrideFor(shop, templateId, plan.locale, vip),
    });
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    logger.error('send-notification: template does not render', {
      id: notice.id,
      templateId,
      error: err.message,
    });
    return settle({ status: 'failed', kind, channel: plan.channel, to, reason: err.message });
  }
  const message = outgoing(notice, templateId, plan, rendered, kind);
  if (!message) {
    return settle({
      status: 'failed',
      kind,
      channel: plan.channel,
      to,
      reason: `${templateId} has no ${plan.channel} text`,
    });
  }
  if (marketing && plan.channel === 'email') {
    const url = await unsubscribeUrl(deps.links, shop.shopId, customer!.customerId, 'email', now);
    // One-click (RFC 8058) needs an https URI to POST to; on plain http (the local runtime's
    // default address) the link alone (RFC 2369) still lets the customer leave.
    message.headers = {
      'List-Unsubscribe': `<${url}>`,
      ...(url.startsWith('https://') && { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }),
    };
  }
  const result = await deps.channels(loaded).send(message);
  return afterSend(deps, {
    notice,
    result,
    kind,
    channel: plan.channel,
    to,
    locale: plan.locale,
    customerId,
    settle,
  });
}

async function afterSend(
  deps: SendNoticeDeps,
  a: {
    notice: NotificationMessage;
    result: SendResult;
    kind: NoticeKind;
    channel: 'email' | 'sms';
    to: string;
    locale: string;
    customerId: string | undefined;
    settle: (o: NoticeOutcome) => Promise<NoticeOutcome['status']>;
  },
) {
  const base = { kind: a.kind, channel: a.channel, to: a.to, locale: a.locale };
  if (a.result.ok) {
    return a.settle({
      status: 'sent',
      ...base,
      ...(a.result.providerMessageId && { providerMessageId: a.result.providerMessageId }),
    });
  }
  if (!a.result.permanent) {
    await a.settle({ status: 'retrying', ...base, reason: a.result.reason });
    throw new NoticeNotSentError(`${a.channel} not sent (will retry): ${a.result.reason}`);
  }
  if (a.result.recipient && a.customerId) {
    // The address itself was refused: the customer's contact is marked, and not written to again.
    const now = deps.clock.now();
    await deps.queues.sendInbound([
      {
        kind: 'event',
        shopId: a.notice.shopId,
        event: {
          type: 'CustomerContactReported',
          eventId: stableId('CustomerContactReported', a.notice.id, a.channel),
          provider: 'system',
          occurredAt: now,
          customerId: a.customerId,
          channel: a.channel,
          status: a.channel === 'email' ? 'bounced' : 'rejected',
          detail: a.result.reason.slice(0, 500),
        },
      },
    ]);
  }
  return a.settle({ status: 'failed', ...base, reason: a.result.reason });
}

interface Facts {
  order?: Order | undefined;
  shipment?: Shipment | undefined;
}

async function factsOf(deps: Pick<AppDeps, 'reads'>, notice: NotificationMessage): Promise<Facts> {
  const [order, shipment] = await Promise.all([
    notice.orderId
      ? deps.reads.getAggregate(
          notice.shopId,
          'order',
          orderAggregateId(notice.orderProvider ?? 'generic', notice.orderId),
        )
      : undefined,
    notice.shipmentId ? deps.reads.getAggregate(notice.shopId, 'shipment', notice.shipmentId) : undefined,
  ]);
  return { order: order?.data, shipment: shipment?.data };
}

/** Cases the customer opened in the last year that are still open (a resolved case no longer counts). */
async function hasOpenCase(
  deps: Pick<AppDeps, 'reads'>,
  shopId: string,
  customer: Customer,
): Promise<boolean> {
  const recent = customer.cases.slice(-20).map((c) => c.caseId);
  if (!recent.length) return false;
  const cases = await deps.reads.getAggregates(shopId, 'case', recent);
  return cases.some((c) => !TERMINAL.includes(c.data.status) && c.data.status !== 'resolved');
}

/** The shop's own template: a VIP's (`<id>#vip`) first, then the shop's, else the built-in one. */
function overrideFor(shop: ShopSettings, templateId: TemplateId, locale: 'zh-CN' | 'en', vip: boolean) {
  const templates = shop.notifications.templates;
  const override =
    (vip ? templates[`${templateId}#vip`]?.[locale] : undefined) ?? templates[templateId]?.[locale];
  return override ? { override } : {};
}

const mask = (channel: 'email' | 'sms', to: string) => (channel === 'email' ? maskEmail(to) : maskPhone(to));

export async function unsubscribeUrl(
  links: LinkSettings,
  shopId: string,
  customerId: string,
  channel: 'email' | 'sms' | 'all',
  now: string,
): Promise<string> {
  const token = await signUnsubscribeToken(
    links.tokenSecret,
    { shopId, customerId, channel },
    Date.parse(now),
  );
  return `${links.publicUrl}/unsubscribe/${token}`;
}

/** The portal of the shop, and for a case its own page (the token opens it). */
export function portalBase(links: LinkSettings, shop: ShopSettings): string {
  return shop.notifications.portalUrl ?? `${links.publicUrl}/portal/${encodeURIComponent(shop.shopId)}`;
}

/** What the templates are given besides the notice's own data: names, numbers, links. */
async function customerVars(
  deps: SendNoticeDeps,
  a: {
    notice: NotificationMessage;
    shop: ShopSettings;
    customer: Customer | undefined;
    facts: Facts;
    plan: Extract<OutreachPlan, { action: 'send' }>;
    marketing: boolean;
  },
): Promise<Record<string, unknown>> {
  const { notice, shop, customer, facts } = a;
  const now = deps.clock.now();
  const vars: Record<string, unknown> = { ...shipmentVars(facts.shipment), ...notice.data };
  const name = customer?.name ?? facts.order?.customer?.name;
  if (name && vars.name === undefined) vars.name = name;
  if (notice.orderId) vars.orderId ??= notice.orderId;
  if (facts.order?.number) vars.orderNumber ??= facts.order.number;
  let portalUrl = portalBase(deps.links, shop);
  const caseId = typeof notice.data.caseId === 'string' ? notice.data.caseId : undefined;
  // The case's page, without its token: a link in an SMS or an email is forwarded, kept in
  // histories and scanned; the portal asks for the order number and contact again (docs/decisions.md).
  if (caseId) portalUrl = `${portalUrl}#/case/${encodeURIComponent(caseId)}`;
  vars.portalUrl ??= portalUrl;
  if (a.marketing && customer && a.plan.channel === 'email') {
    vars.unsubscribeUrl = await unsubscribeUrl(deps.links, shop.shopId, customer.customerId, 'email', now);
  }
  return vars;
}

/** What a parcel notice reads from its shipment when the notice itself does not carry it. */
function shipmentVars(shipment: Shipment | undefined): Record<string, unknown> {
  if (!shipment) return {};
  return {
    trackingNumber: shipment.trackingNumber,
    ...(shipment.carrier && { carrier: shipment.carrier }),
  };
}

function outgoing(
  notice: NotificationMessage,
  templateId: TemplateId,
  plan: Extract<OutreachPlan, { action: 'send' }>,
  rendered: RenderedMessage,
  kind: NoticeKind,
): OutgoingMessage | undefined {
  const base = { id: notice.id, shopId: notice.shopId, templateId, locale: plan.locale, to: plan.to, kind };
  if (plan.channel === 'email') {
    if (!rendered.email) return undefined;
    return {
      ...base,
      channel: 'email',
      subject: rendered.email.subject,
      text: rendered.email.text,
      html: rendered.email.html,
    };
  }
  if (!rendered.sms) return undefined;
  return { ...base, channel: 'sms', text: rendered.sms.text };
}

/** A staff alert: rendered in the shop's language and zone, posted to its chat groups. */
async function sendStaffAlert(
  deps: SendNoticeDeps,
  a: {
    notice: NotificationMessage;
    templateId: TemplateId;
    shop: ShopSettings;
    loaded: ShopWithConnectors;
    facts: Facts;
    settle: (o: NoticeOutcome) => Promise<NoticeOutcome['status']>;
  },
) {
  const { notice, templateId, shop, facts } = a;
  const admin = shop.notifications.adminUrl ?? `${deps.links.publicUrl}/admin`;
  const caseId = typeof notice.data.caseId === 'string' ? notice.data.caseId : undefined;
  const vars: Record<string, unknown> = { ...shipmentVars(facts.shipment), ...notice.data };
  if (caseId) vars.caseUrl = `${admin}#/case/${encodeURIComponent(caseId)}`;
  const customerName = facts.order?.customer?.name;
  if (customerName) vars.customerName ??= customerName;
  if (facts.order?.number) vars.orderNumber ??= facts.order.number;
  if (notice.orderId) vars.orderId ??= notice.orderId;
  const locale = shop.locale === 'en' ? 'en' : 'zh-CN';
  let rendered: RenderedMessage;
  try {
    const override = shop.notifications.templates[templateId]?.[locale];
    rendered = renderTemplate(templateId, {
      locale,
      timeZone: shop.timezone,
      shopName: shop.name,
      vars,
      ...(override && { override }),
    });
  } catch (err) {
    if (!(err instanceof TemplateError)) throw err;
    return a.settle({ status: 'failed', kind: 'staff', channel: 'staff', reason: err.message });
  }
  if (!rendered.chat)
    return a.settle({ status: 'failed', kind: 'staff', channel: 'staff', reason: 'no chat text' });
  const result = await deps.channels(a.loaded).staff.send({
    id: notice.id,
    shopId: notice.shopId,
    templateId,
    title: rendered.chat.title,
    text: rendered.chat.text,
    ...(rendered.chat.url && { url: rendered.chat.url }),
  });
  const base = { kind: 'staff', channel: 'staff', to: 'staff', locale } as const;
  if (result.ok) return a.settle({ status: 'sent', ...base });
  if (!result.permanent) {
    await a.settle({ status: 'retrying', ...base, reason: result.reason });
    throw new NoticeNotSentError(`staff alert not sent (will retry): ${result.reason}`);
  }
  return a.settle({ status: 'failed', ...base, reason: result.reason });
}
