import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
let soak: ChildProcess | undefined;

/** `npm run soak` in its smoke mode (SOAK_QUICK=1), as CI runs it: the whole harness, exit code and all. */
function runSoak(): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test', 'soak', 'run.ts')], {
      cwd: root,
      env: { ...process.env, SOAK_QUICK: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    soak = child;
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** The number in a report row `<label>  <n> ...` (the first column after the label). */
function count(out: string, label: string): number {
  const escaped = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped}\\s+(\\d+)`, 'm').exec(out);
  if (!match) throw new Error(`no "${label}" row in the soak's output:\n${out.slice(-3000)}`);
  return Number(match[1]);
}

describe('npm run soak (smoke mode)', () => {
  // A timed-out test leaves the soak running: SIGTERM makes it stop its runtime child and Java.
  afterAll(() => {
    if (soak && soak.exitCode === null) soak.kill('SIGTERM');
  });

  it('survives duplicates, shuffles, poison, faults and a kill -9, and every check passes', async () => {
    const { code, out } = await runSoak();
    expect(out).toMatch(/^PASS: 0 violation\(s\)/m);
    expect(code).toBe(0);

    expect(count(out, 'orders')).toBeGreaterThan(0);
    expect(count(out, 'HTTP posts')).toBeGreaterThan(count(out, 'distinct webhooks (lifecycle)'));
    expect(count(out, 'kill -9 of the runtime')).toBe(1);
    expect(count(out, 'throw before the handler') + count(out, 'throw after the handler')).toBeGreaterThan(0);
    // Both tables list "faults on" first and "after redrive" second: the last counts.
    const compared = /^aggregates compared\s+\d+\s+(\d+)/m.exec(out);
    const equal = /^equal\s+\d+\s+(\d+)/m.exec(out);
    expect(Number(compared?.[1])).toBeGreaterThan(0);
    expect(Number(equal?.[1])).toBe(Number(compared?.[1]));
    const processed = /^inbox processed\s+\d+\s+(\d+)/m.exec(out);
    expect(Number(processed?.[1])).toBeGreaterThan(0);
    expect(out).toMatch(/^lost \(no inbox item, or received and in no queue\)\s+0\s+0$/m);
    expect(count(out, 'order.confirmed')).toBeGreaterThan(0);
    expect(count(out, 'lines scanned')).toBeGreaterThan(0);
    expect(out).toMatch(/^process-event\s+\d+ KB\s+0\s+0\s+0\s+absent$/m);
  }, 300_000);
});
