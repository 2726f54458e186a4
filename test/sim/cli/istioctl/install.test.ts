// `istioctl install` as seed 004 runs it: the sample's istio.tmpl after sed on stdin, then the
// east-west gateway from gen-eastwest-gateway.sh; the prompt without -y; errors with file and line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ok } from '../../../../sim/core/result.ts';
import { VirtualClock } from '../../../../sim/core/clock.ts';
import { Rng } from '../../../../sim/core/rng.ts';
import { makeGenEastwestGateway } from '../../../../sim/cli/genEastwestGateway.ts';
import { makeIstioctlInstall, type IstioctlInstallDeps } from '../../../../sim/cli/istioctl/install.ts';
import { VirtualFs } from '../../../../sim/cli/shell/fs.ts';
import type { ProgramResult } from '../../../../sim/cli/shell/program.ts';
import { applyInstallObject } from '../../../../sim/istiod/install/apply.ts';
import { DEFAULT_ISTIO_VERSION } from '../../../../sim/istiod/install/versions.ts';
import { ClusterStore } from '../../../../sim/kube/store.ts';
import { sharedPath } from '../../../helpers/shared.ts';

const tmpl = readFileSync(sharedPath('samples/istio-spire-federation/istio.tmpl'), 'utf8');
const west = tmpl.replaceAll('${LOCAL_CLUSTER}', 'west').replaceAll('${REMOTE_CLUSTER}', 'east').replaceAll('${REMOTE_BUNDLE_ENDPOINT}', '172.18.254.1');

function lab() {
  const store = new ClusterStore({ clock: new VirtualClock(Date.UTC(2026, 0, 15)), rng: new Rng('istioctl') });
  const deps: IstioctlInstallDeps = {
    version: DEFAULT_ISTIO_VERSION,
    target: () =>
      ok({
        apply: (ms) => {
          for (const m of ms) {
            const r = applyInstallObject(store, m);
            if (!r.ok) return r;
          }
          return ok(undefined);
        },
        hasNamespace: (name) => store.find('Namespace', undefined, name) !== undefined,
      }),
  };
  const fs = new VirtualFs({ '/home/trainee/istio.yaml': west });
  const install = makeIstioctlInstall(deps);
  const run = (args: string[], stdin = '') => install(['istioctl', ...args], { stdin, env: {}, cwd: '/home/trainee', fs }) as ProgramResult;
  return { store, run };
}

const progress = (stderr: string) => stderr.split('\n').filter((l) => /^[-✔✘]/.test(l));

describe('istioctl install', () => {
  it('-y -f - with the sample: namespace, core and istiod, istioctl progress lines', () => {
    const { store, run } = lab();
    const r = run(['install', '-y', '-f', '-'], west);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith('        |\\          \n')).toBe(true);
    expect(progress(r.stderr)).toEqual([
      '- Processing resources for Istio core.',
      '✔ Istio core installed ⛵️',
      '- Processing resources for Istiod.',
      '- Processing resources for Istiod. Waiting for Deployment/istio-system/istiod',
      '✔ Istiod installed 🧠',
      '- Pruning removed resources',
      '✔ Installation complete',
    ]);
    expect(store.find('Namespace', undefined, 'istio-system')?.metadata.labels).toMatchObject({ 'topology.istio.io/network': 'west-network' });
    const mesh = parse((store.find('ConfigMap', 'istio-system', 'istio')!.data as { mesh: string }).mesh);
    expect(mesh.trustDomain).toBe('west.local');
  });

  it('then the east-west gateway piped from gen-eastwest-gateway.sh', () => {
    const { store, run } = lab();
    run(['install', '-y', '-f', '-'], west);
    const iop = (makeGenEastwestGateway(DEFAULT_ISTIO_VERSION)(['gen-eastwest-gateway.sh', '--network', 'west-network'], { stdin: '', env: {}, cwd: '/', fs: new VirtualFs() }) as ProgramResult).stdout;
    const r = run(['--context=kind-cluster-west', 'install', '-y', '-f', '-'], iop);
    expect(r.exitCode).toBe(0);
    expect(progress(r.stderr)).toEqual([
      '- Processing resources for Ingress gateways.',
      '- Processing resources for Ingress gateways. Waiting for Deployment/istio-system/istio-eastwestgateway',
      '✔ Ingress gateways installed 🛬',
      '- Pruning removed resources',
      '✔ Installation complete',
    ]);
    const d = store.find({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'istio-system', 'istio-eastwestgateway')!;
    expect((d.spec as { template: { metadata: { annotations: Record<string, string> } } }).template.metadata.annotations['inject.istio.io/templates']).toBe('gateway');
    // The first install is still there (no pruning across owners).
    expect(store.find({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'istio-system', 'istiod')).toBeDefined();
  });

  it('without -y: the prompt on stdout; with -f - stdin is spent, so it is cancelled', () => {
    const { store, run } = lab();
    const r = run(['install', '-f', '-'], west);
    expect(r).toMatchObject({ exitCode: 1, stdout: 'This will install the Istio 1.27.0 profile "minimal" into the cluster. Proceed? (y/N) ' });
    expect(r.stderr.endsWith('Cancelled.\n')).toBe(true);
    expect(store.find({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'istio-system', 'istiod')).toBeUndefined();
    const yes = run(['install', '-f', 'istio.yaml'], 'y\n');
    expect(yes.exitCode).toBe(0);
    expect(store.find({ apiVersion: 'apps/v1', kind: 'Deployment' }, 'istio-system', 'istiod')).toBeDefined();
  });

  it('bad input: istioctl\'s error plus where it is', () => {
    const { run } = lab();
    const r = run(['install', '-y', '-f', '-'], west.replace('    accessLogFile', '    accesLogFile').replace('  values:', '  valuez:'));
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Error: generate config: could not unmarshal: json: unknown field "valuez"\n  at <stdin>:15: IstioOperator: spec.valuez: unknown field "valuez"\n');
    expect(run(['install', '-y', '-f', 'missing.yaml']).stderr).toContain('Error: generate config: merge inputs: open missing.yaml: no such file or directory');
    expect(run(['install', '-y', '--revision', 'Bad_Rev']).stderr).toBe('Error: invalid revision specified: Bad_Rev\n');
  });
});
