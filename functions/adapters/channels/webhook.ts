import type { OutgoingMessage, SendResult } from '../../../schemas/notifications.ts';
import type { ChannelSender } from '../../app/channels.ts';
import { classify } from '../../app/deliver-outbound.ts';
import type { Clock, OutboundSender } from '../../app/ports.ts';
import { hmacSha256 } from '../../lib/crypto.ts';
import { HttpOutboundSender } from '../outbound-http.ts';
import { permanent, transient } from './results.ts';

export interface WebhookChannelOptions {
  url: string;
  /** Signs every POST, as our outbound events are signed (docs/outbound.md). */
  secret: string;
  clock: Clock;
  /** The POSTs (default: Node's fetch with a 10 s deadline and no redirects). */
  outbound?: OutboundSender | undefined;
}

/** The exact bytes the gateway receives and verifies: the message without its email headers. */
export function webhookBody(message: OutgoingMessage): Buffer {
  return Buffer.from(
    JSON.stringify({
      id: message.id,
      shopId: message.shopId,
      channel: message.channel,
      to: message.to,
      templateId: message.templateId,
      locale: message.locale,
      ...(message.subject !== undefined && { subject: message.subject }),
      text: message.text,
      ...(message.html !== undefined && { html: message.html }),
    }),
    'utf8',
  );
}

/**
 * The shop's own gateway: every message it is given (the webhook channel's, and SMS when the
 * shop sends SMS through Aliyun or Tencent Cloud behind its gateway) is POSTed as JSON, signed
 * `x-aftersale-signature: sha256=<hex HMAC-SHA256(secret, body)>`. 2xx is sent; 408, 429, 5xx, a
 * timeout or a network error are transient; any other answer (3xx, 4xx) is the gateway refusing
 * the message, permanent.
 */
export class WebhookChannelSender implements ChannelSender {
  private readonly outbound: OutboundSender;

  constructor(private readonly options: WebhookChannelOptions) {
    this.outbound = options.outbound ?? new HttpOutboundSender({ timeoutMs: 10_000 });
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const body = webhookBody(message);
    const response = await this.outbound.post({
      url: this.options.url,
      body,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'aftersale-channels/1',
        'x-aftersale-notice-id': message.id,
        'x-aftersale-signature': `sha256=${hmacSha256(this.options.secret, body, 'hex')}`,
        // When this attempt was sent (not signed; a retry of the notice has the same body).
        'x-aftersale-timestamp': this.options.clock.now(),
      },
    });
    const verdict = classify(response);
    if (verdict.status === 'delivered') return { ok: true };
    return verdict.status === 'retry' ? transient(verdict.error) : permanent(verdict.error);
  }
}
