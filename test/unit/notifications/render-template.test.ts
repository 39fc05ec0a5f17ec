import { describe, expect, it } from 'vitest';
import { TEMPLATE_CATALOG } from '../../../functions/core/notifications/catalog.ts';
import { renderTemplate, TemplateError } from '../../../functions/core/notifications/render-template.ts';
import { isPermanent } from '../../../functions/lib/errors.ts';
import { Locale, RenderedMessage, type TemplateId } from '../../../schemas/notifications.ts';
import { ALL_TEMPLATES, examplesOf, LONG_SHOP, requiredOf, ZONES } from './fixtures.ts';

const LOCALES = Locale.options;

function render(id: TemplateId, locale: Locale, vars: Record<string, unknown>, extra = {}) {
  return renderTemplate(id, { locale, timeZone: ZONES[locale], shopName: LONG_SHOP[locale], vars, ...extra });
}

/** Every string of a rendered message. */
const partsOf = (m: RenderedMessage) =>
  [m.email?.subject, m.email?.html, m.email?.text, m.sms?.text, m.chat?.title, m.chat?.text].filter(
    (s): s is string => s !== undefined,
  );

describe('renderTemplate', () => {
  it('has a template for every id of the contract', () => {
    expect(ALL_TEMPLATES.length).toBe(45);
  });

  for (const id of ALL_TEMPLATES) {
    for (const locale of LOCALES) {
      it(`renders ${id} in ${locale} with realistic values, and with only the required ones`, () => {
        const spec = TEMPLATE_CATALOG[id];
        for (const vars of [examplesOf(spec, locale), requiredOf(spec, locale)]) {
          const m = render(id, locale, vars);
          expect(() => RenderedMessage.parse(m)).not.toThrow();
          expect(m).toMatchObject({ templateId: id, locale });
          if (spec.kind === 'staff') {
            expect(m.chat?.title).toBeTruthy();
            expect(m.chat?.text).toBeTruthy();
            expect(m.email).toBeUndefined();
            expect(m.sms).toBeUndefined();
          } else {
            expect(m.email?.subject).toBeTruthy();
            expect(m.email?.html).toContain('</body>');
            expect(m.sms?.text).toBeTruthy();
            expect(m.chat).toBeUndefined();
          }
          for (const part of partsOf(m)) {
            expect(part).not.toMatch(/\{\{|\}\}/);
            expect(part).not.toMatch(/undefined|null|NaN|\[object/);
          }
        }
      });
    }
  }

  it('greets by name when it has one, and politely without', () => {
    const vars = examplesOf(TEMPLATE_CATALOG['shipment.shipped'], 'zh-CN');
    expect(render('shipment.shipped', 'zh-CN', vars).email!.text).toMatch(/^欧阳晓明，您好！/);
    expect(render('shipment.shipped', 'zh-CN', { ...vars, name: undefined }).email!.text).toMatch(/^您好！/);
    const en = examplesOf(TEMPLATE_CATALOG['shipment.shipped'], 'en');
    expect(render('shipment.shipped', 'en', en).sms!.text).toContain('Hi Alexandra Whitfield, your parcel');
    expect(render('shipment.shipped', 'en', { ...en, name: '' }).sms!.text).toContain(': Your parcel');
  });

  it('escapes values in the HTML part and keeps them as given in text and SMS', () => {
    const vars = {
      ...examplesOf(TEMPLATE_CATALOG['shipment.delivered'], 'en'),
      name: '<script>alert("x")</script> & Co',
    };
    const m = render('shipment.delivered', 'en', vars);
    expect(m.email!.html).toContain('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co,');
    expect(m.email!.html).not.toContain('<script>');
    expect(m.email!.text).toContain('Hi <script>alert("x")</script> & Co,');
    expect(m.sms!.text).toContain('<script>alert("x")</script> & Co');
  });

  it('escapes the shop name in the HTML part too', () => {
    const vars = examplesOf(TEMPLATE_CATALOG['order.confirmed'], 'en');
    const m = renderTemplate('order.confirmed', {
      locale: 'en',
      timeZone: 'UTC',
      shopName: 'Tom & Jerry <Toys>',
      vars,
    });
    expect(m.email!.html).toContain('Tom &amp; Jerry &lt;Toys&gt;');
    expect(m.sms!.text.startsWith('Tom & Jerry <Toys>: ')).toBe(true);
  });

  it('does not link to anything but http(s): a javascript: tracking URL is left out', () => {
    const vars = {
      ...examplesOf(TEMPLATE_CATALOG['shipment.shipped'], 'en'),
      trackingUrl: 'javascript:alert(1)',
    };
    const m = render('shipment.shipped', 'en', vars);
    expect(m.email!.html).not.toContain('javascript:');
    expect(m.email!.html).not.toContain('Track your parcel');
    expect(
      render('shipment.shipped', 'en', examplesOf(TEMPLATE_CATALOG['shipment.shipped'], 'en')).email!.html,
    ).toContain('<a href="https://www.ups.com/track?tracknum=1Z999AA10123456784">Track your parcel</a>');
  });

  it('fails with the template and the variable when a required one is missing or unusable', () => {
    const vars = examplesOf(TEMPLATE_CATALOG['case.refunded'], 'zh-CN');
    const { amount: _, ...withoutAmount } = vars;
    expect(() => render('case.refunded', 'zh-CN', withoutAmount)).toThrow(
      'template case.refunded: required variable "amount" is missing',
    );
    expect(() => render('case.refunded', 'zh-CN', { ...vars, amount: 128.5 })).toThrow(
      /template case\.refunded: required variable "amount" is invalid: not an integer amount/,
    );
    expect(() => render('shipment.shipped', 'en', {})).toThrow(
      'template shipment.shipped: required variable "trackingNumber" is missing',
    );
    expect(() => render('case.approved', 'en', { number: 'RMA-1', type: 'teleport' })).toThrow(
      /required variable "type" is invalid: "teleport" is not one of/,
    );
  });

  it('throws a permanent TemplateError (retrying cannot help)', () => {
    let thrown: unknown;
    try {
      render('order.refunded', 'en', {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(TemplateError);
    expect((thrown as TemplateError).templateId).toBe('order.refunded');
    expect(isPermanent(thrown)).toBe(true);
  });

  it('refuses an unknown time zone, an empty shop name and an unknown template', () => {
    const vars = examplesOf(TEMPLATE_CATALOG['order.confirmed'], 'en');
    expect(() =>
      renderTemplate('order.confirmed', { locale: 'en', timeZone: 'Mars/Olympus', shopName: 'S', vars }),
    ).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() =>
      renderTemplate('order.confirmed', { locale: 'en', timeZone: 'UTC', shopName: ' ', vars }),
    ).toThrow(/"shopName" is missing/);
    expect(() =>
      renderTemplate('order.shipped' as TemplateId, { locale: 'en', timeZone: 'UTC', shopName: 'S', vars }),
    ).toThrow(/unknown template/);
  });

  it('renders optional values as nothing, leaving no gaps or empty lines', () => {
    const m = render('shipment.shipped', 'zh-CN', { trackingNumber: 'SF1234567890123' });
    expect(m.sms!.text).toBe(
      '【浙江义乌市小商品城家居日用百货专营旗舰店】您的包裹已发出，单号SF1234567890123，签收前请检查外包装。',
    );
    expect(m.email!.text).not.toMatch(/\n{3,}/);
    expect(m.email!.text).not.toContain('预计');
    expect(m.email!.html).not.toContain('<p></p>');
  });

  it('says the amount in the currency of the refund and the locale of the customer', () => {
    const zh = render('case.refunded', 'zh-CN', {
      number: 'RMA-1',
      type: 'return_refund',
      amount: 12_800,
      currency: 'CNY',
    });
    expect(zh.sms!.text).toContain('已退款¥128.00');
    expect(zh.email!.subject).toBe('退款 ¥128.00 已办理（RMA-1）');
    const en = render('case.refunded', 'en', {
      number: 'RMA-1',
      type: 'return_refund',
      amount: 12_800,
      currency: 'CNY',
    });
    expect(en.sms!.text).toContain('refunded CN¥128.00');
    const yen = render('order.refunded', 'en', { refundId: 'r1', amount: 12_800, currency: 'JPY' });
    expect(yen.email!.subject).toBe('Your refund of ¥12,800 is on its way');
  });

  it('gives the return instructions on approval: RMA, address, deadline in the customer zone, postage, intact goods', () => {
    const vars = {
      number: 'RMA-7F3A9C21',
      type: 'return_refund',
      rma: 'RMA-7F3A9C21',
      returnBy: '2026-11-27T16:30:00.000Z',
      returnAddress: {
        name: '王小二',
        phone: '0571-88888888',
        province: '浙江省',
        city: '杭州市',
        address1: '文一西路969号',
      },
      postagePaidBy: 'buyer',
      mustBeIntact: true,
    };
    const zh = render('case.approved', 'zh-CN', vars).email!.text;
    expect(zh).toContain('退货编号（RMA）：RMA-7F3A9C21');
    expect(zh).toContain('寄回地址：浙江省杭州市文一西路969号 王小二 0571-88888888');
    expect(zh).toContain('请在 2026年11月28日 00:30 前寄出'); // 16:30 UTC is past midnight in Shanghai
    expect(zh).toContain('运费：由您承担（请勿选择到付）');
    expect(zh).toContain('请保持商品完好');
    const en = render('case.approved', 'en', { ...vars, postagePaidBy: 'shop', mustBeIntact: false }).email!
      .text;
    expect(en).toContain('Ship it by: Nov 27, 2026, 11:30 AM');
    expect(en).toContain('Return postage: paid by us');
    expect(en).not.toContain('unused and complete');
    // A refund without return is approved without instructions.
    const refundOnly = render('case.approved', 'en', { number: 'RMA-2', type: 'refund_only' }).email!.text;
    expect(refundOnly).not.toContain('Ship it by');
    expect(refundOnly).toContain("We'll take care of it right away");
  });

  it('reminds to inspect a delivered parcel and says what to do if something is wrong', () => {
    const vars = {
      trackingNumber: 'SF1234567890123',
      deliveredAt: '2026-11-20T06:12:00Z',
      inspectParcelReminder: true,
    };
    const zh = render('shipment.delivered', 'zh-CN', vars);
    expect(zh.sms!.text).toContain('验货');
    expect(zh.sms!.text).toContain('申请售后');
    expect(zh.email!.text).toContain('已于 2026年11月20日 14:12 签收');
    const en = render('shipment.delivered', 'en', vars);
    expect(en.email!.text).toMatch(/check that everything is there and undamaged/);
    expect(en.email!.text).toMatch(/damaged, missing or wrong, keep the packaging, take photos/);
  });

  it('apologises for an exception and says the next step', () => {
    const vars = { trackingNumber: 'SF1234567890123', apology: true, nextStep: 'check_address' };
    expect(render('shipment.exception', 'zh-CN', vars).sms!.text).toMatch(/非常抱歉.*请核对地址/);
    expect(render('shipment.exception', 'en', vars).email!.text).toMatch(
      /We're sorry.*\n\nThe carrier reports a problem with the delivery address/s,
    );
    // A next step we have no words for falls back to the generic one rather than to nothing.
    expect(render('shipment.exception', 'en', { ...vars, nextStep: 'new_step' }).sms!.text).toContain(
      "We're checking and will update you.",
    );
  });

  it('carries the opt-out in every marketing SMS, and the unsubscribe link in marketing email', () => {
    for (const id of ALL_TEMPLATES.filter((t) => TEMPLATE_CATALOG[t].kind === 'marketing')) {
      const zh = render(id, 'zh-CN', examplesOf(TEMPLATE_CATALOG[id], 'zh-CN'));
      expect(zh.sms!.text.endsWith('回TD退订'), id).toBe(true);
      expect(zh.email!.html).toContain('href="https://api.example.cn/unsubscribe/abc123"');
      const en = render(id, 'en', examplesOf(TEMPLATE_CATALOG[id], 'en'));
      expect(en.sms!.text.endsWith('Reply STOP to opt out'), id).toBe(true);
      expect(en.email!.text).toContain('Unsubscribe: https://api.example.com/unsubscribe/abc123');
    }
    const transactional = render('shipment.shipped', 'zh-CN', { trackingNumber: 'SF1' });
    expect(transactional.sms!.text).not.toContain('退订');
  });

  it('puts the shop signature first: 【店铺名】 in Chinese, "Shop: " in English', () => {
    const zh = render('order.confirmed', 'zh-CN', { orderId: '1' });
    expect(zh.sms!.text.startsWith('【浙江义乌市小商品城家居日用百货专营旗舰店】')).toBe(true);
    const en = render('order.confirmed', 'en', { orderId: '1' });
    expect(en.sms!.text.startsWith('Northwind Outdoor Co.: ')).toBe(true);
  });

  it('shows carriers by the name the customer knows', () => {
    const vars = { trackingNumber: 'SF1234567890123', carrier: 'sf-express', carrierName: 'SF Express' };
    expect(render('shipment.shipped', 'zh-CN', vars).sms!.text).toContain('已由顺丰速运发出');
    expect(render('shipment.shipped', 'en', vars).sms!.text).toContain('with SF Express');
    // A carrier typed by a clerk is folded onto our code; an unknown one keeps its display name.
    expect(
      render('case.replacement_shipped', 'zh-CN', {
        number: 'R',
        type: 'reship',
        trackingNumber: '1',
        carrier: '圆通',
      }).sms!.text,
    ).toContain('由圆通速递发出');
    expect(
      render('shipment.shipped', 'en', {
        trackingNumber: '1',
        carrier: 'acme-post',
        carrierName: 'Acme Post',
      }).sms!.text,
    ).toContain('with Acme Post');
  });

  it('gives staff alerts a title, a text and the link to the case', () => {
    const m = render('staff.sla_breach', 'zh-CN', {
      number: 'RMA-7F3A9C21',
      type: 'return_refund',
      sla: 'refund_due',
      dueAt: '2026-11-28T06:00:00Z',
      caseUrl: 'https://admin.example.com/admin/cases/7f3a9c21',
    });
    expect(m.chat).toEqual({
      title: '售后单 RMA-7F3A9C21 已超时',
      text: '退货退款售后单 RMA-7F3A9C21 退款已超过承诺时限（期限 2026年11月28日 14:00），请尽快处理。',
      url: 'https://admin.example.com/admin/cases/7f3a9c21',
    });
  });
});

describe('renderTemplate with a shop override', () => {
  const vars = examplesOf(TEMPLATE_CATALOG['shipment.shipped'], 'zh-CN');

  it('replaces the parts the override gives and keeps the built-in others', () => {
    const m = render('shipment.shipped', 'zh-CN', vars, {
      override: { sms: '亲，您的宝贝已发货啦！{{carrier}}单号{{trackingNumber}}，请注意查收~' },
    });
    expect(m.sms!.text).toBe(
      '【浙江义乌市小商品城家居日用百货专营旗舰店】亲，您的宝贝已发货啦！顺丰速运单号SF1234567890123，请注意查收~',
    );
    expect(m.email!.subject).toBe('您的包裹已发出，快递单号 SF1234567890123');
  });

  it('renders an override email with escaping and sections', () => {
    const m = render(
      'shipment.shipped',
      'en',
      { ...vars, name: 'Bo & "Jo"' },
      {
        override: {
          email: {
            subject: 'Shipped: {{trackingNumber}}',
            html: '<p>Dear {{name}},</p>{{#if trackingUrl}}<a href="{{trackingUrl}}">track</a>{{/if}}{{#unless expectedDelivery}}soon{{/unless}}',
            text: 'Dear {{name}}, {{trackingNumber}}',
          },
        },
      },
    );
    expect(m.email).toEqual({
      subject: 'Shipped: SF1234567890123',
      html: '<p>Dear Bo &amp; &quot;Jo&quot;,</p><a href="https://www.sf-express.com/chn/sc/waybill/waybill-detail/SF1234567890123">track</a>',
      text: 'Dear Bo & "Jo", SF1234567890123',
    });
  });

  it('appends the opt-out to a marketing SMS override that leaves it out, and keeps it where it is placed', () => {
    const checkin = examplesOf(TEMPLATE_CATALOG['followup.checkin'], 'zh-CN');
    expect(
      render('followup.checkin', 'zh-CN', checkin, { override: { sms: '宝贝用得还好吗？' } }).sms!.text,
    ).toBe('【浙江义乌市小商品城家居日用百货专营旗舰店】宝贝用得还好吗？回TD退订');
    expect(
      render('followup.checkin', 'zh-CN', checkin, { override: { sms: '{{unsubscribe}}。宝贝用得还好吗？' } })
        .sms!.text,
    ).toBe('【浙江义乌市小商品城家居日用百货专营旗舰店】回TD退订。宝贝用得还好吗？');
  });

  it('refuses, naming the problem, an override that would leave a blank at send time', () => {
    expect(() =>
      render('shipment.shipped', 'zh-CN', vars, { override: { sms: '单号{{trackingNo}}' } }),
    ).toThrow(
      /template shipment\.shipped: the shop's template does not check: sms: unknown variable \{\{trackingNo\}\}/,
    );
  });
});
