/**
 * `fedlab export`'s pure part: a scenario variant as the files a human applies to real clusters.
 * Per cluster (kubectl context) one manifest per object, `<cluster>/NN-<kind>-<name>.yaml`, numbered in
 * the order the scenario applies them (within one apply, Namespaces and CRDs first, as kubectl needs):
 * the initial manifests with the source's and the fix's patches applied, then every `apply` step (and
 * every `run: kubectl|oc apply -f -` with its stdin), with `patch`/`delete` steps folded into the
 * objects they change. What only a human can do — `run` commands such as the bundle exchange,
 * `istioctl install`, `create-remote-secret`, labels, and patches of objects the lab's controllers
 * create — becomes an ordered checklist (STEPS.md, and each cluster's README.md) with the exact command
 * and its contexts, and a comment at the top of the next manifest of each context it touches. Objects
 * the lab creates itself (operators, controllers) are never exported: only what the scenario writes is.
 * Every manifest is checked as the cluster's API server would check it (sim/kube/manifestCheck.ts).
 */
import { stringify } from 'yaml';
import { ok, simError, type Result, type SimError } from '../core/result.ts';
import { applyJsonPatch } from '../kube/patch/jsonPatch.ts';
import { applyMergePatch } from '../kube/patch/mergePatch.ts';
import { createCrdRegistry } from '../kube/crds/registry.ts';
import { MODELLED_KINDS } from '../kube/crds/classifyKind.ts';
import { createValidator } from '../kube/schema/validator.ts';
import { checkManifestDocuments, type ManifestProblem } from '../kube/manifestCheck.ts';
import { parseYamlDocuments } from '../kube/yaml.ts';
import { OLM_KINDS, productsOf } from '../world/cluster.ts';
import type { ClusterSpec, ManifestSource, Scenario, Step, Variant } from './format.ts';
import { applies, mentions, patchManifests } from './engine.ts';
import { renderTemplate } from './template.ts';

export interface ExportOptions {
  readonly variant: Variant;
  /** How the variant is named in the files (`default` for a scenario without a fix). */
  readonly label?: string;
  /** Reads a file named in the scenario, relative to the scenario file. */
  readonly readFile: (path: string) => string | undefined;
}

export interface ExportedFile {
  /** Relative to the export directory (`east/03-service-spire-server.yaml`, `STEPS.md`). */
  readonly path: string;
  readonly text: string;
}

export interface ExportResult {
  readonly files: readonly ExportedFile[];
  /** API-server problems of the exported manifests, located in the exported files. */
  readonly problems: readonly ManifestProblem[];
}

type Obj = Record<string, unknown>;

interface Entry {
  obj: Obj;
  /** Where it comes from, for the file's header (`manifests/spire/helm-east.yaml:12`, `steps[9] "…"`). */
  readonly origin: string;
  group: number;
  readonly notes: string[];
}

/** One item of the checklist, in scenario order. */
type Item =
  | { readonly type: 'apply'; readonly cluster: string; readonly group: number; readonly title: string }
  | { readonly type: 'command'; readonly contexts: readonly string[]; readonly title: string; readonly command: string; readonly stdin?: string; readonly capture?: string }
  | { readonly type: 'note'; readonly contexts: readonly string[]; readonly title: string; readonly text: string };

/** The first words of every exported manifest: `--force` replaces only files that start with them. */
export const EXPORT_HEADER = '# Exported by fedlab';
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const metaOf = (o: Obj): { name?: string; namespace?: string } => (isObj(o.metadata) ? (o.metadata as { name?: string; namespace?: string }) : {});
const FIRST_KINDS = ['Namespace', 'CustomResourceDefinition'];
const stepTitle = (s: Step): string => `${s.at}${s.name ? ` "${s.name}"` : ''}`;

