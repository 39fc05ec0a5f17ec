import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { settingsOf } from '../../functions/app/settings.ts';
import type { ShopSettings } from '../../functions/core/engine/types.ts';
import { FAULTS_ENV } from '../../infra/local/faults.ts';
import { freePort } from '../../infra/local/ports.ts';
import { signers } from '../../infra/local/signers.ts';
import {
  localCustomerKey,
  localJwtKey,
  localSecretsKey,
  type RuntimeInfo,
  readRuntimeInfo,
} from '../../infra/local/state.ts';
import { functions } from '../../infra/topology.ts';
import { ShopInput } from '../../schemas/shop.ts';
import { printTable } from '../bench/table.ts';
import { countByKind, LEAK_KINDS, scanLogs } from '../support/log-scan.ts';
import { RuntimeChild } from './child.ts';
import { buildOrder, poisonFor, rng, type SoakOrder, shuffle, type Webhook } from './lifecycle.ts';
import { type Expected, replayOrder } from './replay.ts';
import { deadLetterBodies, mainQueues, queueDepths, type Snapshot, scanShop } from './table-scan.ts';

/*
 * `npm run soak`: SOAK_ORDERS orders (default 1,000) through the local runtime in a child process,
 * with duplicated, shuffled and poison deliveries, faults injected into the queue workers
 * (infra/local/faults.ts), one kill -9 of the runtime midway and a restart on the same data. Once
 * the queues drain it checks every order against its in-order replay through the pure core, one
 * notice per milestone, every delivery accounted for; then, faults off, it redrives the DLQs with
 * the CLI, drains again and checks it all once more. It scans the runtime's logs for contact
 * details, secrets and tokens, and the production bundles for the fault module. Exits 1 on any
 * violation. SOAK_QUICK=1: the smoke mode (12 orders, killed between two drained halves, shorter visibility
 * timeout, worker bundles only).
 */

const QUICK = process.env.SOAK_QUICK === '1';
const ORDERS = Number(process.env.SOAK_ORDERS ?? (QUICK ? 12 : 1000));
const SEED = Number(process.env.SOAK_SEED ?? 13);
const FAULTS = process.env.SOAK_FAULTS ?? `throw:0.2,delay:0.1:1000-3000,seed:${SEED}`;
const SENDERS = Number(process.env.SOAK_SENDERS ?? 8);
const DUPLICATE_SHARE = 0.2;
const POISON_SHARE = 0.01;
/** Smoke mode shortens the queues' visibility timeout so messages in flight at the kill return in time. */
const VISIBILITY_SECONDS = process.env.SOAK_VISIBILITY_SECONDS
  ? Number(process.env.SOAK_VISIBILITY_SECONDS)
  : QUICK
    ? 20
    : undefined;
const DRAIN_TIMEOUT_MS = Number(process.env.SOAK_DRAIN_TIMEOUT_S ?? (QUICK ? 120 : 1800)) * 1000;
/** How long send-notice.ts takes a `sending` notice for an attempt still in progress. */
const IN_FLIGHT_MS = 5 * 60_000;
const WORKER_BUNDLES = ['process-event', 'send-notification', 'deliver-outbound', 'sweep-timers'];

const SHOP = 'soak-shop';
const SECRETS = { shopify: 'soak-shopify-secret-7c41e9d2', aftership: 'soak-aftership-secret-3b90f5aa' };
const root = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const violations: string[] = [];
const violation = (what: string) => violations.push(what);
const startedAt = Date.now();
const elapsed = () => `${((Date.now() - startedAt) / 1000).toFixed(0)} s`;
const say = (line: string) => console.log(`[soak ${elapsed()}] ${line}`);

interface Sent {
  webhook: Webhook;
  statuses: number[];
  inboxId?: string;
  duplicate: 'none' | 'sequential' | 'concurrent';
}

// ---------------------------------------------------------------------------------------------
// Sending

function sign(w: Webhook): { body: Buffer; headers: Record<string, string> } {
  return w.provider === 'shopify'
    ? signers.shopify!(w.body, { secret: SECRETS.shopify, topic: w.topic!, eventId: w.eventId! })
    : signers.aftership!(w.body, { secret: SECRETS.aftership });
}

