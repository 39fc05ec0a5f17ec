import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { errorBody } from '../../functions/lib/http.ts';
import { type CorsRule, cors, functionSpec, type RouteSpec, routes } from '../topology.ts';
import { invoke } from './lambda.ts';

/** API Gateway's own payload limit; larger requests never reach a function. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Idle keep-alive connections stay open 65 s (and the server says so in `Keep-Alive: timeout=65`).
 * Whoever closes an idle connection first must be the client: when the server does, a client that
 * reuses it at that moment gets ECONNRESET (Node's default 5 s did that to fetch at 4.5-6 s idle).
 * 65 s outlasts undici/Node fetch (4 s, or the server's hint less a margin), Node's http.Agent (the
 * hint less 1 s) and the ~60 s idle limit of browsers and load balancers (ALB: 60 s).
 */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/**
 * A whole request (headers and body) must arrive within this, or Node answers 408 and closes it,
 * so a slow or silent client holds a connection only so long. Headers get the same bound: Node
 * refuses a headersTimeout above requestTimeout, and since Node 18 the headers clock starts at a
 * request's first byte, not when the connection went idle, so it need not outlast keep-alive.
 */
const REQUEST_TIMEOUT_MS = 30_000;

/** When stopping, in-flight requests get as long as the slowest routed function may run. */
const STOP_GRACE_MS = Math.max(...routes.map((r) => functionSpec(r.function).timeoutSeconds)) * 1000 + 1000;

interface MatchedRoute {
  route: RouteSpec;
  pathParameters: Record<string, string>;
}

/** A percent-decoded path segment; undefined when an escape is malformed. */
function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Whether every percent-escape in the path decodes (API Gateway answers 400 otherwise). */
export function isDecodablePath(path: string): boolean {
  return decodeSegment(path) !== undefined;
}

export function matchRoute(method: string, path: string): MatchedRoute | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const pattern = route.path.split('/');
    const parts = path.split('/');
    if (pattern.length !== parts.length) continue;
    const pathParameters: Record<string, string> = {};
    const ok = pattern.every((segment, i) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment === parts[i];
      const value = parts[i] ? decodeSegment(parts[i]) : undefined;
      if (value === undefined) return false;
      pathParameters[param[1]!] = value;
      return true;
    });
    if (ok) return { route, pathParameters };
  }
  return undefined;
}

/**
 * The path and query of a request target. Never built from the Host header (the client's to
 * write, and `a b` is no host); an origin-form target is joined to a fixed origin so that `//x`
 * stays a path instead of becoming a host. Undefined when the target is not a URL at all.
 */
export function parseTarget(target: string): URL | undefined {
  try {
    return target.startsWith('/') ? new URL(`http://localhost${target}`) : new URL(target);
  } catch {
    return undefined;
  }
}

const TEXT_TYPES = /^(application\/(json|x-www-form-urlencoded|xml|[\w.+-]+\+json)|text\/)/i;

