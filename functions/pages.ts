import { pagesHandler } from './handlers/pages.ts';
import { readConfig } from './lib/config.ts';

const config = readConfig(process.env, { table: false, pages: true });

/** GET /admin, /portal/{shopId}, /assets/{file}, /pages/config.json, /openapi.json */
export const handler = pagesHandler({
  dir: config.pagesDir,
  staffSignIn: config.staffSignIn,
});
