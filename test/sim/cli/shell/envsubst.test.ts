import { describe, expect, it } from 'vitest';
import { Shell } from '../../../../sim/cli/shell/shell.ts';

describe('envsubst', () => {
  it('fills $VAR and ${VAR} from exported variables, unset ones with nothing (seed 001 Step 2.2)', async () => {
    const sh = new Shell();
    await sh.run('export APP_DOMAIN=apps.c1.example.com; export CLUSTER_NAME=cluster1');
    const r = await sh.run('envsubst', 'trustDomain: ${APP_DOMAIN}\nclusterName: $CLUSTER_NAME\njwt: https://oidc.${APP_DOMAIN}\nunset: "${NOPE}"\n');
    expect(r).toEqual({ stdout: 'trustDomain: apps.c1.example.com\nclusterName: cluster1\njwt: https://oidc.apps.c1.example.com\nunset: ""\n', stderr: '', exitCode: 0 });
  });

  it('leaves what is not a plain reference as written, and with SHELL-FORMAT only the named variables', async () => {
    const sh = new Shell({ env: { A: 'x', B: 'y' } });
    expect((await sh.run('envsubst', '${A:-d} $(id) \\$A $B\n')).stdout).toBe('${A:-d} $(id) \\x y\n');
    expect((await sh.run("envsubst '$A'", '$A $B ${B}\n')).stdout).toBe('x $B ${B}\n');
    expect((await sh.run("envsubst -v '$A ${B}'")).stdout).toBe('A\nB\n');
  });
});
