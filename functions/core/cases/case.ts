import type { Case } from '../../../schemas/case.ts';
import type { CanonicalEvent } from '../../../schemas/events.ts';
import type { Applied, ApplyContext, Reducer } from '../engine/types.ts';

/**
 * The Case state machine, minimal: CaseRequested opens a case for staff review. The case id is
 * deterministic (e.g. from shipment + reason), so a second request for the same problem is the same
 * case and changes nothing. Staff find new cases in their queue (cases indexed by status); no notice.
 */
export const caseReducer: Reducer<Case> = {
  aggregate: 'case',
  apply(state: Case | undefined, event: CanonicalEvent, _ctx: ApplyContext): Applied<Case> {
    if (event.type !== 'CaseRequested' || state) return { state: state!, effects: [] };
    return {
      state: {
        caseId: event.caseId,
        type: event.caseType,
        status: 'pending_review',
        origin: event.origin,
        reason: event.reason,
        reasonCode: event.reasonCode,
        ...(event.orderId !== undefined && { orderId: event.orderId }),
        ...(event.orderProvider !== undefined && { orderProvider: event.orderProvider }),
        ...(event.shipmentId !== undefined && { shipmentId: event.shipmentId }),
        proposedRemedy: event.proposedRemedy,
        requestedAt: event.occurredAt,
        decisionTrail: [{ at: event.occurredAt, action: 'requested', by: event.origin, note: event.reason }],
      },
      effects: [],
    };
  },
};