/**
 * Posts until the runtime answers with a status that is not a 5xx, as a provider retries (the
 * runtime may be down for its restart): connection errors and 5xx are retried for up to 3 minutes.
 */
async function post(
  child: RuntimeChild,
  w: Webhook,
  sent: Sent,
  counters: { retried: number },
): Promise<void> {
  const { body, headers } = sign(w);
  const deadline = Date.now() + 180_000;
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${child.url}/webhooks/${w.provider}/${SHOP}`, {
        method: 'POST',
        body,
        headers,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status < 500) {
        sent.statuses.push(res.status);
        const inboxId = (JSON.parse(text || '{}') as { inboxId?: string }).inboxId;
        if (inboxId) sent.inboxId ??= inboxId;
        return;
      }
    } catch {
      // down (the kill) or reset mid-request: the provider sends it again
    }
    counters.retried++;
    if (Date.now() > deadline) {
      sent.statuses.push(0);
      return;
    }
    await new Promise((r) => setTimeout(r, Math.min(2000, 200 * 2 ** Math.min(attempt, 4))));
  }
}

// ---------------------------------------------------------------------------------------------
// Waiting for the queues

async function drain(dataDir: string, label: string): Promise<{ ms: number; info: RuntimeInfo }> {
  const started = Date.now();
  let quiet = 0;
  let lastReport = 0;
  for (;;) {
    const info = readRuntimeInfo(dataDir);
    if (!info) throw new Error('the runtime is not running');
    const depths = await queueDepths(info);
    const busy = mainQueues(depths).reduce((n, [, d]) => n + d.visible + d.inFlight + d.delayed, 0);
    quiet = busy === 0 ? quiet + 1 : 0;
    // Three quiet looks 2 s apart: nothing waiting, in flight or coming back for a retry.
    if (quiet >= 3) return { ms: Date.now() - started, info };
    if (Date.now() - started > DRAIN_TIMEOUT_MS) {
      violation(
        `${label}: the queues did not drain within ${DRAIN_TIMEOUT_MS / 1000} s (${JSON.stringify(depths)})`,
      );
      return { ms: Date.now() - started, info };
    }
    if (Date.now() - lastReport > 15_000) {
      lastReport = Date.now();
      say(
        `${label}: draining… ${mainQueues(depths)
          .map(([q, d]) => `${q} ${d.visible}+${d.inFlight}${d.delayed ? `+${d.delayed}` : ''}`)
          .join(', ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 2000));
  }
}

// ---------------------------------------------------------------------------------------------
// Checks

/** Fields that record how the events arrived, not what they say: they differ between orders of arrival. */
const ARRIVAL_FIELDS = new Set(['milestonesNotified']);

function normalize(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(normalize);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k, v]) => !ARRIVAL_FIELDS.has(k) && v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, normalize(v)]),
    );
  }
  return value;
}

/** The first few paths where two states differ. */
function differences(a: unknown, b: unknown, path = '', out: string[] = []): string[] {
  if (out.length >= 4) return out;
  if (JSON.stringify(a) === JSON.stringify(b)) return out;
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys)
      differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
    return out;
  }
  out.push(
    `${path || '(root)'}: got ${JSON.stringify(a)?.slice(0, 80)}, expected ${JSON.stringify(b)?.slice(0, 80)}`,
  );
  return out;
}

interface Accounting {
  distinct: number;
  processed: number;
  failed: number;
  ignored: number;
  received: number;
  missing: number;
  poisonFailed: number;
  poisonTotal: number;
  wrong: string[];
}

