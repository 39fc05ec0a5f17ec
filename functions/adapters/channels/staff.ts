import type { StaffAlertKind } from '../../../schemas/channels.ts';
import type { SendResult, StaffAlert } from '../../../schemas/notifications.ts';
import type { StaffAlertSender } from '../../app/channels.ts';
import type { Clock } from '../../app/ports.ts';
import { hmacSha256 } from '../../lib/crypto.ts';
import { type JsonPostResponse, postJson } from './http.ts';
import { oneLine, permanent, transient } from './results.ts';

/*
 * Staff alerts to chat groups, each through the group bot's incoming webhook. WeCom and DingTalk
 * answer 200 with {"errcode": n, "errmsg": "..."}: 0 is taken, a rate limit is worth another try,
 * anything else (a wrong key, a keyword or IP rule, a bad payload) no retry changes. Slack answers
 * 200 "ok", or a 4xx that names the problem (invalid_payload, channel_not_found, ...), 429 when
 * rate limited. A timeout, a network error, 408, 429 and 5xx are transient for all three.
 */

export interface ChatAlertOptions {
  url: string;
  /** Per request (default 10 s). */
  timeoutMs?: number | undefined;
}

/** WeCom's markdown content takes at most 4096 bytes. */
const WECOM_MAX_BYTES = 4096;
/** DingTalk takes more, but a staff alert is a few lines; this keeps a runaway text readable. */
const DINGTALK_MAX_BYTES = 5000;
/** Slack's text is truncated by Slack at 40,000 characters; alerts stay far below. */
const SLACK_MAX_CHARS = 4000;

/** WeCom: -1 system busy, 45009 too many calls (20 a minute per bot), 45033 too many at once. */
const WECOM_TRANSIENT = new Set([-1, 45009, 45033]);
/** DingTalk: -1 system busy, 130101 sending too fast (20 a minute per robot). */
const DINGTALK_TRANSIENT = new Set([-1, 130101]);

/** WeCom 企业微信 group bot: `{"msgtype":"markdown","markdown":{"content":...}}`. */
export class WeComAlertSender implements StaffAlertSender {
  constructor(private readonly options: ChatAlertOptions) {}

  async send(alert: StaffAlert): Promise<SendResult> {
    const link = alert.url ? `\n[${alert.url}](${alert.url})` : '';
    const head = `**${alert.title}**\n`;
    const content = head + truncateBytes(alert.text, WECOM_MAX_BYTES - byteLength(head + link)) + link;
    const response = await postJson(
      this.options.url,
      { msgtype: 'markdown', markdown: { content } },
      this.options.timeoutMs ?? 10_000,
    );
    return classifyErrcode(response, 'wecom', WECOM_TRANSIENT);
  }
}

/**
 * DingTalk 钉钉 custom robot: `{"msgtype":"markdown","markdown":{"title","text"}}`. With the
 * robot's 加签 secret, the URL gets `timestamp` (ms) and `sign`: base64 HMAC-SHA256, keyed with
 * the secret, of `timestamp + "\n" + secret` (DingTalk accepts a timestamp within an hour).
 */
export class DingTalkAlertSender implements StaffAlertSender {
  constructor(private readonly options: ChatAlertOptions & { secret?: string | undefined; clock: Clock }) {}

  async send(alert: StaffAlert): Promise<SendResult> {
    const link = alert.url ? `\n\n[${alert.url}](${alert.url})` : '';
    const head = `#### ${alert.title}\n\n`;
    const text = head + truncateBytes(alert.text, DINGTALK_MAX_BYTES - byteLength(head + link)) + link;
    const response = await postJson(
      this.signedUrl(),
      { msgtype: 'markdown', markdown: { title: alert.title, text } },
      this.options.timeoutMs ?? 10_000,
    );
    return classifyErrcode(response, 'dingtalk', DINGTALK_TRANSIENT);
  }

  private signedUrl(): string {
    const { secret } = this.options;
    if (!secret) return this.options.url;
    const url = new URL(this.options.url);
    const timestamp = String(Date.parse(this.options.clock.now()));
    const sign = dingTalkSign(secret, timestamp);
    // URLSearchParams encodes the base64 (+, /, =) as DingTalk expects (urlEncode of the sign).
    url.searchParams.set('timestamp', timestamp);
    url.searchParams.set('sign', sign);
    return url.toString();
  }
}

