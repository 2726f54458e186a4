/**
 * fedlab's engine — the one entry the UI, the server and the scenarios' tooling import. Plain
 * TypeScript with no I/O of its own: it runs in the browser and in Node, on a virtual clock, with the
 * WebCrypto object it is given.
 *
 * Today: core (clock, events, results, rng), pki (X.509 issuance and validation), spiffe (IDs,
 * bundles, SVID verification), kube (the emulated API and controllers), net (faults), cli (the
 * workstation shell, kubectl/oc), world (composition), scenario (format v1 and the engine).
 * SPIRE, Envoy and istiod arrive with their issues. See DESIGN.md for the layers.
 */
export * as core from './core/index.ts';
export * as pki from './pki/index.ts';
export * as spiffe from './spiffe/index.ts';
export * as kube from './kube/index.ts';
export * as net from './net/index.ts';
export * as world from './world/index.ts';
export * as scenario from './scenario/index.ts';
