import type { ChannelName, OutgoingMessage, SendResult } from '../../../schemas/notifications.ts';

/** Enough of a refusal for staff to see why; reasons are logged and stored, so they stay short. */
const REASON_CHARS = 300;

export const transient = (reason: string): SendResult => ({
  ok: false,
  permanent: false,
  reason: oneLine(reason),
});

export const permanent = (reason: string): SendResult => ({
  ok: false,
  permanent: true,
  reason: oneLine(reason),
});

/** The address itself was refused: permanent, and the customer's contact is marked. */
export const refusedRecipient = (reason: string): SendResult => ({
  ok: false,
  permanent: true,
  recipient: true,
  reason: oneLine(reason),
});

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, REASON_CHARS);
}

/** A sender handed a message for another channel was wired wrongly: that is a bug, not an answer. */
export function assertChannel(message: OutgoingMessage, channel: ChannelName, sender: string): void {
  if (message.channel !== channel)
    throw new TypeError(`${sender} sends ${channel} messages, not ${message.channel} (notice ${message.id})`);
}

/**
 * Errors that are our own mistakes (a bad argument, a missing property) rather than anything the
 * network or a provider did. fetch's "fetch failed" is a TypeError too, but it has a cause.
 */
export function isProgrammingError(err: unknown): boolean {
  return (
    (err instanceof TypeError && err.cause === undefined) ||
    err instanceof ReferenceError ||
    err instanceof SyntaxError ||
    err instanceof RangeError
  );
}

interface AwsError {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

/**
 * An AWS SDK error as a result. The names in `permanentNames` are refusals no retry changes (a
 * rejected message, an invalid address, a suspended account); throttling, 5xx and errors without
 * an answer (network, timeouts) are transient, and so is any other error: an unknown refusal is
 * retried and ends in the DLQ for someone to look at, rather than dropping the notice silently.
 */
export function classifyAwsError(err: unknown, permanentNames: ReadonlySet<string>): SendResult {
  if (isProgrammingError(err)) throw err;
  const e = (typeof err === 'object' && err !== null ? err : {}) as AwsError;
  const name = e.name ?? 'Error';
  const status = e.$metadata?.httpStatusCode;
  const reason = `${name}${status ? ` (${status})` : ''}: ${e.message ?? String(err)}`;
  const throttled =
    e.$retryable?.throttling === true || status === 429 || /Throttl|TooManyRequests/.test(name);
  if (throttled || e.$fault === 'server' || (status !== undefined && status >= 500)) return transient(reason);
  return permanentNames.has(name) ? permanent(reason) : transient(reason);
}
