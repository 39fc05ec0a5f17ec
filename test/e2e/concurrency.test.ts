import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { signers } from '../../infra/local/signers.ts';
import { signLocalToken } from '../../infra/local/tokens.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-concurrency-'));
const secret = 'concurrency-secret';
const shopId = 'hot-shop';
let runtime: LocalRuntime;
let token: string;

async function postGeneric(eventId: string, body: unknown) {
  const signed = signers.generic!(Buffer.from(JSON.stringify(body)), { secret, eventId });
  const res = await fetch(`${runtime.url}/webhooks/generic/${shopId}`, {
    method: 'POST',
    body: signed.body,
    headers: signed.headers,
  });
  return res.status;
}

async function order(): Promise<{ status: number; refunds?: unknown[]; version?: number }> {
  const res = await fetch(`${runtime.url}/admin/orders/hot-1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  if (res.status !== 200) return { status: res.status };
  const view = (await res.json()) as { order: { refunds: unknown[]; version: number } };
  return { status: 200, refunds: view.order.refunds, version: view.order.version };
}

describe('many concurrent events on one order through the local runtime', () => {
  beforeAll(async () => {
    runtime = await startLocalRuntime({ dataDir, inMemory: true, port: 0, retryDelaySeconds: 1 });
    const now = new Date().toISOString();
    await runtime.deps.shops.put({ shopId }, now);
    await runtime.deps.shops.setConnector(shopId, 'generic', { secret, settings: {} }, now);
    token = await signLocalToken(runtime.jwtKey, { shopId, role: 'staff' });
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lands all sixty refunds: no failure report is lost between overlapping batches', async () => {
    expect(
      await postGeneric('hot-placed', {
        type: 'OrderPlaced',
        orderId: 'hot-1',
        occurredAt: '2026-11-20T08:00:00Z',
        order: { number: 'HOT-1', currency: 'CNY', totals: { total: 600_000 } },
      }),
    ).toBe(202);
    const ids = Array.from({ length: 60 }, (_, i) => i + 1);
    const statuses = await Promise.all(
      ids.map((i) =>
        postGeneric(`hot-refund-${i}`, {
          type: 'OrderRefunded',
          orderId: 'hot-1',
          occurredAt: new Date(Date.UTC(2026, 10, 21, 8, 0, i)).toISOString(),
          refundId: `r-${i}`,
          amount: 100,
          currency: 'CNY',
        }),
      ),
    );
    expect(statuses.every((s) => s === 202)).toBe(true);

    const deadline = Date.now() + 90_000;
    let seen = await order();
    while (Date.now() < deadline && (seen.refunds?.length ?? 0) < ids.length) {
      await new Promise((r) => setTimeout(r, 500));
      seen = await order();
    }
    expect(seen.refunds).toHaveLength(ids.length);
    expect(seen.version).toBe(1 + ids.length);
  }, 120_000);
});
