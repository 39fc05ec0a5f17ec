import { parseArgs } from 'node:util';
import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import { DynamoShops } from '../../functions/adapters/dynamo/shops.ts';
import { SecretsKeyMissingError, SecretUnreadableError } from '../../functions/adapters/secrets/cipher.ts';
import { CHANNEL_SECRET_ITEMS, maskRecipient } from '../../functions/app/channels.ts';
import { listDeadLetters, redriveDeadLetters } from '../../functions/app/dead-letters.ts';
import { setOutboundEndpoint, showOutboundEndpoint } from '../../functions/app/outbound-endpoint.ts';
import { replayInboxItem } from '../../functions/app/replay-inbox-item.ts';
import { saveShop, setConnector, showShop } from '../../functions/app/shop-settings.ts';
import { DomainError } from '../../functions/lib/errors.ts';
import { ProviderName, ShopId } from '../../schemas/common.ts';
import { InboxStatus } from '../../schemas/inbox.ts';
import { ConnectorInput } from '../../schemas/shop.ts';
import { localJwtKey } from '../local/state.ts';
import { signLocalToken } from '../local/tokens.ts';
import { type QueueName, queues } from '../topology.ts';
import { fail, type Io, processIo, UsageError } from './io.ts';
import { type Session, type SessionNeeds, withSession } from './session.ts';
import {
  configDir,
  describeTarget,
  readTargets,
  removeTarget,
  resolveTarget,
  saveTarget,
  splitGlobalOptions,
} from './target.ts';

export const HELP = `aftersale — command line for aftersale, on the local runtime or a deployed stack

Where it works (options before the command):
  (nothing)                         the local runtime (.data/, or AFTERSALE_DATA_DIR)
  --stack <name> [--region <r>] [--profile <p>]
                                    a deployed stack: its outputs through CloudFormation, with your
                                    AWS credentials (default chain; AWS_PROFILE or --profile)
  --target <name>                   a saved target (also AFTERSALE_TARGET=<name>); --local forces local

  target save <name> --stack <name> [--region <r>] [--profile <p>]
  target list
  target remove <name>
  target show                       where the target is and the outputs it has

  shop add <shopId> [--name N] [--timezone Asia/Shanghai] [--locale zh-CN|en] [--region CN]
           [--stall-hours 72] [--pending-hours 48] [--stall-remedy none|reship|refund]
      Adds the shop, or changes the given settings of an existing one.
  shop show <shopId>
  connector set <shopId> <provider> --secret <s>|- [--<setting> <value> ...]
      --secret - reads the secret from standard input. Extra flags are stored as provider settings
      (e.g. --app-key for doudian). Secrets are sealed (KMS on a stack, the local key here) and
      never printed back; a new one becomes current, the previous one still verifies.
  channel secret <shopId> smtp|webhook|dingtalk --secret <s>|-
      The secret a notification channel needs (SMTP password, the shop gateway's signing secret,
      DingTalk's 加签 secret), sealed like connector secrets.
  outbound set <shopId> [--url <https://...>] [--secret <s>|-]
      Where the shop's own systems receive its events (refunds, exchanges, reships to execute),
      signed with the secret (16+ characters; - reads it from standard input). A new secret
      becomes current and signs from then on; the previous one is kept second (docs/outbound.md).
  outbound show <shopId>
      The URL and how many secrets are kept (never a secret).
  secrets seal
      Seals every connector secret an older version stored in plain text (safe to repeat).
  staff add --email <e> --shop <shopId> --role staff|manager
      On a stack: a Cognito user of that shop in that group; Cognito mails a temporary password.
      Locally staff are tokens (next command).
  token --shop <shopId> --role staff|manager [--ttl 8h]
      A local admin token (local only).
  inbox list <shopId> [--status received|processed|ignored|failed] [--limit 50]
  inbox replay <shopId> <inboxId>
  dlq list [queue]
  dlq redrive [queue]
  outbox tail [--shop <shopId>] [--limit 20]
      The messages the outbox channel kept instead of sending (every shop's without --shop), the
      newest last: recipient masked, subject, text (docs/channels.md).

Locally, with \`npm start\` running the CLI talks to it; otherwise it starts DynamoDB Local on the
same data for the duration of the command (then without queues). docs/cli.md has every command.`;

const SHOP_ID_RULE = 'lower-case letters, digits and dashes, 2 to 63 characters';

/** A shop id argument: the one shop-id rule (schemas/common.ts), checked before any read. */
function shopArg(value: string | undefined, usage: string): string {
  if (!value) fail(usage);
  const parsed = ShopId.safeParse(value);
  if (!parsed.success) fail(`"${value}" is not a shop id (${SHOP_ID_RULE})`);
  return parsed.data;
}

