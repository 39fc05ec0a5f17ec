import type { ScheduleSpec } from '../topology.ts';
import { invoke } from './lambda.ts';

/** Fires each schedule on its interval, like an EventBridge rule; a run never overlaps itself. */
export function startSchedules(
  specs: ScheduleSpec[],
  options: { intervalMsFor?: (spec: ScheduleSpec) => number; onError?: (err: unknown) => void } = {},
): { stop(): Promise<void> } {
  const inFlight = new Set<Promise<unknown>>();
  const timers = specs.map((spec) => {
    let busy = false;
    const fire = () => {
      if (busy) return;
      busy = true;
      const run = invoke(spec.function, {
        version: '0',
        id: crypto.randomUUID(),
        'detail-type': 'Scheduled Event',
        source: 'aws.events',
        time: new Date().toISOString(),
        resources: [`local:rule/${spec.name}`],
        detail: {},
      })
        .catch((err) => options.onError?.(err))
        .finally(() => {
          busy = false;
          inFlight.delete(run);
        });
      inFlight.add(run);
    };
    return setInterval(fire, options.intervalMsFor?.(spec) ?? spec.everyMinutes * 60_000);
  });
  return {
    stop: async () => {
      for (const t of timers) clearInterval(t);
      await Promise.all(inFlight);
    },
  };
}
