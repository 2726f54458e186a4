/**
 * ClusterSPIFFEID: spec parsing (the admission webhook's and the reconciler's
 * `ParseClusterSPIFFEIDSpec`, scm:api/v1alpha1/clusterspiffeid_webhook.go) and rendering one pod into
 * one registration entry (scm:pkg/spireentry/entries.go renderPodEntry, reconciler.go renderPodEntry).
 *
 * Rendering order and errors, as upstream: the pod's Node must exist (`node <name> not found in
 * cache`); the parent ID from the controller's parentIDTemplate with node data only; the SPIFFE ID
 * (must be in the controller's trust domain); DNS names from `dnsNameTemplates` then, with
 * `autoPopulateDNSNames`, from the Endpoints listing the pod; selectors `k8s:pod-uid:<uid>` first, then
 * each `workloadSelectorTemplates` result split at its first `:`. Pod phase is not considered.
 * Simplified: `ttl`/`jwtTtl` that are not Go durations make the spec invalid here (upstream the client
 * cannot decode the object at all).
 */
import { parseDuration } from '../../core/duration.ts';
import { err, ok, simError, type Result, type SimError } from '../../core/result.ts';
import type { KubeObject } from '../../kube/object.ts';
import { labelSelectorAsSelector, type LabelSelector, type Selector as LabelSelectorParsed } from '../../kube/selector.ts';
import { parseSpiffeId } from '../../spiffe/id.ts';
import { trustDomainFromString } from '../../spiffe/trustDomain.ts';
import type { EntryInput, Selector } from '../api.ts';
import type { ControllerManagerConfig } from './config.ts';
import { templateData } from './goValue.ts';
import { GoTemplate } from './template.ts';

export type SpecError = SimError<'spire/invalid-cluster-spiffeid'>;
export type RenderError = SimError<'spire/entry-render-failed'>;

/** The CR's spec as stored (JSON field names, `spire.spiffe.io/v1alpha1`). */
export interface ClusterSpiffeIdSpec {
  spiffeIDTemplate?: string;
  ttl?: string;
  jwtTtl?: string;
  dnsNameTemplates?: string[];
  workloadSelectorTemplates?: string[];
  federatesWith?: string[];
  namespaceSelector?: LabelSelector | null;
  podSelector?: LabelSelector | null;
  admin?: boolean;
  downstream?: boolean;
  autoPopulateDNSNames?: boolean;
  className?: string;
  fallback?: boolean;
  hint?: string;
}

export interface ClusterSpiffeIdStats {
  namespacesSelected: number;
  namespacesIgnored: number;
  podsSelected: number;
  podEntryRenderFailures: number;
  entriesMasked: number;
  entriesToSet: number;
  entryFailures: number;
}

export const zeroStats = (): ClusterSpiffeIdStats => ({
  namespacesSelected: 0,
  namespacesIgnored: 0,
  podsSelected: 0,
  podEntryRenderFailures: 0,
  entriesMasked: 0,
  entriesToSet: 0,
  entryFailures: 0,
});

export interface ParsedClusterSpiffeIdSpec {
  readonly spiffeIdTemplate: GoTemplate;
  /** undefined = no selector given: every namespace / pod. */
  readonly namespaceSelector: LabelSelectorParsed | undefined;
  readonly podSelector: LabelSelectorParsed | undefined;
  readonly ttlSeconds: number;
  readonly jwtTtlSeconds: number;
  readonly federatesWith: readonly string[];
  readonly dnsNameTemplates: readonly GoTemplate[];
  readonly workloadSelectorTemplates: readonly GoTemplate[];
  readonly admin: boolean;
  readonly downstream: boolean;
  readonly autoPopulateDnsNames: boolean;
  readonly hint: string;
}

const specError = (message: string): { ok: false; error: SpecError } => err(simError('spire/invalid-cluster-spiffeid', message));

/** metav1.Duration → whole seconds as the Entry API carries them (int32(d / time.Second)). */
function ttlSeconds(text: string | undefined): Result<number, SpecError> {
  if (text === undefined || text === '') return ok(0);
  const d = parseDuration(text);
  if (!d.ok) return specError(d.error.message);
  return ok(Math.trunc(d.value / 1000));
}

