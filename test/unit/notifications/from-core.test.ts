import { describe, expect, it } from 'vitest';
import { caseReducer } from '../../../functions/core/cases/case.ts';
import { type CaseCommand, caseDecider } from '../../../functions/core/cases/decide-case.ts';
import { CASE_TIMER } from '../../../functions/core/cases/effects.ts';
import type { DecideContext, Effect } from '../../../functions/core/engine/types.ts';
import { TEMPLATE_CATALOG } from '../../../functions/core/notifications/catalog.ts';
import { renderTemplate } from '../../../functions/core/notifications/render-template.ts';
import type { Case } from '../../../schemas/case.ts';
import { CanonicalEvent } from '../../../schemas/events.ts';
import { CaseStatus, CaseType } from '../../../schemas/names.ts';
import { Locale, TemplateId } from '../../../schemas/notifications.ts';
import { applyContext, shopSettings } from '../../support/shop.ts';
import { checkpoint, created, run, tracking } from '../tracking/builders.ts';

/*
 * The notices the core really plans, rendered as the sender will: their data as it is, plus what
 * the pipeline adds from the customer (the name). If a reducer renames a field a template needs,
 * this fails here rather than in a customer's inbox.
 */

type Notice = Extract<Effect, { kind: 'notify' }>;
const isNotice = (e: Effect): e is Notice => e.kind === 'notify';

function renderAll(notices: Notice[]): string[] {
  const rendered: string[] = [];
  for (const n of notices) {
    expect(TemplateId.options, n.template).toContain(n.template);
    for (const locale of Locale.options) {
      const m = renderTemplate(n.template as TemplateId, {
        locale,
        timeZone: 'Asia/Shanghai',
        shopName: 'Demo',
        // As the sender will: the order id from the effect, the name from the customer.
        vars: { ...n.data, ...(n.orderId && { orderId: n.orderId }), name: '李雷' },
      });
      rendered.push(m.sms?.text ?? m.chat?.text ?? '');
    }
  }
  return rendered;
}

const shop = shopSettings({
  cases: {
    staffApprovalLimit: 1_000_000,
    returnAddress: {
      name: '售后部',
      phone: '0571-88888888',
      province: '浙江省',
      city: '杭州市',
      address1: '文一西路969号',
    },
  },
});
const staff: DecideContext = {
  shop,
  now: '2026-11-26T00:00:00.000Z',
  actor: { kind: 'staff', id: 'clerk-1', roles: ['manager'] },
};

const COMMANDS: CaseCommand[] = [
  { action: 'approve' },
  { action: 'reject', reasonCode: 'outside_return_window', note: '已超过七天' },
  { action: 'cancel', note: 'customer asked' },
  { action: 'receive' },
  { action: 'inspect', passed: false, note: '吊牌已剪', refundAmount: 5000 },
  { action: 'refund', amount: 10_000, currency: 'CNY', method: 'original_payment', reference: 'R1' },
  { action: 'ship_replacement', trackingNumber: 'YT1234567890', carrier: 'yto' },
  { action: 'resolve' },
  { action: 'acknowledge' },
  { action: 'propose', note: '补发一件新的' },
  { action: 'follow_up' },
];

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

