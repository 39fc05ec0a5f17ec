import { parseArgs } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoOutbox } from '../../functions/adapters/channels/outbox.ts';
import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import { documentClient } from '../../functions/adapters/dynamo/client.ts';
import { SqsDeadLetters, sqsClient } from '../../functions/adapters/sqs.ts';
import { maskRecipient } from '../../functions/app/channels.ts';
import { listDeadLetters, redriveDeadLetters } from '../../functions/app/dead-letters.ts';
import { setOutboundEndpoint, showOutboundEndpoint } from '../../functions/app/outbound-endpoint.ts';
import type { AppDeps } from '../../functions/app/ports.ts';
import { replayInboxItem } from '../../functions/app/replay-inbox-item.ts';
import { saveShop, setConnector, showShop } from '../../functions/app/shop-settings.ts';
import { createDeps } from '../../functions/deps.ts';
import { readConfig } from '../../functions/lib/config.ts';
import { DomainError } from '../../functions/lib/errors.ts';
import { ProviderName, ShopId } from '../../schemas/common.ts';
import { InboxStatus } from '../../schemas/inbox.ts';
import { ConnectorInput } from '../../schemas/shop.ts';
import { ensureTable } from '../local/bootstrap.ts';
import { startDynamo } from '../local/dynamodb.ts';
import {
  applyLocalEnv,
  dataDir,
  LOCAL_REGION,
  LOCAL_TABLE,
  localJwtKey,
  readRuntimeInfo,
} from '../local/state.ts';
import { signLocalToken } from '../local/tokens.ts';
import { type QueueName, queues } from '../topology.ts';

const HELP = `aftersale — command line for the local (or configured) aftersale stack

  shop add <shopId> [--name N] [--timezone Asia/Shanghai] [--locale zh-CN|en] [--region CN]
           [--stall-hours 72] [--pending-hours 48] [--stall-remedy none|reship|refund]
      Adds the shop, or changes the given settings of an existing one.
  shop show <shopId>
  connector set <shopId> <provider> --secret <s>|- [--<setting> <value> ...]
      --secret - reads the secret from standard input. Extra flags are stored as provider settings
      (e.g. --app-key for doudian). Secrets are never printed back.
  outbound set <shopId> [--url <https://...>] [--secret <s>|-]
      Where the shop's own systems receive its events (refunds, exchanges, reships to execute),
      signed with the secret (16+ characters; - reads it from standard input). A new secret
      becomes current and signs from then on; the previous one is kept second (docs/outbound.md).
  outbound show <shopId>
      The URL and how many secrets are kept (never a secret).
  token --shop <shopId> --role staff|manager [--ttl 8h]
  inbox list <shopId> [--status received|processed|ignored|failed] [--limit 50]
  inbox replay <shopId> <inboxId>
  dlq list [queue]
  dlq redrive [queue]
  outbox tail [--shop <shopId>] [--limit 20]
      The messages the outbox channel kept instead of sending (every shop's without --shop), the
      newest last: recipient masked, subject, text (docs/channels.md).

Data: .data/ (or AFTERSALE_DATA_DIR). With \`npm start\` running, the CLI talks to it; otherwise it
starts DynamoDB Local on the same data for the duration of the command.`;

class UsageError extends Error {}

const SHOP_ID_RULE = 'lower-case letters, digits and dashes, 2 to 63 characters';

function fail(message: string): never {
  throw new UsageError(message);
}

/**
 * The use cases' dependencies for this command: on the running local stack (its table and queues),
 * or, when none runs, on DynamoDB Local started on the same data for the duration of the command
 * (then there are no queues: `running` is false).
 */
