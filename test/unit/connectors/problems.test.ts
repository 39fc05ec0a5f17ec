import { describe, expect, it } from 'vitest';
import { aftership, aftershipProblem } from '../../../functions/adapters/connectors/aftership.ts';
import { easypost, easypostProblem } from '../../../functions/adapters/connectors/easypost.ts';
import { kuaidi100, kuaidi100Problem } from '../../../functions/adapters/connectors/kuaidi100.ts';
import { problemTable } from '../../../functions/adapters/connectors/problems.ts';
import {
  seventeenTrackProblem,
  seventeentrack,
} from '../../../functions/adapters/connectors/seventeentrack.ts';
import type { Connector } from '../../../functions/app/connectors.ts';
import { CanonicalEvent, type EventOf, type TrackingProblem } from '../../../schemas/events.ts';
import { loadSample, parseContext, rawRequest } from '../../support/requests.ts';

/*
 * Each tracking connector maps its provider's own codes to the canonical `problem`. The expected
 * codes are the ones the core used to look up itself (docs/tracking.md "Staff cases"), so the same
 * parcels raise the same cases, plus the address problems behind the exception notice's next step.
 */
const EXPECTED: Array<
  [string, (code: string) => TrackingProblem | undefined, Record<string, TrackingProblem>]
> = [
  [
    'aftership',
    aftershipProblem,
    {
      Exception_003: 'delivery_refused',
      Exception_011: 'returned_to_sender',
      Exception_012: 'parcel_damaged',
      Exception_013: 'parcel_lost',
      Exception_002: 'address_problem',
      Exception_007: 'address_problem',
    },
  ],
  [
    '17track',
    seventeenTrackProblem,
    {
      Exception_Rejected: 'delivery_refused',
      DeliveryFailure_Rejected: 'delivery_refused',
      Exception_Lost: 'parcel_lost',
      Exception_Destroyed: 'parcel_lost',
      Exception_Damage: 'parcel_damaged',
      Exception_Returned: 'returned_to_sender',
      DeliveryFailure_InvalidAddress: 'address_problem',
    },
  ],
  [
    'kuaidi100',
    kuaidi100Problem,
    {
      '14': 'delivery_refused',
      '203': 'delivery_refused',
      '209': 'parcel_damaged',
      '4': 'returned_to_sender',
    },
  ],
  [
    'easypost',
    easypostProblem,
    {
      refused: 'delivery_refused',
      lost: 'parcel_lost',
      damaged: 'parcel_damaged',
      address_correction: 'address_problem',
    },
  ],
];

describe('tracking connectors: their own codes to canonical problems', () => {
  it.each(EXPECTED)('%s maps its documented problem codes', (_provider, problemOf, table) => {
    for (const [code, problem] of Object.entries(table)) expect(problemOf(code), code).toBe(problem);
  });

  it.each(EXPECTED)('%s leaves every other code without a problem', (_provider, problemOf) => {
    for (const code of [
      'Exception_004',
      'Exception_Returning',
      '13',
      'delivery_exception',
      'InTransit_001',
      '',
    ]) {
      expect(problemOf(code), code).toBeUndefined();
    }
  });

  it("does not let one provider claim another provider's codes", () => {
    expect(aftershipProblem('14')).toBeUndefined();
    expect(kuaidi100Problem('Exception_003')).toBeUndefined();
    expect(easypostProblem('Exception_Lost')).toBeUndefined();
    expect(seventeenTrackProblem('refused')).toBeUndefined();
  });

  it('matches codes trimmed and in any case, as providers spell them', () => {
    const lookup = problemTable({ Exception_003: 'delivery_refused' });
    expect(lookup(' exception_003 ')).toBe('delivery_refused');
    expect(lookup('EXCEPTION_003')).toBe('delivery_refused');
    expect(lookup(null)).toBeUndefined();
  });
});

function tracking(connector: Connector, body: Buffer | string, headers: Record<string, string> = {}) {
  const result = connector.parse(rawRequest(body, headers), parseContext('problems'));
  if (result.kind !== 'events') throw new Error(result.reason);
  return CanonicalEvent.parse(result.events[0]) as EventOf<'TrackingUpdated'>;
}

describe('tracking connectors: problem on the push and on each checkpoint, raw code kept', () => {
  it('AfterShip Exception_003 (sample): refused', () => {
    const event = tracking(aftership, loadSample('aftership', 'exception-refused.json'));
    expect(event).toMatchObject({ subStatus: 'Exception_003', problem: 'delivery_refused' });
    expect(event.checkpoints[0]).toMatchObject({ subStatus: 'Exception_003', problem: 'delivery_refused' });
    expect(event.checkpoints.filter((c) => c.problem)).toHaveLength(1);
  });

  it('Kuaidi100 state 14 (sample): refused', () => {
    const param = loadSample('kuaidi100', 'param-polling-refused.json').toString('utf8');
    const event = tracking(kuaidi100, new URLSearchParams({ param }).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(event).toMatchObject({ subStatus: '14', problem: 'delivery_refused' });
    expect(event.checkpoints[0]).toMatchObject({ subStatus: '14', problem: 'delivery_refused' });
  });

  it('17TRACK Exception_Returning (sample): no problem, the status says returning', () => {
    const event = tracking(seventeentrack, loadSample('17track', 'tracking-updated-returning.json'));
    expect(event).toMatchObject({ status: 'returning', subStatus: 'Exception_Returning' });
    expect(event.problem).toBeUndefined();
  });

  it('EasyPost status_detail lost: a lost parcel on the push and on its scan', () => {
    const body = JSON.parse(loadSample('easypost', 'tracker-updated.json').toString('utf8'));
    body.result.status = 'failure';
    body.result.status_detail = 'lost';
    body.result.tracking_details.at(-1).status_detail = 'lost';
    const event = tracking(easypost, JSON.stringify(body));
    expect(event).toMatchObject({ status: 'exception', subStatus: 'lost', problem: 'parcel_lost' });
    expect(event.checkpoints[0]).toMatchObject({ subStatus: 'lost', problem: 'parcel_lost' });
  });
});
