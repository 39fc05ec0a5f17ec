#!/usr/bin/env node
// The `aftersale` CLI. It is TypeScript run through tsx, so the repository needs no build step.
await import('./check-node.mjs');
const { register } = await import('tsx/esm/api');
register();
await import('../infra/cli/main.ts');
