import { beforeAll, describe, expect, it } from 'vitest';
import {
  env,
  type FunctionName,
  type FunctionSpec,
  functionSpec,
  functions,
  queues,
} from '../../infra/topology.ts';
import {
  allowedActions,
  arnOf,
  type PolicyStatement,
  productionStack,
  ref,
  resource,
  resourcesOf,
  type SynthesizedStack,
} from './helpers.ts';

// Each function is built as its topology entry says and may do exactly what the entry declares.

let stack: SynthesizedStack;

beforeAll(async () => {
  stack = await productionStack();
});

const WRITE_ACTION = /^dynamodb:(\*|.*(Put|Update|Delete|Write|Create|Restore|Import).*)$/;
const DEFAULT_ENV = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'LOG_LEVEL']);
const BINDING_ENV = new Set<string>([
  env.table,
  ...queues.map((q) => env.queueUrl(q.name)),
  ...queues.map((q) => env.deadLetterUrl(q.name)),
  env.publicUrl,
  env.adminJwtSecret,
  env.adminJwtIssuer,
  env.adminJwtAudience,
  env.customerTokenSecret,
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
  };
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

  it.each(functions.filter((f) => f.table?.access === 'read'))(
    '$name may read the table but not write it',
    (spec) => {
      const actions = dynamoActions(spec.name);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(actions.filter((a) => WRITE_ACTION.test(a))).toEqual([]);
      expect(allowedActions(stack.statementsOf(spec.name), arnOf(stack.tableId()))).toContain(
        'dynamodb:Query',
      );
    },
  );

  it.each(functions.filter((f) => f.table?.access === 'readwrite'))(
    '$name may read and write the table',
    (spec) => {
      expect(allowedActions(stack.statementsOf(spec.name), arnOf(stack.tableId()))).toEqual(
        expect.arrayContaining([
          'dynamodb:GetItem',
          'dynamodb:Query',
          'dynamodb:PutItem',
          'dynamodb:UpdateItem',
          'dynamodb:DeleteItem',
          'dynamodb:BatchWriteItem',
        ]),
      );
    },
  );

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

  it.each(functions)('$name is granted nothing on Resource "*" beyond the basic execution role', (spec) => {
    const wildcard = stack
      .statementsOf(spec.name)
      .filter((s: PolicyStatement) => s.Effect === 'Allow' && resourcesOf(s).includes('*'));
    // Only a sender, and only sending: the shops' own SES identities and SMS to phone numbers
    // (SNS publishes those without a topic) cannot be named at deploy time.
    expect(allowedActions(wildcard).sort()).toEqual(spec.messaging ? ['ses:SendEmail', 'sns:Publish'] : []);
  });

  it('subscribes mail-feedback to the topic SES reports bounces and complaints of its configuration set to', () => {
    const subscription = resource(
      stack.template,
      'AWS::SNS::Subscription',
      stack.onlyId('AWS::SNS::Subscription'),
    ).Properties;
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
