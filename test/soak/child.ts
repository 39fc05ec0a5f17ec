import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { readRuntimeInfo } from '../../infra/local/state.ts';
import { restoreVisibility } from './table-scan.ts';

const root = join(import.meta.dirname, '..', '..');

export interface ChildOptions {
  dataDir: string;
  port: number;
  logFile: string;
  /** The environment the soak started with (not the one it changed since). */
  env: NodeJS.ProcessEnv;
  retrySeconds: number;
  visibilitySeconds?: number;
}

/**
 * The runtime child (runtime-child.ts): started, killed with SIGKILL, restarted on the same data
 * dir and port, stopped. Its stdout and stderr go, line by line and tagged by start, to one log
 * file, which the soak scans afterwards.
 */
export class RuntimeChild {
  private proc: ChildProcess | undefined;
  private log: WriteStream;
  private starts = 0;
  url = '';

  constructor(private readonly options: ChildOptions) {
    this.log = createWriteStream(options.logFile, { flags: 'a' });
  }

  /** Starts the child; a start that fails (DynamoDB Local slow to come up on a loaded machine) is tried again. */
  async start(faults: string | undefined): Promise<number> {
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        await this.startOnce(faults);
        return Date.now() - started;
      } catch (err) {
        this.log.write(`--- soak: start failed (${err instanceof Error ? err.message : String(err)})\n`);
        this.proc?.kill('SIGKILL');
        if (attempt >= 3) throw err;
      }
    }
  }

  /** Switches the faults off in the running child (SIGUSR2), and waits until it says so. */
  async faultsOff(): Promise<void> {
    const proc = this.proc;
    if (!proc) throw new Error('the runtime child is not running');
    const acknowledged = new Promise<void>((resolve) => {
      const onData = (chunk: Buffer) => {
        if (/^faults off$/m.test(chunk.toString('utf8'))) {
          proc.stdout!.off('data', onData);
          resolve();
        }
      };
      proc.stdout!.on('data', onData);
    });
    proc.kill('SIGUSR2');
    await acknowledged;
  }

  private async startOnce(faults: string | undefined): Promise<void> {
    this.starts++;
    const env: NodeJS.ProcessEnv = {
      ...this.options.env,
      SOAK_DATA_DIR: this.options.dataDir,
      SOAK_PORT: String(this.options.port),
      SOAK_RETRY_SECONDS: String(this.options.retrySeconds),
      ...(this.options.visibilitySeconds && {
        SOAK_VISIBILITY_SECONDS: String(this.options.visibilitySeconds),
      }),
    };
    delete env.AFTERSALE_FAULTS;
    if (faults) env.AFTERSALE_FAULTS = faults;
    const proc = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'runtime-child.ts')], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.proc = proc;
    this.log.write(`--- soak: runtime start #${this.starts} (pid ${proc.pid}, faults ${faults ?? 'off'})\n`);
    proc.stderr!.pipe(this.log, { end: false });
    await new Promise<void>((resolve, reject) => {
      let buffer = '';
      const timer = setTimeout(
        () => reject(new Error('the runtime child did not start within 90 s')),
        90_000,
      );
      proc.stdout!.on('data', (chunk: Buffer) => {
        this.log.write(chunk);
        buffer += chunk.toString('utf8');
        const ready = /^ready (\{.*\})$/m.exec(buffer);
        if (ready) {
          clearTimeout(timer);
          this.url = (JSON.parse(ready[1]!) as { url: string }).url;
          buffer = '';
          proc.removeAllListeners('exit');
          resolve();
        } else if (buffer.length > 100_000) buffer = buffer.slice(-10_000);
      });
      proc.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`the runtime child exited before it was ready (${code ?? signal})`));
      });
    });
  }

  /** kill -9: no shutdown hook runs; DynamoDB Local's java is orphaned and the next start stops it. */
  async kill9(): Promise<void> {
    const proc = this.proc;
    if (!proc) return;
    await this.beforeStop();
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
    this.log.write(`--- soak: runtime pid ${proc.pid} killed with SIGKILL\n`);
    this.proc = undefined;
  }

  /** A clean stop (SIGTERM): in-flight work finishes, Java stops. */
  async stop(): Promise<void> {
    const proc = this.proc;
    if (!proc || proc.exitCode !== null) return;
    await this.beforeStop();
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    const force = setTimeout(() => proc.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(force);
    this.log.write(`--- soak: runtime pid ${proc.pid} stopped\n`);
    this.proc = undefined;
  }

  private async beforeStop(): Promise<void> {
    if (!this.options.visibilitySeconds) return;
    const info = readRuntimeInfo(this.options.dataDir);
    if (info) await restoreVisibility(info).catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.stop();
    await new Promise((r) => this.log.end(r));
  }
}
