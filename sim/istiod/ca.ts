/**
 * istiod's built-in CA, what pilot-agent falls back to when no SPIRE socket exists at start-up
 * (istio-spec.md §1.2): a self-signed root with `O=<meshConfig.trustDomain>` (pilot/pkg/bootstrap/istio_ca.go,
 * security/pkg/pki/util/generate_cert.go), 10-year lifetime; workload certificates with an empty
 * subject, the SPIFFE ID as URI SAN, 24 h lifetime (DEFAULT_WORKLOAD_CERT_TTL).
 * Simplified: the root and workload keys are ECDSA P-256 (Istio's default is RSA 2048; the lab keeps
 * key generation fast, and no verdict depends on the algorithm).
 */
import type { Clock } from '../core/clock.ts';
import type { Rng } from '../core/rng.ts';
import { issueWithNewKey, NOT_BEFORE_CUSHION, type Certificate, type IssuedCertificate } from '../pki/index.ts';

const YEAR = 365 * 24 * 3600_000;
export const WORKLOAD_CERT_TTL = 24 * 3600_000;

export class IstiodCa {
  private root: Promise<IssuedCertificate> | undefined;

  constructor(
    private readonly trustDomain: string,
    private readonly deps: { crypto: Crypto; clock: Clock; rng: Rng },
  ) {}

  private rootCert(): Promise<IssuedCertificate> {
    const now = this.deps.clock.now();
    this.root ??= issueWithNewKey(
      this.deps.crypto,
      { serial: this.deps.rng.serial(128), subject: { organization: [this.trustDomain] }, notBefore: now - NOT_BEFORE_CUSHION, notAfter: now + 10 * YEAR, isCA: true, keyUsage: ['digitalSignature', 'keyCertSign', 'cRLSign'] },
      'ec-p256',
    );
    return this.root;
  }

  async roots(): Promise<readonly Certificate[]> {
    return [(await this.rootCert()).cert];
  }

  /** A CSR from pilot-agent for the pod's service account, signed now. */
  async sign(namespace: string, serviceAccount: string): Promise<{ chain: readonly Certificate[]; issued: IssuedCertificate }> {
    const root = await this.rootCert();
    const now = this.deps.clock.now();
    const issued = await issueWithNewKey(
      this.deps.crypto,
      { serial: this.deps.rng.serial(128), subject: {}, notBefore: now - NOT_BEFORE_CUSHION, notAfter: now + WORKLOAD_CERT_TTL, isCA: false, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth', 'clientAuth'], uris: [`spiffe://${this.trustDomain}/ns/${namespace}/sa/${serviceAccount}`] },
      'ec-p256',
      root,
    );
    return { chain: [issued.cert, root.cert], issued };
  }
}