function account(sent: Sent[], snapshot: Snapshot): Accounting {
  const byId = new Map(snapshot.inbox.map((i) => [i.inboxId, i]));
  const distinct = new Map<string, Sent>();
  for (const s of sent) if (s.inboxId) distinct.set(s.inboxId, s);
  const a: Accounting = {
    distinct: distinct.size,
    processed: 0,
    failed: 0,
    ignored: 0,
    received: 0,
    missing: 0,
    poisonFailed: 0,
    poisonTotal: 0,
    wrong: [],
  };
  for (const [inboxId, s] of distinct) {
    const item = byId.get(inboxId);
    const what = `order ${s.webhook.order} step ${s.webhook.step} (${s.webhook.provider} ${s.webhook.topic ?? ''}, inbox ${inboxId})`;
    if (s.webhook.poison) a.poisonTotal++;
    if (!item) {
      a.missing++;
      a.wrong.push(`${what}: no inbox item`);
      continue;
    }
    if (item.status === 'processed') a.processed++;
    else if (item.status === 'failed') a.failed++;
    else if (item.status === 'ignored') a.ignored++;
    else a.received++;
    if (s.webhook.poison) {
      if (item.status === 'failed' && item.error) a.poisonFailed++;
      else a.wrong.push(`${what}: poison payload is ${item.status}, not failed with a reason`);
    } else if (item.status === 'failed' || item.status === 'ignored') {
      a.wrong.push(`${what}: ${item.status}: ${item.error ?? '(no reason)'}`);
    }
  }
  return a;
}

interface NoticeCheck {
  rows: string[][];
  problems: string[];
  statuses: Map<string, number>;
}

/**
 * Per order: every notice the in-order replay planned for a milestone the order reached, at most
 * once, none it did not plan; the last milestone of each kind (confirmed, delivered, refunded) exactly
 * once. `shipped` and `out_for_delivery` may rightly be skipped when a later milestone arrived
 * first (functions/core/tracking/milestones.ts: only what is true now is announced). Every notice
 * recorded `sent` has exactly one outbox entry.
 */
function checkNotices(
  orders: SoakOrder[],
  expected: Map<number, Expected>,
  snapshot: Snapshot,
  killedAt: string | undefined,
): NoticeCheck {
  const skippable = new Set(['shipment.shipped', 'shipment.out_for_delivery']);
  const byId = new Map(snapshot.notices.map((n) => [n.id, n]));
  const outbox = new Map<string, number>();
  for (const id of snapshot.outbox) outbox.set(id, (outbox.get(id) ?? 0) + 1);
  const perTemplate = new Map<
    string,
    { planned: number; recorded: number; skipped: number; missing: number; extra: number }
  >();
  const row = (t: string) => {
    let r = perTemplate.get(t);
    if (!r) {
      r = { planned: 0, recorded: 0, skipped: 0, missing: 0, extra: 0 };
      perTemplate.set(t, r);
    }
    return r;
  };
  const problems: string[] = [];
  const statuses = new Map<string, number>();
  const claimed = new Set<string>();
  for (const order of orders) {
    const exp = expected.get(order.index)!;
    for (const [id, { template }] of exp.notices) {
      const r = row(template);
      r.planned++;
      const got = byId.get(id);
      if (got) {
        r.recorded++;
        claimed.add(id);
      } else if (skippable.has(template)) r.skipped++;
      else {
        r.missing++;
        problems.push(`order ${order.index}: no ${template} notice (${id})`);
      }
    }
  }
  for (const n of snapshot.notices) {
    const entries = outbox.get(n.id) ?? 0;
    // `unconfirmed` split by whether the message went out after all (the outbox has it).
    const label =
      n.status === 'unconfirmed' ? `unconfirmed (${entries ? 'went out' : 'never went out'})` : n.status;
    statuses.set(label, (statuses.get(label) ?? 0) + 1);
    if (!claimed.has(n.id)) {
      row(n.template).extra++;
      problems.push(
        `notice ${n.id} (${n.template}, order ${n.orderId ?? '?'}) was not planned by the in-order replay`,
      );
    }
    if (n.status === 'sent' && entries !== 1)
      problems.push(`notice ${n.id} (${n.template}) is sent with ${entries} outbox entries`);
    if (entries > 1) problems.push(`notice ${n.id} (${n.template}) went out ${entries} times`);
    // A notice whose attempt the kill cut short is settled `unconfirmed`, never sent again
    // (send-notice.ts): right, if its attempt began before the kill.
    const cutShort = n.status === 'unconfirmed' && killedAt && n.startedAt && n.startedAt <= killedAt;
    if (n.status !== 'sent' && n.status !== 'suppressed' && !cutShort)
      problems.push(
        `notice ${n.id} (${n.template}) is ${n.status}${n.reason ? `: ${n.reason}` : ''} (${entries} outbox entries)`,
      );
  }
  // Templates per order, counted from the log: one milestone, one notice.
  const perOrder = new Map<string, Map<string, number>>();
  for (const n of snapshot.notices) {
    const key = n.orderId ?? '?';
    const m = perOrder.get(key) ?? new Map<string, number>();
    m.set(n.template, (m.get(n.template) ?? 0) + 1);
    perOrder.set(key, m);
  }
  for (const [orderId, m] of perOrder)
    for (const [template, count] of m)
      if (count > 1) problems.push(`order ${orderId}: ${count} ${template} notices`);
  const rows = [...perTemplate.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([t, r]) => [
      t,
      String(r.planned),
      String(r.recorded),
      String(r.skipped),
      String(r.missing),
      String(r.extra),
    ]);
  return { rows, problems, statuses };
}

