import type { TrackingProblem } from '../../../schemas/events.ts';

/**
 * A provider's own sub-status codes that mean a problem, as one lookup: codes are matched trimmed and
 * in any case (`Exception_003`, `exception_003`). Each tracking connector keeps its own table, with the
 * provider's documentation for each code; the core only ever sees the canonical word.
 */
export function problemTable(
  table: Record<string, TrackingProblem>,
): (code: string | null | undefined) => TrackingProblem | undefined {
  const byCode = new Map(Object.entries(table).map(([code, problem]) => [code.toLowerCase(), problem]));
  return (code) => (code ? byCode.get(code.trim().toLowerCase()) : undefined);
}
