import type { OutgoingMessage, StaffAlert } from '../../../schemas/notifications.ts';

/** A shipped notice as the renderer makes it for one customer (email). */
export function emailMessage(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: 'n-5f0c2a9e41b7',
    shopId: 'shop-a',
    channel: 'email',
    to: 'chen.li@example.com',
    templateId: 'shipment.shipped',
    locale: 'zh-CN',
    kind: 'transactional',
    subject: '您的包裹已发出',
    text: '您好,您的订单 #1001 已由顺丰发出,运单号 SF1234567890。',
    html: '<p>您好,您的订单 <b>#1001</b> 已由顺丰发出,运单号 SF1234567890。</p>',
    ...overrides,
  };
}

/** A day-7 review request: marketing, with the RFC 8058 one-click unsubscribe. */
export function marketingEmail(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return emailMessage({
    id: 'n-review-77',
    templateId: 'followup.review',
    kind: 'marketing',
    subject: 'How is your new kettle?',
    locale: 'en',
    text: 'Tell us how it is going.',
    html: '<p>Tell us how it is going.</p>',
    headers: {
      'List-Unsubscribe':
        '<https://portal.shop.example/u/tok-123>, <mailto:unsubscribe@shop.example?subject=tok-123>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
    ...overrides,
  });
}

export function smsMessage(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    id: 'n-sms-2c81',
    shopId: 'shop-a',
    channel: 'sms',
    to: '+8613812345678',
    templateId: 'shipment.out_for_delivery',
    locale: 'zh-CN',
    text: '【小店】您的包裹今天派送,快递员电话 95338。',
    ...overrides,
  };
}

export function staffAlert(overrides: Partial<StaffAlert> = {}): StaffAlert {
  return {
    id: 'a-sla-19',
    shopId: 'shop-a',
    templateId: 'staff.sla_breach',
    title: '售后超时: RMA-1042',
    text: '退货申请已等待 26 小时,超过 24 小时的处理时限。',
    url: 'https://admin.shop.example/cases/c-1042',
    ...overrides,
  };
}
