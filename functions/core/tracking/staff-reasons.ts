import type { TrackingProblem } from '../../../schemas/events.ts';
import type { ShipmentStatus, StaffReasonCode } from '../../../schemas/names.ts';

/**
 * The staff reason a reported (status, problem) stands for, if any. Connectors map their providers'
 * own codes to the canonical `problem` (TrackingUpdated and each Checkpoint); an address problem is
 * the customer's to fix, not a staff case. A `returned` status is back with the sender whoever says so.
 */
export function staffReasonOf(
  status: ShipmentStatus,
  problem: TrackingProblem | undefined,
): StaffReasonCode | undefined {
  if (problem && problem !== 'address_problem') return problem;
  return status === 'returned' ? 'returned_to_sender' : undefined;
}
