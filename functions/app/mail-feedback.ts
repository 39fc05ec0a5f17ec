import type { InboundMessage } from '../../schemas/messages.ts';
import { contactHash, normalizeEmail } from '../core/customers/identity.ts';
import { sha256, stableId } from '../lib/crypto.ts';
import { logger } from '../lib/logger.ts';
import type { AppDeps } from './ports.ts';

/** What we read of an SES notification (event publishing or identity notifications, via SNS). */
interface SesNotification {
  eventType?: string;
  notificationType?: string;
  bounce?: {
    bounceType?: string;
    bouncedRecipients?: Array<{ emailAddress?: string; diagnosticCode?: string }>;
  };
  complaint?: { complainedRecipients?: Array<{ emailAddress?: string }>; complaintFeedbackType?: string };
  mail?: { messageId?: string; timestamp?: string; tags?: Record<string, string[]> };
}

/**
 * SES reports a bounce or a complaint (the configuration set's event destination is an SNS topic
 * this function listens to): the customers with that address are marked, so nothing is written to
 * it again (docs/notifications.md). Only permanent bounces count; a full mailbox comes back. The
 * shop is the `shop` tag every message carries; the customer is found by the address's hash.
 * Answers how many contact reports it published.
 */
export async function recordMailFeedback(
  deps: Pick<AppDeps, 'reads' | 'queues' | 'clock'>,
  raw: string,
): Promise<number> {
  let n: SesNotification;
  try {
    n = JSON.parse(raw) as SesNotification;
  } catch {
    // A bounce notice carries the recipient's address: log only its size and a digest prefix, enough
    // to match two reports of the same message, never its content.
    logger.warn('mail-feedback: not JSON, ignored', {
      bytes: Buffer.byteLength(raw, 'utf8'),
      sha256: sha256(raw).slice(0, 12),
    });
    return 0;
  }
  const type = n.eventType ?? n.notificationType;
  const shopId = n.mail?.tags?.shop?.[0];
  if (!shopId || (type !== 'Bounce' && type !== 'Complaint')) return 0;
  const recipients =
    type === 'Bounce'
      ? n.bounce?.bounceType === 'Permanent'
        ? (n.bounce.bouncedRecipients ?? []).map((r) => ({
            address: r.emailAddress,
            detail: r.diagnosticCode,
          }))
        : []
      : (n.complaint?.complainedRecipients ?? []).map((r) => ({
          address: r.emailAddress,
          detail: n.complaint?.complaintFeedbackType,
        }));
  const messages: InboundMessage[] = [];
  for (const r of recipients) {
    const email = normalizeEmail(r.address);
    if (!email) continue;
    const ids = await deps.reads.customerIdsByContact(shopId, 'email', contactHash(shopId, email));
    for (const customerId of ids) {
      messages.push({
        kind: 'event',
        shopId,
        event: {
          type: 'CustomerContactReported',
          eventId: stableId('ses', n.mail?.messageId ?? raw, email, type),
          provider: 'system',
          occurredAt: n.mail?.timestamp ?? deps.clock.now(),
          customerId,
          channel: 'email',
          status: type === 'Bounce' ? 'bounced' : 'complained',
          ...(r.detail && { detail: r.detail.slice(0, 500) }),
        },
      });
    }
  }
  await deps.queues.sendInbound(messages);
  return messages.length;
}
