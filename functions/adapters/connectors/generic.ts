import { z } from 'zod';
import { CanonicalEvent } from '../../../schemas/events.ts';
import { hmacSha256, safeEqual } from '../../lib/crypto.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';
import { readJson } from '../../lib/json.ts';
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

/** The generic body: one canonical event without `eventId`/`provider`, which we fill in. */
const GenericBody = z.looseObject({ type: z.string() });

export const generic: Connector = {
  provider: 'generic',
  verify: verifyAftersaleSignature,
  dedupeKey: aftersaleEventId,
  topic(req) {
    const match = /"type"\s*:\s*"([A-Za-z]{1,40})"/.exec(req.body.toString('utf8', 0, 2048));
    return match?.[1];
  },
  parse(req, ctx) {
    const head = readJson(req.body.toString('utf8'), GenericBody, {
      notJson: 'body is not valid JSON',
      invalid: 'body must be a JSON object with a "type"',
    });
    const event = CanonicalEvent.safeParse({ ...head, eventId: ctx.eventId(0), provider: 'generic' });
    if (!event.success) {
      throw new UnparseablePayloadError(
        `body is not a valid ${head.type} event`,
        z.treeifyError(event.error),
      );
    }
    if (event.data.type === 'TimerFired') throw new UnparseablePayloadError('TimerFired is internal');
    return { kind: 'events', events: [event.data] };
  },
};
