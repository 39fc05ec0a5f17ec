import { InboundMessage } from '../../schemas/messages.ts';
import { type ProcessDeps, processInbound } from '../app/process-inbound.ts';
import { receiveCountOf, sqsBatchHandler } from '../lib/batch.ts';

/** SQS inbound → process-inbound, one record at a time, failures reported per record. */
export function processEventHandler(deps: ProcessDeps) {
  return sqsBatchHandler('process-event', (record) =>
    processInbound(deps, InboundMessage.parse(JSON.parse(record.body)), {
      receiveCount: receiveCountOf(record),
    }),
  );
}
