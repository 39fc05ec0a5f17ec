import { beforeAll, describe, expect, it } from 'vitest';
import { type FunctionName, functions } from '../../infra/topology.ts';
import { lambdaBundle } from './bundle.ts';

// What each function's bundle may carry, from what its topology entry says it does. The
// composition root once imported every adapter, so every function bundled (and evaluated at cold
// start) KMS, SES, SNS, nodemailer, all the connectors and the notification texts
// (docs/PERFORMANCE.md). Each line below fails when an import brings one of them back where the
// function has no use for it. Sizes themselves are measured by `npm run bench`, not here.

const carries = (inputs: string[], pattern: RegExp) => inputs.some((p) => pattern.test(p));

const KMS = /node_modules\/@aws-sdk\/client-kms\//;
const SES = /node_modules\/@aws-sdk\/client-sesv2\//;
const SNS = /node_modules\/@aws-sdk\/client-sns\//;
const NODEMAILER = /node_modules\/nodemailer\//;
const CONNECTORS = /functions\/adapters\/connectors\/(?!index\.ts)\w+\.ts$/;
const TEXTS = /functions\/core\/notifications\/texts-\w+\.ts$/;
const VIEWS = /schemas\/views\.ts$/;

/** Who parses or verifies provider payloads, and who renders or previews notification texts. */
const USES_CONNECTORS: FunctionName[] = ['ingest-webhook', 'process-event'];
const USES_TEXTS: FunctionName[] = ['send-notification', 'admin-api'];

const bundles = new Map<FunctionName, string[]>();

beforeAll(async () => {
  for (const spec of functions) bundles.set(spec.name, (await lambdaBundle(spec.entry)).inputs);
}, 120_000);

describe('what each bundle carries', () => {
  it('reads the bundles (each has first-party code in it)', () => {
    for (const spec of functions)
      expect(carries(bundles.get(spec.name)!, /^functions\//), spec.name).toBe(true);
    expect(carries(bundles.get('send-notification')!, NODEMAILER)).toBe(true);
  });

  it.each(functions.map((f) => [f.name, f] as const))('%s: KMS only with the secrets key', (name, spec) => {
    expect(carries(bundles.get(name)!, KMS)).toBe(Boolean(spec.secretsKey));
  });

  it.each(functions.map((f) => [f.name, f] as const))(
    '%s: SES, SNS and nodemailer only with messaging',
    (name, spec) => {
      const inputs = bundles.get(name)!;
      expect({
        ses: carries(inputs, SES),
        sns: carries(inputs, SNS),
        nodemailer: carries(inputs, NODEMAILER),
      }).toEqual({
        ses: Boolean(spec.messaging),
        sns: Boolean(spec.messaging),
        nodemailer: Boolean(spec.messaging),
      });
    },
  );

  it.each(functions.map((f) => [f.name] as const))(
    '%s: the connectors only where webhooks are verified or parsed',
    (name) => {
      expect(carries(bundles.get(name)!, CONNECTORS)).toBe(USES_CONNECTORS.includes(name));
    },
  );

  it.each(functions.map((f) => [f.name] as const))(
    '%s: the notification texts only where they are rendered',
    (name) => {
      expect(carries(bundles.get(name)!, TEXTS)).toBe(USES_TEXTS.includes(name));
    },
  );

  it('the pages function serves the OpenAPI file instead of building it from the view schemas', () => {
    expect(carries(bundles.get('pages')!, VIEWS)).toBe(false);
    expect(carries(bundles.get('admin-api')!, VIEWS)).toBe(true);
  });
});
