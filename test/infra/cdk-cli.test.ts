import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
    const template = JSON.parse(readFileSync(join(out, 'Aftersale.template.json'), 'utf8'));
    const types = Object.values(template.Resources as Record<string, { Type: string }>).map((r) => r.Type);
    expect(types).toContain('AWS::ApiGatewayV2::Api');
    expect(existsSync(join(out, 'manifest.json'))).toBe(true);
  });
});
