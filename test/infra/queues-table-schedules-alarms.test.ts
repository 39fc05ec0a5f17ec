import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type FunctionName,
  functionSpec,
  functions,
  queues,
  schedules,
  table,
} from '../../infra/topology.ts';
import {
  arnOf,
  productionStack,
  ref,
  resource,
  resourcesOfType,
  type SynthesizedStack,
  sameJson,
} from './helpers.ts';

// The queues, the table, the schedules and the alarms are the topology's, with the settings it names.

let stack: SynthesizedStack;

beforeAll(async () => {
  stack = await productionStack();
});

describe('queues', () => {
  it('creates one queue and one DLQ per topology queue', () => {
    stack.template.resourceCountIs('AWS::SQS::Queue', queues.length * 2);
    const ids = queues.flatMap((q) => [stack.queueId(q.name), stack.dlqId(q.name)]);
    expect(new Set(ids).size).toBe(queues.length * 2);
  });

  it.each(queues)('$name moves a message to its own DLQ after maxReceiveCount deliveries', (spec) => {
    expect(
      resource(stack.template, 'AWS::SQS::Queue', stack.queueId(spec.name)).Properties.RedrivePolicy,
    ).toEqual({
      deadLetterTargetArn: arnOf(stack.dlqId(spec.name)),
      maxReceiveCount: spec.maxReceiveCount,
    });
    expect(
      resource(stack.template, 'AWS::SQS::Queue', stack.dlqId(spec.name)).Properties.RedrivePolicy,
    ).toBeUndefined();
  });

  it.each(queues)('$name hides a message for at least 6x its consumer timeout', (spec) => {
    const consumer = functionSpec(spec.consumer);
    expect(spec.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(6 * consumer.timeoutSeconds);
    const visibility = resource(stack.template, 'AWS::SQS::Queue', stack.queueId(spec.name)).Properties
      .VisibilityTimeout;
    expect(visibility).toBe(spec.visibilityTimeoutSeconds);
    expect(visibility).toBeGreaterThanOrEqual(6 * stack.fnResource(spec.consumer).Properties.Timeout);
  });

  it.each(queues)('$name keeps messages retentionDays and its DLQ 14 days, longer than the queue', (spec) => {
    const queue = resource(stack.template, 'AWS::SQS::Queue', stack.queueId(spec.name)).Properties;
    const dlq = resource(stack.template, 'AWS::SQS::Queue', stack.dlqId(spec.name)).Properties;
    expect(queue.MessageRetentionPeriod).toBe(spec.retentionDays * 86_400);
    expect(dlq.MessageRetentionPeriod).toBe(1_209_600);
    expect(dlq.MessageRetentionPeriod).toBeGreaterThan(queue.MessageRetentionPeriod);
  });

  it.each(queues)('$name and its DLQ are SQS-SSE encrypted and refuse requests without TLS', (spec) => {
    for (const id of [stack.queueId(spec.name), stack.dlqId(spec.name)]) {
      expect(resource(stack.template, 'AWS::SQS::Queue', id).Properties.SqsManagedSseEnabled).toBe(true);
      stack.template.hasResourceProperties('AWS::SQS::QueuePolicy', {
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
    stack.template.resourceCountIs('AWS::Lambda::EventSourceMapping', queues.length);
  });

  it.each(queues)('$name feeds $consumer in batches with partial failures and capped concurrency', (spec) => {
    const mappings = stack
      .values('AWS::Lambda::EventSourceMapping')
      .filter((m) => sameJson(m.Properties.EventSourceArn, arnOf(stack.queueId(spec.name))));
    expect(mappings).toHaveLength(1);
    const props = mappings[0]!.Properties;
    expect(props).toMatchObject({
      FunctionName: ref(stack.fnId(spec.consumer)),
      BatchSize: spec.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: spec.maxConcurrency },
    });
    expect(props.MaximumBatchingWindowInSeconds ?? 0).toBe(spec.maxBatchingWindowSeconds);
  });
});

describe('table', () => {
  const tableProps = () => resource(stack.template, 'AWS::DynamoDB::GlobalTable', stack.tableId());

  it('is one TableV2 keyed pk/sk with TTL, point-in-time recovery and deletion protection', () => {
    stack.template.resourceCountIs('AWS::DynamoDB::GlobalTable', 1);
    stack.template.resourceCountIs('AWS::DynamoDB::Table', 0);
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

describe('schedules', () => {
  const rateOf = (minutes: number) => `rate(${minutes} minute${minutes === 1 ? '' : 's'})`;

  it('has one EventBridge rule per topology schedule', () => {
    stack.template.resourceCountIs('AWS::Events::Rule', schedules.length);
  });

  it.each(schedules)('$name invokes $function every $everyMinutes minute(s)', (spec) => {
    const rules = Object.entries(resourcesOfType(stack.template, 'AWS::Events::Rule')).filter(
      ([, r]) =>
        r.Properties.ScheduleExpression === rateOf(spec.everyMinutes) &&
        r.Properties.Targets.some((t: { Arn: unknown }) => sameJson(t.Arn, arnOf(stack.fnId(spec.function)))),
    );
    expect(rules).toHaveLength(1);
    const [ruleId, rule] = rules[0]!;
    expect(rule.Properties.State).toBe('ENABLED');
    stack.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'events.amazonaws.com',
      FunctionName: arnOf(stack.fnId(spec.function)),
      SourceArn: arnOf(ruleId),
    });
  });
});

describe('alarms', () => {
  const alarms = () => stack.values('AWS::CloudWatch::Alarm');
  const alarmsOfFunction = (name: FunctionName) =>
    alarms().filter((a) =>
      sameJson(a.Properties.Dimensions, [{ Name: 'FunctionName', Value: ref(stack.fnId(name)) }]),
    );

  it('has one DLQ alarm per queue and errors, throttles and p99 alarms per function', () => {
    stack.template.resourceCountIs('AWS::CloudWatch::Alarm', queues.length + 3 * functions.length);
  });

  it('sends every alarm to the one alarm topic', () => {
    // The other topic is SES's bounces and complaints (mail-feedback).
    const ids = Object.keys(stack.template.findResources('AWS::SNS::Topic')).filter((id) =>
      id.startsWith('Alarms'),
    );
    expect(ids).toHaveLength(1);
    const topic = ref(ids[0]!);
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([topic]);
  });

  it.each(queues)('$name DLQ alarms on the first visible message', (spec) => {
    const found = alarms().filter((a) =>
      sameJson(a.Properties.Dimensions, [
        { Name: 'QueueName', Value: { 'Fn::GetAtt': [stack.dlqId(spec.name), 'QueueName'] } },
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