describe('the notices the core plans', () => {
  it('render for every case milestone a staff decision can reach', () => {
    const notices: Notice[] = [];
    for (const type of CaseType.options) {
      for (const status of CaseStatus.options) {
        for (const command of COMMANDS) {
          let events: ReturnType<typeof caseDecider.decide>;
          try {
            events = caseDecider.decide(caseAt(type, status), command, staff);
          } catch {
            continue; // not allowed from here: the transition tests cover that
          }
          for (const event of events) {
            notices.push(
              ...caseReducer.apply(caseAt(type, status), event, applyContext(shop)).effects.filter(isNotice),
            );
          }
        }
      }
    }
    const templates = new Set(notices.map((n) => n.template));
    expect([...templates].sort()).toEqual(
      [
        'case.acknowledged',
        'case.approved',
        'case.cancelled',
        'case.inspection_failed',
        'case.proposal',
        'case.refunded',
        'case.rejected',
        'case.replacement_shipped',
        'case.resolved',
        'case.return_received',
      ].sort(),
    );
    expect(() => renderAll(notices)).not.toThrow();
  });

  it('render the return instructions the approval carries', () => {
    const [event] = caseDecider.decide(
      caseAt('return_refund', 'pending_review'),
      { action: 'approve' },
      staff,
    );
    const notices = caseReducer
      .apply(caseAt('return_refund', 'pending_review'), event!, applyContext(shop))
      .effects.filter(isNotice);
    const m = renderTemplate('case.approved', {
      locale: 'zh-CN',
      timeZone: 'Asia/Shanghai',
      shopName: 'Demo',
      vars: notices[0]!.data,
    });
    expect(m.email!.text).toContain('退货编号（RMA）：RMA-C1');
    expect(m.email!.text).toContain('寄回地址：浙江省杭州市文一西路969号 售后部 0571-88888888');
    expect(m.email!.text).toContain('寄出期限：请在 2026年12月3日 08:00 前寄出');
    expect(m.email!.text).toContain('运费：由您承担');
  });

  it('render the staff alerts a case raises: a parcel problem, a case left waiting, a missed deadline', () => {
    const ctx = applyContext(shop);
    const timer = (kind: string, at: string) =>
      CanonicalEvent.parse({
        type: 'TimerFired',
        eventId: `timer-${kind}`,
        provider: 'system',
        occurredAt: at,
        timerId: `t-${kind}`,
        kind,
        target: { aggregate: 'case', id: 'c0ffee' },
      });
    const opened = caseReducer.apply(
      undefined,
      CanonicalEvent.parse({
        type: 'CaseRequested',
        eventId: 'cr-1',
        provider: 'system',
        occurredAt: '2026-11-23T02:00:00Z',
        caseId: 'c0ffee',
        caseType: 'reship',
        origin: 'system',
        reason: 'No new checkpoint since 2026-11-20T02:00:00.000Z.',
        reasonCode: 'shipment_stalled',
        orderId: '820982911946154508',
        shipmentId: '1Z999AA10123456784',
        proposedRemedy: 'reship',
      }),
      ctx,
    );
    const waiting = caseReducer.apply(opened.state, timer(CASE_TIMER.waiting, '2026-11-24T02:00:00Z'), ctx);
    const received = { ...caseAt('return_refund', 'return_received'), caseId: 'c0ffee' };
    const breach = caseReducer.apply(received, timer(CASE_TIMER.refundDue, '2026-12-01T00:00:00Z'), ctx);
    const notices = [...opened.effects, ...waiting.effects, ...breach.effects].filter(isNotice);
    expect(notices.map((n) => n.template)).toEqual([
      'staff.delivery_exception',
      'staff.case_waiting',
      'staff.sla_breach',
    ]);
    const rendered = renderAll(notices);
    expect(rendered).toContain(
      '订单 820982911946154508 的包裹物流停滞。已生成补发售后单 RMA-C0FFEE，请尽快核实并联系客户。',
    );
    expect(rendered).toContain('补发申请 RMA-C0FFEE 已等待超过 24 小时，请尽快审核。');
    expect(rendered).toContain(
      'The return case RMA-C1 is past its refund deadline. Please deal with it now.',
    );
  });

  it('render every parcel milestone, outbound and return', () => {
    const at = (h: number) => new Date(Date.parse('2026-11-19T08:00:00Z') + h * 3_600_000).toISOString();
    const flows = [
      [tracking({ status: 'in_transit', checkpoints: [checkpoint(at(2), 'in_transit')] })],
      [tracking({ status: 'out_for_delivery', checkpoints: [checkpoint(at(20), 'out_for_delivery')] })],
      [
        tracking({
          status: 'available_for_pickup',
          pickup: { point: '菜鸟驿站', code: '6-2-3018' },
          checkpoints: [checkpoint(at(30), 'available_for_pickup')],
        }),
      ],
      [
        tracking({
          status: 'failed_attempt',
          checkpoints: [checkpoint(at(30), 'failed_attempt', '电话无人接听')],
        }),
      ],
      [tracking({ status: 'delivered', signedBy: '本人', checkpoints: [checkpoint(at(40), 'delivered')] })],
      [
        tracking({
          status: 'delivered',
          deliveredTo: 'locker',
          checkpoints: [checkpoint(at(40), 'delivered')],
        }),
      ],
      [
        tracking({
          status: 'exception',
          problem: 'address_problem',
          checkpoints: [checkpoint(at(30), 'exception', 'address', { problem: 'address_problem' })],
        }),
      ],
      [tracking({ status: 'returning', checkpoints: [checkpoint(at(50), 'returning')] })],
      [tracking({ status: 'returned', checkpoints: [checkpoint(at(90), 'returned')] })],
      [
        tracking({
          status: 'in_transit',
          stopped: { reason: 'abort' },
          checkpoints: [checkpoint(at(2), 'in_transit')],
        }),
      ],
    ];
    const notices: Notice[] = [];
    for (const direction of ['outbound', 'return'] as const) {
      for (const flow of flows) {
        notices.push(...run([created({ direction }), ...flow]).effects.filter(isNotice));
      }
    }
    const templates = new Set(notices.map((n) => n.template));
    for (const id of TemplateId.options.filter((t) => /^(shipment|return)\./.test(t))) {
      expect(templates, id).toContain(id.replace(/^return\.delivered_elsewhere$/, 'return.delivered'));
    }
    const rendered = renderAll(notices);
    expect(rendered.some((t) => t.includes('取件码6-2-3018'))).toBe(true);
    expect(rendered.some((t) => t.includes('请核对地址'))).toBe(true);
    expect(TEMPLATE_CATALOG['return.shipped'].kind).toBe('silent');
  });
});
