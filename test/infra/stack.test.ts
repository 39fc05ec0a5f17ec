import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../functions/lib/admin-auth.ts';
import { AftersaleStack, type AftersaleStackProps } from '../../infra/stack.ts';
import {
  cors,
  env,
  type FunctionName,
  type FunctionSpec,
  functionSpec,
  functions,
  type QueueName,
  queues,
  routes,
  schedules,
  table,
} from '../../infra/topology.ts';
import {
  allowedActions,
  arnOf,
  type CfnResource,
  logicalIdOf,
  type PolicyStatement,
  ref,
  resource,
  resourcesOf,
  resourcesOfType,
  roleIdOfFunction,
  sameJson,
  statementsOfRole,
} from './helpers.ts';

const apps: App[] = [];

/** Bundling (esbuild, ~10 s) only where the test is about the functions; the rest skips it. */
function synth(id: string, props: AftersaleStackProps, bundle: boolean) {
  const app = new App(bundle ? {} : { context: { 'aws:cdk:bundling-stacks': [] } });
  apps.push(app);
  const stack = new AftersaleStack(app, id, props);
  return { stack, template: Template.fromStack(stack) };
}

let stack: AftersaleStack;
let template: Template;

beforeAll(() => {
  ({ stack, template } = synth('Test', { retainData: true }, true));
});

afterAll(() => {
  // Each App synthesizes into its own temp dir (bundles included); leave nothing behind.
  for (const app of apps)
    if (app.outdir.startsWith(tmpdir())) rmSync(app.outdir, { recursive: true, force: true });
});

const fnId = (name: FunctionName) => logicalIdOf(stack, stack.functions.get(name)!);
const queueId = (name: QueueName) => logicalIdOf(stack, stack.queues.get(name)!.queue);
const dlqId = (name: QueueName) => logicalIdOf(stack, stack.queues.get(name)!.dlq);
const tableId = () => logicalIdOf(stack, stack.table);
const fnResource = (name: FunctionName) => resource(template, 'AWS::Lambda::Function', fnId(name));
const statementsOf = (name: FunctionName) => statementsOfRole(template, roleIdOfFunction(fnResource(name)));
const values = (type: string) => Object.values(resourcesOfType(template, type));

/** The id of the only resource of a type, asserting there is exactly one. */
function onlyId(type: string): string {
  const ids = Object.keys(resourcesOfType(template, type));
  expect(ids, type).toHaveLength(1);
  return ids[0]!;
}

const WRITE_ACTION = /^dynamodb:(\*|.*(Put|Update|Delete|Write|Create|Restore|Import).*)$/;
const DEFAULT_ENV = new Set(['NODE_OPTIONS', 'POWERTOOLS_SERVICE_NAME', 'LOG_LEVEL']);
const BINDING_ENV = new Set<string>([
  env.table,
  ...queues.map((q) => env.queueUrl(q.name)),
  env.adminJwtSecret,
  env.adminJwtIssuer,
  env.adminJwtAudience,
]);

function expectedBindings(spec: FunctionSpec): Record<string, unknown> {
  const authorizer = () =>
    resource(template, 'AWS::ApiGatewayV2::Authorizer', onlyId('AWS::ApiGatewayV2::Authorizer'));
  return {
    ...(spec.table && { [env.table]: ref(tableId()) }),
    ...Object.fromEntries((spec.sendsTo ?? []).map((q) => [env.queueUrl(q), ref(queueId(q))])),
    // The function checks the same issuer and audience as the gateway, not a copy that can drift.
    ...(spec.adminAuth && {
      [env.adminJwtIssuer]: authorizer().Properties.JwtConfiguration.Issuer,
      [env.adminJwtAudience]: ref(onlyId('AWS::Cognito::UserPoolClient')),
    }),
  };
}

