// Training's grade through the Driver: M08's broken variant judged by its fixed expectations fails as
// shipped and passes once the trainee removes `spiffe://` from the policy's principal (graded by
// behaviour: the run is played to the end). The session is untouched.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../helpers/shared.ts';
import { diskFiles } from '../../../server/http/files.ts';
import { SimDriver } from '../../../sim/driver.ts';
import { parseRequest } from '../../../server/http/protocol.ts';

const M08 = 'scenarios/catalogue/m08-authorizationpolicy-spiffe-prefix.yaml';
const driver = new SimDriver({ files: diskFiles(repoRoot), crypto: globalThis.crypto });
afterAll(() => driver.dispose());

describe('Driver.check (training)', () => {
  it('fails the shipped broken world and passes the trainee fix, leaving the session alone', async () => {
    await driver.load({ file: M08 });
    const shipped = await driver.check({});
    expect(shipped).toMatchObject({ ok: false, passed: 0, total: 2 });
    expect(shipped.expectations.every((e) => !e.ok && e.chain)).toBe(true);
    const text = readFileSync(join(repoRoot, M08), 'utf8');
    const fixed = text.replace(/(\n\s+principals: \[")spiffe:\/\//, '$1');
    expect(fixed).not.toBe(text);
    const r = await driver.check({ [M08]: fixed });
    expect(r).toMatchObject({ ok: true, passed: 2, total: 2 });
    // Its own expectations on the edited world no longer hold (the 403s are gone).
    expect(await driver.check({ [M08]: fixed }, 'broken')).toMatchObject({ ok: false, passed: 0 });
    expect((await driver.state()).edited).toEqual([]);
  }, 120_000);

  it('lists the scenario it extends among the editable files (its inline steps are chain targets)', async () => {
    const m = await driver.manifests();
    expect(m.files.filter((f) => f.role === 'scenario').map((f) => f.path)).toEqual([M08, 'scenarios/f07-istio-spire-federation-sample.yaml']);
  });

  it('is a protocol method with validated params', () => {
    const code = (m: unknown): string => {
      const r = parseRequest(JSON.stringify(m), 10);
      return r.ok ? 'ok' : r.reply.error.code;
    };
    expect(code({ id: 1, method: 'check', params: { edits: {} } })).toBe('ok');
    expect(code({ id: 1, method: 'check', params: { edits: {}, expectationsOf: 'fixed' } })).toBe('ok');
    expect(code({ id: 1, method: 'check', params: { edits: {}, expectationsOf: 'half' } })).toBe('bad-params');
    expect(code({ id: 1, method: 'check', params: { edits: { a: 1 } } })).toBe('bad-params');
    expect(code({ id: 1, method: 'check', params: { edits: {}, x: 1 } })).toBe('bad-params');
  });
});
