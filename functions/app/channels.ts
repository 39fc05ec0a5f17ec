import type { StaffAlertKind } from '../../schemas/channels.ts';
import type {
  ChannelName,
  Locale,
  OutgoingMessage,
  SendResult,
  StaffAlert,
  TemplateId,
} from '../../schemas/notifications.ts';
import { maskEmail, maskPhone } from '../core/customers/identity.ts';

/*
 * The ports of the sending side: what a channel is asked and answers (schemas/notifications.ts
 * holds the message and the answer), and the local outbox the default channel writes to. The
 * adapters are in functions/adapters/channels/; `channelFor` there builds a shop's set.
 */

/**
 * Sends one message on one channel. Every answer of the provider is a `SendResult` (refusals
 * classified `permanent` or not); it throws only when called wrongly (a message for another
 * channel, an email without a subject, marketing without an unsubscribe).
 */
export interface ChannelSender {
  send(message: OutgoingMessage): Promise<SendResult>;
}

/** Posts one staff alert to the shop's chat groups; the same contract as `ChannelSender`. */
export interface StaffAlertSender {
  send(alert: StaffAlert): Promise<SendResult>;
}

/** Which provider each of a shop's channels goes through (`undefined`: not set up). */
export interface ChannelProviders {
  email?: 'ses' | 'smtp' | 'outbox' | undefined;
  sms?: 'sns' | 'webhook' | 'outbox' | undefined;
  webhook?: 'webhook' | undefined;
  /** The chat groups staff alerts go to; `['outbox']` when there are none. */
  staff: Array<StaffAlertKind | 'outbox'>;
}

/**
 * A shop's channels: `send` takes the message's own channel; a channel the shop has not set up
 * (or set up without what it needs) answers a permanent failure that says what is missing.
 */
export interface ShopChannels extends ChannelSender {
  staff: StaffAlertSender;
  providers: ChannelProviders;
}

/** The secrets the channels need, from the shop's write-only connector items; never logged. */
export interface ChannelSecrets {
  smtpPassword?: string | undefined;
  /** Signs the webhook channel's POSTs (`x-aftersale-signature`), 16+ characters. */
  webhookSecret?: string | undefined;
  /** The DingTalk robots' 加签 secret (`SEC...`); without one no `sign` is added. */
  dingtalkSecret?: string | undefined;
}

/** One message as the local outbox keeps it: what would have been sent, and when. */
export interface OutboxEntry {
  id: string;
  shopId: string;
  /** `staff`: a staff alert (title as subject, to `staff`). */
  channel: ChannelName | 'staff';
  /** Stored as given (the outbox is the message); shown masked (`maskRecipient`). */
  to: string;
  templateId: TemplateId;
  /** Staff alerts have none. */
  locale?: Locale | undefined;
  from?: string | undefined;
  subject?: string | undefined;
  text: string;
  html?: string | undefined;
  headers?: Record<string, string> | undefined;
  createdAt: string;
}

/** The local outbox: every message the default channel "sent", kept 30 days. */
export interface OutboxStore {
  /** Stores the entry once per (shop, id); false when it was stored before (nothing changes). */
  put(entry: OutboxEntry): Promise<boolean>;
  /** Newest first: the shop's entries, or (no shop) every shop's. */
  list(options: { shopId?: string | undefined; limit: number }): Promise<OutboxEntry[]>;
}

/** A recipient as shown to people: `c***@example.com`, `+86138****5678`. */
export function maskRecipient(channel: OutboxEntry['channel'], to: string): string {
  if (channel === 'email' || to.includes('@')) return maskEmail(to);
  if (channel === 'sms' || /^\+\d+$/.test(to)) return maskPhone(to);
  return to;
}

/**
 * The connector items the channel secrets are kept in (write-only, like a marketplace's secret;
 * set with `aftersale channel secret <shop> <smtp|webhook|dingtalk>`).
 */
export const CHANNEL_SECRET_ITEMS = {
  smtp: 'channel-smtp',
  webhook: 'channel-webhook',
  dingtalk: 'channel-dingtalk',
} as const;

/**
 * The shop's channel secrets from its connector items (the current one of each), each opened only
 * when the channel that needs it is built: an SMTP password that no longer opens must not stop
 * the shop's SMS, its outbox or its chat alerts.
 */
export function channelSecretsOf(connectors: Map<string, { secrets: string[] }>): ChannelSecrets {
  const current = (item: string) => connectors.get(item)?.secrets[0];
  return {
    get smtpPassword() {
      return current(CHANNEL_SECRET_ITEMS.smtp);
    },
    get webhookSecret() {
      return current(CHANNEL_SECRET_ITEMS.webhook);
    },
    get dingtalkSecret() {
      return current(CHANNEL_SECRET_ITEMS.dingtalk);
    },
  };
}