async function withTable<T>(work: (deps: AppDeps, running: boolean) => Promise<T>): Promise<T> {
  const running = readRuntimeInfo();
  if (running) {
    applyLocalEnv({
      dynamoEndpoint: running.dynamoEndpoint,
      sqsEndpoint: running.sqsEndpoint,
      tableName: running.tableName,
      queueUrls: running.queueUrls,
    });
    return work(createDeps(readConfig(process.env, { queues: ['inbound'] })), true);
  }
  const dynamo = await startDynamo({ dataDir: `${dataDir()}/dynamodb` });
  try {
    const client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    });
    await ensureTable(client, LOCAL_TABLE);
    client.destroy();
    applyLocalEnv({ dynamoEndpoint: dynamo.endpoint, tableName: LOCAL_TABLE });
    return await work(createDeps(readConfig(process.env)), false);
  } finally {
    await dynamo.stop();
  }
}

/** A shop id argument: the one shop-id rule (schemas/common.ts), checked before any read. */
function shopArg(value: string | undefined, usage: string): string {
  if (!value) fail(usage);
  const parsed = ShopId.safeParse(value);
  if (!parsed.success) fail(`"${value}" is not a shop id (${SHOP_ID_RULE})`);
  return parsed.data;
}

function requireRunning() {
  const running = readRuntimeInfo();
  if (!running) fail('the queues live in the running stack: start it with `npm start` first');
  return running;
}

