#!/usr/bin/env node
// The `aftersale` CLI. It is TypeScript run through tsx, so the repository needs no build step.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { register } = await import('tsx/esm/api');
register();
await import('../infra/cli/main.ts');
