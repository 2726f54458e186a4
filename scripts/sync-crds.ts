/**
 * Regenerates `sim/kube/crds/generated/*.json` from the CRD copies in `../shared/crds` (sim/ cannot read
 * files, so the schemas travel as data). Run: `npx tsx scripts/sync-crds.ts [sharedCrdsDir]`.
 * The test `test/sim/kube/schema/crdsSync.test.ts` checks the committed files are in sync when the folder exists.
 * Provenance of every source file: `sim/kube/crds/PROVENANCE.md`.
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { compactCrd, type CompactCrd } from '../sim/kube/crds/compact.ts';

/** One generated file: a CRD set a cluster can have installed, and the shared/crds files it is made of. */
export interface CrdSetSource {
  readonly id: string;
  readonly description: string;
  readonly files: readonly string[];
}

export const CRD_SETS: readonly CrdSetSource[] = [
  {
    id: 'spire-controller-manager',
    description: 'spire-controller-manager CRDs (spire.spiffe.io), upstream v0.6.6-19-g430567c (Helm spire-crds)',
    files: [
      'spire/spire.spiffe.io_clusterspiffeids.yaml',
      'spire/spire.spiffe.io_clusterfederatedtrustdomains.yaml',
      'spire/spire.spiffe.io_clusterstaticentries.yaml',
    ],
  },
  {
    id: 'ztwim-1.0',
    description: 'ZTWIM operator 1.0.x (operator.openshift.io + bundled spire.spiffe.io)',
    files: [
      'ztwim/operator.openshift.io_zerotrustworkloadidentitymanagers.yaml',
      'ztwim/operator.openshift.io_spireservers.yaml',
      'ztwim/operator.openshift.io_spireagents.yaml',
      'ztwim/operator.openshift.io_spiffecsidrivers.yaml',
      'ztwim/operator.openshift.io_spireoidcdiscoveryproviders.yaml',
      'ztwim/clusterspiffeids-spiffe-crd.yaml',
      'ztwim/clusterfederatedtrustdomains-spiffe-crd.yaml',
      'ztwim/clusterstaticentries-spiffe-crd.yaml',
    ],
  },
  {
    id: 'ztwim-0.2',
    description: 'ZTWIM operator 0.2.0 Tech Preview (operator.openshift.io); spire.spiffe.io from the 1.0 copies',
    files: [
      'ztwim/release-0.2.0/operator.openshift.io_zerotrustworkloadidentitymanagers.yaml',
      'ztwim/release-0.2.0/operator.openshift.io_spireservers.yaml',
      'ztwim/release-0.2.0/operator.openshift.io_spireagents.yaml',
      'ztwim/release-0.2.0/operator.openshift.io_spiffecsidrivers.yaml',
      'ztwim/release-0.2.0/operator.openshift.io_spireoidcdiscoveryproviders.yaml',
      'ztwim/clusterspiffeids-spiffe-crd.yaml',
      'ztwim/clusterfederatedtrustdomains-spiffe-crd.yaml',
      'ztwim/clusterstaticentries-spiffe-crd.yaml',
    ],
  },
  {
    id: 'sail-3.2',
    description: 'Sail operator as shipped by OSSM 3.2 (sailoperator.io)',
    files: [
      'sail/sailoperator.io_istios.yaml',
      'sail/sailoperator.io_istiocnis.yaml',
      'sail/sailoperator.io_istiorevisions.yaml',
      'sail/sailoperator.io_istiorevisiontags.yaml',
      'sail/sailoperator.io_ztunnels.yaml',
    ],
  },
  {
    id: 'istio-1.27',
    description: 'Istio 1.27.9 CRDs (networking/security/telemetry/extensions.istio.io)',
    files: ['istio/crd-all.gen.yaml'],
  },
  {
    id: 'gateway-api-1.3',
    description: 'Gateway API v1.3.0 standard channel',
    files: [
      'gateway-api/gateway.networking.k8s.io_gatewayclasses.yaml',
      'gateway-api/gateway.networking.k8s.io_gateways.yaml',
      'gateway-api/gateway.networking.k8s.io_httproutes.yaml',
      'gateway-api/gateway.networking.k8s.io_grpcroutes.yaml',
      'gateway-api/gateway.networking.k8s.io_referencegrants.yaml',
    ],
  },
  {
    id: 'gateway-api-1.3-experimental',
    description: 'Gateway API v1.3.0 experimental channel additions (TLSRoute v1alpha2)',
    files: ['gateway-api/experimental/gateway.networking.k8s.io_tlsroutes.yaml'],
  },
  {
    id: 'openshift-route',
    description: 'OpenShift route.openshift.io/v1 Route (openshift/api CRD form)',
    files: ['openshift/routes.crd.yaml'],
  },
  {
    id: 'olm-subscription',
    description: 'OLM operators.coreos.com/v1alpha1 Subscription',
    files: ['openshift/operators.coreos.com_subscriptions.yaml'],
  },
];

export interface GeneratedCrdSet {
  set: string;
  description: string;
  crds: CompactCrd[];
}

/** Reads the shared CRD folder and returns file name → file text for every generated set. */
export function buildGeneratedCrds(sharedCrdsDir: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const set of CRD_SETS) {
    const crds: CompactCrd[] = [];
    for (const file of set.files) {
      const text = readFileSync(join(sharedCrdsDir, file), 'utf8');
      for (const doc of parseAllDocuments(text)) {
        if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]?.message}`);
        const crd = compactCrd(doc.toJS({ maxAliasCount: -1 }), file);
        if (crd) crds.push(crd);
      }
    }
    out.set(`${set.id}.json`, serialize({ set: set.id, description: set.description, crds }));
  }
  return out;
}

/** One CRD per line: small diffs, still plain JSON. */
function serialize(data: GeneratedCrdSet): string {
  const head = JSON.stringify({ set: data.set, description: data.description }).slice(0, -1);
  return `${head},"crds":[\n${data.crds.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`;
}

const here = dirname(fileURLToPath(import.meta.url));
export const DEFAULT_SHARED_CRDS = resolve(here, '../../shared/crds');
export const GENERATED_DIR = resolve(here, '../sim/kube/crds/generated');

function main(): void {
  const src = resolve(process.argv[2] ?? DEFAULT_SHARED_CRDS);
  if (!existsSync(src)) {
    process.stderr.write(`sync-crds: ${src} does not exist\n`);
    process.exitCode = 1;
    return;
  }
  mkdirSync(GENERATED_DIR, { recursive: true });
  let total = 0;
  for (const [name, text] of buildGeneratedCrds(src)) {
    writeFileSync(join(GENERATED_DIR, name), text);
    total += text.length;
    process.stdout.write(`wrote ${name} (${text.length} bytes)\n`);
  }
  process.stdout.write(`total ${total} bytes\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();
