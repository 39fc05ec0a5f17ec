import type { FunctionName } from '../topology.ts';

/*
 * Fault injection for the local runtime, for the soak (test/soak): queue-worker invocations throw
 * or are slowed, so that retries, redeliveries, the DLQ and the workers' idempotency are exercised
 * for real. Off unless AFTERSALE_FAULTS is set, e.g.
 *
 *   AFTERSALE_FAULTS=throw:0.2,delay:0.1:1000-3000,seed:42
 *
 * - `throw:P`: a share P of invocations throws; half before the handler runs (the message was
 *   never processed), half after it returned (it was, but the ack is lost and SQS delivers it again).
 * - `delay:P:MIN-MAX`: a share P of invocations waits MIN–MAX ms before the handler runs.
 * - `seed:N`: the random sequence (default 1), so a run can be repeated.
 *
 * Only invocations by an SQS event source (a batch of `aws:sqs` records) are touched: HTTP routes and
 * schedules run as usual. This module lives in infra/local, which no function entry imports, so it
 * is absent from the bundles Lambda runs (the soak checks them).
 */

export const FAULTS_ENV = 'AFTERSALE_FAULTS';

export interface FaultSpec {
  throwRate: number;
  delayRate: number;
  delayMs: [number, number];
  seed: number;
}

export class InjectedFaultError extends Error {
  override name = 'InjectedFaultError';
}

/** Reads the spec; undefined when empty. A malformed spec throws: a soak must not run unfaulted by mistake. */
export function parseFaultSpec(text: string | undefined): FaultSpec | undefined {
  if (!text?.trim()) return undefined;
  const spec: FaultSpec = { throwRate: 0, delayRate: 0, delayMs: [1000, 3000], seed: 1 };
  for (const part of text.split(',').map((p) => p.trim())) {
    const [kind, rate, range] = part.split(':');
    if (kind === 'throw') spec.throwRate = share(rate, part);
    else if (kind === 'delay') {
      spec.delayRate = share(rate, part);
      if (range) {
        const [min, max] = range.split('-').map(Number);
        if (!Number.isFinite(min) || !Number.isFinite(max) || min! < 0 || max! < min!)
          throw new Error(`${FAULTS_ENV}: bad delay range in "${part}" (want MIN-MAX ms)`);
        spec.delayMs = [min!, max!];
      }
    } else if (kind === 'seed' && rate && Number.isInteger(Number(rate))) spec.seed = Number(rate);
    else throw new Error(`${FAULTS_ENV}: cannot read "${part}" (want throw:P, delay:P:MIN-MAX, seed:N)`);
  }
  return spec;
}

function share(value: string | undefined, part: string): number {
  const n = Number(value);
  if (!(n >= 0 && n <= 1)) throw new Error(`${FAULTS_ENV}: "${part}" needs a share between 0 and 1`);
  return n;
}

/** mulberry32: small, seedable, good enough to pick which invocations fail (and, in the soak, orders and shuffles). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function isQueueBatch(event: unknown): boolean {
  const records = (event as { Records?: Array<{ eventSource?: unknown }> } | null)?.Records;
  return Array.isArray(records) && records[0]?.eventSource === 'aws:sqs';
}

let active: { text: string; spec: FaultSpec; next: () => number } | undefined;

/** The spec in force, read again when the variable changes (a test may switch faults off). */
function current(): { spec: FaultSpec; next: () => number } | undefined {
  const text = process.env[FAULTS_ENV];
  if (!text) return undefined;
  if (active?.text !== text) {
    const spec = parseFaultSpec(text);
    if (!spec) return undefined;
    active = { text, spec, next: seededRandom(spec.seed) };
  }
  return active;
}

/**
 * Runs `call` (one invocation of `name`), with the configured faults when it is a queue batch.
 * Each injected fault is written to stderr as one `[faults]` line, which the soak counts.
 */
export async function withFaults<T>(name: FunctionName, event: unknown, call: () => Promise<T>): Promise<T> {
  const faults = current();
  if (!faults || !isQueueBatch(event)) return call();
  const { spec, next } = faults;
  if (next() < spec.delayRate) {
    const [min, max] = spec.delayMs;
    const ms = Math.round(min + next() * (max - min));
    console.error(`[faults] delay ${name} ${ms} ms`);
    await new Promise((r) => setTimeout(r, ms));
  }
  const throws = next() < spec.throwRate;
  const after = next() < 0.5;
  if (throws && !after) {
    console.error(`[faults] throw ${name} before`);
    throw new InjectedFaultError(`injected fault: ${name} failed before its handler ran`);
  }
  const result = await call();
  if (throws) {
    console.error(`[faults] throw ${name} after`);
    throw new InjectedFaultError(`injected fault: ${name} failed after its handler returned`);
  }
  return result;
}
