#!/usr/bin/env node
// Runs before `npm start` and `npm test`: one clear line instead of a crash deep in a dependency.
// Plain JavaScript that any Node parses, so it can speak up on the old ones too.
const REQUIRED_MAJOR = 22;
const major = Number(process.versions.node.split('.')[0]);
if (major < REQUIRED_MAJOR) {
  console.error(
    `aftersale needs Node.js ${REQUIRED_MAJOR} or newer (24 LTS recommended); this is ${process.version}. ` +
      'See "Node.js 24" in README.md for installing it from the npm registry.',
  );
  process.exit(1);
}
