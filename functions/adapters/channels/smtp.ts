import type { NodemailerError, SMTPSentMessageInfo, SMTPTransportOptions } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { OutgoingMessage, SendResult } from '../../../schemas/notifications.ts';
import type { ChannelSender } from '../../app/channels.ts';
import { checkEmail, domainOf, parseMailbox } from './email.ts';
import { isProgrammingError, permanent, refusedRecipient, transient } from './results.ts';

export interface SmtpEmailOptions {
  host: string;
  port: number;
  /** true: TLS from the first byte (465); false: STARTTLS when the server offers it. */
  secure: boolean;
  /** Without a user no AUTH is attempted. */
  user?: string | undefined;
  password?: string | undefined;
  from: string;
  replyTo?: string | undefined;
  /** Connecting and the greeting each get this long, an idle socket twice as long (default 10 s). */
  timeoutMs?: number | undefined;
}

/** Errors that came without an SMTP reply because the connection failed: worth another try. */
const CONNECTION_CODES = new Set(['ECONNECTION', 'ETIMEDOUT', 'ESOCKET', 'EDNS', 'ETLS', 'EPROXY']);
/** Errors without a reply that no retry changes: bad credentials, an address nodemailer refuses. */
const REFUSED_CODES = new Set(['EAUTH', 'ENOAUTH', 'EENVELOPE', 'EMESSAGE', 'ECONFIG', 'EREQUIRETLS']);

/**
 * The mailer and the SMTP transport only (nodemailer's entry point also loads the pool, SES,
 * sendmail, stream and JSON transports, which this channel never uses), and only when a shop's
 * first SMTP message goes out: a send-notification instance whose shops all send through SES or
 * the outbox never evaluates nodemailer at all (docs/PERFORMANCE.md, cold init).
 */
let nodemailer: Promise<{ Mail: typeof Mail; SMTPTransport: typeof SMTPTransport }>;
const loadNodemailer = () =>
  (nodemailer ??= Promise.all([
    import('nodemailer/lib/mailer'),
    import('nodemailer/lib/smtp-transport'),
  ]).then(([mailer, transport]) => ({ Mail: mailer.default, SMTPTransport: transport.default })));

/**
 * Email through any SMTP server (the shop's own, 企业邮箱, a relay), with nodemailer: one
 * multipart/alternative message (text and html), the message's headers, and the notice id as the
 * Message-ID (`<id@from-domain>`, so a retried notice is recognizably the same message) and in
 * `X-Aftersale-Notice-Id`. One connection per message: nothing is left open between invocations.
 */
export class SmtpEmailSender implements ChannelSender {
  private transport?: Mail<SMTPSentMessageInfo, SMTPTransportOptions>;
  private readonly transportOptions: SMTPTransportOptions;
  private readonly domain: string;

  constructor(private readonly options: SmtpEmailOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transportOptions = {
      host: options.host,
      port: options.port,
      secure: options.secure,
      ...(options.user && { auth: { user: options.user, pass: options.password ?? '' } }),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: 2 * timeout,
      dnsTimeout: timeout,
    };
    this.domain = domainOf(parseMailbox(options.from).address);
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const email = checkEmail(message, 'SmtpEmailSender');
    const transport = await this.connect();
    try {
      const sent = await transport.sendMail({
        from: this.options.from,
        to: message.to,
        ...(this.options.replyTo && { replyTo: this.options.replyTo }),
        subject: email.subject,
        text: email.text,
        ...(email.html !== undefined && { html: email.html }),
        headers: Object.fromEntries(email.headers),
        messageId: `<${message.id}@${this.domain}>`,
      });
      return { ok: true, providerMessageId: String(sent.messageId ?? `<${message.id}@${this.domain}>`) };
    } catch (err) {
      return classifySmtpError(err);
    }
  }

  private async connect(): Promise<Mail<SMTPSentMessageInfo, SMTPTransportOptions>> {
    if (!this.transport) {
      const { Mail, SMTPTransport } = await loadNodemailer();
      this.transport = new Mail(new SMTPTransport(this.transportOptions), this.transportOptions);
    }
    return this.transport;
  }
}

/**
 * The server's reply decides: 4xx is transient (451 local error, 452 storage, 421 closing), 5xx
 * permanent (550 mailbox unavailable, 553 name not allowed, 554 rejected, 535 bad credentials)
 * except 503, a bad command sequence that a new connection does not repeat. Without a reply: a
 * connection that failed is transient, a refusal on our side (bad credentials, a bad address) is
 * permanent.
 */
export function classifySmtpError(err: unknown): SendResult {
  if (isProgrammingError(err)) throw err;
  const e = (err instanceof Error ? err : new Error(String(err))) as NodemailerError;
  const code = e.responseCode;
  const reason = `${e.code ?? e.name}${e.command ? ` at ${e.command}` : ''}: ${e.response ?? e.message}`;
  // 550/551/553 to RCPT TO: that mailbox does not exist or is not taken here.
  if (code !== undefined && e.command === 'RCPT TO' && [550, 551, 553].includes(code))
    return refusedRecipient(reason);
  if (code !== undefined)
    return code >= 500 && code < 600 && code !== 503 ? permanent(reason) : transient(reason);
  if (e.code && CONNECTION_CODES.has(e.code)) return transient(reason);
  if (e.code && REFUSED_CODES.has(e.code)) return permanent(reason);
  return transient(reason);
}
