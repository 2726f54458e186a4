import { beforeAll, describe, expect, it } from 'vitest';
import { makeCurl } from '../../../sim/cli/curl.ts';
import { Shell } from '../../../sim/cli/shell/shell.ts';
import { err, ok, simError } from '../../../sim/core/result.ts';
import { encodePem } from '../../../sim/pki/index.ts';
import { T0 } from '../../helpers/pki.ts';
import { spireLikeEndpoint, type TestEndpoint } from '../../helpers/endpoints.ts';

let west: TestEndpoint;
let sh: Shell;

beforeAll(async () => {
  west = await spireLikeEndpoint('west.demo', '{\n    "keys": []\n}\n', ['federation.apps.west.example.com']);
  const net = {
    resolve: (_from: string, host: string, port: number) =>
      host === 'federation.apps.west.example.com' && port === 443
        ? ok(west)
        : host === 'nowhere.example.com'
          ? err(simError('net/dns-failure', 'no such host'))
          : err(simError('net/connection-refused', 'refused')),
    webRoots: () => [],
    now: () => T0,
  };
  sh = new Shell({ programs: { curl: makeCurl('workstation', net, globalThis.crypto) } });
  sh.fs.write('/home/user/west-ca.pem', encodePem('CERTIFICATE', west.ca.cert.der));
});

describe('curl to a federation endpoint', () => {
  it('curl -sk returns the SPIFFE bundle, as seed 001 does', async () => {
    expect(await sh.run('curl -sk https://federation.apps.west.example.com > /tmp/cluster1-bundle.json && cat /tmp/cluster1-bundle.json')).toEqual({ stdout: '{\n    "keys": []\n}\n', stderr: '', exitCode: 0 });
  });

  it('without -k the SPIRE server certificate is not trusted by the system roots (exit 60)', async () => {
    const r = await sh.run('curl -s https://federation.apps.west.example.com');
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 60 });
    const shown = await sh.run('curl -sS https://federation.apps.west.example.com');
    expect(shown.stderr).toMatch(/^curl: \(60\) SSL certificate problem: unable to get local issuer certificate\n/);
    expect((await sh.run('curl -s --cacert west-ca.pem -w "%{http_code}" -o /dev/null https://federation.apps.west.example.com')).stdout).toBe('200');
  });

  it('reports resolution and connection failures with curl\'s codes', async () => {
    expect(await sh.run('curl -sS https://nowhere.example.com')).toEqual({ stdout: '', stderr: 'curl: (6) Could not resolve host: nowhere.example.com\n', exitCode: 6 });
    expect((await sh.run('curl -k https://federation.apps.west.example.com:8443')).stderr).toBe(
      "curl: (7) Failed to connect to federation.apps.west.example.com port 8443 after 0 ms: Couldn't connect to server\n",
    );
    expect(await sh.run('curl -skf https://federation.apps.west.example.com/x')).toEqual({ stdout: '', stderr: '', exitCode: 22 });
  });
});

describe('curl -w after a failed transfer', () => {
  it('still writes out, with http_code 000 (as in the mTLS migration task: 000 and exit 56)', async () => {
    expect(await sh.run("curl -s -o /dev/null -w '%{http_code}' https://nowhere.example.com")).toEqual({ stdout: '000', stderr: '', exitCode: 6 });
  });
});
