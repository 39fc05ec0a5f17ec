import type { ProviderName } from '../../../schemas/common.ts';
import type { Connector } from '../../app/connectors.ts';
import { aftership } from './aftership.ts';
import { doudian } from './doudian.ts';
import { easypost } from './easypost.ts';
import { generic } from './generic.ts';
import { kuaidi100 } from './kuaidi100.ts';
import { seventeentrack } from './seventeentrack.ts';
import { shopify } from './shopify.ts';
import { taobao } from './taobao.ts';
import { woocommerce } from './woocommerce.ts';

/** Every provider we accept webhooks from. Adding a provider is one file plus one line here. */
const connectors: Partial<Record<ProviderName, Connector>> = {
  generic,
  taobao,
  doudian,
  aftership,
  '17track': seventeentrack,
  kuaidi100,
  easypost,
  shopify,
  woocommerce,
};

export function connectorFor(provider: string): Connector | undefined {
  return Object.hasOwn(connectors, provider) ? connectors[provider as ProviderName] : undefined;
}

export function listProviders(): ProviderName[] {
  return Object.keys(connectors) as ProviderName[];
}
