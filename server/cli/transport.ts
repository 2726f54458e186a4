/**
 * In Node the lab serves and fetches federation bundle endpoints over real HTTPS on 127.0.0.1
 * (`--memory` keeps them in memory, as the browser does). Every listener is closed when the command ends,
 * so the process exits.
 */
import type { EndpointResolver } from '../../sim/net/bundleEndpoint.ts';
import { HttpsBundleNetwork } from '../net/httpsBundleEndpoints.ts';
import { NodeWireTransport } from '../net/wire/transport.ts';
import { describeComparison, type WireHandshakeFacts } from '../../sim/envoy/wire.ts';
import type { RunReport } from '../../sim/scenario/index.ts';

export interface NodeTransport {
  readonly bundleClient?: (resolve: EndpointResolver) => HttpsBundleNetwork;
  /** `--wire`: the mesh's handshakes on real sockets too. */
  readonly wire?: NodeWireTransport;
  close(): Promise<void>;
}

/**
 * `--wire` anchors the virtual clock so that the first mesh call happens at virtual ≈ wall time: a
 * rehearsal in memory finds how far into the scenario (virtual) and how long after the start (wall)
 * that call comes; the real run then starts its clock that far in the past. From then on the lab's
 * verdicts (virtual time) and OpenSSL's (wall time) judge the same validity windows unless the
 * scenario moves virtual time past a certificate's edge (then the pair is not comparable).
 */
export async function wallAnchoredStart(rehearse: (start: number) => Promise<RunReport>): Promise<number | undefined> {
  const probeStart = Math.floor(Date.now() / 1000) * 1000;
  const wallBefore = Date.now();
  const firstCallAt = (await rehearse(probeStart)).world.events.all().find((e) => e.type === 'mesh.call')?.time;
  // No mesh call: nothing to judge twice, the scenario keeps its usual start.
  if (firstCallAt === undefined) return undefined;
  const wallToCall = Date.now() - wallBefore;
  const virtualToCall = firstCallAt - probeStart;
  return Math.floor((Date.now() + wallToCall - virtualToCall) / 1000) * 1000;
}

export interface WireSummary {
  readonly handshakes: number;
  readonly agree: number;
  readonly disagree: number;
  readonly notComparable: number;
  /** HTTP answers that crossed a connection, and those that did not arrive as the server side sent them. */
  readonly exchanges: number;
  readonly lost: number;
  /** The model's refused and dropped connections made real. */
  readonly refused: number;
  readonly dropped: number;
  /** Each disagreement or lost answer, with both sides' words: a lab defect. */
  readonly defects: string[];
}

/** Handshake counts of a wire run: how many, how the two verdicts compared, what crossed. */
export function wireSummary(wire: NodeWireTransport): WireSummary {
  let agree = 0, disagree = 0, notComparable = 0, exchanges = 0, lost = 0;
  const defects: string[] = [];
  for (const { facts, sni, sent } of wire.log) {
    for (const c of [facts.comparisons.client, facts.comparisons.server]) {
      if (!c) continue;
      if (c.kind === 'agree') agree++;
      else if (c.kind === 'not-comparable') notComparable++;
      else {
        disagree++;
        defects.push(`${sni}: lab ${c.lab}, OpenSSL ${c.openssl}`);
      }
    }
    if (!sent) continue;
    if (facts.response?.status === sent.status && facts.response.body === sent.body) exchanges++;
    else {
      lost++;
      defects.push(`${sni}: the server side answered ${sent.status}, the client read ${facts.response ? facts.response.status : `nothing (${facts.error ?? 'no error'})`}`);
    }
  }
  const count = (k: string) => wire.faults.filter((f) => f.kind === k).length;
  return { handshakes: wire.log.length, agree, disagree, notComparable, exchanges, lost, refused: count('refused'), dropped: count('dropped'), defects };
}

/** Where the wire's logs stand, to print what one command added. */
export const wireMark = (wire: NodeWireTransport) => ({ log: wire.log.length, faults: wire.faults.length });

/** One line per handshake and per fault since `from`, as `exec --wire` prints them on stderr. */
export function wireLogLines(wire: NodeWireTransport, from: ReturnType<typeof wireMark>): string {
  const faults = wire.faults.slice(from.faults).map((f) => `[wire] ${f.kind} connection made real: 127.0.0.1:${f.port} ${f.code} after ${Math.round(f.elapsedMs)} ms\n`);
  return faults.join('') + wire.log
    .slice(from.log)
    .map(({ facts: f, sni }) => {
      const v = (c: WireHandshakeFacts['comparisons']['client']) => (c ? describeComparison(c) : 'not judged');
      const path = `127.0.0.1:${f.clientPort ?? '?'} → ${f.gatewayPort ? `gateway :${f.gatewayPort} (SNI read: ${f.sniSeenByGateway ?? 'none'}) → ` : ''}:${f.serverPort ?? '?'}`;
      return `[wire] ${f.protocol ?? 'no TLS'} ${f.cipher ?? ''} ${path} SNI ${sni}; client: ${v(f.comparisons.client)}; server: ${v(f.comparisons.server)}; ${f.response ? `HTTP/1.1 ${f.response.status}` : f.error ? f.error : 'no request'}\n`;
    })
    .join('');
}

/** The line `run` prints under a variant played `--wire`, then one line per defect. */
export function wireReport(w: WireSummary): string {
  const faults = w.refused + w.dropped ? `; ${w.refused} refused and ${w.dropped} dropped connections made real` : '';
  return `  wire: ${w.handshakes} handshakes on 127.0.0.1; verdicts ${w.agree} agree, ${w.disagree} disagree, ${w.notComparable} not comparable; ${w.exchanges} HTTP answers over TLS${w.lost ? `, ${w.lost} lost` : ''}${faults}\n${w.defects.map((d) => `  DEFECT ${d}\n`).join('')}`;
}

export function nodeTransport(memory: boolean, wire = false): NodeTransport {
  const w = wire ? new NodeWireTransport() : undefined;
  if (memory) return { ...(w ? { wire: w } : {}), close: async () => w?.close() };
  const networks: HttpsBundleNetwork[] = [];
  return {
    ...(w ? { wire: w } : {}),
    bundleClient: (resolve) => {
      const n = new HttpsBundleNetwork(globalThis.crypto, resolve);
      networks.push(n);
      return n;
    },
    close: async () => {
      await Promise.all([...networks.splice(0).map((n) => n.close()), w?.close()]);
    },
  };
}

/** Runs `fn` with a transport and closes it afterwards, whatever happens. */
export async function withTransport<T>(memory: boolean, wire: boolean, fn: (t: NodeTransport) => Promise<T>): Promise<T> {
  const t = nodeTransport(memory, wire);
  try {
    return await fn(t);
  } finally {
    await t.close();
  }
}
