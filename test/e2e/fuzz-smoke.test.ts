import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');

/** The rows of the printed table: class, then the five counts, then violations. */
function rows(output: string): Array<{ cls: string; probes: number; violations: number }> {
  return output
    .split('\n')
    .map((line) => /^(.+?)\s{2,}(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)$/.exec(line))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ cls: m[1]!.trim(), probes: Number(m[2]), violations: Number(m[7]) }));
}

describe('npm run fuzz:security (FUZZ_QUICK=1)', () => {
  it('runs every class of hostile request, with no violation and nothing logged that must not be', async () => {
    // The smoke as CI runs it: the quick mode of the same command, in its own process (it starts
    // its own runtime), which exits 1 on any violation.
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', join(root, 'test', 'fuzz', 'security.ts')],
      { cwd: root, env: { ...process.env, FUZZ_QUICK: '1' }, maxBuffer: 16 * 1024 * 1024 },
    ).catch((err: { stdout?: string; code?: number }) => {
      throw new Error(`fuzz:security exited ${err.code}:\n${err.stdout ?? ''}`);
    });
    const table = rows(stdout);
    for (const cls of [
      'webhook: tampered body',
      'admin: another shop’s token',
      'portal: another shop’s or case’s token',
      'portal: lookup or return on another shop',
      'ids: path',
      'ids: body and query',
      'host: malformed or forged Host',
      'client gone mid-body',
      'clients stalling, 10 at once (held 3 s)',
    ])
      expect(table.find((r) => r.cls === cls)?.probes, `${cls} in:\n${stdout}`).toBeGreaterThan(0);
    expect(table.every((r) => r.violations === 0)).toBe(true);
    expect(stdout).toMatch(
      /log scan: \d+ lines[^\n]*\n\s+raw emails 0, phone numbers 0, secrets 0, tokens 0/,
    );
    expect(stdout).toContain('no violations');
    // Generous: 1.5 to 2.5 minutes measured here, with the two cores shared.
  }, 420_000);
});