describe('functions', () => {
  it('creates exactly one Lambda function per topology function', () => {
    template.resourceCountIs('AWS::Lambda::Function', functions.length);
    expect([...stack.functions.keys()].sort()).toEqual(functions.map((f) => f.name).sort());
    expect(new Set(functions.map((f) => fnId(f.name))).size).toBe(functions.length);
  });

  it.each(functions)('$name runs on arm64 Node.js 24 with the topology memory and timeout', (spec) => {
    expect(fnResource(spec.name).Properties).toMatchObject({
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: spec.memoryMb,
      Timeout: spec.timeoutSeconds,
      Handler: 'index.handler',
      Description: spec.description,
    });
  });

  it.each(functions)('$name gets exactly the bindings its topology entry declares', (spec) => {
    const vars: Record<string, unknown> = fnResource(spec.name).Properties.Environment.Variables;
    const bindings = Object.fromEntries(Object.entries(vars).filter(([k]) => BINDING_ENV.has(k)));
    expect(bindings).toEqual(expectedBindings(spec));
    // Anything else would be a binding the topology does not know about.
    expect(Object.keys(vars).filter((k) => !BINDING_ENV.has(k) && !DEFAULT_ENV.has(k))).toEqual([]);
  });

  it('never puts the local HS256 admin secret into a cloud function', () => {
    for (const spec of functions) {
      expect(fnResource(spec.name).Properties.Environment.Variables).not.toHaveProperty(env.adminJwtSecret);
    }
  });

  it('leaves the health probe without table, queue or dynamodb rights (least privilege)', () => {
    const health = functionSpec('health');
    expect(health.table).toBeUndefined();
    expect(health.sendsTo).toBeUndefined();
    const vars = fnResource('health').Properties.Environment.Variables;
    expect(vars).not.toHaveProperty(env.table);
    expect(Object.keys(vars).filter((k) => k.startsWith('QUEUE_URL_'))).toEqual([]);
    expect(allowedActions(statementsOf('health')).filter((a) => a.startsWith('dynamodb:'))).toEqual([]);
    expect(allowedActions(statementsOf('health')).filter((a) => a.startsWith('sqs:'))).toEqual([]);
  });
});

describe('IAM', () => {
  const dynamoActions = (name: FunctionName) =>
    allowedActions(statementsOf(name)).filter((a) => a.startsWith('dynamodb:'));

  it.each(functions.filter((f) => f.table?.access === 'read'))(
    '$name may read the table but not write it',
    (spec) => {
      const actions = dynamoActions(spec.name);
      expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:Query']));
      expect(actions.filter((a) => WRITE_ACTION.test(a))).toEqual([]);
      expect(allowedActions(statementsOf(spec.name), arnOf(tableId()))).toContain('dynamodb:Query');
    },
  );

  it.each(functions.filter((f) => f.table?.access === 'readwrite'))(
    '$name may read and write the table',
    (spec) => {
      expect(allowedActions(statementsOf(spec.name), arnOf(tableId()))).toEqual(
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
      const actions = allowedActions(statementsOf(spec.name), arnOf(queueId(q.name)));
      if (spec.sendsTo?.includes(q.name)) expect(actions, q.name).toContain('sqs:SendMessage');
      else expect(actions, q.name).not.toContain('sqs:SendMessage');
    }
  });

  it.each(functions)('$name may consume exactly the queues whose consumer it is', (spec) => {
    for (const q of queues) {
      const actions = allowedActions(statementsOf(spec.name), arnOf(queueId(q.name)));
      const consumes = q.consumer === spec.name;
      for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage']) {
        if (consumes) expect(actions, q.name).toContain(action);
        else expect(actions, q.name).not.toContain(action);
      }
    }
  });

  it.each(functions)('$name is granted nothing on Resource "*" beyond the basic execution role', (spec) => {
    const wildcard = statementsOf(spec.name).filter(
      (s: PolicyStatement) => s.Effect === 'Allow' && resourcesOf(s).includes('*'),
    );
    expect(wildcard).toEqual([]);
  });
});