function queueArg(value: string | undefined): QueueName[] {
  if (!value) return queues.map((q) => q.name);
  const spec = queues.find((q) => q.name === value);
  if (!spec) fail(`unknown queue "${value}" (one of: ${queues.map((q) => q.name).join(', ')})`);
  return [spec.name];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

async function run(argv: string[]): Promise<void> {
  const [group, action, ...rest] = argv;

  if (!group || group === 'help' || group === '--help' || group === '-h') {
    console.log(HELP);
    return;
  }

  if (group === 'shop' && action === 'add') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: {
        name: { type: 'string' },
        timezone: { type: 'string' },
        locale: { type: 'string' },
        region: { type: 'string' },
        'stall-hours': { type: 'string' },
        'pending-hours': { type: 'string' },
        'stall-remedy': { type: 'string' },
      },
    });
    const shopId = ShopId.safeParse(positionals[0]);
    if (!shopId.success) fail(`shop add <shopId>: ${SHOP_ID_RULE}`);
    await withTable(async (deps) => {
      const shop = await saveShop(deps, {
        shopId: shopId.data,
        ...(values.name && { name: values.name }),
        ...(values.timezone && { timezone: values.timezone }),
        ...(values.locale && { locale: values.locale as 'zh-CN' | 'en' }),
        ...(values.region && { defaultRegion: values.region.toUpperCase() }),
        tracking: {
          ...(values['stall-hours'] && { stallHours: Number(values['stall-hours']) }),
          ...(values['pending-hours'] && { pendingHours: Number(values['pending-hours']) }),
          ...(values['stall-remedy'] && { stallRemedy: values['stall-remedy'] as 'none' }),
        },
      });
      const t = shop.tracking;
      console.log(
        `shop ${shop.shopId} saved (${shop.name ?? shop.shopId}, ${shop.timezone}, ${shop.locale}; ` +
          `stall after ${t.stallHours} h silent or ${t.pendingHours} h pending, remedy ${t.stallRemedy})`,
      );
    });
    return;
  }

  if (group === 'shop' && action === 'show') {
    const shopId = shopArg(rest[0], 'shop show <shopId>');
    await withTable(async (deps) => {
      const loaded = await showShop(deps, shopId);
      if (!loaded) fail(`no shop ${shopId}`);
      const connectors = Object.fromEntries(
        [...loaded.connectors].map(([provider, c]) => [
          provider,
          { secrets: c.secrets.length, settings: c.settings },
        ]),
      );
      console.log(JSON.stringify({ ...loaded.shop, connectors }, null, 2));
    });
    return;
  }

  if (group === 'connector' && action === 'set') {
    const { tokens } = parseArgs({ args: rest, allowPositionals: true, strict: false, tokens: true });
    const positionals: string[] = [];
    const flags: Record<string, string> = {};
    for (let i = 0; i < tokens.length; i++) {
      const token = tokens[i]!;
      if (token.kind === 'positional') positionals.push(token.value);
      else if (token.kind === 'option') {
        let value = token.value;
        if (value === undefined) {
          const next = tokens[i + 1];
          if (next?.kind === 'positional') {
            value = next.value;
            i++;
          }
        }
        if (value === undefined) fail(`--${token.name} needs a value`);
        flags[token.name] = value;
      }
    }
    const shopId = shopArg(positionals[0], 'connector set <shopId> <provider> --secret <s>|-');
    const provider = positionals[1] ?? fail('connector set <shopId> <provider> --secret <s>|-');
    const providerName = ProviderName.safeParse(provider);
    if (!providerName.success || providerName.data === 'system' || !connectorFor(provider)) {
      fail(`unknown provider "${provider}"`);
    }
    const { secret: secretFlag, ...settingFlags } = flags;
    const secret = secretFlag === '-' ? await readStdin() : secretFlag;
    const input = ConnectorInput.safeParse({
      ...(secret !== undefined && { secret }),
      settings: Object.fromEntries(Object.entries(settingFlags).map(([k, v]) => [camel(k), v])),
    });
    if (!input.success)
      fail(`invalid connector settings: ${input.error.issues.map((i) => i.message).join('; ')}`);
    await withTable(async (deps) => {
      if (!(await showShop(deps, shopId)))
        fail(`no shop ${shopId}: add it first with \`aftersale shop add ${shopId}\``);
      // A rotation racing another is refused (409) and tried once more on a fresh read.
      const saved = await setConnector(deps, shopId, provider, input.data);
      console.log(
        `${provider} connector of ${shopId} saved: ${saved.secrets} secret(s) kept` +
          `${secret && saved.secrets === 2 ? ' (the new one is current; the previous one still verifies)' : ''}` +
          `${saved.settings.length ? `, settings: ${saved.settings.join(', ')}` : ''}`,
      );
    });
    return;
  }

  if (group === 'outbound' && action === 'set') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { url: { type: 'string' }, secret: { type: 'string' } },
    });
    const usage = 'outbound set <shopId> --url <url> --secret <s>|-';
    const shopId = shopArg(positionals[0], usage);
    if (values.url === undefined && values.secret === undefined) fail(usage);
    const secret = values.secret === '-' ? await readStdin() : values.secret;
    await withTable(async (deps) => {
      if (!(await showShop(deps, shopId)))
        fail(`no shop ${shopId}: add it first with \`aftersale shop add ${shopId}\``);
      const saved = await setOutboundEndpoint(deps, shopId, {
        ...(values.url !== undefined && { url: values.url }),
        ...(secret !== undefined && { secret }),
      });
      console.log(
        `outbound endpoint of ${shopId} saved: ${saved.url}, ${saved.secrets} secret(s) kept` +
          `${secret && saved.secrets === 2 ? ' (the new one signs; the previous one is kept for the rotation)' : ''}`,
      );
    });
    return;
  }

  if (group === 'outbound' && action === 'show') {
    const shopId = shopArg(rest[0], 'outbound show <shopId>');
    await withTable(async (deps) => {
      const endpoint = await showOutboundEndpoint(deps, shopId);
      if (!endpoint) fail(`no shop ${shopId}`);
      console.log(
        endpoint.url
          ? JSON.stringify(endpoint, null, 2)
          : `no outbound endpoint for ${shopId}: its events are recorded as not_configured`,
      );
    });
    return;
  }

  if (group === 'token') {
    const { values } = parseArgs({
      args: [action, ...rest].filter((a): a is string => a !== undefined),
      options: { shop: { type: 'string' }, role: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
    });
    if (!values.shop) fail('token --shop <shopId> --role staff|manager');
    if (!ShopId.safeParse(values.shop).success)
      fail(`--shop: "${values.shop}" is not a shop id (${SHOP_ID_RULE})`);
    if (values.role !== 'staff' && values.role !== 'manager') fail('--role must be staff or manager');
    console.log(await signLocalToken(localJwtKey(), { shopId: values.shop, role: values.role }, values.ttl));
    return;
  }

  if (group === 'inbox' && action === 'list') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { status: { type: 'string', default: 'failed' }, limit: { type: 'string', default: '50' } },
    });
    const shopId = shopArg(positionals[0], 'inbox list <shopId> [--status failed]');
    const status = InboxStatus.safeParse(values.status);
    if (!status.success) fail(`--status must be one of ${InboxStatus.options.join(', ')}`);
    await withTable(async (deps) => {
      const page = await deps.inbox.list(shopId, status.data, { limit: Number(values.limit) });
      if (page.items.length === 0) console.log(`no ${status.data} inbox items for ${shopId}`);
      for (const item of page.items) {
        console.log(
          [
            item.inboxId,
            item.receivedAt,
            item.provider,
            item.topic ?? '-',
            item.status,
            item.error ?? '',
          ].join('  '),
        );
      }
    });
    return;
  }

  if (group === 'inbox' && action === 'replay') {
    const shopId = shopArg(rest[0], 'inbox replay <shopId> <inboxId>');
    const inboxId = rest[1] ?? fail('inbox replay <shopId> <inboxId>');
    await withTable(async (deps, running) => {
      const { previous, queued } = await replayInboxItem(
        running ? deps : { inbox: deps.inbox, clock: deps.clock },
        shopId,
        inboxId,
      );
      console.log(
        queued
          ? `inbox item ${inboxId} queued again (was ${previous})`
          : `inbox item ${inboxId} marked received (was ${previous}); it is processed at the next \`npm start\``,
      );
    });
    return;
  }

  if (group === 'outbox' && action === 'tail') {
    const { values } = parseArgs({
      args: rest,
      options: { shop: { type: 'string' }, limit: { type: 'string', default: '20' } },
    });
    const shopId =
      values.shop === undefined ? undefined : shopArg(values.shop, 'outbox tail --shop <shopId>');
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      fail('--limit must be a whole number from 1 to 100');
    await withTable(async () => {
      // The same table and client the deps were built on (applyLocalEnv has pointed the env at it).
      const outbox = new DynamoOutbox({ client: documentClient(), table: readConfig(process.env).tableName });
      const entries = await outbox.list({ shopId, limit });
      if (entries.length === 0)
        console.log(shopId ? `the outbox of ${shopId} is empty` : 'the outbox is empty');
      for (const entry of entries.reverse()) {
        const to = maskRecipient(entry.channel, entry.to);
        console.log(
          `── ${entry.createdAt}  ${entry.shopId}  ${entry.channel} to ${to}  ${entry.templateId}` +
            `${entry.locale ? ` (${entry.locale})` : ''}  ${entry.id}`,
        );
        if (entry.subject !== undefined) console.log(`Subject: ${entry.subject}`);
        console.log(`${entry.text}\n`);
      }
    });
    return;
  }

  if (group === 'dlq' && (action === 'list' || action === 'redrive')) {
    const running = requireRunning();
    applyLocalEnv({
      dynamoEndpoint: running.dynamoEndpoint,
      sqsEndpoint: running.sqsEndpoint,
      tableName: running.tableName,
    });
    const client = sqsClient();
    const deadLetters = new SqsDeadLetters(client, { queue: running.queueUrls, dlq: running.dlqUrls });
    try {
      for (const queue of queueArg(rest[0])) {
        if (action === 'list') {
          const { depth, messages } = await listDeadLetters({ deadLetters }, queue);
          console.log(`${queue}-dlq: ${depth} message(s)`);
          for (const m of messages) console.log(`  ${m.messageId}  ${m.body.slice(0, 160)}`);
        } else {
          const { moved } = await redriveDeadLetters({ deadLetters }, queue);
          console.log(`${queue}: ${moved} message(s) moved back from the DLQ`);
        }
      }
    } finally {
      client.destroy();
    }
    return;
  }

  fail(`unknown command "${argv.join(' ')}"\n\n${HELP}`);
}

run(process.argv.slice(2)).catch((err) => {
  const expected = err instanceof UsageError || err instanceof DomainError;
  console.error(expected ? `aftersale: ${err.message}` : err);
  process.exit(expected ? 2 : 1);
});
