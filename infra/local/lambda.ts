import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, functionSpec } from '../topology.ts';
import { withFaults } from './faults.ts';

// biome-ignore lint/suspicious/noExplicitAny: handlers take different event types; the caller knows which.
export type AnyHandler = (event: any, context: Context) => Promise<any>;

const loaded = new Map<FunctionName, Promise<AnyHandler>>();
const root = resolve(import.meta.dirname, '..', '..');
let generation = 0;

/**
 * A cold start for every function: the next invocation imports each entry file afresh, so it reads
 * the environment and builds its dependencies again, as a new Lambda instance would. The local
 * runtime calls this when it starts (a second runtime in one process, as the tests run, must not
 * reach the first one's endpoints).
 */
export function coldStart(): void {
  generation++;
  loaded.clear();
}

/** Imports a function's entry file (the same module Lambda runs) once per cold start, and returns its handler. */
export function loadHandler(name: FunctionName): Promise<AnyHandler> {
  let handler = loaded.get(name);
  if (!handler) {
    const spec = functionSpec(name);
    // A distinct URL is a distinct module instance: its top level (config, deps) runs again.
    const url = `${pathToFileURL(resolve(root, spec.entry)).href}?instance=${generation}`;
    handler = import(url).then((mod) => {
      if (typeof mod.handler !== 'function') throw new Error(`${spec.entry} exports no handler`);
      return mod.handler as AnyHandler;
    });
    loaded.set(name, handler);
  }
  return handler;
}

export class InvocationTimeoutError extends Error {}

/**
 * Invokes like Lambda does: a context with the remaining time, and the function's timeout enforced.
 * AFTERSALE_FAULTS (faults.ts, for the soak) makes some queue-worker invocations throw or wait.
 */
export function invoke(name: FunctionName, event: unknown): Promise<unknown> {
  return withFaults(name, event, () => invokeHandler(name, event));
}

async function invokeHandler(name: FunctionName, event: unknown): Promise<unknown> {
  const spec = functionSpec(name);
  const handler = await loadHandler(name);
  const deadline = Date.now() + spec.timeoutSeconds * 1000;
  const context = {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `aftersale-${name}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:aftersale-${name}`,
    memoryLimitInMB: String(spec.memoryMb),
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/aftersale-${name}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  } satisfies Context;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      handler(event, context),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new InvocationTimeoutError(`${name} timed out after ${spec.timeoutSeconds} s`)),
          spec.timeoutSeconds * 1000,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
