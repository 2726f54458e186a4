/**
 * The OpenShift side: `config.openshift.io/v1` DNS (the cluster-scoped singleton `cluster` whose
 * `spec.baseDomain` guides read with `oc get dns cluster -o jsonpath='{.spec.baseDomain}'`; no printer
 * columns, so NAME and AGE), and `oc project` / `oc whoami` (openshift/oc pkg/cli/project,
 * pkg/cli/whoami). The DNS kind is served on OpenShift clusters only; on plain Kubernetes
 * `oc get dns` fails as it does there (`the server doesn't have a resource type "dns"`).
 * Simplified: whoami is always `kube:admin`, projects are namespaces.
 */
import type { KindInfo } from '../../kube/builtinKinds.ts';
import type { KubeManifest } from '../../kube/object.ts';
import type { ClusterStore } from '../../kube/store.ts';
import type { ProgramResult } from '../shell/program.ts';
import { CommandError, Output, type Session } from './session.ts';

export const OPENSHIFT_DNS_KIND = {
  group: 'config.openshift.io',
  version: 'v1',
  kind: 'DNS',
  plural: 'dnses',
  singular: 'dns',
  namespaced: false,
  hasStatus: true,
} as const;

/** Makes `dnses.config.openshift.io` servable on a store (idempotent). */
export function ensureOpenShiftDnsKind(store: ClusterStore): KindInfo {
  return store.kinds.byGroupKind(OPENSHIFT_DNS_KIND.group, OPENSHIFT_DNS_KIND.kind) ?? store.registerKind({ ...OPENSHIFT_DNS_KIND });
}

/** The `cluster` DNS object an OpenShift installer creates. */
export function openShiftDnsManifest(baseDomain: string): KubeManifest {
  return { apiVersion: 'config.openshift.io/v1', kind: 'DNS', metadata: { name: 'cluster' }, spec: { baseDomain } };
}

export function runProject(s: Session): ProgramResult {
  const out = new Output();
  const [name] = s.args.positional;
  if (name === undefined) {
    out.out(`Using project "${s.namespace}" on server "https://api.${s.contextName}.lab:6443".\n`);
    return out.result(0);
  }
  if (!s.store.find('namespaces', undefined, name)) throw new CommandError(`error: A project named "${name}" does not exist on "https://api.${s.contextName}.lab:6443".\nYour projects are:\n${s.store.scan('namespaces').map((n) => `* ${n.metadata.name}`).sort().join('\n')}\nTo see projects on another server, pass '--server=<server>'.`);
  s.state.namespaces.set(s.contextName, name);
  out.out(`Now using project "${name}" on server "https://api.${s.contextName}.lab:6443".\n`);
  return out.result(0);
}

export function runWhoami(s: Session): ProgramResult {
  if (s.args.positional.length > 0) throw new CommandError(`error: unknown command "${s.args.positional[0]}" for "oc whoami"`);
  return { stdout: 'kube:admin\n', stderr: '', exitCode: 0 };
}