/** `ParseClusterSPIFFEIDSpec`: what the webhook refuses and the reconciler skips. */
export function parseClusterSpiffeIdSpec(spec: ClusterSpiffeIdSpec): Result<ParsedClusterSpiffeIdSpec, SpecError> {
  if (!spec.spiffeIDTemplate) return specError('empty SPIFFEID template');
  const idTmpl = GoTemplate.parse('spiffeIDTemplate', spec.spiffeIDTemplate);
  if (!idTmpl.ok) return specError(`invalid SPIFFEID template: ${idTmpl.error.message}`);
  let namespaceSelector: LabelSelectorParsed | undefined;
  if (spec.namespaceSelector) {
    const s = labelSelectorAsSelector(spec.namespaceSelector);
    if (!s.ok) return specError(s.error.message);
    namespaceSelector = s.value;
  }
  let podSelector: LabelSelectorParsed | undefined;
  if (spec.podSelector) {
    const s = labelSelectorAsSelector(spec.podSelector);
    if (!s.ok) return specError(s.error.message);
    podSelector = s.value;
  }
  const ttl = ttlSeconds(spec.ttl);
  if (!ttl.ok) return ttl;
  const jwtTtl = ttlSeconds(spec.jwtTtl);
  if (!jwtTtl.ok) return jwtTtl;
  const federatesWith: string[] = [];
  for (const v of spec.federatesWith ?? []) {
    const td = trustDomainFromString(v);
    if (!td.ok) return specError(`invalid federatesWith value: ${td.error.message}`);
    federatesWith.push(td.value.name);
  }
  const dnsNameTemplates: GoTemplate[] = [];
  for (const v of spec.dnsNameTemplates ?? []) {
    const t = GoTemplate.parse('dnsNameTemplate', v);
    if (!t.ok) return specError(`invalid dnsNameTemplate value: ${t.error.message}`);
    dnsNameTemplates.push(t.value);
  }
  const workloadSelectorTemplates: GoTemplate[] = [];
  for (const v of spec.workloadSelectorTemplates ?? []) {
    const t = GoTemplate.parse('workloadSelectorTemplate', v);
    if (!t.ok) return specError(`invalid workloadSelectorTemplates value: ${t.error.message}`);
    workloadSelectorTemplates.push(t.value);
  }
  return ok({
    spiffeIdTemplate: idTmpl.value,
    namespaceSelector,
    podSelector,
    ttlSeconds: ttl.value,
    jwtTtlSeconds: jwtTtl.value,
    federatesWith,
    dnsNameTemplates,
    workloadSelectorTemplates,
    admin: spec.admin === true,
    downstream: spec.downstream === true,
    autoPopulateDnsNames: spec.autoPopulateDNSNames === true,
    hint: spec.hint ?? '',
  });
}

/** `parseSelector` (scm:pkg/spireentry/entries.go): `type:value`, split at the first colon. */
export function parseEntrySelector(text: string): Result<Selector, string> {
  const i = text.indexOf(':');
  if (i < 0) return err('expected at least one colon separate the type from the value');
  if (i === 0) return err('type cannot be empty');
  if (i === text.length - 1) return err('value cannot be empty');
  return ok({ type: text.slice(0, i), value: text.slice(i + 1) });
}

type RenderContext = Pick<ControllerManagerConfig, 'trustDomain' | 'clusterName' | 'clusterDomain' | 'parentIdTemplate'>;

const renderFail = (message: string): { ok: false; error: RenderError } => err(simError('spire/entry-render-failed', message));

/** renderTemplate: execution errors read `failed to execute template: template: …`. */
function renderTemplate(t: GoTemplate, data: ReturnType<typeof templateData>): Result<string, string> {
  const r = t.execute(data);
  return r.ok ? r : err(`failed to execute template: ${r.error.message}`);
}

/** renderSPIFFEID: parse the rendered text and require the controller's trust domain. */
function renderSpiffeId(t: GoTemplate, data: ReturnType<typeof templateData>, trustDomain: string): Result<string, string> {
  const rendered = renderTemplate(t, data);
  if (!rendered.ok) return rendered;
  const id = parseSpiffeId(rendered.value);
  if (!id.ok) return err(`invalid SPIFFE ID: ${id.error.message}`);
  if (id.value.trustDomain.name !== trustDomain) return err(`invalid SPIFFE ID: expected trust domain ${JSON.stringify(trustDomain)} but got ${JSON.stringify(id.value.trustDomain.name)}`);
  return ok(id.value.toString());
}

