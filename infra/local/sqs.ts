import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { startFauxqs } from 'fauxqs';

export interface LocalSqs {
  endpoint: string;
  /** True when messages survive a restart (SQLite under the data directory). */
  persistent: boolean;
  stop(): Promise<void>;
}

/**
 * Starts the fauxqs SQS emulator in this process. With `dataDir` its queues and messages (ready,
 * delayed and in flight, with their visibility deadlines) live in SQLite there and survive a
 * restart; without it they live in memory, for tests.
 */
export async function startSqs(options: { port?: number; dataDir?: string } = {}): Promise<LocalSqs> {
  let dataDir: string | undefined;
  if (options.dataDir) {
    dataDir = resolve(options.dataDir);
    mkdirSync(dataDir, { recursive: true });
  }
  // Queue URLs read sqs.<region>.localhost:<port>; the SDK sends every call to the endpoint anyway.
  const server = await startFauxqs({ port: options.port ?? 0, logger: false, ...(dataDir && { dataDir }) });
  return {
    endpoint: `http://127.0.0.1:${server.port}`,
    persistent: dataDir !== undefined,
    stop: () => server.stop(),
  };
}
