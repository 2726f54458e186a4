/**
 * kubectl and oc, emulated: the programs the workstation shell runs against the lab's clusters.
 * Models: global flags (--context, -n), get (built-in tables, CRD printer columns, -o yaml|json|name|
 * wide|jsonpath, -l, -A, --show-labels), apply/create/delete -f (files, directories, stdin), patch
 * (strategic|merge|json), describe, logs, exec (pod/workload resolution, default container, exit codes),
 * config contexts, `--kubeconfig FILE` (kubeconfigFile.ts); oc adds project, whoami and OpenShift's config.openshift.io DNS.
 * Leaves out: watches, rollout/scale/label/annotate/port-forward, server-side apply, plugins,
 * custom-columns and go-template output, line folding in YAML output.
 * Upstream: kubernetes/kubectl pkg/cmd/{get,apply,create,delete,patch,describe,logs,exec,config},
 * kubernetes/kubernetes pkg/printers/internalversion/printers.go, client-go util/jsonpath,
 * cli-runtime printers, apimachinery util/duration; each file cites what it follows.
 */
export { makeKubectl, KUBE_VERSION, type ClusterHandle, type KubectlEnv, type Flavor } from './kubectl.ts';
export { ensureOpenShiftDnsKind, openShiftDnsManifest, OPENSHIFT_DNS_KIND } from './openshift.ts';
export { humanDuration } from './humanDuration.ts';
export { parseJsonPath } from './jsonPath.ts';
export { toYaml, toGoJson } from './yamlPrinter.ts';
