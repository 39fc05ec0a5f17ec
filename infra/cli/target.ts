import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fail } from './io.ts';

/*
 * Where a command works: the local runtime (the default), or a deployed stack named by
 * `--stack <name> [--region r] [--profile p]`, or by a saved target (`--target <name>` or
 * AFTERSALE_TARGET). A saved target is never implied: without one of those, it is local.
 */

export interface StackTarget {
  kind: 'stack';
  stack: string;
  /** Absent: the SDK's own resolution (AWS_REGION, the profile's region); none at all is an error. */
  region?: string | undefined;
  /** An AWS profile for this command (else AWS_PROFILE or the default credential chain). */
  profile?: string | undefined;
  /** The saved target's name, when it came from one. */
  saved?: string | undefined;
}

export type Target = { kind: 'local' } | StackTarget;

export interface GlobalOptions {
  stack?: string;
  region?: string;
  profile?: string;
  target?: string;
  local?: boolean;
}

const VALUED = new Set(['stack', 'region', 'profile', 'target']);

/**
 * The global options that come before the command (`aftersale --stack prod shop add ...`); the
 * command's own options stay its own (`shop add --region CN` is the shop's region).
 */
export function splitGlobalOptions(argv: string[]): { globals: GlobalOptions; rest: string[] } {
  const globals: GlobalOptions = {};
  let i = 0;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) break;
    const [flag, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (flag === 'local') {
      globals.local = true;
      i++;
      continue;
    }
    if (!VALUED.has(flag)) break; // --help and the like: the command's business
    const value = inline ?? argv[i + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      fail(`--${flag} needs a value`);
    globals[flag as 'stack' | 'region' | 'profile' | 'target'] = value;
    i += inline === undefined ? 2 : 1;
  }
  return { globals, rest: argv.slice(i) };
}

export interface SavedTarget {
  stack: string;
  region?: string | undefined;
  profile?: string | undefined;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const NAME_RULE = 'lower-case letters, digits, - and _, up to 40 characters';

/** Where saved targets live: AFTERSALE_CONFIG_DIR, else $XDG_CONFIG_HOME/aftersale, else ~/.config/aftersale. */
export function configDir(env: Record<string, string | undefined> = process.env): string {
  return env.AFTERSALE_CONFIG_DIR ?? join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'aftersale');
}

const targetsFile = (dir: string) => join(dir, 'targets.json');

export function readTargets(dir = configDir()): Record<string, SavedTarget> {
  const file = targetsFile(dir);
  if (!existsSync(file)) return {};
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { targets?: Record<string, SavedTarget> };
    return parsed.targets ?? {};
  } catch {
    fail(`${file} is not valid JSON: fix or delete it`);
  }
}

function writeTargets(targets: Record<string, SavedTarget>, dir: string): void {
  mkdirSync(dir, { recursive: true });
  // No secrets in it (credentials stay the SDK's), but nobody else needs to read it either.
  writeFileSync(targetsFile(dir), `${JSON.stringify({ targets }, null, 2)}\n`, { mode: 0o600 });
}

export function saveTarget(name: string, target: SavedTarget, dir = configDir()): string {
  if (!NAME.test(name)) fail(`target name "${name}": ${NAME_RULE}`);
  const targets = readTargets(dir);
  targets[name] = {
    stack: target.stack,
    ...(target.region && { region: target.region }),
    ...(target.profile && { profile: target.profile }),
  };
  writeTargets(targets, dir);
  return targetsFile(dir);
}

export function removeTarget(name: string, dir = configDir()): boolean {
  const targets = readTargets(dir);
  if (!(name in targets)) return false;
  delete targets[name];
  writeTargets(targets, dir);
  return true;
}

/** The target the global options (and AFTERSALE_TARGET) name. */
export function resolveTarget(
  globals: GlobalOptions,
  env: Record<string, string | undefined> = process.env,
  dir = configDir(env),
): Target {
  if (globals.local) {
    if (globals.stack || globals.target) fail('--local and --stack/--target exclude each other');
    return { kind: 'local' };
  }
  if (globals.stack) {
    if (globals.target) fail('give --stack or --target, not both');
    return { kind: 'stack', stack: globals.stack, region: globals.region, profile: globals.profile };
  }
  const name = globals.target ?? env.AFTERSALE_TARGET;
  if (name) {
    const saved = readTargets(dir)[name];
    if (!saved) {
      const known = Object.keys(readTargets(dir));
      fail(
        `no saved target "${name}"${globals.target ? '' : ' (AFTERSALE_TARGET)'}: ` +
          (known.length ? `saved ones are ${known.join(', ')}` : 'save one with `aftersale target save`'),
      );
    }
    return {
      kind: 'stack',
      stack: saved.stack,
      region: globals.region ?? saved.region,
      profile: globals.profile ?? saved.profile,
      saved: name,
    };
  }
  if (globals.region || globals.profile)
    fail('--region and --profile choose where a --stack is; give --stack too');
  return { kind: 'local' };
}

export function describeTarget(target: Target, region?: string): string {
  if (target.kind === 'local') return 'the local runtime';
  const where = region ?? target.region;
  return `stack ${target.stack}${where ? ` (${where})` : ''}${target.saved ? ` [target ${target.saved}]` : ''}`;
}
