import type { SNSEvent } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { contactHash } from '../../functions/core/customers/identity.ts';
import { mailFeedbackHandler } from '../../functions/handlers/mail-feedback.ts';
import { logger } from '../../functions/lib/logger.ts';
import { loadSample } from '../support/requests.ts';
import { drain, freshShop, useServices } from './env.ts';
import { deliver, processRecord, pump } from './pipeline.ts';

/*
 * SES bounces and complaints, as SNS delivers them to mail-feedback, on DynamoDB Local and fauxqs:
 * the customer the address belongs to (made by a real Shopify order webhook) is marked, and the
 * process-event worker applies the report.
 */

const { services, sqs, deps } = useServices();
const secret = 'mail-feedback-secret';
const EMAIL = 'jon@example.com'; // the buyer of events/shopify/orders-create.json
const handler = mailFeedbackHandler(deps);

afterEach(() => {
  vi.restoreAllMocks();
});

/** A shop with the sample order's customer in it. */
async function shopWithCustomer() {
  const shopId = await freshShop({ shopify: { secret } });
  const res = await deliver('shopify', shopId, loadSample('shopify', 'orders-create.json'), {
    secret,
    topic: 'orders/create',
    eventId: 'create',
  });
  expect(res.statusCode).toBe(202);
  await pump(sqs, services.queueUrls);
  const ids = await deps.reads.customerIdsByContact(shopId, 'email', contactHash(shopId, EMAIL));
  expect(ids).toHaveLength(1);
  return { shopId, customerId: ids[0]! };
}

async function customer(shopId: string, customerId: string) {
  const stored = await deps.reads.getAggregate(shopId, 'customer', customerId);
  expect(stored).toBeDefined();
  return stored!.data;
}

/** An SNS event with one record per message, as Lambda receives it from the topic. */
function snsEvent(...messages: string[]): SNSEvent {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:000000000000:ses-feedback:sub',
      Sns: {
        Type: 'Notification',
        MessageId: `sns-${i}`,
        TopicArn: 'arn:aws:sns:us-east-1:000000000000:ses-feedback',
        Subject: null as unknown as string,
        Message,
        Timestamp: '2026-12-02T04:00:01.000Z',
        SignatureVersion: '1',
        Signature: 'x',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/cert.pem',
        UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/unsubscribe',
        MessageAttributes: {},
      },
    })),
  };
}

const mail = (shopId: string, messageId: string) => ({
  timestamp: '2026-12-02T04:00:00.000Z',
  source: 'shop@aftersale.test',
  messageId,
  destination: [EMAIL],
  tags: { shop: [shopId], 'ses:configuration-set': ['aftersale'] },
});

/** SES event publishing: a bounce. */
const bounce = (shopId: string, bounceType: 'Permanent' | 'Transient', address = EMAIL, messageId = 'm-1') =>
  JSON.stringify({
    eventType: 'Bounce',
    bounce: {
      bounceType,
      bounceSubType: bounceType === 'Permanent' ? 'General' : 'MailboxFull',
      bouncedRecipients: [
        {
          emailAddress: address,
          action: 'failed',
          status: '5.1.1',
          diagnosticCode: 'smtp; 550 5.1.1 user unknown',
        },
      ],
      timestamp: '2026-12-02T04:00:00.500Z',
      feedbackId: 'fb-1',
    },
    mail: mail(shopId, messageId),
  });

/** SES identity notifications (the older form): a complaint. */
const complaint = (shopId: string, messageId = 'm-2') =>
  JSON.stringify({
    notificationType: 'Complaint',
    complaint: {
      complainedRecipients: [{ emailAddress: EMAIL }],
      complaintFeedbackType: 'abuse',
      timestamp: '2026-12-02T04:00:00.500Z',
      feedbackId: 'fb-2',
    },
    mail: mail(shopId, messageId),
  });

async function processQueued() {
  const records = await drain(sqs, services.queueUrls.inbound!);
  for (const r of records) await processRecord(r);
  return records;
}

describe('mailFeedbackHandler', () => {
  it('marks the customer bounced on a permanent bounce', async () => {
    const { shopId, customerId } = await shopWithCustomer();
    expect((await customer(shopId, customerId)).contactStatus.email).toBeUndefined();
    expect(await handler(snsEvent(bounce(shopId, 'Permanent')))).toEqual({ reported: 1 });
    const records = await processQueued();
    expect(records).toHaveLength(1);
    expect((await customer(shopId, customerId)).contactStatus.email).toEqual({
      status: 'bounced',
      at: '2026-12-02T04:00:00.000Z',
      detail: 'smtp; 550 5.1.1 user unknown',
    });
  });

  it('ignores a transient bounce', async () => {
    const { shopId, customerId } = await shopWithCustomer();
    const before = await customer(shopId, customerId);
    expect(await handler(snsEvent(bounce(shopId, 'Transient')))).toEqual({ reported: 0 });
    expect(await processQueued()).toEqual([]);
    expect(await customer(shopId, customerId)).toEqual(before);
  });

  it('marks the customer complained on a complaint (notificationType form)', async () => {
    const { shopId, customerId } = await shopWithCustomer();
    expect(await handler(snsEvent(complaint(shopId)))).toEqual({ reported: 1 });
    await processQueued();
    expect((await customer(shopId, customerId)).contactStatus.email).toMatchObject({
      status: 'complained',
      detail: 'abuse',
    });
  });

  it('publishes nothing for an unknown address or for another shop', async () => {
    const { shopId, customerId } = await shopWithCustomer();
    const other = await freshShop();
    const before = await customer(shopId, customerId);
    const res = await handler(
      snsEvent(bounce(shopId, 'Permanent', 'nobody@example.com'), bounce(other, 'Permanent', EMAIL, 'm-3')),
    );
    expect(res).toEqual({ reported: 0 });
    expect(await processQueued()).toEqual([]);
    expect(await customer(shopId, customerId)).toEqual(before);
  });

  it('reports the same message delivered twice as one event', async () => {
    const { shopId, customerId } = await shopWithCustomer();
    const message = bounce(shopId, 'Permanent');
    expect(await handler(snsEvent(message))).toEqual({ reported: 1 });
    expect(await handler(snsEvent(message))).toEqual({ reported: 1 });
    const records = await drain(sqs, services.queueUrls.inbound!);
    expect(records).toHaveLength(2);
    const ids = records.map((r) => JSON.parse(r.body).event.eventId);
    expect(ids[0]).toBe(ids[1]);
    await processRecord(records[0]!);
    const once = await customer(shopId, customerId);
    expect(once.contactStatus.email?.status).toBe('bounced');
    await processRecord(records[1]!);
    const twice = await deps.reads.getAggregate(shopId, 'customer', customerId);
    expect(twice!.data).toEqual(once);
  });

  it('ignores a message that is not JSON and logs no part of it', async () => {
    const warn = vi.spyOn(logger, 'warn');
    const raw = `{"eventType":"Bounce","bounce":{"bouncedRecipients":[{"emailAddress":"${EMAIL}"`;
    expect(await handler(snsEvent(raw))).toEqual({ reported: 0 });
    expect(await drain(sqs, services.queueUrls.inbound!)).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(1);
    const logged = JSON.stringify(warn.mock.calls[0]);
    expect(logged).toContain('mail-feedback: not JSON, ignored');
    expect(logged).not.toContain(EMAIL);
    expect(logged).not.toContain('jon@');
    expect(warn.mock.calls[0]![1]).toMatchObject({ bytes: Buffer.byteLength(raw) });
  });
});
