import { request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';

/** What the probes share: the two shops, the seeded order, how a request goes out, what a refusal is. */
export const SECRET = 'fuzz-secret';
export const OWN = 'fuzz-own';
export const OTHER = 'fuzz-other';
export const ORDER = 'F-1001';
export const TRACKING = 'SF5566778899';
export const EMAIL = 'fuzz@example.com';
/** The second shop's own order (another number, tracking number and customer). */
export const OTHER_ORDER = 'G-2001';
export const OTHER_TRACKING = 'YT7788990011';
export const OTHER_EMAIL = 'other-customer@example.com';
export const PHONE = '+8613800138000';

export interface Reply {
  status: number;
  body: string;
  /** The answer's head as received (raw-socket probes); header names lower-cased. */
  headers?: Record<string, string>;
}

export interface Probe {
  cls: string;
  name: string;
  run: () => Promise<Reply>;
  /** The answer is right (default: a 4xx with a JSON error body). */
  accept?: (reply: Reply) => string | undefined;
  /** After an accepted answer: how it must settle, given the inbox items the probe added. */
  settle?: (inboxIds: string[]) => Promise<string | undefined>;
  /** Which changed keys count (default all): cross-tenant probes look only at the victim's items. */
  scope?: (change: string) => boolean;
  /** Strings that must not appear in the answer (the other shop's data, a forged Host). */
  mustNotLeak?: string[];
  /** An inbox item added counts as a change too (a truncated body must not be kept at all). */
  noInbox?: boolean;
}

/**
 * Each probe of the newer classes comes from its own loopback address (127.0.0.2 onwards): the
 * public routes limit requests per client address (120 a minute, 30 order lookups an hour), and a
 * 429 would be a refusal for the wrong reason.
 */
let nextAddress = 0;
export function freshClientAddress(): string {
  const n = nextAddress++ % (250 * 250);
  return `127.0.${1 + Math.floor(n / 250)}.${2 + (n % 250)}`;
}

/** node:http, not fetch: duplicated header lines, raw malformed paths and exact bytes go out as written. */
export function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string | string[]> = {},
  body?: Buffer,
  localAddress?: string,
): Promise<Reply> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        method,
        path,
        headers: body ? { ...headers } : headers,
        ...(localAddress && { localAddress }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            headers: Object.fromEntries(
              Object.entries(res.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : (v ?? '')]),
            ),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body) req.setHeader('content-length', String(body.length));
    req.end(body);
  });
}

/** Parses what a server wrote on a raw socket: the status line, the head, the (de-chunked) body. */
export function parseRaw(raw: Buffer): Reply {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, body: raw.toString('latin1') };
  const head = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of head.slice(1)) {
    const at = line.indexOf(':');
    if (at > 0) headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const parts: Buffer[] = [];
    let at = 0;
    while (at < body.length) {
      const lineEnd = body.indexOf('\r\n', at);
      if (lineEnd < 0) break;
      const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
      if (!size) break;
      parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      at = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status, body: body.toString('utf8'), headers };
}

export interface RawExchange {
  reply: Reply;
  /** The server ended the connection (rather than this client, or the time limit). */
  closedByServer: boolean;
  /** Milliseconds from the last byte written to the server's answer or close. */
  ms: number;
}

/**
 * Exactly these bytes on a fresh TCP connection, then the server's answer until it closes the
 * connection, or `waitMs` passes (then this side closes). `afterWrite` runs after the bytes are written
 * (a client that vanishes destroys the socket there).
 */
export function rawExchange(
  base: string,
  bytes: Buffer | Buffer[],
  options: { waitMs?: number; localAddress?: string; afterWrite?: (socket: Socket) => void } = {},
): Promise<RawExchange> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: url.hostname,
      port: Number(url.port),
      ...(options.localAddress && { localAddress: options.localAddress }),
    });
    const chunks: Buffer[] = [];
    let sentAt = Date.now();
    let byServer = false;
    const timer = setTimeout(() => socket.destroy(), options.waitMs ?? 10_000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => {
      byServer = true;
      socket.end();
    });
    socket.on('error', (err: NodeJS.ErrnoException) => {
      // A reset after the answer is the server closing too; before any connection it is a failure.
      if (err.code === 'ECONNRESET' || err.code === 'EPIPE') byServer = true;
      else if (!socket.remoteAddress) reject(err);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ reply: parseRaw(Buffer.concat(chunks)), closedByServer: byServer, ms: Date.now() - sentAt });
    });
    socket.once('connect', () => {
      const parts = Array.isArray(bytes) ? bytes : [bytes];
      for (const part of parts) socket.write(part);
      sentAt = Date.now();
      options.afterWrite?.(socket);
    });
  });
}

export function refusedWithJson(reply: Reply): string | undefined {
  if (reply.status < 400 || reply.status >= 500) return `answered ${reply.status}`;
  try {
    const parsed = JSON.parse(reply.body) as { error?: { code?: unknown; message?: unknown } };
    if (typeof parsed.error?.code !== 'string' || typeof parsed.error?.message !== 'string')
      return `${reply.status} without {error:{code,message}}: ${reply.body.slice(0, 120)}`;
  } catch {
    return `${reply.status} with a body that is not JSON: ${reply.body.slice(0, 120)}`;
  }
  return undefined;
}

/**
 * Refused before any function ran, as API Gateway refuses: no route for the path (404
 * `{message:"Not Found"}`, e.g. a `/` in an id makes another number of segments) or a request line
 * and head over Node's 16 KB (431, no body). Anything else must be the house error.
 */
export function refusedByGatewayOrJson(reply: Reply): string | undefined {
  if (reply.status === 431) return undefined;
  if (reply.status === 404 && reply.body.includes('"Not Found"')) return undefined;
  return refusedWithJson(reply);
}

/** A raw HTTP/1.1 request: the head exactly as given (CR LF between lines), then the body. */
export function rawRequest(
  method: string,
  target: string,
  headerLines: Array<string | Buffer>,
  body?: Buffer,
): Buffer {
  const lines = [Buffer.from(`${method} ${target} HTTP/1.1\r\n`, 'latin1')];
  for (const line of headerLines) lines.push(Buffer.concat([Buffer.from(line), Buffer.from('\r\n')]));
  if (body) lines.push(Buffer.from(`content-length: ${body.length}\r\n`));
  lines.push(Buffer.from('connection: close\r\n\r\n'));
  return Buffer.concat(body ? [...lines, body] : lines);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the set-up made, for the probes to aim at. */
export interface FuzzIds {
  caseId: string;
  customerToken: string;
  /** Another case of the same shop and order, with its own real token. */
  secondCaseId: string;
  secondToken: string;
  /** The second shop's case and its real token. */
  otherCaseId: string;
  otherToken: string;
  customerId: string;
  inboxId: string;
  /** The first order's placing webhook, signed: sent again it is a duplicate that changes nothing. */
  replay: { body: Buffer; headers: Record<string, string> };
}

export interface FuzzContext {
  url: string;
  quick: boolean;
  ids: FuzzIds;
  /** The first shop's manager, and the second shop's. */
  manager: string;
  otherManager: string;
  customerKey: string;
  jwtKey: string;
}

/** The request headers as raw lines (`name: value`). */
export const headerLines = (headers: Record<string, string>) =>
  Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
