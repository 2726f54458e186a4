import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../../sim/core/clock.ts';
import { EventLog } from '../../../sim/core/events.ts';
import { err, ok, simError, unwrap } from '../../../sim/core/result.ts';

describe('EventLog', () => {
  it('stamps events with virtual time and sequence, and notifies subscribers', () => {
    const clock = new VirtualClock(1000);
    const log = new EventLog(clock);
    const seen: string[] = [];
    const stop = log.subscribe((e) => seen.push(e.type));
    log.emit('spire.svid.issued', 'west/spire-server', { id: 'spiffe://west/a' });
    clock.advance(500);
    log.emit('spire.bundle.refreshed', 'west/spire-server', { td: 'east' });
    stop();
    log.emit('envoy.call.rejected', 'west/web', {});
    expect(log.all().map((e) => [e.seq, e.time, e.type])).toEqual([
      [0, 1000, 'spire.svid.issued'],
      [1, 1500, 'spire.bundle.refreshed'],
      [2, 1500, 'envoy.call.rejected'],
    ]);
    expect(seen).toEqual(['spire.svid.issued', 'spire.bundle.refreshed']);
    expect(log.ofType('spire').length).toBe(2);
    expect(log.since(2).map((e) => e.type)).toEqual(['envoy.call.rejected']);
  });
});

describe('Result', () => {
  it('carries typed errors with stable codes and causes', () => {
    const cause = simError('pki/expired', 'x509: certificate has expired');
    const r = err(simError('spiffe/chain-invalid', 'x509svid: could not verify leaf certificate', { peer: 'a' }, cause));
    expect(r).toEqual({ ok: false, error: { code: 'spiffe/chain-invalid', message: 'x509svid: could not verify leaf certificate', detail: { peer: 'a' }, cause } });
    expect(unwrap(ok(3))).toBe(3);
    expect(() => unwrap(r)).toThrow('x509svid: could not verify leaf certificate');
  });
});
