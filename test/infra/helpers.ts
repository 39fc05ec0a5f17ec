import { createHash } from 'node:crypto';
import {
  closeSync,
  existsSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { isMainThread } from 'node:worker_threads';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { expect } from 'vitest';
import { type DeployConfig, parseDeployConfig } from '../../infra/config.ts';
import { AftersaleStack } from '../../infra/stack.ts';
import type { FunctionName, QueueName } from '../../infra/topology.ts';

/** The slice of a synthesized CloudFormation resource the infra tests read. */
export interface CfnResource {
  Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: CloudFormation properties are free-form JSON.
  Properties: Record<string, any>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource: unknown;
}

/** Logical id of the L1 resource behind an L2 construct, as the template names it. */
export function logicalIdOf(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

export function resourcesOfType(template: Template, type: string): Record<string, CfnResource> {
  return template.findResources(type) as Record<string, CfnResource>;
}

/** The one resource with this logical id and type; fails loudly when it is missing. */
export function resource(template: Template, type: string, id: string): CfnResource {
  const found = resourcesOfType(template, type)[id];
  if (!found) throw new Error(`no ${type} ${id} in the template`);
  return found;
}

export const ref = (id: string) => ({ Ref: id });
export const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/**
 * Every statement that reaches a role: inline policies on the role and every AWS::IAM::Policy that
 * lists it (grants and event sources each may add their own).
 */
export function statementsOfRole(template: Template, roleId: string): PolicyStatement[] {
  const role = resource(template, 'AWS::IAM::Role', roleId);
  const inline = (role.Properties.Policies ?? []).flatMap(
    (p: { PolicyDocument: { Statement: PolicyStatement[] } }) => p.PolicyDocument.Statement,
  );
  const attached = Object.values(resourcesOfType(template, 'AWS::IAM::Policy'))
    .filter((p) => (p.Properties.Roles ?? []).some((r: unknown) => sameJson(r, ref(roleId))))
    .flatMap((p) => p.Properties.PolicyDocument.Statement as PolicyStatement[]);
  return [...inline, ...attached];
}

/** The role a Lambda function runs as (`Role: { Fn::GetAtt: [roleId, 'Arn'] }`). */
export function roleIdOfFunction(fn: CfnResource): string {
  const roleId = fn.Properties.Role?.['Fn::GetAtt']?.[0];
  if (typeof roleId !== 'string') throw new Error('function role is not a role in this stack');
  return roleId;
}

export function actionsOf(statement: PolicyStatement): string[] {
  return Array.isArray(statement.Action) ? statement.Action : [statement.Action];
}

export function resourcesOf(statement: PolicyStatement): unknown[] {
  return Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
}

/** Allowed actions, optionally only those granted on a resource equal to `on`. */
export function allowedActions(statements: PolicyStatement[], on?: unknown): string[] {
  return statements
    .filter((s) => s.Effect === 'Allow')
    .filter((s) => on === undefined || resourcesOf(s).some((r) => sameJson(r, on)))
    .flatMap(actionsOf);
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/*
 * Synthesizing the stack. Bundling every function (esbuild) takes ~10 s, so the production stack is
 * synthesized once and its template kept on disk (os.tmpdir()/aftersale-infra-synth), keyed by a
 * hash of everything it is made of (functions/, schemas/, infra/, the package and compiler files,
 * this file). Every infra test file of a run reads the same template; a file that starts while
 * another synthesizes waits for it; a later run with the same sources synthesizes nothing. Other
 * configurations skip bundling (their tests read no bundle) and are synthesized where they are tested.
 */

const root = join(import.meta.dirname, '..', '..');
const cacheDir = join(tmpdir(), 'aftersale-infra-synth');
/** The inputs of a synthesized template: a change to any of them is a new cache entry. */
const SOURCE_DIRS = ['functions', 'schemas', 'infra'];
const SOURCE_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'cdk.json',
  'test/infra/helpers.ts',
];
const WAIT_MS = 110_000;
const DAY_MS = 86_400_000;
const RUN_PIN_MS = 15 * 60_000;

/** cdk.json: the feature flags and the deployment configuration `cdk deploy` would use. */
export const cdkContext: Record<string, unknown> = JSON.parse(
  readFileSync(join(root, 'cdk.json'), 'utf8'),
).context;

/** The deployment configuration of cdk.json with some keys replaced (as `-c key=value` would). */
export function configWith(overrides: Record<string, unknown> = {}): DeployConfig {
  const context = { ...cdkContext, ...overrides };
  return parseDeployConfig((key) => context[key]);
}

/** The production stack as `cdk deploy` builds it from cdk.json: every function bundled. */
const PRODUCTION: { id: string; config: DeployConfig } = { id: 'Test', config: configWith() };

/** What the cache keeps of a synthesized stack: its template and the logical ids of its parts. */
interface SynthOutput {
  template: Record<string, unknown>;
  /** Function name to logical id, in the order the stack created them. */
  functions: Array<[FunctionName, string]>;
  queues: Array<[QueueName, { queue: string; dlq: string }]>;
  table: string;
}

/** A synthesized stack's template, read through the names infra/topology.ts gives its parts. */
export class SynthesizedStack {
  readonly template: Template;
  readonly functionNames: FunctionName[];
  private readonly functions: Map<FunctionName, string>;
  private readonly queues: Map<QueueName, { queue: string; dlq: string }>;

  constructor(private readonly output: SynthOutput) {
    this.template = Template.fromJSON(output.template);
    this.functions = new Map(output.functions);
    this.functionNames = [...this.functions.keys()];
    this.queues = new Map(output.queues);
  }

  fnId(name: FunctionName): string {
    return found(this.functions.get(name), `function ${name}`);
  }

  queueId(name: QueueName): string {
    return found(this.queues.get(name), `queue ${name}`).queue;
  }

  dlqId(name: QueueName): string {
    return found(this.queues.get(name), `queue ${name}`).dlq;
  }

  tableId(): string {
    return this.output.table;
  }

  fnResource(name: FunctionName): CfnResource {
    return resource(this.template, 'AWS::Lambda::Function', this.fnId(name));
  }

  /** Every statement that reaches the function's role. */
  statementsOf(name: FunctionName): PolicyStatement[] {
    return statementsOfRole(this.template, roleIdOfFunction(this.fnResource(name)));
  }

  values(type: string): CfnResource[] {
    return Object.values(resourcesOfType(this.template, type));
  }

  /** The id of the only resource of a type, asserting there is exactly one. */
  onlyId(type: string): string {
    const ids = Object.keys(resourcesOfType(this.template, type));
    expect(ids, type).toHaveLength(1);
    return ids[0]!;
  }
}

function found<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`no ${what} in the stack`);
  return value;
}

