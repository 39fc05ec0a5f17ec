import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { ChannelSettings } from '../../../schemas/channels.ts';
import type { ChannelName, OutgoingMessage, SendResult } from '../../../schemas/notifications.ts';
import {
  type ChannelProviders,
  type ChannelSecrets,
  type ChannelSender,
  channelSecretsOf,
  type OutboxStore,
  type ShopChannels,
  type StaffAlertSender,
} from '../../app/channels.ts';
import type { AppDeps, Clock, OutboundSender, ShopWithConnectors } from '../../app/ports.ts';
import { OutboxChannelSender, OutboxStaffAlertSender } from './outbox.ts';
import { permanent } from './results.ts';
import { SesEmailSender } from './ses.ts';
import { SmtpEmailSender } from './smtp.ts';
import { SnsSmsSender } from './sns.ts';
import { DingTalkAlertSender, FanOutAlertSender, SlackAlertSender, WeComAlertSender } from './staff.ts';
import { WebhookChannelSender } from './webhook.ts';

export { DynamoOutbox } from './outbox.ts';

/** What the senders are built on: one set per function instance, shared by every shop. */
export interface ChannelClients {
  clock: Clock;
  /** Needed when a shop's email goes through SES. */
  ses?: SESv2Client | undefined;
  /** Needed when a shop's SMS goes through SNS. */
  sns?: SNSClient | undefined;
  /** Needed for the outbox, the default of email, SMS and staff alerts. */
  outbox?: OutboxStore | undefined;
  /** The webhook channel's POSTs (default: fetch with a 10 s deadline). */
  outbound?: OutboundSender | undefined;
  /** The chat webhooks' and SMTP's deadline (default 10 s). */
  timeoutMs?: number | undefined;
}

/** A channel set up without what it needs: every message answers why, permanently. */
class UnconfiguredChannel implements ChannelSender, StaffAlertSender {
  constructor(private readonly reason: string) {}
  async send(): Promise<SendResult> {
    return permanent(this.reason);
  }
}

/**
 * A shop's channels from its settings (schemas/channels.ts) and secrets. Email, SMS and staff
 * alerts go to the outbox unless the shop names a provider; the webhook channel exists only with
 * a URL. A provider set up without what it needs (a From, an SMTP host, a webhook secret) answers
 * every message with a permanent failure that says what is missing; a client the function was not
 * given (SES, SNS, the outbox) is a wiring mistake and throws here.
 */
export function channelFor(
  settings: ChannelSettings,
  clients: ChannelClients,
  secrets: ChannelSecrets = {},
): ShopChannels {
  const need = <T>(client: T | undefined, name: string, what: string): T => {
    if (client === undefined) throw new TypeError(`channelFor: ${what} needs clients.${name}`);
    return client;
  };
  const outbox = (what: string) =>
    new OutboxChannelSender(need(clients.outbox, 'outbox', what), clients.clock, {
      from: settings.email?.from,
    });

  const webhook: ChannelSender | undefined = !settings.webhook
    ? undefined
    : !secrets.webhookSecret
      ? new UnconfiguredChannel('the webhook channel has no secret to sign with')
      : new WebhookChannelSender({
          url: settings.webhook.url,
          secret: secrets.webhookSecret,
          clock: clients.clock,
          outbound: clients.outbound,
        });

  const emailProvider = settings.email?.provider ?? 'outbox';
  const email = ((): ChannelSender => {
    const e = settings.email;
    if (!e || e.provider === 'outbox') return outbox('email through the outbox');
    if (!e.from) return new UnconfiguredChannel(`email through ${e.provider} has no From address`);
    if (e.provider === 'ses')
      return new SesEmailSender(need(clients.ses, 'ses', 'email through SES'), {
        from: e.from,
        replyTo: e.replyTo,
        configurationSet: e.configurationSet,
      });
    if (!e.smtp) return new UnconfiguredChannel('email through smtp has no server (host, port)');
    if (e.smtp.user && !secrets.smtpPassword)
      return new UnconfiguredChannel(`email through smtp: no password for ${e.smtp.user}`);
    return new SmtpEmailSender({
      ...e.smtp,
      password: secrets.smtpPassword,
      from: e.from,
      replyTo: e.replyTo,
      timeoutMs: clients.timeoutMs,
    });
  })();

  const smsProvider = settings.sms?.provider ?? 'outbox';
  const sms = ((): ChannelSender => {
    if (smsProvider === 'outbox') return outbox('SMS through the outbox');
    if (smsProvider === 'sns')
      return new SnsSmsSender(need(clients.sns, 'sns', 'SMS through SNS'), {
        senderId: settings.sms?.senderId,
      });
    return webhook ?? new UnconfiguredChannel('SMS through the webhook, but no webhook URL is set');
  })();

  const targets = settings.staffAlerts ?? [];
  const staff: StaffAlertSender = targets.length
    ? new FanOutAlertSender(
        targets.map(({ kind, url }) => {
          const options = { url, timeoutMs: clients.timeoutMs };
          if (kind === 'wecom') return { kind, sender: new WeComAlertSender(options) };
          if (kind === 'slack') return { kind, sender: new SlackAlertSender(options) };
          const sender = new DingTalkAlertSender({
            ...options,
            secret: secrets.dingtalkSecret,
            clock: clients.clock,
          });
          return { kind, sender };
        }),
      )
    : new OutboxStaffAlertSender(
        need(clients.outbox, 'outbox', 'staff alerts through the outbox'),
        clients.clock,
      );

  const senders: Record<ChannelName, ChannelSender | undefined> = { email, sms, webhook };
  const providers: ChannelProviders = {
    email: emailProvider,
    sms: smsProvider,
    webhook: webhook ? 'webhook' : undefined,
    staff: targets.length ? targets.map((t) => t.kind) : ['outbox'],
  };
  return {
    providers,
    staff,
    send: (message: OutgoingMessage) => {
      const sender = senders[message.channel];
      if (!sender) return Promise.resolve(permanent(`the shop has no ${message.channel} channel set up`));
      return sender.send(message);
    },
  };
}

/**
 * A shop's channels, from its notification settings and its channel secrets, on the clients the
 * function instance holds (SES and SNS only where the function sends through them).
 */
export function shopChannels(
  deps: Pick<AppDeps, 'clock' | 'outbox'>,
  clients: { ses?: SESv2Client; sns?: SNSClient } = {},
): (shop: ShopWithConnectors) => ShopChannels {
  return ({ shop, connectors }) =>
    channelFor(
      shop.notifications,
      {
        clock: deps.clock,
        outbox: deps.outbox,
        ...(clients.ses && { ses: clients.ses }),
        ...(clients.sns && { sns: clients.sns }),
      },
      channelSecretsOf(connectors),
    );
}

export {
  DingTalkAlertSender,
  FanOutAlertSender,
  OutboxChannelSender,
  OutboxStaffAlertSender,
  SesEmailSender,
  SlackAlertSender,
  SmtpEmailSender,
  SnsSmsSender,
  WebhookChannelSender,
  WeComAlertSender,
};