/** `kubectl apply -f -` / `oc --context X apply -f -`: a manifest on stdin, exported as files. */
const APPLY_STDIN = /^\s*(?:kubectl|oc)(?:\s+--context[= ]["']?([A-Za-z0-9._-]+)["']?)?\s+apply\s+-f\s+-\s*$/;

/** The kubectl contexts a command line names (`--context=east`, `--context "${CTX_WEST}"`), variables resolved. */
export function commandContexts(command: string, vars: Map<string, string>, known: readonly string[]): string[] {
  for (const m of command.matchAll(/(?:^|[\s;(])(?:export\s+)?([A-Za-z_]\w*)=(["']?)([A-Za-z0-9._-]+)\2(?=[\s;)]|$)/gm)) vars.set(m[1]!, m[3]!);
  const out: string[] = [];
  for (const m of command.matchAll(/--context[= ]["']?(\$\{?([A-Za-z_]\w*)\}?|[A-Za-z0-9._-]+)["']?/g)) {
    const ctx = m[2] !== undefined ? vars.get(m[2]) : m[1];
    if (ctx !== undefined && known.includes(ctx) && !out.includes(ctx)) out.push(ctx);
  }
  return out;
}

function yamlOf(o: Obj): string {
  // YAML 1.1 quoting: kubectl reads `yes`, `on`, `0777` as bool/octal, so strings like these stay quoted.
  return stringify(o, { version: '1.1', lineWidth: 0 });
}

const slug = (s: string): string => s.toLowerCase().replace(/[^a-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'object';
const comment = (text: string): string => text.split('\n').map((l) => (l === '' ? '#' : `#   ${l}`)).join('\n');

function sameObject(o: Obj, kind: string, name: string, namespace: string | undefined): boolean {
  const m = metaOf(o);
  return String(o.kind).toLowerCase() === kind.toLowerCase() && m.name === name && (namespace === undefined || (m.namespace ?? 'default') === namespace);
}

/** Builds the export of one variant; errors are scenario problems (unreadable files, patches without a target). */
export function exportScenario(scenario: Scenario, opts: ExportOptions): Result<ExportResult, SimError> {
  const { variant } = opts;
  const clusterNames = scenario.clusters.map((c) => c.name);
  const first = clusterNames[0]!;
  const entries = new Map<string, Entry[]>(clusterNames.map((c) => [c, []]));
  const items: Item[] = [];
  const removed: string[] = [];
  let group = 0;
  const captures: Record<string, string> = {};
  const captureSteps = new Map<string, { title: string; contexts: readonly string[]; command: string }>();
  const tctx = {
    clusters: Object.fromEntries(scenario.clusters.map((c) => [c.name, { name: c.name, trustDomain: c.trustDomain, network: c.network ?? '', platform: c.platform }])),
    captures,
    variant,
    scenario: { id: scenario.id },
  };
  const fail = (message: string): Result<ExportResult, SimError> => ({ ok: false, error: simError('scenario/export', message) });
  const addDocs = (cluster: string, text: string, file: string, origin: (line: number) => string, original?: string): Result<number, SimError> => {
    const docs = parseYamlDocuments(text, file);
    if (!docs.ok) return docs;
    const orig = original === undefined ? undefined : parseYamlDocuments(original, file);
    const g = group++;
    docs.value.forEach((d, i) => {
      const line = orig?.ok ? orig.value[i]?.start.line : d.start.line;
      entries.get(cluster)!.push({ obj: d.object, origin: origin(line ?? d.start.line), group: g, notes: [] });
    });
    return ok(g);
  };

  // Initial manifests: the source's patches, then (fixed) the fix's patches, exactly as the engine applies them.
  for (const cluster of scenario.clusters) {
    const fixPatches = variant === 'fixed' ? (scenario.fix?.patches ?? []).filter((p) => (p.cluster ?? first) === cluster.name) : [];
    for (const p of fixPatches) {
      const texts = cluster.manifests.map((m) => ('inline' in m ? m.inline : (opts.readFile(m.file) ?? '')));
      if (!texts.some((t) => mentions(t, p))) return fail(`${scenario.file}: ${p.at}: no ${p.kind} "${p.name}" in the manifests of cluster ${cluster.name}`);
    }
    const before = group;
    for (const [i, src] of cluster.manifests.entries()) {
      const where = `clusters[${cluster.name}].manifests[${i}]`;
      const read = sourceText(scenario, src, where, opts.readFile);
      if (!read.ok) return read;
      const own = patchManifests(read.value.text, read.value.file, src.patches ?? []);
      const text = own.ok ? patchManifests(own.value, read.value.file, fixPatches.filter((p) => mentions(own.value, p))) : own;
      if (!text.ok) return fail(`${scenario.file}: ${text.error.message}`);
      const added = addDocs(cluster.name, text.value, read.value.file, (line) => `${read.value.file}:${line}`, text.value === read.value.text ? undefined : read.value.text);
      if (!added.ok) return added;
      for (const e of entries.get(cluster.name)!.filter((x) => x.group === added.value)) {
        for (const p of [...(src.patches ?? []), ...fixPatches]) if (sameObject(e.obj, p.kind, p.name, p.namespace)) e.notes.push(`patched: ${p.at} (${p.type})`);
      }
    }
    // One apply for all of a cluster's initial manifests: the lab applies them before the first step.
    for (const e of entries.get(cluster.name)!) if (e.group >= before) e.group = before;
    group = before + 1;
    items.push({ type: 'apply', cluster: cluster.name, group: before, title: 'the initial manifests' });
  }

  const vars = new Map<string, string>();
  const planned = [...scenario.steps.filter((s) => applies(s.when, variant)), ...(variant === 'fixed' ? (scenario.fix?.steps ?? []) : [])];
  for (const step of planned) {
    const title = stepTitle(step);
    const render = (text: string, field: string): Result<string, SimError> => renderTemplate(text, tctx, `${scenario.file}:${step.line ?? '?'}: ${step.at}.${field}`);
    const targetCtx = (c: string | undefined): string => c ?? first;
    switch (step.type) {
      case 'apply': {
        const read = sourceText(scenario, step.source, step.at, opts.readFile);
        if (!read.ok) return read;
        const text = render(read.value.text, 'apply');
        if (!text.ok) return text;
        const patched = patchManifests(text.value, read.value.file, step.source.patches ?? []);
        if (!patched.ok) return fail(`${scenario.file}: ${patched.error.message}`);
        const g = addDocs(targetCtx(step.cluster), patched.value, read.value.file, (line) => ('file' in step.source ? `${read.value.file}:${line} (${title})` : `${scenario.file}:${step.line ?? '?'} (${title})`));
        if (!g.ok) return fail(g.error.message);
        items.push({ type: 'apply', cluster: targetCtx(step.cluster), group: g.value, title });
        break;
      }
      case 'patch':
      case 'delete': {
        const t = step.target;
        const list = entries.get(targetCtx(t.cluster))!;
        const at = list.findIndex((e) => sameObject(e.obj, t.kind, t.name, t.namespace));
        const foldable = step.type === 'delete' || step.patchType !== 'strategic' || !/\[/.test(step.patch);
        if (at >= 0 && foldable) {
          const e = list[at]!;
          if (step.type === 'delete') {
            list.splice(at, 1);
            removed.push(`${t.kind}/${t.name} in ${targetCtx(t.cluster)} (deleted by ${title})`);
            break;
          }
          const body = render(step.patch, 'patch.patch');
          if (!body.ok) return body;
          const parsed = parseBody(body.value);
          if (parsed === undefined) return fail(`${scenario.file}:${step.line ?? '?'}: ${step.at}.patch.patch: not JSON or YAML`);
          if (step.patchType === 'json') {
            const r = applyJsonPatch(e.obj, parsed);
            if (!r.ok) return fail(`${scenario.file}:${step.line ?? '?'}: ${step.at}: ${r.error.message}`);
            e.obj = r.value as Obj;
          } else e.obj = applyMergePatch(e.obj, parsed) as Obj;
          e.notes.push(`folded in: ${title} (${step.patchType} patch)`);
          break;
        }
        // An object the lab's controllers or operators create: the human patches or deletes it live.
        const ctx = targetCtx(t.cluster);
        const ns = t.namespace ? ` -n ${t.namespace}` : '';
        const body = step.type === 'patch' ? render(step.patch, 'patch.patch') : ok('');
        if (!body.ok) return body;
        const json = step.type === 'patch' ? JSON.stringify(parseBody(body.value) ?? body.value) : '';
        const command = step.type === 'patch' ? `kubectl --context ${ctx} patch ${t.kind.toLowerCase()} ${t.name}${ns} --type ${step.patchType} -p '${json.replace(/'/g, `'\\''`)}'` : `kubectl --context ${ctx} delete ${t.kind.toLowerCase()} ${t.name}${ns}`;
        items.push({ type: 'command', contexts: [ctx], title, command });
        break;
      }
      case 'restart': {
        const ctx = targetCtx(step.target.cluster);
        items.push({ type: 'command', contexts: [ctx], title, command: `kubectl --context ${ctx} rollout restart ${step.target.kind.toLowerCase()}/${step.target.name} -n ${step.target.namespace ?? 'default'}` });
        break;
      }
      case 'advance':
        items.push({ type: 'note', contexts: [], title, text: `Wait: the lab lets ${step.text} pass here. On real clusters wait until the previous step's pods are Ready (kubectl wait --for=condition=Ready …).` });
        break;
      case 'run': {
        const command = render(step.command, 'run.command');
        if (!command.ok) return command;
        const stdin = step.stdin === undefined ? undefined : render(step.stdin, 'run.stdin');
        if (stdin && !stdin.ok) return stdin;
        const m = APPLY_STDIN.exec(command.value);
        if (m && stdin?.ok && (m[1] === undefined || clusterNames.includes(m[1]))) {
          const ctx = m[1] ?? targetCtx(step.cluster);
          const g = addDocs(ctx, stdin.value, `${scenario.file}#${step.at}.run.stdin`, () => `${scenario.file}:${step.line ?? '?'} (${title}, the stdin of \`${command.value.trim()}\`)`);
          if (!g.ok) return fail(g.error.message);
          items.push({ type: 'apply', cluster: ctx, group: g.value, title });
          break;
        }
        const found = commandContexts(command.value, vars, clusterNames);
        // A step without a cluster whose line calls no cluster tool (`export CTX=…`) runs on the workstation only.
        const contexts = found.length > 0 ? found : step.cluster !== undefined || /\b(kubectl|oc|istioctl)\b/.test(command.value) ? [targetCtx(step.cluster)] : [];
        const shown = withContext(command.value.trim(), found.length === 0 ? targetCtx(step.cluster) : undefined);
        if (step.capture) {
          // The value exists only once a human ran the command: later files carry a marked placeholder.
          captures[step.capture] = `FEDLAB-PASTE-${step.capture}`;
          captureSteps.set(step.capture, { title, contexts, command: shown });
        }
        items.push({ type: 'command', contexts, title, command: shown, ...(stdin?.ok ? { stdin: stdin.value } : {}), ...(step.capture ? { capture: step.capture } : {}) });
        break;
      }
      case 'stop':
      case 'start':
        items.push({ type: 'note', contexts: [step.cluster], title, text: `Lab fault injection, not exported: ${step.type} ${step.component} in ${step.cluster}.` });
        break;
      case 'partition':
      case 'heal':
        items.push({ type: 'note', contexts: [...step.between], title, text: `Lab fault injection, not exported: ${step.type} between ${step.between.join(' and ')}.` });
        break;
      case 'dnsFailure':
        items.push({ type: 'note', contexts: [step.cluster], title, text: `Lab fault injection, not exported: DNS ${step.heal ? 'healed' : 'failure'} for ${step.host} in ${step.cluster}.` });
        break;
      case 'rotateCA':
        items.push({ type: 'command', contexts: [step.cluster], title, command: `# on ${step.cluster}'s SPIRE server: rotate the X.509 CA\nspire-server localauthority x509 prepare\nspire-server localauthority x509 activate -authorityID <the prepared authority's ID>` });
        break;
    }
  }
  return ok(renderExport(scenario, opts.label ?? variant, opts, entries, items, removed, captureSteps));
}

/** A command without a `--context` runs against the step's cluster: make that explicit for a human. */
function withContext(command: string, ctx: string | undefined): string {
  if (ctx === undefined) return command;
  return command.replace(/(^|[|;&(]\s*|\$\(\s*)(kubectl|oc|istioctl)(?=\s)/gm, `$1$2 --context ${ctx}`);
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const docs = parseYamlDocuments(text, 'patch');
    return docs.ok ? docs.value[0]?.object : undefined;
  }
}

function sourceText(scenario: Scenario, src: ManifestSource, where: string, readFile: (p: string) => string | undefined): Result<{ text: string; file: string }, SimError> {
  if ('inline' in src) return ok({ text: src.inline, file: `${scenario.file}#${where}` });
  const text = readFile(src.file);
  if (text === undefined) return { ok: false, error: simError('scenario/missing-file', `${scenario.file}: ${where}: cannot read manifest file ${src.file}`) };
  return ok({ text, file: src.file });
}

function validatorFor(spec: ClusterSpec) {
  const modelled = new Set([...MODELLED_KINDS, ...(spec.platform === 'openshift' ? OLM_KINDS : [])]);
  return createValidator({ registry: createCrdRegistry(productsOf(spec)), platform: spec.platform, modelled });
}

function commandBlock(item: Extract<Item, { type: 'command' }>): string {
  const stdin = item.stdin === undefined ? '' : `\n# with this on stdin:\n${item.stdin.replace(/\n$/, '')}`;
  return `${item.command}${stdin}`;
}

function renderExport(
  scenario: Scenario,
  variant: string,
  opts: ExportOptions,
  entries: Map<string, Entry[]>,
  items: readonly Item[],
  removed: readonly string[],
  captureSteps: Map<string, { title: string; contexts: readonly string[]; command: string }>,
): ExportResult {
  const files: ExportedFile[] = [];
  const problems: ManifestProblem[] = [];
  const fileOf = new Map<Entry, string>();
  // Numbering per cluster: apply order, Namespaces and CRDs first within one apply.
  for (const cluster of scenario.clusters) {
    const list = entries.get(cluster.name)!;
    const ordered = [...list].sort((a, b) => a.group - b.group || rank(a) - rank(b) || list.indexOf(a) - list.indexOf(b));
    const width = Math.max(2, String(ordered.length - 1).length);
    ordered.forEach((e, i) => fileOf.set(e, `${cluster.name}/${String(i).padStart(width, '0')}-${slug(String(e.obj.kind))}-${slug(metaOf(e.obj).name ?? 'unnamed')}.yaml`));
  }
  // Each human step goes on top of the next manifest of every context it touches.
  const before = new Map<string, string[]>();
  const pending = new Map<string, string[]>(scenario.clusters.map((c) => [c.name, []]));
  const checklist: string[] = [];
  let n = 0;
  for (const item of items) {
    n++;
    if (item.type === 'apply') {
      const files_ = entries.get(item.cluster)!.filter((e) => e.group === item.group).map((e) => fileOf.get(e)!).sort();
      if (files_.length === 0) {
        checklist.push(`${n}. [ ] **${item.cluster}** — ${item.title}: nothing left to apply (its objects were deleted by later steps).`);
        continue;
      }
      const firstFile = files_[0]!;
      const waiting = pending.get(item.cluster)!;
      if (waiting.length > 0) before.set(firstFile, [...waiting]);
      waiting.length = 0;
      checklist.push(`${n}. [ ] **${item.cluster}** — ${item.title}:\n\n   \`\`\`sh\n   kubectl --context ${item.cluster} apply${files_.map((f) => ` \\\n     -f ../${f}`).join('')}\n   \`\`\``);
      continue;
    }
    const { contexts } = item;
    const label = `${item.title}${contexts.length > 0 ? ` — contexts: ${contexts.join(', ')}` : ''}`;
    if (item.type === 'note') {
      checklist.push(`${n}. [ ] ${label}: ${item.text}`);
      for (const c of contexts) pending.get(c)?.push(`step ${n}, ${label}:\n${item.text}`);
      continue;
    }
    const capture = item.capture ? `\n\n   Keep its output: files below carry \`FEDLAB-PASTE-${item.capture}\` where it goes.` : '';
    checklist.push(`${n}. [ ] ${label} (run from \`workspace/\`):\n\n   \`\`\`sh\n${commandBlock(item).split('\n').map((l) => `   ${l}`).join('\n')}\n   \`\`\`${capture}`);
    for (const c of contexts) pending.get(c)?.push(`step ${n}, ${label}:\n${commandBlock(item)}`);
  }

  for (const cluster of scenario.clusters) {
    const validator = validatorFor(cluster);
    const list = entries.get(cluster.name)!;
    const ordered = [...list].sort((a, b) => fileOf.get(a)!.localeCompare(fileOf.get(b)!));
    const readme: string[] = [`# Context ${cluster.name}`, '', `Trust domain \`${cluster.trustDomain}\`${cluster.network ? `, network \`${cluster.network}\`` : ''}, platform ${cluster.platform}. Apply the files in this order, doing the steps marked in their header comments first (the whole order across contexts is \`../STEPS.md\`).`, ''];
    for (const e of ordered) {
      const path = fileOf.get(e)!;
      const body = yamlOf(e.obj);
      const head = [`${EXPORT_HEADER} from ${scenario.file} (${scenario.id}, variant ${variant}) for kubectl context ${cluster.name}.`, `# Source: ${e.origin}`, ...e.notes.map((x) => `# ${x}`)];
      for (const [name, step] of captureSteps) {
        if (body.includes(`FEDLAB-PASTE-${name}`)) head.push(`# Replace FEDLAB-PASTE-${name} with the output of ${step.title} (contexts: ${step.contexts.join(', ')}):`, comment(step.command));
      }
      const steps = before.get(path);
      if (steps) head.push('#', '# Before applying this file, run these steps on the workstation (from workspace/):', ...steps.map(comment));
      const text = `${head.join('\n')}\n${body}`;
      files.push({ path, text });
      readme.push(`- \`${path.slice(cluster.name.length + 1)}\` — ${String(e.obj.kind)} ${metaOf(e.obj).namespace ? `${metaOf(e.obj).namespace}/` : ''}${metaOf(e.obj).name ?? ''}${steps ? ' (steps first: see its header)' : ''}`);
      const parsed = parseYamlDocuments(text, path);
      if (!parsed.ok) problems.push({ file: path, line: 1, field: '<root>', reason: parsed.error.message, message: parsed.error.message });
      else problems.push(...checkManifestDocuments(parsed.value, validator));
    }
    // What is still pending once every apply is placed comes after the context's last file.
    const after = pending.get(cluster.name)!;
    if (after.length > 0) readme.push('', 'After the last file, these steps touch this context:', '', ...after.flatMap((s) => [`\`\`\`sh\n# ${s}\n\`\`\``, '']));
    files.push({ path: `${cluster.name}/README.md`, text: `${readme.join('\n')}\n` });
  }
  for (const w of scenario.workspace) {
    const text = opts.readFile(w.file);
    if (text !== undefined) files.push({ path: `workspace/${w.path}`, text });
  }
  const contexts = scenario.clusters.map((c) => `| \`${c.name}\` | \`${c.trustDomain}\` | ${c.network ?? ''} | ${c.platform} | ${Object.entries(c.versions).map(([k, v]) => `${k} ${v}`).join(', ')} |`);
  files.push({
    path: 'README.md',
    text: [
      `# ${scenario.title}`,
      '',
      `Exported by \`fedlab export\` from \`${scenario.file}\` (${scenario.id}), variant **${variant}**: the manifests per kubectl context, ready to apply to real clusters, and the steps only a human can do.`,
      '',
      '## Contexts',
      '',
      'Name your kubeconfig contexts like the clusters (or edit the `--context` flags):',
      '',
      '| context | trust domain | network | platform | versions |',
      '|---|---|---|---|---|',
      ...contexts,
      '',
      '## Order',
      '',
      `Follow [STEPS.md](STEPS.md) from top to bottom: it interleaves the contexts (${scenario.clusters.map((c) => c.name).join(', ')}) and the commands in the order the scenario plays them. Within one context the files are numbered in apply order (Namespaces and CRDs first), so \`kubectl --context <ctx> apply -f <ctx>/\` applies them in order once the steps in their header comments are done. Run the commands from \`workspace/\` (the files the commands read are there).`,
      '',
      'Not exported: objects the lab creates itself (operators, controllers, istioctl install), and lab-only fault injections.',
      ...(removed.length > 0 ? ['', 'Deleted by the scenario, so not exported:', '', ...removed.map((r) => `- ${r}`)] : []),
      '',
    ].join('\n'),
  });
  files.push({ path: 'STEPS.md', text: `# Steps (${scenario.id}, variant ${variant})\n\nRun every step in one shell session (later commands use variables that earlier ones set), in this directory's \`workspace/\`; the apply lines name the files as \`../<context>/…\` from there. \`workspace/\` holds the files of the guide's checkout that the scenario ships; a command that reads another file of that checkout (such as Istio's \`samples/multicluster/gen-eastwest-gateway.sh\`) needs the checkout itself, with these files copied over.\n\n${checklist.join('\n\n')}\n` });
  return { files, problems: problems.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line) };
}

const rank = (e: Entry): number => {
  const i = FIRST_KINDS.indexOf(String(e.obj.kind));
  return i < 0 ? FIRST_KINDS.length : i;
};