/**
 * The production stack, bundled, synthesized at most once for all infra test files of a run (and
 * reused by later runs until one of its inputs changes).
 */
export async function productionStack(): Promise<SynthesizedStack> {
  const own = createHash('sha256')
    .update(JSON.stringify({ ...PRODUCTION, node: process.version }))
    .update(sourceDigest())
    .digest('hex');
  const key = pinnedForRun(own);
  return new SynthesizedStack(
    await cachedOnDisk(join(cacheDir, `${key}.json`), synthProduction, key === own),
  );
}

/**
 * The key the run's first infra test file computed, so that every file of one `vitest run` reads
 * the same template even while the sources are being edited (the next run sees the edits). The run
 * is the vitest main process: the workers are its forks, or threads inside it. Watch mode reruns
 * in the same process, so there every file goes by the sources it sees.
 */
function pinnedForRun(key: string): string {
  if (process.env.VITEST_MODE !== 'RUN') return key;
  mkdirSync(cacheDir, { recursive: true });
  const pin = join(cacheDir, `run-${isMainThread ? process.ppid : process.pid}.key`);
  const mine = `${pin}.${process.pid}.partial`;
  writeFileSync(mine, key);
  try {
    linkSync(mine, pin);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    // A pin as old as this is a finished run's whose process id came round again.
    if (Date.now() - statSync(pin).mtimeMs > RUN_PIN_MS) {
      rmSync(pin, { force: true });
      return pinnedForRun(key);
    }
    return readFileSync(pin, 'utf8');
  } finally {
    rmSync(mine, { force: true });
  }
}

function synthProduction(): SynthOutput {
  return withApp(true, (app) => {
    const stack = new AftersaleStack(app, PRODUCTION.id, stackProps(PRODUCTION.config));
    const template = Template.fromStack(stack).toJSON();
    return {
      template,
      functions: [...stack.functions].map(([name, fn]) => [name, logicalIdOf(stack, fn)]),
      queues: [...stack.queues].map(([name, { queue, dlq }]) => [
        name,
        { queue: logicalIdOf(stack, queue), dlq: logicalIdOf(stack, dlq) },
      ]),
      table: logicalIdOf(stack, stack.table),
    };
  });
}