describe('queues', () => {
  it('creates one queue and one DLQ per topology queue', () => {
    template.resourceCountIs('AWS::SQS::Queue', queues.length * 2);
    const ids = queues.flatMap((q) => [queueId(q.name), dlqId(q.name)]);
    expect(new Set(ids).size).toBe(queues.length * 2);
  });

  it.each(queues)('$name moves a message to its own DLQ after maxReceiveCount deliveries', (spec) => {
    expect(resource(template, 'AWS::SQS::Queue', queueId(spec.name)).Properties.RedrivePolicy).toEqual({
      deadLetterTargetArn: arnOf(dlqId(spec.name)),
      maxReceiveCount: spec.maxReceiveCount,
    });
    expect(resource(template, 'AWS::SQS::Queue', dlqId(spec.name)).Properties.RedrivePolicy).toBeUndefined();
  });

  it.each(queues)('$name hides a message for at least 6x its consumer timeout', (spec) => {
    const consumer = functionSpec(spec.consumer);
    expect(spec.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * consumer.timeoutSeconds);
    const visibility = resource(template, 'AWS::SQS::Queue', queueId(spec.name)).Properties.VisibilityTimeout;
    expect(visibility).toBe(spec.visibilityTimeoutSeconds);
    expect(visibility).toBeGreaterThanOrEqual(6 * fnResource(spec.consumer).Properties.Timeout);
  });

  it.each(queues)('$name keeps messages retentionDays and its DLQ 14 days, longer than the queue', (spec) => {
    const queue = resource(template, 'AWS::SQS::Queue', queueId(spec.name)).Properties;
    const dlq = resource(template, 'AWS::SQS::Queue', dlqId(spec.name)).Properties;
    expect(queue.MessageRetentionPeriod).toBe(spec.retentionDays * 86_400);
    expect(dlq.MessageRetentionPeriod).toBe(1_209_600);
    expect(dlq.MessageRetentionPeriod).toBeGreaterThan(queue.MessageRetentionPeriod);
  });

  it.each(queues)('$name and its DLQ are SQS-SSE encrypted and refuse requests without TLS', (spec) => {
    for (const id of [queueId(spec.name), dlqId(spec.name)]) {
      expect(resource(template, 'AWS::SQS::Queue', id).Properties.SqsManagedSseEnabled).toBe(true);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(id)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('has one event source mapping per queue', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', queues.length);
  });

  it.each(queues)('$name feeds $consumer in batches with partial failures and capped concurrency', (spec) => {
    const mappings = values('AWS::Lambda::EventSourceMapping').filter((m) =>
      sameJson(m.Properties.EventSourceArn, arnOf(queueId(spec.name))),
    );
    expect(mappings).toHaveLength(1);
    const props = mappings[0]!.Properties;
    expect(props).toMatchObject({
      FunctionName: ref(fnId(spec.consumer)),
      BatchSize: spec.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: spec.maxConcurrency },
    });
    expect(props.MaximumBatchingWindowInSeconds ?? 0).toBe(spec.maxBatchingWindowSeconds);
  });
});

describe('table', () => {
  const tableProps = () => resource(template, 'AWS::DynamoDB::GlobalTable', tableId());

  it('is one TableV2 keyed pk/sk with TTL, point-in-time recovery and deletion protection', () => {
    template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    const t = tableProps();
    expect(t.Properties.KeySchema).toEqual([
      { AttributeName: table.partitionKey, KeyType: 'HASH' },
      { AttributeName: table.sortKey, KeyType: 'RANGE' },
    ]);
    expect(t.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: table.ttlAttribute,
      Enabled: true,
    });
    expect(t.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(t.Properties.Replicas).toHaveLength(1);
    expect(t.Properties.Replicas[0]).toMatchObject({
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
    expect(t.DeletionPolicy).toBe('Retain');
    expect(t.UpdateReplacePolicy).toBe('Retain');
  });

  it('declares exactly the topology indexes as GSIs', () => {
    const names = tableProps().Properties.GlobalSecondaryIndexes.map(
      (g: { IndexName: string }) => g.IndexName,
    );
    expect([...names].sort()).toEqual(table.indexes.map((i) => i.name).sort());
  });

  it.each(table.indexes)(
    'index $name is keyed on its own Pk/Sk attributes with the topology projection',
    (index) => {
      const props = tableProps().Properties;
      const gsi = props.GlobalSecondaryIndexes.find((g: { IndexName: string }) => g.IndexName === index.name);
      expect(gsi.KeySchema).toEqual([
        { AttributeName: `${index.name}Pk`, KeyType: 'HASH' },
        { AttributeName: `${index.name}Sk`, KeyType: 'RANGE' },
      ]);
      const projection =
        index.projection === 'all'
          ? { ProjectionType: 'ALL' }
          : index.projection.length === 0
            ? { ProjectionType: 'KEYS_ONLY' }
            : { ProjectionType: 'INCLUDE', NonKeyAttributes: index.projection };
      expect(gsi.Projection).toEqual(projection);
      expect(props.AttributeDefinitions).toEqual(
        expect.arrayContaining([
          { AttributeName: `${index.name}Pk`, AttributeType: 'S' },
          { AttributeName: `${index.name}Sk`, AttributeType: 'S' },
        ]),
      );
    },
  );
});

describe('HTTP API', () => {
  const integrationOf = (route: CfnResource) => {
    const join = route.Properties.Target['Fn::Join'];
    expect(join[1][0]).toBe('integrations/');
    return resource(template, 'AWS::ApiGatewayV2::Integration', join[1][1].Ref);
  };

  it('is one HTTP API with one route per topology route and no others', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    template.resourceCountIs('AWS::ApiGatewayV2::Route', routes.length);
    const keys = values('AWS::ApiGatewayV2::Route').map((r) => r.Properties.RouteKey);
    expect(keys.sort()).toEqual(routes.map((r) => `${r.method} ${r.path}`).sort());
  });

  it('has admin routes to protect and open routes to leave open', () => {
    expect(routes.some((r) => r.path.startsWith('/admin/'))).toBe(true);
    expect(routes.some((r) => r.path.startsWith('/webhooks/'))).toBe(true);
    expect(routes.some((r) => r.path === '/health')).toBe(true);
  });

  it.each(routes)('$method $path reaches $function with the right authorization', (spec) => {
    const found = values('AWS::ApiGatewayV2::Route').filter(
      (r) => r.Properties.RouteKey === `${spec.method} ${spec.path}`,
    );
    expect(found).toHaveLength(1);
    const route = found[0]!;
    expect(integrationOf(route).Properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: arnOf(fnId(spec.function)),
    });
    if (spec.path.startsWith('/admin/')) {
      expect(route.Properties.AuthorizationType).toBe('JWT');
      expect(route.Properties.AuthorizerId).toEqual(ref(onlyId('AWS::ApiGatewayV2::Authorizer')));
    } else {
      expect(route.Properties.AuthorizationType ?? 'NONE').toBe('NONE');
      expect(route.Properties.AuthorizerId).toBeUndefined();
    }
    const invokable = values('AWS::Lambda::Permission').filter(
      (p) =>
        p.Properties.Principal === 'apigateway.amazonaws.com' &&
        sameJson(p.Properties.FunctionName, arnOf(fnId(spec.function))) &&
        JSON.stringify(p.Properties.SourceArn).includes(`/*/*${spec.path}"`),
    );
    expect(invokable).toHaveLength(1);
  });

  const apiOf = (t: Template) => Object.values(t.findResources('AWS::ApiGatewayV2::Api'))[0] as CfnResource;

  it('has no CORS at all without adminOrigin (the admin page is served from the same origin)', () => {
    expect(apiOf(template).Properties).not.toHaveProperty('CorsConfiguration');
  });

  it("allows exactly the admin origin with the topology's CORS rule when adminOrigin is given", () => {
    const { template: withAdmin } = synth('Cors', { adminOrigin: 'https://admin.example.com' }, false);
    expect(apiOf(withAdmin).Properties.CorsConfiguration).toEqual({
      AllowOrigins: ['https://admin.example.com'],
      AllowMethods: cors.allowMethods,
      AllowHeaders: cors.allowHeaders,
      MaxAge: cors.maxAgeSeconds,
    });
  });

  it.each(['*', 'https://admin.example.com/', 'admin.example.com'])('refuses adminOrigin %j', (origin) => {
    expect(() => synth(`Bad${apps.length}`, { adminOrigin: origin }, false)).toThrow(/adminOrigin/);
  });

  it('has one JWT authorizer trusting the Cognito staff pool and the admin client', () => {
    const authorizer = resource(
      template,
      'AWS::ApiGatewayV2::Authorizer',
      onlyId('AWS::ApiGatewayV2::Authorizer'),
    );
    expect(authorizer.Properties.AuthorizerType).toBe('JWT');
    expect(authorizer.Properties.IdentitySource).toEqual(['$request.header.Authorization']);
    expect(authorizer.Properties.JwtConfiguration).toEqual({
      Audience: [ref(onlyId('AWS::Cognito::UserPoolClient'))],
      Issuer: {
        'Fn::Join': [
          '',
          [
            'https://cognito-idp.',
            { Ref: 'AWS::Region' },
            '.amazonaws.com/',
            ref(onlyId('AWS::Cognito::UserPool')),
          ],
        ],
      },
    });
  });
});

describe('schedules', () => {
  const rateOf = (minutes: number) => `rate(${minutes} minute${minutes === 1 ? '' : 's'})`;

  it('has one EventBridge rule per topology schedule', () => {
    template.resourceCountIs('AWS::Events::Rule', schedules.length);
  });

  it.each(schedules)('$name invokes $function every $everyMinutes minute(s)', (spec) => {
    const rules = Object.entries(resourcesOfType(template, 'AWS::Events::Rule')).filter(
      ([, r]) =>
        r.Properties.ScheduleExpression === rateOf(spec.everyMinutes) &&
        r.Properties.Targets.some((t: { Arn: unknown }) => sameJson(t.Arn, arnOf(fnId(spec.function)))),
    );
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0]!;
    expect(rule.Properties.State).toBe('ENABLED');
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: arnOf(fnId(spec.function)),
      SourceArn: arnOf(ruleId),
    });
  });
});

