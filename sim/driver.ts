/**
 * The Driver seam (DESIGN.md seam 4 and 5): everything the browser lab shows or does goes through
 * this interface, so the same UI runs the engine in the page (`SimDriver` directly) or behind the
 * express + ws server (the server holds a `SimDriver`, the page a ws client speaking the same methods).
 * Every value crossing it is plain JSON (no classes, Maps, bigints or byte arrays), so it crosses a
 * socket unchanged. Every method is async for the same reason.
 *
 * The player model: a loaded scenario variant is a list of planned steps (base steps, then the fix's
 * steps in the fixed variant). Position 0 = the clusters' initial manifests applied; position n = n
 * steps done; position `total` = every step done and the expectations checked. Moving forward
 * continues the live run; moving back replays from the start with the same seed (deterministic:
 * same names, addresses, serials and event order), so scrubbing never shows a state that a run
 * from scratch would not reach.
 */
import type { CausalChain, ObjectRef } from './core/causal.ts';
import type { Severity } from './analyze/types.ts';
import type { CallTrace } from './envoy/call.ts';

export type Variant = 'broken' | 'fixed';
export type Health = 'healthy' | 'warning' | 'failing' | 'pending' | 'unknown';

// ---------------------------------------------------------------- scenarios

export interface ScenarioInfo {
  /** Repo-relative path, `scenarios/catalogue/m04-remote-secret-missing.yaml`: the id `load` takes. */
  readonly file: string;
  readonly id: string;
  readonly title: string;
  /** Catalogue row (`M04`, `S08`, `F07`), when the scenario is one. */
  readonly catalogue?: string;
  readonly level?: string;
  readonly tags: readonly string[];
  readonly description?: string;
  readonly explanation?: string;
  readonly hints: readonly string[];
  /** `broken` always; `fixed` when the scenario has a fix. */
  readonly variants: readonly Variant[];
  readonly fixDescription?: string;
  /** The declared cause (the object and field a trainee should find). */
  readonly cause?: { readonly cluster?: string; readonly kind: string; readonly namespace?: string; readonly name: string; readonly field: string; readonly reason?: string };
  readonly clusters: readonly { readonly name: string; readonly trustDomain: string; readonly network?: string; readonly platform: string }[];
}

export interface LoadRequest {
  readonly file: string;
  readonly variant?: Variant;
  readonly seed?: number;
  /** Where to stop after loading (default 0: initial manifests applied; use `total` via playTo({ end: true })). */
  readonly position?: number;
}

// ---------------------------------------------------------------- player

export interface StepOutcomeView {
  readonly ok: boolean;
  readonly message?: string;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly exitCode?: number;
  readonly chain?: CausalChain;
}

export interface StepInfo {
  /** 1-based: the position the player is at once this step is done. */
  readonly position: number;
  /** YAML path (`steps[3]`, `fix.steps[0]`) and line in the scenario file. */
  readonly at: string;
  readonly file: string;
  readonly line?: number;
  readonly type: string;
  /** The step's name, or a one-line description (`advance 30s`, `$ kubectl …`). */
  readonly label: string;
  /** Virtual time (ms since the epoch) before and after the step, once the player has been there. */
  readonly startTime?: number;
  readonly endTime?: number;
  /** A jump of the virtual clock (advance steps, CA rotations), for the timeline to mark. */
  readonly timeJump?: { readonly ms: number; readonly text: string };
  /** Set once the step has run in this load (kept across replays: runs are deterministic). */
  readonly outcome?: StepOutcomeView;
}

export interface ExpectationInfo {
  readonly at: string;
  readonly line?: number;
  readonly ok: boolean;
  readonly message: string;
  readonly chain?: CausalChain;
}

