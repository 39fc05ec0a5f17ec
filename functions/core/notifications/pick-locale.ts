import type { Locale } from '../../../schemas/notifications.ts';

/**
 * The language a customer is written to: their own when they have one (a Chinese shop's English
 * customer reads English), else the shop's. Any Chinese tag (zh, zh-CN, zh_TW, zh-Hant-HK) is the
 * Chinese we write, zh-CN; anything else is English.
 */
export function pickLocale(customerLocale: string | undefined, shopLocale: string): Locale {
  const chosen = customerLocale?.trim() || shopLocale;
  return /^zh(?:$|[-_])/i.test(chosen.trim()) ? 'zh-CN' : 'en';
}
