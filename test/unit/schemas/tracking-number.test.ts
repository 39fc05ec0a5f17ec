import { describe, expect, it } from 'vitest';
import { bounds, TrackingNumber } from '../../../schemas/common.ts';

/*
 * Tracking numbers key shipments and reach staff screens, exports and carriers' registrations.
 * `npm run fuzz:security` found a customer's return tracking number accepted with control
 * characters, NUL, `#`, `/` and bidi overrides; these pin what is refused and what is tidied.
 */
describe('TrackingNumber', () => {
  it.each([
    ['SF1234567890'],
    ['1Z999AA10123456784'],
    ['JDV000123456789-1-1-'],
    ['9400_1000.0000'],
    ['75432109876543'],
  ])('keeps what carriers write: %s', (value) => {
    expect(TrackingNumber.parse(value)).toBe(value);
  });

  it('tidies what a customer types: full-width characters to ASCII, spaces dropped', () => {
    expect(TrackingNumber.parse('ＳＦ１２３４５６')).toBe('SF123456');
    expect(TrackingNumber.parse(' SF 1234 5678\t')).toBe('SF12345678');
  });

  it.each([
    ['a control character', 'SF\u00075566778899'],
    ['NUL', 'SF\u00005566778899'],
    ['the key separator #', 'SF5566#OTHER'],
    ['a slash', 'SF55/../66'],
    ['a right-to-left override', 'SF5566778899\u202e'],
    ['a zero-width space', 'SF55\u200b66'],
    ['a Cyrillic look-alike', 'ЅF5566778899'],
    ['a leading dash', '-SF5566'],
    ['nothing but spaces', '   '],
    ['an empty string', ''],
    ['one character too many', 'A'.repeat(bounds.trackingNumber + 1)],
  ])('refuses %s', (_, value) => {
    const result = TrackingNumber.safeParse(value);
    expect(result.success).toBe(false);
  });

  it('allows exactly the bound', () => {
    expect(TrackingNumber.parse('A'.repeat(bounds.trackingNumber))).toHaveLength(bounds.trackingNumber);
  });
});
