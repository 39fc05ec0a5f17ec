import { ZodError } from 'zod';
import type { DryRunReport, Policy, PolicyOutcome } from '../../../schemas/policy.ts';
import type { PolicyEvaluation, PolicyInput, PolicyViolationCode } from '../../../schemas/policy-io.ts';
import { evaluatePolicy } from './evaluate.ts';

/*
 * A draft policy tried on real requests before it is published: both policies evaluate the same
 * samples (the caller gathers them: cases of the last N days, delivered orders), and the report
 * says how many each would approve, review, reject or refuse, which samples change, and, for
 * those, which rule of the draft decided and which violation codes appear or disappear.
 * Violations a policy waives (marketplace and system requests) count as codes too.
 */

export interface DryRunSample {
  caseId: string;
  input: PolicyInput;
}

const zero = () => ({ approve: 0, review: 0, reject: 0, refused: 0 });

function outcomeOf(e: PolicyEvaluation): {
  outcome: PolicyOutcome;
  rule?: string;
  codes: PolicyViolationCode[];
} {
  const codes = [...new Set([...e.violations, ...(e.waived ?? [])].map((v) => v.code))].sort();
  if (!e.decision) return { outcome: 'refused', codes };
  return { outcome: e.decision.action, rule: e.decision.rule, codes };
}

export function dryRun(current: Policy, draft: Policy, samples: DryRunSample[]): DryRunReport {
  const report: DryRunReport = {
    currentVersion: current.version,
    draftVersion: draft.version,
    samples: samples.length,
    evaluated: 0,
    current: zero(),
    draft: zero(),
    changed: 0,
    transitions: [],
    byDraftRule: {},
    changes: [],
    skipped: [],
  };
  for (const { caseId, input } of samples) {
    let before: ReturnType<typeof outcomeOf>;
    let after: ReturnType<typeof outcomeOf>;
    try {
      before = outcomeOf(evaluatePolicy(current, input));
      after = outcomeOf(evaluatePolicy(draft, input));
    } catch (err) {
      // A sample the engine cannot read (an old stored shape) is listed, not fatal to the report.
      if (!(err instanceof ZodError)) throw err;
      report.skipped.push({
        caseId,
        error: err.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '),
      });
      continue;
    }
    report.evaluated += 1;
    report.current[before.outcome] += 1;
    report.draft[after.outcome] += 1;
    const codesAdded = after.codes.filter((c) => !before.codes.includes(c));
    const codesRemoved = before.codes.filter((c) => !after.codes.includes(c));
    if (before.outcome === after.outcome && codesAdded.length === 0 && codesRemoved.length === 0) continue;

    report.changed += 1;
    const transition = report.transitions.find((t) => t.from === before.outcome && t.to === after.outcome);
    if (transition) transition.count += 1;
    else report.transitions.push({ from: before.outcome, to: after.outcome, count: 1 });
    const decidedBy = after.rule ?? 'refused';
    report.byDraftRule[decidedBy] = (report.byDraftRule[decidedBy] ?? 0) + 1;
    report.changes.push({
      caseId,
      from: before.outcome,
      to: after.outcome,
      ...(before.rule !== undefined && { currentRule: before.rule }),
      ...(after.rule !== undefined && { draftRule: after.rule }),
      codesAdded,
      codesRemoved,
    });
  }
  return report;
}
