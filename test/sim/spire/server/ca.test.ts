import { describe, expect, it } from 'vitest';
import { HOUR } from '../../../../sim/core/duration.ts';
import { generateKeyPair, SignatureVerifier } from '../../../../sim/pki/index.ts';
import { verifyX509Svid, X509Bundle } from '../../../../sim/spiffe/index.ts';
import { activationThreshold, preparationThreshold } from '../../../../sim/spire/server/ca.ts';
import { crypto, Lab, serverConf, T0 } from './helpers.ts';

const S = 1000;

describe('CA manager', () => {
  it('thresholds: half-life preparation and 5/6 activation, capped at 30d / 7d', () => {
    expect(preparationThreshold(T0 + 24 * HOUR, T0)).toBe(T0 + 12 * HOUR);
    expect(activationThreshold(T0 + 24 * HOUR, T0)).toBe(T0 + 20 * HOUR);
    const year = 365 * 24 * HOUR;
    expect(preparationThreshold(T0 + year, T0)).toBe(T0 + year - 30 * 24 * HOUR);
    expect(activationThreshold(T0 + year, T0)).toBe(T0 + year - 7 * 24 * HOUR);
  });

  it('follows the §1.4 timeline over 48 h: roots every 12 h, activation 8 h later, CA1 pruned at 48 h', async () => {
    const lab = new Lab();
    const server = lab.server('west.local', serverConf('west.local'));
    await server.start();
    const roots = () => server.getBundle().x509Authorities.map((c) => c.serial);
    const seq = () => server.getBundle().sequenceNumber;
    const active = () => server.ca.activeX509()!.cert.serial;

    // t=0: CA1 (seq 0) then JWT1 (seq 1), both active
    const ca1 = server.getBundle().x509Authorities[0]!;
    expect(roots()).toHaveLength(1);
    expect(seq()).toBe(1);
    expect(server.getBundle().jwtAuthorities.size).toBe(1);
    const kid1 = [...server.getBundle().jwtAuthorities.keys()][0]!;
    expect(kid1).toMatch(/^[a-zA-Z0-9]{32}$/);
    expect(ca1.notBefore).toBe(T0 - 10 * S);
    expect(ca1.notAfter).toBe(T0 + 24 * HOUR);
    expect(ca1.subject.attributes.map((a) => a.value)).toEqual(['US', 'SPIFFE', ca1.serial.toString(10)]);
    expect(active()).toBe(ca1.serial);

    await lab.advance(12 * HOUR);
    expect(roots()).toHaveLength(1); // not before the threshold is passed (checked every 10 s)
    await lab.advance(10 * S);
    expect(roots()).toHaveLength(2);
    expect(seq()).toBe(3);
    const ca2 = server.getBundle().x509Authorities[1]!;
    expect(ca2.notAfter).toBe(T0 + 36 * HOUR + 10 * S);
    expect(active()).toBe(ca1.serial); // prepared, not active
    expect(server.getBundle().jwtAuthorities.size).toBe(2);

    await lab.advance(8 * HOUR - 10 * S); // t = 20h
    expect(active()).toBe(ca1.serial);
    await lab.advance(10 * S);
    expect(active()).toBe(ca2.serial);
    expect(server.ca.slots().old!.cert.serial).toBe(ca1.serial);

    await lab.advance(4 * HOUR + 20 * S); // t = 24h 20s: CA3 prepared (CA2 threshold 24h 10s)
    expect(roots()).toHaveLength(3);
    expect(seq()).toBe(5);
    await lab.advance(12 * HOUR + 10 * S); // t = 36h 30s: CA4
    expect(roots()).toHaveLength(4);
    expect(seq()).toBe(7);
    const before48 = roots();

    await lab.advance(48 * HOUR - (lab.clock.now() - T0)); // t = 48h: prune removes CA1 and JWT1
    expect(roots()).toEqual(before48.slice(1));
    expect(seq()).toBe(8);
    expect(server.getBundle().jwtAuthorities.has(kid1)).toBe(false);
    expect(lab.events.ofType('spire.bundle.pruned').map((e) => e.data)).toEqual([{ removedX509: 1, removedJwt: 1, sequence: 8 }]);

    await lab.advance(40 * S); // CA5 prepared at 48h 40s
    expect(roots()).toHaveLength(4);
    expect(seq()).toBe(10);
    const prepared = lab.events.ofType('spire.ca.prepared').filter((e) => e.data.kind === 'x509');
    expect(prepared.map((e) => (e.time - T0) / S)).toEqual([0, 12 * 3600 + 10, 24 * 3600 + 20, 36 * 3600 + 30, 48 * 3600 + 40]);
    const activated = lab.events.ofType('spire.ca.activated').filter((e) => e.data.kind === 'x509');
    expect(activated.map((e) => (e.time - T0) / S)).toEqual([0, 20 * 3600 + 10, 32 * 3600 + 20, 44 * 3600 + 30]);
    expect(server.logLines.some((l) => /level=info msg="X509 CA prepared" .*self_signed=true .*subsystem_name=ca_manager/.test(l))).toBe(true);
  }, 60_000);

  it('signs X509-SVIDs with the active CA, capped at its notAfter; the server SVID rotates at half-life', async () => {
    const lab = new Lab();
    const server = lab.server('west.local', serverConf('west.local', 'default_x509_svid_ttl = "1h"\nca_key_type = "rsa-2048"'));
    await server.start();
    const key = await generateKeyPair(crypto, 'ec-p256');
    const svid = await server.mintX509Svid({ spiffeId: 'spiffe://west.local/ns/a/sa/b', key, ttlSeconds: 48 * 3600 });
    expect(svid.ok).toBe(true);
    if (!svid.ok) return;
    expect(svid.value.chain).toHaveLength(1);
    const leaf = svid.value.chain[0]!;
    expect(leaf.notAfter).toBe(server.ca.activeX509()!.cert.notAfter);
    expect(leaf.subject.attributes.map((a) => a.value)).toEqual(['US', 'SPIRE']);
    expect(leaf.uris).toEqual(['spiffe://west.local/ns/a/sa/b']);
    const verified = await verifyX509Svid(new SignatureVerifier(crypto), svid.value.chain, X509Bundle.of(server.config.trustDomain, server.getBundle().x509Authorities), lab.clock.now());
    expect(verified.ok).toBe(true);
    expect(server.ca.activeX509()!.key.type).toBe('rsa-2048');

    const first = server.svid.svid!.chain[0]!;
    expect(first.uris).toEqual(['spiffe://west.local/spire/server']);
    expect(first.notAfter - first.notBefore).toBe(HOUR + 10 * S);
    await lab.advance(29 * 60 * S + 50 * S);
    expect(server.svid.svid!.chain[0]!.serial).toBe(first.serial);
    await lab.advance(10 * S); // past notBefore + 30m5s, seen by the 5 s check
    expect(server.svid.svid!.chain[0]!.serial).not.toBe(first.serial);
  });
});
