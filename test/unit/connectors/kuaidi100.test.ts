import { describe, expect, it } from 'vitest';
import {
  KUAIDI100_ACK,
  kuaidi100,
  kuaidi100Status,
} from '../../../functions/adapters/connectors/kuaidi100.ts';
import { md5 } from '../../../functions/lib/crypto.ts';
import { UnparseablePayloadError } from '../../../functions/lib/errors.ts';
import { CanonicalEvent, type EventOf } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

// The salt the form sample in events/kuaidi100 was signed with (see its README).
const salt = 'kuaidi100-test-salt';
const config = { secrets: [salt], settings: {} };
const contentType = { 'content-type': 'application/x-www-form-urlencoded' };

/** The form Kuaidi100 POSTs: `param` (JSON text) and `sign` = uppercase MD5(param + salt). */
function form(param: string, sign: string | null = md5(param + salt).toUpperCase()) {
  // null leaves `sign` out, as Kuaidi100 does for a subscription without a salt.
  const body = new URLSearchParams(sign === null ? { param } : { param, sign }).toString();
  return rawRequest(body, contentType);
}
const sampleParam = (file: string) => loadSample('kuaidi100', file).toString('utf8');

function tracking(file: string): EventOf<'TrackingUpdated'> {
  const req = form(sampleParam(file));
  const result = kuaidi100.parse(req, parseContext(kuaidi100.dedupeKey(req)));
  if (result.kind !== 'events') throw new Error(`expected events, got ${result.reason}`);
  expect(result.events).toHaveLength(1);
  const event = CanonicalEvent.parse(result.events[0]);
  if (event.type !== 'TrackingUpdated') throw new Error(`expected TrackingUpdated, got ${event.type}`);
  return event;
}

describe('kuaidi100 connector: signature', () => {
  it('accepts the published form body signed with the salt, as the bytes arrived', () => {
    const req = rawRequest(loadSample('kuaidi100', 'form-shutdown-station-signed.txt'), contentType);
    expect(kuaidi100.verify(req, config)).toBe(true);
    expect(kuaidi100.verify(req, { secrets: ['next-salt', salt], settings: {} })).toBe(true);
    expect(kuaidi100.verify(req, { secrets: ['wrong-salt'], settings: {} })).toBe(false);
  });

  it('signs param + salt: salt first, no salt or no sign all fail', () => {
    const param = sampleParam('param-polling-in-transit.json');
    expect(kuaidi100.verify(form(param), config)).toBe(true);
    expect(kuaidi100.verify(form(param, md5(param + salt)), config)).toBe(true); // case of the hex is not the secret
    expect(kuaidi100.verify(form(param, md5(salt + param).toUpperCase()), config)).toBe(false);
    expect(kuaidi100.verify(form(param, md5(param).toUpperCase()), config)).toBe(false);
    expect(kuaidi100.verify(form(param, null), config)).toBe(false);
  });

  it('rejects a param tampered by one byte, and the same JSON pretty-printed', () => {
    const param = sampleParam('param-polling-in-transit.json');
    const sign = md5(param + salt).toUpperCase();
    expect(kuaidi100.verify(form(param.replace('V030344422', 'V030344423'), sign), config)).toBe(false);
    expect(kuaidi100.verify(form(JSON.stringify(JSON.parse(param), null, 2), sign), config)).toBe(false);
    expect(kuaidi100.verify(form(`${param}\n`, sign), config)).toBe(false);
  });

  it('requires no sign when the shop subscribed without a salt, but still a param', () => {
    const param = sampleParam('param-polling-in-transit.json');
    expect(kuaidi100.verify(form(param, null), { secrets: [], settings: {} })).toBe(true);
    expect(kuaidi100.verify(rawRequest('sign=ABC', contentType), { secrets: [], settings: {} })).toBe(false);
  });
});

