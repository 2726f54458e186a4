/**
 * Scenario format v1 (`apiVersion: fedlab.dev/v1`, `kind: Scenario`) — the project's contract with its
 * users, documented in docs/scenario-format.md. This file holds the types and the validator: every
 * problem is reported as `file:line: field: reason`, all problems at once, never a stack trace.
 */
import { err, ok, simError, type Result, type SimError } from '../core/result.ts';
import { parseDuration } from '../core/duration.ts';
import { GUIDE_CLAIMS, isGuideClaim } from './claims.ts';
import { NORMALIZER_NAMES as NORMALIZERS, type NormalizerName as Normalizer } from '../core/match.ts';
import { formatLocation, joinFieldPath, parseYamlDocuments, type PathSegment, type YamlDocument } from '../kube/yaml.ts';
import { PLATFORMS, PROFILES, type ClusterSpec, type ManifestPatch, type ManifestSource, type NodeSpec, type Versions } from '../world/spec.ts';
import { dirOf, joinRelative } from '../core/paths.ts';

export { PLATFORMS, PROFILES, type ClusterSpec, type ManifestPatch, type ManifestSource, type NodeSpec, type Versions };

export const SCENARIO_API_VERSION = 'fedlab.dev/v1';

export type Variant = 'broken' | 'fixed';
export type When = Variant | 'both';
export const LEVELS = ['beginner', 'intermediate', 'advanced'] as const;
export const PATCH_TYPES = ['strategic', 'merge', 'json'] as const;

export interface ObjectSelector {
  readonly cluster?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
}

export interface TextMatcher {
  readonly equals?: string;
  readonly contains?: readonly string[];
  readonly notContains?: readonly string[];
  readonly matches?: string;
  /** Partial match against the output parsed as JSON or YAML. */
  readonly json?: unknown;
  readonly normalize?: readonly Normalizer[];
}

export interface CommandExpect {
  readonly exitCode?: number;
  readonly stdout?: TextMatcher;
  readonly stderr?: TextMatcher;
}

/**
 * A seed walkthrough's comparison (`seed:` on a step): what the user's guide prints after the command,
 * the normalizers that make it comparable, and the guide claim (G-id) that explains a difference.
 */
export interface SeedCheck {
  /** The output the guide shows, verbatim. */
  readonly shows?: string;
  readonly normalize: readonly Normalizer[];
  /** A guide claim (claims.ts) explaining why the lab's output differs; the output must then differ. */
  readonly differs?: string;
  readonly note?: string;
}

interface StepBase {
  readonly name?: string;
  readonly when: When;
  readonly seed?: SeedCheck;
  /** The YAML path of the step, for messages (`steps[3]`). */
  readonly at: string;
  readonly line?: number;
}

export type StepAction =
  | { readonly type: 'apply'; readonly cluster?: string; readonly source: ManifestSource }
  | { readonly type: 'patch'; readonly target: ObjectSelector; readonly patchType: (typeof PATCH_TYPES)[number]; readonly patch: string }
  | { readonly type: 'delete'; readonly target: ObjectSelector }
  | { readonly type: 'advance'; readonly ms: number; readonly text: string }
  | { readonly type: 'restart'; readonly target: ObjectSelector }
  | { readonly type: 'stop' | 'start'; readonly cluster: string; readonly component: string }
  | { readonly type: 'partition' | 'heal'; readonly between: readonly [string, string] }
  | { readonly type: 'dnsFailure'; readonly cluster: string; readonly host: string; readonly heal: boolean }
  | { readonly type: 'rotateCA'; readonly cluster: string }
  | { readonly type: 'run'; readonly cluster?: string; readonly command: string; readonly stdin?: string; readonly capture?: string; readonly expect?: CommandExpect };

export type Step = StepBase & StepAction;

export type Expectation =
  | { readonly type: 'command'; readonly when: When; readonly at: string; readonly line?: number; readonly run: Extract<StepAction, { type: 'run' }>; readonly expect: CommandExpect }
  | { readonly type: 'object'; readonly when: When; readonly at: string; readonly line?: number; readonly target: ObjectSelector; readonly absent: boolean; readonly matches?: unknown }
  | { readonly type: 'event'; readonly when: When; readonly at: string; readonly line?: number; readonly eventType: string; readonly source?: string; readonly data?: unknown; readonly count?: number; readonly absent: boolean };

export interface Cause {
  readonly cluster?: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly field: string;
  readonly reason?: string;
}

export interface Fix {
  readonly description?: string;
  /** Steps run after the base steps in the fixed variant. */
  readonly steps: readonly Step[];
  /** Patches applied to the clusters' initial manifests before anything runs (the "smallest correction"). */
  readonly patches: readonly ManifestPatch[];
}

