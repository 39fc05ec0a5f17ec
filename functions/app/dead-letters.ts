import type { QueueName } from '../contract.ts';
import type { DeadLetterMessage, DeadLetters } from './ports.ts';

/** What waits in a queue's DLQ: how many, and a peek at the first few (left where they are). */
/** A message of one shop: every queue message names its shop. */
export function ofShop(shopId: string): (body: string) => boolean {
  return (body) => {
    try {
      return (JSON.parse(body) as { shopId?: unknown }).shopId === shopId;
    } catch {
      return false;
    }
  };
}

/**
 * What waits in a queue's DLQ: how many, and a peek at the first few (left where they are). For
 * one shop (the admin API), only its messages, and the depth is how many of them were seen: a
 * deployment's DLQs hold every shop's messages, and no shop sees another's.
 */
export async function listDeadLetters(
  deps: { deadLetters: DeadLetters },
  queue: QueueName,
  peek = 10,
  shopId?: string,
): Promise<{ queue: QueueName; depth: number; messages: DeadLetterMessage[] }> {
  if (shopId) {
    const messages = await deps.deadLetters.peek(queue, peek, ofShop(shopId));
    return { queue, depth: messages.length, messages };
  }
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
  shopId?: string,
): Promise<{ queue: QueueName; moved: number }> {
  return { queue, moved: await deps.deadLetters.redrive(queue, shopId ? ofShop(shopId) : undefined) };
}
