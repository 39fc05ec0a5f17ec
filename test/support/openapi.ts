import { Ajv2020 } from 'ajv/dist/2020.js';
import { openapiDocument } from '../../functions/app/openapi.ts';

/*
 * Checks a real response against the OpenAPI document the API serves: the tests' own HTTP helpers
 * call this for every response they get, so the document cannot drift from what the routes answer.
 */

interface Doc {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>
  >;
  components: { schemas: Record<string, unknown> };
}

const doc = openapiDocument() as unknown as Doc;
const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });
ajv.addSchema({ $id: 'aftersale', ...doc } as object);
const templates = Object.keys(doc.paths).map((template) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{\w+\}/g, '[^/]+')}$`),
}));

/** The path template a concrete path belongs to (`/admin/cases/abc` → `/admin/cases/{caseId}`). */
export function templateOf(path: string): string | undefined {
  const bare = path.split('?')[0]!;
  return (
    templates.find((t) => t.template === bare)?.template ??
    templates.find((t) => t.pattern.test(bare))?.template
  );
}

/** Throws, naming the route and every mismatch, when the body is not what the document says. */
export function checkResponse(method: string, path: string, status: number, body: unknown): void {
  const template = templateOf(path);
  if (!template) throw new Error(`OpenAPI: no path for ${path}`);
  const operation = doc.paths[template]?.[method.toLowerCase()];
  if (!operation) throw new Error(`OpenAPI: no ${method} ${template}`);
  const response = operation.responses[String(status)];
  if (!response) throw new Error(`OpenAPI: ${method} ${template} does not document status ${status}`);
  const pointer = `aftersale#/paths/${template.replaceAll('~', '~0').replaceAll('/', '~1')}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`;
  if (!response.content) return;
  const validate = ajv.getSchema(pointer);
  if (!validate) throw new Error(`OpenAPI: cannot resolve ${pointer}`);
  if (!validate(body)) {
    throw new Error(
      `OpenAPI: ${method} ${template} ${status} does not match: ${ajv.errorsText(validate.errors, { separator: '; ' }).slice(0, 1500)}`,
    );
  }
}
