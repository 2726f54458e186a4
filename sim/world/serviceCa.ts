/**
 * OpenShift's service CA operator, as far as workloads see it: a Service annotated
 * `service.beta.openshift.io/serving-cert-secret-name: NAME` gets a `kubernetes.io/tls` Secret NAME with
 * a serving certificate for `<svc>.<ns>.svc` and `<svc>.<ns>.svc.cluster.local`, signed by the cluster's
 * `openshift-service-serving-signer@<epoch>` CA (openshift/service-ca-operator
 * pkg/controller/servingcert). Simplified: no rotation, no `service-ca.crt` injection into ConfigMaps.
 */
import type { Clock } from '../core/clock.ts';
import type { Rng } from '../core/rng.ts';
import type { TaskTracker } from '../core/tasks.ts';
import { encodePem, exportPkcs8, generateKeyPair, issueCertificate, issueWithNewKey, type IssuedCertificate } from '../pki/index.ts';
import type { ClusterStore } from '../kube/store.ts';
import type { KubeObject } from '../kube/object.ts';

const ANNOTATION = 'service.beta.openshift.io/serving-cert-secret-name';
const YEAR = 365 * 24 * 3_600_000;

const b64 = (text: string): string => btoa(text);

export class ServiceCa {
  private ca: Promise<IssuedCertificate> | undefined;

  constructor(private readonly deps: { store: ClusterStore; clock: Pick<Clock, 'now'>; rng: Rng; crypto: Crypto; tasks: TaskTracker; signer?: IssuedCertificate }) {
    if (deps.signer) this.ca = Promise.resolve(deps.signer);
    deps.store.watch({ kind: 'Service' }, (e) => {
      if (e.type !== 'DELETED') this.ensure(e.object);
    });
    for (const svc of deps.store.scan('Service')) this.ensure(svc);
  }

  private signer(): Promise<IssuedCertificate> {
    this.ca ??= (async () => {
      const now = this.deps.clock.now();
      const key = await generateKeyPair(this.deps.crypto, 'rsa-2048');
      return issueCertificate(
        this.deps.crypto,
        { serial: this.deps.rng.serial(64), subject: { commonName: `openshift-service-serving-signer@${Math.floor(now / 1000)}` }, notBefore: now, notAfter: now + 2 * YEAR, isCA: true, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'] },
        key,
      );
    })();
    return this.ca;
  }

  private ensure(svc: KubeObject): void {
    const name = svc.metadata.annotations?.[ANNOTATION];
    const ns = svc.metadata.namespace;
    if (!name || !ns || this.deps.store.find('Secret', ns, name)) return;
    const dns = [`${svc.metadata.name}.${ns}.svc`, `${svc.metadata.name}.${ns}.svc.cluster.local`];
    void this.deps.tasks.track(
      (async () => {
        const ca = await this.signer();
        const now = this.deps.clock.now();
        const leaf = await issueWithNewKey(
          this.deps.crypto,
          { serial: this.deps.rng.serial(64), subject: { commonName: dns[0]! }, notBefore: now, notAfter: now + 2 * YEAR, isCA: false, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'], dnsNames: dns },
          'rsa-2048',
          ca,
        );
        const crt = encodePem('CERTIFICATE', leaf.cert.der) + encodePem('CERTIFICATE', ca.cert.der);
        const key = encodePem('PRIVATE KEY', await exportPkcs8(this.deps.crypto, leaf.key));
        if (this.deps.store.find('Secret', ns, name)) return;
        this.deps.store.create({
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name, namespace: ns, annotations: { 'service.beta.openshift.io/originating-service-name': svc.metadata.name, 'service.beta.openshift.io/originating-service-uid': svc.metadata.uid } },
          type: 'kubernetes.io/tls',
          data: { 'tls.crt': b64(crt), 'tls.key': b64(key) },
        });
      })(),
    );
  }
}
