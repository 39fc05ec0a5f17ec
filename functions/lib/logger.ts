import { Logger } from '@aws-lambda-powertools/logger';

/**
 * One structured logger. Contact details never reach it: the core masks email and phone before
 * anything is logged, and webhook bodies and secrets are never logged at all.
 */
export const logger = new Logger({
  serviceName: 'aftersale',
  logLevel: (process.env.LOG_LEVEL as 'INFO' | undefined) ?? 'INFO',
});

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
