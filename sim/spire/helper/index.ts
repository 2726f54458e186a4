/**
 * sim/spire/helper — spiffe-helper: helper.conf, the Workload API watch, and the PEM files it writes.
 * Leaves out JWT files, `cmd` processes and signals. References: spiffe/spiffe-helper v0.8.0 and main.
 */
export { SpiffeHelper, helperConfigFromTree, x509ContextFiles, type HelperConfig, type HelperFile, type HelperVersion, type SpiffeHelperOptions, type HelperState } from './spiffeHelper.ts';
