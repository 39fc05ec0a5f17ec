/*
 * SMS segments. A message whose every character is in the GSM 03.38 alphabet travels as GSM-7:
 * 160 characters in one segment, 153 in each part of a longer one (the rest is the joining
 * header); the extension characters (^ { } \ [ ] ~ | €) take two. Anything else (Chinese, an emoji,
 * a curly quote) sends the whole message as UCS-2: 70 in one segment, 67 in each part, counted in
 * UTF-16 code units (an emoji is two). Chinese carriers bill long messages the same way (长短信 67).
 */

const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENSION = '^{}\\[~]|€\f';
const basic = new Set(GSM_BASIC);
const extension = new Set(GSM_EXTENSION);

export function isGsm7(text: string): boolean {
  for (const c of text) if (!basic.has(c) && !extension.has(c)) return false;
  return true;
}

/** Characters as the network counts them: septets for GSM-7, UTF-16 code units for UCS-2. */
export function smsLength(text: string): { encoding: 'gsm7' | 'ucs2'; units: number } {
  if (!isGsm7(text)) return { encoding: 'ucs2', units: text.length };
  let units = 0;
  for (const c of text) units += extension.has(c) ? 2 : 1;
  return { encoding: 'gsm7', units };
}

/** How many segments the text is sent in (at least one, even for an empty text). */
export function smsSegments(text: string): number {
  const { encoding, units } = smsLength(text);
  const [single, part] = encoding === 'gsm7' ? [160, 153] : [70, 67];
  return units <= single ? 1 : Math.ceil(units / part);
}

/** The most segments a customer SMS may take, signature and opt-out included. */
export const MAX_SMS_SEGMENTS = 2;
