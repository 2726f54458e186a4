/**
 * In Node the lab serves and fetches federation bundle endpoints over real HTTPS on 127.0.0.1
 * (`--memory` keeps them in memory, as the browser does). Every listener is closed when the command ends,
 * so the process exits.
 */
import type { EndpointResolver } from '../../sim/net/bundleEndpoint.ts';
import { HttpsBundleNetwork } from '../net/httpsBundleEndpoints.ts';

export interface NodeTransport {
  readonly bundleClient?: (resolve: EndpointResolver) => HttpsBundleNetwork;
  close(): Promise<void>;
}

export function nodeTransport(memory: boolean): NodeTransport {
  if (memory) return { close: async () => undefined };
  const networks: HttpsBundleNetwork[] = [];
  return {
    bundleClient: (resolve) => {
      const n = new HttpsBundleNetwork(globalThis.crypto, resolve);
      networks.push(n);
      return n;
    },
    close: async () => {
      await Promise.all(networks.splice(0).map((n) => n.close()));
    },
  };
}

/** Runs `fn` with a transport and closes it afterwards, whatever happens. */
export async function withTransport<T>(memory: boolean, fn: (t: NodeTransport) => Promise<T>): Promise<T> {
  const t = nodeTransport(memory);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}