/** The Endpoints objects that list the pod (ready or not) by targetRef (scm pod_controller.go index). */
export function endpointsListingPod(endpoints: readonly KubeObject[], podUid: string): KubeObject[] {
  return endpoints.filter((ep) => {
    const subsets = (ep as { subsets?: { addresses?: { targetRef?: { kind?: string; uid?: string } }[]; notReadyAddresses?: { targetRef?: { kind?: string; uid?: string } }[] }[] }).subsets ?? [];
    return subsets.some((s) => [...(s.addresses ?? []), ...(s.notReadyAddresses ?? [])].some((a) => a.targetRef?.kind === 'Pod' && a.targetRef.uid === podUid));
  });
}

/** dnsNamesFromEndpoints: `svc`, `svc.ns`, `svc.ns.svc` (+ `.clusterDomain`), sorted. */
function dnsNamesFromEndpoints(endpoints: readonly KubeObject[], clusterDomain: string): string[] {
  const out: string[] = [];
  for (const ep of endpoints) {
    const n = ep.metadata.name;
    const ns = ep.metadata.namespace ?? '';
    out.push(n, `${n}.${ns}`, `${n}.${ns}.svc`);
    if (clusterDomain !== '') out.push(`${n}.${ns}.svc.${clusterDomain}`);
  }
  return out.sort();
}

export interface PodRenderInput {
  readonly pod: KubeObject;
  /** undefined when `pod.spec.nodeName` names no Node (or the pod is unscheduled). */
  readonly node: KubeObject | undefined;
  /** Endpoints in the pod's namespace (only read with autoPopulateDNSNames). */
  readonly endpoints?: readonly KubeObject[];
}

/** One pod → one entry, or the render failure the controller logs and counts. */
export function renderPodEntry(spec: ParsedClusterSpiffeIdSpec, input: PodRenderInput, ctx: RenderContext): Result<EntryInput, RenderError> {
  const { pod, node } = input;
  const nodeName = ((pod as { spec?: { nodeName?: string } }).spec?.nodeName ?? '') as string;
  if (!node) return renderFail(`node ${nodeName} not found in cache`);
  const base = { trustDomain: ctx.trustDomain, clusterName: ctx.clusterName, clusterDomain: ctx.clusterDomain, node };
  const parentId = renderSpiffeId(ctx.parentIdTemplate, templateData(base), ctx.trustDomain);
  if (!parentId.ok) return renderFail(`failed to render parent ID: ${parentId.error}`);
  const data = templateData({ ...base, pod });
  const spiffeId = renderSpiffeId(spec.spiffeIdTemplate, data, ctx.trustDomain);
  if (!spiffeId.ok) return renderFail(`failed to render SPIFFE ID: ${spiffeId.error}`);
  const dnsNames: string[] = [];
  const seen = new Set<string>();
  const add = (n: string) => {
    if (!seen.has(n)) {
      seen.add(n);
      dnsNames.push(n);
    }
  };
  for (const t of spec.dnsNameTemplates) {
    const r = renderTemplate(t, data);
    if (!r.ok) return renderFail(`failed to render DNS name: ${r.error}`);
    add(r.value);
  }
  if (spec.autoPopulateDnsNames) for (const n of dnsNamesFromEndpoints(endpointsListingPod(input.endpoints ?? [], pod.metadata.uid), ctx.clusterDomain)) add(n);
  const selectors: Selector[] = [{ type: 'k8s', value: `pod-uid:${pod.metadata.uid}` }];
  for (const t of spec.workloadSelectorTemplates) {
    const r = renderTemplate(t, data);
    if (!r.ok) return renderFail(`failed to render workload selector: ${r.error}`);
    const s = parseEntrySelector(r.value);
    if (!s.ok) return renderFail(`failed to render workload selector: invalid workload selector ${JSON.stringify(r.value)}: ${s.error}`);
    selectors.push(s.value);
  }
  return ok({
    spiffeId: spiffeId.value,
    parentId: parentId.value,
    selectors,
    x509SvidTtl: spec.ttlSeconds,
    jwtSvidTtl: spec.jwtTtlSeconds,
    federatesWith: spec.federatesWith,
    dnsNames,
    hint: spec.hint,
    admin: spec.admin,
    downstream: spec.downstream,
    storeSvid: false,
  });
}
