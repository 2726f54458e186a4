import { describe, expect, it } from 'vitest';
import * as der from '../../../sim/pki/der.ts';
import { decodePem, encodePem, fromBase64, toBase64 } from '../../../sim/pki/pem.ts';
import { formatNameGo, formatNameOpenssl, makeName, parseName } from '../../../sim/pki/name.ts';
import { parseKeyType, parsePkcs8PrivateKey } from '../../../sim/pki/keys.ts';
import { sha1 } from '../../../sim/pki/sha1.ts';

const hex = (b: Uint8Array) => der.toHex(b);

describe('DER', () => {
  it('encodes integers minimally, with a leading zero when the top bit is set', () => {
    expect(hex(der.integer(0))).toBe('020100');
    expect(hex(der.integer(127))).toBe('02017f');
    expect(hex(der.integer(128))).toBe('02020080');
    expect(hex(der.integer(2n ** 128n))).toBe('021101' + '00'.repeat(16));
    const t = der.readOne(der.integer(2n ** 127n + 5n));
    expect(t.ok && der.decodeInteger(t.value)).toBe(2n ** 127n + 5n);
  });

  it('round-trips OIDs', () => {
    for (const o of ['1.2.840.10045.3.1.7', '2.5.29.17', '1.3.6.1.5.5.7.3.2', '2.999.3']) {
      const t = der.readOne(der.oid(o));
      expect(t.ok && der.decodeOid(t.value)).toBe(o);
    }
  });

  it('writes UTCTime through 2049 and GeneralizedTime from 2050 (RFC 5280 §4.1.2.5)', () => {
    expect(new TextDecoder().decode(der.time(Date.UTC(2049, 11, 31, 23, 59, 59)).subarray(2))).toBe('491231235959Z');
    const g = der.time(Date.UTC(2050, 0, 1));
    expect(g[0]).toBe(der.TAG.GENERALIZED_TIME);
    expect(new TextDecoder().decode(g.subarray(2))).toBe('20500101000000Z');
    for (const ms of [Date.UTC(1999, 5, 1, 2, 3, 4), Date.UTC(2049, 0, 1), Date.UTC(2050, 0, 1), Date.UTC(2126, 1, 2)]) {
      const t = der.readOne(der.time(ms));
      expect(t.ok && der.decodeTime(t.value)).toBe(ms);
    }
  });

  it('uses long-form lengths past 127 bytes and rejects non-DER lengths', () => {
    const big = der.octetString(new Uint8Array(300));
    expect(hex(big.subarray(0, 4))).toBe('0482012c');
    expect(der.readOne(Uint8Array.of(0x04, 0x81, 0x05, 1, 2, 3, 4, 5))).toMatchObject({ ok: false, error: { message: 'asn1: structure error: superfluous leading zeros in length' } });
    expect(der.readOne(Uint8Array.of(0x30, 0x80))).toMatchObject({ ok: false, error: { code: 'pki/asn1' } });
    expect(der.readOne(Uint8Array.of(0x04, 0x05, 1))).toMatchObject({ ok: false, error: { message: 'asn1: structure error: data truncated' } });
  });
});

describe('PEM', () => {
  it('round-trips blocks of several types in one text, in any order', () => {
    const a = Uint8Array.from({ length: 100 }, (_, i) => i);
    const text = encodePem('PRIVATE KEY', a) + 'junk between blocks\n' + encodePem('CERTIFICATE', a.subarray(0, 7));
    const r = decodePem(text);
    expect(r.ok && r.value.map((b) => [b.type, b.der.length])).toEqual([['PRIVATE KEY', 100], ['CERTIFICATE', 7]]);
  });
  it('says "no PEM blocks found" for text without blocks', () => {
    expect(decodePem('not-pem\n')).toMatchObject({ ok: false, error: { message: 'no PEM blocks found' } });
  });
  it('base64: standard and URL-safe alphabets, padding optional', () => {
    const b = Uint8Array.of(0xfb, 0xff, 0xbf, 0x01);
    expect(toBase64(b)).toBe('+/+/AQ==');
    expect(fromBase64('-_-_AQ')).toEqual(b);
  });
});

describe('names', () => {
  it('encode in Go order and print like OpenSSL and Go', () => {
    const n = makeName({ commonName: 'web', organization: ['SPIRE'], country: ['US'], serialNumber: '42' });
    expect(formatNameOpenssl(n)).toBe('C = US, O = SPIRE, CN = web, serialNumber = 42');
    expect(formatNameGo(n)).toBe('SERIALNUMBER=42,CN=web,O=SPIRE,C=US');
    const t = der.readOne(n.der);
    const back = t.ok ? parseName(t.value) : undefined;
    expect(back?.ok && back.value.attributes).toEqual(n.attributes);
  });
  it('use PrintableString when possible and UTF8String otherwise', () => {
    expect(makeName({ organization: ['SPIRE'] }).der[11]).toBe(der.TAG.PRINTABLE_STRING);
    expect(makeName({ organization: ['Zürich & Co'] }).der[11]).toBe(der.TAG.UTF8_STRING);
  });
});

describe('keys', () => {
  it('parse SPIRE key types case-insensitively, with SPIRE\'s error', () => {
    expect(parseKeyType('EC-P256')).toEqual({ ok: true, value: 'ec-p256' });
    expect(parseKeyType('ec-p521')).toMatchObject({ ok: false, error: { message: 'key type "ec-p521" is unknown; must be one of [rsa-2048, rsa-4096, ec-p256, ec-p384]' } });
  });
  it('derive the public key of a PKCS#8 private key', async () => {
    const pair = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-384' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const pkcs8 = new Uint8Array(await crypto.subtle.exportKey('pkcs8', pair.privateKey));
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', pair.publicKey));
    const r = await parsePkcs8PrivateKey(crypto, pkcs8);
    expect(r.ok && hex(r.value.spki)).toBe(hex(spki));
  });
  it('report a corrupt key in Go encoding/asn1 wording', async () => {
    // go-spiffe's corrupt-key.pem: the bytes "CORRUPT" (0x43 = class 1, tag 3; 0x4f = length 79)
    const r = await parsePkcs8PrivateKey(crypto, new TextEncoder().encode('CORRUPT'));
    expect(!r.ok && r.error.message).toBe(
      "asn1: structure error: tags don't match (16 vs {class:1 tag:3 length:79 isCompound:false}) {optional:false explicit:false application:false private:false defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false} pkcs8 @2",
    );
  });
});

describe('sha1', () => {
  it('matches known vectors', () => {
    const enc = new TextEncoder();
    expect(hex(sha1(enc.encode('')))).toBe('da39a3ee5e6b4b0d3255bfef95601890afd80709');
    expect(hex(sha1(enc.encode('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(hex(sha1(enc.encode('a'.repeat(1000))))).toBe('291e9a6c66994949b57ba5e650361e98fc36b1ba');
  });
});
