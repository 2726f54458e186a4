/** Which workloads of a cluster take their identity from the SPIRE agent's socket (Istio's spire templates, CSI volumes). */
import type { ClusterInput } from '../../types.ts';
import { get, isObj, workloads, type Workload } from '../util.ts';

export const mountsCsi = (w: Workload): boolean => ((w.podSpec.volumes as unknown[] | undefined) ?? []).some((v) => get(v, 'csi.driver') === 'csi.spiffe.io');

/** Injected workloads whose proxy reads the SPIRE socket (a `spire*` injection template or a CSI volume). */
export function spireMeshWorkloads(c: ClusterInput): Workload[] {
  return workloads(c).filter((w) => {
    const templates = (w.annotations['inject.istio.io/templates'] ?? '').split(',').map((t) => t.trim());
    return templates.some((t) => /spire/.test(t)) || (w.labels['security.istio.io/tlsMode'] !== undefined && mountsCsi(w));
  });
}

/** The socket names the agent's socket directory holds: the socket itself and the chart's `ln -s` links to it. */
export function socketNames(c: ClusterInput, socketPath: string): string[] {
  const base = socketPath.slice(socketPath.lastIndexOf('/') + 1);
  const names = [base];
  for (const w of workloads(c)) {
    for (const ct of [...((w.podSpec.initContainers as unknown[]) ?? []), ...((w.podSpec.containers as unknown[]) ?? [])]) {
      if (!isObj(ct)) continue;
      const script = [...((ct.command as unknown[]) ?? []), ...((ct.args as unknown[]) ?? [])].join('\n');
      for (const m of script.matchAll(/ln -s\s+(\S+)\s+(\S+)/g)) if (m[1] === base) names.push(m[2]!);
    }
  }
  return names;
}
