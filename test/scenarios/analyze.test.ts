// The analyze ↔ engine agreement: for every catalogue scenario with a fix, the static analyzer flags the
// broken variant with each code sim/analyze/coverage.ts lists and is silent about those codes on the fixed
// variant (or the table says why static analysis cannot see it). Plus the seeds the issue names: seed 003's
// AuthorizationPolicy (spiffe:// principal) and seed 000 verbatim (G01, G11, class-less CRs).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, inputFromFiles, inputFromScenario, type Finding } from '../../sim/analyze/index.ts';
import { COVERAGE } from '../../sim/analyze/coverage.ts';
import { findScenarioFiles, loadScenarioFile } from '../../server/cli/scenarioFiles.ts';
import { repoRoot } from '../helpers/shared.ts';

const catalogue = findScenarioFiles(['scenarios'], repoRoot)
  .map((file) => ({ ...loadScenarioFile(file, repoRoot), path: file }))
  .filter((l) => l.scenario.catalogue !== undefined && l.scenario.fix !== undefined);

async function findings(entry: (typeof catalogue)[number], variant: 'broken' | 'fixed'): Promise<Finding[]> {
  const r = await inputFromScenario(entry.scenario, { variant, readFile: entry.readFile, text: readFileSync(entry.path, 'utf8') });
  if (!r.ok) throw new Error(r.error.message);
  return analyze(r.value);
}

describe('analyze agrees with the engine over the catalogue', () => {
  it('lists every catalogue scenario with a fix in sim/analyze/coverage.ts', () => {
    const unlisted = catalogue.map((c) => c.scenario.id).filter((id) => !(id in COVERAGE));
    expect(unlisted, 'add these to COVERAGE (codes, or runtimeOnly with the reason)').toEqual([]);
  });

  describe.each(catalogue.map((c) => ({ id: c.scenario.id, entry: c })))('$id', ({ id, entry }) => {
    const cov = COVERAGE[id];
    if (!cov || !('codes' in cov)) {
      it.skip(`runtime only: ${cov && 'runtimeOnly' in cov ? cov.runtimeOnly : 'unlisted'}`, () => {});
      return;
    }
    it(`broken has ${cov.codes.join(', ')}; fixed has none of them`, async () => {
      const broken = (await findings(entry, 'broken')).map((f) => f.code);
      const fixed = await findings(entry, 'fixed');
      for (const code of cov.codes) expect(broken, `broken variant of ${id} flagged with ${code}`).toContain(code);
      const stray = fixed.filter((f) => cov.codes.includes(f.code));
      expect(stray.map((f) => `${f.code} ${f.file}:${f.line} ${f.message}`), `fixed variant of ${id} silent on ${cov.codes.join(', ')}`).toEqual([]);
    }, 60_000);
  });
});

function fixture(dir: string) {
  const root = join(repoRoot, 'test/fixtures/analyze', dir);
  const files = readdirSync(root).flatMap((cluster) =>
    statSync(join(root, cluster)).isDirectory() ? readdirSync(join(root, cluster)).sort().map((f) => ({ cluster, file: relative(repoRoot, join(root, cluster, f)), text: readFileSync(join(root, cluster, f), 'utf8') })) : [],
  );
  const input = inputFromFiles(files);
  if (!input.ok) throw new Error(input.error.message);
  return analyze(input.value);
}

describe('the seeds, verbatim', () => {
  it("flags seed 003's AuthorizationPolicy for its spiffe:// principal (G07)", () => {
    const f = fixture('seed003').filter((x) => x.object.kind === 'AuthorizationPolicy');
    expect(f.map((x) => x.code)).toContain('FL0112');
    const hit = f.find((x) => x.code === 'FL0112')!;
    expect(hit.refs).toContain('G07');
    expect(hit.field).toMatch(/^spec\.rules\[0\]\.from\[0\]\.source\.principals/);
    expect(hit.line).toBe(16);
  });

  it('flags seed 000 for G01, G11 and its class-less ClusterSPIFFEIDs and ClusterFederatedTrustDomain', () => {
    const f = fixture('seed000');
    const refs = (code: string) => f.filter((x) => x.code === code);
    expect(f.some((x) => x.refs.includes('G01')), 'G01: proxyMetadata.CREDENTIAL_SOCKET_EXISTS').toBe(true);
    const g11 = refs('FL0017');
    expect(g11.map((x) => `${x.object.kind}/${x.object.name} ${x.field}`)).toContain('SpireServer/spire-server apiVersion');
    expect(g11[0]!.refs).toContain('G11');
    expect(refs('FL0001').map((x) => x.object.name).sort()).toEqual(['istio-system-spiffeid', 'istio-test-spiffeid']);
    expect(refs('FL0002').map((x) => x.object.name)).toEqual(['cluster2-federation']);
    for (const x of [...refs('FL0001'), ...refs('FL0002')]) {
      expect(x.field).toBe('spec.className');
      expect(x.message).toContain('zero-trust-workload-identity-manager-spire');
    }
  });
});
