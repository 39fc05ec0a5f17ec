/*
 * Small in-memory rate gates for one function instance. They only thin out work that floods can
 * cause (forged webhooks): a cold start or a second instance starts afresh, which is harmless.
 */

/** True at most once per `intervalMs` per key. */
export function onceEvery(intervalMs: number, maxKeys = 1000) {
  const last = new Map<string, number>();
  return {
    allows(key: string, now = Date.now()): boolean {
      const at = last.get(key);
      if (at !== undefined && now - at < intervalMs) return false;
      last.delete(key);
      if (last.size >= maxKeys) last.delete(last.keys().next().value as string);
      last.set(key, now);
      return true;
    },
  };
}

/**
 * A log line at most once per `intervalMs` per key, for events that can come in floods (forged
 * webhooks): `note(key, log)` calls `log` with how many were left unlogged since the last line.
 */
export function sampledLog(intervalMs: number, maxKeys = 1000) {
  const seen = new Map<string, { at: number; suppressed: number }>();
  return {
    note(key: string, log: (suppressed: number) => void, now = Date.now()): void {
      const entry = seen.get(key);
      if (entry && now - entry.at < intervalMs) {
        entry.suppressed++;
        return;
      }
      seen.delete(key);
      if (seen.size >= maxKeys) seen.delete(seen.keys().next().value as string);
      seen.set(key, { at: now, suppressed: 0 });
      log(entry?.suppressed ?? 0);
    },
  };
}