/** The signature DingTalk checks, before URL encoding. */
export function dingTalkSign(secret: string, timestamp: string): string {
  return hmacSha256(secret, `${timestamp}\n${secret}`, 'base64');
}

/** Slack incoming webhook: `{"text": ...}` in Slack's mrkdwn, the case link last. */
export class SlackAlertSender implements StaffAlertSender {
  constructor(private readonly options: ChatAlertOptions) {}

  async send(alert: StaffAlert): Promise<SendResult> {
    const link = alert.url ? `\n<${alert.url}>` : '';
    const body = `*${slackEscape(alert.title)}*\n${slackEscape(alert.text)}`.slice(0, SLACK_MAX_CHARS);
    const response = await postJson(
      this.options.url,
      { text: body + link },
      this.options.timeoutMs ?? 10_000,
    );
    if (response.kind !== 'answered') return transient(`slack: ${response.error}`);
    const { status } = response;
    if (status >= 200 && status < 300) return { ok: true };
    const reason = `slack answered ${status}${response.body ? `: ${response.body}` : ''}`;
    return retryable(status) ? transient(reason) : permanent(reason);
  }
}

/**
 * Every target of a shop at once. Taken when every group took it; otherwise a failure that is
 * permanent only if no failed target is worth another try (a retry posts to every target again,
 * so a group that took it may see an alert twice: better than a group that never sees it).
 */
export class FanOutAlertSender implements StaffAlertSender {
  constructor(
    private readonly targets: Array<{ kind: StaffAlertKind | 'outbox'; sender: StaffAlertSender }>,
  ) {}

  async send(alert: StaffAlert): Promise<SendResult> {
    const results = await Promise.all(this.targets.map((t) => t.sender.send(alert)));
    const failed = results.flatMap((r, i) => (r.ok ? [] : [{ kind: this.targets[i]!.kind, ...r }]));
    if (failed.length === 0) return { ok: true };
    const reason = failed.map((f) => `${f.kind}: ${f.reason}`).join('; ');
    const taken = results.length - failed.length;
    const prefix = taken ? `${taken} of ${results.length} groups took it; ` : '';
    return failed.some((f) => !f.permanent) ? transient(prefix + reason) : permanent(prefix + reason);
  }
}

const retryable = (status: number) => status === 408 || status === 429 || status >= 500;

function classifyErrcode(response: JsonPostResponse, kind: StaffAlertKind, transientCodes: Set<number>) {
  if (response.kind !== 'answered') return transient(`${kind}: ${response.error}`);
  const { status, body } = response;
  if (status < 200 || status >= 300) {
    const reason = `${kind} answered ${status}${body ? `: ${body}` : ''}`;
    return retryable(status) ? transient(reason) : permanent(reason);
  }
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(body);
  } catch {
    // Not the bot's answer (a proxy's page?): nothing says the message was taken or refused.
    return transient(`${kind} answered ${status} without errcode: ${oneLine(body)}`);
  }
  if (answer.errcode === 0) return { ok: true } as const;
  if (typeof answer.errcode !== 'number')
    return transient(`${kind} answered ${status} without errcode: ${oneLine(body)}`);
  const reason = `${kind} errcode ${answer.errcode}: ${String(answer.errmsg ?? '')}`;
  return transientCodes.has(answer.errcode) ? transient(reason) : permanent(reason);
}

/** Slack's mrkdwn control characters (&, <, >) escaped, so a text cannot make links or mentions. */
function slackEscape(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/** At most `max` UTF-8 bytes, cut at a character boundary, with an ellipsis when cut. */
function truncateBytes(text: string, max: number): string {
  if (byteLength(text) <= max) return text;
  let out = '';
  let size = 0;
  const room = max - 3; // the ellipsis is 3 bytes
  for (const ch of text) {
    const n = byteLength(ch);
    if (size + n > room) break;
    out += ch;
    size += n;
  }
  return `${out}…`;
}
