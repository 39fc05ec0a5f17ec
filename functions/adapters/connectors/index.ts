import type { ProviderName } from '../../../schemas/common.ts';
import { generic } from './generic.ts';
import type { Connector } from './types.ts';

/** Every provider we accept webhooks from. Adding a provider is one file plus one line here. */
const connectors: Partial<Record<ProviderName, Connector>> = {
  generic,
};

export function connectorFor(provider: string): Connector | undefined {
  return Object.hasOwn(connectors, provider) ? connectors[provider as ProviderName] : undefined;
}

export function listProviders(): ProviderName[] {
  return Object.keys(connectors) as ProviderName[];
}