export interface Scenario {
  readonly file: string;
  readonly id: string;
  readonly title: string;
  readonly catalogue?: string;
  readonly level?: (typeof LEVELS)[number];
  readonly tags: readonly string[];
  readonly description?: string;
  readonly seed?: number;
  readonly clusters: readonly ClusterSpec[];
  readonly steps: readonly Step[];
  readonly expect: readonly Expectation[];
  readonly explanation?: string;
  readonly hints: readonly string[];
  readonly cause?: Cause;
  readonly fix?: Fix;
  /** Guide claims (G01…) this scenario answers, with an optional note on where it shows. */
  readonly claims: readonly { readonly id: string; readonly note?: string }[];
  /** Files on the trainee's workstation before the first step (a checkout of the guide's repository), by path relative to the home directory. */
  readonly workspace: readonly { readonly path: string; readonly file: string }[];
}

export type ScenarioError = SimError<'scenario/invalid' | 'kube/yaml-syntax' | 'kube/yaml-duplicate-key' | 'kube/yaml-tab' | 'kube/yaml-not-a-mapping'>;

// ---------------------------------------------------------------- validation

type Path = readonly PathSegment[];

class Checker {
  readonly problems: { line?: number; field: string; reason: string }[] = [];
  constructor(private readonly doc: YamlDocument) {}

  fail(path: Path, reason: string): undefined {
    const { position } = this.doc.locate(path);
    this.problems.push({ line: position.line, field: joinFieldPath(path) || '<root>', reason });
    return undefined;
  }

  line(path: Path): number | undefined {
    return this.doc.locate(path).position.line;
  }

  obj(v: unknown, path: Path, allowed: readonly string[]): Record<string, unknown> | undefined {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return this.fail(path, `must be a mapping, got ${describe(v)}`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!allowed.includes(k)) this.fail([...path, k], `unknown field (allowed: ${allowed.join(', ')})`);
    return o;
  }

  str(o: Record<string, unknown>, key: string, path: Path, required: boolean, pattern?: RegExp, patternText?: string): string | undefined {
    const v = o[key];
    if (v === undefined || v === null) return required ? this.fail([...path, key], 'required field is missing') : undefined;
    if (typeof v !== 'string' && typeof v !== 'number') return this.fail([...path, key], `must be a string, got ${describe(v)}`);
    const s = String(v);
    if (pattern && !pattern.test(s)) return this.fail([...path, key], `${JSON.stringify(s)} ${patternText ?? `must match ${pattern}`}`);
    return s;
  }

