import type { CaseType } from '../../../schemas/names.ts';

/** Case types in which the customer sends the goods back to the shop (退货退款, 换货). */
export function goodsComeBack(caseType: CaseType): boolean {
  return caseType === 'return_refund' || caseType === 'exchange';
}
