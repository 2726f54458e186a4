/** Istio Gateway servers on the east-west port, shared by the M05/M06/M15 rules. */
import type { AnalyzedObject, ClusterInput } from '../../types.ts';
import { arr, ISTIO_GROUP, obj, ofKind, specOf, str } from './facts.ts';

export interface Server {
  readonly gateway: AnalyzedObject;
  readonly index: number;
  readonly port: number;
  readonly mode: string | undefined;
  readonly hosts: string[];
}

/** Servers of Istio Gateways that select an east-west gateway (`istio: eastwestgateway`) or listen on 15443. */
export function eastWestServers(c: ClusterInput): Server[] {
  const out: Server[] = [];
  for (const g of ofKind(c, 'Gateway', ISTIO_GROUP)) {
    const sel = obj(specOf(g).selector);
    const ew = /eastwest/.test(String(sel.istio ?? sel.app ?? ''));
    arr(specOf(g).servers).forEach((s, index) => {
      const port = Number(obj(obj(s).port).number);
      if (port !== 15443 && !ew) return;
      out.push({ gateway: g, index, port, mode: str(obj(obj(s).tls).mode), hosts: arr(obj(s).hosts).map(String) });
    });
  }
  return out;
}
