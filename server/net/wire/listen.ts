/** Listens on an ephemeral port of 127.0.0.1 (the lab never binds anything else) and resolves with it. */
import type { AddressInfo, Server } from 'node:net';

export function listenLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}
