/**
 * Scans captured log text for what must never be logged: customers' emails and phone numbers,
 * connector and webhook secrets, and tokens (JWTs, bearer credentials, provider API tokens).
 *
 * Two kinds of evidence: the exact values a harness injected (`known`: the emails and phones it put
 * into orders, the secrets it configured, the tokens it issued), found however they are formatted,
 * and generic patterns for anything else that looks like one. Masked forms, as the product writes
 * them (`a***@x.com`, `+86138****8000`), do not match. Soak (test/soak) and the security fuzz
 * (test/fuzz) both use it; keep the exported API stable.
 */

export type LeakKind = 'email' | 'phone' | 'secret' | 'token';

export const LEAK_KINDS: readonly LeakKind[] = ['email', 'phone', 'secret', 'token'];

export interface KnownValues {
  emails?: readonly string[];
  phones?: readonly string[];
  secrets?: readonly string[];
  tokens?: readonly string[];
}

export interface ScanOptions {
  /** Exact strings that are not leaks though they match a pattern (the shop's own sender address). */
  allow?: readonly string[];
}

export interface LeakFinding {
  /** 1-based line number in the scanned text. */
  line: number;
  kind: LeakKind;
  /** `known` when an injected value was found, else the name of the pattern that matched. */
  rule: string;
  /** The match with its middle masked, safe to print in a report. */
  excerpt: string;
}

/** Shorter known values would match by chance (a secret `abc` inside any word). */
const MIN_KNOWN_LENGTH = 6;
/** A known phone is found by its last digits, whatever separators or country prefix surround them. */
const PHONE_TAIL_DIGITS = 9;

interface Pattern {
  kind: LeakKind;
  rule: string;
  regex: RegExp;
}

const patterns: Pattern[] = [
  // The local part must touch the `@`: a masked `a***@x.com` does not match.
  {
    kind: 'email',
    rule: 'email',
    regex: /(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g,
  },
  // E.164, written plainly or with single spaces or dashes between groups.
  { kind: 'phone', rule: 'e164', regex: /(?<![\w+])\+[1-9]\d{0,2}(?:[ -]?\d){7,12}(?![\w*])/g },
  // A Chinese mobile number without its country code: 11 digits, 13x-19x, optionally 3-4-4 grouped.
  { kind: 'phone', rule: 'cn-mobile', regex: /(?<![\w+.*-])1[3-9]\d(?:[ -]?\d{4}){2}(?![\w*])/g },
  { kind: 'token', rule: 'jwt', regex: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g },
  { kind: 'token', rule: 'bearer', regex: /\bBearer\s+[A-Za-z0-9._~+/=-]{16,}/gi },
  // Shopify access and shared-secret tokens, Stripe-style keys, AWS access key ids.
  {
    kind: 'token',
    rule: 'api-token',
    regex: /\b(?:shp(?:at|ss|ca|pa)_[a-f0-9]{16,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,})\b/g,
  },
  { kind: 'secret', rule: 'aws-key', regex: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g },
  { kind: 'secret', rule: 'private-key', regex: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
  // A field named like a credential with a literal value (JSON or key=value), not a redaction.
  {
    kind: 'secret',
    rule: 'credential-field',
    regex:
      /["']?\b(?:secret|password|passwd|apiKey|api_key|appSecret|app_secret|clientSecret|client_secret|webhookSecret|signingSecret|authorization)\b["']?\s*[:=]\s*["']?(?!\*|\[redacted|<redacted|redacted|undefined|null|true|false)[^"'\s,}]{6,}/gi,
  },
];

/** Shows the first and last two characters only, so a report does not repeat the leak. */
export function maskForReport(value: string): string {
  if (value.length <= 6) return '*'.repeat(value.length);
  return `${value.slice(0, 2)}${'*'.repeat(Math.min(value.length - 4, 12))}${value.slice(-2)}`;
}

function digitsOf(value: string): string {
  return value.replace(/\D/g, '');
}

/** Every finding in `text`, in line order; one finding per distinct match and line. */
export function scanLogs(text: string, known: KnownValues = {}, options: ScanOptions = {}): LeakFinding[] {
  const allow = new Set(options.allow ?? []);
  const exact: Array<{ kind: LeakKind; value: string }> = [
    ...(known.emails ?? []).map((v) => ({ kind: 'email' as const, value: v.toLowerCase() })),
    ...(known.secrets ?? []).map((v) => ({ kind: 'secret' as const, value: v })),
    ...(known.tokens ?? []).map((v) => ({ kind: 'token' as const, value: v })),
  ].filter((k) => k.value.length >= MIN_KNOWN_LENGTH);
  const phoneTails = [
    ...new Set((known.phones ?? []).map(digitsOf).filter((d) => d.length >= PHONE_TAIL_DIGITS)),
  ].map((d) => d.slice(-PHONE_TAIL_DIGITS));

  const findings: LeakFinding[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line) continue;
    const seen = new Set<string>();
    const knownOnLine: string[] = [];
    const add = (kind: LeakKind, rule: string, match: string) => {
      const key = `${kind}\u0000${match}`;
      if (seen.has(key) || allow.has(match)) return;
      seen.add(key);
      findings.push({ line: i + 1, kind, rule, excerpt: maskForReport(match) });
    };

    const lower = line.toLowerCase();
    for (const k of exact) {
      if ((k.kind === 'email' ? lower : line).includes(k.value)) {
        add(k.kind, 'known', k.value);
        knownOnLine.push(k.kind === 'email' ? k.value : k.value.toLowerCase());
      }
    }
    if (phoneTails.length) {
      // Separators removed, so `138 0013 8000` and `+86-138-0013-8000` are found too.
      const compact = line.replace(/[\s().-]/g, '');
      for (const tail of phoneTails) {
        if (!compact.includes(tail)) continue;
        add('phone', 'known', tail);
        knownOnLine.push(tail);
      }
    }
    for (const p of patterns) {
      for (const m of line.matchAll(p.regex)) {
        // A known value already reported on this line is one leak, not two.
        const digits = digitsOf(m[0]);
        const reported = findings.some(
          (f) =>
            f.line === i + 1 &&
            f.rule === 'known' &&
            f.kind === p.kind &&
            knownOnLine.some(
              (v) => m[0].toLowerCase().includes(v) || (p.kind === 'phone' && digits.endsWith(v)),
            ),
        );
        if (!reported) add(p.kind, p.rule, m[0]);
      }
    }
  }
  return findings;
}

/** Findings counted per kind, every kind present (zero included), for a report table. */
export function countByKind(findings: readonly LeakFinding[]): Record<LeakKind, number> {
  const counts = Object.fromEntries(LEAK_KINDS.map((k) => [k, 0])) as Record<LeakKind, number>;
  for (const f of findings) counts[f.kind]++;
  return counts;
}
