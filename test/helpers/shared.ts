// The steering repo's shared/ folder (CRDs, conformance data, seeds) sits beside this repo in CI and
// on developer machines. FEDLAB_SHARED overrides the location.
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const sharedDir = process.env.FEDLAB_SHARED ?? resolve(repoRoot, '../shared');

/** Path inside shared/; throws with a clear message when shared/ is missing (tests must not pass silently). */
export function sharedPath(...parts: string[]): string {
  if (!existsSync(sharedDir)) throw new Error(`shared/ not found at ${sharedDir}: set FEDLAB_SHARED to the steering repo's shared folder`);
  return resolve(sharedDir, ...parts);
}
