import { describeFetchError, readStart } from '../outbound-http.ts';

/** Chat webhooks answer in a few hundred bytes; more than this is not read. */
const BODY_BYTES = 2000;

export type JsonPostResponse =
  | { kind: 'answered'; status: number; body: string }
  | { kind: 'timeout' | 'network_error'; error: string };

/**
 * POSTs JSON and reads the start of the answer, whatever its status: the chat webhooks (WeCom,
 * DingTalk) say whether they took the message in a 200's body. The same rules as
 * adapters/outbound-http.ts: a deadline on every request, redirects not followed.
 */
export async function postJson(url: string, payload: unknown, timeoutMs: number): Promise<JsonPostResponse> {
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'aftersale-alerts/1' },
      body: JSON.stringify(payload),
      redirect: 'manual',
      signal,
    });
    return { kind: 'answered', status: response.status, body: await readStart(response, BODY_BYTES) };
  } catch (err) {
    if (signal.aborted) return { kind: 'timeout', error: `no answer within ${timeoutMs} ms` };
    return { kind: 'network_error', error: describeFetchError(err) };
  }
}
