import { GenericEvent } from '../../../schemas/generic.ts';
import { hmacSha256, safeEqual } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
import { bodyText } from './text.ts';
import type { Connector, ConnectorConfig, RawRequest } from './types.ts';

/**
 * Our own signing scheme, also used by bridges (Taobao TMC forwarders):
 * `x-aftersale-signature: sha256=<lowercase hex HMAC-SHA256(secret, raw body)>`.
 */
export function verifyAftersaleSignature(req: RawRequest, config: ConnectorConfig): boolean {
  const received = req.headers['x-aftersale-signature'];
  if (!received) return false;
  return config.secrets.some((secret) =>
    safeEqual(`sha256=${hmacSha256(secret, req.body, 'hex')}`, received),
  );
}

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
    const body = readJson(bodyText(req), GenericEvent, {
      notJson: 'body is not valid JSON',
      invalid: 'body is not a valid generic event (see docs/generic-webhooks.md)',
    });
    return { kind: 'events', events: [{ ...body, eventId: ctx.eventId(0), provider: 'generic' }] };
  },
};