/** The HTTP API (payload v2) event for a request, as API Gateway builds it. */
export function toApiGatewayEvent(
  req: IncomingMessage,
  body: Buffer,
  matched: MatchedRoute,
  url: URL,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = Date.now();
  // Text travels as text, anything else base64-encoded. A "text" body that is not UTF-8 (a GBK or
  // Latin-1 charset) goes as base64 too: decoding it would replace bytes, and the function must
  // see exactly the bytes that were signed.
  const asText = body.length === 0 || (TEXT_TYPES.test(headers['content-type'] ?? '') && isUtf8(body));
  const routeKey = `${matched.route.method} ${matched.route.path}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(Object.keys(query).length && { queryStringParameters: query }),
    ...(Object.keys(matched.pathParameters).length && { pathParameters: matched.pathParameters }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method: req.method ?? 'GET',
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    ...(body.length && { body: asText ? body.toString('utf8') : body.toString('base64') }),
    isBase64Encoded: !asText,
  };
}

interface CorsRequest {
  method: string;
  headers: IncomingHttpHeaders;
}

/** A CORS preflight, which API Gateway answers itself when CORS is configured. */
export function isPreflight(req: CorsRequest): boolean {
  return req.method === 'OPTIONS' && !!req.headers.origin && !!req.headers['access-control-request-method'];
}

/**
 * The CORS headers API Gateway (HTTP API with corsPreflight) adds for a request: the whole rule on a
 * preflight from an allowed origin, the allowed origin on an actual request from one, and nothing
 * for any other origin.
 */
export function corsHeaders(
  rule: CorsRule,
  origins: readonly string[],
  req: CorsRequest,
): Record<string, string> {
  const origin = req.headers.origin;
  if (!origin || !origins.includes(origin)) return {};
  const allowed = { 'access-control-allow-origin': origin, vary: 'origin' };
  if (!isPreflight(req)) return allowed;
  return {
    ...allowed,
    'access-control-allow-methods': rule.allowMethods.join(','),
    'access-control-allow-headers': rule.allowHeaders.join(','),
    'access-control-max-age': String(rule.maxAgeSeconds),
  };
}

/**
 * The whole body, or undefined once it passes `limit` (the rest is left unread). Rejects when the
 * client goes away (or the request times out) before the body is complete.
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData);
      req.pause();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
    // Settles nothing when it follows 'end' or the limit; otherwise the body never came.
    req.once('close', () => reject(new Error('the client closed the connection before the body ended')));
  });
}

export interface HttpOptions {
  host?: string;
  /** The admin page's origin: CORS as API Gateway applies the topology's rule. None: no CORS. */
  adminOrigin?: string;
  /** Bound on receiving a whole request (tests shorten it). */
  requestTimeoutMs?: number;
}

export interface LocalHttp {
  server: Server;
  url: string;
  /** Stops taking requests, lets the ones in flight finish, and closes every connection. */
  stop(): Promise<void>;
}

/** A browser's Origin: scheme, host and port only (so never `*` nor a trailing slash). */
function isOrigin(value: string): boolean {
  try {
    return new URL(value).origin === value;
  } catch {
    return false;
  }
}

export function startHttp(port: number, options: HttpOptions = {}): Promise<LocalHttp> {
  if (options.adminOrigin !== undefined && !isOrigin(options.adminOrigin))
    throw new Error(
      `the admin origin must look like https://admin.example.com, not "${options.adminOrigin}"`,
    );
  const host = options.host ?? '127.0.0.1';
  const origins = options.adminOrigin ? [options.adminOrigin] : [];
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS;
  let stopping = false;
  let inFlight = 0;

  /** Every response goes out here; once stopping, its connection closes after it instead of idling. */
  const write = (
    res: ServerResponse,
    status: number,
    headers: OutgoingHttpHeaders,
    body: string | Buffer,
  ) => {
    res.writeHead(status, stopping ? { ...headers, connection: 'close' } : headers);
    res.end(body);
  };
  const sendJson = (res: ServerResponse, status: number, body: unknown, headers: OutgoingHttpHeaders = {}) =>
    write(
      res,
      status,
      { 'content-type': 'application/json; charset=utf-8', ...headers },
      JSON.stringify(body),
    );

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const request = { method: req.method ?? 'GET', headers: req.headers };
    const url = parseTarget(req.url ?? '/');
    if (!url) return sendJson(res, 400, errorBody('invalid_request', 'the request target is not a URL'));
    if (!isDecodablePath(url.pathname))
      return sendJson(res, 400, errorBody('invalid_request', 'the path has a malformed percent-escape'));
    const corsOut = origins.length ? corsHeaders(cors, origins, request) : {};
    if (origins.length && isPreflight(request)) return write(res, 204, corsOut, '');
    const matched = matchRoute(request.method, url.pathname);
    if (!matched) return sendJson(res, 404, { message: 'Not Found' }, corsOut);
    // The connection closes after a 413 rather than drain what is left of the body.
    const tooLarge = () =>
      sendJson(res, 413, { message: 'Request Entity Too Large' }, { ...corsOut, connection: 'close' });
    if (Number(req.headers['content-length'] ?? 0) > GATEWAY_MAX_BYTES) return tooLarge();
    const body = await readBody(req, GATEWAY_MAX_BYTES);
    if (!body) return tooLarge();

    let result: APIGatewayProxyStructuredResultV2 | string;
    try {
      const event = toApiGatewayEvent(req, body, matched, url);
      result = (await invoke(matched.route.function, event)) as APIGatewayProxyStructuredResultV2 | string;
    } catch (err) {
      // What API Gateway answers when the function itself fails (crash or timeout).
      console.error(`[local] ${matched.route.function} failed:`, err);
      return sendJson(res, 500, { message: 'Internal Server Error' }, corsOut);
    }
    if (typeof result === 'string')
      return write(res, 200, { 'content-type': 'application/json; charset=utf-8', ...corsOut }, result);
    const out = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
    // With CORS configured the gateway's headers replace any CORS headers the function sets.
    const headers = Object.entries(result.headers ?? {})
      .filter(([name]) => !(origins.length && /^access-control-/i.test(name)))
      .map(([name, value]) => [name, String(value)]);
    write(res, result.statusCode ?? 200, { ...Object.fromEntries(headers), ...corsOut }, out);
  }

  const server = createServer(
    {
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      requestTimeout,
      headersTimeout: requestTimeout,
      // How often Node checks those deadlines (default 30 s, which could double them).
      connectionsCheckingInterval: Math.min(1000, requestTimeout),
    },
    (req, res) => {
      inFlight++;
      res.once('close', () => {
        inFlight--;
        // The last response is out: the connections left are idle or never sent a whole request.
        if (stopping && inFlight === 0) server.closeAllConnections();
      });
      res.on('error', (err) => console.error('[local] response failed:', err));
      // Nothing may escape the listener: an error thrown out of it would end the whole runtime.
      handle(req, res).catch((err: unknown) => {
        if (req.socket.destroyed) return; // the client went away or timed out: nobody to answer
        console.error(`[local] ${req.method} ${req.url} failed:`, err);
        try {
          if (res.headersSent) res.destroy();
          else sendJson(res, 500, { message: 'Internal Server Error' }, { connection: 'close' });
        } catch {
          res.destroy();
        }
      });
    },
  );

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((done) => {
      stopping = true;
      const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
      server.close(() => {
        clearTimeout(force);
        done();
      });
      if (inFlight === 0) server.closeAllConnections();
      else server.closeIdleConnections();
    });
    return stopped;
  };

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({ server, url: `http://${host}:${actual}`, stop });
    });
  });
}
