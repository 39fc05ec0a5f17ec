import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  CloudFormationServiceException,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  UsernameExistsException,
} from '@aws-sdk/client-cognito-identity-provider';
import { KMSClient } from '@aws-sdk/client-kms';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { connectorFor } from '../../functions/adapters/connectors/index.ts';
import type { DynamoShops } from '../../functions/adapters/dynamo/shops.ts';
import { secretsOf } from '../../functions/adapters/secrets/index.ts';
import { createDeps } from '../../functions/deps.ts';
import { ingestWebhookHandler } from '../../functions/handlers/ingest-webhook.ts';
import { runCli } from '../../infra/cli/run.ts';
import { signers } from '../../infra/local/signers.ts';
import { fakeKms } from '../support/fake-kms.ts';
import { loadSample } from '../support/requests.ts';
import { drain, purge, useServices } from './env.ts';
import { webhookEvent } from './pipeline.ts';

/*
 * The CLI on a deployed stack, through the very code path an operator runs: the stack's outputs
 * come from CloudFormation and staff accounts go to Cognito (both mocked: aws-sdk-client-mock),
 * KMS is the fake of test/support/fake-kms.ts (no emulator exists), and everything else is real:
 * the outputs name this run's DynamoDB Local table and fauxqs queues, which the CLI reaches with
 * its own clients, as it would reach the stack's.
 */

// Saved targets go to a scratch directory; nothing may leave this machine even if a mock slipped.
const scratch = mkdtempSync(join(tmpdir(), 'aftersale-cli-stack-'));
vi.stubEnv('AFTERSALE_CONFIG_DIR', join(scratch, 'config'));
vi.stubEnv('AFTERSALE_DATA_DIR', join(scratch, 'data'));
for (const service of ['CLOUDFORMATION', 'KMS', 'COGNITO_IDENTITY_PROVIDER'])
  vi.stubEnv(`AWS_ENDPOINT_URL_${service}`, 'http://127.0.0.1:9');

const { services, sqs, db, config } = useServices();
// Only the stack's outputs may lead the CLI to the table and queues, not what this process's env says.
for (const name of Object.keys(process.env).filter((n) =>
  /^(TABLE_NAME|QUEUE_URL_|DLQ_URL_|SECRETS_KEY_ID)/.test(n),
))
  vi.stubEnv(name, name === 'TABLE_NAME' ? 'not-the-stack-table' : 'http://127.0.0.1:9/not-the-stack-queue');
const STACK = 'aftersale-prod';
const REGION = 'us-east-1';
const KEY_ID = 'arn:aws:kms:us-east-1:111122223333:key/cli-stack-test';
const POOL = 'us-east-1_TestPool';
const API = 'https://abc123.execute-api.us-east-1.amazonaws.com';

const cfn = mockClient(CloudFormationClient);
const cognito = mockClient(CognitoIdentityProviderClient);
const kms = fakeKms(KEY_ID);

/** What infra/stack.ts outputs (names the stack engineer builds to), pointing at this run's services. */
function stackOutputs(): Record<string, string> {
  return {
    TableName: services.tableName,
    SecretsKeyId: KEY_ID,
    StaffUserPoolId: POOL,
    StaffClientId: 'client-123',
    ApiUrl: `${API}/`,
    QueueUrlInbound: services.queueUrls.inbound!,
    QueueUrlNotifications: services.queueUrls.notifications!,
    QueueUrlOutbound: services.queueUrls.outbound!,
    DeadLetterUrlInbound: services.dlqUrls.inbound!,
    DeadLetterUrlNotifications: services.dlqUrls.notifications!,
    DeadLetterUrlOutbound: services.dlqUrls.outbound!,
  };
}