export interface PlayerState {
  /** Increments on every (re)load or replay from scratch: events and calls of an older run are void. */
  readonly run: number;
  readonly scenario?: ScenarioInfo;
  readonly variant: Variant;
  readonly seed: number;
  /** 0 … total (see the module comment). */
  readonly position: number;
  readonly total: number;
  /** Virtual now, ms since the epoch. */
  readonly time: number;
  readonly startTime: number;
  readonly steps: readonly StepInfo[];
  /** Initial manifests applied at position 0 (one per cluster manifest), with their outcome. */
  readonly setup: readonly StepInfo[];
  /** Checked at position `total`. */
  readonly expectations?: readonly ExpectationInfo[];
  /** Whether every step and expectation held (at `total` only). */
  readonly ok?: boolean;
  /** Files the user has edited in this session (repo-relative paths). */
  readonly edited: readonly string[];
  /** A load or parse problem (the scenario does not load with the current edits). */
  readonly error?: string;
}

export type PlayTarget = { readonly position: number } | { readonly time: number } | { readonly end: true } | { readonly next: true };

// ---------------------------------------------------------------- snapshot (the topology)

export type ComponentKind = 'spire-server' | 'spire-agent' | 'controller-manager' | 'csi-driver' | 'oidc' | 'istiod' | 'gateway' | 'workload';

export interface NodeView {
  /** `node:<cluster>/<name>` */
  readonly id: string;
  readonly cluster: string;
  readonly name: string;
  readonly ready: boolean;
}

export interface SidecarView {
  readonly type: 'sidecar' | 'router';
  /** Native sidecar (init container with restartPolicy Always) or a classic container. */
  readonly native: boolean;
  readonly ready: boolean;
  /** Who serves its SDS secrets: the SPIRE agent, pilot-agent with istiod's CA, or nobody yet. */
  readonly provider: 'spire' | 'istiod' | 'none';
  readonly spiffeId?: string;
  readonly health: Health;
}

export interface PodView {
  /** `pod:<cluster>/<namespace>/<name>` */
  readonly id: string;
  readonly cluster: string;
  readonly namespace: string;
  readonly name: string;
  readonly node?: string;
  readonly ip?: string;
  readonly phase: string;
  /** `Running`, `CrashLoopBackOff`, `Init:0/1`… as `kubectl get pods` prints STATUS. */
  readonly status: string;
  readonly ready: boolean;
  readonly kind: ComponentKind;
  /** The `app` label (or the owner's name), for grouping. */
  readonly app: string;
  readonly sidecar?: SidecarView;
  readonly health: Health;
}

export type LinkKind = 'federation' | 'sds' | 'xds' | 'traffic' | 'discovery';

export interface LinkView {
  readonly id: string;
  readonly kind: LinkKind;
  /** Node ids: `pod:…`, `cluster:<name>`. */
  readonly from: string;
  readonly to: string;
  readonly health: Health;
  readonly label: string;
  readonly detail?: string;
}

export interface ClusterView {
  /** `cluster:<name>` */
  readonly id: string;
  readonly name: string;
  readonly trustDomain: string;
  readonly network?: string;
  readonly platform: string;
  readonly nodes: readonly NodeView[];
  readonly pods: readonly PodView[];
}

export interface Snapshot {
  readonly run: number;
  readonly position: number;
  readonly time: number;
  readonly clusters: readonly ClusterView[];
  readonly links: readonly LinkView[];
  /** Number of events so far (the next event's seq). */
  readonly eventCount: number;
}

// ---------------------------------------------------------------- events and calls

