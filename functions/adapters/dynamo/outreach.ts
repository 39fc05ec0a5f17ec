import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { OutreachLedger } from '../../app/ports.ts';
import type { Db } from './client.ts';

const pkOf = (shopId: string, customerId: string) => `SHOP#${shopId}#OUTREACH#${customerId}`;
const DAY_S = 86_400;

/**
 * The sender's memory per customer, beside nothing else (the Customer aggregate is the core's):
 * counters of marketing sent per local day and ISO week (expiring), and the last parcel problem.
 */
export class DynamoOutreachLedger implements OutreachLedger {
  constructor(
    private readonly db: Db,
    private readonly nowMs: () => number = Date.now,
  ) {}

  async takeCap(
    shopId: string,
    customerId: string,
    windows: { day: string; week: string },
    caps: { perDay: number; perWeek: number },
  ): Promise<boolean> {
    if (caps.perDay <= 0 || caps.perWeek <= 0) return false;
    const pk = pkOf(shopId, customerId);
    const expires = Math.floor(this.nowMs() / 1000);
    const counter = (sk: string, cap: number, keepDays: number) => ({
      Update: {
        TableName: this.db.table,
        Key: { pk, sk },
        UpdateExpression: 'ADD n :one SET expiresAt = :expires',
        // Both counters or neither: one message counts in its day and its week together.
        ConditionExpression: 'attribute_not_exists(n) OR n < :cap',
        ExpressionAttributeValues: { ':one': 1, ':cap': cap, ':expires': expires + keepDays * DAY_S },
      },
    });
    try {
      await this.db.client.send(
        new TransactWriteCommand({
          TransactItems: [
            counter(`CAP#D#${windows.day}`, caps.perDay, 3),
            counter(`CAP#W#${windows.week}`, caps.perWeek, 15),
          ],
        }),
      );
      return true;
    } catch (err) {
      if (
        err instanceof TransactionCanceledException &&
        err.CancellationReasons?.some((r) => r.Code === 'ConditionalCheckFailed')
      ) {
        return false;
      }
      throw err;
    }
  }

  async noteProblem(shopId: string, customerId: string, at: string): Promise<void> {
    await this.db.client
      .send(
        new UpdateCommand({
          TableName: this.db.table,
          Key: { pk: pkOf(shopId, customerId), sk: 'PROBLEM' },
          // The latest problem wins, whatever order the notices come in.
          UpdateExpression: 'SET #at = :at, expiresAt = :expires',
          ConditionExpression: 'attribute_not_exists(#at) OR #at < :at',
          ExpressionAttributeNames: { '#at': 'at' },
          ExpressionAttributeValues: {
            ':at': at,
            ':expires': Math.floor(Date.parse(at) / 1000) + 60 * DAY_S,
          },
        }),
      )
      .catch((err: unknown) => {
        if ((err as { name?: string }).name !== 'ConditionalCheckFailedException') throw err;
      });
  }

  async lastProblemAt(shopId: string, customerId: string): Promise<string | undefined> {
    const { Item } = await this.db.client.send(
      new GetCommand({ TableName: this.db.table, Key: { pk: pkOf(shopId, customerId), sk: 'PROBLEM' } }),
    );
    return typeof Item?.at === 'string' ? Item.at : undefined;
  }
}