  oneOf<T extends string>(o: Record<string, unknown>, key: string, path: Path, values: readonly T[], fallback?: T): T | undefined {
    const v = o[key];
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !values.includes(v as T)) return this.fail([...path, key], `unsupported value ${JSON.stringify(v)}: supported values: ${values.map((x) => JSON.stringify(x)).join(', ')}`);
    return v as T;
  }

  list(o: Record<string, unknown>, key: string, path: Path, required = false): unknown[] {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) this.fail([...path, key], 'required field is missing');
      return [];
    }
    if (!Array.isArray(v)) {
      this.fail([...path, key], `must be a list, got ${describe(v)}`);
      return [];
    }
    return v;
  }

  strings(o: Record<string, unknown>, key: string, path: Path): string[] {
    return this.list(o, key, path).flatMap((v, i) => (typeof v === 'string' ? [v] : (this.fail([...path, key, i], `must be a string, got ${describe(v)}`), [])));
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const NAME_TEXT = 'must be a lowercase RFC 1123 label (a-z, 0-9, "-")';
const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const CAPTURE = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkVersions(c: Checker, v: unknown, path: Path): Versions {
  if (v === undefined) return {};
  const o = c.obj(v, path, ['kubernetes', 'spire', 'ztwim', 'istio', 'ossm']);
  if (!o) return {};
  const out: Record<string, string> = {};
  for (const k of ['kubernetes', 'spire', 'ztwim', 'istio', 'ossm']) {
    const s = c.str(o, k, path, false, /^v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$/, 'is not a version (e.g. 1.27 or 1.27.3)');
    if (s !== undefined) out[k] = s.replace(/^v/, '');
  }
  return out;
}

function checkSource(c: Checker, o: Record<string, unknown>, path: Path): ManifestSource | undefined {
  const file = c.str(o, 'file', path, false);
  const inline = c.str(o, 'inline', path, false);
  if ((file === undefined) === (inline === undefined)) return c.fail(path, 'needs exactly one of "file" or "inline"');
  const patches = c.list(o, 'patches', path).flatMap((v, i) => checkManifestPatch(c, v, [...path, 'patches', i], false) ?? []);
  return { ...(file !== undefined ? { file } : { inline: inline! }), ...(patches.length > 0 ? { patches } : {}) };
}

const MANIFEST_PATCH_TYPES = ['strategic', 'merge', 'json', 'text'] as const;

/** A patch on an initial manifest: `cluster` only where the scenario says which cluster's manifests. */
function checkManifestPatch(c: Checker, v: unknown, path: Path, withCluster: boolean): ManifestPatch | undefined {
  const o = c.obj(v, path, [...(withCluster ? ['cluster'] : []), 'kind', 'name', 'namespace', 'type', 'patch', 'field', 'replace']);
  if (!o) return undefined;
  const sel = checkSelector(c, o, path);
  const type = c.oneOf(o, 'type', path, MANIFEST_PATCH_TYPES, 'strategic');
  if (!sel || !type) return undefined;
  const at = joinFieldPath(path);
  if (type === 'text') {
    const field = c.str(o, 'field', path, true);
    const replace = c.list(o, 'replace', path, true).flatMap((r, i) => {
      const ro = c.obj(r, [...path, 'replace', i], ['from', 'to']);
      const from = ro && c.str(ro, 'from', [...path, 'replace', i], true);
      const to = ro && c.str(ro, 'to', [...path, 'replace', i], true);
      return from !== undefined && from !== '' && to !== undefined ? [{ from, to }] : [];
    });
    if (o.patch !== undefined) c.fail([...path, 'patch'], 'a text patch uses "field" and "replace", not "patch"');
    return field ? { ...sel, type, field, replace, at } : undefined;
  }
  if (o.patch === undefined) return c.fail([...path, 'patch'], 'required field is missing');
  return { ...sel, type, patch: typeof o.patch === 'string' ? o.patch : JSON.stringify(o.patch), at };
}

function checkSelector(c: Checker, o: Record<string, unknown>, path: Path): ObjectSelector | undefined {
  const kind = c.str(o, 'kind', path, true);
  const name = c.str(o, 'name', path, true);
  if (kind === undefined || name === undefined) return undefined;
  const cluster = c.str(o, 'cluster', path, false);
  const namespace = c.str(o, 'namespace', path, false);
  return { kind, name, ...(cluster !== undefined ? { cluster } : {}), ...(namespace !== undefined ? { namespace } : {}) };
}

function checkMatcher(c: Checker, v: unknown, path: Path): TextMatcher | undefined {
  if (typeof v === 'string') return { equals: v };
  const o = c.obj(v, path, ['equals', 'contains', 'notContains', 'matches', 'json', 'normalize']);
  if (!o) return undefined;
  const m: { -readonly [K in keyof TextMatcher]: TextMatcher[K] } = {};
  const equals = c.str(o, 'equals', path, false);
  if (equals !== undefined) m.equals = equals;
  if (o.contains !== undefined) m.contains = typeof o.contains === 'string' ? [o.contains] : c.strings(o, 'contains', path);
  if (o.notContains !== undefined) m.notContains = typeof o.notContains === 'string' ? [o.notContains] : c.strings(o, 'notContains', path);
  const matches = c.str(o, 'matches', path, false);
  if (matches !== undefined) {
    try {
      new RegExp(matches, 'm');
      m.matches = matches;
    } catch (e) {
      c.fail([...path, 'matches'], `not a valid regular expression: ${(e as Error).message}`);
    }
  }
  if (o.json !== undefined) m.json = o.json;
  if (o.normalize !== undefined) {
    const list = c.strings(o, 'normalize', path);
    list.forEach((n, i) => {
      if (!(NORMALIZERS as readonly string[]).includes(n)) c.fail([...path, 'normalize', i], `unsupported value ${JSON.stringify(n)}: supported values: ${NORMALIZERS.join(', ')}`);
    });
    m.normalize = list.filter((n): n is Normalizer => (NORMALIZERS as readonly string[]).includes(n));
  }
  return m;
}

function checkCommandExpect(c: Checker, v: unknown, path: Path): CommandExpect | undefined {
  const o = c.obj(v, path, ['exitCode', 'stdout', 'stderr']);
  if (!o) return undefined;
  const out: { exitCode?: number; stdout?: TextMatcher; stderr?: TextMatcher } = {};
  if (o.exitCode !== undefined) {
    if (!Number.isInteger(o.exitCode) || (o.exitCode as number) < 0 || (o.exitCode as number) > 255) c.fail([...path, 'exitCode'], 'must be a whole number from 0 to 255');
    else out.exitCode = o.exitCode as number;
  }
  for (const k of ['stdout', 'stderr'] as const) {
    if (o[k] !== undefined) {
      const m = checkMatcher(c, o[k], [...path, k]);
      if (m) out[k] = m;
    }
  }
  return out;
}

function checkRun(c: Checker, v: unknown, path: Path): Extract<StepAction, { type: 'run' }> | undefined {
  const o = typeof v === 'string' ? { command: v } : c.obj(v, path, ['cluster', 'command', 'stdin', 'capture', 'expect']);
  if (!o) return undefined;
  const command = c.str(o, 'command', path, true);
  if (command === undefined) return undefined;
  const cluster = c.str(o, 'cluster', path, false);
  const stdin = c.str(o, 'stdin', path, false);
  const capture = c.str(o, 'capture', path, false, CAPTURE, 'must be an identifier (letters, digits, _)');
  const expect = o.expect !== undefined ? checkCommandExpect(c, o.expect, [...path, 'expect']) : undefined;
  return {
    type: 'run',
    command,
    ...(cluster !== undefined ? { cluster } : {}),
    ...(stdin !== undefined ? { stdin } : {}),
    ...(capture !== undefined ? { capture } : {}),
    ...(expect ? { expect } : {}),
  };
}

const STEP_KINDS = ['apply', 'patch', 'delete', 'advance', 'restart', 'stop', 'start', 'partition', 'heal', 'dnsFailure', 'rotateCA', 'run'] as const;

function checkPatch(c: Checker, o: Record<string, unknown>, path: Path): Extract<StepAction, { type: 'patch' }> | undefined {
  const target = checkSelector(c, o, path);
  const patchType = c.oneOf(o, 'type', path, PATCH_TYPES, 'strategic');
  const raw = o.patch;
  if (raw === undefined) return c.fail([...path, 'patch'], 'required field is missing');
  const patch = typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (!target || !patchType) return undefined;
  return { type: 'patch', target, patchType, patch };
}

function checkSeed(c: Checker, v: unknown, path: Path): SeedCheck | undefined {
  const o = c.obj(v, path, ['shows', 'normalize', 'differs', 'note']);
  if (!o) return undefined;
  const shows = c.str(o, 'shows', path, false);
  const note = c.str(o, 'note', path, false);
  const differs = c.str(o, 'differs', path, false);
  if (differs !== undefined && !isGuideClaim(differs)) c.fail([...path, 'differs'], `unknown guide claim ${JSON.stringify(differs)} (known: ${Object.keys(GUIDE_CLAIMS).join(', ')})`);
  const list = c.strings(o, 'normalize', path);
  list.forEach((n, i) => {
    if (!(NORMALIZERS as readonly string[]).includes(n)) c.fail([...path, 'normalize', i], `unsupported value ${JSON.stringify(n)}: supported values: ${NORMALIZERS.join(', ')}`);
  });
  const normalize = list.filter((n): n is Normalizer => (NORMALIZERS as readonly string[]).includes(n));
  return { normalize, ...(shows !== undefined ? { shows } : {}), ...(differs !== undefined && isGuideClaim(differs) ? { differs } : {}), ...(note !== undefined ? { note } : {}) };
}

function checkStep(c: Checker, v: unknown, path: Path): Step | undefined {
  const o = c.obj(v, path, ['name', 'when', 'seed', ...STEP_KINDS]);
  if (!o) return undefined;
  const kinds = STEP_KINDS.filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) return c.fail(path, kinds.length === 0 ? `a step needs one action: ${STEP_KINDS.join(', ')}` : `a step has exactly one action, found ${kinds.join(' and ')}`);
  const kind = kinds[0]!;
  const name = c.str(o, 'name', path, false);
  const when = c.oneOf(o, 'when', path, ['broken', 'fixed', 'both'] as const, 'both') ?? 'both';
  // Only a command prints what a guide shows.
  if (o.seed !== undefined && kind !== 'run') c.fail([...path, 'seed'], 'only a run step compares its output with the seed');
  const seed = o.seed !== undefined && kind === 'run' ? checkSeed(c, o.seed, [...path, 'seed']) : undefined;
  const base = { when, at: joinFieldPath(path), line: c.line(path), ...(name !== undefined ? { name } : {}), ...(seed ? { seed } : {}) };
  const p = [...path, kind];
  const body = o[kind];
  let action: StepAction | undefined;
  switch (kind) {
    case 'apply': {
      const a = c.obj(body, p, ['cluster', 'file', 'inline']);
      const source = a && checkSource(c, a, p);
      const cluster = a && c.str(a, 'cluster', p, false);
      if (source) action = { type: 'apply', source, ...(cluster !== undefined ? { cluster } : {}) };
      break;
    }
    case 'patch': {
      const a = c.obj(body, p, ['cluster', 'kind', 'name', 'namespace', 'type', 'patch']);
      action = a && checkPatch(c, a, p);
      break;
    }
    case 'delete':
    case 'restart': {
      const a = c.obj(body, p, ['cluster', 'kind', 'name', 'namespace']);
      const target = a && checkSelector(c, a, p);
      if (target) action = { type: kind, target };
      break;
    }
    case 'advance': {
      const text = typeof body === 'string' || typeof body === 'number' ? String(body) : undefined;
      const ms = text === undefined ? undefined : parseDuration(text);
      if (!ms?.ok || ms.value < 0) c.fail(p, `must be a duration like 30s, 5m or 24h${ms && !ms.ok ? ` (${ms.error.message})` : ''}`);
      else action = { type: 'advance', ms: ms.value, text: text! };
      break;
    }
    case 'stop':
    case 'start': {
      const a = c.obj(body, p, ['cluster', 'component']);
      const cluster = a && c.str(a, 'cluster', p, true);
      const component = a && c.str(a, 'component', p, true);
      if (cluster && component) action = { type: kind, cluster, component };
      break;
    }
    case 'partition':
    case 'heal': {
      const a = c.obj(body, p, ['between']);
      const between = a ? c.strings(a, 'between', p) : [];
      if (a && between.length !== 2) c.fail([...p, 'between'], 'must name exactly two clusters');
      else if (a) action = { type: kind, between: [between[0]!, between[1]!] };
      break;
    }
    case 'dnsFailure': {
      const a = c.obj(body, p, ['cluster', 'host', 'heal']);
      const cluster = a && c.str(a, 'cluster', p, true);
      const host = a && c.str(a, 'host', p, true);
      if (a && a.heal !== undefined && typeof a.heal !== 'boolean') c.fail([...p, 'heal'], 'must be true or false');
      if (cluster && host) action = { type: 'dnsFailure', cluster, host, heal: a?.heal === true };
      break;
    }
    case 'rotateCA': {
      const a = c.obj(body, p, ['cluster']);
      const cluster = a && c.str(a, 'cluster', p, true);
      if (cluster) action = { type: 'rotateCA', cluster };
      break;
    }
    case 'run':
      action = checkRun(c, body, p);
      break;
  }
  // A guide claim must be checked against something: the guide's output (which must then differ) or what
  // the lab really answers (an `expect`); otherwise the claim would only be a label.
  if (seed?.differs !== undefined && seed.shows === undefined && action?.type === 'run' && !action.expect)
    c.fail([...path, 'seed', 'differs'], 'a guide claim needs something to check: give `shows` (the guide\'s output, which must then differ) or an `expect` on the run (what the lab answers instead)');
  return action ? ({ ...base, ...action } as Step) : undefined;
}

