import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SqsDeadLetters, SqsQueues } from '../../../functions/adapters/sqs.ts';

/*
 * Faults SQS itself would have to produce: a batch partly refused. The emulator never refuses,
 * so these are the one place SQS is mocked.
 */
const sqs = mockClient(SQSClient);
afterEach(() => sqs.reset());

const url = 'https://sqs.eu-west-1.amazonaws.com/000000000000/inbound';
const dlq = 'https://sqs.eu-west-1.amazonaws.com/000000000000/inbound-dlq';

describe('SqsQueues', () => {
  it('throws when SQS refuses part of a batch, so the caller is retried instead of losing messages', async () => {
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'm0', MD5OfMessageBody: '' }],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    });
    const queues = new SqsQueues(new SQSClient({}), { inbound: url });
    await expect(
      queues.sendInbound([
        { kind: 'inbox', shopId: 'shop-a', inboxId: 'a' },
        { kind: 'inbox', shopId: 'shop-a', inboxId: 'b' },
      ]),
    ).rejects.toThrow(/SQS refused 1 message\(s\) to inbound: try again/);
  });

  it('sends in batches of ten, and nothing at all for no messages', async () => {
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queues = new SqsQueues(new SQSClient({}), { inbound: url });
    await queues.sendInbound([]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    await queues.sendInbound(
      Array.from({ length: 23 }, (_, i) => ({ kind: 'inbox', shopId: 's', inboxId: `${i}` })),
    );
    expect(sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([
      10, 10, 3,
    ]);
  });

  it('sends one message as a plain SendMessage, and a refusal of it throws', async () => {
    sqs.on(SendMessageCommand).resolvesOnce({ MessageId: 'm1' }).rejects(new Error('throttled'));
    const queues = new SqsQueues(new SQSClient({}), { inbound: url });
    const message = { kind: 'inbox', shopId: 's', inboxId: 'one' } as const;
    await queues.sendInbound([message]);
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      { QueueUrl: url, MessageBody: JSON.stringify(message) },
    ]);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
    await expect(queues.sendInbound([message])).rejects.toThrow('throttled');
  });

  it('names the queue a function is not bound to instead of sending nowhere', async () => {
    const queues = new SqsQueues(new SQSClient({}), { inbound: url });
    await expect(
      queues.sendNotifications([
        { shopId: 's', id: 'n', template: 't', data: {}, plannedAt: '2026-11-25T00:00:00.000Z' },
      ]),
    ).rejects.toThrow(/no URL for the notifications queue/);
  });
});

describe('SqsDeadLetters.redrive', () => {
  it('deletes from the DLQ only what the queue accepted, and reports the rest', async () => {
    sqs
      .on(ReceiveMessageCommand, { QueueUrl: dlq })
      .resolvesOnce({
        Messages: [
          { MessageId: 'a', ReceiptHandle: 'ra', Body: '{"n":1}' },
          { MessageId: 'b', ReceiptHandle: 'rb', Body: '{"n":2}' },
        ],
      })
      .resolves({ Messages: [] });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [{ Id: '0', MessageId: 'x', MD5OfMessageBody: '' }],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [{ Id: '0' }], Failed: [] });
    const deadLetters = new SqsDeadLetters(new SQSClient({}), {
      queue: { inbound: url },
      dlq: { inbound: dlq },
    });
    await expect(deadLetters.redrive('inbound')).rejects.toThrow(/refused 1 message/);
    const deletes = sqs.commandCalls(DeleteMessageBatchCommand);
    expect(deletes).toHaveLength(1);
    expect(deletes[0]!.args[0].input.Entries).toEqual([{ Id: '0', ReceiptHandle: 'ra' }]);
  });
});
