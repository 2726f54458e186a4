import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGeneratedCrds, DEFAULT_SHARED_CRDS, GENERATED_DIR } from '../../../../scripts/sync-crds.ts';

// The generated CRD data is committed; when the shared CRD copies are present it must match them.
describe.skipIf(!existsSync(DEFAULT_SHARED_CRDS))('generated CRDs', () => {
  it('are in sync with ../shared/crds (run `npx tsx scripts/sync-crds.ts` if not)', () => {
    const built = buildGeneratedCrds(DEFAULT_SHARED_CRDS);
    expect(built.size).toBe(9);
    for (const [name, text] of built) {
      const path = join(GENERATED_DIR, name);
      expect(existsSync(path), name).toBe(true);
      expect(readFileSync(path, 'utf8') === text, `${name} is stale`).toBe(true);
    }
  });

  it('stay small (descriptions stripped)', () => {
    let total = 0;
    for (const text of buildGeneratedCrds(DEFAULT_SHARED_CRDS).values()) {
      total += text.length;
      const body = text.slice(text.indexOf('\n'));
      expect(body).not.toContain('"description":"');
    }
    expect(total).toBeLessThan(1_000_000);
  });
});