function checkExpectation(c: Checker, v: unknown, path: Path): Expectation | undefined {
  const o = c.obj(v, path, ['when', 'command', 'object', 'event']);
  if (!o) return undefined;
  const kinds = (['command', 'object', 'event'] as const).filter((k) => o[k] !== undefined);
  if (kinds.length !== 1) return c.fail(path, 'an expectation has exactly one of: command, object, event');
  const when = c.oneOf(o, 'when', path, ['broken', 'fixed', 'both'] as const, 'both') ?? 'both';
  const base = { when, at: joinFieldPath(path), line: c.line(path) };
  const p = [...path, kinds[0]!];
  if (kinds[0] === 'command') {
    const a = c.obj(o.command, p, ['cluster', 'command', 'stdin', 'exitCode', 'stdout', 'stderr']);
    if (!a) return undefined;
    const { exitCode, stdout, stderr, ...runPart } = a;
    const run = checkRun(c, runPart, p);
    const expect = checkCommandExpect(c, { ...(exitCode !== undefined ? { exitCode } : {}), ...(stdout !== undefined ? { stdout } : {}), ...(stderr !== undefined ? { stderr } : {}) }, p);
    return run && expect ? { type: 'command', ...base, run, expect } : undefined;
  }
  if (kinds[0] === 'object') {
    const a = c.obj(o.object, p, ['cluster', 'kind', 'name', 'namespace', 'matches', 'absent']);
    const target = a && checkSelector(c, a, p);
    if (!a || !target) return undefined;
    if (a.absent !== undefined && typeof a.absent !== 'boolean') c.fail([...p, 'absent'], 'must be true or false');
    return { type: 'object', ...base, target, absent: a.absent === true, ...(a.matches !== undefined ? { matches: a.matches } : {}) };
  }
  const a = c.obj(o.event, p, ['type', 'source', 'data', 'count', 'absent']);
  const eventType = a && c.str(a, 'type', p, true);
  if (!a || !eventType) return undefined;
  if (a.count !== undefined && (!Number.isInteger(a.count) || (a.count as number) < 0)) c.fail([...p, 'count'], 'must be a whole number');
  const source = c.str(a, 'source', p, false);
  return {
    type: 'event',
    ...base,
    eventType,
    absent: a.absent === true,
    ...(source !== undefined ? { source } : {}),
    ...(a.data !== undefined ? { data: a.data } : {}),
    ...(a.count !== undefined ? { count: a.count as number } : {}),
  };
}