function checkStates(
  expected: Map<number, Expected>,
  snapshot: Snapshot,
): { compared: number; equal: number; problems: string[] } {
  let compared = 0;
  let equal = 0;
  const problems: string[] = [];
  const wanted = new Set<string>();
  for (const [index, exp] of expected) {
    for (const [key, state] of exp.states) {
      wanted.add(key);
      compared++;
      const got = snapshot.aggregates.get(key);
      if (got === undefined) {
        problems.push(`order ${index}: ${key} is missing`);
        continue;
      }
      const diff = differences(normalize(got), normalize(state));
      if (diff.length === 0) equal++;
      else problems.push(`order ${index}: ${key} differs from its in-order replay: ${diff.join('; ')}`);
    }
  }
  for (const key of snapshot.aggregates.keys())
    if (!wanted.has(key)) problems.push(`${key} exists but the in-order replay made no such aggregate`);
  return { compared, equal, problems };
}

// ---------------------------------------------------------------------------------------------
// The production bundles must not contain the fault layer

async function checkBundles(): Promise<string[][]> {
  const names =
    QUICK || process.env.SOAK_BUNDLES === 'workers' ? WORKER_BUNDLES : functions.map((f) => f.name);
  const out = mkdtempSync(join(tmpdir(), 'aftersale-soak-bundles-'));
  try {
    await run(process.execPath, ['--import', 'tsx', join(root, 'test', 'bench', 'build-bundles.ts'), out], {
      cwd: root,
      env: { ...process.env, BENCH_FUNCTIONS: names.join(',') },
      maxBuffer: 64 * 1024 * 1024,
    });
    const built = JSON.parse(readFileSync(join(out, 'bundles.json'), 'utf8')) as Array<{
      name: string;
      file: string;
      metafile: string;
    }>;
    return built.map((b) => {
      const code = readFileSync(b.file, 'utf8');
      const meta = JSON.parse(readFileSync(b.metafile, 'utf8')) as { inputs: Record<string, unknown> };
      const localInputs = Object.keys(meta.inputs).filter((p) => p.includes('infra/local/'));
      const envHits = code.split(FAULTS_ENV).length - 1;
      const markerHits = code.split('injected fault').length - 1;
      const ok = envHits === 0 && markerHits === 0 && localInputs.length === 0;
      if (!ok)
        violation(
          `bundle ${b.name}: ${FAULTS_ENV} ×${envHits}, "injected fault" ×${markerHits}, infra/local inputs ${localInputs.join(', ') || 'none'}`,
        );
      return [
        b.name,
        `${(code.length / 1024).toFixed(0)} KB`,
        String(envHits),
        String(markerHits),
        String(localInputs.length),
        ok ? 'absent' : 'PRESENT',
      ];
    });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

async function cli(dataDir: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [join(root, 'bin', 'aftersale.mjs'), ...args], {
    cwd: root,
    env: { ...originalEnv, AFTERSALE_DATA_DIR: dataDir },
  });
  return stdout.trim();
}

const originalEnv = { ...process.env };

const SHOP_INPUT = {
  shopId: SHOP,
  name: 'Soak Supply Co',
  locale: 'en',
  timezone: 'UTC',
  defaultRegion: 'US',
  // Order and parcel updates let through at night: what is sent does not depend on the hour the
  // soak runs. No payment reminder: its timer would race the shuffled payments.
  notifications: {
    quietHours: { exemptTransactional: true },
    programs: { paymentReminder: { enabled: false } },
  },
} as const;

/**
 * The shop as a user sets it up: the CLI adds it and its two connectors, a manager changes its
 * notification settings through the admin API. Returns the settings the core reads, as the
 * workers derive them from the stored shop (functions/app/settings.ts).
 */
async function setUpShop(dataDir: string, url: string): Promise<{ settings: ShopSettings; token: string }> {
  const i = SHOP_INPUT;
  await cli(
    dataDir,
    'shop',
    'add',
    SHOP,
    '--name',
    i.name,
    '--locale',
    i.locale,
    '--timezone',
    i.timezone,
    '--region',
    i.defaultRegion,
  );
  const [, , token] = await Promise.all([
    cli(dataDir, 'connector', 'set', SHOP, 'shopify', '--secret', SECRETS.shopify),
    cli(dataDir, 'connector', 'set', SHOP, 'aftership', '--secret', SECRETS.aftership),
    cli(dataDir, 'token', '--shop', SHOP, '--role', 'manager'),
  ]);
  const res = await fetch(`${url}/admin/settings`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ notifications: i.notifications }),
  });
  if (!res.ok) throw new Error(`PUT /admin/settings answered ${res.status}: ${await res.text()}`);
  const settings = settingsOf(ShopInput.parse(i));
  return { settings, token };
}

