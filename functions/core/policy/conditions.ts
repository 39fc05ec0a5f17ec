import type { ConditionField, ConditionNode, ConditionOp } from '../../../schemas/policy.ts';
import type { PolicyInputParsed } from '../../../schemas/policy-io.ts';
import type { ResolvedLine } from './lines.ts';
import { DAY_MS, wholeDaysBetween } from './time.ts';

/*
 * The condition language (docs/policy.md "Conditions"). A leaf reads one fact of the request and
 * compares it; a fact that is not known (no delivery yet, no order total) fails every leaf, so a
 * rule never approves on a value it could not see. Every leaf of a rule is evaluated, even after
 * the outcome is clear, so the trace of the deciding rule shows everything it tested.
 */

export interface TraceStep {
  test: string;
  value: unknown;
  passed: boolean;
}

export interface Facts {
  input: PolicyInputParsed;
  nowMs: number;
  lines: ResolvedLine[];
}

type Fact = number | string | string[] | undefined;

const unique = (words: string[]) => [...new Set(words)];
const sinceMs = (iso: string | undefined, nowMs: number) =>
  iso === undefined ? undefined : wholeDaysBetween(Date.parse(iso), nowMs);

/** The value a leaf on `field` sees. */
export function factOf(field: ConditionField, leaf: ConditionNode, f: Facts): Fact {
  const { order, customer, request } = f.input;
  switch (field) {
    case 'caseValue':
      return f.lines.reduce((sum, l) => sum + l.value, 0);
    case 'orderValue':
      return order.total;
    case 'daysSinceDelivery':
      return sinceMs(order.deliveredAt, f.nowMs);
    case 'daysSinceOrder':
      return sinceMs(order.placedAt, f.nowMs);
    case 'customerCases': {
      const from = f.nowMs - (leaf.days ?? 0) * DAY_MS;
      return customer.cases.filter((c) => {
        const at = Date.parse(c.at);
        return at >= from && at <= f.nowMs;
      }).length;
    }
    case 'lifetimeOrders':
      return customer.lifetimeOrders;
    case 'lifetimeRefunds':
      return customer.lifetimeRefunds;
    case 'type':
      return request.type;
    case 'resolution':
      return request.resolution;
    case 'origin':
      return request.origin;
    case 'country':
      return order.country ?? f.input.shop.country;
    case 'marketplace':
      return order.provider;
    case 'reasons':
      return unique(request.lines.map((l) => l.reason));
    case 'customerTags':
      return unique(customer.tags);
    case 'productTags':
      return unique(f.lines.flatMap((l) => l.tags));
    case 'categories':
      return unique(f.lines.flatMap((l) => l.categories));
    default: {
      // A field added to the schema without a fact here fails the typecheck.
      const unknown: never = field;
      throw new Error(`no fact for condition field ${String(unknown)}`);
    }
  }
}

const fold = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]).map(fold);

/** Whether a fact passes `op value`. Text is compared ignoring case. */
export function compare(op: ConditionOp, fact: Fact, value: unknown): boolean {
  if (fact === undefined) return false;
  if (Array.isArray(fact)) {
    const have = fact.map((w) => w.toLowerCase());
    const wanted = asList(value);
    switch (op) {
      case 'includes':
        return wanted.some((w) => have.includes(w as string));
      case 'excludes':
      case 'notIn':
        return !wanted.some((w) => have.includes(w as string));
      case 'in':
        // Every value is one of the list, and there is at least one: an empty list is in nothing.
        return have.length > 0 && have.every((w) => wanted.includes(w));
      default:
        return false;
    }
  }
  if (typeof fact === 'number') {
    if (typeof value !== 'number') return false;
    switch (op) {
      case 'eq':
        return fact === value;
      case 'ne':
        return fact !== value;
      case 'lt':
        return fact < value;
      case 'lte':
        return fact <= value;
      case 'gt':
        return fact > value;
      case 'gte':
        return fact >= value;
      default:
        return false;
    }
  }
  const text = fact.toLowerCase();
  switch (op) {
    case 'eq':
      return text === fold(value);
    case 'ne':
      return text !== fold(value);
    case 'in':
      return asList(value).includes(text);
    case 'notIn':
      return !asList(value).includes(text);
    default:
      return false;
  }
}

/** `caseValue lte 10000`, `customerCases(60d) eq 0`, `reasons in ["changed_mind"]`. */
export function describeLeaf(leaf: ConditionNode): string {
  const days = leaf.field === 'customerCases' ? `(${leaf.days}d)` : '';
  const value = JSON.stringify(leaf.value);
  // A long `in` list stays readable (and fits the case's trace) cut short.
  return `${leaf.field}${days} ${leaf.op} ${value.length > 200 ? `${value.slice(0, 199)}…` : value}`;
}

/**
 * Evaluates a condition tree; `steps` holds every leaf with the value it saw and its own result
 * (under a `not`, the rule holds when the leaf fails: the path in `test` says so).
 */
export function evaluateCondition(
  node: ConditionNode,
  f: Facts,
  path = '',
): { passed: boolean; steps: TraceStep[] } {
  const at = (segment: string) => (path ? `${path}.${segment}` : segment);
  if (node.all || node.any) {
    const key = node.all ? 'all' : 'any';
    const results = (node.all ?? node.any)!.map((child, i) =>
      evaluateCondition(child, f, at(`${key}[${i}]`)),
    );
    const passed = key === 'all' ? results.every((r) => r.passed) : results.some((r) => r.passed);
    return { passed, steps: results.flatMap((r) => r.steps) };
  }
  if (node.not) {
    const inner = evaluateCondition(node.not, f, at('not'));
    return { passed: !inner.passed, steps: inner.steps };
  }
  const field = node.field!;
  const fact = factOf(field, node, f);
  const passed = compare(node.op!, fact, node.value);
  const test = path ? `${path}: ${describeLeaf(node)}` : describeLeaf(node);
  return { passed, steps: [{ test, value: fact ?? null, passed }] };
}