function checkCidr(c: Checker, o: Record<string, unknown>, key: string, path: Path, fallback: string): string {
  const s = c.str(o, key, path, false);
  if (s === undefined) return fallback;
  const m = CIDR.exec(s);
  if (!m || m.slice(1, 5).some((x) => Number(x) > 255) || Number(m[5]) > 30) {
    c.fail([...path, key], `${JSON.stringify(s)} is not an IPv4 CIDR like 10.10.0.0/16`);
    return fallback;
  }
  return s;
}

function checkCluster(c: Checker, v: unknown, path: Path, index: number, defaults: Versions): ClusterSpec | undefined {
  const o = c.obj(v, path, ['name', 'trustDomain', 'network', 'baseDomain', 'platform', 'profile', 'versions', 'nodes', 'podCIDR', 'serviceCIDR', 'manifests']);
  if (!o) return undefined;
  const name = c.str(o, 'name', path, true, NAME, NAME_TEXT);
  const trustDomain = c.str(o, 'trustDomain', path, true, /^[a-z0-9._-]+$/, 'is not a trust domain: characters are limited to lowercase letters, numbers, dots, dashes, and underscores');
  const network = c.str(o, 'network', path, false);
  const baseDomain = c.str(o, 'baseDomain', path, false, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$/, 'is not a DNS domain like west.example.com');
  const platform = c.oneOf(o, 'platform', path, PLATFORMS, 'kubernetes');
  const profile = c.oneOf(o, 'profile', path, PROFILES, 'plain');
  const versions = { ...defaults, ...checkVersions(c, o.versions, [...path, 'versions']) };
  let nodes: NodeSpec[] = [];
  if (o.nodes === undefined) nodes = [{ name: `${name ?? 'cluster'}-node-1` }];
  else if (typeof o.nodes === 'number') {
    if (!Number.isInteger(o.nodes) || o.nodes < 1 || o.nodes > 500) c.fail([...path, 'nodes'], 'must be a whole number from 1 to 500, or a list of nodes');
    else nodes = Array.from({ length: o.nodes }, (_, i) => ({ name: `${name ?? 'cluster'}-node-${i + 1}` }));
  } else {
    nodes = c.list(o, 'nodes', path).flatMap((n, i) => {
      const np = [...path, 'nodes', i];
      const no = c.obj(n, np, ['name', 'kubelet']);
      const nn = no && c.str(no, 'name', np, true, /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a DNS subdomain');
      const kubelet = no && c.str(no, 'kubelet', np, false, /^v?\d+\.\d+(\.\d+)?$/, 'is not a kubelet version like v1.33.2');
      return nn ? [{ name: nn, ...(kubelet ? { kubelet: kubelet.replace(/^v?/, 'v') } : {}) }] : [];
    });
  }
  const manifests = c.list(o, 'manifests', path).flatMap((m, i) => {
    const mp = [...path, 'manifests', i];
    if (typeof m === 'string') return [{ file: m }];
    const mo = c.obj(m, mp, ['file', 'inline', 'patches']);
    const src = mo && checkSource(c, mo, mp);
    return src ? [src] : [];
  });
  const podCIDR = checkCidr(c, o, 'podCIDR', path, `10.${(index * 2 + 10) % 250}.0.0/16`);
  const serviceCIDR = checkCidr(c, o, 'serviceCIDR', path, `172.${20 + (index % 10)}.0.0/16`);
  if (!name || !trustDomain || !platform || !profile) return undefined;
  return { name, trustDomain, ...(network !== undefined ? { network } : {}), ...(baseDomain !== undefined ? { baseDomain } : {}), platform, profile, versions, nodes, podCIDR, serviceCIDR, manifests };
}

function checkRefs(c: Checker, s: { clusters: readonly ClusterSpec[]; declared: readonly string[]; steps: readonly Step[]; fix?: Fix; cause?: Cause }): void {
  const names = new Set(s.declared);
  const seen = new Set<string>();
  s.clusters.forEach((cl, i) => {
    if (seen.has(cl.name)) c.fail(['clusters', i, 'name'], `duplicate cluster name ${JSON.stringify(cl.name)}`);
    seen.add(cl.name);
  });
  const checkCluster = (name: string | undefined, at: string) => {
    if (name !== undefined && !names.has(name)) c.fail([...splitAt(at), 'cluster'], `unknown cluster ${JSON.stringify(name)} (clusters: ${[...names].join(', ')})`);
  };
  const captures = new Set<string>();
  for (const step of [...s.steps, ...(s.fix?.steps ?? [])]) {
    if ('cluster' in step && typeof step.cluster === 'string') checkCluster(step.cluster, `${step.at}.${step.type}`);
    if ('target' in step) checkCluster(step.target.cluster, `${step.at}.${step.type}`);
    if (step.type === 'partition' || step.type === 'heal') step.between.forEach((b) => checkCluster(b, `${step.at}.${step.type}`));
    if (step.type === 'run' && step.capture) {
      if (captures.has(step.capture)) c.fail([...splitAt(step.at), 'run', 'capture'], `capture ${JSON.stringify(step.capture)} is already defined by an earlier step`);
      captures.add(step.capture);
    }
  }
  if (s.cause) checkCluster(s.cause.cluster, 'cause');
}

const splitAt = (at: string): PathSegment[] => at.split(/\.|\[(\d+)\]/).filter((x) => x !== undefined && x !== '').map((x) => (/^\d+$/.test(x) ? Number(x) : x));

/** A base scenario's clusters, steps and workspace, with its files made relative to the extending scenario. */
function rebase(base: Scenario, dir: string): Pick<Scenario, 'clusters' | 'steps' | 'workspace' | 'seed'> {
  const src = (m: ManifestSource): ManifestSource => ('file' in m ? { ...m, file: joinRelative(dir, m.file) } : m);
  return {
    clusters: base.clusters.map((c) => ({ ...c, manifests: c.manifests.map(src) })),
    steps: base.steps.map((st) => (st.type === 'apply' ? { ...st, source: src(st.source) } : st)),
    workspace: base.workspace.map((w) => ({ ...w, file: joinRelative(dir, w.file) })),
    ...(base.seed !== undefined ? { seed: base.seed } : {}),
  };
}

export interface ParseOptions {
  /** Reads a file relative to the scenario (for `extends`). */
  readonly readFile?: (path: string) => string | undefined;
  readonly depth?: number;
}

/** Parses and validates a scenario file's text. All problems are reported together. */
export function parseScenario(text: string, file: string, opts: ParseOptions = {}): Result<Scenario, ScenarioError> {
  const docs = parseYamlDocuments(text, file);
  if (!docs.ok) return docs;
  // Located like every other problem: an empty file at line 1, a second document where it starts.
  if (docs.value.length !== 1) return err(simError('scenario/invalid', `${file}:${docs.value[1]?.start.line ?? 1}: a scenario file holds exactly one YAML document, found ${docs.value.length}`));
  const doc = docs.value[0]!;
  const c = new Checker(doc);
  const root = c.obj(doc.object, [], ['apiVersion', 'kind', 'metadata', 'extends', 'seed', 'versions', 'clusters', 'steps', 'expect', 'explanation', 'hints', 'cause', 'fix', 'claims', 'workspace']) ?? {};
  // `extends: FILE`: the base scenario's clusters, workspace and steps come first; this file adds steps,
  // expectations, cause and fix (the catalogue's variations on one topology).
  let base: ReturnType<typeof rebase> | undefined;
  const extendsFile = c.str(root, 'extends', [], false);
  if (extendsFile !== undefined) {
    const baseText = opts.readFile?.(extendsFile);
    if (baseText === undefined) c.fail(['extends'], `cannot read ${extendsFile}`);
    else if ((opts.depth ?? 0) >= 4) c.fail(['extends'], 'too many levels of extends (at most 4)');
    else {
      const baseFile = joinRelative(dirOf(file), extendsFile);
      const parsed = parseScenario(baseText, baseFile, { readFile: (p) => opts.readFile?.(joinRelative(dirOf(extendsFile), p)), depth: (opts.depth ?? 0) + 1 });
      if (!parsed.ok) c.fail(['extends'], `base scenario is invalid:\n${parsed.error.message}`);
      else base = rebase(parsed.value, dirOf(extendsFile));
    }
    if (root.clusters !== undefined) c.fail(['clusters'], 'a scenario that extends another takes its clusters from the base');
  }
  if (root.apiVersion !== SCENARIO_API_VERSION) c.fail(['apiVersion'], root.apiVersion === undefined ? `required field is missing (use ${SCENARIO_API_VERSION})` : `unsupported scenario version ${JSON.stringify(root.apiVersion)}: this fedlab reads ${SCENARIO_API_VERSION}`);
  if (root.kind !== 'Scenario') c.fail(['kind'], root.kind === undefined ? 'required field is missing (use Scenario)' : `must be "Scenario", got ${JSON.stringify(root.kind)}`);
  const meta = c.obj(root.metadata ?? {}, ['metadata'], ['id', 'title', 'catalogue', 'level', 'tags', 'description']) ?? {};
  if (root.metadata === undefined) c.fail(['metadata'], 'required field is missing');
  const id = c.str(meta, 'id', ['metadata'], true, /^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes');
  const title = c.str(meta, 'title', ['metadata'], true);
  const catalogue = c.str(meta, 'catalogue', ['metadata'], false, /^(S|M|F|G)\d{2}$/, 'is not a catalogue ID like S04, M10, F02 or G11');
  const level = c.oneOf(meta, 'level', ['metadata'], LEVELS);
  const tags = c.strings(meta, 'tags', ['metadata']);
  const description = c.str(meta, 'description', ['metadata'], false);
  if (root.seed !== undefined && (!Number.isInteger(root.seed) || (root.seed as number) < 0)) c.fail(['seed'], 'must be a whole number');
  const defaults = checkVersions(c, root.versions, ['versions']);
  const clusterList = c.list(root, 'clusters', [], extendsFile === undefined);
  if (Array.isArray(root.clusters) && clusterList.length === 0) c.fail(['clusters'], 'a scenario needs at least one cluster');
  const clusters = base?.clusters ?? clusterList.flatMap((v, i) => checkCluster(c, v, ['clusters', i], i, defaults) ?? []);
  const steps = [...(base?.steps ?? []), ...c.list(root, 'steps', []).flatMap((v, i) => checkStep(c, v, ['steps', i]) ?? [])];
  const expect = c.list(root, 'expect', []).flatMap((v, i) => checkExpectation(c, v, ['expect', i]) ?? []);
  const explanation = c.str(root, 'explanation', [], false);
  const claims = c.list(root, 'claims', []).flatMap((v, i) => {
    const p = ['claims', i];
    const o = typeof v === 'string' ? { id: v } : c.obj(v, p, ['id', 'note']);
    const id = o && c.str(o, 'id', p, true);
    if (!id) return [];
    if (!isGuideClaim(id)) return c.fail(typeof v === 'string' ? p : [...p, 'id'], `unknown guide claim ${JSON.stringify(id)} (known: ${Object.keys(GUIDE_CLAIMS).join(', ')})`) ?? [];
    const note = c.str(o, 'note', p, false);
    return [{ id, ...(note ? { note } : {}) }];
  });
  const hints = c.strings(root, 'hints', []);
  const workspace = [...(base?.workspace ?? []), ...c.list(root, 'workspace', []).flatMap((v, i) => {
    const p = ['workspace', i];
    const o = c.obj(v, p, ['path', 'file']);
    const path = o && c.str(o, 'path', p, true, /^[^/]/, 'must be relative to the home directory');
    const file = o && c.str(o, 'file', p, true);
    return path && file ? [{ path, file }] : [];
  })];
  let cause: Cause | undefined;
  if (root.cause !== undefined) {
    const co = c.obj(root.cause, ['cause'], ['cluster', 'kind', 'name', 'namespace', 'field', 'reason']);
    const sel = co && checkSelector(c, co, ['cause']);
    const field = co && c.str(co, 'field', ['cause'], true);
    const reason = co && c.str(co, 'reason', ['cause'], false);
    if (sel && field) cause = { ...sel, field, ...(reason ? { reason } : {}) };
  }
  let fix: Fix | undefined;
  if (root.fix !== undefined) {
    const fo = c.obj(root.fix, ['fix'], ['description', 'steps', 'patches']);
    if (fo) {
      const fsteps = c.list(fo, 'steps', ['fix']).flatMap((v, i) => checkStep(c, v, ['fix', 'steps', i]) ?? []);
      const patches = c.list(fo, 'patches', ['fix']).flatMap((v, i) => {
        const pp = ['fix', 'patches', i];
        const patch = checkManifestPatch(c, v, pp, true);
        if (patch && !patch.cluster && clusters.length > 1) c.fail(pp, 'needs "cluster" when the scenario has more than one cluster');
        return patch ? [patch] : [];
      });
      if (fsteps.length + patches.length === 0) c.fail(['fix'], 'a fix needs at least one step or patch');
      const fdesc = c.str(fo, 'description', ['fix'], false);
      fix = { steps: fsteps, patches, ...(fdesc ? { description: fdesc } : {}) };
    }
  }
  if (cause && !fix) c.fail(['cause'], 'a scenario that declares a cause needs a fix');
  const declared = base ? base.clusters.map((cl) => cl.name) : clusterList.flatMap((v) => (v && typeof v === 'object' && typeof (v as { name?: unknown }).name === 'string' ? [(v as { name: string }).name] : []));
  checkRefs(c, { clusters, declared, steps, ...(fix ? { fix } : {}), ...(cause ? { cause } : {}) });

  if (c.problems.length > 0) {
    const sorted = c.problems.map((p, i) => ({ p, i })).sort((a, b) => (a.p.line ?? 0) - (b.p.line ?? 0) || a.i - b.i);
    const lines = sorted.map(({ p }) => formatLocation(file, p.line, undefined, p.field, p.reason));
    return err(simError('scenario/invalid', lines.join('\n'), { problems: c.problems, file }));
  }
  return ok({
    file,
    id: id!,
    title: title!,
    ...(catalogue ? { catalogue } : {}),
    ...(level ? { level } : {}),
    tags,
    ...(description ? { description } : {}),
    ...(root.seed !== undefined ? { seed: root.seed as number } : base?.seed !== undefined ? { seed: base.seed } : {}),
    clusters,
    steps,
    expect,
    ...(explanation ? { explanation } : {}),
    hints,
    ...(cause ? { cause } : {}),
    ...(fix ? { fix } : {}),
    claims,
    workspace,
  });
}
