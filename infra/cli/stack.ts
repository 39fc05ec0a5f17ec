import {
  type CloudFormationClient,
  DescribeStacksCommand,
  type DescribeStacksCommandOutput,
} from '@aws-sdk/client-cloudformation';
import { type QueueName, queues } from '../topology.ts';
import { fail } from './io.ts';

const capitalised = (queue: QueueName) => `${queue[0]!.toUpperCase()}${queue.slice(1)}`;

/**
 * The stack's outputs the CLI reads (infra/stack.ts declares them under exactly these names);
 * per queue `QueueUrl<Name>` and `DeadLetterUrl<Name>`, Name the capitalised topology name.
 */
export const OUTPUTS = {
  table: 'TableName',
  staffPool: 'StaffUserPoolId',
  staffClient: 'StaffClientId',
  secretsKey: 'SecretsKeyId',
  apiUrl: 'ApiUrl',
  queueUrl: (queue: QueueName) => `QueueUrl${capitalised(queue)}`,
  deadLetterUrl: (queue: QueueName) => `DeadLetterUrl${capitalised(queue)}`,
} as const;

export const QUEUE_OUTPUTS = queues.map((q) => OUTPUTS.queueUrl(q.name));
export const DEAD_LETTER_OUTPUTS = queues.map((q) => OUTPUTS.deadLetterUrl(q.name));

export interface StackOutputs {
  stack: string;
  region: string;
  status: string;
  values: Record<string, string>;
  /** The value of each name asked for; a clear error naming every missing one. */
  require(names: readonly string[]): Record<string, string>;
}

/** The stack's outputs through CloudFormation DescribeStacks, with the operator's credentials. */
export async function readStackOutputs(
  cfn: CloudFormationClient,
  stack: string,
  region: string,
): Promise<StackOutputs> {
  let described: DescribeStacksCommandOutput;
  try {
    described = await cfn.send(new DescribeStacksCommand({ StackName: stack }));
  } catch (err) {
    const e = err as Error;
    if (e.name === 'ValidationError' && /does not exist/.test(e.message)) {
      fail(
        `no stack "${stack}" in ${region} for these credentials: check --stack, --region and the AWS profile`,
      );
    }
    if (e.name === 'CredentialsProviderError') {
      fail(
        `no AWS credentials (${e.message}): set AWS_PROFILE or give --profile, sign in (aws sso login), or set AWS_ACCESS_KEY_ID`,
      );
    }
    if (/ExpiredToken|AccessDenied|UnrecognizedClient|InvalidClientTokenId/.test(e.name)) {
      fail(`AWS refused to describe stack ${stack} (${e.name}: ${e.message})`);
    }
    throw err;
  }
  const found = described.Stacks?.[0];
  if (!found) fail(`no stack "${stack}" in ${region}`);
  const status = found.StackStatus ?? 'UNKNOWN';
  const values = Object.fromEntries(
    (found.Outputs ?? []).flatMap((o) =>
      o.OutputKey && o.OutputValue ? [[o.OutputKey, o.OutputValue]] : [],
    ),
  );
  return {
    stack,
    region,
    status,
    values,
    require(names) {
      const missing = names.filter((n) => !values[n]);
      if (missing.length) {
        fail(
          `stack ${stack} (${region}, ${status}) has no output ${missing.join(', ')}: ` +
            'is it deployed from this version of aftersale (`npx cdk deploy`)?',
        );
      }
      return Object.fromEntries(names.map((n) => [n, values[n]!]));
    },
  };
}
