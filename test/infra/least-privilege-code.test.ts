import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type DynamoAction, type FunctionSpec, functions } from '../../infra/topology.ts';
import { lambdaBundle } from './bundle.ts';

// The DynamoDB actions in the topology are the ones each function's code really calls: every
// entry is bundled (esbuild, tree-shaken and minified as on Lambda), the bundle is read for the
// store methods it still calls (`.<store>.<method>(`: property names survive minification), and
// each method's body in the adapters for the commands it sends. A new call or a new command fails here until the
// topology (and so the IAM policy) says the same.

const root = join(import.meta.dirname, '..', '..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** The DynamoDB API action behind each document-client command or transaction item. */
const COMMANDS: Array<[RegExp, DynamoAction | 'Scan']> = [
  [/new GetCommand\b|new TransactGetCommand\b/g, 'GetItem'],
  [/new BatchGetCommand\b/g, 'BatchGetItem'],
  [/new QueryCommand\b|paginateQuery\(/g, 'Query'],
  [/new PutCommand\b|\bPut: \{/g, 'PutItem'],
  [/new UpdateCommand\b|\bUpdate: \{/g, 'UpdateItem'],
  [/new DeleteCommand\b|\bDelete: \{/g, 'DeleteItem'],
  [/new BatchWriteCommand\b/g, 'BatchWriteItem'],
  [/\bConditionCheck: \{/g, 'ConditionCheckItem'],
  [/new ScanCommand\b|paginateScan\(/g, 'Scan'],
];

interface Method {
  actions: Set<string>;
  calls: Set<string>;
}

/** Methods of the classes in one adapter file: the commands in each body and the `this.x()` it calls. */
function methodsOf(file: string): Map<string, Method> {
  const methods = new Map<string, Method>();
  // Only class bodies: module-level helpers are not methods (a test below checks they send nothing).
  const source = [...file.matchAll(/^export class \w+[^{]*\{([\s\S]*?)^\}/gm)].map((m) => m[1]!).join('\n');
  const starts = [...source.matchAll(/^ {2}(?:private )?(?:async )?(\w+)(?:<[^(]*>)?\(/gm)];
  starts.forEach((match, i) => {
    const body = source.slice(match.index, starts[i + 1]?.index ?? source.length);
    const actions = new Set<string>();
    for (const [pattern, action] of COMMANDS) if (body.match(pattern)) actions.add(action);
    const calls = new Set([...body.matchAll(/this\.(\w+)\(/g)].map((m) => m[1]!));
    methods.set(match[1]!, { actions, calls });
  });
  return methods;
}

/** Everything a method sends, following the methods of its own class it calls. */
function actionsOfMethod(methods: Map<string, Method>, name: string, seen = new Set<string>()): Set<string> {
  const method = methods.get(name);
  if (!method || seen.has(name)) return new Set();
  seen.add(name);
  const out = new Set(method.actions);
  for (const call of method.calls) for (const a of actionsOfMethod(methods, call, seen)) out.add(a);
  return out;
}

const storeFiles = [
  ...readdirSync(join(root, 'functions/adapters/dynamo')).map((f) => `functions/adapters/dynamo/${f}`),
  'functions/adapters/channels/outbox.ts',
].filter((f) => f.endsWith('.ts'));

/** The composition root's stores: `deps.<key>` is an instance of which adapter class, in which file. */
function storesOfDeps(): Map<string, Map<string, Method>> {
  const classes = new Map<string, string>();
  for (const file of storeFiles)
    for (const m of read(file).matchAll(/export class (\w+)/g)) classes.set(m[1]!, file);
  const stores = new Map<string, Map<string, Method>>();
  for (const m of read('functions/deps.ts').matchAll(/(\w+): new (\w+)\(db\b/g)) {
    const file = classes.get(m[2]!);
    if (!file) throw new Error(`no adapter file for ${m[2]}`);
    stores.set(m[1]!, methodsOf(read(file)));
  }
  return stores;
}

/**
 * The DynamoDB actions a function's bundled code calls: every `<store>.<method>(` left in the
 * bundle after tree-shaking (`deps.shops.load(`, a channel's `this.outbox.put(`), through the
 * commands of that method.
 */
async function actionsCalledBy(
  spec: FunctionSpec,
  stores: Map<string, Map<string, Method>>,
): Promise<string[]> {
  const code = (await lambdaBundle(spec.entry)).text;
  const names = [...stores.keys()].join('|');
  const actions = new Set<string>();
  for (const m of code.matchAll(new RegExp(`\\.(${names})\\.(\\w+)\\(`, 'g'))) {
    const methods = stores.get(m[1]!)!;
    // Another object's property of the same name (`parsed.events.map(`) is no store call.
    if (!methods.has(m[2]!)) continue;
    for (const a of actionsOfMethod(methods, m[2]!)) actions.add(a);
  }
  return [...actions].sort();
}

let stores: Map<string, Map<string, Method>>;
const reached = new Map<string, string[]>();

beforeAll(async () => {
  stores = storesOfDeps();
  for (const spec of functions) reached.set(spec.name, await actionsCalledBy(spec, stores));
}, 120_000);

describe('DynamoDB actions the code calls', () => {
  it('reads every store the composition root builds, and finds their commands', () => {
    expect([...stores.keys()]).toEqual(
      expect.arrayContaining(['inbox', 'shops', 'events', 'timers', 'reads']),
    );
    expect([...actionsOfMethod(stores.get('inbox')!, 'put')].sort()).toEqual(['GetItem', 'PutItem']);
    expect([...actionsOfMethod(stores.get('timers')!, 'deleteTimers')]).toEqual(['BatchWriteItem']);
    expect([...actionsOfMethod(stores.get('events')!, 'commit')].sort()).toEqual(['PutItem', 'UpdateItem']);
  });

  it('finds every command of the adapters inside a class method (none sent from a module helper)', () => {
    for (const file of storeFiles) {
      const source = read(file);
      const inClasses = [...methodsOf(source).values()].reduce((n, m) => n + m.actions.size, 0);
      const anywhere = COMMANDS.filter(([pattern]) => source.match(pattern)).length;
      expect(inClasses, file).toBeGreaterThanOrEqual(anywhere);
    }
  });

  it('finds no Scan in any adapter', () => {
    for (const file of storeFiles) expect(read(file), file).not.toMatch(/ScanCommand|paginateScan/);
  });

  it.each(functions)('$name is granted exactly the DynamoDB actions its code calls', (spec) => {
    expect(reached.get(spec.name)).toEqual([...(spec.table?.actions ?? [])].sort());
  });
});
