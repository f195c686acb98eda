import type { NodeProvider, NodeProviderType } from "../parts/part.ts";
import { kwokProvider } from "./kwok.ts";
import { realProvider } from "./real/index.ts";

/** Every node provider, by type: the compiler checks that each type has one. */
export const nodeProviders = {
  kwok: kwokProvider,
  real: realProvider,
} as const satisfies Record<NodeProviderType, NodeProvider>;

export const nodeProviderTypes = Object.keys(nodeProviders) as NodeProviderType[];

export function isNodeProviderType(type: string): type is NodeProviderType {
  return Object.hasOwn(nodeProviders, type);
}