export interface EventView {
  readonly seq: number;
  readonly time: number;
  readonly type: string;
  readonly source: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** A request through the mesh (a curl from a pod), with every stage (envoy/call.ts CallTrace as JSON). */
export interface CallView {
  /** Index in this run (stable across replays of the same run). */
  readonly index: number;
  readonly time: number;
  /** Seq of the `mesh.call` event it produced. */
  readonly seq: number;
  readonly client: { readonly cluster: string; readonly namespace: string; readonly pod: string };
  readonly ok: boolean;
  readonly trace: CallTrace;
  /** The pod id it reached (served by, or the last attempt's endpoint), for the topology. */
  readonly target?: string;
}

// ---------------------------------------------------------------- inspectors

export type InspectTarget =
  | { readonly type: 'object'; readonly cluster: string; readonly kind: string; readonly namespace?: string; readonly name: string }
  | { readonly type: 'certificate'; readonly pem: string; readonly cluster?: string }
  | { readonly type: 'spire-server'; readonly cluster: string }
  | { readonly type: 'proxy'; readonly cluster: string; readonly namespace: string; readonly pod: string };

export interface CertificateView {
  readonly pem: string;
  readonly subject: string;
  readonly issuer: string;
  readonly serial: string;
  readonly notBefore: string;
  readonly notAfter: string;
  readonly spiffeId?: string;
  readonly uris: readonly string[];
  readonly dnsNames: readonly string[];
  readonly isCa: boolean;
  /** At the virtual now. */
  readonly validity: 'valid' | 'expired' | 'not-yet-valid';
  readonly subjectKeyId?: string;
  readonly authorityKeyId?: string;
  /** The bundle holding the root that verifies it, when found (trust domain and where that bundle lives). */
  readonly verifiedBy?: { readonly trustDomain: string; readonly source: string; readonly rootSubject: string };
}

export interface ObjectInspection {
  readonly type: 'object';
  readonly ref: ObjectRef;
  readonly yaml: string;
  readonly found: boolean;
}

export interface CertificateInspection {
  readonly type: 'certificate';
  readonly chain: readonly CertificateView[];
  readonly error?: string;
}

export interface SpireServerInspection {
  readonly type: 'spire-server';
  readonly cluster: string;
  readonly serving: boolean;
  readonly trustDomain?: string;
  readonly entries: readonly { readonly id: string; readonly spiffeId: string; readonly parentId: string; readonly selectors: readonly string[]; readonly federatesWith: readonly string[]; readonly dnsNames: readonly string[]; readonly x509SvidTtl: number }[];
  readonly bundles: readonly { readonly trustDomain: string; readonly sequenceNumber: number; readonly refreshHint: number; readonly authorities: readonly CertificateView[] }[];
  readonly federation: readonly { readonly trustDomain: string; readonly bundleEndpointUrl: string; readonly profile: string; readonly nextRefreshAt?: number; readonly lastRefresh?: { readonly time: number; readonly ok: boolean; readonly error?: string } }[];
}

export interface ProxyInspection {
  readonly type: 'proxy';
  readonly cluster: string;
  readonly namespace: string;
  readonly pod: string;
  readonly proxyType: 'sidecar' | 'router';
  readonly ready: boolean;
  readonly notReadyReason?: string;
  readonly provider: 'spire' | 'istiod' | 'none';
  readonly warming: readonly string[];
  readonly default?: { readonly chain: readonly CertificateView[]; readonly lastUpdated: number; readonly version: string };
  readonly rootCa?: { readonly kind: 'spiffe' | 'trusted-ca'; readonly trustDomains: readonly { readonly trustDomain: string; readonly roots: readonly CertificateView[] }[]; readonly lastUpdated: number; readonly version: string };
}

export type Inspection = ObjectInspection | CertificateInspection | SpireServerInspection | ProxyInspection | { readonly type: 'error'; readonly message: string };

// ---------------------------------------------------------------- terminal

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

// ---------------------------------------------------------------- manifests and diagnostics

export interface Diagnostic {
  readonly file: string;
  readonly line: number;
  readonly column?: number;
  readonly severity: Severity;
  /** `FL0001` (analyze), `kube/yaml-syntax`, `scenario/invalid`, `apply`… */
  readonly code: string;
  readonly message: string;
  readonly source: 'loader' | 'analyze' | 'apply';
}

export interface ManifestFile {
  /** Repo-relative path (the key for `setManifests`). */
  readonly path: string;
  /** The cluster it is applied to, `workstation` for workspace files, `scenario` for the scenario file itself. */
  readonly cluster: string;
  /** How it is used: initial cluster manifest, an apply step, a workspace file, the scenario. */
  readonly role: 'cluster' | 'step' | 'workspace' | 'scenario';
  readonly text: string;
  readonly edited: boolean;
}

export interface ManifestSet {
  readonly files: readonly ManifestFile[];
  readonly diagnostics: readonly Diagnostic[];
}

/** File edits: new text, or null to drop an edit (back to the shipped file). */
export type FileEdits = Readonly<Record<string, string | null>>;

export interface WhatIfResult {
  readonly before: { readonly ok: boolean; readonly passed: number; readonly total: number };
  readonly after: { readonly ok: boolean; readonly passed: number; readonly total: number };
  readonly expectations: readonly { readonly at: string; readonly line?: number; readonly before?: { readonly ok: boolean; readonly message: string }; readonly after?: { readonly ok: boolean; readonly message: string }; readonly changed: boolean; readonly why?: CausalChain }[];
  readonly calls: readonly { readonly index: number; readonly client: string; readonly request: string; readonly before?: { readonly status: number; readonly servedBy?: string }; readonly after?: { readonly status: number; readonly servedBy?: string }; readonly changed: boolean }[];
  readonly diagnostics: readonly Diagnostic[];
  readonly error?: string;
}

/** Training's grade: the loaded variant played with the edits, judged by (usually) the fixed variant's expectations. */
export interface CheckResult {
  readonly ok: boolean;
  readonly passed: number;
  readonly total: number;
  readonly expectations: readonly ExpectationInfo[];
  readonly error?: string;
}

// ---------------------------------------------------------------- the seam

/** Pushed to subscribers (and over ws) whenever the run moves. */
export type DriverPush = { readonly type: 'state'; readonly state: PlayerState } | { readonly type: 'events'; readonly run: number; readonly events: readonly EventView[] } | { readonly type: 'snapshot'; readonly snapshot: Snapshot };

export interface Driver {
  /**
   * The catalogue and the other scenarios, sorted by file. A light pass (driver/listing.ts): description,
   * explanation, fixDescription and cause come with `load` (`PlayerState.scenario`).
   */
  scenarios(): Promise<readonly ScenarioInfo[]>;
  load(req: LoadRequest): Promise<PlayerState>;
  state(): Promise<PlayerState>;
  /** Move the player: forward continues the live run, backward replays from the start. */
  playTo(target: PlayTarget): Promise<PlayerState>;
  snapshot(): Promise<Snapshot>;
  /** Events of the current run with seq ≥ `since` (default 0). */
  events(since?: number): Promise<readonly EventView[]>;
  calls(since?: number): Promise<readonly CallView[]>;
  inspect(target: InspectTarget): Promise<Inspection>;
  /** A command line on the workstation shell (kubectl/istioctl/curl…), against `cluster`'s context when given. Its effects last until the next replay. */
  exec(cluster: string | undefined, commandLine: string): Promise<ExecResult>;
  manifests(): Promise<ManifestSet>;
  /** Edits files, reloads the scenario and replays to the current position; returns the new files and diagnostics. */
  setManifests(edits: FileEdits): Promise<ManifestSet>;
  /** Plays both variants of the files (current vs with `edits`) to the end and reports what changed. Leaves the session untouched. */
  whatIf(edits: FileEdits): Promise<WhatIfResult>;
  /** Training: plays the loaded variant with the session's edits plus `edits` to the end and checks `expectationsOf`'s expectations (default fixed: a trainee on the broken variant passes when the fixed variant's expectations hold on their edited world). Leaves the session untouched. */
  check(edits: FileEdits, expectationsOf?: Variant): Promise<CheckResult>;
  subscribe(listener: (msg: DriverPush) => void): () => void;
  dispose(): void;
}

/** Every method name, for protocol validation (server) and the remote client (ui). */
export const DRIVER_METHODS = ['scenarios', 'load', 'state', 'playTo', 'snapshot', 'events', 'calls', 'inspect', 'exec', 'manifests', 'setManifests', 'whatIf', 'check'] as const;
export type DriverMethod = (typeof DRIVER_METHODS)[number];

/** Where a driver reads scenario files: repo-relative paths with `/`. */
export interface FileSource {
  /** Every file under `scenarios/` (and any other scenario the host adds). */
  list(): readonly string[];
  read(path: string): string | undefined;
}

export { SimDriver, type SimDriverOptions, type AnalyzeHook } from './driver/simDriver.ts';
