/**
 * What a world is built from: the clusters, their product versions, nodes, address ranges and
 * initial manifests. The scenario format (sim/scenario/format.ts) reads these from YAML.
 */
export const PROFILES = ['plain', 'helm', 'ztwim'] as const;
export const PLATFORMS = ['kubernetes', 'openshift'] as const;

export interface Versions {
  readonly kubernetes?: string;
  readonly spire?: string;
  readonly ztwim?: string;
  readonly istio?: string;
  readonly ossm?: string;
}

export interface NodeSpec {
  readonly name: string;
  /** Kubelet version, e.g. `v1.33.2`. Defaults to the cluster's Kubernetes version. */
  readonly kubelet?: string;
}

/**
 * A change to one object of a manifest file before it is applied: a strategic/merge/JSON patch, or a
 * `text` edit that replaces text inside one string field (as the guides do with sed, e.g. a line of the
 * server.conf held in a ConfigMap).
 */
export interface ManifestPatch {
  readonly cluster?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly type: 'strategic' | 'merge' | 'json' | 'text';
  /** JSON text of the patch (strategic, merge, json). */
  readonly patch?: string;
  /** text: the string field to edit (`data[server.conf]`) and the replacements, in order. */
  readonly field?: string;
  readonly replace?: readonly { readonly from: string; readonly to: string }[];
  /** Where the patch is written in the scenario (`fix.patches[0]`), for messages. */
  readonly at: string;
}

/** A manifest source: a file relative to the scenario file, or inline YAML, optionally patched. */
export type ManifestSource = ({ readonly file: string } | { readonly inline: string }) & { readonly patches?: readonly ManifestPatch[] };

export interface ClusterSpec {
  readonly name: string;
  readonly trustDomain: string;
  readonly network?: string;
  /** OpenShift's cluster base domain (`oc get dns cluster`); apps live under `apps.<baseDomain>`. */
  readonly baseDomain?: string;
  readonly platform: (typeof PLATFORMS)[number];
  readonly profile: (typeof PROFILES)[number];
  readonly versions: Versions;
  readonly nodes: readonly NodeSpec[];
  readonly podCIDR: string;
  readonly serviceCIDR: string;
  readonly manifests: readonly ManifestSource[];
}

