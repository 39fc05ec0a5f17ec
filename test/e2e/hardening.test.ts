import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamo } from '../../infra/local/dynamodb.ts';
import { type LocalRuntime, startLocalRuntime } from '../../infra/local/runtime.ts';
import { signers } from '../../infra/local/signers.ts';
import type { RuntimeInfo } from '../../infra/local/state.ts';

const root = join(import.meta.dirname, '..', '..');
const secret = 'hardening-secret';

/** Pids of the DynamoDB Local java processes serving `path`, found in /proc (not in our own records). */
function dynamoPidsServing(path: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
        return args.some((a) => a.includes('DynamoDBLocal')) && args[args.indexOf('-dbPath') + 1] === path;
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function eventually<T>(check: () => T | undefined | Promise<T | undefined>, what: string, ms = 15_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await check();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a signed body that is not UTF-8', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'aftersale-hardening-'));
  let runtime: LocalRuntime;

  beforeAll(async () => {
    runtime = await startLocalRuntime({ dataDir, inMemory: true, port: 0 });
    const now = new Date().toISOString();
    await runtime.deps.shops.put({ shopId: 'gbk-shop' }, now);
    await runtime.deps.shops.setConnector('gbk-shop', 'generic', { secret, settings: {} }, now);
  });

  afterAll(async () => {
    await runtime?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('is kept (202), not refused as badly signed: the function sees the bytes that were signed', async () => {
    // {"reason":"退货"} in GBK: the two characters are cd cb and bb f5, not valid UTF-8.
    const body = Buffer.concat([
      Buffer.from('{"reason":"'),
      Buffer.from([0xcd, 0xcb, 0xbb, 0xf5]),
      Buffer.from('"}'),
    ]);
    const { headers } = signers.generic!(body, { secret, eventId: 'gbk-1' });
    const res = await fetch(`${runtime.url}/webhooks/generic/gbk-shop`, {
      method: 'POST',
      body,
      headers: { ...headers, 'content-type': 'application/json; charset=gbk' },
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ accepted: true, inboxId: expect.any(String) });
  });
});

describe('a DynamoDB Local left running by a dead run', () => {
  it('is stopped by the next start on the same data dir, which then works', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aftersale-orphan-'));
    const dbPath = join(dir, 'dynamodb');
    try {
      // A dead run: its Java was started on the data dir and never stopped.
      await startDynamo({ dataDir: dbPath });
      const [orphan, ...others] = dynamoPidsServing(dbPath);
      expect(orphan).toBeDefined();
      expect(others).toEqual([]);

      const runtime = await startLocalRuntime({ dataDir: dir, port: 0 });
      try {
        expect(dynamoPidsServing(dbPath)).not.toContain(orphan);
        expect(dynamoPidsServing(dbPath)).toHaveLength(1);
        expect(Number(readFileSync(join(dbPath, 'dynamodb.pid'), 'utf8'))).toBe(dynamoPidsServing(dbPath)[0]);
        await runtime.deps.shops.put({ shopId: 'orphan-shop' }, new Date().toISOString());
        expect((await fetch(`${runtime.url}/health`)).status).toBe(200);
      } finally {
        await runtime.stop();
      }
      expect(dynamoPidsServing(dbPath)).toEqual([]);
      expect(existsSync(join(dbPath, 'dynamodb.pid'))).toBe(false);
    } finally {
      for (const pid of dynamoPidsServing(dbPath)) process.kill(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('npm start under errors nothing caught', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aftersale-fatal-'));
  const dbPath = join(dir, 'dynamodb');
  let child: ChildProcess;
  let output = '';
  let exit: Promise<number | null>;

  beforeAll(async () => {
    // SIGUSR2 makes the process misbehave: first a rejected promise nobody awaits, then a throw.
    const probe = join(dir, 'probe.mjs');
    writeFileSync(
      probe,
      `let n = 0;
process.on('SIGUSR2', () => {
  if (n++ === 0) Promise.reject(new Error('probe: a promise nobody awaited'));
  else throw new Error('probe: a throw nobody caught');
});
`,
    );
    child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', pathToFileURL(probe).href, join(root, 'infra', 'local', 'main.ts')],
      { cwd: root, env: { ...process.env, AFTERSALE_DATA_DIR: dir, PORT: '0' }, stdio: 'pipe' },
    );
    child.stdout?.on('data', (d) => {
      output += d;
    });
    child.stderr?.on('data', (d) => {
      output += d;
    });
    exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    await eventually(() => (output.includes('aftersale is running') ? true : undefined), 'npm start', 60_000);
  });

  afterAll(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    for (const pid of dynamoPidsServing(dbPath)) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const url = () => (JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8')) as RuntimeInfo).url;

  it('keeps serving after an unhandled rejection', async () => {
    const base = url();
    child.kill('SIGUSR2');
    await eventually(
      () => (output.includes('probe: a promise nobody awaited') ? true : undefined),
      'the log',
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(child.exitCode).toBeNull();
    expect((await fetch(`${base}/health`)).status).toBe(200);
  });

  it('stops the runtime, Java included, and exits 1 on an uncaught exception', async () => {
    const [java] = dynamoPidsServing(dbPath);
    expect(java).toBeDefined();
    child.kill('SIGUSR2');
    expect(await exit).toBe(1);
    expect(output).toContain('probe: a throw nobody caught');
    await eventually(
      () => (dynamoPidsServing(dbPath).length === 0 ? true : undefined),
      'Java to stop',
      10_000,
    );
    expect(existsSync(join(dir, 'runtime.json'))).toBe(false);
  });
});
