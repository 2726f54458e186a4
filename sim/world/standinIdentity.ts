/**
 * A stand-in identity source, until the SPIRE model arrives: one CA per cluster (SPIRE's CA shape and
 * defaults: ec-p256, 24 h) that publishes its trust bundle in the ConfigMap
 * `kube-public/fedlab-trust-bundle` (`bundle.spiffe`, as `spire-server bundle show -format spiffe`
 * prints it, and `bundle.pem`), and issues an X509-SVID `spiffe://<td>/ns/<ns>/sa/<sa>` to every
 * running pod. It exists so that scenarios can already exchange bundles between clusters with
 * `run … capture` and templating, and so that determinism under concurrent signing can be tested.
 *
 * Signing is asynchronous (WebCrypto) and runs with a configurable number of signatures in flight;
 * serials are drawn when a request is queued and `issued` events are emitted in request order once
 * the batch completes, so the event log does not depend on the concurrency.
 */
import type { Clock } from '../core/clock.ts';
import { HOUR } from '../core/duration.ts';
import type { EventLog } from '../core/events.ts';
import type { Rng } from '../core/rng.ts';
import { generateKeyPair, issueCertificate, issueWithNewKey, spireCaTemplate, x509SvidTemplate, type IssuedCertificate } from '../pki/index.ts';
import { encodePem } from '../pki/pem.ts';
import { formatBundleShowSpiffe, SpiffeBundle, trustDomainFromString, X509Bundle } from '../spiffe/index.ts';
import type { ClusterStore } from '../kube/store.ts';

export const STANDIN_BUNDLE_NAMESPACE = 'kube-public';
export const STANDIN_BUNDLE_CONFIGMAP = 'fedlab-trust-bundle';

interface Request {
  readonly id: string;
  readonly serial: bigint;
  readonly at: number;
  readonly pod: string;
}

export class StandinIdentity {
  private ca?: IssuedCertificate;
  private readonly queue: Request[] = [];
  readonly svids = new Map<string, IssuedCertificate>();

  constructor(
    private readonly cluster: string,
    private readonly trustDomain: string,
    private readonly opts: { crypto: Crypto; clock: Pick<Clock, 'now'>; rng: Rng; events: EventLog; concurrency: number },
  ) {}

  get caCertificate(): IssuedCertificate | undefined {
    return this.ca;
  }

  /** Creates the CA and publishes the bundle into the cluster. */
  async start(store: ClusterStore): Promise<void> {
    const now = this.opts.clock.now();
    const key = await generateKeyPair(this.opts.crypto, 'ec-p256');
    this.ca = await issueCertificate(this.opts.crypto, spireCaTemplate({ trustDomainId: `spiffe://${this.trustDomain}`, serial: this.opts.rng.serial(), now, ttl: 24 * HOUR }), key);
    const td = trustDomainFromString(this.trustDomain);
    if (!td.ok) throw new Error(`stand-in identity: ${td.error.message}`); // cluster specs are validated before this point
    const spiffe = formatBundleShowSpiffe(SpiffeBundle.fromX509Bundle(X509Bundle.of(td.value, [this.ca.cert])));
    if (!spiffe.ok) throw new Error(spiffe.error.message);
    const created = store.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: STANDIN_BUNDLE_CONFIGMAP, namespace: STANDIN_BUNDLE_NAMESPACE, labels: { 'fedlab.dev/stand-in': 'true' } },
      data: { 'bundle.spiffe': spiffe.value, 'bundle.pem': encodePem('CERTIFICATE', this.ca.cert.der) },
    });
    if (!created.ok) throw new Error(created.error.message);
    this.opts.events.emit('standin.ca.created', `${this.cluster}/stand-in-ca`, { trustDomain: this.trustDomain, serial: this.ca.cert.serial.toString(16) });
  }

  /** Queues an SVID for a pod's service account; the serial is fixed now, the signature later. */
  request(namespace: string, serviceAccount: string, pod: string): void {
    const id = `spiffe://${this.trustDomain}/ns/${namespace}/sa/${serviceAccount}`;
    this.queue.push({ id, serial: this.opts.rng.serial(), at: this.opts.clock.now(), pod: `${namespace}/${pod}` });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Signs everything queued, `concurrency` at a time, then reports in request order. */
  async settle(): Promise<void> {
    const ca = this.ca;
    if (!ca) return;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.queue.length);
      const results: IssuedCertificate[] = new Array(batch.length);
      let next = 0;
      const worker = async () => {
        for (let i = next++; i < batch.length; i = next++) {
          const r = batch[i]!;
          results[i] = await issueWithNewKey(this.opts.crypto, x509SvidTemplate({ spiffeId: r.id, serial: r.serial, now: r.at, ttl: HOUR, caNotAfter: ca.cert.notAfter }), 'ec-p256', ca);
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, this.opts.concurrency) }, worker));
      batch.forEach((r, i) => {
        this.svids.set(r.pod, results[i]!);
        this.opts.events.emit('standin.svid.issued', `${this.cluster}/stand-in-ca`, { pod: r.pod, id: r.id, serial: r.serial.toString(16) });
      });
    }
  }
}
