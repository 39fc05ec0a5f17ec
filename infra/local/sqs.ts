import { startFauxqs } from 'fauxqs';

export interface LocalSqs {
  endpoint: string;
  stop(): Promise<void>;
}

/**
 * Starts the fauxqs SQS emulator in this process. It keeps messages in memory only: after a
 * restart, inbox items still `received` are enqueued again by the runtime (and, on AWS, by the sweep).
 */
export async function startSqs(options: { port?: number } = {}): Promise<LocalSqs> {
  // Queue URLs read sqs.<region>.localhost:<port>; the SDK sends every call to the endpoint anyway.
  const server = await startFauxqs({ port: options.port ?? 0, logger: false });
  return { endpoint: `http://127.0.0.1:${server.port}`, stop: () => server.stop() };
}
