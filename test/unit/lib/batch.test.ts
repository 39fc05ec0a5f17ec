import { Metrics } from '@aws-lambda-powertools/metrics';
import type { SQSRecord } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { receiveCountOf, sqsBatchHandler } from '../../../functions/lib/batch.ts';
import { logger } from '../../../functions/lib/logger.ts';
import { CONSUMER_DIMENSION, metrics } from '../../../functions/lib/metrics.ts';

const record = (messageId: string, body: unknown, receiveCount = '1'): SQSRecord => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body: JSON.stringify(body),
  attributes: {
    ApproximateReceiveCount: receiveCount,
    SentTimestamp: '0',
    SenderId: 'test',
    ApproximateFirstReceiveTimestamp: '0',
  },
  messageAttributes: {},
  md5OfBody: '',
  eventSource: 'aws:sqs',
  eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:inbound',
  awsRegion: 'us-east-1',
});

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

afterEach(() => vi.restoreAllMocks());

describe('sqsBatchHandler', () => {
  it('keeps each invocation’s failures its own when batches overlap in one process', async () => {
    const release = gate();
    vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    const handler = sqsBatchHandler('test', async (r) => {
      if (r.messageId === 'a-failed') throw new Error('the table is busy');
      if (r.messageId === 'a-slow') await release.opened;
    });
    // Batch A has failed a record and still waits on another while batch B runs from start to end.
    const first = handler({ Records: [record('a-failed', {}), record('a-slow', {})] });
    const second = await handler({ Records: [record('b-1', {}), record('b-2', {})] });
    release.open();
    expect(second.batchItemFailures).toEqual([]);
    expect((await first).batchItemFailures).toEqual([{ itemIdentifier: 'a-failed' }]);
  });

  it('logs every failed record once, with its shop, inbox id, error class and message, and counts it', async () => {
    const errors = vi.spyOn(logger, 'error').mockImplementation(() => undefined);
    // Failures are written as single metrics (their own instance, published at once), so spy on every instance.
    const added = vi.spyOn(Metrics.prototype, 'addMetric');
    const dimensions = vi.spyOn(Metrics.prototype, 'addDimension');
    vi.spyOn(Metrics.prototype, 'publishStoredMetrics').mockImplementation(() => metrics);
    class ThrottledError extends Error {
      override name = 'ThrottledError';
    }
    const handler = sqsBatchHandler('process-event', async (r) => {
      if (r.messageId !== 'fine') throw new ThrottledError(`no capacity for ${r.messageId}`);
    });
    const result = await handler({
      Records: [
        record('m-1', { kind: 'inbox', shopId: 'shop-a', inboxId: 'in-1' }, '3'),
        record('fine', { kind: 'inbox', shopId: 'shop-a', inboxId: 'in-2' }),
        record('m-2', { kind: 'event', shopId: 'shop-b', event: { type: 'TimerFired', eventId: 'ev-9' } }),
      ],
    });
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['m-1', 'm-2']);
    expect(errors).toHaveBeenCalledTimes(2);
    expect(errors).toHaveBeenCalledWith('process-event: record failed', {
      messageId: 'm-1',
      receiveCount: 3,
      kind: 'inbox',
      shopId: 'shop-a',
      inboxId: 'in-1',
      errorClass: 'ThrottledError',
      errorMessage: 'no capacity for m-1',
    });
    expect(errors).toHaveBeenCalledWith(
      'process-event: record failed',
      expect.objectContaining({ shopId: 'shop-b', eventType: 'TimerFired', eventId: 'ev-9' }),
    );
    expect(added.mock.calls.filter(([name]) => name === 'ProcessingFailures')).toHaveLength(2);
    // Per consumer: the stack alarms on ProcessingFailures with this dimension for each queue's consumer.
    expect(dimensions.mock.calls.filter(([key]) => key === CONSUMER_DIMENSION)).toEqual([
      [CONSUMER_DIMENSION, 'process-event'],
      [CONSUMER_DIMENSION, 'process-event'],
    ]);
  });

  it('reads the receive count SQS reports, 1 when absent', () => {
    expect(receiveCountOf(record('x', {}, '4'))).toBe(4);
    expect(receiveCountOf({ ...record('x', {}), attributes: {} as SQSRecord['attributes'] })).toBe(1);
  });
});
