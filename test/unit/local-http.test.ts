import { Agent, type IncomingMessage, request } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  corsHeaders,
  type LocalHttp,
  matchRoute,
  startHttp,
  toApiGatewayEvent,
} from '../../infra/local/http.ts';
import { cors, routes } from '../../infra/topology.ts';

const ADMIN = 'https://admin.example.com';
const servers: LocalHttp[] = [];

// In `npm start` an error escaping the request listener ends the process; vitest would only log it.
const escaped: unknown[] = [];
const collect = (err: unknown) => escaped.push(err);
beforeEach(() => {
  escaped.length = 0;
  process.on('unhandledRejection', collect);
  process.on('uncaughtException', collect);
});

async function serve(options: Parameters<typeof startHttp>[1] = {}): Promise<LocalHttp> {
  const http = await startHttp(0, options);
  servers.push(http);
  return http;
}

afterEach(async () => {
  process.off('unhandledRejection', collect);
  process.off('uncaughtException', collect);
  for (const http of servers.splice(0)) await http.stop();
});

const portOf = (http: LocalHttp) => Number(new URL(http.url).port);

/**
 * Writes raw bytes on a fresh connection, then (optionally) half-closes it, and resolves with
 * whatever the server sent once it closed the connection; rejects if it is still open after `waitMs`.
 */
function rawExchange(
  http: LocalHttp,
  data: string,
  { end = false, waitMs = 3000 }: { end?: boolean; waitMs?: number } = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(portOf(http), '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`connection still open after ${waitMs} ms; got ${JSON.stringify(received)}`));
    }, waitMs);
    socket.on('data', (d) => {
      received += d;
    });
    socket.on('error', () => undefined); // a reset is one way of closing it
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.write(data, () => {
      if (end) socket.end();
    });
  });
}

/** Nothing escaped the request listener, and the server still answers. */
async function expectHealthy(http: LocalHttp) {
  const res = await fetch(`${http.url}/health`);
  expect(res.status).toBe(200);
  expect(await res.json()).toEqual({ ok: true, service: 'aftersale' });
  expect(escaped).toEqual([]);
}