describe('kuaidi100 connector: parsing', () => {
  it('reads the documented push: corrected carrier, China times in UTC, newest first', () => {
    const event = tracking('param-polling-in-transit.json');
    expect(event).toMatchObject({
      provider: 'kuaidi100',
      // autoCheck=1: Kuaidi100 corrected yuantong to ems
      carrier: 'ems',
      trackingNumber: 'V030344422',
      status: 'in_transit',
      subStatus: '0',
      occurredAt: '2012-08-28T08:33:19.000Z',
    });
    expect(event.checkpoints).toEqual([
      {
        at: '2012-08-28T08:33:19.000Z',
        status: 'in_transit',
        subStatus: '0',
        message: '上海分拨中心出库',
        location: '上海市',
      },
      {
        at: '2012-08-27T15:22:42.000Z',
        status: 'in_transit',
        subStatus: '0',
        message: '上海分拨中心入库',
        location: '上海市',
      },
    ]);
    expect(event.stopped).toBeUndefined();
  });

  it('treats 501 (locker or station) as available for pickup, with the station', () => {
    const event = tracking('param-polling-station.json');
    expect(event).toMatchObject({
      carrier: 'yto',
      status: 'available_for_pickup',
      subStatus: '501',
      pickup: { point: '成都双流区红树湾二期店菜鸟驿站' },
      occurredAt: '2022-01-13T09:16:34.000Z',
    });
    expect(event.checkpoints.map((c) => c.status)).toEqual([
      'available_for_pickup',
      'out_for_delivery',
      'in_transit',
    ]);
  });

  it('takes a pickup code from the checkpoint text when the carrier gives one', () => {
    const param = JSON.parse(sampleParam('param-polling-station.json'));
    param.lastResult.data[0].context = '您的快件已到达【丰巢智能柜】保管，取件码 3-2-1021，请及时取件';
    const result = kuaidi100.parse(form(JSON.stringify(param)), parseContext('p'));
    expect(result).toMatchObject({
      kind: 'events',
      events: [{ pickup: { point: '丰巢智能柜', code: '3-2-1021' } }],
    });
  });

  it('treats 304 as delivered via a station, and shutdown after delivery as no stall', () => {
    const event = tracking('param-shutdown-station-signed.json');
    expect(event).toMatchObject({ status: 'delivered', subStatus: '304', deliveredTo: 'pickup_point' });
    expect(event.stopped).toBeUndefined();
    expect(event.checkpoints).toHaveLength(4);
  });

  it('treats 303 (代签) as delivered to another person', () => {
    expect(tracking('param-shutdown-signed-by-other.json')).toMatchObject({
      status: 'delivered',
      subStatus: '303',
      deliveredTo: 'other_person',
    });
  });

  it('treats 14 (拒签) as an exception with sub-status 14', () => {
    const event = tracking('param-polling-refused.json');
    expect(event).toMatchObject({ status: 'exception', subStatus: '14' });
    expect(event.checkpoints[0]).toMatchObject({ status: 'exception', subStatus: '14' });
  });

  it('turns an abort without delivery into a stop, timed at arrival when there are no checkpoints', () => {
    const event = tracking('param-abort-no-record.json');
    expect(event).toMatchObject({
      carrier: 'zto',
      trackingNumber: '75312345678901',
      checkpoints: [],
      occurredAt: '2026-11-23T00:00:00.000Z',
      stopped: { reason: 'Kuaidi100 abort: 3天查询无记录' },
    });
  });

  it('dedupes on number + monitoring status + state + newest checkpoint', () => {
    const key = kuaidi100.dedupeKey(form(sampleParam('param-polling-station.json')));
    expect(key).toBe('YT6247854916511|polling|501|2022-01-13T09:16:34.000Z');
    expect(kuaidi100.dedupeKey(form(sampleParam('param-abort-no-record.json')))).toBe(
      '75312345678901|abort|0|none',
    );
    expect(kuaidi100.topic(form(sampleParam('param-abort-no-record.json')))).toBe('abort');
  });

  it('ignores an undocumented state and refuses what it cannot read', () => {
    const param = JSON.parse(sampleParam('param-polling-in-transit.json'));
    param.lastResult.state = '999';
    expect(kuaidi100.parse(form(JSON.stringify(param)), parseContext('s'))).toMatchObject({
      kind: 'ignored',
    });
    const ctx = parseContext('x');
    expect(() => kuaidi100.parse(rawRequest('sign=X', contentType), ctx)).toThrow(UnparseablePayloadError);
    expect(() => kuaidi100.parse(form('{not json'), ctx)).toThrow(/not valid JSON/);
    expect(() => kuaidi100.parse(form('{"status":"polling"}'), ctx)).toThrow(/lastResult/);
  });
});

describe('kuaidi100 connector: reply', () => {
  it('answers accepted and duplicate pushes with exactly the body Kuaidi100 expects', () => {
    for (const outcome of [
      { kind: 'accepted', inboxId: 'i' },
      { kind: 'duplicate', inboxId: 'i' },
    ] as const) {
      const reply = kuaidi100.reply?.(outcome);
      expect(reply?.statusCode).toBe(200);
      expect(reply?.body).toBe('{"result":true,"returnCode":"200","message":"成功"}');
    }
    expect(KUAIDI100_ACK).toBe('{"result":true,"returnCode":"200","message":"成功"}');
  });

  it('answers a rejected signature in Kuaidi100 format, keeping the real HTTP status', () => {
    const reply = kuaidi100.reply?.({
      kind: 'rejected',
      statusCode: 401,
      code: 'invalid_signature',
      message: 'signature does not match',
    });
    expect(reply?.statusCode).toBe(401);
    expect(JSON.parse(reply?.body ?? '')).toEqual({
      result: false,
      returnCode: '500',
      message: 'signature does not match',
    });
  });
});

describe('kuaidi100Status', () => {
  it.each([
    ['0', 'in_transit'],
    ['1', 'info_received'],
    ['2', 'exception'],
    ['3', 'delivered'],
    ['4', 'returned'],
    ['5', 'out_for_delivery'],
    ['6', 'returning'],
    ['7', 'in_transit'],
    ['8', 'in_transit'],
    ['10', 'in_transit'],
    ['12', 'in_transit'],
    ['13', 'exception'],
    ['14', 'exception'],
    ['501', 'available_for_pickup'],
    ['204', 'failed_attempt'],
    ['1002', 'in_transit'],
  ])('maps state %s to %s', (state, status) => {
    expect(kuaidi100Status(state)).toBe(status);
  });
});
