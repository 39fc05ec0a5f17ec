import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contactHash,
  maskEmail,
  maskPhone,
  normalizeEmail,
  normalizePhone,
  resolveCustomer,
} from '../../../functions/core/customers/identity.ts';

describe('normalizeEmail', () => {
  it('trims and lower-cases an address', () => {
    expect(normalizeEmail('  Li.Lei@Example.COM ')).toBe('li.lei@example.com');
    expect(normalizeEmail('jon@example.com')).toBe('jon@example.com');
  });

  it.each([
    ['not an email'],
    ['li.lei@'],
    ['@example.com'],
    ['li lei@example.com'],
    ['li.lei@example'],
    [''],
  ])('returns undefined for %j', (raw) => {
    expect(normalizeEmail(raw)).toBeUndefined();
  });

  it('returns undefined when there is no address at all', () => {
    expect(normalizeEmail(undefined)).toBeUndefined();
  });
});

describe('normalizePhone', () => {
  it.each([
    ['138 0013 8000', 'CN', '+8613800138000'],
    ['138-0013-8000', 'CN', '+8613800138000'],
    ['13800138000', 'cn', '+8613800138000'],
    ['(212) 555-0100', 'US', '+12125550100'],
    ['212.555.0100', 'US', '+12125550100'],
  ])('writes %s in region %s as %s', (raw, region, e164) => {
    expect(normalizePhone(raw, region)).toBe(e164);
  });

  it('keeps the country of a number written internationally, whatever the shop region', () => {
    expect(normalizePhone('+44 20 7946 0958', 'CN')).toBe('+442079460958');
    expect(normalizePhone('+86 138 0013 8000', 'US')).toBe('+8613800138000');
    expect(normalizePhone('+1 (212) 555-0100', 'CN')).toBe('+12125550100');
  });

  it('reads the same national number differently in two regions: the region comes from the shop', () => {
    expect(normalizePhone('212 555 0100', 'US')).toBe('+12125550100');
    expect(normalizePhone('212 555 0100', 'CN')).not.toBe('+12125550100');
  });

  it.each([['123'], ['555-555-SHIP'], ['not a phone'], [''], ['   ']])('returns undefined for %j', (raw) => {
    expect(normalizePhone(raw, 'US')).toBeUndefined();
  });

  it('returns undefined when there is no number at all', () => {
    expect(normalizePhone(undefined, 'CN')).toBeUndefined();
  });
});

describe('masks', () => {
  it('keeps the first letter and the domain of an email', () => {
    expect(maskEmail('li.lei@example.com')).toBe('l***@example.com');
    expect(maskEmail('jon@example.com')).toBe('j***@example.com');
  });

  it('hides the middle digits of a phone, as Chinese shops show them', () => {
    expect(maskPhone('+8613800138000')).toBe('+86138****8000');
    expect(maskPhone('+12125550100')).toBe('+121****0100');
    expect(maskPhone('+86110')).toBe('****');
  });

  it('never contains the full address', () => {
    const local = fc.stringMatching(/^[a-z0-9._+-]{2,24}$/);
    const domain = fc.constantFrom('example.com', 'qq.com', '163.com', 'mail.example.co.uk');
    fc.assert(
      fc.property(local, domain, (l, d) => {
        const email = `${l}@${d}`;
        const masked = maskEmail(email);
        expect(masked).not.toContain(email);
        expect(masked).not.toContain(`${l}@`);
      }),
    );
  });

  it('never contains the full number, national or international', () => {
    const mobile = fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), fc.stringMatching(/^\d{9}$/));
    fc.assert(
      fc.property(mobile, ([prefix, rest]) => {
        const national = `${prefix}${rest}`;
        const e164 = normalizePhone(national, 'CN');
        expect(e164).toBe(`+86${national}`);
        const masked = maskPhone(e164!);
        expect(masked).not.toContain(national);
        expect(masked.replace(/\D/g, '')).not.toContain(national);
        // Four digits stay hidden: at least 10^4 numbers share a mask.
        expect(masked.replace(/\D/g, '').length).toBeLessThanOrEqual(e164!.length - 1 - 4);
      }),
    );
  });
});

