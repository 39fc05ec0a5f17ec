import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { App, AssetStaging, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AftersaleFunction } from '../../infra/function.ts';
import { type FunctionSpec, functions, queues } from '../../infra/topology.ts';
import { packageOf } from './table.ts';

/*
 * Builds every function's bundle exactly as the stack does, through the house construct
 * (infra/function.ts: same esbuild options, run by NodejsFunction), with `metafile: true` added,
 * and beside each one a floor bundle built by the same construct from an entry that imports and
 * constructs only the AWS SDK clients the function uses: the ones its topology entry grants it
 * (a table: DynamoDB and its document client; sending to, redriving or consuming a queue: SQS;
 * the secrets key: KMS; messaging: SES
 * and SNS). Runs as a child process of
 * the bench because CDK's bundling prints esbuild's output straight to the terminal.
 *
 * Usage: tsx test/bench/build-bundles.ts <outDir>; writes <outDir>/bundles.json.
 */

export interface BuiltBundle {
  name: string;
  /** The AWS SDK clients the function uses, from its topology entry; the floor imports these. */
  sdkPackages: string[];
  /** The `@aws-sdk/*` packages its own code (outside node_modules) imports, used or not. */
  sdkImported: string[];
  file: string;
  metafile: string;
  floorFile: string;
  floorMetafile: string;
}

const root = join(import.meta.dirname, '..', '..');
/** Inside the repository so that the floor entries resolve node_modules like the functions do. */
const floorsDir = join(root, 'node_modules', '.cache', 'aftersale-bench', 'floors');

interface Metafile {
  inputs: Record<string, { imports: Array<{ path: string }> }>;
  outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }>;
}

/** `@aws-sdk/*` packages imported by files outside node_modules. */
function sdkPackagesOf(meta: Metafile): string[] {
  const found = new Set<string>();
  for (const [path, input] of Object.entries(meta.inputs)) {
    if (path.includes('node_modules/')) continue;
    for (const imp of input.imports) {
      const pkg = packageOf(imp.path);
      if (pkg?.startsWith('@aws-sdk/')) found.add(pkg);
    }
  }
  return [...found].sort();
}

/** The floor: the same SDK packages, each client constructed once at the top level as handlers do. */
function floorSource(pkgs: string[]): string {
  const lines: string[] = [];
  const made: string[] = [];
  for (const pkg of pkgs) {
    if (pkg === '@aws-sdk/lib-dynamodb') {
      lines.push("import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';");
      lines.push("import { DynamoDBClient as DocBase } from '@aws-sdk/client-dynamodb';");
      made.push('DynamoDBDocumentClient.from(new DocBase({}))');
    } else if (pkg.startsWith('@aws-sdk/client-')) {
      const mod = readFileSync(join(root, 'node_modules', pkg, 'package.json'), 'utf8');
      const clientName = clientClassOf(pkg, JSON.parse(mod) as { name: string });
      const alias = `C${made.length}`;
      lines.push(`import { ${clientName} as ${alias} } from '${pkg}';`);
      made.push(`new ${alias}({})`);
    } else {
      lines.push(`import '${pkg}';`);
    }
  }
  lines.push(`const clients = [${made.join(', ')}];`);
  lines.push('export const handler = async () => ({ statusCode: 200, body: String(clients.length) });');
  return `${lines.join('\n')}\n`;
}

/** `@aws-sdk/client-sesv2` -> `SESv2Client`: read from the package's own type declarations. */
function clientClassOf(pkg: string, _manifest: { name: string }): string {
  const index = readFileSync(join(root, 'node_modules', pkg, 'dist-types', 'index.d.ts'), 'utf8');
  const clientFile = /export \* from "\.\/(\w+Client)"/.exec(index)?.[1];
  if (!clientFile) throw new Error(`no client class found in ${pkg}`);
  return clientFile;
}

function build(stack: Stack, id: string, spec: FunctionSpec): { file: string; metafile: string } {
  const fn = new AftersaleFunction(stack, id, spec, {
    retainLogs: false,
    logRetention: RetentionDays.ONE_DAY,
    props: { bundling: { metafile: true } },
  });
  const staging = fn.fn.node.findAll().find((c) => c instanceof AssetStaging) as AssetStaging | undefined;
  if (!staging) throw new Error(`no asset for ${id}`);
  const dir = staging.absoluteStagedPath;
  const file = join(dir, 'index.mjs');
  statSync(file);
  return { file, metafile: join(dir, 'index.meta.json') };
}

/** What the topology grants the function, as the SDK clients that use the grant. */
function sdkClientsOf(spec: FunctionSpec): string[] {
  const pkgs = new Set<string>();
  if (spec.table) pkgs.add('@aws-sdk/client-dynamodb').add('@aws-sdk/lib-dynamodb');
  // Consumers call SQS too (a message's visibility is changed to back it off).
  const consumes = queues.some((q) => q.consumer === spec.name);
  if (spec.sendsTo?.length || spec.redrives?.length || consumes) pkgs.add('@aws-sdk/client-sqs');
  if (spec.secretsKey) pkgs.add('@aws-sdk/client-kms');
  if (spec.messaging) pkgs.add('@aws-sdk/client-sesv2').add('@aws-sdk/client-sns');
  return [...pkgs].sort();
}

function main() {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: build-bundles.ts <outDir>');
  mkdirSync(floorsDir, { recursive: true });
  const app = new App({ outdir: join(outDir, 'cdk.out') });
  const stack = new Stack(app, 'Bench');
  const only = process.env.BENCH_FUNCTIONS?.split(',');
  const built: BuiltBundle[] = [];
  for (const spec of functions.filter((f) => !only || only.includes(f.name))) {
    const real = build(stack, spec.name, spec);
    const meta = JSON.parse(readFileSync(real.metafile, 'utf8')) as Metafile;
    const sdkImported = sdkPackagesOf(meta);
    const sdkPackages = sdkClientsOf(spec);
    const entry = join(floorsDir, `${spec.name}.ts`);
    writeFileSync(entry, floorSource(sdkPackages));
    const floor = build(stack, `${spec.name}-floor`, {
      ...spec,
      // Its own name, so that its source map does not replace the function's (sourcemaps/<stack>/<name>).
      name: `${spec.name}-floor` as FunctionSpec['name'],
      entry: relative(root, entry),
    });
    built.push({
      name: spec.name,
      sdkPackages,
      sdkImported,
      file: real.file,
      metafile: real.metafile,
      floorFile: floor.file,
      floorMetafile: floor.metafile,
    });
  }
  writeFileSync(join(outDir, 'bundles.json'), JSON.stringify(built, null, 2));
}

main();
