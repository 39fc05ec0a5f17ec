import { describe, expect, it } from 'vitest';
import { dryRun } from '../../../functions/core/policy/dry-run.ts';
import { DryRunReport, standardPolicy } from '../../../schemas/policy.ts';
import type { PolicyInput } from '../../../schemas/policy-io.ts';
import { asking, policy, policyInput } from './builders.ts';

/*
 * The standard policy (published as version 3) against a draft (version 4) that approves
 * change-of-mind returns up to 150.00 and refuses anything after 14 days, on six requests.
 */

const current = policy({ ...standardPolicy(), version: 3 });
const draft = policy({
  ...standardPolicy(),
  version: 4,
  window: { days: 14 },
  rules: [
    {
      id: 'no-reason-up-to-150',
      when: {
        all: [
          { field: 'reasons', op: 'in', value: ['changed_mind'] },
          { field: 'caseValue', op: 'lte', value: 15_000 },
        ],
      },
      action: 'approve',
    },
    {
      id: 'reject-vip-fraud',
      when: { field: 'customerTags', op: 'includes', value: 'fraud' },
      action: 'reject',
      reasonCode: 'fraud',
    },
  ],
});

const samples: Array<{ caseId: string; input: PolicyInput }> = [
  // approve -> approve (the tee, small, both policies approve)
  { caseId: 'c-tee', input: policyInput() },
  // review -> approve (the jacket, 120.00: over the standard 100.00, under the draft's 150.00)
  { caseId: 'c-jacket', input: policyInput({ request: asking('L3', 'changed_mind') }) },
  // approve -> refused (20 days after delivery: inside 30, outside 14)
  { caseId: 'c-late', input: policyInput({ now: '2026-12-05T12:00:00Z' }) },
  // review -> reject (a defect from a customer tagged fraud)
  {
    caseId: 'c-fraud',
    input: policyInput({ customer: { tags: ['fraud'] }, request: asking('L1', 'defective') }),
  },
  // refused -> refused, same code: no change
  { caseId: 'c-cancelled', input: policyInput({ order: { cancelled: true } }) },
  // a marketplace request late for the draft: review -> review, but a waived code appears
  {
    caseId: 'c-market',
    input: policyInput({
      now: '2026-12-05T12:00:00Z',
      request: { ...asking('L1', 'defective'), origin: 'marketplace' },
    }),
  },
  // unreadable: skipped
  { caseId: 'c-bad', input: { ...policyInput(), now: '2026-12-05 12:00' } },
];

describe('dryRun', () => {
  const report = dryRun(current, draft, samples);

  it('counts what each policy does with the samples', () => {
    expect(report).toMatchObject({ currentVersion: 3, draftVersion: 4, samples: 7, evaluated: 6 });
    expect(report.current).toEqual({ approve: 2, review: 3, reject: 0, refused: 1 });
    expect(report.draft).toEqual({ approve: 2, review: 1, reject: 1, refused: 2 });
  });

  it('lists the changes, from -> to, with the draft rule that decided and the codes that appear', () => {
    expect(report.changed).toBe(4);
    expect(report.transitions).toEqual([
      { from: 'review', to: 'approve', count: 1 },
      { from: 'approve', to: 'refused', count: 1 },
      { from: 'review', to: 'reject', count: 1 },
      { from: 'review', to: 'review', count: 1 },
    ]);
    expect(report.changes).toEqual([
      {
        caseId: 'c-jacket',
        from: 'review',
        to: 'approve',
        currentRule: 'default',
        draftRule: 'no-reason-up-to-150',
        codesAdded: [],
        codesRemoved: [],
      },
      {
        caseId: 'c-late',
        from: 'approve',
        to: 'refused',
        currentRule: 'small-no-reason-return',
        codesAdded: ['outside_return_window'],
        codesRemoved: [],
      },
      {
        caseId: 'c-fraud',
        from: 'review',
        to: 'reject',
        currentRule: 'default',
        draftRule: 'reject-vip-fraud',
        codesAdded: [],
        codesRemoved: [],
      },
      {
        caseId: 'c-market',
        from: 'review',
        to: 'review',
        currentRule: 'default',
        draftRule: 'default',
        codesAdded: ['outside_return_window'],
        codesRemoved: [],
      },
    ]);
    expect(report.byDraftRule).toEqual({
      'no-reason-up-to-150': 1,
      refused: 1,
      'reject-vip-fraud': 1,
      default: 1,
    });
  });

  it('reports codes that disappear when the draft is the looser one', () => {
    const back = dryRun(draft, current, samples);
    expect(back.changes.find((c) => c.caseId === 'c-late')).toMatchObject({
      from: 'refused',
      to: 'approve',
      draftRule: 'small-no-reason-return',
      codesAdded: [],
      codesRemoved: ['outside_return_window'],
    });
  });

  it('skips a sample it cannot read, saying why', () => {
    expect(report.skipped).toEqual([
      { caseId: 'c-bad', error: expect.stringContaining('now: must name its zone') },
    ]);
  });

  it('is a valid report, and the same policy twice changes nothing', () => {
    expect(() => DryRunReport.parse(report)).not.toThrow();
    const same = dryRun(current, current, samples);
    expect(same.changed).toBe(0);
    expect(same.changes).toEqual([]);
    expect(same.draft).toEqual(same.current);
  });
});
