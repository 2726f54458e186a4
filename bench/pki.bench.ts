/**
 * Issuance and verification throughput against the physical limit measured in the same run:
 * WebCrypto P-256 keygen and sign with the same API and concurrency as the issuance path. An SVID
 * costs one keygen plus one signature, so the limit is their serial composition,
 * 1 / (1/keygen + 1/sign). Figures are medians of 5 alternating runs.
 */
import { generateKeyPair, issueCertificate, issueWithNewKey, signData, spireCaTemplate, verifyChain, x509SvidTemplate, SignatureVerifier, type Issuer } from '../sim/pki/index.ts';
import { Rng } from '../sim/core/rng.ts';
import { alternating, rate, type Measurement } from './measure.ts';

const CONCURRENCY = 64;
const ROUNDS = 5;
const BUDGET_MS = 600;

export async function pkiBenchmarks(): Promise<Measurement[]> {
  const crypto = globalThis.crypto;
  const now = Date.UTC(2026, 10, 22, 12);
  const rng = new Rng('bench');
  const caKey = await generateKeyPair(crypto, 'ec-p256');
  const ca: Issuer = await issueCertificate(crypto, spireCaTemplate({ trustDomainId: 'spiffe://bench.example', serial: rng.serial(), now, ttl: 86_400_000 }), caKey);
  const signKey = await generateKeyPair(crypto, 'ec-p256');
  const tbsSized = new Uint8Array(420); // about the size of an SVID's TBSCertificate
  let n = 0;
  const issueOne = () =>
    issueWithNewKey(crypto, x509SvidTemplate({ spiffeId: `spiffe://bench.example/ns/default/sa/w${n++}`, serial: rng.serial(), now, ttl: 3_600_000, caNotAfter: ca.cert.notAfter }), 'ec-p256', ca);
  const sample = await issueOne();
  const verifier = new SignatureVerifier(crypto);

  const medians = await alternating(ROUNDS, {
    keygen: () => rate(() => crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']), CONCURRENCY, BUDGET_MS),
    sign: () => rate(() => signData(crypto, signKey, tbsSized), CONCURRENCY, BUDGET_MS),
    issue: () => rate(issueOne, CONCURRENCY, BUDGET_MS),
    verify: () => rate(() => verifyChain(verifier, sample.cert, { at: now, roots: [ca.cert] }), CONCURRENCY, BUDGET_MS),
  });
  const limit = 1 / (1 / medians.keygen + 1 / medians.sign);
  return [
    { name: 'webcrypto.p256.keygen', value: medians.keygen, unit: 'ops/s', note: `${CONCURRENCY} in flight` },
    { name: 'webcrypto.p256.sign', value: medians.sign, unit: 'ops/s', note: `${CONCURRENCY} in flight` },
    { name: 'svid.issuance', value: medians.issue, unit: 'svids/s', limit, ratio: medians.issue / limit, note: 'limit = 1/(1/keygen + 1/sign), same API and concurrency' },
    { name: 'chain.verification', value: medians.verify, unit: 'chains/s', note: 'leaf → root, signature + validity + CA checks' },
  ];
}
