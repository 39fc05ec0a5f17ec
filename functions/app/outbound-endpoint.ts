import * as z from 'zod';
import { OutboundEndpointInput } from '../../schemas/shop.ts';
import { InvalidRequestError, NotFoundError } from '../lib/errors.ts';
import { OUTBOUND_CONNECTOR } from './outbound-connector.ts';
import type { AppDeps } from './ports.ts';
import { setConnector } from './shop-settings.ts';

/** What `outbound show` prints: the URL and how many secrets are kept, never a secret. */
export interface OutboundEndpointView {
  url?: string;
  secrets: number;
}

type EndpointDeps = Pick<AppDeps, 'shops' | 'clock'>;

/*
 * Set the shop's outbound endpoint (the URL, a new secret, or both).
 * 1. check the input: https (plain http to this machine only), a secret of 16+ characters
 * 2. the shop must exist, and the first setting must give both URL and secret
 * 3. write it as the `outbound` connector: a new secret becomes current, the previous one stays
 *    second for the shop to verify with during the rotation
 */
export async function setOutboundEndpoint(
  deps: EndpointDeps,
  shopId: string,
  input: OutboundEndpointInput,
): Promise<OutboundEndpointView> {
  const parsed = OutboundEndpointInput.safeParse(input);
  if (!parsed.success)
    throw new InvalidRequestError(`invalid outbound endpoint: ${z.prettifyError(parsed.error)}`);
  const { url, secret } = parsed.data;
  const loaded = await deps.shops.load(shopId);
  if (!loaded) throw new NotFoundError(`no shop ${shopId}`);
  const current = loaded.connectors.get(OUTBOUND_CONNECTOR);
  if (!secret && !current?.secrets.length)
    throw new InvalidRequestError('the first outbound setting needs a secret (--secret)');
  if (!url && !current?.settings.url)
    throw new InvalidRequestError('the first outbound setting needs a URL (--url)');
  const saved = await setConnector(deps, shopId, OUTBOUND_CONNECTOR, {
    ...(secret && { secret }),
    settings: url ? { url } : {},
  });
  return { url: url ?? current?.settings.url, secrets: saved.secrets };
}

/** The shop's outbound endpoint without its secrets; undefined when there is no such shop. */
export async function showOutboundEndpoint(
  deps: Pick<AppDeps, 'shops'>,
  shopId: string,
): Promise<OutboundEndpointView | undefined> {
  const loaded = await deps.shops.load(shopId);
  if (!loaded) return undefined;
  const config = loaded.connectors.get(OUTBOUND_CONNECTOR);
  return { ...(config?.settings.url && { url: config.settings.url }), secrets: config?.secrets.length ?? 0 };
}
