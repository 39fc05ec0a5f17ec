import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import type { OutgoingMessage, SendResult } from '../../../schemas/notifications.ts';
import type { ChannelSender } from '../../app/channels.ts';
import { checkEmail, parseMailbox } from './email.ts';
import { classifyAwsError } from './results.ts';

export interface SesEmailOptions {
  /** A verified identity: `service@shop.example` or `Shop <service@shop.example>`. */
  from: string;
  replyTo?: string | undefined;
  /** Where SES publishes the sends, bounces and complaints of these messages. */
  configurationSet?: string | undefined;
}

/**
 * Refusals no retry changes. BadRequest is SES's answer to an invalid address (and to any input it
 * cannot take); NotFound names a configuration set that does not exist; SendingPaused is a
 * sending pause someone has to lift. Throttling (TooManyRequests), 5xx, a network error and any
 * error not named here (LimitExceeded among them: a quota that comes back) are transient.
 */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
]);

/** Email through Amazon SES v2, as a simple message (SES builds the MIME: text, html, headers). */
export class SesEmailSender implements ChannelSender {
  private readonly from: string;

  constructor(
    private readonly client: SESv2Client,
    private readonly options: SesEmailOptions,
  ) {
    this.from = encodeMailbox(options.from);
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const email = checkEmail(message, 'SesEmailSender');
    const command = new SendEmailCommand({
      FromEmailAddress: this.from,
      Destination: { ToAddresses: [message.to] },
      ...(this.options.replyTo && { ReplyToAddresses: [this.options.replyTo] }),
      ...(this.options.configurationSet && { ConfigurationSetName: this.options.configurationSet }),
      Content: {
        Simple: {
          Subject: { Data: email.subject, Charset: 'UTF-8' },
          Body: {
            Text: { Data: email.text, Charset: 'UTF-8' },
            ...(email.html !== undefined && { Html: { Data: email.html, Charset: 'UTF-8' } }),
          },
          Headers: email.headers.map(([Name, Value]) => ({ Name, Value })),
        },
      },
      // For the configuration set's event destinations: which shop and template a bounce is about.
      EmailTags: [
        { Name: 'shop', Value: tagValue(message.shopId) },
        { Name: 'template', Value: tagValue(message.templateId) },
      ],
    });
    try {
      const sent = await this.client.send(command);
      return { ok: true, ...(sent.MessageId && { providerMessageId: sent.MessageId }) };
    } catch (err) {
      return classifyAwsError(err, PERMANENT);
    }
  }
}

/** Tag values take letters, digits, `_` and `-` only. */
const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);

/**
 * SES takes a display name only in ASCII; any other (店铺名) goes as an RFC 2047 encoded word.
 * Quotes keep a name with commas or dots one phrase.
 */
function encodeMailbox(value: string): string {
  const { name, address } = parseMailbox(value);
  if (!name) return address;
  const ascii = /^[\x20-\x7e]*$/.test(name);
  const phrase = ascii
    ? `"${name.replace(/["\\]/g, '\\$&')}"`
    : `=?UTF-8?B?${Buffer.from(name, 'utf8').toString('base64')}?=`;
  return `${phrase} <${address}>`;
}
