import * as z from 'zod';
import { GenericEvent } from '../../../schemas/generic.ts';
import type { Connector, ConnectorConfig, RawRequest } from '../../app/connectors.ts';
import { hmacSha256 } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { parseInstant } from '../../lib/time.ts';
import { signedByAnySecret } from './signatures.ts';
import { bodyText } from './text.ts';
import { ZONE_LESS } from './times.ts';

/**
 * Our own signing scheme, also used by bridges (Taobao TMC forwarders):
 * `x-aftersale-signature: sha256=<lowercase hex HMAC-SHA256(secret, raw body)>`.
 */
export function verifyAftersaleSignature(req: RawRequest, config: ConnectorConfig): boolean {
  return signedByAnySecret(
    config.secrets,
    req.headers['x-aftersale-signature'],
    (secret) => `sha256=${hmacSha256(secret, req.body, 'hex')}`,
  );
}

/** The time fields of the generic format (schemas/generic.ts), wherever they are nested. */
const TIME_FIELDS = new Set([
  'occurredAt',
  'placedAt',
  'paidAt',
  'cancelledAt',
  'deliveredAt',
  'shippedAt',
  'expectedDelivery',
  'at',
]);

/**
 * Times must be ISO 8601 with an offset or Z (times.ts): checked on the text as sent, before the
 * canonical schema reads it, because a zone-less time would otherwise be read in the machine's zone.
 */
function checkTimes(value: unknown, ctx: z.RefinementCtx, path: (string | number)[] = []): void {
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) checkTimes(item, ctx, [...path, i]);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (TIME_FIELDS.has(key) && typeof item === 'string' && !parseInstant(item, ZONE_LESS.generic)) {
        ctx.addIssue({
          code: 'custom',
          path: [...path, key],
          message: 'must be ISO 8601 with an offset or Z',
        });
      } else {
        checkTimes(item, ctx, [...path, key]);
      }
    }
  }
}

const GenericBody = z
  .unknown()
  .superRefine((value, ctx) => checkTimes(value, ctx))
  .pipe(GenericEvent);

/** The id the sender gives each event; retries of the same event must repeat it. */
export function aftersaleEventId(req: RawRequest): string {
  const id = req.headers['x-aftersale-event-id']?.trim();
  if (!id) throw new UnparseablePayloadError('missing header x-aftersale-event-id');
  if (id.length > 200)
    throw new UnparseablePayloadError('x-aftersale-event-id is longer than 200 characters');
  return id;
}

export const generic: Connector = {
  provider: 'generic',
  verify: verifyAftersaleSignature,
  dedupeKey: aftersaleEventId,
  topic(req) {
    const match = /"type"\s*:\s*"([A-Za-z]{1,40})"/.exec(req.body.toString('utf8', 0, 2048));
    return match?.[1];
  },
  /**
   * One event in the generic format (schemas/generic.ts): strict, so a field the core owns
   * (`eventId`, `provider`, `orderProvider`) or any field we do not know is refused with its name,
   * never passed on. The event speaks for the generic marketplace only: `provider` is ours to set.
   */
  parse(req, ctx) {
    const body = readJson(bodyText(req), GenericBody, {
      notJson: 'body is not valid JSON',
      invalid: 'body is not a valid generic event (see docs/generic-webhooks.md)',
    });
    return { kind: 'events', events: [{ ...body, eventId: ctx.eventId(0), provider: 'generic' }] };
  },
};
