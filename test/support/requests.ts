import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ParseContext, RawRequest } from '../../functions/app/connectors.ts';
import { stableId } from '../../functions/lib/crypto.ts';

const eventsDir = join(import.meta.dirname, '..', '..', 'events');

/** The exact bytes of a sample payload under events/<provider>/<file>. */
export function loadSample(provider: string, file: string): Buffer {
  return readFileSync(join(eventsDir, provider, file));
}

/** A RawRequest as the ingest function builds it (header names lower-cased). */
export function rawRequest(
  body: Buffer | string,
  headers: Record<string, string> = {},
  query: Record<string, string> = {},
): RawRequest {
  return {
    body: Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8'),
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
    query,
    receivedAt: '2026-11-23T00:00:00.000Z',
  };
}

/** A ParseContext with deterministic event ids, as the worker builds it. */
export function parseContext(dedupeKey: string, shopId = 'test-shop'): ParseContext {
  const inboxId = stableId('inbox', dedupeKey);
  return {
    shopId,
    inboxId,
    dedupeKey,
    receivedAt: '2026-11-23T00:00:00.000Z',
    eventId: (suffix) => stableId(shopId, inboxId, suffix),
  };
}