function queueArg(value: string | undefined): QueueName[] {
  if (!value) return queues.map((q) => q.name);
  const spec = queues.find((q) => q.name === value);
  if (!spec) fail(`unknown queue "${value}" (one of: ${queues.map((q) => q.name).join(', ')})`);
  return [spec.name];
}

const camel = (flag: string) => flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** `--flag value` pairs and positionals, for commands that take free-form settings. */
function looseArgs(args: string[]): { positionals: string[]; flags: Record<string, string> } {
  const { tokens } = parseArgs({ args, allowPositionals: true, strict: false, tokens: true });
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
  return { positionals, flags };
}

async function requireShop(session: Session, shopId: string): Promise<void> {
  if (!(await showShop(session.deps, shopId)))
    fail(`no shop ${shopId} on ${session.where}: add it first with \`aftersale shop add ${shopId}\``);
}

/** Runs one command line; answers the exit code (0 done, 2 a usage or domain error, 1 a fault). */
export async function runCli(argv: string[], io: Io = processIo): Promise<number> {
  try {
    await run(argv, io);
    return 0;
  } catch (err) {
    const expected =
      err instanceof UsageError ||
      err instanceof DomainError ||
      err instanceof SecretUnreadableError ||
      err instanceof SecretsKeyMissingError;
    if (expected) io.err(`aftersale: ${(err as Error).message}`);
    // An AWS service's refusal is its own words, not our stack trace.
    else if (err instanceof Error && '$metadata' in err) io.err(`aftersale: ${err.name}: ${err.message}`);
    else io.err(err instanceof Error ? (err.stack ?? err.message) : String(err));
    return expected ? 2 : 1;
  }
}

