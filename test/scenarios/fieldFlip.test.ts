/**
 * One field at a time flipped on the mesh golden path (Istio's federated-SPIRE sample, f07) with the
 * only v1 endpoint removed, so that every request must cross to v2 in west and nothing hides a failure
 * behind retries. Each flip changes what curl in east sees exactly as the table says.
 */
import { describe, expect, it } from 'vitest';
import { playScenario, type Scenario, type Step } from '../../sim/scenario/index.ts';
import { loadScenario } from '../helpers/scenario.ts';

type Edit = (text: string) => string;
interface Flip {
  readonly name: string;
  /** Text edits of files the scenario reads (workspace files and manifests), by path suffix. */
  readonly files?: Readonly<Record<string, Edit>>;
  /** Edits of inline step texts and commands. */
  readonly steps?: Edit;
  /** Extra steps after the base ones (before the probe). */
  readonly extra?: readonly string[];
  /** What 6 curls from east's curl to helloworld answer, reduced to a class. */
  readonly outcome: string;
  /** Where the cause shows: a command and a substring of its output. */
  readonly evidence?: { readonly command: string; readonly contains: string };
}

const NOT_STARTED = 'error: unable to upgrade connection: container not found ("curl")';
const CURL_PROXY_LOG = 'kubectl --context=east logs deploy/curl -c istio-proxy';

const replace = (from: string | RegExp, to: string): Edit => (t) => {
  const out = t.replace(from, to);
  if (out === t) throw new Error(`flip did not change the text: ${String(from)}`);
  return out;
};

const AP = (principal: string) =>
  `echo '{"apiVersion":"security.istio.io/v1","kind":"AuthorizationPolicy","metadata":{"name":"allow-curl","namespace":"default"},"spec":{"selector":{"matchLabels":{"app":"helloworld"}},"rules":[{"from":[{"source":{"principals":["${principal}"]}}]}]}}' | kubectl --context=west apply -f -`;

const FLIPS: readonly Flip[] = [
  { name: 'golden path', outcome: 'v2' },
  // Entries that federate with a domain whose bundle the server lacks cannot be created (spire-spec.md):
  // no SVID, the native sidecar never gets ready, the curl container never starts.
  {
    name: 'CFTD without className (east ignores it: no west bundle, no entries)',
    files: { 'cluster-federated-trust-domain.yaml': replace(/^ {2}className: spire-spire\n/m, '') },
    outcome: NOT_STARTED,
    evidence: { command: 'kubectl --context=east logs -n spire spire-server-0 -c spire-controller-manager', contains: 'unable to find federated bundle' },
  },
  { name: 'ClusterSPIFFEID without federatesWith (east workloads get no west bundle)', files: { 'helm-east.yaml': replace(/^ {2}federatesWith:\n {4}- west\.local\n/m, '') }, outcome: '503 CERTIFICATE_VERIFY_FAILED' },
  { name: 'agent socket link not named `socket` (no SPIRE socket in the CSI dir)', files: { 'helm-east.yaml': replace('ln -s spire-agent.sock socket', 'ln -s spire-agent.sock workload.sock') }, outcome: NOT_STARTED, evidence: { command: CURL_PROXY_LOG, contains: 'bind: read-only file system' } },
  { name: 'default_all_bundles_name not ROOTCA', files: { 'helm-east.yaml': replace('"default_all_bundles_name": "ROOTCA"', '"default_all_bundles_name": "ALL"') }, outcome: NOT_STARTED, evidence: { command: CURL_PROXY_LOG, contains: 'ROOTCA' } },
  { name: 'west does not accept east.local (no caCertificates trust domain, no alias)', steps: replace(/-e "s\/\\\$\{REMOTE_CLUSTER\}\/east\/g"/, '-e "s/\\${REMOTE_CLUSTER}/nowhere/g"'), outcome: '503 SSLV3_ALERT_CERTIFICATE_UNKNOWN' },
  // trustDomainAliases add inbound validation domains (research istio-spec.md §8.5): the alias alone restores it.
  {
    name: 'the same, with trustDomainAliases [east.local] on west',
    steps: (t) => replace('istioctl --context="${CTX_CLUSTER_WEST}" install -y -f -', 'istioctl --context="${CTX_CLUSTER_WEST}" install -y -f - --set meshConfig.trustDomainAliases[0]=east.local')(replace(/-e "s\/\\\$\{REMOTE_CLUSTER\}\/east\/g"/, '-e "s/\\${REMOTE_CLUSTER}/nowhere/g"')(t)),
    outcome: 'v2',
  },
  // A terminating server gets a filter chain only with a bound tcp route (pilot gateway.go); without one
  // the gateway has no 15443 listener at all (M05 adds the route and shows the SAN failure).
  { name: 'gateway terminates TLS (ISTIO_MUTUAL instead of AUTO_PASSTHROUGH)', files: { 'expose-services.yaml': replace('mode: AUTO_PASSTHROUGH', 'mode: ISTIO_MUTUAL') }, outcome: '503 connection refused' },
  { name: 'DestinationRule SANs without the west identity', steps: replace(/\n\s+- spiffe:\/\/west\.local\/ns\/default\/sa\/default/, ''), outcome: '503 CERTIFICATE_VERIFY_FAILED' },
  { name: 'AuthorizationPolicy principal without the scheme', extra: [AP('east.local/ns/default/sa/curl')], outcome: 'v2' },
  { name: 'AuthorizationPolicy principal with spiffe:// (never matches)', extra: [AP('spiffe://east.local/ns/default/sa/curl')], outcome: '403 RBAC: access denied' },
];

