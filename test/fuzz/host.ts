import {
  EMAIL,
  type FuzzContext,
  freshClientAddress,
  headerLines,
  ORDER,
  OWN,
  type Probe,
  type Reply,
  rawExchange,
  rawRequest,
} from './common.ts';

/*
 * Malformed and forged Host headers, sent on raw sockets so the bytes are exactly these (Node's
 * client would refuse most of them). Each goes on a request that is otherwise right and changes
 * nothing when answered (a duplicate webhook, reads, a lookup): it must be refused (4xx, Node's own
 * 400 or 431 included) or answered normally, never a 5xx or a dropped connection, and nothing of
 * the forged Host may come back in the answer (links are built from PUBLIC_URL, never from Host).
 */

const FORGED = 'forged-host.invalid';

function hostVariants(port: string): Array<{ label: string; lines: Array<string | Buffer> }> {
  const real = `Host: 127.0.0.1:${port}`;
  return [
    { label: 'forged', lines: [`Host: ${FORGED}`] },
    {
      label: 'forged, with X-Forwarded-Host and Forwarded',
      lines: [real, `X-Forwarded-Host: ${FORGED}`, `Forwarded: host=${FORGED}`],
    },
    { label: 'empty', lines: ['Host: '] },
    { label: 'missing', lines: [] },
    { label: 'duplicated (real first)', lines: [real, `Host: ${FORGED}`] },
    { label: 'duplicated (forged first)', lines: [`Host: ${FORGED}`, real] },
    { label: 'port out of range', lines: ['Host: 127.0.0.1:99999'] },
    { label: 'port not a number', lines: [`Host: ${FORGED}:-1x`] },
    { label: 'very long (8 KB)', lines: [`Host: ${'a'.repeat(8000)}.${FORGED}`] },
    { label: 'past the head limit (20 KB)', lines: [`Host: ${'a'.repeat(20_000)}.${FORGED}`] },
    { label: 'bare CR inside', lines: [`Host: ${FORGED}\rX-Injected: 1`] },
    { label: 'bare LF inside', lines: [`Host: ${FORGED}\nX-Injected: 1`] },
    { label: 'CRLF: a header injected after it', lines: [`Host: ${FORGED}`, 'X-Injected: 1'] },
    { label: 'folded (obs-fold)', lines: [real, ` ${FORGED}`] },
    { label: 'NUL inside', lines: [`Host: ${FORGED}\u0000.example`] },
    { label: 'unicode (UTF-8 bytes)', lines: [Buffer.from(`Host: ƒorged-høst.${FORGED}`, 'utf8')] },
    { label: 'absolute-form target naming another host', lines: [`Host: ${FORGED}`] },
  ];
}

interface Target {
  name: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
}

export function hostProbes(ctx: FuzzContext): Probe[] {
  const port = new URL(ctx.url).port;
  const json = { 'content-type': 'application/json' };
  const targets: Target[] = [
    {
      name: 'webhook (a signed duplicate)',
      method: 'POST',
      path: `/webhooks/generic/${OWN}`,
      headers: ctx.ids.replay.headers,
      body: ctx.ids.replay.body,
    },
    {
      name: 'admin GET /admin/cases/{caseId}',
      method: 'GET',
      path: `/admin/cases/${ctx.ids.caseId}`,
      headers: { authorization: `Bearer ${ctx.manager}` },
    },
    {
      name: 'portal GET /returns/{caseId}',
      method: 'GET',
      path: `/returns/${ctx.ids.caseId}`,
      headers: { authorization: `Bearer ${ctx.ids.customerToken}` },
    },
  ];
  if (!ctx.quick)
    targets.push(
      {
        name: 'portal POST /portal/{shopId}/lookup',
        method: 'POST',
        path: `/portal/${OWN}/lookup`,
        headers: json,
        body: Buffer.from(JSON.stringify({ orderNumber: ORDER, email: EMAIL })),
      },
      { name: 'page GET /portal/{shopId}', method: 'GET', path: `/portal/${OWN}`, headers: {} },
      { name: 'page GET /admin', method: 'GET', path: '/admin', headers: {} },
    );
  const probes: Probe[] = [];
  const variants = hostVariants(port);
  for (const target of targets)
    for (const variant of ctx.quick ? variants.filter((_, i) => i % 3 === 0) : variants) {
      const requestTarget = variant.label.startsWith('absolute-form')
        ? `http://${FORGED}${target.path}`
        : target.path;
      probes.push({
        cls: 'host: malformed or forged Host',
        name: `${target.name} (${variant.label})`,
        run: async () => {
          const bytes = rawRequest(
            target.method,
            requestTarget,
            [...variant.lines, ...headerLines(target.headers)],
            target.body,
          );
          const { reply } = await rawExchange(ctx.url, bytes, { localAddress: freshClientAddress() });
          return reply;
        },
        accept: answeredOrRefused,
        mustNotLeak: ['forged-host', 'ƒorged', 'h\u00f8st', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'],
      });
    }
  return probes;
}

/** Answered normally (2xx, 3xx) or refused (4xx); a 5xx or no answer at all is not. */
function answeredOrRefused(reply: Reply): string | undefined {
  if (reply.status === 0) return 'no answer (the connection was dropped)';
  if (reply.status >= 500) return `answered ${reply.status}: ${reply.body.slice(0, 120)}`;
  return undefined;
}
