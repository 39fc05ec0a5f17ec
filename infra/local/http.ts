import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type RouteSpec, routes } from '../topology.ts';
import { invoke } from './lambda.ts';

/** API Gateway's own payload limit; larger requests never reach a function. */
const GATEWAY_MAX_BYTES = 10 * 1024 * 1024;

interface MatchedRoute {
  route: RouteSpec;
  pathParameters: Record<string, string>;
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
      if (param) {
        if (!parts[i]) return false;
        pathParameters[param[1]!] = decodeURIComponent(parts[i]!);
        return true;
      }
      return segment === parts[i];
    });
    if (ok) return { route, pathParameters };
  }
  return undefined;
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
  // Text bodies travel as text, anything else base64-encoded, as API Gateway does.
  const asText = body.length === 0 || TEXT_TYPES.test(headers['content-type'] ?? '');
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

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

export interface LocalHttp {
  server: Server;
  url: string;
  /** Stops taking requests and waits for the ones in flight. */
  stop(): Promise<void>;
}

export function startHttp(port: number, host = '127.0.0.1'): Promise<LocalHttp> {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    const matched = matchRoute(req.method ?? 'GET', url.pathname);
    if (!matched) return send(res, 404, JSON.stringify({ message: 'Not Found' }));
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > GATEWAY_MAX_BYTES)
        return send(res, 413, JSON.stringify({ message: 'Request Entity Too Large' }));
      chunks.push(chunk as Buffer);
    }
    try {
      const event = toApiGatewayEvent(req, Buffer.concat(chunks), matched, url);
      const result = (await invoke(matched.route.function, event)) as
        | APIGatewayProxyStructuredResultV2
        | string;
      if (typeof result === 'string') return send(res, 200, result);
      const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
      res.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      res.end(body);
    } catch (err) {
      // What API Gateway answers when the function itself fails (crash or timeout).
      console.error(`[local] ${matched.route.function} failed:`, err);
      send(res, 500, JSON.stringify({ message: 'Internal Server Error' }));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({
        server,
        url: `http://${host}:${actual}`,
        stop: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          }),
      });
    });
  });
}
