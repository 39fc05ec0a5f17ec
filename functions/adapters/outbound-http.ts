import type { OutboundRequest, OutboundResponse, OutboundSender } from '../app/ports.ts';

/** Enough of a refusal's answer for staff to see why; the rest is not read. */
const EXCERPT_BYTES = 500;

/**
 * POSTs with Node's fetch. Every request has a deadline (`timeoutMs`, well under the function's
 * timeout, so a hanging endpoint costs one attempt, not the whole batch). Redirects are not
 * followed: a signed event goes only to the URL the shop configured (a 3xx is an answer like any
 * other, and the application treats it as a refusal).
 */
export class HttpOutboundSender implements OutboundSender {
  private readonly timeoutMs: number;

  constructor(options: { timeoutMs?: number } = {}) {
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  async post(request: OutboundRequest): Promise<OutboundResponse> {
    const signal = AbortSignal.timeout(this.timeoutMs);
    try {
      const response = await fetch(request.url, {
        method: 'POST',
        headers: request.headers,
        body: request.body,
        redirect: 'manual',
        signal,
      });
      // A delivered event needs nothing of the answer; anything else keeps its start for the log.
      const excerpt = response.ok ? '' : await readStart(response, EXCERPT_BYTES);
      if (response.ok) await response.body?.cancel().catch(() => undefined);
      return { kind: 'answered', status: response.status, excerpt };
    } catch (err) {
      if (signal.aborted) return { kind: 'timeout', error: `no answer within ${this.timeoutMs} ms` };
      return { kind: 'network_error', error: describeFetchError(err).slice(0, 300) };
    }
  }
}

/** The first `max` bytes of a body as text, without reading (or waiting for) the rest. */
export async function readStart(response: Response, max: number): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < max) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body cut off (or too slow) still leaves the status, which is what decides.
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks).subarray(0, max).toString('utf8');
}

/** fetch's "fetch failed" names nothing; the cause (ECONNREFUSED, ENOTFOUND, a TLS error) does. */
export function describeFetchError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  const detail = cause?.code ?? cause?.message;
  return detail ? `${err.message}: ${detail}` : err.message;
}
