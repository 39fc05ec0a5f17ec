import type { ProviderName } from '../../schemas/common.ts';
import type { CanonicalEventInput } from '../../schemas/events.ts';

/*
 * The port every connector (functions/adapters/connectors/) implements: verify a provider's
 * webhook on its raw bytes, dedupe it, and turn it into canonical events.
 */

/**
 * A webhook request exactly as it reached us. Connectors verify signatures on `body` (the bytes as
 * sent: re-serialising JSON breaks signatures on `\/` escapes, key order and trailing newlines).
 */
export interface RawRequest {
  body: Buffer;
  /** Header names lower-cased; repeated headers joined with ", " as API Gateway does. */
  headers: Record<string, string>;
  query: Record<string, string>;
  /** When we received it, UTC ISO. */
  receivedAt: string;
}

/**
 * A shop's stored configuration for one provider (the Connector item). Current secret first, then
 * the previous one during a rotation (at most two): both verify, so a provider still signing with
 * the old secret is not locked out while the shop switches over. Settings are provider-specific
 * extra fields from `aftersale connector set ... --app-key X` (never secret).
 */
export interface ConnectorConfig {
  secrets: string[];
  settings: Record<string, string>;
}

/** Shop facts a parser may need. */
export interface ParseContext {
  shopId: string;
  inboxId: string;
  dedupeKey: string;
  receivedAt: string;
  /** Deterministic id for the n-th event made from this request; same request -> same ids. */
  eventId(suffix: string | number): string;
}

export type ParseResult =
  /** Canonical events; validated by the caller against schemas/events.ts. */
  | { kind: 'events'; events: CanonicalEventInput[] }
  /**
   * A well-formed request we have no use for (unknown topic, a status we do not track): it is
   * acknowledged and kept in the inbox as `ignored`, so nothing a shop sends is silently lost.
   */
  | { kind: 'ignored'; reason: string };

export interface IngestReply {
  statusCode: number;
  headers?: Record<string, string>;
  body: string;
}

/** What the ingest function decided; a connector may turn it into the provider's own reply format. */
export type IngestOutcome =
  | { kind: 'accepted'; inboxId: string }
  | { kind: 'duplicate'; inboxId: string }
  | { kind: 'ping' }
  | { kind: 'rejected'; statusCode: number; code: string; message: string };

export interface Connector {
  provider: ProviderName;
  /**
   * A request the provider sends to test the endpoint and that must be answered 200 without being
   * stored (WooCommerce's unsigned form-encoded `webhook_id=N` when a webhook is saved).
   */
  isPing?(req: RawRequest): boolean;
  /** Signature check on the raw bytes with a constant-time compare; true if any secret verifies. */
  verify(req: RawRequest, config: ConnectorConfig): boolean;
  /**
   * The key a retried delivery of the same event shares: the provider's event id where it has one,
   * else a hash of the content that identifies the fact (e.g. tracking number + latest event time).
   * Called only after `verify` succeeded. May throw UnparseablePayloadError if the body is not even
   * readable; the ingest function then falls back to a hash of the body so nothing is lost.
   */
  dedupeKey(req: RawRequest): string;
  /** The provider's topic/event name for the inbox listing, when known (header or body). */
  topic(req: RawRequest): string | undefined;
  /**
   * Turns a verified request into canonical events. Pure: no I/O, no clock. Throws
   * UnparseablePayloadError (errors.ts) with a human reason when the body cannot be understood.
   */
  parse(req: RawRequest, ctx: ParseContext): ParseResult;
  /** The HTTP answer in the provider's expected format. Omit to use the default JSON replies. */
  reply?(outcome: IngestOutcome): IngestReply;
}
