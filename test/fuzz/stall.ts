import type { Socket } from 'node:net';
import { median } from '../bench/table.ts';
import {
  EMAIL,
  type FuzzContext,
  freshClientAddress,
  headerLines,
  ORDER,
  OWN,
  PHONE,
  type Probe,
  type Reply,
  rawExchange,
  send,
  sleep,
} from './common.ts';
import { PROVIDERS, signed } from './providers.ts';

/*
 * Clients that stall or vanish mid-request, on raw sockets: the head says `content-length: N`,
 * then only part of the body comes. A client that goes away must leave nothing behind (not even an
 * inbox item: a cut body is no delivery); one that stalls must be cut off by the server (the local
 * gateway's request timeout, 30 s like API Gateway's) while the runtime keeps answering others.
 */

interface Target {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer;
}

/** Requests that would be accepted (and change state) if their whole body arrived. */
function targets(ctx: FuzzContext): Target[] {
  const json = { 'content-type': 'application/json' };
  const providers = ctx.quick
    ? PROVIDERS.filter((p) => ['generic', 'shopify', 'kuaidi100'].includes(p.provider))
    : PROVIDERS;
  const out: Target[] = providers.map((p) => {
    // A fresh, rightly signed delivery: its whole body would be a new inbox item.
    const r = signed(p, p.fixture);
    return {
      name: `webhook ${p.provider}`,
      method: 'POST',
      path: `/webhooks/${p.provider}/${OWN}`,
      headers: r.headers,
      body: r.body,
    };
  });
  out.push(
    {
      name: 'POST /returns',
      method: 'POST',
      path: '/returns',
      headers: json,
      body: Buffer.from(
        JSON.stringify({
          shopId: OWN,
          orderNumber: ORDER,
          email: EMAIL,
          type: 'exchange',
          lines: [{ lineId: '1', quantity: 1, reason: 'size_too_small' }],
        }),
      ),
    },
    {
      name: 'POST /returns/{caseId}/shipment',
      method: 'POST',
      path: `/returns/${ctx.ids.caseId}/shipment`,
      headers: { ...json, authorization: `Bearer ${ctx.ids.customerToken}` },
      body: Buffer.from(JSON.stringify({ carrier: 'sf-express', trackingNumber: 'SF1234512345' })),
    },
    {
      name: 'PUT /admin/settings',
      method: 'PUT',
      path: '/admin/settings',
      headers: { ...json, authorization: `Bearer ${ctx.manager}` },
      body: Buffer.from(JSON.stringify({ name: 'Renamed by a cut body' })),
    },
    {
      name: 'POST /sms/replies/{shopId}',
      method: 'POST',
      path: `/sms/replies/${OWN}`,
      headers: json,
      body: Buffer.from(JSON.stringify({ from: PHONE, text: 'TD' })),
    },
  );
  return out;
}

function head(t: Target): Buffer {
  return Buffer.from(
    [
      `${t.method} ${t.path} HTTP/1.1`,
      'Host: 127.0.0.1',
      ...headerLines(t.headers),
      `content-length: ${t.body.length}`,
      '',
      '',
    ].join('\r\n'),
  );
}

/** Each target once: the head, half the body, then the client is gone. */
export function vanishProbes(ctx: FuzzContext): Probe[] {
  return targets(ctx).map((t) => ({
    cls: 'client gone mid-body',
    name: t.name,
    noInbox: true,
    run: async () => {
      const { reply } = await rawExchange(
        ctx.url,
        [head(t), t.body.subarray(0, Math.floor(t.body.length / 2))],
        {
          localAddress: freshClientAddress(),
          afterWrite: (socket) => setTimeout(() => socket.destroy(), 50),
        },
      );
      // Whatever the server would still do with it has had its moment before the table is read.
      await sleep(300);
      return reply;
    },
    // Nobody is left to answer; an answer that came before the client left must be a refusal.
    accept: (reply) =>
      reply.status === 0 || (reply.status >= 400 && reply.status < 500)
        ? undefined
        : `answered ${reply.status}`,
  }));
}

export interface BatchResult {
  probes: number;
  refused: number;
  unanswered: number;
  problems: string[];
  /** What was measured, printed under the table. */
  notes: string[];
}

type Kind = 'body stalled' | 'head stalled' | 'body trickled' | 'gone mid-body';

/**
 * Many at once: clients that stall mid-body, mid-head, trickle a byte every few seconds, or vanish,
 * all open together; meanwhile /health, a signed (duplicate) webhook and an admin read must keep
 * answering. Full run: each stalled client must be answered 408 and cut off by the server within
 * 35 s of its first byte (30 s timeout, checked every second). Quick: held 3 s, then dropped.
 */
