/**
 * The Driver over ws (`fedlab start`): the protocol client (client.ts) on a WebSocket port. A closed
 * socket fails the requests in flight with a message the page shows.
 */
import { DriverClient, type Port } from './client.ts';

function wsPort(ws: WebSocket): Port {
  return {
    send: (text) => ws.send(text),
    attach(onMessage, onClose) {
      ws.addEventListener('message', (e: MessageEvent<string>) => onMessage(e.data));
      ws.addEventListener('close', (e) => onClose(`the connection to the lab server closed${e.reason ? ` (${e.reason})` : ''}`));
    },
    close: () => ws.close(),
  };
}

export const RemoteDriver = {
  connect(url: string): Promise<DriverClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.addEventListener('open', () => resolve(new DriverClient(wsPort(ws))), { once: true });
      ws.addEventListener('error', () => reject(new Error(`cannot connect to ${url}`)), { once: true });
    });
  },
};
