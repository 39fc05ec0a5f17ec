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
  type CfnResource,
  productionStack,
  ref,
  resource,
  resourcesOfType,
  type SynthesizedStack,
  sameJson,
  synthUnbundled,
} from './helpers.ts';

// The queues, the table, the schedules and the alarms are the topology's, with the settings it names.

let stack: SynthesizedStack;

beforeAll(async () => {
  stack = await productionStack();
});

describe('queues', () => {
  it('creates one queue and one DLQ per topology queue, and the sweep failures queue', () => {
    stack.template.resourceCountIs('AWS::SQS::Queue', queues.length * 2 + 1);
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

  it.each(queues)('$name moves a message to its DLQ after exactly 5 deliveries', (spec) => {
    expect(
      resource(stack.template, 'AWS::SQS::Queue', stack.queueId(spec.name)).Properties.RedrivePolicy
        .maxReceiveCount,
    ).toBe(5);
  });

  it.each(queues)(
    '$name hides a message for at least 6x its consumer timeout plus the batching window',
    (spec) => {
      const consumer = functionSpec(spec.consumer);
      expect(spec.visibilityTimeoutSeconds).toBeGreaterThanOrEqual(
        6 * consumer.timeoutSeconds + spec.maxBatchingWindowSeconds,
      );
      const visibility = resource(stack.template, 'AWS::SQS::Queue', stack.queueId(spec.name)).Properties
        .VisibilityTimeout;
      expect(visibility).toBe(spec.visibilityTimeoutSeconds);
      const mapping = stack
        .values('AWS::Lambda::EventSourceMapping')
        .find((m) => sameJson(m.Properties.EventSourceArn, arnOf(stack.queueId(spec.name))))!;
      expect(visibility).toBeGreaterThanOrEqual(
        6 * stack.fnResource(spec.consumer).Properties.Timeout +
          (mapping.Properties.MaximumBatchingWindowInSeconds ?? 0),
      );
    },
  );

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

  it('is encrypted at rest: the AWS owned key by default, a rotated customer-managed key when configured', () => {
    // TableV2 with the owned key writes no SSESpecification (DynamoDB always encrypts).
    expect(tableProps().Properties.SSESpecification?.SSEEnabled ?? false).toBe(false);
    const cmk = synthUnbundled('TableCmk', { tableKey: 'customer-managed' });
    const t = Object.values(cmk.findResources('AWS::DynamoDB::GlobalTable'))[0] as CfnResource;
    expect(t.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    const keyRef = t.Properties.Replicas[0].SSESpecification.KMSMasterKeyId;
    const keyId = keyRef['Fn::GetAtt'][0];
    expect(cmk.findResources('AWS::KMS::Key')[keyId]?.Properties.EnableKeyRotation).toBe(true);
  });

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
    // EventBridge's own dead letters (it could not invoke at all) go to the sweep failures queue too.
    const target = rule.Properties.Targets[0];
    expect(target.RetryPolicy.MaximumRetryAttempts).toBe(2);
    expect(target.DeadLetterConfig.Arn['Fn::GetAtt'][1]).toBe('Arn');
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
  const ofQueue = (id: string) =>
    alarms().filter((a) =>
      sameJson(a.Properties.Dimensions, [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [id, 'QueueName'] } }]),
    );

  it('has per queue: DLQ depth, oldest message, processing failures; per function: errors, throttles, p99; the API 5xx rate; the sweep failures', () => {
    stack.template.resourceCountIs('AWS::CloudWatch::Alarm', 3 * queues.length + 3 * functions.length + 2);
  });

  it('sends every alarm to the one alarm topic, which mails the configured address over TLS only', () => {
    const ids = Object.keys(stack.template.findResources('AWS::SNS::Topic')).filter((id) =>
      id.startsWith('Alarms'),
    );
    expect(ids).toHaveLength(1);
    const topic = ref(ids[0]!);
    for (const alarm of alarms()) expect(alarm.Properties.AlarmActions).toEqual([topic]);
    stack.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'alarms@example.com',
      TopicArn: topic,
    });
    stack.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('lets CloudWatch alarms of this account publish to the topic (its policy replaces the default)', () => {
    const id = Object.keys(stack.template.findResources('AWS::SNS::Topic')).find((k) =>
      k.startsWith('Alarms'),
    )!;
    const policies = stack
      .values('AWS::SNS::TopicPolicy')
      .filter((p) => sameJson(p.Properties.Topics, [ref(id)]));
    expect(policies).toHaveLength(1);
    const allows = policies[0]!.Properties.PolicyDocument.Statement.filter(
      (s: { Effect: string }) => s.Effect === 'Allow',
    );
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: ref(id),
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
    });
    expect(JSON.stringify(allows[0].Condition.ArnLike['aws:SourceArn'])).toContain(':alarm:*');
  });

  it('can fire: every alarm breaches above its threshold and treats missing data as fine', () => {
    for (const alarm of alarms()) {
      expect(alarm.Properties.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(alarm.Properties.TreatMissingData).toBe('notBreaching');
      expect(alarm.Properties.ActionsEnabled ?? true).toBe(true);
    }
  });

  it.each(queues)('$name DLQ alarms on the first visible message', (spec) => {
    const found = ofQueue(stack.dlqId(spec.name));
    expect(found).toHaveLength(1);
    expect(found[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
    });
  });

  it.each(queues)('$name alarms when its oldest message waits longer than any intended backoff', (spec) => {
    const found = ofQueue(stack.queueId(spec.name));
    expect(found).toHaveLength(1);
    expect(found[0]!.Properties).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateAgeOfOldestMessage',
      Statistic: 'Maximum',
      Threshold: spec.oldestMessageAlarmMinutes * 60,
    });
    // Shorter than the retention: the alarm fires before a message could expire unseen.
    expect(spec.oldestMessageAlarmMinutes * 60).toBeLessThan(spec.retentionDays * 86_400);
  });

  it.each(queues)(
    '$name alarms on records $consumer reports as failed (ProcessingFailures by consumer)',
    (spec) => {
      const found = alarms().filter(
        (a) =>
          a.Properties.MetricName === 'ProcessingFailures' &&
          sameJson(a.Properties.Dimensions, [
            { Name: 'consumer', Value: spec.consumer },
            { Name: 'service', Value: 'aftersale' },
          ]),
      );
      expect(found).toHaveLength(1);
      expect(found[0]!.Properties).toMatchObject({ Namespace: 'aftersale', Statistic: 'Sum', Threshold: 0 });
    },
  );

  it.each(functions)('$name alarms on errors, throttles and p99 duration near its timeout', (spec) => {
    const found = alarmsOfFunction(spec.name);
    expect(found.map((a) => a.Properties.MetricName).sort()).toEqual(['Duration', 'Errors', 'Throttles']);
    for (const alarm of found) expect(alarm.Properties.Namespace).toBe('AWS/Lambda');
    for (const metric of ['Errors', 'Throttles']) {
      const alarm = found.find((a) => a.Properties.MetricName === metric)!;
      expect(alarm.Properties).toMatchObject({
        Threshold: 0,
        ComparisonOperator: 'GreaterThanThreshold',
        Statistic: 'Sum',
      });
    }
    const p99 = found.find((a) => a.Properties.MetricName === 'Duration')!.Properties;
    expect(p99.ExtendedStatistic).toBe('p99');
    expect(p99.Threshold).toBe(spec.timeoutSeconds * 1000 * 0.8);
    expect(p99.Threshold).toBeLessThan(stack.fnResource(spec.name).Properties.Timeout * 1000);
  });

  it("alarms on ingest-webhook's p99 below Shopify's 5 s", () => {
    const p99 = alarmsOfFunction('ingest-webhook').find((a) => a.Properties.MetricName === 'Duration')!;
    expect(p99.Properties.Threshold).toBeLessThan(5000);
  });

  it('alarms on the API 5xx rate over its requests', () => {
    const found = alarms().filter((a) =>
      a.Properties.Metrics?.some((m: { Expression?: string }) => m.Expression),
    );
    expect(found).toHaveLength(1);
    const metrics = found[0]!.Properties.Metrics as Array<{
      Id: string;
      MetricStat?: { Metric: { MetricName: string; Namespace: string } };
    }>;
    expect(
      metrics
        .filter((m) => m.MetricStat)
        .map((m) => m.MetricStat!.Metric.MetricName)
        .sort(),
    ).toEqual(['5xx', 'Count']);
    for (const m of metrics.filter((m) => m.MetricStat))
      expect(m.MetricStat!.Metric.Namespace).toBe('AWS/ApiGateway');
    expect(found[0]!.Properties.Threshold).toBe(1);
  });

  it('alarms on the first failed timer sweep', () => {
    const queueId = Object.keys(stack.template.findResources('AWS::SQS::Queue')).find((id) =>
      id.startsWith('sweepfailures'),
    )!;
    expect(queueId).toBeDefined();
    expect(ofQueue(queueId)).toHaveLength(1);
    expect(ofQueue(queueId)[0]!.Properties.Threshold).toBe(0);
  });
});
