import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ENVIRONMENT } from '../../infra/function.ts';
import {
  env,
  type FunctionName,
  type FunctionSpec,
  functionSpec,
  functions,
  queues,
} from '../../infra/topology.ts';
import {
  actionsOf,
  allowedActions,
  arnOf,
  type PolicyStatement,
  productionStack,
  ref,
  resource,
  resourcesOf,
  type SynthesizedStack,
  sameJson,
} from './helpers.ts';

// Each function is built as its topology entry says and may do exactly what the entry declares.

let stack: SynthesizedStack;

beforeAll(async () => {
  stack = await productionStack();
});

const DEFAULT_ENV = new Set(Object.keys(DEFAULT_ENVIRONMENT));
const BINDING_ENV = new Set<string>([
  env.table,
  ...queues.map((q) => env.queueUrl(q.name)),
  ...queues.map((q) => env.deadLetterUrl(q.name)),
  env.publicUrl,
  env.adminJwtSecret,
  env.adminJwtIssuer,
  env.adminJwtAudience,
  env.customerTokenSecret,
  env.secretsKeyId,
  env.staffPoolId,
  env.staffClientId,
]);

function expectedBindings(spec: FunctionSpec): Record<string, unknown> {
  const authorizer = () =>
    resource(stack.template, 'AWS::ApiGatewayV2::Authorizer', stack.onlyId('AWS::ApiGatewayV2::Authorizer'));
  return {
    ...(spec.table && { [env.table]: ref(stack.tableId()) }),
    ...Object.fromEntries((spec.sendsTo ?? []).map((q) => [env.queueUrl(q), ref(stack.queueId(q))])),
    // A DLQ it redrives, and the queue the messages go back to.
    ...Object.fromEntries(
      (spec.redrives ?? []).flatMap((q) => [
        [env.deadLetterUrl(q), ref(stack.dlqId(q))],
        [env.queueUrl(q), ref(stack.queueId(q))],
      ]),
    ),
    // Links in messages: the stack's own API.
    ...(spec.publicUrl && { [env.publicUrl]: apiEndpoint() }),
    // The function checks the same issuer and audience as the gateway, not a copy that can drift.
    ...(spec.adminAuth && {
      [env.adminJwtIssuer]: authorizer().Properties.JwtConfiguration.Issuer,
      [env.adminJwtAudience]: ref(stack.onlyId('AWS::Cognito::UserPoolClient')),
    }),
    // The customer token key is the stack's secret, resolved by CloudFormation at deploy time.
    ...(spec.customerTokens && { [env.customerTokenSecret]: customerTokenReference() }),
    // The admin page signs in with the stack's pool and its app client.
    ...(spec.staffSignIn && {
      [env.staffPoolId]: ref(stack.onlyId('AWS::Cognito::UserPool')),
      [env.staffClientId]: ref(stack.onlyId('AWS::Cognito::UserPoolClient')),
    }),
    // The key connector and channel secrets are encrypted with (its ARN: a valid KeyId anywhere).
    ...(spec.secretsKey && { [env.secretsKeyId]: arnOf(secretsKeyId()) }),
  };
}

