#!/bin/bash
# Measures what source maps cost a cold start (docs/decisions.md, "Source maps"): bundles a function
# as the stack does (ESM, minified, with and without a map), then imports it in fresh node processes,
# interleaved, with and without --enable-source-maps, and times the first stack trace of an error
# thrown inside the bundle. Usage: test/infra/source-maps.sh [function] [rounds]
set -euo pipefail
fn=${1:-ingest-webhook}; n=${2:-25}
root=$(cd "$(dirname "$0")/../.." && pwd); out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for map in true false; do
  node -e "
    const { build } = require('$root/node_modules/esbuild');
    build({ entryPoints: ['$root/functions/$fn.ts'], bundle: true, platform: 'node', format: 'esm', target: 'node24',
      minify: true, sourcemap: $map, mainFields: ['module', 'main'], outfile: '$out/$map/index.mjs',
      banner: { js: \"import { createRequire } from 'module';const require = createRequire(import.meta.url);\" } });"
done
ls -l "$out"/true/ "$out"/false/
export TABLE_NAME=t AWS_REGION=us-east-1 POWERTOOLS_METRICS_DISABLED=true POWERTOOLS_LOG_LEVEL=SILENT
for q in INBOUND NOTIFICATIONS OUTBOUND; do export QUEUE_URL_$q=https://sqs.us-east-1.amazonaws.com/1/$q DLQ_URL_$q=https://sqs.us-east-1.amazonaws.com/1/d$q; done
export ADMIN_JWT_ISSUER=https://cognito-idp.us-east-1.amazonaws.com/x ADMIN_JWT_AUDIENCE=a CUSTOMER_TOKEN_SECRET=0123456789012345678901234567890123456789
code="const t = performance.now(); const m = await import(process.argv[1] + '/index.mjs'); const load = performance.now() - t;
let stack = NaN; try { await m.handler(null, {}) } catch (e) { const s = performance.now(); e.stack; stack = performance.now() - s }
console.log(load.toFixed(1), stack.toFixed(2))"
for i in $(seq "$n"); do
  echo "nomap $(node --input-type=module -e "$code" "$out/false")"
  echo "map $(node --input-type=module -e "$code" "$out/true")"
  echo "map+flag $(node --enable-source-maps --input-type=module -e "$code" "$out/true")"
done > "$out/runs.txt"
for v in nomap map map+flag; do
  grep "^$v " "$out/runs.txt" | awk '{print $2}' | sort -n | awk -v v="$v" '{a[NR]=$1} END {printf "%-9s import median %s ms, p90 %s ms (n=%d)\n", v, a[int((NR+1)/2)], a[int(NR*0.9)], NR}'
  grep "^$v " "$out/runs.txt" | awk '{print $3}' | sort -n | awk -v v="$v" '{a[NR]=$1} END {printf "%-9s first error stack median %s ms\n", v, a[int((NR+1)/2)]}'
done
