import { putShop, setConnector } from '../../functions/adapters/dynamo/shops.ts';
import { startLocalRuntime } from './runtime.ts';
import { DEMO_SECRET, DEMO_SHOP, dataDir, readRuntimeInfo } from './state.ts';
import { signLocalToken } from './tokens.ts';

async function main(): Promise<void> {
  const started = Date.now();
  const dir = dataDir();
  const running = readRuntimeInfo(dir);
  // A live pid may be another program that reused a crashed run's pid: ask the stack itself.
  const answering =
    running &&
    (await fetch(`${running.url}/health`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    ));
  if (running && answering) {
    console.error(`aftersale is already running at ${running.url} (pid ${running.pid}).`);
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 3000);
  console.log('aftersale: starting DynamoDB Local and the SQS emulator...');
  const runtime = await startLocalRuntime({ dataDir: dir, port, log: (line) => console.log(line) });

  const now = new Date().toISOString();
  await putShop({ shopId: DEMO_SHOP, name: 'Demo Shop' }, now);
  await setConnector(DEMO_SHOP, 'generic', { secret: DEMO_SECRET, settings: {} }, now);
  const token = await signLocalToken(runtime.jwtKey, { shopId: DEMO_SHOP, role: 'manager' });

  console.log(`
aftersale is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  API           ${runtime.url}          (GET /health)
  Webhooks      ${runtime.url}/webhooks/{provider}/{shopId}
  Demo shop     ${DEMO_SHOP}   (generic webhook secret: ${DEMO_SECRET})
  Admin token   ${token}
                (manager of ${DEMO_SHOP}, valid 8 h; more with: npx aftersale token --shop ${DEMO_SHOP} --role staff)
  Data          ${dir}

Try it:  npm run demo      Stop: Ctrl-C
`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: no new requests; finishing work in flight...`);
    await runtime.stop();
    console.log('stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(`aftersale failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
