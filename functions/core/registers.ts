import type { Stamp } from '../../schemas/common.ts';
import { sha256 } from '../lib/crypto.ts';

/**
 * Last-writer-wins registers that do not depend on arrival order.
 *
 * A value is stamped with the time it was true (`at`, the provider's time) and a `key` derived from
 * the value itself. The later stamp wins; at the same instant the larger key wins. Because the key
 * depends only on the value, the same set of facts always yields the same winner, and re-sending a
 * value (under any event id, any number of times) can never change it. Breaking ties on the event id
 * instead would let a re-send of the losing value win.
 */
export function stampOf(at: string, value: unknown, prefix = ''): Stamp {
  return { at, key: `${prefix}${digest(value)}` };
}

export function digest(value: unknown): string {
  return sha256(stableJson(value)).slice(0, 16);
}

/** JSON with object keys sorted, so equal values digest equally whatever their key order. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

export function wins(candidate: Stamp, current: Stamp | undefined): boolean {
  if (!current) return true;
  if (candidate.at !== current.at) return candidate.at > current.at;
  return candidate.key > current.key;
}

/**
 * Writes `value` into `stamps[name]`'s register if it wins; returns whether it did. The caller
 * stores the value itself wherever it lives.
 */
export function offer(stamps: Record<string, Stamp>, name: string, stamp: Stamp): boolean {
  if (!wins(stamp, stamps[name])) return false;
  stamps[name] = stamp;
  return true;
}

export function earliest(a: string | undefined, b: string): string {
  return a !== undefined && a < b ? a : b;
}
