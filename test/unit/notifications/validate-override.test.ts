import { describe, expect, it } from 'vitest';
import { TEMPLATE_CATALOG } from '../../../functions/core/notifications/catalog.ts';
import { validateOverride } from '../../../functions/core/notifications/validate-override.ts';
import { Locale, type TemplateOverride } from '../../../schemas/notifications.ts';
import { ALL_TEMPLATES } from './fixtures.ts';

const email = (over: Partial<NonNullable<TemplateOverride['email']>> = {}) => ({
  subject: '您的包裹已发出',
  html: '<p>{{#if name}}{{name}}，{{/if}}您好！单号 {{trackingNumber}}</p>',
  text: '{{#if name}}{{name}}，{{/if}}您好！单号 {{trackingNumber}}',
  ...over,
});

describe('validateOverride', () => {
  it('accepts every built-in text as an override (in its own locale and in any)', () => {
    for (const id of ALL_TEMPLATES) {
      for (const locale of Locale.options) {
        const builtIn = TEMPLATE_CATALOG[id].builtIn[locale];
        expect(validateOverride(id, builtIn, { locale }), `${id} ${locale}`).toEqual([]);
      }
    }
  });

  it('accepts a good override of each part', () => {
    expect(validateOverride('shipment.shipped', { email: email() })).toEqual([]);
    expect(
      validateOverride('shipment.shipped', {
        sms: '亲，您的宝贝已发货，{{carrier}}单号{{trackingNumber}}。',
      }),
    ).toEqual([]);
    expect(
      validateOverride('staff.case_waiting', {
        chat: { title: '待审核 {{number}}', text: '{{customerName}} 的申请在等你' },
      }),
    ).toEqual([]);
    expect(
      validateOverride('shipment.shipped', {
        email: email({
          html: '<a href="{{trackingUrl}}" title="{{trackingNumber}}">{{#if carrier}}{{carrier}}{{else}}物流{{/if}}</a>',
        }),
      }),
    ).toEqual([]);
  });

  it('names every unknown variable, with the ones the template has', () => {
    const problems = validateOverride('shipment.shipped', {
      email: email({ subject: '{{trackingNo}}', text: '{{#if eta}}{{eta}}{{/if}}' }),
      sms: '单号{{tracking_number}}',
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^email\.subject: unknown variable \{\{trackingNo\}\} \(shipment\.shipped has shopName, name, .*trackingNumber/,
      ),
      expect.stringMatching(/^email\.text: unknown variable \{\{eta\}\}/),
      expect.stringMatching(/^sms: unknown variable \{\{tracking_number\}\}/),
    ]);
  });

  it('catches unbalanced and malformed sections', () => {
    const sms = (source: string) => validateOverride('shipment.shipped', { sms: source });
    expect(sms('{{#if carrier}}{{carrier}}')).toEqual(['sms: {{#if carrier}} is never closed']);
    expect(sms('{{carrier}}{{/if}}')).toEqual(['sms: {{/if}} without a matching {{#if ...}}']);
    expect(sms('{{#if carrier}}x{{/unless}}')).toEqual(['sms: {{#if carrier}} is closed by {{/unless}}']);
    expect(sms('{{else}}')).toEqual(['sms: {{else}} outside a {{#if}} or {{#unless}} section']);
    expect(sms('{{#if a}}x{{else}}y{{else}}z{{/if}}')).toContain('sms: a second {{else}} in {{#if a}}');
    expect(sms('{{#if}}x{{/if}}')).toEqual([
      'sms: {{#if}} needs one variable name, as in {{#if trackingUrl}}',
    ]);
    expect(sms('{{{trackingNumber}}}')[0]).toMatch(
      /^sms: \{\{\{trackingNumber\}\} is not a variable or a section/,
    );
    expect(sms('{{#each items}}{{/each}}')[0]).toMatch(/is not a variable or a section/);
    expect(sms('单号 {{trackingNumber')).toEqual([
      expect.stringMatching(/^sms: "\{\{" without a closing "\}\}"/),
    ]);
  });

  it('refuses an SMS that takes more than two segments with the signature', () => {
    const long = `您好，${'您的包裹已经发出了，'.repeat(10)}单号{{trackingNumber}}`;
    expect(validateOverride('shipment.shipped', { sms: long }, { locale: 'zh-CN' })).toEqual([
      expect.stringMatching(/^sms: with the signature and long values it takes 3 segments/),
    ]);
    // The same length fits without the long shop name: the signature counts.
    const fits = '好'.repeat(120);
    expect(
      validateOverride('shipment.shipped', { sms: fits }, { locale: 'zh-CN', shopName: '小店' }),
    ).toEqual([]);
    expect(validateOverride('shipment.shipped', { sms: fits }, { locale: 'zh-CN' })).toHaveLength(1);
  });

  it('measures an SMS by its longest branch and its longest values', () => {
    // The example pickup point is 19 characters: four of them, the signature and 40 more are 138 > 134.
    const point = '{{pickupPoint}}'.repeat(4);
    const tail = '好'.repeat(40);
    const check = (sms: string) =>
      validateOverride('shipment.available_for_pickup', { sms }, { locale: 'zh-CN' });
    expect(check(`{{#if pickupPoint}}${point}{{else}}短{{/if}}${tail}`)).toHaveLength(1);
    expect(check(`{{#if pickupPoint}}短{{else}}${point}{{/if}}${tail}`)).toHaveLength(1);
    expect(check(`{{#if pickupPoint}}短{{/if}}${tail}`)).toEqual([]);
  });

  it('measures a code by its longest label, not by its example', () => {
    // The example next step (29 characters) three times fits; the longest label (44) three times does not.
    expect(
      validateOverride('shipment.exception', { sms: '{{nextStep}}'.repeat(3) }, { locale: 'zh-CN' }),
    ).toHaveLength(1);
    expect(
      validateOverride('shipment.exception', { sms: '{{nextStep}}'.repeat(2) }, { locale: 'zh-CN' }),
    ).toEqual([]);
  });

  it('counts the opt-out that is appended to a marketing SMS', () => {
    const body = '好'.repeat(134 - 22 - 2); // fits exactly without the opt-out, not with it
    expect(validateOverride('shipment.shipped', { sms: body }, { locale: 'zh-CN' })).toEqual([]);
    expect(validateOverride('winback', { sms: body }, { locale: 'zh-CN' })).toHaveLength(1);
  });

  it('asks to leave the signature out of the SMS', () => {
    expect(validateOverride('shipment.shipped', { sms: '【小店】单号{{trackingNumber}}' })).toEqual([
      'sms: leave out the 【signature】: it is put in front of every SMS',
    ]);
  });

  it('keeps flags for sections and the SMS opt-out for SMS', () => {
    expect(validateOverride('case.approved', { sms: '{{mustBeIntact}}' })).toEqual([
      'sms: {{mustBeIntact}} is a condition: use it as {{#if mustBeIntact}}...{{/if}}',
    ]);
    expect(
      validateOverride('winback', { email: { subject: 'Hi', html: '<p>{{unsubscribe}}</p>', text: 'x' } }),
    ).toEqual(['email.html: {{unsubscribe}} is for sms only (in email use {{unsubscribeUrl}})']);
    expect(validateOverride('shipment.shipped', { sms: '{{unsubscribe}}' })[0]).toMatch(
      /unknown variable \{\{unsubscribe\}\}/,
    );
  });

  it('refuses parts the template has no channel for', () => {
    expect(validateOverride('shipment.shipped', { chat: { title: 't', text: 'x' } })).toEqual([
      'chat: shipment.shipped has no chat message (it has email, sms)',
    ]);
    expect(validateOverride('staff.sla_breach', { sms: '{{number}}' })).toEqual([
      'sms: staff.sla_breach has no sms message (it has chat)',
    ]);
  });

  it('keeps placeholders in HTML where escaping makes them safe', () => {
    const html = (source: string) => validateOverride('shipment.shipped', { email: email({ html: source }) });
    expect(html('<a href={{trackingUrl}}>x</a>')).toEqual([
      'email.html: {{trackingUrl}} inside a tag must be in a quoted attribute value, as in href="{{trackingUrl}}"',
    ]);
    expect(html('<a href="{{name}}">x</a>')).toEqual([
      'email.html: href="{{name}}" needs a link variable; {{name}} is not one',
    ]);
    expect(html("<img src='{{carrierName}}'>")).toHaveLength(1);
    expect(html('<script>var n = "{{name}}"</script>')).toEqual([
      'email.html: {{name}} cannot be used inside <script> or <style>',
    ]);
    expect(html('<a href="https://t.example/?n={{trackingNumber}}">{{name}}</a>')).toEqual([]);
  });

  it('keeps the subject on one line and no part empty', () => {
    expect(
      validateOverride('shipment.shipped', { email: email({ subject: 'a\nBcc: x@example.com' }) }),
    ).toEqual(['email.subject: a subject is one line']);
    expect(validateOverride('shipment.shipped', { email: email({ text: '  ' }) })).toEqual([
      'email.text: the text is empty',
    ]);
    expect(validateOverride('shipment.shipped', { sms: '' })).toEqual(['sms: the text is empty']);
  });

  it('reports a shape the schema refuses instead of checking it', () => {
    const bad = { sms: 'x'.repeat(501) } as TemplateOverride;
    expect(validateOverride('shipment.shipped', bad)).toEqual([expect.stringMatching(/^sms: /)]);
    expect(validateOverride('shipment.shipped', { push: 'x' } as unknown as TemplateOverride)[0]).toMatch(
      /push/,
    );
  });
});
