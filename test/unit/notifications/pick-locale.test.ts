import { describe, expect, it } from 'vitest';
import { pickLocale } from '../../../functions/core/notifications/pick-locale.ts';

describe('pickLocale', () => {
  it("writes in the customer's language when they have one", () => {
    expect(pickLocale('en-US', 'zh-CN')).toBe('en');
    expect(pickLocale('zh-CN', 'en')).toBe('zh-CN');
  });

  it('writes every Chinese variant in zh-CN', () => {
    for (const tag of ['zh', 'zh-CN', 'zh_TW', 'zh-Hant-HK', 'ZH-cn'])
      expect(pickLocale(tag, 'en')).toBe('zh-CN');
  });

  it('writes every other language in English', () => {
    for (const tag of ['fr-FR', 'ja', 'en-GB', 'zu']) expect(pickLocale(tag, 'zh-CN')).toBe('en');
  });

  it("falls back to the shop's language when the customer has none", () => {
    expect(pickLocale(undefined, 'zh-CN')).toBe('zh-CN');
    expect(pickLocale('  ', 'zh-CN')).toBe('zh-CN');
    expect(pickLocale(undefined, 'en')).toBe('en');
  });
});