describe('alarms', () => {
  const alarms = () => values('AWS::CloudWatch::Alarm');
  const alarmsOfFunction = (name: FunctionName) =>
    alarms().filter((a) =>
      sameJson(a.Properties.Dimensions, [{ Name: 'FunctionName', Value: ref(fnId(name)) }]),
    );

  it('has one DLQ alarm per queue and errors, throttles and p99 alarms per function', () => {
    template.resourceCountIs('AWS::CloudWatch::Alarm', queues.length + 3 * functions.length);
  });

  it('sends every alarm to the one alarm topic', () => {
    const topic = ref(onlyId('AWS::SNS::Topic'));
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([topic]);
  });

  it.each(queues)('$name DLQ alarms on the first visible message', (spec) => {
    const found = alarms().filter((a) =>
      sameJson(a.Properties.Dimensions, [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId(spec.name), 'QueueName'] } },
      ]),
    );
    expect(found).toHaveLength(1);
    expect(found[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it.each(functions)('$name alarms on errors, throttles and p99 duration near its timeout', (spec) => {
    const found = alarmsOfFunction(spec.name);
    expect(found.map((a) => a.Properties.MetricName).sort()).toEqual(['Duration', 'Errors', 'Throttles']);
    for (const alarm of found) expect(alarm.Properties.Namespace).toBe('AWS/Lambda');
    for (const metric of ['Errors', 'Throttles']) {
      const alarm = found.find((a) => a.Properties.MetricName === metric)!;
      expect(alarm.Properties).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    }
    const p99 = found.find((a) => a.Properties.MetricName === 'Duration')!.Properties;
    expect(p99.ExtendedStatistic).toBe('p99');
    expect(p99.Threshold).toBe(spec.timeoutSeconds * 1000 * 0.8);
  });
});

describe('staff sign-in', () => {
  // Record<Role, …> makes tsc fail here when admin-auth learns a role the pool has no group for.
  const groups: Record<Role, true> = { staff: true, manager: true };

  it('is one Cognito pool, admin-created users only, with the custom shop_id the admin API reads', () => {
    const pool = resource(template, 'AWS::Cognito::UserPool', onlyId('AWS::Cognito::UserPool'));
    expect(pool.Properties.AdminCreateUserConfig).toEqual({ AllowAdminCreateUserOnly: true });
    expect(pool.Properties.Schema).toEqual(
      expect.arrayContaining([expect.objectContaining({ Name: 'shop_id', AttributeDataType: 'String' })]),
    );
    expect(pool.DeletionPolicy).toBe('Retain');
  });

  it('has a group per admin role in that pool', () => {
    const poolId = onlyId('AWS::Cognito::UserPool');
    const found = values('AWS::Cognito::UserPoolGroup');
    expect(found.map((g) => g.Properties.GroupName).sort()).toEqual(Object.keys(groups).sort());
    for (const group of found) expect(group.Properties.UserPoolId).toEqual(ref(poolId));
  });
});

describe('retainData', () => {
  const tableOf = (t: Template) =>
    Object.values(t.findResources('AWS::DynamoDB::GlobalTable'))[0] as CfnResource;

  it('false turns deletion protection off and lets the table and pool be deleted', () => {
    const { template: disposable } = synth('Disposable', { retainData: false }, false);
    const t = tableOf(disposable);
    expect(t.Properties.Replicas[0].DeletionProtectionEnabled ?? false).toBe(false);
    expect(t.DeletionPolicy).toBe('Delete');
    expect(t.UpdateReplacePolicy).toBe('Delete');
    const pool = Object.values(disposable.findResources('AWS::Cognito::UserPool'))[0] as CfnResource;
    expect(pool.DeletionPolicy).toBe('Delete');
  });

  it('is on when not given, so a bare deploy never drops data', () => {
    const { template: bare } = synth('Bare', {}, false);
    const t = tableOf(bare);
    expect(t.Properties.Replicas[0].DeletionProtectionEnabled).toBe(true);
    expect(t.DeletionPolicy).toBe('Retain');
  });
});
