/**
 * FL0022 — `kubectl|oc exec … -- <path>/spire-server` with a path the image does not ship (G16): SPIRE's
 * images put the binary in /opt/spire/bin (on PATH), ZTWIM's Red Hat builds at the image root
 * (`/spire-server`, with /opt/spire/bin on PATH but empty). Any other path fails with the runtime's
 * `executable file not found` (engine: sim/world/images.ts).
 */
import type { ClusterInput, ExecCommand, Finding, Rule } from '../../types.ts';
import { resolveExecutable } from '../../../world/images.ts';
import { get, isObj, isZtwim, nameOf, str, workloads, ZTWIM_NAMESPACE } from '../util.ts';

/** The image of the exec's container: from the workload the pod belongs to, or ZTWIM's rendering. */
function imageOf(c: ClusterInput, e: ExecCommand): string | undefined {
  const [kind, name] = e.target.includes('/') ? (e.target.split('/', 2) as [string, string]) : ['pod', e.target];
  const w = workloads(c).find((x) => {
    if (x.namespace !== e.namespace) return false;
    const n = nameOf(x.object);
    return kind === 'pod' ? name === n || name.startsWith(`${n}-`) : name === n;
  });
  if (w) {
    const containers = ((w.podSpec.containers as unknown[]) ?? []).filter(isObj);
    const ct = e.container ? containers.find((x) => x.name === e.container) : containers[0];
    return str(get(ct, 'image'));
  }
  if (isZtwim(c) && e.namespace === ZTWIM_NAMESPACE) {
    const m = /^(spire-server|spire-agent)/.exec(name);
    if (m) return `registry.redhat.io/zero-trust-workload-identity-manager/spiffe-${m[1]}-rhel9`;
  }
  return undefined;
}

export const spireServerPath: Rule = {
  code: 'FL0022',
  severity: 'error',
  title: 'exec of a SPIRE binary at a path the image does not ship',
  refs: ['G16'],
  check(input) {
    const out: Finding[] = [];
    for (const e of input.execs ?? []) {
      const bin = e.argv[0];
      if (!bin || !/(^|\/)spire-(server|agent)$/.test(bin)) continue;
      const c = input.clusters.find((x) => x.name === e.cluster);
      const image = c && imageOf(c, e);
      if (!image || resolveExecutable(image, bin) !== undefined) continue;
      const base = bin.slice(bin.lastIndexOf('/') + 1);
      const works = [resolveExecutable(image, base), `/${base}`, `/opt/spire/bin/${base}`].find((p) => p !== undefined && resolveExecutable(image, p) !== undefined);
      out.push({
        code: spireServerPath.code,
        severity: spireServerPath.severity,
        cluster: e.cluster,
        object: { kind: 'Pod', name: e.target, namespace: e.namespace },
        file: e.file,
        ...(e.line !== undefined ? { line: e.line } : {}),
        field: 'command',
        message: `\`${e.command}\` runs ${bin}, which image ${image} does not have: the runtime answers 'exec: "${bin}": ${bin.includes('/') ? `stat ${bin}: no such file or directory` : 'executable file not found in $PATH'}' (exit 126; runc resolves a name with a slash as a path, without $PATH). ${works ? `Use ${works}` : 'Use the path the image ships'}`,
        refs: spireServerPath.refs,
      });
    }
    return out;
  },
};
