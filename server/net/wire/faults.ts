/**
 * The model's connection faults made real on 127.0.0.1 (`--wire`): a *refused* connection is a connect
 * to a port nothing listens on (the kernel answers RST: ECONNREFUSED); a *dropped* one (a partition, a
 * pod IP of another network) is a TLS ClientHello sent to a listener that accepts and never answers, so
 * the client's handshake times out (ETIMEDOUT). Loopback cannot drop the SYN itself without firewall
 * rules, so the drop happens one step later than on a real network; the client sees the same time-out.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { connect } from 'node:tls';
import { listenLoopback } from './listen.ts';

export interface BlackHole {
  readonly port: number;
  close(): Promise<void>;
}

/** A listener that takes connections and never reads or answers; `close()` destroys them. */
export async function startBlackHole(): Promise<BlackHole> {
  const held = new Set<Socket>();
  const server: Server = createServer((s) => {
    held.add(s);
    s.on('error', () => s.destroy());
    s.once('close', () => held.delete(s));
  });
  const port = await listenLoopback(server);
  return {
    port,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        for (const s of held) s.destroy();
      }),
  };
}

/** A loopback port with nothing listening: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listenLoopback(server);
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

/** Tries a TLS handshake on 127.0.0.1:port and reports how it failed (`OK` if it somehow succeeded). */
export function attemptHandshake(port: number, timeoutMs: number): Promise<string> {
  return new Promise((resolve) => {
    let settled = false;
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, minVersion: 'TLSv1.3' });
    const finish = (code: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      s.destroy();
      resolve(code);
    };
    const deadline = setTimeout(() => finish('ETIMEDOUT'), timeoutMs);
    s.once('error', (e: NodeJS.ErrnoException) => finish(e.code ?? 'EOF'));
    s.once('secureConnect', () => finish('OK'));
    s.once('close', () => finish('EOF'));
  });
}