function describesStack(outputs: Record<string, string>) {
  cfn.on(DescribeStacksCommand, { StackName: STACK }).resolves({
    Stacks: [
      {
        StackName: STACK,
        StackStatus: 'UPDATE_COMPLETE',
        CreationTime: new Date(),
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    readStdin: async () => 'from-stdin-secret',
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const onStack = (...args: string[]) => cli('--stack', STACK, '--region', REGION, ...args);

/** The ingest function as deployed: its deps built from the stack's env, opening secrets through KMS. */
function deployedIngest() {
  const deployed = { ...config, secretsKey: { kind: 'kms', keyId: KEY_ID } } as const;
  const deps = createDeps(deployed, {
    dynamo: db.client,
    sqs,
    ...secretsOf(deployed, { kms: new KMSClient({ region: REGION }) }),
    connectors: connectorFor,
  });
  const handler = ingestWebhookHandler(deps) as unknown as (
    e: APIGatewayProxyEventV2,
    c: object,
  ) => Promise<{ statusCode: number; body: string }>;
  const deliver = (secret: string, eventId: string) => {
    const body = loadSample('shopify', 'orders-create.json');
    const signed = signers.shopify!(body, { secret, topic: 'orders/create', eventId });
    return handler(webhookEvent('shopify', shopId, signed.body, signed.headers), {});
  };
  return Object.assign(deliver, { clearShopCache: () => (deps.shops as DynamoShops).clearCache() });
}

const shopId = `it-stack-${Date.now().toString(36)}`;

beforeEach(() => {
  cfn.reset();
  cognito.reset();
  describesStack(stackOutputs());
});

afterAll(() => {
  cfn.restore();
  cognito.restore();
  kms.restore();
  vi.unstubAllEnvs();
  rmSync(scratch, { recursive: true, force: true });
});

describe('aftersale --stack: onboarding a shop', () => {
  beforeAll(async () => {
    describesStack(stackOutputs());
    const added = await onStack('shop', 'add', shopId, '--name', 'Stack Shop', '--locale', 'en');
    expect(added, added.err).toMatchObject({ code: 0 });
  });

  it('reads the named stack in the given region and says which stack it works on', async () => {
    const shown = await onStack('shop', 'show', shopId);
    expect(shown.code, shown.err).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({ shopId, name: 'Stack Shop', locale: 'en' });
    expect(shown.err).toContain(`on stack ${STACK} (${REGION})`);
    const calls = cfn.commandCalls(DescribeStacksCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({ StackName: STACK });
    expect(await calls[0]!.thisValue.config.region()).toBe(REGION);
  });

  it('seals the connector secret with the stack key, and the deployed ingest verifies with it', async () => {
    const set = await onStack('connector', 'set', shopId, 'shopify', '--secret', 'stack-secret-1');
    expect(set.code, set.err).toBe(0);
    expect(set.out).toContain('shopify connector of');
    expect(set.out).toContain(`its webhooks: POST ${API}/webhooks/shopify/${shopId}`);
    const item = await db.client.send(
      new GetCommand({ TableName: db.table, Key: { pk: `SHOP#${shopId}`, sk: 'CONN#shopify' } }),
    );
    expect(item.Item?.secrets).toBeUndefined();
    expect(item.Item?.sealedSecrets).toHaveLength(1);
    expect(item.Item?.sealedSecrets[0]).toMatch(/^kms:/);
    expect(JSON.stringify(item.Item)).not.toContain('stack-secret-1');
    expect(kms.encrypts().at(-1)!.args[0].input).toMatchObject({
      KeyId: KEY_ID,
      EncryptionContext: { shopId, connector: 'shopify' },
    });

    const ingest = deployedIngest();
    const before = kms.decrypts();
    for (let i = 0; i < 5; i++) expect((await ingest('stack-secret-1', `stack-${i}`)).statusCode).toBe(202);
    // One Decrypt for the instance's first read; the next four webhooks cost no KMS call.
    expect(kms.decrypts() - before).toBe(1);
    // The shop cache expires (15 s) and the table is read again: the same ciphertext, no KMS call.
    ingest.clearShopCache();
    expect((await ingest('stack-secret-1', 'stack-after-expiry')).statusCode).toBe(202);
    expect(kms.decrypts() - before).toBe(1);
    expect((await ingest('not-the-secret', 'stack-bad')).statusCode).toBe(401);
  });

  it('rotates: the new secret is current and the previous one still verifies', async () => {
    const rotated = await onStack('connector', 'set', shopId, 'shopify', '--secret', '-');
    expect(rotated.code, rotated.err).toBe(0);
    expect(rotated.out).toContain(
      '2 secret(s) kept (the new one is current; the previous one still verifies)',
    );
    const ingest = deployedIngest();
    expect((await ingest('from-stdin-secret', 'rot-new')).statusCode).toBe(202);
    expect((await ingest('stack-secret-1', 'rot-old')).statusCode).toBe(202);
  });

  it('sets the outbound endpoint there too', async () => {
    const set = await onStack(
      'outbound',
      'set',
      shopId,
      '--url',
      'https://erp.example.com/aftersale',
      '--secret',
      'outbound-secret-0123',
    );
    expect(set.code, set.err).toBe(0);
    const shown = await onStack('outbound', 'show', shopId);
    expect(JSON.parse(shown.out)).toEqual({ url: 'https://erp.example.com/aftersale', secrets: 1 });
  });

  it('lists and replays the inbox through the stack queues', async () => {
    await purge(sqs, services.queueUrls.inbound!);
    expect((await deployedIngest()('stack-secret-1', 'replay-me')).statusCode).toBe(202);
    await drain(sqs, services.queueUrls.inbound!);
    const listed = await onStack('inbox', 'list', shopId, '--status', 'received');
    expect(listed.code, listed.err).toBe(0);
    const inboxId = listed.out
      .split('\n')
      .find((l) => l.includes('orders/create'))
      ?.split('  ')[0];
    expect(inboxId).toBeTruthy();
    const replayed = await onStack('inbox', 'replay', shopId, inboxId!);
    expect(replayed.code, replayed.err).toBe(0);
    expect(replayed.out).toBe(`inbox item ${inboxId} queued again (was received)`);
    const queued = await drain(sqs, services.queueUrls.inbound!);
    expect(queued.map((r) => JSON.parse(r.body))).toContainEqual({ kind: 'inbox', shopId, inboxId });
  });

  it('lists a DLQ and redrives it to its queue', async () => {
    await purge(sqs, services.dlqUrls.inbound!);
    await purge(sqs, services.queueUrls.inbound!);
    const body = JSON.stringify({ kind: 'inbox', shopId, inboxId: 'dead-one' });
    await sqs.send(new SendMessageCommand({ QueueUrl: services.dlqUrls.inbound, MessageBody: body }));
    const listed = await onStack('dlq', 'list', 'inbound');
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toContain('inbound-dlq: 1 message(s)');
    expect(listed.out).toContain('dead-one');
    const redriven = await onStack('dlq', 'redrive', 'inbound');
    expect(redriven.out).toBe('inbound: 1 message(s) moved back from the DLQ');
    expect((await drain(sqs, services.queueUrls.inbound!)).map((r) => r.body)).toEqual([body]);
  });

  it("tails the stack's outbox", async () => {
    const deps = createDeps(config, { dynamo: db.client, sqs, ...secretsOf(config) });
    await deps.outbox.put({
      id: 'stack-note-1',
      shopId,
      channel: 'email',
      to: 'customer@example.com',
      templateId: 'case.approved',
      locale: 'en',
      subject: 'Your return is approved',
      text: 'Send the parcel within 7 days.',
      createdAt: new Date().toISOString(),
    });
    const tail = await onStack('outbox', 'tail', '--shop', shopId);
    expect(tail.code, tail.err).toBe(0);
    expect(tail.out).toContain('email to c***@example.com  case.approved (en)  stack-note-1');
    expect(tail.out).toContain('Subject: Your return is approved');
  });
});

describe('aftersale --stack staff add', () => {
  it('creates the Cognito user with the shop and puts them in the role group', async () => {
    cognito.on(AdminCreateUserCommand).resolves({ User: { Username: 'uuid-1' } });
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    const added = await onStack(
      'staff',
      'add',
      '--email',
      'Lin@Example.com',
      '--shop',
      shopId,
      '--role',
      'manager',
    );
    expect(added.code, added.err).toBe(0);
    expect(added.out).toContain(`lin@example.com added as manager of ${shopId}`);
    expect(cognito.commandCalls(AdminCreateUserCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'lin@example.com',
      UserAttributes: [
        { Name: 'email', Value: 'lin@example.com' },
        { Name: 'email_verified', Value: 'true' },
        { Name: 'custom:shop_id', Value: shopId },
      ],
      DesiredDeliveryMediums: ['EMAIL'],
    });
    expect(cognito.commandCalls(AdminAddUserToGroupCommand)[0]!.args[0].input).toEqual({
      UserPoolId: POOL,
      Username: 'lin@example.com',
      GroupName: 'manager',
    });
  });

  it("adds the role to an existing member of the same shop, and refuses another shop's", async () => {
    cognito
      .on(AdminCreateUserCommand)
      .rejects(new UsernameExistsException({ message: 'User account already exists', $metadata: {} }));
    cognito.on(AdminAddUserToGroupCommand).resolves({});
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'uuid-1',
      UserAttributes: [{ Name: 'custom:shop_id', Value: shopId }],
    });
    const same = await onStack(
      'staff',
      'add',
      '--email',
      'lin@example.com',
      '--shop',
      shopId,
      '--role',
      'staff',
    );
    expect(same.code, same.err).toBe(0);
    expect(same.out).toContain('was already staff');
    cognito.on(AdminGetUserCommand).resolves({
      Username: 'uuid-1',
      UserAttributes: [{ Name: 'custom:shop_id', Value: 'another-shop' }],
    });
    cognito.on(AdminAddUserToGroupCommand).rejects(new Error('must not be called'));
    const other = await onStack(
      'staff',
      'add',
      '--email',
      'lin@example.com',
      '--shop',
      shopId,
      '--role',
      'staff',
    );
    expect(other.code).toBe(2);
    expect(other.err).toContain('already staff of shop another-shop');
  });

  it('refuses a shop the stack does not have, before any Cognito call', async () => {
    const res = await onStack(
      'staff',
      'add',
      '--email',
      'a@example.com',
      '--shop',
      'no-such-shop',
      '--role',
      'staff',
    );
    expect(res.code).toBe(2);
    expect(res.err).toContain(`no shop no-such-shop on stack ${STACK}`);
    expect(cognito.commandCalls(AdminCreateUserCommand)).toHaveLength(0);
  });

  it('says locally that staff are tokens, and on a stack that tokens are Cognito', async () => {
    const local = await cli('staff', 'add', '--email', 'a@example.com', '--shop', shopId, '--role', 'staff');
    expect(local.code).toBe(2);
    expect(local.err).toContain('locally staff accounts are tokens: `aftersale token --shop');
    const token = await onStack('token', '--shop', shopId, '--role', 'staff');
    expect(token.code).toBe(2);
    expect(token.err).toContain('staff sign in through Cognito');
  });
});

describe('aftersale --stack: a stack that is not there, or not complete', () => {
  it('names a missing stack', async () => {
    cfn.reset();
    cfn.on(DescribeStacksCommand).rejects(
      new CloudFormationServiceException({
        name: 'ValidationError',
        $fault: 'client',
        $metadata: {},
        message: 'Stack with id aftersale-nope does not exist',
      }),
    );
    const res = await cli('--stack', 'aftersale-nope', '--region', REGION, 'shop', 'show', shopId);
    expect(res.code).toBe(2);
    expect(res.err).toBe(
      `aftersale: no stack "aftersale-nope" in ${REGION} for these credentials: check --stack, --region and the AWS profile`,
    );
  });

  it('names every output a command needs and the stack lacks', async () => {
    const { QueueUrlInbound: _q, DeadLetterUrlOutbound: _d, ...partial } = stackOutputs();
    cfn.reset();
    describesStack(partial);
    const dlq = await onStack('dlq', 'list');
    expect(dlq.code).toBe(2);
    expect(dlq.err).toContain(
      `stack ${STACK} (${REGION}, UPDATE_COMPLETE) has no output QueueUrlInbound, DeadLetterUrlOutbound`,
    );
    // A command that needs no queue still works on it.
    expect((await onStack('shop', 'show', shopId)).code).toBe(0);
    const { SecretsKeyId: _k, ...keyless } = stackOutputs();
    cfn.reset();
    describesStack(keyless);
    const set = await onStack('connector', 'set', shopId, 'shopify', '--secret', 'x');
    expect(set.err).toContain('has no output SecretsKeyId');
  });
});

describe('aftersale target', () => {
  it('saves a target that later commands use by name or through AFTERSALE_TARGET', async () => {
    const saved = await cli('target', 'save', 'prod', '--stack', STACK, '--region', REGION);
    expect(saved.code, saved.err).toBe(0);
    expect((await cli('target', 'list')).out).toBe(`prod  stack ${STACK}  region ${REGION}`);
    const shown = await cli('--target', 'prod', 'shop', 'show', shopId);
    expect(shown.code, shown.err).toBe(0);
    expect(shown.err).toContain(`on stack ${STACK} (${REGION}) [target prod]`);
    vi.stubEnv('AFTERSALE_TARGET', 'prod');
    const outputs = await cli('target', 'show');
    expect(outputs.out).toContain(`TableName  ${services.tableName}`);
    vi.stubEnv('AFTERSALE_TARGET', 'staging');
    const unknown = await cli('shop', 'show', shopId);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('no saved target "staging" (AFTERSALE_TARGET): saved ones are prod');
    vi.stubEnv('AFTERSALE_TARGET', '');
    expect((await cli('target', 'remove', 'prod')).code).toBe(0);
    expect((await cli('--target', 'prod', 'shop', 'show', shopId)).err).toContain('no saved target "prod"');
  });
});
