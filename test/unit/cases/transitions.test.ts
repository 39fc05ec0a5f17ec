import { describe, expect, it } from 'vitest';
import { caseReducer } from '../../../functions/core/cases/case.ts';
import { type CaseCommand, caseDecider } from '../../../functions/core/cases/decide-case.ts';
import {
  allowedActions,
  nextStatus,
  TERMINAL,
  TRANSITIONS,
} from '../../../functions/core/cases/transitions.ts';
import type { DecideContext } from '../../../functions/core/engine/types.ts';
import { DomainError, InvalidTransitionError } from '../../../functions/lib/errors.ts';
import type { Case } from '../../../schemas/case.ts';
import { CaseChange } from '../../../schemas/events.ts';
import { CaseStatus, CaseType } from '../../../schemas/names.ts';
import { applyContext, shopSettings } from '../../support/shop.ts';

/** Every action a change can name, read off the schema itself, so a new one is walked too. */
const ACTIONS = CaseChange.options.flatMap((o) => {
  const action = o.shape.action;
  return 'options' in action ? [...action.options] : [action.value];
}) as Array<CaseChange['action']>;

/** A command of each action, valid by itself (the table decides whether it may be done). */
const COMMANDS: Record<string, CaseCommand> = {
  approve: { action: 'approve' },
  reject: { action: 'reject', reasonCode: 'not_eligible', note: 'no' },
  cancel: { action: 'cancel' },
  register_return: { action: 'register_return', trackingNumber: 'SF1234567890' },
  receive: { action: 'receive' },
  inspect: { action: 'inspect', passed: true },
  refund: { action: 'refund', amount: 100, currency: 'CNY', method: 'original_payment', reference: 'R1' },
  ship_replacement: { action: 'ship_replacement', trackingNumber: 'YT1234567890' },
  resolve: { action: 'resolve' },
  close: { action: 'close' },
  note: { action: 'note', text: 'called the customer' },
  assign: { action: 'assign', assignee: 'li.lei' },
  acknowledge: { action: 'acknowledge' },
  investigate: { action: 'investigate' },
  propose: { action: 'propose' },
  agree: { action: 'agree' },
  follow_up: { action: 'follow_up' },
};

const shop = shopSettings({ cases: { staffApprovalLimit: 1_000_000 } });
const staff: DecideContext = {
  shop,
  now: '2026-11-26T00:00:00.000Z',
  actor: { kind: 'staff', id: 'clerk-1', roles: ['manager'] },
};

function caseAt(type: CaseType, status: CaseStatus): Case {
  return {
    caseId: 'c1',
    number: 'RMA-C1',
    type,
    status,
    origin: 'customer',
    orderId: 'o-1',
    orderProvider: 'shopify',
    proposedRemedy: 'none',
    requestedAt: '2026-11-25T00:00:00.000Z',
    lines: [{ lineId: 'l1', quantity: 1 }],
    amount: 10_000,
    currency: 'CNY',
    refunds: [],
    refundedTotal: 0,
    slaBreaches: [],
    notes: [],
    stamps: {},
    decisionTrail: [],
    version: 3,
  };
}

describe('the case transition table', () => {
  it('knows every action of the schema and every type', () => {
    expect(ACTIONS.length).toBeGreaterThan(20);
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...CaseType.options].sort());
  });

  it('lets nothing leave a terminal status but a note', () => {
    for (const type of CaseType.options) {
      for (const status of TERMINAL) {
        expect(allowedActions(type, status)).toEqual(['note']);
      }
    }
  });

  it('only leads to statuses of the vocabulary, and every status it leads to can be left or is an end', () => {
    for (const type of CaseType.options) {
      for (const [from, moves] of Object.entries(TRANSITIONS[type])) {
        expect(CaseStatus.options).toContain(from);
        for (const to of Object.values(moves ?? {})) {
          expect(CaseStatus.options).toContain(to);
          const leaves = allowedActions(type, to).some((a) => nextStatus(type, to, a) !== to);
          expect(
            leaves || TERMINAL.includes(to) || ['resolved', 'refunded'].includes(to),
            `${type}: ${from} → ${to}`,
          ).toBe(true);
        }
      }
    }
  });

  it('reaches `closed` from the first status of every type', () => {
    for (const type of CaseType.options) {
      const seen = new Set<CaseStatus>(['pending_review']);
      const queue: CaseStatus[] = ['pending_review'];
      while (queue.length) {
        const from = queue.shift()!;
        for (const to of Object.values(TRANSITIONS[type][from] ?? {})) {
          if (!seen.has(to)) {
            seen.add(to);
            queue.push(to);
          }
        }
      }
      expect(seen.has('closed'), type).toBe(true);
    }
  });

  // Every (type, status, action): the decider allows a staff command exactly where the table does,
  // and the reducer then moves the case exactly where the table says; nowhere else can it go.
  it('is the only way a case moves: decider and reducer agree with it on every triple', () => {
    let allowed = 0;
    let refused = 0;
    for (const type of CaseType.options) {
      for (const status of CaseStatus.options) {
        for (const action of Object.keys(COMMANDS)) {
          const state = caseAt(type, status);
          const command = COMMANDS[action]!;
          const expected = nextStatus(type, status, command.action);
          let events: ReturnType<typeof caseDecider.decide> | undefined;
          try {
            events = caseDecider.decide(state, command, staff);
          } catch (err) {
            expect(err, `${type}/${status}/${action}`).toBeInstanceOf(DomainError);
            if (expected === undefined) expect(err).toBeInstanceOf(InvalidTransitionError);
          }
          if (expected === undefined) {
            expect(events, `${type}/${status}/${action} must be refused`).toBeUndefined();
            refused++;
            continue;
          }
          expect(events, `${type}/${status}/${action} must be allowed`).toHaveLength(1);
          const applied = caseReducer.apply(state, events![0]!, applyContext(shop));
          expect(applied.state?.status, `${type}/${status}/${action}`).toBe(expected);
          allowed++;
        }
      }
    }
    expect(allowed).toBeGreaterThan(50);
    expect(refused).toBeGreaterThan(allowed);
  });

  it('does not let a fact move a case where the table does not: a late scan is recorded, nothing more', () => {
    for (const status of CaseStatus.options) {
      const state = caseAt('return_refund', status);
      const event = {
        type: 'CaseChanged' as const,
        eventId: `scan-${status}`,
        provider: 'system' as const,
        occurredAt: '2026-11-26T00:00:00.000Z',
        caseId: 'c1',
        by: { kind: 'carrier' as const, id: 'sf-express' },
        change: { action: 'return_scanned' as const, shipmentId: 'SF1' },
      };
      const applied = caseReducer.apply(state, event, applyContext(shop));
      expect(applied.state?.status).toBe(nextStatus('return_refund', status, 'return_scanned') ?? status);
    }
  });
});
