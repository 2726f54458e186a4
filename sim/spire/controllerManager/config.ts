/**
 * The spire-controller-manager configuration file (`kind: ControllerManagerConfig`,
 * `apiVersion: spire.spiffe.io/v1alpha1`), as ZTWIM and the spiffe Helm chart render it into the
 * `spire-controller-manager` ConfigMap (key `controller-manager-config.yaml`), with the binary's
 * defaults and start-up validation (scm:cmd/main.go parseConfig/run,
 * scm:api/v1alpha1/controllermanagerconfig_types.go, controllermanagerconfig_loader.go).
 *
 * Facts kept: `ignoreNamespaces` defaults to kube-system, kube-public, spire-system and is a list of
 * unanchored regular expressions; `gcInterval` is a Go `time.Duration` in JSON, i.e. an integer of
 * nanoseconds (a string like `10s` does not decode), ≤0 → 10 s; a `reconcile` block, once present,
 * turns off every reconciler it does not name; `entryIDPrefix`/`entryIDPrefixCleanup` get a `.`
 * appended; `parentIDTemplate` is parsed as template `customParentIDTemplate`.
 * Simplified: regular expressions are JavaScript's (RE2 syntax is nearly a subset; error texts
 * differ); leader election, metrics, health, webhook and cache options are read but have no effect;
 * static-manifest mode is not modelled; the cluster domain is not auto-detected (pass it in).
 */
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import { parseYamlDocuments } from '../../kube/yaml.ts';
import { trustDomainFromString } from '../../spiffe/trustDomain.ts';
import { GoTemplate } from './template.ts';

export type ConfigError = SimError<'spire/controller-manager-config'>;

export const DEFAULT_IGNORE_NAMESPACES = ['kube-system', 'kube-public', 'spire-system'] as const;
/** scm:cmd/main.go defaultGCInterval. */
export const DEFAULT_GC_INTERVAL_MS = 10_000;
/** scm:pkg/spireentry/entries.go defaultParentIDTemplate. */
export const DEFAULT_PARENT_ID_TEMPLATE = 'spiffe://{{ .TrustDomain }}/spire/agent/k8s_psat/{{ .ClusterName }}/{{ .NodeMeta.UID }}';
export const DEFAULT_SPIRE_SERVER_SOCKET_PATH = '/spire-server/api.sock';

export interface ReconcileConfig {
  readonly clusterSPIFFEIDs: boolean;
  readonly clusterFederatedTrustDomains: boolean;
  readonly clusterStaticEntries: boolean;
}

/** The configuration after defaults and validation, as the reconcilers receive it. */
export interface ControllerManagerConfig {
  readonly clusterName: string;
  readonly clusterDomain: string;
  /** The trust domain name (no scheme). */
  readonly trustDomain: string;
  readonly ignoreNamespaces: readonly string[];
  readonly ignoreNamespacesRegex: readonly RegExp[];
  readonly gcIntervalMs: number;
  readonly className: string;
  readonly watchClassless: boolean;
  readonly parentIdTemplate: GoTemplate;
  readonly reconcile: ReconcileConfig;
  /** With the `.` already appended; `''` = no prefix. */
  readonly entryIdPrefix: string;
  /** undefined = unset; `''` = clean up every entry whose ID has no `.`. */
  readonly entryIdPrefixCleanup: string | undefined;
  readonly spireServerSocketPath: string;
  readonly validatingWebhookConfigurationName: string;
}

/** The file's fields (JSON names), all optional. */
export interface ControllerManagerConfigInput {
  readonly clusterName?: string;
  readonly clusterDomain?: string;
  readonly trustDomain?: string;
  readonly ignoreNamespaces?: readonly string[];
  readonly validatingWebhookConfigurationName?: string;
  /** Nanoseconds (Go time.Duration). */
  readonly gcInterval?: number;
  readonly spireServerSocketPath?: string;
  readonly className?: string;
  readonly watchClassless?: boolean;
  readonly parentIDTemplate?: string;
  readonly reconcile?: Partial<ReconcileConfig>;
  readonly entryIDPrefix?: string;
  readonly entryIDPrefixCleanup?: string | null;
  readonly [other: string]: unknown;
}

const fail = (message: string, detail?: Record<string, unknown>): { ok: false; error: ConfigError } => err(simError('spire/controller-manager-config', message, detail));

