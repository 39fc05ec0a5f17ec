import type { Policy } from '../../../schemas/policy.ts';
import { type PolicyEvaluation, PolicyInput } from '../../../schemas/policy-io.ts';
import { evaluateCondition, type Facts, type TraceStep } from './conditions.ts';
import { resolveLines } from './lines.ts';
import { extraTermsOf, termsOf } from './terms.ts';
import { findViolations, type RequestContext, type Violation } from './violations.ts';
import { windowStart, zoneOf } from './window.ts';

/*
 * The policy engine: what a shop's policy (schemas/policy.ts) says about one after-sale request.
 * 1. parse the input; read the requested lines against the order and the policy's catalog
 * 2. check the request: the violations a customer would see as 422s
 * 3. work out the terms (window end, deadlines, postage, restocking fee, intactness)
 * 4. a customer's or staff member's request with violations is refused: no decision
 * 5. otherwise the first rule whose condition holds decides, with the trace of its leaves; none:
 *    the default action
 * A request from the marketplace (which already holds it) or the system (which noticed a parcel
 * problem) is never refused: its violations are `waived`, listed among the reasons, and the rules
 * decide as usual.
 */

type Decision = NonNullable<PolicyEvaluation['decision']>;

const ENFORCED_ORIGINS = new Set(['customer', 'staff']);

export function evaluatePolicy(policy: Policy, raw: PolicyInput): PolicyEvaluation {
  const input = PolicyInput.parse(raw);
  const nowMs = Date.parse(input.now);
  const ctx: RequestContext = {
    policy,
    input,
    ...resolveLines(policy, input),
    nowMs,
    zone: zoneOf(input.shop),
  };
  const found = findViolations(ctx);
  const terms = termsOf(ctx);
  const enforced = ENFORCED_ORIGINS.has(input.request.origin);
  const extra = extraTermsOf(ctx);
  if (enforced && found.length > 0)
    return { policyVersion: policy.version, violations: found, terms, ...extra };

  const notes = [...waivedNotes(input.request.origin, enforced ? [] : found), ...termNotes(ctx)];
  const decision = decide(policy, { input, nowMs, lines: ctx.lines }, notes);
  return {
    policyVersion: policy.version,
    violations: [],
    ...(!enforced && { waived: found }),
    decision,
    terms,
    ...extra,
  };
}

/** The first rule whose condition holds decides; the trace lists every leaf it tested. */
function decide(policy: Policy, facts: Facts, notes: string[]): Decision {
  const tried: TraceStep[] = [];
  for (const rule of policy.rules) {
    const { passed, steps } = evaluateCondition(rule.when, facts);
    if (passed) {
      return {
        action: rule.action,
        rule: rule.id,
        ...(rule.reasonCode !== undefined && { reasonCode: rule.reasonCode }),
        reasons: [rule.description ?? `Rule ${rule.id} matched.`, ...notes],
        trace: steps,
      };
    }
    tried.push(...steps.map((s) => ({ ...s, test: `rule ${rule.id} · ${s.test}` })));
  }
  const action = policy.defaultAction;
  return {
    action,
    rule: 'default',
    ...(action === 'reject' && { reasonCode: 'no_rule_matched' }),
    reasons: [`No rule matched: the default action (${action}) applies.`, ...notes],
    // What each rule saw, so staff can tell how near a request came to a rule.
    trace: [
      { test: 'no rule matched', value: policy.rules.map((r) => r.id), passed: false },
      ...capped(tried),
    ],
  };
}

/** The near misses of a default decision, at most MAX_NEAR_MISSES steps (a case stores its trace). */
const MAX_NEAR_MISSES = 150;

function capped(steps: TraceStep[]): TraceStep[] {
  if (steps.length <= MAX_NEAR_MISSES) return steps;
  const kept = steps.slice(0, MAX_NEAR_MISSES - 1);
  return [...kept, { test: 'more leaves not shown', value: steps.length - kept.length, passed: false }];
}

function waivedNotes(origin: string, waived: Violation[]): string[] {
  const who = origin === 'marketplace' ? 'the marketplace holds the request' : 'raised by the system';
  return waived.map((v) => `Not enforced (${who}): ${v.code}: ${v.message}`);
}

/** What staff should know that no rule tests. */
function termNotes(ctx: RequestContext): string[] {
  const notes: string[] = [];
  const { policy, input } = ctx;
  if (
    policy.window.appliesTo.includes(input.request.type) &&
    windowStart(policy, input.order) === undefined
  ) {
    notes.push(`The return window has not started: the order has no ${policy.window.from} time yet.`);
  }
  return notes;
}
