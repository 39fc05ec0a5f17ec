import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..', '..');

/**
 * A function's bundle as Lambda gets it, for tests that read it: tree-shaken and minified like
 * `AftersaleFunction` (infra/function.ts) builds it (property names survive minification). `text`
 * is the code; `inputs` are the files and packages with bytes in it.
 */
export async function lambdaBundle(entry: string): Promise<{ text: string; inputs: string[] }> {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    write: false,
    metafile: true,
    outfile: join(root, 'cdk.out', 'test-bundles', entry.replace(/\W+/g, '-'), 'index.mjs'),
    mainFields: ['module', 'main'],
    logLevel: 'silent',
  });
  const inputs = Object.values(result.metafile.outputs).flatMap((o) =>
    Object.entries(o.inputs)
      .filter(([, i]) => i.bytesInOutput > 0)
      .map(([path]) => path),
  );
  return { text: result.outputFiles.find((f) => f.path.endsWith('.mjs'))!.text, inputs };
}
