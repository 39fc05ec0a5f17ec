import { saveShop, setConnector } from '../../functions/app/shop-settings.ts';
import { type LocalRuntime, startLocalRuntime } from './runtime.ts';
import { DEMO_SECRET, DEMO_SHOP, dataDir, readRuntimeInfo } from './state.ts';
import { signLocalToken } from './tokens.ts';

let runtime: LocalRuntime | undefined;
let stopping = false;
let exitCode = 0;

/**
 * Stops the runtime (Java with it) and exits; a fatal error waits at most 15 s for that. Before the
 * runtime is up there is nothing to finish: the process exits, and DynamoDB Local with it.
 */
async function shutdown(reason: string, code: number): Promise<void> {
  exitCode = Math.max(exitCode, code);
  if (stopping) return;
  stopping = true;
  console.log(`\n${reason}: no new requests; finishing work in flight...`);
  // Past this, Java still goes: DynamoDB Local is killed when this process exits, however it exits.
  if (code !== 0) setTimeout(() => process.exit(exitCode), 15_000).unref();
  try {
    await runtime?.stop();
    console.log('stopped.');
  } catch (err) {
    console.error('stopping failed:', err);
    exitCode = Math.max(exitCode, 1);
  }
  process.exit(exitCode);
}

// A promise that failed with nobody awaiting it is a bug to log, not a reason to drop every
// request in flight: Node's default (exit) would also leave the runtime half stopped.
process.on('unhandledRejection', (reason) => {
  console.error('[local] unhandled rejection (still running):', reason);
});
// A throw nothing caught leaves the process in an unknown state: stop everything and exit 1.
process.on('uncaughtException', (err) => {
  console.error('[local] fatal error:', err);
  void shutdown('fatal error', 1);
});
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
  process.on(signal, () => void shutdown(signal, 0));

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
  const adminOrigin = process.env.AFTERSALE_ADMIN_ORIGIN || undefined;
  runtime = await startLocalRuntime({
    dataDir: dir,
    port,
    ...(adminOrigin && { adminOrigin }),
    // Reachable elsewhere (a tunnel, a LAN address): the links in messages use that.
    ...(process.env.PUBLIC_URL && { publicUrl: process.env.PUBLIC_URL }),
    log: (line) => console.log(line),
  });

  await saveShop(runtime.deps, { shopId: DEMO_SHOP, name: 'Demo Shop' });
  await setConnector(runtime.deps, DEMO_SHOP, 'generic', { secret: DEMO_SECRET, settings: {} });
  const token = await signLocalToken(runtime.jwtKey, { shopId: DEMO_SHOP, role: 'manager' });

  console.log(`
aftersale is running (ready in ${((Date.now() - started) / 1000).toFixed(1)} s)

  API           ${runtime.url}          (GET /health)
  Webhooks      ${runtime.url}/webhooks/{provider}/{shopId}
  Admin page    ${runtime.url}/admin                (sign in with the token below)
  Portal        ${runtime.url}/portal/${DEMO_SHOP}     (customers track and return)
  Messages      npx aftersale outbox tail --shop ${DEMO_SHOP}   (the local channel: nothing is sent)
  Demo shop     ${DEMO_SHOP}   (generic webhook secret: ${DEMO_SECRET})
  Admin token   ${token}
                (manager of ${DEMO_SHOP}, valid 8 h; more with: npx aftersale token --shop ${DEMO_SHOP} --role staff)
  Data          ${dir}${adminOrigin ? `\n  CORS          ${adminOrigin}` : ''}

Try it:  npm run demo      Stop: Ctrl-C
`);
}

main().catch((err) => {
  console.error(`aftersale failed to start: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