function secretsKeyId(): string {
  const ids = Object.entries(stack.template.findResources('AWS::KMS::Key'))
    .filter(([, k]) => String(k.Properties.Description).includes('connector and channel secrets'))
    .map(([id]) => id);
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function apiEndpoint(): unknown {
  const api = stack.onlyId('AWS::ApiGatewayV2::Api');
  return { 'Fn::GetAtt': [api, 'ApiEndpoint'] };
}

function customerTokenReference(): unknown {
  const secret = stack.onlyId('AWS::SecretsManager::Secret');
  return { 'Fn::Join': ['', ['{{resolve:secretsmanager:', ref(secret), ':SecretString:::}}']] };
}

describe('functions', () => {
  it('creates exactly one Lambda function per topology function', () => {
    stack.template.resourceCountIs('AWS::Lambda::Function', functions.length);
    expect([...stack.functionNames].sort()).toEqual(functions.map((f) => f.name).sort());
    expect(new Set(functions.map((f) => stack.fnId(f.name))).size).toBe(functions.length);
  });

  it.each(functions)('$name runs on arm64 Node.js 24 with the topology memory and timeout', (spec) => {
    expect(stack.fnResource(spec.name).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutSeconds,
      Handler: 'index.handler',
      Description: spec.description,
    });
  });

  it.each(functions)('$name gets exactly the bindings its topology entry declares', (spec) => {
    const vars: Record<string, unknown> = stack.fnResource(spec.name).Properties.Environment.Variables;
    const bindings = Object.fromEntries(Object.entries(vars).filter(([k]) => BINDING_ENV.has(k)));
    expect(bindings).toEqual(expectedBindings(spec));
    // Anything else would be a binding the topology does not know about.
    expect(Object.keys(vars).filter((k) => !BINDING_ENV.has(k) && !DEFAULT_ENV.has(k))).toEqual([]);
  });

  it.each(functions)(
    '$name does not turn on --enable-source-maps (its map is an artifact, not in the bundle)',
    (spec) => {
      const vars = stack.fnResource(spec.name).Properties.Environment.Variables;
      expect(String(vars.NODE_OPTIONS ?? '')).not.toContain('--enable-source-maps');
    },
  );

  it.each(functions)('$name logs JSON to its own log group, kept the configured number of days', (spec) => {
    const fn = stack.fnResource(spec.name).Properties;
    expect(fn.LoggingConfig.LogFormat).toBe('JSON');
    const groupId = fn.LoggingConfig.LogGroup.Ref;
    expect(resource(stack.template, 'AWS::Logs::LogGroup', groupId).Properties.RetentionInDays).toBe(30);
    const others = stack
      .values('AWS::Lambda::Function')
      .filter(
        (f) => f !== stack.fnResource(spec.name) && f.Properties.LoggingConfig?.LogGroup?.Ref === groupId,
      );
    expect(others).toEqual([]);
  });

  it('reserves concurrency exactly where the topology says (one sweep at a time)', () => {
    for (const spec of functions) {
      expect(stack.fnResource(spec.name).Properties.ReservedConcurrentExecutions, spec.name).toBe(
        spec.reservedConcurrency,
      );
    }
    expect(functionSpec('sweep-timers').reservedConcurrency).toBe(1);
  });

  it('sends failed asynchronous sweeps to the sweep-failures queue (on-failure destination)', () => {
    const configs = stack
      .values('AWS::Lambda::EventInvokeConfig')
      .filter((c) => sameJson(c.Properties.FunctionName, ref(stack.fnId('sweep-timers'))));
    expect(configs).toHaveLength(1);
    const destination = configs[0]!.Properties.DestinationConfig.OnFailure.Destination;
    expect(destination['Fn::GetAtt'][1]).toBe('Arn');
    const queue = resource(stack.template, 'AWS::SQS::Queue', destination['Fn::GetAtt'][0]);
    expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    expect(configs[0]!.Properties.MaximumRetryAttempts).toBe(2);
  });

  it("has ingest-webhook answer within Shopify's 5 s", () => {
    expect(stack.fnResource('ingest-webhook').Properties.Timeout).toBeLessThanOrEqual(5);
  });

  it.each(functions)(
    '$name keeps the default environment beside its bindings (merged, not replaced)',
    (spec) => {
      expect(stack.fnResource(spec.name).Properties.Environment.Variables).toMatchObject(DEFAULT_ENVIRONMENT);
    },
  );

  it('never puts the local HS256 admin secret into a cloud function', () => {
    for (const spec of functions) {
      expect(stack.fnResource(spec.name).Properties.Environment.Variables).not.toHaveProperty(
        env.adminJwtSecret,
      );
    }
  });

  it('leaves the health probe without table, queue or dynamodb rights (least privilege)', () => {
    const health = functionSpec('health');
    expect(health.table).toBeUndefined();
    expect(health.sendsTo).toBeUndefined();
    const vars = stack.fnResource('health').Properties.Environment.Variables;
    expect(vars).not.toHaveProperty(env.table);
    expect(Object.keys(vars).filter((k) => k.startsWith('QUEUE_URL_'))).toEqual([]);
    expect(allowedActions(stack.statementsOf('health')).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(allowedActions(stack.statementsOf('health')).filter((a) => a.startsWith('sqs:'))).toEqual([]);
  });
});

describe('IAM', () => {
  const dynamoActions = (name: FunctionName) =>
    allowedActions(stack.statementsOf(name)).filter((a) => a.startsWith('dynamodb:'));

  const tableArn = () => arnOf(stack.tableId());
  const indexArn = () => ({ 'Fn::Join': ['', [arnOf(stack.tableId()), '/index/*']] });

  it.each(functions.filter((f) => f.table))(
    '$name may use exactly the DynamoDB actions its topology entry lists',
    (spec) => {
      const expected = spec.table!.actions.map((a) => `dynamodb:${a}`).sort();
      expect([...new Set(dynamoActions(spec.name))].sort()).toEqual(expected);
      // Each on the table itself; the indexes only for Query (they serve reads by access pattern).
      expect(
        [...new Set(allowedActions(stack.statementsOf(spec.name), tableArn()))]
          .filter((a) => a.startsWith('dynamodb:'))
          .sort(),
      ).toEqual(expected);
      const onIndexes = allowedActions(stack.statementsOf(spec.name), indexArn());
      expect([...new Set(onIndexes)]).toEqual(
        spec.table!.actions.includes('Query') ? ['dynamodb:Query'] : [],
      );
    },
  );

  it.each(functions)('$name may not Scan, touch a stream or manage the table', (spec) => {
    for (const action of dynamoActions(spec.name)) {
      expect(action).not.toMatch(
        /Scan|Stream|Shard|Records|Create|Delete(Table|Backup)|Restore|Import|Export|\*/,
      );
    }
    // Every DynamoDB statement names this table or its indexes, nothing else.
    for (const statement of stack
      .statementsOf(spec.name)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('dynamodb:')))) {
      for (const r of resourcesOf(statement)) expect([tableArn(), indexArn()]).toContainEqual(r);
    }
  });

  it('grants nobody a DynamoDB action the code does not call (no DeleteItem, no ConditionCheckItem today)', () => {
    const used = new Set(functions.flatMap((f) => f.table?.actions ?? []));
    expect(used.has('DeleteItem')).toBe(false);
    expect(used.has('ConditionCheckItem')).toBe(false);
    expect(functionSpec('ingest-webhook').table!.actions.sort()).toEqual(['GetItem', 'PutItem', 'Query']);
    expect(functionSpec('mail-feedback').table!.actions).toEqual(['Query']);
  });

  it.each(functions.filter((f) => !f.table))('$name has no dynamodb rights at all', (spec) => {
    expect(dynamoActions(spec.name)).toEqual([]);
  });

  it.each(functions)('$name may send to exactly the queues it sendsTo', (spec) => {
    for (const q of queues) {
      const actions = allowedActions(stack.statementsOf(spec.name), arnOf(stack.queueId(q.name)));
      if (spec.sendsTo?.includes(q.name)) expect(actions, q.name).toContain('sqs:SendMessage');
      else expect(actions, q.name).not.toContain('sqs:SendMessage');
    }
  });

  it.each(functions)('$name may consume exactly the queues whose consumer it is', (spec) => {
    for (const q of queues) {
      const actions = allowedActions(stack.statementsOf(spec.name), arnOf(stack.queueId(q.name)));
      const consumes = q.consumer === spec.name;
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage']) {
        if (consumes) expect(actions, q.name).toContain(action);
        else expect(actions, q.name).not.toContain(action);
      }
    }
  });

  it.each(functions)('$name has no managed policies and may write logs only to its own log group', (spec) => {
    const fn = stack.fnResource(spec.name);
    const role = resource(stack.template, 'AWS::IAM::Role', fn.Properties.Role['Fn::GetAtt'][0]);
    expect(role.Properties.ManagedPolicyArns ?? []).toEqual([]);
    const logGroup = fn.Properties.LoggingConfig.LogGroup.Ref;
    const logStatements = stack
      .statementsOf(spec.name)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('logs:')));
    expect(logStatements.length).toBeGreaterThan(0);
    for (const statement of logStatements) {
      for (const r of resourcesOf(statement)) expect(JSON.stringify(r)).toContain(`"${logGroup}"`);
    }
  });

  it.each(functions)('$name is granted nothing on Resource "*" but what no ARN can name', (spec) => {
    const wildcard = stack
      .statementsOf(spec.name)
      .filter((s: PolicyStatement) => s.Effect === 'Allow' && resourcesOf(s).includes('*'));
    // Only a sender, and only sending: the shops' own SES identities and SMS to phone numbers
    // (SNS publishes those without a topic) cannot be named at deploy time.
    expect(allowedActions(wildcard).sort()).toEqual(spec.messaging ? ['ses:SendEmail', 'sns:Publish'] : []);
  });

  const kmsOn = (name: FunctionName, keyId: string) =>
    allowedActions(stack.statementsOf(name), arnOf(keyId)).filter((a) => a.startsWith('kms:'));

  it.each(functions)(
    '$name may decrypt with the secrets key exactly when its topology entry says secretsKey',
    (spec) => {
      const actions = kmsOn(spec.name, secretsKeyId());
      // Decrypt only: the operator's CLI encrypts; no function writes secrets.
      expect(actions).toEqual(spec.secretsKey ? ['kms:Decrypt'] : []);
    },
  );

  it('has functions that verify or sign with secrets, all flagged (ingest-webhook verifies every webhook)', () => {
    expect(functionSpec('ingest-webhook').secretsKey).toBe(true);
    expect(functions.filter((f) => !f.secretsKey).length).toBeGreaterThan(0);
  });

  it('rotates the secrets key every year and keeps it with the data', () => {
    const key = resource(stack.template, 'AWS::KMS::Key', secretsKeyId());
    expect(key.Properties.EnableKeyRotation).toBe(true);
    expect(key.DeletionPolicy).toBe('Retain');
    // Only the key's own account administers it; no function role appears in the key policy.
    const principals = JSON.stringify(
      key.Properties.KeyPolicy.Statement.map((s: { Principal: unknown }) => s.Principal),
    );
    expect(principals).not.toContain('Role');
  });

  it('subscribes mail-feedback to the topic SES reports bounces and complaints of its configuration set to', () => {
    const lambdas = stack.values('AWS::SNS::Subscription').filter((s) => s.Properties.Protocol === 'lambda');
    expect(lambdas).toHaveLength(1);
    const subscription = lambdas[0]!.Properties;
    expect(subscription.Protocol).toBe('lambda');
    expect(subscription.Endpoint).toEqual({ 'Fn::GetAtt': [stack.fnId('mail-feedback'), 'Arn'] });
    const destination = resource(
      stack.template,
      'AWS::SES::ConfigurationSetEventDestination',
      stack.onlyId('AWS::SES::ConfigurationSetEventDestination'),
    ).Properties.EventDestination;
    expect(destination.MatchingEventTypes.sort()).toEqual(['bounce', 'complaint']);
    expect(destination.SnsDestination.TopicARN).toEqual(subscription.TopicArn);
  });
});