type GoType = 'string' | 'bool' | 'time.Duration' | '[]string' | 'v1alpha1.ReconcileConfig' | '*string';
const FIELD_TYPES: Readonly<Record<string, GoType>> = {
  clusterName: 'string',
  clusterDomain: 'string',
  trustDomain: 'string',
  ignoreNamespaces: '[]string',
  validatingWebhookConfigurationName: 'string',
  gcInterval: 'time.Duration',
  spireServerSocketPath: 'string',
  logLevel: 'string',
  logEncoding: 'string',
  className: 'string',
  watchClassless: 'bool',
  parentIDTemplate: 'string',
  reconcile: 'v1alpha1.ReconcileConfig',
  entryIDPrefix: 'string',
  entryIDPrefixCleanup: '*string',
  expandEnvStaticManifests: 'bool',
  enableEntryRenderCache: 'bool',
};

function jsonKind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return typeof v;
}

/** encoding/json's UnmarshalTypeError for one field, or undefined when the value fits. */
function typeError(field: string, goType: GoType, v: unknown): string | undefined {
  if (v === null || v === undefined) return undefined; // absent or null leaves the field as it was
  const bad = (kind = jsonKind(v)) => `json: cannot unmarshal ${kind === 'bool' ? 'bool' : kind} into Go struct field ControllerManagerConfig.${field} of type ${goType === '*string' ? 'string' : goType}`;
  switch (goType) {
    case 'string':
    case '*string':
      return typeof v === 'string' ? undefined : bad();
    case 'bool':
      return typeof v === 'boolean' ? undefined : bad();
    case 'time.Duration':
      return typeof v === 'number' && Number.isInteger(v) ? undefined : bad();
    case '[]string':
      if (!Array.isArray(v)) return bad();
      for (const x of v) if (typeof x !== 'string' && x !== null) return `json: cannot unmarshal ${jsonKind(x)} into Go struct field ControllerManagerConfig.${field} of type string`;
      return undefined;
    case 'v1alpha1.ReconcileConfig':
      if (jsonKind(v) !== 'object') return bad();
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        if (['clusterSPIFFEIDs', 'clusterFederatedTrustDomains', 'clusterStaticEntries'].includes(k) && typeof x !== 'boolean' && x !== null)
          return `json: cannot unmarshal ${jsonKind(x)} into Go struct field ReconcileConfig.reconcile.${k} of type bool`;
      return undefined;
  }
}

const addDotSuffix = (v: string) => (v !== '' && !v.endsWith('.') ? `${v}.` : v);

export interface ResolveOptions {
  /**
   * The binary compiles `ignoreNamespaces` only when started with `-config <file>`; without a file
   * nothing is ignored (scm:cmd/main.go parseConfig). Default true (the chart and ZTWIM pass a file).
   */
  readonly fromFile?: boolean;
  /** What auto-detection (CNAME of kubernetes.default.svc) would find; used when the file has none. */
  readonly detectedClusterDomain?: string;
}

