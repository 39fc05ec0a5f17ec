import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..', '..');
const out = mkdtempSync(join(tmpdir(), 'aftersale-synth-'));

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the pinned CDK CLI', () => {
  // aws-cdk 3.x cannot read the cloud assembly aws-cdk-lib 2.276 writes (schema 55); the repo pins a
  // 2.x CLI that can. This runs the real `cdk synth` offline, as `npm run synth` does.
  it('synthesizes the stack offline and exits 0', async () => {
    const { stdout } = await run(join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', '-o', out], {
      cwd: root,
      env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true' },
      timeout: 110_000,
    });
    expect(stdout).not.toMatch(/error/i);
    const template = JSON.parse(readFileSync(join(out, 'Aftersale-prod.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toContain('AWS::ApiGatewayV2::Api');
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
    // The packs ran (infra/app.ts registers them; test/infra/nag.test.ts shows a finding fails the
    // synth) and reported nothing: an empty validation report.
    const report = JSON.parse(readFileSync(join(out, 'validation-report.json'), 'utf8'));
    expect(report.pluginReports).toEqual([]);
    expect(readFileSync(join(root, 'infra', 'app.ts'), 'utf8')).toMatch(/applyNag\(app\)/);
    // Source maps are kept beside the assembly, not in any function's asset.
    expect(existsSync(join(out, 'sourcemaps', 'Aftersale-prod', 'ingest-webhook', 'index.mjs.map'))).toBe(
      true,
    );
    const assets = readdirSync(out).filter((d) => d.startsWith('asset.'));
    expect(assets.length).toBeGreaterThan(0);
    for (const asset of assets) expect(readdirSync(join(out, asset))).not.toContain('index.mjs.map');
    // Each function is an ESM bundle with the AWS SDK v3 inside (not the runtime's copy), minified.
    const manifest = JSON.parse(readFileSync(join(out, 'Aftersale-prod.assets.json'), 'utf8'));
    const ingest = Object.values(
      template.Resources as Record<
        string,
        { Type: string; Properties: { Description?: string; Code?: { S3Key?: string } } }
      >,
    ).find(
      (r) =>
        r.Type === 'AWS::Lambda::Function' &&
        String(r.Properties.Description).startsWith('Verifies, dedupes'),
    )!;
    const key = String(ingest.Properties.Code?.S3Key).replace(/\.zip$/, '');
    expect(manifest.files[key]).toBeDefined();
    const bundle = readFileSync(join(out, `asset.${key}`, 'index.mjs'), 'utf8');
    expect(bundle).toMatch(/^import \{ createRequire \}/);
    expect(bundle).toContain('DynamoDB_20120810');
    expect(bundle).toContain('AmazonSQS');
    // Minified: lines are thousands of characters (only template literals keep their newlines).
    expect(bundle.length / bundle.split('\n').length).toBeGreaterThan(1000);
  });

  it('refuses to synthesize without a region, saying so', async () => {
    const failed = await run(
      join(root, 'node_modules', '.bin', 'cdk'),
      ['synth', '--quiet', '-o', `${out}-bad`, '-c', 'region='],
      {
        cwd: root,
        env: { ...process.env, CDK_DISABLE_VERSION_CHECK: 'true', CDK_DEFAULT_REGION: 'us-east-1' },
        timeout: 110_000,
      },
    ).then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failed).toMatch(/region is required/);
    rmSync(`${out}-bad`, { recursive: true, force: true });
  });
});
