import { TextDecoder } from 'node:util';
import type { RawRequest } from '../../app/connectors.ts';
import { UnparseablePayloadError } from '../../lib/errors.ts';

/**
 * A request body as text, decoded in the charset its content type names (UTF-8 when none):
 * GBK and GB18030 bodies exist in the Chinese ecosystem, Latin-1 elsewhere. Signatures are always
 * checked on the bytes (RawRequest.body); this is only for reading them. Invalid bytes for the
 * named charset make the body unparseable rather than silently replaced.
 */
export function bodyText(req: Pick<RawRequest, 'body' | 'headers'>): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(req.headers['content-type'] ?? '')?.[1] ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new UnparseablePayloadError(`unknown charset "${charset}" in the content type`);
  }
  try {
    return decoder.decode(req.body);
  } catch {
    throw new UnparseablePayloadError(`the body is not valid ${charset}`);
  }
}