export function stackProps(config: DeployConfig) {
  return { config, env: { region: config.region, account: '123456789012' } };
}

/**
 * Another configuration of the stack (cdk.json's context with `overrides`, parsed as the app
 * parses it), synthesized now without bundling; throws what the config or the stack throws.
 */
export function synthUnbundled(id: string, overrides: Record<string, unknown> = {}): Template {
  return withApp(false, (app) =>
    Template.fromStack(new AftersaleStack(app, id, stackProps(configWith(overrides)))),
  );
}

/** The stack of a configuration, unbundled, for tests that need its constructs as well. */
export function buildUnbundled<T>(
  id: string,
  overrides: Record<string, unknown>,
  read: (stack: AftersaleStack, app: App) => T,
): T {
  return withApp(false, (app) => read(new AftersaleStack(app, id, stackProps(configWith(overrides))), app));
}

/** Runs `build` in a fresh App (cdk.json's feature flags) and removes its temporary output (bundles included) after it. */
export function withApp<T>(bundle: boolean, build: (app: App) => T): T {
  const app = new App({ context: { ...cdkContext, ...(bundle ? {} : { 'aws:cdk:bundling-stacks': [] }) } });
  try {
    return build(app);
  } finally {
    const temp = [tmpdir(), realpathSync(tmpdir())];
    if (temp.some((dir) => app.outdir.startsWith(dir))) rmSync(app.outdir, { recursive: true, force: true });
  }
}

/** A digest of every file the synthesized stack is made of, in a fixed order. */
function sourceDigest(): string {
  const files = [
    ...SOURCE_DIRS.flatMap((dir) =>
      readdirSync(join(root, dir), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => relative(root, join(entry.parentPath, entry.name))),
    ),
    ...SOURCE_FILES,
  ].sort();
  const hash = createHash('sha256');
  for (const file of files)
    hash
      .update(file)
      .update('\0')
      .update(contentOf(join(root, file)))
      .update('\0');
  return hash.digest('hex');
}

/** A file's bytes; empty if it was deleted since the directory was listed (an editor's temp file). */
function contentOf(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return Buffer.alloc(0);
    throw error;
  }
}

/**
 * The JSON in `file`, made by `make` if it is not there yet. One process makes it (an exclusive
 * lock file next to it, holding its pid); the others wait for it, and take over if that process died.
 * With `store` false (`make` would not make what `file` names) nothing is written: if no one has
 * made `file` or is making it, the value is made for this caller alone.
 */
async function cachedOnDisk<T>(file: string, make: () => T, store: boolean): Promise<T> {
  mkdirSync(cacheDir, { recursive: true });
  const lock = `${file}.lock`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as T;
    if (!store && !existsSync(lock)) return make();
    const fd = store ? tryLock(lock) : undefined;
    if (fd !== undefined) {
      try {
        writeSync(fd, String(process.pid));
        closeSync(fd);
        if (existsSync(file)) continue;
        const value = make();
        const partial = `${file}.${process.pid}.partial`;
        writeFileSync(partial, JSON.stringify(value));
        renameSync(partial, file);
        pruneOldEntries(file);
        return value;
      } finally {
        rmSync(lock, { force: true });
      }
    }
    if (lockIsStale(lock)) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`waited ${WAIT_MS / 1000} s for another synth (${lock})`);
    await sleep(200);
  }
}

function tryLock(lock: string): number | undefined {
  try {
    return openSync(lock, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
}

/** The lock's process is gone (or it never wrote its pid in 10 s). */
function lockIsStale(lock: string): boolean {
  try {
    const pid = Number(readFileSync(lock, 'utf8'));
    if (!pid) return Date.now() - statSync(lock).mtimeMs > 10_000;
    process.kill(pid, 0);
    return false;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ENOENT: released meanwhile (look again); ESRCH: its process died; EPERM: alive, not ours.
    return code === 'ESRCH';
  }
}

/** Templates of earlier sources a day old or more, and the pins of finished runs. */
function pruneOldEntries(keep: string): void {
  for (const name of readdirSync(cacheDir)) {
    const path = join(cacheDir, name);
    const maxAge = name.endsWith('.json') ? DAY_MS : name.endsWith('.key') ? RUN_PIN_MS : undefined;
    if (path === keep || maxAge === undefined) continue;
    try {
      if (Date.now() - statSync(path).mtimeMs > maxAge) rmSync(path, { force: true });
    } catch {
      // Removed by another run meanwhile.
    }
  }
}
