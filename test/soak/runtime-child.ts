import { SetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { startLocalRuntime } from '../../infra/local/runtime.ts';
import { LOCAL_REGION } from '../../infra/local/state.ts';

/*
 * The local runtime as the soak runs it: in its own process (so it can be killed with SIGKILL),
 * persistent DynamoDB Local and fauxqs under SOAK_DATA_DIR, on SOAK_PORT. Failed messages come back
 * after SOAK_RETRY_SECONDS (the runtime's test option; Lambda's event source waits the queue's
 * visibility timeout). SOAK_VISIBILITY_SECONDS, when set, shortens the queues' own visibility
 * timeout (smoke mode: messages in flight at the kill come back sooner); unset, the topology's
 * timeouts stand. Prints one `ready {json}` line once it serves; SIGUSR2 switches the faults off; SIGTERM stops it
 * cleanly.
 */

const dataDir = process.env.SOAK_DATA_DIR;
const port = Number(process.env.SOAK_PORT ?? 0);
if (!dataDir) throw new Error('SOAK_DATA_DIR is required');

const runtime = await startLocalRuntime({
  dataDir,
  port,
  retryDelaySeconds: Number(process.env.SOAK_RETRY_SECONDS ?? 2),
  log: (line) => console.log(line),
});

const visibility = process.env.SOAK_VISIBILITY_SECONDS;
if (visibility) {
  const sqs = new SQSClient({
    endpoint: runtime.sqsEndpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  for (const url of Object.values(runtime.queueUrls))
    await sqs.send(
      new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { VisibilityTimeout: visibility } }),
    );
  sqs.destroy();
}

console.log(
  `ready ${JSON.stringify({ pid: process.pid, url: runtime.url, faults: process.env.AFTERSALE_FAULTS ?? null })}`,
);

// Faults off without a restart: faults.ts reads the variable on every invocation.
process.on('SIGUSR2', () => {
  delete process.env.AFTERSALE_FAULTS;
  console.log('faults off');
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    runtime.stop().then(
      () => process.exit(0),
      (err) => {
        console.error('stopping failed:', err);
        process.exit(1);
      },
    );
  });
}
