import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { CRD_PRINTER_COLUMNS } from '../../../../sim/cli/kubectl/crdColumns.ts';

// The same sources as sim/kube/crds/generated (see sim/kube/crds/PROVENANCE.md).
const ROOT = join(import.meta.dirname, '../../../../../shared/crds');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const f of readdirSync(dir).sort()) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) {
      if (f !== 'master' && f !== 'release-0.2.0') out.push(...files(p));
    } else if (/\.ya?ml$/.test(f)) out.push(p);
  }
  return out;
}

describe.skipIf(!existsSync(ROOT))('crdPrinterColumns.json', () => {
  it('matches the additionalPrinterColumns of ../shared/crds', () => {
    const want: Record<string, Record<string, unknown[]>> = {};
    for (const f of files(ROOT)) {
      for (const doc of parseAllDocuments(readFileSync(f, 'utf8'))) {
        const o = doc.toJS() as { kind?: string; spec?: { group: string; names: { kind: string }; versions?: { name: string; additionalPrinterColumns?: Record<string, unknown>[] }[] } } | null;
        if (!o || o.kind !== 'CustomResourceDefinition' || !o.spec) continue;
        const versions: Record<string, unknown[]> = {};
        for (const v of o.spec.versions ?? []) {
          const cols = (v.additionalPrinterColumns ?? []).map((c) => ({
            name: c.name,
            type: c.type,
            jsonPath: c.jsonPath,
            ...(c.priority ? { priority: c.priority } : {}),
            ...(c.format ? { format: c.format } : {}),
          }));
          if (cols.length) versions[v.name] = cols;
        }
        if (Object.keys(versions).length) want[`${o.spec.group}/${o.spec.names.kind}`] = versions;
      }
    }
    expect(CRD_PRINTER_COLUMNS).toEqual(want);
  });
});
