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

/** Publishes what this invocation counted; nothing when it counted nothing. */
export function flushMetrics(): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}

/** Middy middleware: publishes the invocation's counts when it ends, answered or failed. */
export function publishMetrics(): MiddlewareObj {
  return { after: flushMetrics, onError: flushMetrics };
}
