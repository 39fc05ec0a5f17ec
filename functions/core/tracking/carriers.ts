/*
 * One carrier code set across providers and marketplaces. AfterShip slugs are the canonical base
 * (`ups`, `sf-express`, `yto`...): readable, stable, and covering most carriers. Every alias a
 * provider or marketplace uses is folded onto them here, so "顺丰速运" from a Shopify fulfillment,
 * `shunfeng` from Kuaidi100 and `SF Express` from EasyPost name the same carrier.
 */

interface Carrier {
  code: string;
  name: string;
  aliases: string[];
}

// Numeric aliases are 17TRACK carrier keys. Only keys confirmed against 17TRACK's own payloads and
// carrier list are here; the 17TRACK connector falls back to the provider name for the others.
const carriers: Carrier[] = [
  { code: 'ups', name: 'UPS', aliases: ['united parcel service', '100002'] },
  { code: 'fedex', name: 'FedEx', aliases: ['fed ex', 'federal express', '100003'] },
  { code: 'usps', name: 'USPS', aliases: ['united states postal service', 'us postal service', '21051'] },
  { code: 'dhl', name: 'DHL Express', aliases: ['dhl express', 'dhlexpress', '100001'] },
  {
    code: 'sf-express',
    name: 'SF Express',
    aliases: ['sf', 'sfexpress', 'shunfeng', '顺丰', '顺丰速运', '顺丰快递', '顺丰速递'],
  },
  { code: 'yto', name: 'YTO Express', aliases: ['yto express', 'yuantong', '圆通', '圆通速递', '圆通快递'] },
  { code: 'zto', name: 'ZTO Express', aliases: ['zto express', 'zhongtong', '中通', '中通快递', '中通速递'] },
  { code: 'sto', name: 'STO Express', aliases: ['sto express', 'shentong', '申通', '申通快递'] },
  { code: 'yunda', name: 'Yunda Express', aliases: ['yunda express', '韵达', '韵达快递', '韵达速递'] },
  {
    code: 'jtexpress',
    name: 'J&T Express',
    aliases: ['j&t', 'j&t express', 'jt express', 'jtexpress-cn', '极兔', '极兔速递', '极兔快递'],
  },
  {
    code: 'china-post',
    name: 'China Post',
    aliases: ['chinapost', 'youzhengguonei', '中国邮政', '邮政包裹', '邮政快递包裹', '邮政国内', '3011'],
  },
  {
    code: 'ems',
    name: 'China EMS',
    aliases: ['china-ems', 'china ems', 'ems express', 'ems快递', '中国ems', '3013'],
  },
  {
    code: 'jd',
    name: 'JD Logistics',
    aliases: ['jingdong', 'jd logistics', 'jd express', 'jdl', '京东', '京东物流', '京东快递'],
  },
  {
    code: 'deppon',
    name: 'Deppon Express',
    aliases: ['debangwuliu', 'debangkuaidi', '德邦', '德邦快递', '德邦物流'],
  },
  {
    code: 'best',
    name: 'BEST Express',
    aliases: ['bestex', 'best express', 'huitongkuaidi', '百世', '百世快递', '百世汇通'],
  },
];

/** Case, width, space and punctuation-insensitive lookup key ("SF Express" = "sf-express"). */
function key(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_\-.]+/g, '');
}

const byAlias = new Map<string, string>();
const names = new Map<string, string>();
for (const carrier of carriers) {
  names.set(carrier.code, carrier.name);
  for (const alias of [carrier.code, carrier.name, ...carrier.aliases]) byAlias.set(key(alias), carrier.code);
}

function slug(raw: string): string {
  return raw
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s_.]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '');
}

/**
 * Our carrier code for a provider's or marketplace's carrier name or code. Unknown carriers keep a
 * lower-cased slug of the raw value, so two pushes naming them the same way still agree; blank is
 * undefined (no carrier known), never an empty code.
 */
export function normalizeCarrier(raw: string | number | undefined | null): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  const text = String(raw).trim();
  if (!text) return undefined;
  return byAlias.get(key(text)) ?? (slug(text) || undefined);
}

/** True when the code is one of ours rather than a slug of something we do not know. */
export function isKnownCarrier(code: string): boolean {
  return names.has(code);
}

/** A human name for a carrier code (for notices); unknown codes are shown as given. */
export function carrierDisplayName(code: string): string {
  return names.get(code) ?? code;
}
