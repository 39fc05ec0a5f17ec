import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { MiddlewareObj } from '@middy/core';

/**
 * CloudWatch metrics in the embedded metric format (one log line, no API call). Counts are added
 * during an invocation and published at its end with `flushMetrics`; locally the runtime disables
 * publishing (POWERTOOLS_METRICS_DISABLED) so the console stays readable.
 */
export const metrics = new Metrics({ namespace: 'aftersale', serviceName: 'aftersale' });

export type CountedMetric =
  /** A queue record that failed and goes back to SQS for another delivery (or to its DLQ). */
  | 'ProcessingFailures'
  /** An inbox item marked `failed`: its body or data can never be processed as it is. */
  | 'InboxItemsFailed'
  /** A webhook refused for a missing or wrong signature. */
  | 'RejectedSignatures'
  /** What became of a notice (dimension-free, one metric per outcome, for alarms on `failed`). */
  | 'NoticesSent'
  | 'NoticesSuppressed'
  | 'NoticesDeferred'
  | 'NoticesRetrying'
  | 'NoticesFailed'
  | 'NoticesUnconfirmed';

export function count(name: CountedMetric, value = 1): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/** The dimension `ProcessingFailures` carries: which consumer failed a record (its alarm is per consumer). */
export const CONSUMER_DIMENSION = 'consumer';

/**
 * One failed queue record, as `ProcessingFailures` with the consumer's name as a dimension, written
 * at once (its own EMF line), so the other counts of the invocation keep their dimensions. SQS
 * consumers report failures per record, so Lambda's Errors never rises for a poison message: this
 * is what the stack alarms on.
 */
export function countProcessingFailure(consumer: string): void {
  const single = metrics.singleMetric();
  single.addDimension(CONSUMER_DIMENSION, consumer);
  single.addMetric('ProcessingFailures' satisfies CountedMetric, MetricUnit.Count, 1);
}

/** Publishes what this invocation counted; nothing when it counted nothing. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** Middy middleware: publishes the invocation's counts when it ends, answered or failed. */
export function publishMetrics(): MiddlewareObj {
  return { after: flushMetrics, onError: flushMetrics };
}
