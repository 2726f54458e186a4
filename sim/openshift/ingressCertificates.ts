/**
 * The certificates an OpenShift cluster's ingress uses, made with the lab's own issuance:
 * - the ingress operator's CA, self-signed `CN=ingress-operator@<unix seconds>` (Secret `router-ca` in
 *   `openshift-ingress-operator`; also published as ConfigMap `default-ingress-cert` key `ca-bundle.crt`
 *   in `openshift-config-managed`), openshift/cluster-ingress-operator pkg/operator/controller/
 *   certificate (ensureRouterCACertificateSecret, ensureDefaultCertificateForIngress);
 * - the default certificate `*.apps.<baseDomain>` it signs (Secret `router-certs-default` in
 *   `openshift-ingress`), presented for edge and reencrypt routes and for hosts without a route;
 * - the service CA `CN=openshift-service-serving-signer@<unix seconds>` (openshift/service-ca-operator),
 *   which reencrypt routes without `destinationCACertificate` trust for the backend.
 * None of them is in a workstation's or a pod's default roots: curl without `-k`/`--cacert` fails on
 * them, as SPIRE's `https_web` does.
 * Simplified: RSA-2048 keys and 2-year lifetimes for all three; no rotation; no serving-cert controller
 * (the service CA only serves as the reencrypt trust anchor).
 */
import type { Rng } from '../core/rng.ts';
import { encodePem, exportPkcs8, issueWithNewKey, toBase64, type IssuedCertificate } from '../pki/index.ts';
import type { ClusterStore } from '../kube/store.ts';

export interface IngressCertificates {
  readonly appsDomain: string;
  readonly ingressCa: IssuedCertificate;
  readonly defaultCertificate: IssuedCertificate;
  readonly serviceCa: IssuedCertificate;
}

const DAY = 86_400_000;
const TWO_YEARS = 2 * 365 * DAY;

/**
 * Issues the ingress CA, the default `*.apps` certificate and (unless the cluster's service CA is
 * given, e.g. sim/world's ServiceCa signer) the service CA at `now`.
 */
export async function createIngressCertificates(crypto: Crypto, opts: { appsDomain: string; now: number; rng: Rng; serviceCa?: IssuedCertificate }): Promise<IngressCertificates> {
  const secs = Math.floor(opts.now / 1000);
  const ca = (cn: string) =>
    issueWithNewKey(crypto, { serial: opts.rng.serial(64), subject: { commonName: cn }, notBefore: opts.now, notAfter: opts.now + TWO_YEARS, isCA: true, keyUsage: ['digitalSignature', 'keyEncipherment', 'keyCertSign'] }, 'rsa-2048');
  const [ingressCa, serviceCa] = await Promise.all([ca(`ingress-operator@${secs}`), opts.serviceCa ?? ca(`openshift-service-serving-signer@${secs}`)]);
  const wildcard = `*.${opts.appsDomain}`;
  const defaultCertificate = await issueWithNewKey(
    crypto,
    { serial: opts.rng.serial(64), subject: { commonName: wildcard }, notBefore: opts.now, notAfter: opts.now + TWO_YEARS, isCA: false, keyUsage: ['digitalSignature', 'keyEncipherment'], extKeyUsage: ['serverAuth'], dnsNames: [wildcard] },
    'rsa-2048',
    ingressCa,
  );
  return { appsDomain: opts.appsDomain, ingressCa, defaultCertificate, serviceCa };
}

const pem = (c: IssuedCertificate) => encodePem('CERTIFICATE', c.cert.der);
const b64 = (s: string) => toBase64(new TextEncoder().encode(s));

/**
 * Creates the objects where OpenShift keeps these certificates, so that the guides' commands
 * (`oc get secret router-ca -n openshift-ingress-operator -o jsonpath='{.data.tls\.crt}' | base64 -d`)
 * find them. Idempotent: existing objects are left alone.
 */
export async function publishIngressCertificates(store: ClusterStore, crypto: Crypto, certs: IngressCertificates): Promise<void> {
  const [caKey, certKey] = await Promise.all([exportPkcs8(crypto, certs.ingressCa.key), exportPkcs8(crypto, certs.defaultCertificate.key)]);
  for (const ns of ['openshift-ingress-operator', 'openshift-ingress', 'openshift-config-managed']) {
    if (!store.find('Namespace', undefined, ns)) store.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  }
  const tls = (namespace: string, name: string, crt: string, key: Uint8Array) => {
    if (store.find('Secret', namespace, name)) return;
    store.create({ apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, type: 'kubernetes.io/tls', data: { 'tls.crt': b64(crt), 'tls.key': b64(encodePem('PRIVATE KEY', key)) } });
  };
  tls('openshift-ingress-operator', 'router-ca', pem(certs.ingressCa), caKey);
  tls('openshift-ingress', 'router-certs-default', pem(certs.defaultCertificate) + pem(certs.ingressCa), certKey);
  if (!store.find('ConfigMap', 'openshift-config-managed', 'default-ingress-cert'))
    store.create({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'default-ingress-cert', namespace: 'openshift-config-managed' }, data: { 'ca-bundle.crt': pem(certs.ingressCa) } });
  store.settle();
}