describe('contactHash', () => {
  it('is salted per shop: the same email gives different hashes in two shops', () => {
    const email = 'li.lei@example.com';
    expect(contactHash('shop-a', email)).not.toBe(contactHash('shop-b', email));
    expect(contactHash('shop-a', email)).toBe(contactHash('shop-a', email));
  });

  it('is a sha-256 hex digest that does not contain the contact', () => {
    const hash = contactHash('shop-a', '+8613800138000');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain('13800138000');
  });

  it('cannot be made to collide by moving characters between shop id and contact', () => {
    // A plain concatenation would give `shop-a` + `b@x.io` = `shop-ab` + `@x.io`.
    expect(contactHash('shop-a', 'b@x.io')).not.toBe(contactHash('shop-ab', '@x.io'));
  });
});

describe('resolveCustomer', () => {
  const facts = { externalId: '115310627314723954', email: ' Jon@Example.com', phone: '138 0013 8000' };

  it("prefers the marketplace's customer id, and carries the normalised contact", () => {
    expect(resolveCustomer('demo-shop', 'shopify', facts, 'CN')).toEqual({
      customerId: 'shopify-115310627314723954',
      email: 'jon@example.com',
      phone: '+8613800138000',
    });
  });

  it('falls back to the email, then to the phone, each through the shop-salted hash', () => {
    const byEmail = resolveCustomer('demo-shop', 'woocommerce', { ...facts, externalId: undefined }, 'CN');
    expect(byEmail?.customerId).toBe(`e-${contactHash('demo-shop', 'jon@example.com').slice(0, 24)}`);
    const byPhone = resolveCustomer('demo-shop', 'doudian', { phone: facts.phone }, 'CN');
    expect(byPhone).toEqual({
      customerId: `p-${contactHash('demo-shop', '+8613800138000').slice(0, 24)}`,
      phone: '+8613800138000',
    });
  });

  it('finds the same customer whatever the case and spacing of the email', () => {
    const a = resolveCustomer('demo-shop', 'generic', { email: 'Li.Lei@Example.com' }, 'CN');
    const b = resolveCustomer('demo-shop', 'generic', { email: ' li.lei@EXAMPLE.com ' }, 'CN');
    expect(a?.customerId).toBe(b?.customerId);
  });

  it('gives the same email different customer ids in two shops', () => {
    const a = resolveCustomer('shop-a', 'generic', { email: 'li.lei@example.com' }, 'CN');
    const b = resolveCustomer('shop-b', 'generic', { email: 'li.lei@example.com' }, 'CN');
    expect(a?.customerId).not.toBe(b?.customerId);
  });

  it('never puts the raw contact in the customer id', () => {
    const id = resolveCustomer('demo-shop', 'generic', { email: 'li.lei@example.com' }, 'CN')!.customerId;
    expect(id).not.toContain('li.lei');
    const byPhone = resolveCustomer('demo-shop', 'generic', { phone: '13800138000' }, 'CN')!.customerId;
    expect(byPhone).not.toContain('13800138000');
  });

  it('skips an invalid contact and resolves nothing when nothing usable is left', () => {
    expect(resolveCustomer('demo-shop', 'generic', { email: 'nope', phone: '13800138000' }, 'CN')).toEqual({
      customerId: `p-${contactHash('demo-shop', '+8613800138000').slice(0, 24)}`,
      phone: '+8613800138000',
    });
    expect(resolveCustomer('demo-shop', 'generic', { email: 'nope', phone: '12', name: 'Li' }, 'CN')).toBe(
      undefined,
    );
    expect(resolveCustomer('demo-shop', 'generic', undefined, 'CN')).toBeUndefined();
  });
});
