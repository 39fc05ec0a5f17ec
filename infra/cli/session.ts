import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SQSClient } from '@aws-sdk/client-sqs';
import { documentClient } from '../../functions/adapters/dynamo/client.ts';
import { secretsOf } from '../../functions/adapters/secrets/index.ts';
import type { AppDeps } from '../../functions/app/ports.ts';
import { createDeps } from '../../functions/deps.ts';
import { type Config, readConfig } from '../../functions/lib/config.ts';
import { ensureTable } from '../local/bootstrap.ts';
import { startDynamo } from '../local/dynamodb.ts';
import { applyLocalEnv, dataDir, LOCAL_REGION, LOCAL_TABLE, readRuntimeInfo } from '../local/state.ts';
import { queues } from '../topology.ts';
import { fail } from './io.ts';
import { DEAD_LETTER_OUTPUTS, OUTPUTS, QUEUE_OUTPUTS, readStackOutputs, type StackOutputs } from './stack.ts';
import { CognitoStaff } from './staff.ts';
import { describeTarget, type StackTarget, type Target } from './target.ts';

/**
 * What a command works on: the same use cases and adapters (`createDeps`) whichever the target;
 * only the config and the clients differ. Locally the running runtime's table and queues (or, when
 * none runs, DynamoDB Local on the same data for the command's duration, without queues); on a
 * stack its table, queues and key from its outputs, with the operator's own AWS credentials.
 */
export interface Session {
  kind: 'local' | 'stack';
  /** For messages: "the local runtime", "stack aftersale-prod (eu-west-1)". */
  where: string;
  deps: AppDeps;
  /** Whether `deps.queues` and `deps.deadLetters` reach queues (a stack, or a running runtime). */
  queues: boolean;
  /** Where the API answers (webhook URLs), when known. */
  apiUrl?: string | undefined;
  /** Cognito staff accounts (stacks only). */
  staff?: CognitoStaff | undefined;
  outputs?: StackOutputs | undefined;
}

export interface SessionNeeds {
  /** Default true. */
  table?: boolean;
  /** `required`: fail without queues; `optional`: use them when there are. */
  queues?: 'required' | 'optional';
  staff?: boolean;
}

export async function withSession<T>(
  target: Target,
  needs: SessionNeeds,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  return target.kind === 'local' ? withLocal(needs, work) : withStack(target, needs, work);
}

const allQueues = queues.map((q) => q.name);

async function withLocal<T>(needs: SessionNeeds, work: (session: Session) => Promise<T>): Promise<T> {
  if (needs.staff) {
    fail(
      'locally there are no staff accounts: staff are tokens, `aftersale token --shop <shopId> --role staff|manager`',
    );
  }
  const running = readRuntimeInfo();
  if (running) {
    applyLocalEnv({
      dynamoEndpoint: running.dynamoEndpoint,
      sqsEndpoint: running.sqsEndpoint,
      tableName: running.tableName,
      queueUrls: running.queueUrls,
      dlqUrls: running.dlqUrls,
    });
    const config = readConfig(process.env, { queues: allQueues, deadLetters: allQueues });
    return work({
      kind: 'local',
      where: 'the local runtime',
      deps: createDeps(config, secretsOf(config)),
      queues: true,
      apiUrl: running.url,
    });
  }
  if (needs.queues === 'required')
    fail('the queues live in the running stack: start it with `npm start` first');
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
    const config = readConfig(process.env);
    const deps = createDeps(config, secretsOf(config));
    return await work({ kind: 'local', where: 'the local data (no runtime running)', deps, queues: false });
  } finally {
    await dynamo.stop();
  }
}

async function withStack<T>(
  target: StackTarget,
  needs: SessionNeeds,
  work: (session: Session) => Promise<T>,
): Promise<T> {
  // The SDK's own credential chain (env, AWS_PROFILE, SSO, instance roles); --profile picks one.
  if (target.profile) process.env.AWS_PROFILE = target.profile;
  const cfn = new CloudFormationClient({ ...(target.region && { region: target.region }) });
  const clients: Array<{ destroy(): void }> = [cfn];
  try {
    let region: string;
    try {
      region = await cfn.config.region();
    } catch {
      fail('no AWS region: give --region, set AWS_REGION, or use a profile with a region');
    }
    const outputs = await readStackOutputs(cfn, target.stack, region);
    const where = describeTarget(target, region);
    const names = [
      ...(needs.table === false ? [] : [OUTPUTS.table, OUTPUTS.secretsKey]),
      ...(needs.queues ? [...QUEUE_OUTPUTS, ...DEAD_LETTER_OUTPUTS] : []),
      ...(needs.staff ? [OUTPUTS.staffPool] : []),
    ];
    const values = outputs.require(names);
    const secretsKeyId = values[OUTPUTS.secretsKey];
    const config: Config = {
      tableName: values[OUTPUTS.table] ?? '',
      queueUrls: Object.fromEntries(
        needs.queues ? queues.map((q) => [q.name, values[OUTPUTS.queueUrl(q.name)]!]) : [],
      ),
      deadLetterUrls: Object.fromEntries(
        needs.queues ? queues.map((q) => [q.name, values[OUTPUTS.deadLetterUrl(q.name)]!]) : [],
      ),
      ...(secretsKeyId && { secretsKey: { kind: 'kms', keyId: secretsKeyId } }),
    };
    const dynamo = new DynamoDBClient({ region });
    // As in the functions (adapters/sqs.ts): requests go to the region's endpoint, not the URL's host.
    const sqs = new SQSClient({ region, useQueueUrlAsEndpoint: false });
    const kms = new KMSClient({ region });
    const cognito = new CognitoIdentityProviderClient({ region });
    clients.push(dynamo, sqs, kms, cognito);
    const deps = createDeps(config, { dynamo: documentClient(dynamo), sqs, ...secretsOf(config, { kms }) });
    return await work({
      kind: 'stack',
      where,
      deps,
      queues: Boolean(needs.queues),
      apiUrl: outputs.values[OUTPUTS.apiUrl]?.replace(/\/+$/, ''),
      staff: needs.staff ? new CognitoStaff(cognito, values[OUTPUTS.staffPool]!) : undefined,
      outputs,
    });
  } finally {
    for (const client of clients) client.destroy();
  }
}