async function run(argv: string[], io: Io): Promise<void> {
  const { globals, rest: commandLine } = splitGlobalOptions(argv);
  const [group, action, ...rest] = commandLine;

  if (!group || group === 'help' || group === '--help' || group === '-h') {
    io.out(HELP);
    return;
  }

  // Saved targets are about the configuration file, not about any target.
  if (group === 'target' && action !== 'show') return targetCommand(action, rest, io);

  const target = resolveTarget(globals);
  const session = <T>(needs: SessionNeeds, work: (s: Session) => Promise<T>) =>
    withSession(target, needs, async (s) => {
      // A stack is someone's production: say which one every time.
      if (s.kind === 'stack') io.err(`aftersale: on ${s.where}`);
      return work(s);
    });

  if (group === 'target' && action === 'show') {
    if (target.kind === 'local') {
      io.out('target: the local runtime (give --stack or --target for a deployed stack)');
      return;
    }
    await withSession(target, { table: false }, async (s) => {
      io.out(`target: ${s.where}, ${s.outputs?.status}`);
      for (const [key, value] of Object.entries(s.outputs?.values ?? {}).sort()) io.out(`  ${key}  ${value}`);
    });
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
    await session({}, async ({ deps }) => {
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
      io.out(
        `shop ${shop.shopId} saved (${shop.name ?? shop.shopId}, ${shop.timezone}, ${shop.locale}; ` +
          `stall after ${t.stallHours} h silent or ${t.pendingHours} h pending, remedy ${t.stallRemedy})`,
      );
    });
    return;
  }

  if (group === 'shop' && action === 'show') {
    const shopId = shopArg(rest[0], 'shop show <shopId>');
    await session({}, async (s) => {
      const loaded = await showShop(s.deps, shopId);
      if (!loaded) fail(`no shop ${shopId} on ${s.where}`);
      const connectors = Object.fromEntries(
        [...loaded.connectors].map(([provider, c]) => [
          provider,
          { secrets: c.secrets.length, settings: c.settings },
        ]),
      );
      io.out(JSON.stringify({ ...loaded.shop, connectors }, null, 2));
    });
    return;
  }

  if (group === 'connector' && action === 'set') {
    const { positionals, flags } = looseArgs(rest);
    const usage = 'connector set <shopId> <provider> --secret <s>|-';
    const shopId = shopArg(positionals[0], usage);
    const provider = positionals[1] ?? fail(usage);
    const providerName = ProviderName.safeParse(provider);
    if (!providerName.success || providerName.data === 'system' || !connectorFor(provider)) {
      fail(`unknown provider "${provider}"`);
    }
    const { secret: secretFlag, ...settingFlags } = flags;
    const secret = secretFlag === '-' ? await io.readStdin() : secretFlag;
    const input = ConnectorInput.safeParse({
      ...(secret !== undefined && { secret }),
      settings: Object.fromEntries(Object.entries(settingFlags).map(([k, v]) => [camel(k), v])),
    });
    if (!input.success)
      fail(`invalid connector settings: ${input.error.issues.map((i) => i.message).join('; ')}`);
    await session({}, async (s) => {
      await requireShop(s, shopId);
      // A rotation racing another is refused (409) and tried once more on a fresh read.
      const saved = await setConnector(s.deps, shopId, provider, input.data);
      io.out(
        `${provider} connector of ${shopId} saved: ${saved.secrets} secret(s) kept` +
          `${secret && saved.secrets === 2 ? ' (the new one is current; the previous one still verifies)' : ''}` +
          `${saved.settings.length ? `, settings: ${saved.settings.join(', ')}` : ''}`,
      );
      if (s.apiUrl) io.out(`its webhooks: POST ${s.apiUrl}/webhooks/${provider}/${shopId}`);
    });
    return;
  }

  if (group === 'channel' && action === 'secret') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { secret: { type: 'string' } },
    });
    const usage = 'channel secret <shopId> smtp|webhook|dingtalk --secret <s>|-';
    const shopId = shopArg(positionals[0], usage);
    const channel = positionals[1] as keyof typeof CHANNEL_SECRET_ITEMS | undefined;
    if (!channel || !(channel in CHANNEL_SECRET_ITEMS)) fail(usage);
    if (values.secret === undefined) fail(usage);
    const secret = values.secret === '-' ? await io.readStdin() : values.secret;
    const input = ConnectorInput.safeParse({ secret, settings: {} });
    if (!input.success || !secret) fail('the secret must be 1 to 4096 characters');
    await session({}, async (s) => {
      await requireShop(s, shopId);
      const saved = await setConnector(s.deps, shopId, CHANNEL_SECRET_ITEMS[channel], {
        secret,
        settings: {},
      });
      io.out(`${channel} channel secret of ${shopId} saved (${saved.secrets} kept; the new one is used)`);
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
    const secret = values.secret === '-' ? await io.readStdin() : values.secret;
    await session({}, async (s) => {
      await requireShop(s, shopId);
      const saved = await setOutboundEndpoint(s.deps, shopId, {
        ...(values.url !== undefined && { url: values.url }),
        ...(secret !== undefined && { secret }),
      });
      io.out(
        `outbound endpoint of ${shopId} saved: ${saved.url}, ${saved.secrets} secret(s) kept` +
          `${secret && saved.secrets === 2 ? ' (the new one signs; the previous one is kept for the rotation)' : ''}`,
      );
    });
    return;
  }

  if (group === 'outbound' && action === 'show') {
    const shopId = shopArg(rest[0], 'outbound show <shopId>');
    await session({}, async (s) => {
      const endpoint = await showOutboundEndpoint(s.deps, shopId);
      if (!endpoint) fail(`no shop ${shopId} on ${s.where}`);
      io.out(
        endpoint.url
          ? JSON.stringify(endpoint, null, 2)
          : `no outbound endpoint for ${shopId}: its events are recorded as not_configured`,
      );
    });
    return;
  }

  if (group === 'secrets' && action === 'seal') {
    await session({}, async ({ deps }) => {
      const shops = deps.shops;
      if (!(shops instanceof DynamoShops)) throw new Error('secrets seal works on the DynamoDB shop store');
      let count = 0;
      for (const shopId of await shops.listIds()) {
        const sealed = await shops.sealPlaintextSecrets(shopId, deps.clock.now());
        for (const connector of sealed) io.out(`sealed the ${connector} secrets of ${shopId}`);
        count += sealed.length;
      }
      io.out(count ? `${count} connector(s) sealed` : 'every connector secret was sealed already');
    });
    return;
  }

  if (group === 'staff' && action === 'add') {
    const { values } = parseArgs({
      args: rest,
      options: { email: { type: 'string' }, shop: { type: 'string' }, role: { type: 'string' } },
    });
    const usage = 'staff add --email <e> --shop <shopId> --role staff|manager';
    if (target.kind === 'local') {
      fail(
        'locally staff accounts are tokens: `aftersale token --shop <shopId> --role staff|manager` ' +
          '(staff add is for a deployed stack: aftersale --stack <name> staff add ...)',
      );
    }
    if (!values.email || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(values.email)) fail(`${usage}: an email address`);
    const shopId = shopArg(values.shop, usage);
    if (values.role !== 'staff' && values.role !== 'manager') fail('--role must be staff or manager');
    const role = values.role;
    const email = values.email.toLowerCase();
    await session({ staff: true }, async (s) => {
      await requireShop(s, shopId);
      const { created } = await s.staff!.add({ email, shopId, role });
      io.out(
        created
          ? `${email} added as ${role} of ${shopId}: Cognito mails them a temporary password to sign in with on the admin page`
          : `${email} was already staff of ${shopId}; now in the ${role} group too`,
      );
    });
    return;
  }

  if (group === 'token') {
    const { values } = parseArgs({
      args: [action, ...rest].filter((a): a is string => a !== undefined),
      options: { shop: { type: 'string' }, role: { type: 'string' }, ttl: { type: 'string', default: '8h' } },
    });
    if (target.kind !== 'local') {
      fail(
        `on ${describeTarget(target)} staff sign in through Cognito: \`aftersale --stack ${target.stack} staff add --email <e> --shop <shopId> --role staff|manager\``,
      );
    }
    if (!values.shop) fail('token --shop <shopId> --role staff|manager');
    if (!ShopId.safeParse(values.shop).success)
      fail(`--shop: "${values.shop}" is not a shop id (${SHOP_ID_RULE})`);
    if (values.role !== 'staff' && values.role !== 'manager') fail('--role must be staff or manager');
    io.out(await signLocalToken(localJwtKey(), { shopId: values.shop, role: values.role }, values.ttl));
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
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100)
      fail('--limit must be a whole number from 1 to 100');
    await session({}, async ({ deps }) => {
      const page = await deps.inbox.list(shopId, status.data, { limit });
      if (page.items.length === 0) io.out(`no ${status.data} inbox items for ${shopId}`);
      for (const item of page.items) {
        io.out(
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
    await session({ queues: 'optional' }, async ({ deps, queues: hasQueues }) => {
      const { previous, queued } = await replayInboxItem(
        hasQueues ? deps : { inbox: deps.inbox, clock: deps.clock },
        shopId,
        inboxId,
      );
      io.out(
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
    await session({}, async ({ deps }) => {
      const entries = await deps.outbox.list({ shopId, limit });
      if (entries.length === 0) io.out(shopId ? `the outbox of ${shopId} is empty` : 'the outbox is empty');
      for (const entry of entries.reverse()) {
        const to = maskRecipient(entry.channel, entry.to);
        io.out(
          `── ${entry.createdAt}  ${entry.shopId}  ${entry.channel} to ${to}  ${entry.templateId}` +
            `${entry.locale ? ` (${entry.locale})` : ''}  ${entry.id}`,
        );
        if (entry.subject !== undefined) io.out(`Subject: ${entry.subject}`);
        io.out(`${entry.text}\n`);
      }
    });
    return;
  }

  if (group === 'dlq' && (action === 'list' || action === 'redrive')) {
    const chosen = queueArg(rest[0]);
    await session({ queues: 'required' }, async ({ deps }) => {
      const deadLetters = deps.deadLetters ?? fail('no dead-letter queues configured');
      for (const queue of chosen) {
        if (action === 'list') {
          const { depth, messages } = await listDeadLetters({ deadLetters }, queue);
          io.out(`${queue}-dlq: ${depth} message(s)`);
          for (const m of messages) io.out(`  ${m.messageId}  ${m.body.slice(0, 160)}`);
        } else {
          const { moved } = await redriveDeadLetters({ deadLetters }, queue);
          io.out(`${queue}: ${moved} message(s) moved back from the DLQ`);
        }
      }
    });
    return;
  }

  fail(`unknown command "${commandLine.join(' ')}"\n\n${HELP}`);
}

function targetCommand(action: string | undefined, rest: string[], io: Io): void {
  if (action === 'save') {
    const { values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      options: { stack: { type: 'string' }, region: { type: 'string' }, profile: { type: 'string' } },
    });
    const usage = 'target save <name> --stack <name> [--region <r>] [--profile <p>]';
    const name = positionals[0] ?? fail(usage);
    if (!values.stack) fail(usage);
    const file = saveTarget(name, { stack: values.stack, region: values.region, profile: values.profile });
    io.out(
      `target ${name} saved in ${file}: ${describeTarget({ kind: 'stack', ...values, stack: values.stack })}; ` +
        `use it with \`aftersale --target ${name} <command>\` (check it with \`aftersale --target ${name} target show\`)`,
    );
    return;
  }
  if (action === 'list') {
    const targets = readTargets();
    const names = Object.keys(targets).sort();
    if (names.length === 0) io.out(`no saved targets (${configDir()})`);
    for (const name of names) {
      const t = targets[name]!;
      io.out(
        `${name}  stack ${t.stack}${t.region ? `  region ${t.region}` : ''}${t.profile ? `  profile ${t.profile}` : ''}`,
      );
    }
    return;
  }
  if (action === 'remove') {
    const name = rest[0] ?? fail('target remove <name>');
    if (!removeTarget(name)) fail(`no saved target "${name}"`);
    io.out(`target ${name} removed`);
    return;
  }
  fail('target save|list|remove|show');
}
