import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AftersaleStack } from '../../infra/stack.ts';
import { env, type FunctionName, type QueueName, queues } from '../../infra/topology.ts';
import {
  allowedActions,
  arnOf,
  cdkContext,
  configWith,
  logicalIdOf,
  ref,
  resource,
  roleIdOfFunction,
  stackProps,
  statementsOfRole,
} from './helpers.ts';

// What the outbound path needs beyond what every queue and function gets (those are checked for
// all of them by the topology-wide tests): the backoff changes a record's visibility on its queue.

let app: App;
let stack: AftersaleStack;
let template: Template;

beforeAll(() => {
  // IAM and environment do not depend on the bundles: skip esbuild.
  app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  stack = new AftersaleStack(app, 'Outbound', stackProps(configWith({ retainData: false })));
  template = Template.fromStack(stack);
});

afterAll(() => {
  if (app.outdir.startsWith(tmpdir())) rmSync(app.outdir, { recursive: true, force: true });
});

const fnResource = (name: FunctionName) =>
  resource(template, 'AWS::Lambda::Function', logicalIdOf(stack, stack.functions.get(name)!));
const queueArn = (name: QueueName) => arnOf(logicalIdOf(stack, stack.queues.get(name)!.queue));
const actionsOn = (fn: FunctionName, queue: QueueName) =>
  allowedActions(statementsOfRole(template, roleIdOfFunction(fnResource(fn))), queueArn(queue));

describe('outbound delivery', () => {
  it('lets deliver-outbound look up its queue and set a record visibility there (the backoff)', () => {
    expect(actionsOn('deliver-outbound', 'outbound')).toEqual(
      expect.arrayContaining(['sqs:ChangeMessageVisibility', 'sqs:GetQueueUrl']),
    );
  });

  it('gives deliver-outbound no rights on any other queue and no queue URL: it sends nothing', () => {
    for (const q of queues.filter((q) => q.name !== 'outbound')) {
      expect(actionsOn('deliver-outbound', q.name), q.name).toEqual([]);
    }
    const vars = fnResource('deliver-outbound').Properties.Environment.Variables;
    expect(Object.keys(vars).filter((k) => k.startsWith('QUEUE_URL_'))).toEqual([]);
  });

  it('lets process-event publish outbound effects to the outbound queue', () => {
    expect(actionsOn('process-event', 'outbound')).toContain('sqs:SendMessage');
    expect(fnResource('process-event').Properties.Environment.Variables[env.queueUrl('outbound')]).toEqual(
      ref(logicalIdOf(stack, stack.queues.get('outbound')!.queue)),
    );
  });
});
