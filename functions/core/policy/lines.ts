import type { Policy } from '../../../schemas/policy.ts';
import type { PolicyInputParsed, Resolution, ReturnReason } from '../../../schemas/policy-io.ts';

/*
 * The requested lines, read against the order and the policy's catalog: what each is worth, which
 * tags and categories it carries, and whether it is final sale or store credit only.
 */

type OrderLine = PolicyInputParsed['order']['lines'][number];
type RequestLine = PolicyInputParsed['request']['lines'][number];

export interface ResolvedLine {
  request: RequestLine;
  line: OrderLine;
  /** The requested quantity's share of the line total, minor units (rounded down). */
  value: number;
  /** Lower-cased, the line's own and the catalog's. */
  tags: string[];
  categories: string[];
}

const globs = new Map<string, RegExp>();

/** `*` any run of characters, `?` exactly one; the whole value, ignoring case. */
export function globMatches(glob: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  let re = globs.get(glob);
  if (!re) {
    const body = glob.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
    re = new RegExp(`^${body}$`, 'is');
    globs.set(glob, re);
  }
  return re.test(value);
}

const lower = (words: readonly string[]) => words.map((w) => w.toLowerCase());

/** The tags and categories of an order line: its own plus every catalog entry matching it. */
function labelsOf(policy: Policy, line: OrderLine): { tags: string[]; categories: string[] } {
  const tags = new Set(lower(line.tags));
  const categories = new Set(lower(line.categories));
  for (const entry of policy.catalog) {
    if (entry.sku !== undefined && !globMatches(entry.sku, line.sku)) continue;
    if (entry.productId !== undefined && !globMatches(entry.productId, line.productId)) continue;
    for (const t of lower(entry.tags)) tags.add(t);
    for (const c of lower(entry.categories)) categories.add(c);
  }
  return { tags: [...tags], categories: [...categories] };
}

/** `part` of `whole` units of `amount`, rounded down, without floating point. */
export function shareOf(amount: number, part: number, whole: number): number {
  if (whole <= 0) return 0;
  return Number((BigInt(amount) * BigInt(part)) / BigInt(whole));
}

/** `percent` (two decimals at most) of an amount, rounded down. */
export function percentOf(amount: number, percent: number): number {
  return Number((BigInt(amount) * BigInt(Math.round(percent * 100))) / 10_000n);
}

export function resolveLines(
  policy: Policy,
  input: PolicyInputParsed,
): { lines: ResolvedLine[]; unknown: RequestLine[] } {
  const byId = new Map(input.order.lines.map((l) => [l.lineId, l]));
  const lines: ResolvedLine[] = [];
  const unknown: RequestLine[] = [];
  for (const request of input.request.lines) {
    const line = byId.get(request.lineId);
    if (!line) {
      unknown.push(request);
      continue;
    }
    const value = shareOf(line.total, Math.min(request.quantity, line.quantity), line.quantity);
    lines.push({ request, line, value, ...labelsOf(policy, line) });
  }
  return { lines, unknown };
}

/** Whether the final-sale rules apply to a line's reason (a defect is the shop's to put right anyway). */
export function exclusionsApply(policy: Policy, reason: ReturnReason): boolean {
  return policy.exclusions.forReasons.includes(reason);
}

/** Why a line is final sale (excluded), or undefined when it is not. */
export function finalSaleBecause(policy: Policy, l: ResolvedLine): string | undefined {
  const ex = policy.exclusions;
  const tag = lower(ex.tags).find((t) => l.tags.includes(t));
  if (tag) return `tag ${tag}`;
  const category = lower(ex.categories).find((c) => l.categories.includes(c));
  if (category) return `category ${category}`;
  const sku = ex.skus.find((g) => globMatches(g, l.line.sku));
  if (sku) return `SKU ${l.line.sku} (${sku})`;
  const product = ex.productIds.find((g) => globMatches(g, l.line.productId));
  if (product) return `product ${l.line.productId} (${product})`;
  const discount = discountRule(policy, l.line, 'final_sale');
  if (discount !== undefined) return `discounted over ${discount}%`;
  return undefined;
}

/** The `overPercent` of the first discount rule with this treatment the line's discount exceeds. */
export function discountRule(
  policy: Policy,
  line: OrderLine,
  treatment: 'final_sale' | 'store_credit_only',
): number | undefined {
  const base = (line.compareAtUnitPrice ?? line.unitPrice) * line.quantity;
  if (base <= 0) return undefined;
  const off = BigInt(base - line.total) * 10_000n;
  return policy.exclusions.discounted.find(
    (d) => d.treatment === treatment && off > BigInt(Math.round(d.overPercent * 100)) * BigInt(base),
  )?.overPercent;
}

/** The resolutions a line allows: its reason's, without original payment when it is store credit only. */
export function resolutionsFor(policy: Policy, l: ResolvedLine): Resolution[] {
  const allowed = policy.reasons[l.request.reason].resolutions;
  if (
    exclusionsApply(policy, l.request.reason) &&
    discountRule(policy, l.line, 'store_credit_only') !== undefined
  ) {
    return allowed.filter((r) => r === 'store_credit');
  }
  return allowed;
}