function classify(results: readonly { stdout: string; stderr: string }[]): string {
  const classes = results.map(({ stdout, stderr }) => {
    if (stdout.startsWith('Hello version: v2')) return 'v2';
    if (stdout.startsWith('Hello version: v1')) return 'v1';
    if (stdout === 'RBAC: access denied') return '403 RBAC: access denied';
    if (stdout.includes('delayed connect error')) return '503 connection refused';
    const tls = /OPENSSL_internal:([A-Z0-9_]+)|TLS_error:\|\d+:[^:]+:[^:]+:([A-Za-z0-9_ ]+)/.exec(stdout);
    if (tls) return `503 ${tls[1] ?? tls[2]}`;
    if (stdout) return `other: ${stdout.slice(0, 80)}`;
    return stderr.trim().replace(/\).*$/s, ')') || 'empty';
  });
  return [...new Set(classes)].sort().join(' + ');
}

async function playFlip(base: { scenario: Scenario; readFile: (p: string) => string | undefined }, flip: Flip): Promise<string> {
  const readFile = (p: string): string | undefined => {
    const text = base.readFile(p);
    const edit = Object.entries(flip.files ?? {}).find(([suffix]) => p.endsWith(suffix))?.[1];
    return text !== undefined && edit ? edit(text) : text;
  };
  const editStep = (s: Step): Step => {
    if (!flip.steps) return s;
    if (s.type === 'run') return { ...s, command: tryEdit(flip.steps, s.command) };
    if (s.type === 'apply' && 'inline' in s.source) return { ...s, source: { ...s.source, inline: tryEdit(flip.steps, s.source.inline) } };
    return s;
  };
  let edited = 0;
  const tryEdit = (e: Edit, t: string): string => {
    try {
      const out = e(t);
      edited++;
      return out;
    } catch {
      return t;
    }
  };
  const extra = ['kubectl --context=east scale deploy helloworld-v1 --replicas=0', ...(flip.extra ?? [])].map((command, i): Step => ({ type: 'run', command, when: 'both', at: `flip[${i}]` }));
  const scenario: Scenario = { ...base.scenario, expect: [], steps: [...base.scenario.steps.map(editStep), ...extra, { type: 'advance', ms: 30_000, text: '30s', when: 'both', at: 'flip.advance' }] };
  if (flip.steps && edited === 0) throw new Error(`${flip.name}: the step edit matched nothing`);
  const report = await playScenario(scenario, { variant: 'broken', crypto: globalThis.crypto, readFile });
  const results = [];
  for (let i = 0; i < 6; i++) results.push(await report.world.run('kubectl --context=east exec deploy/curl -c curl -- curl -s helloworld:5000/hello'));
  if (flip.evidence) {
    const e = await report.world.run(flip.evidence.command);
    if (!`${e.stdout}${e.stderr}`.includes(flip.evidence.contains)) return `evidence missing: ${flip.evidence.command} → ${e.stdout}${e.stderr}`.slice(0, 400);
  }
  return classify(results);
}

describe('field flips over the mesh golden path', () => {
  const base = loadScenario('scenarios/f07-istio-spire-federation-sample.yaml');
  for (const flip of FLIPS)
    it(`${flip.name} → ${flip.outcome}`, async () => {
      expect(await playFlip(base, flip)).toBe(flip.outcome);
    }, 60_000);
});