function countLines(text: string, pattern: RegExp): number {
  return text.split('\n').filter((l) => pattern.test(l)).length;
}

async function main(): Promise<void> {
  const dataDir = process.env.SOAK_DATA_DIR ?? mkdtempSync(join(tmpdir(), 'aftersale-soak-'));
  mkdirSync(dataDir, { recursive: true });
  const logFile = process.env.SOAK_LOG ?? join(dataDir, 'runtime.log');
  const port = await freePort();
  const random = rng(SEED);
  say(
    `${ORDERS} orders, seed ${SEED}, faults ${FAULTS}, ${SENDERS} senders, ${cpus().length} CPUs; data ${dataDir}; log ${logFile}`,
  );

  // 1. the orders, their duplicates, shuffles and poison
  const startMs = Date.now() - 2 * 3_600_000;
  const orders = Array.from({ length: ORDERS }, (_, n) => buildOrder(n, startMs, random));
  const webhookCount = orders.reduce((n, o) => n + o.webhooks.length, 0);
  const poisonCount = Math.max(1, Math.round(webhookCount * POISON_SHARE));
  for (let k = 0; k < poisonCount; k++) {
    const order = orders[Math.floor(random() * orders.length)]!;
    order.webhooks.push(poisonFor(order.index, k));
  }
  const plans = orders.map((o) =>
    shuffle(o.webhooks, random).map((w) => {
      const r = random();
      const duplicate: Sent['duplicate'] =
        r < DUPLICATE_SHARE / 2 ? 'sequential' : r < DUPLICATE_SHARE ? 'concurrent' : 'none';
      return { webhook: w, statuses: [], duplicate } as Sent;
    }),
  );
  const deliveries = plans.flat();
  const totalPosts = deliveries.reduce((n, s) => n + (s.duplicate === 'none' ? 1 : 2), 0);

  const child = new RuntimeChild({
    dataDir,
    port,
    logFile,
    env: originalEnv,
    retrySeconds: 2,
    ...(VISIBILITY_SECONDS && { visibilitySeconds: VISIBILITY_SECONDS }),
  });
  // Stopped from outside (Ctrl-C, a test's timeout): the runtime child and its Java go too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      say(`${signal}: stopping the runtime child`);
      void child.close().finally(() => process.exit(130));
    });
  const timings: string[][] = [];
  try {
    timings.push(['runtime start (faults on)', `${await child.start(FAULTS)} ms`]);
    const { settings: shop, token: adminToken } = await setUpShop(dataDir, child.url);

    // 2. send, killing the runtime once halfway
    let posted = 0;
    let killed = false;
    let killedAt: string | undefined;
    let restartMs = 0;
    const counters = { retried: 0 };
    let restarting: Promise<void> | undefined;
    const killAndRestart = async () => {
      say(`kill -9 of the runtime after ${posted} of ${totalPosts} posts`);
      killedAt = new Date().toISOString();
      await child.kill9();
      await new Promise((r) => setTimeout(r, 1000));
      restartMs = await child.start(FAULTS);
      say(`runtime restarted on the same data in ${restartMs} ms`);
    };
    // Full mode kills at half the posts, whatever is in flight. Smoke mode sends half the orders,
    // lets them drain, then kills: a notice cut short mid-send waits out a 5-minute in-flight
    // window before it is settled (below), longer than a smoke run.
    const afterPost = () => {
      posted++;
      if (!QUICK && !killed && posted >= totalPosts / 2) {
        killed = true;
        restarting = killAndRestart();
      }
    };
    const sendStarted = Date.now();
    const send = async (batch: Sent[][]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: SENDERS }, async () => {
          while (next < batch.length) {
            const plan = batch[next++]!;
            for (const s of plan) {
              if (s.duplicate === 'concurrent') {
                await Promise.all([post(child, s.webhook, s, counters), post(child, s.webhook, s, counters)]);
                afterPost();
                afterPost();
              } else {
                await post(child, s.webhook, s, counters);
                afterPost();
                if (s.duplicate === 'sequential') {
                  await post(child, s.webhook, s, counters);
                  afterPost();
                }
              }
            }
          }
        }),
      );
    };
    if (QUICK) {
      const half = Math.ceil(plans.length / 2);
      await send(plans.slice(0, half));
      await drain(dataDir, 'before the kill');
      killed = true;
      await killAndRestart();
      await send(plans.slice(half));
    } else {
      await send(plans);
    }
    await restarting;
    const sendMs = Date.now() - sendStarted;
    timings.push(['posting (with the kill and restart)', `${(sendMs / 1000).toFixed(1)} s`]);
    timings.push(['restart after kill -9', `${restartMs} ms`]);
    say(
      `posted ${posted} requests in ${(sendMs / 1000).toFixed(1)} s (${counters.retried} retried while down or failing)`,
    );

    const answers = new Map<number, number>();
    for (const s of deliveries) for (const st of s.statuses) answers.set(st, (answers.get(st) ?? 0) + 1);
    for (const s of deliveries)
      if (!s.statuses.every((st) => st === 200 || st === 202) || !s.inboxId)
        violation(`order ${s.webhook.order} step ${s.webhook.step}: answered ${s.statuses.join(', ')}`);

    // The bundles build while the queues drain (smoke mode waits out the visibility timeout there).
    say('building the production bundles to look for the fault layer…');
    const bundles = checkBundles();
    bundles.catch(() => undefined);

    // 3. expected outcome, in order, through the pure core
    const now = new Date().toISOString();
    const expected = new Map(orders.map((o) => [o.index, replayOrder(o, shop, now)]));

    // 4. drain with faults on, account for everything
    const first = await drain(dataDir, 'faults on');
    timings.push(['drain (faults on)', `${(first.ms / 1000).toFixed(1)} s`]);
    const before = await scanShop(first.info, SHOP);
    const beforeAccount = account(deliveries, before);
    const depthsBefore = await queueDepths(first.info);
    const dlqBodies = await deadLetterBodies(first.info, 'inbound');
    const inDlq = new Set(
      dlqBodies.map((b) => (JSON.parse(b) as { inboxId?: string }).inboxId).filter(Boolean),
    );
    const strandedWithoutDlq = before.inbox.filter((i) => i.status === 'received' && !inDlq.has(i.inboxId));
    for (const i of strandedWithoutDlq)
      violation(
        `faults on: inbox ${i.inboxId} is still received and its message is in no queue or DLQ (lost)`,
      );
    const statesBefore = checkStates(expected, before);

    // 5. faults off: restart cleanly, redrive the DLQs through the CLI, drain, check again.
    // A notice the kill cut short stays `sending`; a delivery within 5 minutes of its start takes
    // it for a concurrent attempt and backs off (1 min, then 5 min on Lambda; 2 s here, so it may
    // reach the DLQ), a later one settles it `unconfirmed`. Redriven before that, it would only go
    // back to the DLQ: wait the window out, as the production backoff does.
    const cutShort = before.notices.filter((n) => n.status === 'sending');
    const lastStart = cutShort
      .map((n) => n.startedAt ?? '')
      .sort()
      .at(-1);
    let waitedMs = 0;
    if (lastStart) {
      waitedMs = Math.max(0, Date.parse(lastStart) + IN_FLIGHT_MS + 10_000 - Date.now());
      say(
        `${cutShort.length} notice(s) left sending by the kill: waiting ${(waitedMs / 1000).toFixed(0)} s for their in-flight window to pass`,
      );
      await new Promise((r) => setTimeout(r, waitedMs));
    }
    timings.push(['wait for cut-short notices (in-flight window)', `${(waitedMs / 1000).toFixed(0)} s`]);
    await child.faultsOff();
    const redriven = await cli(dataDir, 'dlq', 'redrive');
    say(`aftersale dlq redrive:\n${redriven.replace(/^/gm, '    ')}`);
    const second = await drain(dataDir, 'after redrive');
    timings.push(['drain (after redrive, faults off)', `${(second.ms / 1000).toFixed(1)} s`]);
    const dlqList = await cli(dataDir, 'dlq', 'list');
    const after = await scanShop(second.info, SHOP);
    const depthsAfter = await queueDepths(second.info);
    const afterAccount = account(deliveries, after);
    const states = checkStates(expected, after);
    const notices = checkNotices(orders, expected, after, killedAt);

    for (const w of afterAccount.wrong) violation(`after redrive: ${w}`);
    if (afterAccount.received)
      violation(`after redrive: ${afterAccount.received} inbox item(s) still received`);
    for (const p of states.problems) violation(p);
    for (const p of notices.problems) violation(p);
    for (const [q, d] of Object.entries(depthsAfter))
      if (d.visible + d.inFlight + d.delayed > 0)
        violation(`after redrive: ${q} holds ${d.visible + d.inFlight + d.delayed} message(s)`);

    await child.stop();

    // 6. the logs
    const logText = readFileSync(logFile, 'utf8');
    const findings = scanLogs(logText, {
      emails: orders.map((o) => o.email),
      phones: orders.map((o) => o.phone),
      secrets: [
        ...Object.values(SECRETS),
        localSecretsKey(dataDir),
        localJwtKey(dataDir),
        localCustomerKey(dataDir),
      ],
      tokens: [adminToken],
    });
    const counts = countByKind(findings);
    const afterFaultsOff = logText.slice(logText.lastIndexOf('\nfaults off\n'));
    if (/^\[faults\]/m.test(afterFaultsOff))
      violation('a fault was injected after the faults were switched off');
    // The scanner itself must see a planted value, or a clean scan proves nothing.
    const canary = scanLogs(`{"level":"INFO","to":"${orders[0]!.email}","phone":"${orders[0]!.phone}"}`, {
      emails: [orders[0]!.email],
      phones: [orders[0]!.phone],
    });
    if (canary.length !== 2)
      violation(`the log scanner missed a planted email and phone (${canary.length} finding(s))`);
    for (const f of findings.slice(0, 20))
      violation(`log line ${f.line}: raw ${f.kind} (${f.rule}) ${f.excerpt}`);
    if (findings.length > 20) violation(`… and ${findings.length - 20} more log findings`);

    // 7. the bundles
    const bundleRows = await bundles;

    // ---- the report
    const expectedTimers = [...expected.values()].reduce((n, e) => n + e.timers, 0);
    const earliestTimer = [...expected.values()]
      .map((e) => e.earliestTimer)
      .filter(Boolean)
      .sort()[0];
    printTable(
      'Load',
      ['what', 'count'],
      [
        ['orders', String(ORDERS)],
        ['distinct webhooks (lifecycle)', String(webhookCount)],
        ['poison webhooks (signed, unparseable/invalid)', String(poisonCount)],
        [
          'deliveries duplicated sequentially',
          String(deliveries.filter((d) => d.duplicate === 'sequential').length),
        ],
        [
          'deliveries duplicated concurrently',
          String(deliveries.filter((d) => d.duplicate === 'concurrent').length),
        ],
        ['HTTP posts', String(posted)],
        ['posts retried (runtime down / 5xx)', String(counters.retried)],
        ...[...answers.entries()].sort().map(([st, n]) => [`answers ${st}`, String(n)]),
        ['kill -9 of the runtime', killed ? '1' : '0'],
      ],
    );
    printTable(
      'Faults injected (from the runtime log)',
      ['fault', 'count'],
      [
        ['throw before the handler', String(countLines(logText, /^\[faults\] throw .* before$/))],
        ['throw after the handler', String(countLines(logText, /^\[faults\] throw .* after$/))],
        ['delay 1–3 s', String(countLines(logText, /^\[faults\] delay /))],
      ],
    );
    printTable('Timings', ['phase', 'time'], timings);
    const dlqRow = (d: typeof depthsBefore) =>
      ['inbound-dlq', 'notifications-dlq', 'outbound-dlq'].map((q) =>
        String((d[q]?.visible ?? 0) + (d[q]?.inFlight ?? 0)),
      );
    printTable(
      'Accounting (every delivery: applied, or failed with its reason, or in the DLQ)',
      ['', 'faults on', 'after redrive'],
      [
        [
          'distinct deliveries (inbox items expected)',
          String(beforeAccount.distinct),
          String(afterAccount.distinct),
        ],
        ['inbox processed', String(beforeAccount.processed), String(afterAccount.processed)],
        ['inbox failed (with a reason)', String(beforeAccount.failed), String(afterAccount.failed)],
        [
          '  of which poison',
          `${beforeAccount.poisonFailed}/${beforeAccount.poisonTotal}`,
          `${afterAccount.poisonFailed}/${afterAccount.poisonTotal}`,
        ],
        ['inbox ignored', String(beforeAccount.ignored), String(afterAccount.ignored)],
        ['inbox still received', String(beforeAccount.received), String(afterAccount.received)],
        [
          '  of which its message is in the DLQ',
          String(before.inbox.filter((i) => i.status === 'received' && inDlq.has(i.inboxId)).length),
          '-',
        ],
        [
          'lost (no inbox item, or received and in no queue)',
          String(beforeAccount.missing + strandedWithoutDlq.length),
          String(afterAccount.missing + afterAccount.received),
        ],
        [
          'DLQ depth inbound / notifications / outbound',
          dlqRow(depthsBefore).join(' / '),
          dlqRow(depthsAfter).join(' / '),
        ],
      ],
    );
    printTable(
      'Final state vs in-order replay (pure core)',
      ['', 'faults on', 'after redrive'],
      [
        ['aggregates compared', String(statesBefore.compared), String(states.compared)],
        ['equal', String(statesBefore.equal), String(states.equal)],
        ['different, missing or extra', String(statesBefore.problems.length), String(states.problems.length)],
        ['timers planned (none due in the run)', String(expectedTimers), `earliest ${earliestTimer ?? '-'}`],
      ],
    );
    printTable(
      'Notices (after redrive)',
      ['template', 'in-order', 'recorded', 'rightly skipped', 'missing', 'unplanned'],
      notices.rows,
    );
    printTable(
      'Notice statuses',
      ['status', 'count'],
      [
        ...[...notices.statuses.entries()].sort().map(([s, n]) => [s, String(n)]),
        ['(left sending by the kill, before the redrive)', String(cutShort.length)],
      ],
    );
    printTable(
      'Log scan (runtime stdout+stderr)',
      ['kind', 'findings'],
      [
        ...LEAK_KINDS.map((k) => [k, String(counts[k])]),
        ['lines scanned', String(logText.split('\n').length)],
      ],
    );
    printTable(
      `Production bundles (${QUICK || process.env.SOAK_BUNDLES === 'workers' ? 'the four workers' : 'every function'}) — the fault layer must be absent`,
      ['bundle', 'size', FAULTS_ENV, '"injected fault"', 'infra/local inputs', 'fault layer'],
      bundleRows,
    );
    console.log(`\ndlq list after redrive:\n${dlqList.replace(/^/gm, '    ')}`);
  } finally {
    await child.close().catch(() => undefined);
  }

  console.log(
    `\n${violations.length === 0 ? 'PASS' : 'FAIL'}: ${violations.length} violation(s) in ${elapsed()}`,
  );
  for (const v of violations.slice(0, 60)) console.log(`  - ${v}`);
  if (violations.length > 60) console.log(`  … and ${violations.length - 60} more`);
  if (!process.env.SOAK_DATA_DIR && process.env.SOAK_KEEP !== '1')
    rmSync(dataDir, { recursive: true, force: true });
  process.exitCode = violations.length === 0 ? 0 : 1;
}

main().catch((err) => {
  console.error('soak failed:', err);
  process.exit(1);
});