describe('the local HTTP server under hostile or broken requests', () => {
  it.each([
    ['POST', '/webhooks/generic/%E0%A4%A'],
    ['GET', '/admin/orders/%E0%A4%A'],
    ['GET', '/nowhere/%zz'],
  ])(
    'answers 400 invalid_request to %s %s (malformed percent-escape) and keeps serving',
    async (method, path) => {
      const http = await serve();
      const res = await fetch(`${http.url}${path}`, { method, ...(method === 'POST' && { body: '{}' }) });
      expect(res.status).toBe(400);
      expect(await res.json()).toEqual({
        error: { code: 'invalid_request', message: expect.stringMatching(/percent/) },
      });
      await expectHealthy(http);
    },
  );

  it('ignores an invalid Host header (the URL is not built from it) and keeps serving', async () => {
    const http = await serve();
    const answer = await rawExchange(http, 'GET /health HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer).toContain('"service":"aftersale"');
    await expectHealthy(http);
  });

  it('keeps a path that starts with // a path, whatever the Host says', async () => {
    const http = await serve();
    const answer = await rawExchange(
      http,
      'GET //health/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 404 /);
  });

  it('closes a connection whose client sends part of the declared body and then closes', async () => {
    const http = await serve();
    const head = 'POST /webhooks/generic/shop HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
    const answer = await rawExchange(http, `${head}Content-Length: 1000\r\n\r\n{"partial":`, { end: true });
    expect(answer).not.toMatch(/^HTTP\/1\.1 [25]\d\d /);
    await expectHealthy(http);
  });

  it('survives a client that resets the connection mid-body', async () => {
    const http = await serve();
    await new Promise<void>((resolve) => {
      const socket = connect(portOf(http), '127.0.0.1', () => {
        socket.write(
          'POST /webhooks/generic/shop HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"a"',
          () => {
            setTimeout(() => {
              socket.resetAndDestroy();
              resolve();
            }, 50);
          },
        );
      });
    });
    await new Promise((r) => setTimeout(r, 100));
    await expectHealthy(http);
  });

  it('answers 408 and closes when a body stalls past the request timeout, and keeps serving', async () => {
    const http = await serve({ requestTimeoutMs: 1000 });
    const started = Date.now();
    const answer = await rawExchange(
      http,
      'POST /webhooks/generic/shop HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"a"',
      { waitMs: 4000 },
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(Date.now() - started).toBeLessThan(3500);
    await expectHealthy(http);
  });

  it('still answers 404 {"message":"Not Found"} for an unknown route', async () => {
    const http = await serve();
    const res = await fetch(`${http.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Not Found' });
  });

  it('still answers 413 above 10 MiB without invoking the function, and keeps serving', async () => {
    const http = await serve();
    const res = await fetch(`${http.url}/webhooks/generic/shop`, {
      method: 'POST',
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 'a'),
      headers: { 'content-type': 'application/json' },
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'Request Entity Too Large' });
    await expectHealthy(http);
  });
  it('answers 413 to a chunked body that grows past 10 MiB (no Content-Length to refuse it by)', async () => {
    const http = await serve();
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 11) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${http.url}/webhooks/generic/shop`, {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'content-type': 'application/json' },
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ message: 'Request Entity Too Large' });
    await expectHealthy(http);
  });
});

describe('keep-alive and stopping', () => {
  it('reuses an idle keep-alive connection after 6 s (longer than Node’s 5 s default)', {
    timeout: 15_000,
  }, async () => {
    const http = await serve();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean; body: string }>((resolve, reject) => {
        const req = request(`${http.url}/health`, { agent }, (res: IncomingMessage) => {
          let body = '';
          res.on('data', (d) => {
            body += d;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket, body }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      expect(await get()).toMatchObject({ status: 200, reused: false });
      await new Promise((r) => setTimeout(r, 6000));
      expect(await get()).toMatchObject({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it('stops within a second with an idle keep-alive connection and a client that never finishes its headers', async () => {
    const http = await startHttp(0);
    const agent = new Agent({ keepAlive: true });
    await fetch(`${http.url}/health`); // warms the handler
    await new Promise<void>((resolve, reject) =>
      request(`${http.url}/health`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      })
        .on('error', reject)
        .end(),
    );
    const silent = connect(portOf(http), '127.0.0.1');
    silent.on('error', () => undefined);
    await new Promise((r) => silent.once('connect', r));
    silent.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    try {
      await http.stop();
      expect(Date.now() - started).toBeLessThan(1000);
    } finally {
      agent.destroy();
      silent.destroy();
    }
  });
  it('lets a request in flight finish when stopping, then closes its connection', async () => {
    const http = await startHttp(0);
    await fetch(`${http.url}/health`); // warms the handler
    const socket = connect(portOf(http), '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d;
    });
    const closed = new Promise((r) => socket.once('close', r));
    await new Promise((r) => socket.once('connect', r));
    // In flight: the headers are in, the body is not.
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nab');
    await new Promise((r) => setTimeout(r, 100));
    let stopped = false;
    const stopping = http.stop().then(() => {
      stopped = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false);
    socket.write('cde');
    await Promise.all([stopping, closed]);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('"service":"aftersale"');
  });
});

describe('toApiGatewayEvent', () => {
  const matched = matchRoute('POST', '/webhooks/generic/shop')!;
  const url = new URL('http://local/webhooks/generic/shop');
  const fakeRequest = (contentType: string) =>
    ({
      method: 'POST',
      httpVersion: '1.1',
      headers: { 'content-type': contentType, host: '127.0.0.1' },
      socket: { remoteAddress: '127.0.0.1' },
    }) as unknown as IncomingMessage;
  const bytesOf = (event: ReturnType<typeof toApiGatewayEvent>) =>
    Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');

  it('hands a Latin-1 JSON body to the function byte for byte (base64, as it is not UTF-8)', () => {
    const body = Buffer.from('{"note":"café"}', 'latin1');
    const event = toApiGatewayEvent(fakeRequest('application/json'), body, matched, url);
    expect(event.isBase64Encoded).toBe(true);
    expect(bytesOf(event).equals(body)).toBe(true);
  });

  it('hands a GBK body (charset=gbk) to the function byte for byte', () => {
    const body = Buffer.concat([
      Buffer.from('{"reason":"'),
      Buffer.from([0xcd, 0xcb, 0xbb, 0xf5]),
      Buffer.from('"}'),
    ]);
    const event = toApiGatewayEvent(fakeRequest('application/json; charset=gbk'), body, matched, url);
    expect(event.isBase64Encoded).toBe(true);
    expect(bytesOf(event).equals(body)).toBe(true);
  });

  it('still passes a UTF-8 JSON body as text, and a binary type as base64', () => {
    const body = Buffer.from('{"reason":"退货"}', 'utf8');
    const json = toApiGatewayEvent(fakeRequest('application/json'), body, matched, url);
    expect(json).toMatchObject({ isBase64Encoded: false, body: '{"reason":"退货"}' });
    const binary = toApiGatewayEvent(fakeRequest('application/octet-stream'), body, matched, url);
    expect(binary.isBase64Encoded).toBe(true);
    expect(bytesOf(binary).equals(body)).toBe(true);
  });
});

describe('matchRoute', () => {
  it('decodes path parameters and never throws on a malformed escape', () => {
    expect(matchRoute('GET', '/admin/orders/A%2F1')?.pathParameters).toEqual({ orderId: 'A/1' });
    expect(() => matchRoute('GET', '/admin/orders/%E0%A4%A')).not.toThrow();
    expect(matchRoute('GET', '/admin/orders/%E0%A4%A')).toBeUndefined();
  });
});

describe('corsHeaders', () => {
  const preflight = (origin: string) => ({
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });

  it('answers a preflight from the admin origin with the topology rule', () => {
    expect(corsHeaders(cors, [ADMIN], preflight(ADMIN))).toEqual({
      'access-control-allow-origin': ADMIN,
      'access-control-allow-methods': cors.allowMethods.join(','),
      'access-control-allow-headers': cors.allowHeaders.join(','),
      'access-control-max-age': String(cors.maxAgeSeconds),
      vary: 'origin',
    });
  });

  it('gives another origin, a request without Origin, or no configured origin nothing', () => {
    expect(corsHeaders(cors, [ADMIN], preflight('https://evil.example.com'))).toEqual({});
    expect(corsHeaders(cors, [ADMIN], { method: 'GET', headers: {} })).toEqual({});
    expect(corsHeaders(cors, [], preflight(ADMIN))).toEqual({});
  });

  it('gives an actual request from the admin origin only the allowed origin and vary', () => {
    expect(corsHeaders(cors, [ADMIN], { method: 'GET', headers: { origin: ADMIN } })).toEqual({
      'access-control-allow-origin': ADMIN,
      vary: 'origin',
    });
  });

  it('allows exactly the methods the routes use and the headers the admin page sends', () => {
    expect([...cors.allowMethods].sort()).toEqual([...new Set(routes.map((r) => r.method))].sort());
    expect(cors.allowHeaders).toEqual(['authorization', 'content-type', 'if-match']);
  });
});

describe('CORS on the local server', () => {
  const preflightInit = (origin: string): RequestInit => ({
    method: 'OPTIONS',
    headers: {
      origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'authorization',
    },
  });

  it('answers a preflight from the admin origin with 204 and the rule, as API Gateway does', async () => {
    const http = await serve({ adminOrigin: ADMIN });
    const res = await fetch(`${http.url}/admin/orders`, preflightInit(ADMIN));
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(res.headers.get('access-control-allow-methods')).toBe(cors.allowMethods.join(','));
    expect(res.headers.get('access-control-allow-headers')).toBe(cors.allowHeaders.join(','));
    expect(res.headers.get('access-control-max-age')).toBe(String(cors.maxAgeSeconds));
  });

  it('gives a preflight from another origin no CORS headers', async () => {
    const http = await serve({ adminOrigin: ADMIN });
    const res = await fetch(`${http.url}/admin/orders`, preflightInit('https://evil.example.com'));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('marks an actual response to the admin origin, and only to it', async () => {
    const http = await serve({ adminOrigin: ADMIN });
    const allowed = await fetch(`${http.url}/health`, { headers: { origin: ADMIN } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(allowed.headers.get('vary')).toMatch(/origin/i);
    const other = await fetch(`${http.url}/health`, { headers: { origin: 'https://evil.example.com' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('has no CORS at all without an admin origin (a preflight is an unknown route)', async () => {
    const http = await serve();
    const res = await fetch(`${http.url}/admin/orders`, preflightInit(ADMIN));
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const actual = await fetch(`${http.url}/health`, { headers: { origin: ADMIN } });
    expect(actual.headers.get('access-control-allow-origin')).toBeNull();
  });
});