export async function stallBatch(ctx: FuzzContext): Promise<BatchResult> {
  const total = ctx.quick ? 10 : 50;
  const holdMs = ctx.quick ? 3000 : 45_000;
  const all = targets(ctx);
  const kinds: Kind[] = ['body stalled', 'head stalled', 'body trickled', 'gone mid-body', 'body stalled'];
  const problems: string[] = [];
  const startedAt = Date.now();
  let done = false;
  const latencies: number[] = [];
  const watch = (async () => {
    const checks: Array<[string, () => Promise<Reply>]> = [
      ['GET /health', () => send(ctx.url, 'GET', '/health')],
      [
        'a signed webhook',
        () => send(ctx.url, 'POST', `/webhooks/generic/${OWN}`, ctx.ids.replay.headers, ctx.ids.replay.body),
      ],
      [
        'GET /admin/cases/{caseId}',
        () =>
          send(ctx.url, 'GET', `/admin/cases/${ctx.ids.caseId}`, { authorization: `Bearer ${ctx.manager}` }),
      ],
    ];
    while (!done) {
      for (const [name, check] of checks) {
        const t0 = Date.now();
        const reply = await check().catch((err: Error) => ({ status: 0, body: err.message }));
        latencies.push(Date.now() - t0);
        if (reply.status !== 200)
          problems.push(
            `while clients stalled, ${name} answered ${reply.status}: ${reply.body.slice(0, 120)}`,
          );
      }
      await sleep(1000);
    }
  })();
  const clients = Array.from({ length: total }, (_, i) => {
    const t = all[i % all.length]!;
    const kind = kinds[i % kinds.length]!;
    const half = t.body.subarray(0, Math.floor(t.body.length / 2));
    const wholeHead = head(t);
    const firstBytes =
      kind === 'head stalled'
        ? [wholeHead.subarray(0, wholeHead.indexOf('\r\n') + 2 + 10)]
        : [wholeHead, kind === 'body trickled' ? t.body.subarray(0, 1) : half];
    const opened = Date.now();
    let drip: NodeJS.Timeout | undefined;
    const afterWrite = (socket: Socket) => {
      if (kind === 'gone mid-body') setTimeout(() => socket.destroy(), 500 + ((i * 997) % 9500));
      if (kind === 'body trickled') {
        let at = 1;
        // A byte every 5 s: never idle long, yet the whole request never arrives in 30 s.
        drip = setInterval(() => {
          if (at < t.body.length - 1 && !socket.destroyed) socket.write(t.body.subarray(at, ++at));
        }, 5000);
      }
    };
    return rawExchange(ctx.url, firstBytes, {
      localAddress: freshClientAddress(),
      waitMs: holdMs,
      afterWrite,
    }).then((x) => {
      clearInterval(drip);
      return { kind, target: t.name, ...x, sinceOpen: Date.now() - opened };
    });
  });
  const results = await Promise.all(clients);
  done = true;
  await watch;
  await sleep(300);
  let refused = 0;
  let unanswered = 0;
  const cutAfter: number[] = [];
  for (const r of results) {
    if (r.kind === 'gone mid-body') {
      if (r.reply.status >= 200 && r.reply.status < 400)
        problems.push(`${r.target} (${r.kind}): answered ${r.reply.status}`);
      else if (r.reply.status === 0) unanswered++;
      else refused++;
      continue;
    }
    if (ctx.quick) {
      // Held 3 s: the server must not have answered anything but a refusal meanwhile.
      if (r.reply.status !== 0 && r.reply.status < 400)
        problems.push(`${r.target} (${r.kind}): answered ${r.reply.status}`);
      else unanswered++;
      continue;
    }
    if (!r.closedByServer) {
      problems.push(`${r.target} (${r.kind}): still open after ${holdMs / 1000} s`);
      continue;
    }
    cutAfter.push(r.sinceOpen);
    if (r.reply.status !== 408)
      problems.push(`${r.target} (${r.kind}): cut off with ${r.reply.status}, not 408`);
    else if (r.sinceOpen > 35_000)
      problems.push(`${r.target} (${r.kind}): cut off only after ${r.sinceOpen} ms`);
    else refused++;
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const notes = [
    ctx.quick
      ? `stalled clients (quick): ${total} held ${s(holdMs)} and dropped, not waited to the server's timeout`
      : `stalled clients: ${cutAfter.length} of ${results.filter((r) => r.kind !== 'gone mid-body').length} answered 408 and cut off by the server ${s(Math.min(...cutAfter))} / ${s(median(cutAfter))} / ${s(Math.max(...cutAfter))} (min / median / max) after their first byte`,
    `meanwhile: ${latencies.length} checks (GET /health, a signed webhook, an admin read), slowest ${sorted.at(-1) ?? 0} ms, median ${median(sorted)} ms; the batch took ${s(Date.now() - startedAt)}`,
  ];
  return { probes: total, refused, unanswered, problems, notes };
}
