import { runCli } from './run.ts';

// The `aftersale` command (bin/aftersale.mjs): the commands are in run.ts, callable from tests.
const code = await runCli(process.argv.slice(2));
if (code !== 0) process.exit(code);
