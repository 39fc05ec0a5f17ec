import type { Locale, TemplateOverride } from '../../../schemas/notifications.ts';
import { escapeHtml } from './format.ts';

/*
 * The built-in texts are written once per language as short blocks (paragraphs, a list, a link);
 * the email's HTML and plain-text parts are both made from them, so the two never drift apart.
 * What comes out is ordinary template source in the shape of a shop's TemplateOverride: the
 * settings page shows it as the starting point, and validateOverride accepts it like any other.
 */

export type Block =
  | string
  | { p: string; if?: string; unless?: string }
  | { items: Array<string | { text: string; if: string }>; if?: string; unless?: string }
  | { link: string; label: string };

export interface BuiltInText {
  subject: string;
  body: Block[];
  sms: string;
}

export interface BuiltInChat {
  title: string;
  text: string;
}

export interface Frame {
  greeting: string;
  signoff: string;
  /** `label：url` (zh) or `label: url` (en) in the plain-text part. */
  linkSeparator: string;
  /** The opt-out link's words in marketing email. */
  unsubscribeLabel: string;
}

const FRAMES: Record<Locale, Frame> = {
  'zh-CN': {
    greeting: '{{#if name}}{{name}}，您好！{{else}}您好！{{/if}}',
    signoff: '{{shopName}} 客服',
    linkSeparator: '：',
    unsubscribeLabel: '不想再收到此类邮件？点此退订',
  },
  en: {
    greeting: '{{#if name}}Hi {{name}},{{else}}Hello,{{/if}}',
    signoff: 'The {{shopName}} team',
    linkSeparator: ': ',
    unsubscribeLabel: "Don't want these emails? Unsubscribe",
  },
};

export function frameOf(locale: Locale): Frame {
  return FRAMES[locale];
}

const TAG = /(\{\{[\s\S]*?\}\})/;

/** Escapes the literal text of template source for HTML, leaving its tags alone. */
function htmlSource(source: string): string {
  return source
    .split(TAG)
    .map((piece, i) => (i % 2 ? piece : escapeHtml(piece)))
    .join('');
}

const wrap = (cond: { if?: string; unless?: string }, inner: string) => {
  if (cond.if) return `{{#if ${cond.if}}}${inner}{{/if}}`;
  if (cond.unless) return `{{#unless ${cond.unless}}}${inner}{{/unless}}`;
  return inner;
};

const BODY_STYLE =
  "margin:0;padding:24px;font-family:-apple-system,'PingFang SC','Microsoft YaHei',Helvetica,Arial,sans-serif;font-size:15px;line-height:1.6;color:#222";

function html(locale: Locale, blocks: Block[]): string {
  const out = blocks.map((b) => {
    if (typeof b === 'string') return `<p>${htmlSource(b)}</p>\n`;
    if ('p' in b) return wrap(b, `<p>${htmlSource(b.p)}</p>\n`);
    if ('link' in b)
      return wrap({ if: b.link }, `<p><a href="{{${b.link}}}">${htmlSource(b.label)}</a></p>\n`);
    const items = b.items
      .map((i) =>
        typeof i === 'string' ? `<li>${htmlSource(i)}</li>` : wrap(i, `<li>${htmlSource(i.text)}</li>`),
      )
      .join('\n');
    return wrap(b, `<ul>\n${items}\n</ul>\n`);
  });
  return `<!doctype html>\n<html lang="${locale}">\n<body style="${BODY_STYLE}">\n${out.join('')}</body>\n</html>\n`;
}

function text(locale: Locale, blocks: Block[]): string {
  const sep = FRAMES[locale].linkSeparator;
  return blocks
    .map((b) => {
      if (typeof b === 'string') return `${b}\n\n`;
      if ('p' in b) return wrap(b, `${b.p}\n\n`);
      if ('link' in b) return wrap({ if: b.link }, `${b.label}${sep}{{${b.link}}}\n\n`);
      const items = b.items
        .map((i) => (typeof i === 'string' ? `- ${i}\n` : wrap(i, `- ${i.text}\n`)))
        .join('');
      return wrap(b, `${items}\n`);
    })
    .join('');
}

/** A built-in text as template source, framed with the greeting, the sign-off and (marketing) the opt-out. */
export function toParts(
  locale: Locale,
  t: BuiltInText,
  marketing: boolean,
): Required<Omit<TemplateOverride, 'chat'>> {
  const frame = FRAMES[locale];
  const blocks: Block[] = [frame.greeting, ...t.body, frame.signoff];
  if (marketing) blocks.push({ link: 'unsubscribeUrl', label: frame.unsubscribeLabel });
  return {
    email: { subject: t.subject, html: html(locale, blocks), text: text(locale, blocks) },
    sms: t.sms,
  };
}