/** Defaults and start-up validation for decoded config fields (parseConfig + run's trust-domain check). */
export function resolveControllerManagerConfig(input: ControllerManagerConfigInput, opts: ResolveOptions = {}): Result<ControllerManagerConfig, ConfigError> {
  for (const [field, goType] of Object.entries(FIELD_TYPES)) {
    const e = typeError(field, goType, input[field]);
    if (e) return fail(`unable to load the config file: could not decode file into runtime.Object: ${e}`, { field });
  }
  const fromFile = opts.fromFile !== false;
  let gcIntervalMs = DEFAULT_GC_INTERVAL_MS;
  if (fromFile && typeof input.gcInterval === 'number') gcIntervalMs = input.gcInterval <= 0 ? DEFAULT_GC_INTERVAL_MS : input.gcInterval / 1e6;
  const ignoreNamespaces = (input.ignoreNamespaces ?? DEFAULT_IGNORE_NAMESPACES).map((s) => s ?? '');
  const ignoreNamespacesRegex: RegExp[] = [];
  if (fromFile) {
    for (const pattern of ignoreNamespaces) {
      try {
        ignoreNamespacesRegex.push(new RegExp(pattern));
      } catch (e) {
        return fail(`unable to compile ignore namespaces regex: error parsing regexp: ${(e as Error).message}`, { pattern });
      }
    }
  }
  const clusterDomain = input.clusterDomain || opts.detectedClusterDomain || '';
  let parentIdTemplate: GoTemplate;
  if (input.parentIDTemplate) {
    const t = GoTemplate.parse('customParentIDTemplate', input.parentIDTemplate);
    if (!t.ok) return fail(`unable to parse parent ID template: ${t.error.message}`);
    parentIdTemplate = t.value;
  } else {
    const t = GoTemplate.parse('defaultParentIDTemplate', DEFAULT_PARENT_ID_TEMPLATE);
    if (!t.ok) throw new Error(t.error.message);
    parentIdTemplate = t.value;
  }
  const reconcile: ReconcileConfig = input.reconcile
    ? { clusterSPIFFEIDs: input.reconcile.clusterSPIFFEIDs === true, clusterFederatedTrustDomains: input.reconcile.clusterFederatedTrustDomains === true, clusterStaticEntries: input.reconcile.clusterStaticEntries === true }
    : { clusterSPIFFEIDs: true, clusterFederatedTrustDomains: true, clusterStaticEntries: true };
  const entryIdPrefix = addDotSuffix(input.entryIDPrefix ?? '');
  let entryIdPrefixCleanup: string | undefined;
  if (typeof input.entryIDPrefixCleanup === 'string') {
    entryIdPrefixCleanup = addDotSuffix(input.entryIDPrefixCleanup);
    if (entryIdPrefix !== '' && entryIdPrefix === entryIdPrefixCleanup) return fail('if entryIDPrefixCleanup is specified, it can not be the same value as entryIDPrefix');
  }
  const trustDomain = input.trustDomain ?? '';
  const clusterName = input.clusterName ?? '';
  const webhookName = input.validatingWebhookConfigurationName ?? 'spire-controller-manager-webhook';
  if (trustDomain === '') return fail('trust domain is required configuration');
  if (clusterName === '') return fail('cluster name is required configuration');
  if (webhookName === '') return fail('validating webhook configuration name is required configuration');
  // run(): spiffeid.TrustDomainFromString; logged as "invalid trust domain name".
  const td = trustDomainFromString(trustDomain);
  if (!td.ok) return fail(td.error.message, { reason: 'invalid trust domain name' });
  return ok({
    clusterName,
    clusterDomain,
    trustDomain: td.value.name,
    ignoreNamespaces,
    ignoreNamespacesRegex,
    gcIntervalMs,
    className: input.className ?? '',
    watchClassless: input.watchClassless === true,
    parentIdTemplate,
    reconcile,
    entryIdPrefix,
    entryIdPrefixCleanup,
    spireServerSocketPath: input.spireServerSocketPath || DEFAULT_SPIRE_SERVER_SOCKET_PATH,
    validatingWebhookConfigurationName: webhookName,
  });
}

/** Reads the YAML file as the ConfigMap holds it (`controller-manager-config.yaml`). */
export function parseControllerManagerConfig(text: string, opts: ResolveOptions = {}): Result<ControllerManagerConfig, ConfigError> {
  const docs = parseYamlDocuments(text, 'controller-manager-config.yaml');
  if (!docs.ok) return fail(`unable to load the config file: could not decode file into runtime.Object: ${docs.error.message}`);
  const obj = docs.value[0]?.object ?? {};
  // The universal decoder needs the type registered in the scheme.
  if (typeof obj.kind !== 'string' || obj.kind === '') return fail(`unable to load the config file: could not decode file into runtime.Object: Object 'Kind' is missing in '${JSON.stringify(obj)}'`);
  if (obj.kind !== 'ControllerManagerConfig' || obj.apiVersion !== 'spire.spiffe.io/v1alpha1')
    return fail(`unable to load the config file: could not decode file into runtime.Object: no kind "${obj.kind}" is registered for version "${String(obj.apiVersion ?? '')}" in scheme "pkg/runtime/scheme.go:100"`);
  return resolveControllerManagerConfig(obj as ControllerManagerConfigInput, opts);
}

/** scm:pkg/namespace/namespace.go IsIgnored: any regex matching anywhere in the name. */
export function isNamespaceIgnored(config: Pick<ControllerManagerConfig, 'ignoreNamespacesRegex'>, namespace: string): boolean {
  return config.ignoreNamespacesRegex.some((re) => re.test(namespace));
}

/** scm reconcileClass: classless CRs need watchClassless; classed ones must name this controller's class. */
export function reconcilesClass(config: Pick<ControllerManagerConfig, 'className' | 'watchClassless'>, className: string): boolean {
  return (className === '' && config.watchClassless) || className === config.className;
}
