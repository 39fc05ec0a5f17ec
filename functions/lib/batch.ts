import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from './logger.ts';
import { countProcessingFailure, flushMetrics } from './metrics.ts';

/** How many times SQS has handed this record out, this delivery included. */
export function receiveCountOf(record: SQSRecord): number {
  const n = Number(record.attributes?.ApproximateReceiveCount);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

/** What a queue message is about, read leniently from its body, for the failure log line. */
function describe(record: SQSRecord): Record<string, unknown> {
  let body: Record<string, unknown> = {};
  try {
    const parsed = JSON.parse(record.body);
    if (parsed && typeof parsed === 'object') body = parsed;
  } catch {}
  const event = (body.event ?? {}) as Record<string, unknown>;
  const pick = (value: unknown) => (typeof value === 'string' ? value.slice(0, 200) : undefined);
  return Object.fromEntries(
    Object.entries({
      shopId: pick(body.shopId),
      inboxId: pick(body.inboxId),
      kind: pick(body.kind),
      eventType: pick(event.type),
      eventId: pick(event.eventId),
      noticeId: pick(body.id),
    }).filter(([, v]) => v !== undefined),
  );
}

/**
 * An SQS event source handler with partial batch responses: a record whose handler throws is
 * reported in `batchItemFailures`, so SQS delivers it again after the visibility timeout and
 * moves it to the DLQ after the queue's maxReceiveCount; the others are deleted.
 *
 * The batch processor is made per invocation. A module-level one is shared by every invocation
 * running in the same process, and a second batch starting while the first is in flight resets
 * the first one's failure list, so its failed records were reported as done and deleted.
 * Every failed record is logged once, with what it was about, and counted per consumer (`name`).
 */
export function sqsBatchHandler(
  name: string,
  handleRecord: (record: SQSRecord) => Promise<void>,
): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  const handleAndReport = async (record: SQSRecord) => {
    try {
      await handleRecord(record);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      logger.error(`${name}: record failed`, {
        messageId: record.messageId,
        receiveCount: receiveCountOf(record),
        ...describe(record),
        errorClass: error.name,
        errorMessage: error.message.slice(0, 1000),
      });
      countProcessingFailure(name);
      throw err;
    }
  };
  return async (event, context) => {
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse(event, handleAndReport, processor, {
        throwOnFullBatchFailure: false,
        ...(context && { context }),
      });
    } finally {
      flushMetrics();
    }
  };
}
