/**
 * sim/world — composition: clusters (store, CRDs, controllers, nodes, exec), the workstation shell,
 * network faults, provenance and, until SPIRE lands, the stand-in identity source.
 * Leaves out: SPIRE, Istio and Envoy components (later issues wire them here).
 */
export { World, DEFAULT_START, type WorldOptions } from './world.ts';
export { ClusterRuntime, type AppliedObject, type ContainerPrograms } from './cluster.ts';
export { Provenance, type Origin } from './provenance.ts';
export { StandinIdentity, STANDIN_BUNDLE_CONFIGMAP, STANDIN_BUNDLE_NAMESPACE } from './standinIdentity.ts';
export { imageBinaries } from './images.ts';
