import type { QueueName } from '../contract.ts';
import type { DeadLetterMessage, DeadLetters } from './ports.ts';

/** What waits in a queue's DLQ: how many, and a peek at the first few (left where they are). */
export async function listDeadLetters(
  deps: { deadLetters: DeadLetters },
  queue: QueueName,
  peek = 10,
): Promise<{ queue: QueueName; depth: number; messages: DeadLetterMessage[] }> {
  // Depth first: a peek holds its messages for an instant, which a concurrent count would miss.
  const depth = await deps.deadLetters.depth(queue);
  const messages = await deps.deadLetters.peek(queue, peek);
  return { queue, depth, messages };
}

/*
 * Redrive a DLQ once its cause is fixed: every message goes back to its queue (sent, then deleted
 * from the DLQ, so a crash in between repeats a message, which the idempotent workers absorb).
 */
export async function redriveDeadLetters(
  deps: { deadLetters: DeadLetters },
  queue: QueueName,
): Promise<{ queue: QueueName; moved: number }> {
  return { queue, moved: await deps.deadLetters.redrive(queue) };
}
