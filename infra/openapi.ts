import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openapiDocument } from '../functions/app/openapi.ts';

/*
 * `npm run openapi`: writes pages/openapi.json from the zod schemas (functions/app/openapi.ts).
 * The pages function serves that file as it serves the pages, instead of importing every schema
 * and building the document at runtime: its bundle and cold start then carry no API schemas
 * (docs/PERFORMANCE.md). test/unit/openapi.test.ts fails when the file is not what the schemas
 * give, and says to run this.
 */
export const OPENAPI_FILE = join(import.meta.dirname, '..', 'pages', 'openapi.json');

export const openapiText = (): string => `${JSON.stringify(openapiDocument(), null, 2)}\n`;

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  const text = openapiText();
  const before = (() => {
    try {
      return readFileSync(OPENAPI_FILE, 'utf8');
    } catch {
      return '';
    }
  })();
  writeFileSync(OPENAPI_FILE, text);
  console.log(`${OPENAPI_FILE}: ${before === text ? 'unchanged' : 'written'} (${text.length} bytes)`);
}
