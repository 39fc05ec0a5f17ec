import * as z from 'zod';
import { endpointUrl } from './common.ts';

/*
 * How a shop's messages leave: which provider sends its email and its SMS, where its own gateway
 * is, which chat groups get staff alerts (docs/channels.md). Secrets (the SMTP password, the
 * webhook secret, the DingTalk signing secret) are not here: they are write-only connector items,
 * handed to the channel factory separately.
 */

/** A gateway's or a chat bot's webhook: https (plain http only to this machine), no fragment. */
export const ChannelUrl = endpointUrl('https://sms.example.com/send');

/** `shop@example.com` or `Display Name <shop@example.com>`: the address is group 1 or group 2. */
export const MAILBOX = /^(?:\s*"?([^"<>]*?)"?\s*<([^<>\s]+@[^<>\s]+)>\s*|([^<>\s"]+@[^<>\s"]+))$/;

export const Mailbox = z
  .string()
  .max(320)
  .refine((value) => {
    const match = MAILBOX.exec(value);
    const address = match?.[2] ?? match?.[3];
    return address !== undefined && z.email().safeParse(address).success;
  }, 'must be an address, or a name and an address: Shop <service@shop.example>');

export const SmtpSettings = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535),
    /** true: TLS from the first byte (465); false: STARTTLS when the server offers it (587, 25). */
    secure: z.boolean().default(false),
    /** Without a user no AUTH is attempted (a relay that trusts the sender's network). */
    user: z.string().max(320).optional(),
  })
  .strict();
export type SmtpSettings = z.infer<typeof SmtpSettings>;

export const EmailChannelSettings = z
  .object({
    provider: z.enum(['outbox', 'ses', 'smtp']).default('outbox'),
    /** Required by ses and smtp; the outbox records `from` when given. */
    from: Mailbox.optional(),
    replyTo: z.email().max(320).optional(),
    /** SES only: the configuration set whose event destinations get the bounces and complaints. */
    configurationSet: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, up to 64')
      .optional(),
    smtp: SmtpSettings.optional(),
  })
  .strict();
export type EmailChannelSettings = z.infer<typeof EmailChannelSettings>;

export const SmsChannelSettings = z
  .object({
    /** webhook: the shop's own gateway (Aliyun, Tencent Cloud SMS behind it), at `webhook.url`. */
    provider: z.enum(['outbox', 'sns', 'webhook']).default('outbox'),
    /** SNS only, where the destination country supports alphanumeric sender ids. */
    senderId: z
      .string()
      .regex(/^(?=.*[A-Za-z])[A-Za-z0-9]{1,11}$/, '1 to 11 letters and digits, at least one letter')
      .optional(),
  })
  .strict();
export type SmsChannelSettings = z.infer<typeof SmsChannelSettings>;

export const WebhookChannelSettings = z.object({ url: ChannelUrl }).strict();
export type WebhookChannelSettings = z.infer<typeof WebhookChannelSettings>;

export const StaffAlertKind = z.enum(['wecom', 'dingtalk', 'slack']);
export type StaffAlertKind = z.infer<typeof StaffAlertKind>;

/** A chat group's incoming webhook (WeCom 群机器人, DingTalk 自定义机器人, Slack incoming webhook). */
export const StaffAlertTarget = z.object({ kind: StaffAlertKind, url: ChannelUrl }).strict();
export type StaffAlertTarget = z.infer<typeof StaffAlertTarget>;

/**
 * Not strict at the top: a shop's notification settings carry more than its channels (quiet
 * hours, caps, programs), and the factory reads only these four.
 */
export const ChannelSettings = z
  .object({
    email: EmailChannelSettings.optional(),
    sms: SmsChannelSettings.optional(),
    webhook: WebhookChannelSettings.optional(),
    staffAlerts: z.array(StaffAlertTarget).max(5).optional(),
  })
  .superRefine((settings, ctx) => {
    const email = settings.email;
    if (email && email.provider !== 'outbox' && !email.from)
      ctx.addIssue({
        code: 'custom',
        path: ['email', 'from'],
        message: `${email.provider} needs a From address`,
      });
    if (email?.provider === 'smtp' && !email.smtp)
      ctx.addIssue({ code: 'custom', path: ['email', 'smtp'], message: 'smtp needs a host and a port' });
    if (settings.sms?.provider === 'webhook' && !settings.webhook)
      ctx.addIssue({
        code: 'custom',
        path: ['webhook'],
        message: 'SMS through the webhook needs webhook.url',
      });
  });
export type ChannelSettings = z.infer<typeof ChannelSettings>;
