import type { ShopWithConnectors } from './ports.ts';

/**
 * The shop's outbound endpoint is stored as its connector item `CONN#outbound`: loaded with the
 * shop in one query, versioned, and rotated like connector secrets (a new secret becomes current,
 * the previous one is kept second). No inbound connector has this name, so the secret can never
 * verify a webhook; we only ever sign with the current one.
 */
export const OUTBOUND_CONNECTOR = 'outbound';

/** What deliver-outbound needs to send: the URL and the secret it signs with. */
export interface OutboundEndpoint {
  url: string;
  secret: string;
}

/** The endpoint a loaded shop has, if it has a URL and a secret. */
export function outboundEndpointOf(loaded: ShopWithConnectors | undefined): OutboundEndpoint | undefined {
  const config = loaded?.connectors.get(OUTBOUND_CONNECTOR);
  const url = config?.settings.url;
  const secret = config?.secrets[0];
  return url && secret ? { url, secret } : undefined;
}
