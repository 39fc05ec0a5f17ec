import { ApiError, api } from './admin-api.js';
import { label, money, t } from './admin-i18n.js';

/*
 * Staff decisions on a case: which of `allowedActions` a clerk can take (the list also names facts
 * only the system records, such as return_scanned or sla_breach), the small form each one needs,
 * the call (POST /admin/cases/{caseId}/{action-with-dashes} with the case's version), and what to
 * tell the clerk when it fails.
 */

/** The actions a clerk takes, in the order the case page offers them. `note` has its own form. */
export const STAFF_ACTIONS = [
  'approve',
  'acknowledge',
  'receive',
  'inspect',
  'refund',
  'ship_replacement',
  'register_return',
  'investigate',
  'propose',
  'agree',
  'follow_up',
  'resolve',
  'assign',
  'reject',
  'cancel',
  'close',
];

export const REJECT_REASONS = ['not_eligible', 'outside_policy', 'item_used', 'fraud_suspected', 'other'];

/** Actions that end or refuse something: shown as danger buttons. */
export const DANGER = new Set(['reject', 'cancel']);

export function staffActions(allowed) {
  return STAFF_ACTIONS.filter((a) => allowed.includes(a));
}

/** The path segment of an action: ship_replacement → ship-replacement, note → notes. */
export function actionPath(action) {
  return action === 'note' ? 'notes' : action.replace(/_/g, '-');
}

/** POSTs a decision made on `c.version`; answers the case page (CaseDetailView) as it is now. */
export function decide(c, action, values = {}) {
  const body = action === 'note' ? values : { version: c.version, ...values };
  return api('POST', `/admin/cases/${encodeURIComponent(c.caseId)}/${actionPath(action)}`, body);
}

export function caseName(c) {
  return c.number ?? c.caseId;
}

/**
 * What a failed decision means for the clerk: the message, and whether the case must be
 * reloaded (someone changed it, or it moved on so the action no longer applies).
 */
export function explain(err, c) {
  if (!(err instanceof ApiError)) return { message: err.message, reload: false };
  if (err.code === 'version_conflict') {
    return { message: t('error.versionConflict', { case: caseName(c) }), reload: true };
  }
  if (err.code === 'invalid_transition') return { message: err.message, reload: true };
  if (err.code === 'approval_limit') {
    return { message: t('error.approvalLimit', { case: caseName(c), message: err.message }), reload: false };
  }
  if (err.status === 403) return { message: t('error.forbidden', { message: err.message }), reload: false };
  return { message: err.message, reload: false };
}

const note = (required = false) => ({
  name: 'note',
  kind: 'textarea',
  label: t('form.note'),
  hint: t('form.noteHint'),
  required,
});

/** The dialog for an action on case `c` (a CaseView or a queue row), signed in as `me`. */
export function actionForm(c, action, me) {
  const currency = c.currency ?? 'CNY';
  const base = {
    title: t('form.confirm', { action: label('action', action), case: caseName(c) }),
    submitLabel: label('action', action),
    danger: DANGER.has(action),
  };
  switch (action) {
    case 'reject':
      return {
        ...base,
        title: t('reject.title', { case: caseName(c) }),
        submitLabel: t('reject.submit'),
        fields: [
          {
            name: 'reasonCode',
            kind: 'select',
            label: t('reject.reason'),
            required: true,
            options: [['', t('reject.choose')], ...REJECT_REASONS.map((r) => [r, t(`rejectReason.${r}`)])],
          },
          {
            name: 'note',
            kind: 'textarea',
            label: t('reject.note'),
            hint: t('reject.noteHint'),
            required: true,
          },
        ],
      };
    case 'inspect':
      return {
        ...base,
        fields: [
          {
            name: 'passed',
            kind: 'radio',
            label: t('form.passed'),
            required: true,
            options: [
              ['true', t('form.passedYes')],
              ['false', t('form.passedNo')],
            ],
          },
          note(),
          {
            name: 'refundAmount',
            kind: 'money',
            currency,
            label: t('form.refundAmount', { currency }),
            hint: t('form.refundAmountHint'),
          },
          { name: 'photos', kind: 'photos', label: t('form.photos') },
        ],
      };
    case 'refund': {
      const left = typeof c.amount === 'number' ? Math.max(0, c.amount - (c.refundedTotal ?? 0)) : undefined;
      const offered = c.inspection && !c.inspection.passed ? c.inspection.refundAmount : undefined;
      return {
        ...base,
        fields: [
          {
            name: 'amount',
            kind: 'money',
            currency,
            currencyFrom: 'currency',
            label: t('form.amount', { currency }),
            hint: left === undefined ? undefined : t('form.amountHint', { max: money(left, currency) }),
            required: true,
            value: offered ?? left,
          },
          { name: 'currency', kind: 'currency', label: t('form.currency'), required: true, value: currency },
          {
            name: 'method',
            kind: 'select',
            label: t('form.method'),
            required: true,
            value: c.resolution ?? 'original_payment',
            options: ['original_payment', 'store_credit'].map((m) => [m, t(`method.${m}`)]),
          },
          {
            name: 'reference',
            kind: 'text',
            label: t('form.reference'),
            hint: t('form.referenceHint'),
            required: true,
          },
        ],
      };
    }
    case 'ship_replacement':
    case 'register_return':
      return {
        ...base,
        fields: [
          { name: 'trackingNumber', kind: 'text', label: t('form.trackingNumber'), required: true },
          { name: 'carrier', kind: 'text', label: t('form.carrier'), hint: t('form.carrierHint') },
        ],
      };
    case 'assign':
      return {
        ...base,
        fields: [
          {
            name: 'assignee',
            kind: 'text',
            label: t('form.assignee'),
            hint: me ? t('form.assigneeHint', { me }) : undefined,
            required: true,
            value: c.assignee ?? me ?? '',
          },
        ],
      };
    default:
      return { ...base, fields: [note()] };
  }
}
