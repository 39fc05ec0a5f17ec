import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type Answer = { status: number; body?: string; contentType?: string } | 'hang';

/**
 * A real HTTP server on 127.0.0.1 standing in for a gateway or a chat bot: records every request
 * and answers what it is told, one answer per request (then `fallback`).
 */
export async function startReceiver(fallback: Answer = { status: 200, body: '' }) {
  const received: ReceivedRequest[] = [];
  const script: Answer[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      });
      const answer = script.shift() ?? fallback;
      if (answer === 'hang') return; // never answers; closed with the server
      res
        .writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' })
        .end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    received,
    json: (i = received.length - 1) => JSON.parse(received[i]!.body.toString('utf8')) as unknown,
    answer: (...answers: Answer[]) => script.push(...answers),
    reset: () => {
      received.length = 0;
      script.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A URL nothing listens on: a port bound and released at once. */
export async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/hook`;
}
