// The server logs its configuration warnings at start-up, before "Starting SPIRE server", as
// spire:cmd/spire-server/cli/run/run.go NewServerConfig does with sc.Log.Warn.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../sim/core/rng.ts';
import { unwrap } from '../../../../sim/core/result.ts';
import { parseServerConfig } from '../../../../sim/spire/server/config.ts';
import { SpireServer } from '../../../../sim/spire/server/server.ts';
import { crypto, Lab, serverConf } from './helpers.ts';

describe('SpireServer start-up', () => {
  it('logs the config warnings (a refresh hint of a day or more) at level warning, first', async () => {
    const lab = new Lab();
    const conf = serverConf('west.local').replace('port = 8443', 'port = 8443\n      refresh_hint = "720h"');
    const parsed = unwrap(parseServerConfig(conf));
    expect(parsed.warnings.length).toBeGreaterThan(0);
    const logs: string[] = [];
    const s = new SpireServer(
      { clock: lab.clock, rng: new Rng('seed/west'), events: lab.events, crypto, faults: lab.faults, name: 'west/spire-server', log: (l) => logs.push(l) },
      parsed.config,
      { tasks: lab.tasks, configWarnings: parsed.warnings },
    );
    await s.start();
    expect(logs[0]).toMatch(/^time="[^"]+" level=warning msg="Bundle endpoint refresh hint set to a high value\. To cover the case of unscheduled trust bundle updates, it's recommended to have a smaller value, e\.g\. 5m"$/);
    expect(logs[1]).toMatch(/msg="Starting SPIRE server"/);
    s.stop();
  });
});
