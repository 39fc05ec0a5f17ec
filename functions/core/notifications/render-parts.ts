import type { Locale } from '../../../schemas/notifications.ts';

/** The sender's signature in front of every SMS: 【店铺名】 in Chinese (required by Chinese carriers), "Shop: " otherwise. */
export function smsSignature(shopName: string, locale: Locale): string {
  return locale === 'zh-CN' ? `【${shopName}】` : `${shopName}: `;
}

/** The opt-out every marketing SMS carries. */
export function unsubscribeText(locale: Locale): string {
  return locale === 'zh-CN' ? '回TD退订' : 'Reply STOP to opt out';
}

/** A subject or a title: one line, single spaces. */
export const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A plain-text body: sections that rendered nothing leave no runs of blank lines. */
export const tidyText = (s: string) =>
  s
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();

/** An SMS: one line, no doubled spaces where an optional value was empty. */
export const tidySms = (s: string) => s.replace(/\s+/g, ' ').trim();
