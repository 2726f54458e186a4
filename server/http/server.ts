/**
 * The lab's HTTP + ws server (Node only): serves the built page from `dist/ui` and speaks the Driver
 * protocol (protocol.ts) on `/ws`, one SimDriver (one world) per connection.
 * Robustness: binds 127.0.0.1 unless told otherwise; the ws upgrade is accepted only from the
 * server's own origin (a page elsewhere cannot drive the lab, DNS rebinding included); every message
 * is validated and answered, errors as replies; at most `maxSessions` connections, each closed after
 * `idleMs` without a message and its world disposed on close.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import express from 'express';
import { WebSocketServer, type WebSocket } from 'ws';
import { SimDriver, type AnalyzeHook, type DriverPush, type FileSource } from '../../sim/driver.ts';
import { nodeTransport, wallAnchoredStart, type NodeTransport } from '../cli/transport.ts';
import { dispatch, MAX_MESSAGE_BYTES, parseRequest, type ErrorReply } from './protocol.ts';

export interface LabServerOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly distDir: string;
  readonly files: FileSource;
  /** The scenario the page opens first (repo-relative path). */
  readonly defaultScenario: string;
  /** `--wire`: each session's worlds run the mesh's handshakes on real sockets. */
  readonly wire?: boolean;
  readonly maxSessions?: number;
  readonly idleMs?: number;
  /** Requests waiting in one session before new ones are refused (`busy`). */
  readonly maxQueued?: number;
  readonly analyze?: AnalyzeHook;
  readonly log?: (line: string) => void;
}

export interface LabServer {
  readonly url: string;
  readonly sessions: () => number;
  close(): Promise<void>;
}

const escapeAttr = (s: string): string => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The built index.html with the mode the page should run in (remote: drive this server over ws). */
function indexHtml(distDir: string, defaultScenario: string): string {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  return html.replace('<head>', `<head>\n    <meta name="fedlab-mode" content="remote" />\n    <meta name="fedlab-scenario" content="${escapeAttr(defaultScenario)}" />`);
}

export async function startLabServer(o: LabServerOptions): Promise<LabServer> {
  const maxSessions = o.maxSessions ?? 8;
  const idleMs = o.idleMs ?? 30 * 60_000;
  const maxQueued = o.maxQueued ?? 32;
  const log = o.log ?? (() => undefined);
  const app = express();
  app.disable('x-powered-by');
  app.use((_req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  const page = (_req: express.Request, res: express.Response): void => {
    try {
      res.type('html').send(indexHtml(o.distDir, o.defaultScenario));
    } catch {
      res.status(503).type('text').send('the UI is not built: run `npm run build:ui`\n');
    }
  };
  app.get(['/', '/index.html'], page);
  app.get('/api/mode', (_req, res) => {
    res.json({ mode: 'remote', defaultScenario: o.defaultScenario });
  });
  app.use(express.static(o.distDir, { index: false, fallthrough: true }));
  app.use((_req, res) => {
    res.status(404).type('text').send('not found\n');
  });

  const server: Server = createServer(app);
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * MAX_MESSAGE_BYTES });
  const sessions = new Set<WebSocket>();
  let origins: string[] = [];

  const reject = (socket: Duplex, status: string): void => {
    socket.write(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    socket.destroy();
  };

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if ((req.url ?? '').split('?')[0] !== '/ws') return reject(socket, '404 Not Found');
    if (!origins.includes(req.headers.origin ?? '')) return reject(socket, '403 Forbidden');
    if (sessions.size >= maxSessions) return reject(socket, '503 Service Unavailable');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  wss.on('connection', (ws: WebSocket) => {
    sessions.add(ws);
    const transport: NodeTransport = nodeTransport(true, o.wire === true);
    const driver = new SimDriver({ files: o.files, crypto: globalThis.crypto, ...(transport.wire ? { wire: transport.wire, anchor: wallAnchoredStart } : {}), ...(o.analyze ? { analyze: o.analyze } : {}) });
    let queued = 0;
    let idle: NodeJS.Timeout;
    const send = (m: unknown): void => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    const touch = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => ws.close(4000, 'idle'), idleMs);
    };
    touch();
    const unsubscribe = driver.subscribe((push: DriverPush) => send({ push }));
    log(`session opened (${sessions.size}/${maxSessions})\n`);
    ws.on('message', (data, isBinary) => {
      touch();
      const size = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : data instanceof ArrayBuffer ? data.byteLength : data.length;
      const parsed = isBinary ? ({ ok: false, reply: { id: null, error: { code: 'bad-request', message: 'binary messages are not accepted' } } } as const) : parseRequest(data, size);
      if (!parsed.ok) return send(parsed.reply);
      const r = parsed.request;
      if (queued >= maxQueued) return send({ id: r.id, error: { code: 'busy', message: `more than ${maxQueued} requests waiting` } } satisfies ErrorReply);
      queued++;
      dispatch(driver, r).then(
        (result) => send({ id: r.id, result }),
        (e: unknown) => {
          log(`request ${r.method} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
          send({ id: r.id, error: { code: 'internal', message: e instanceof Error ? e.message : String(e) } } satisfies ErrorReply);
        },
      ).finally(() => queued--);
    });
    ws.on('error', () => ws.terminate());
    ws.on('close', () => {
      clearTimeout(idle);
      unsubscribe();
      driver.dispose();
      void transport.close();
      sessions.delete(ws);
      log(`session closed (${sessions.size}/${maxSessions})\n`);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : o.port;
  const hostInUrl = o.host.includes(':') ? `[${o.host}]` : o.host;
  const url = `http://${hostInUrl}:${port}`;
  origins = [url, ...(o.host === '127.0.0.1' || o.host === '::1' ? [`http://localhost:${port}`] : [])];
  return {
    url,
    sessions: () => sessions.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sessions) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
