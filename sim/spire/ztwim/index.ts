/**
 * sim/spire/ztwim — the OpenShift Zero Trust Workload Identity Manager operator (1.0.x default, 0.2.x):
 * its five controllers reconcile the `operator.openshift.io/v1alpha1` singletons into the SPIRE
 * server StatefulSet (+ spire-controller-manager), agent and CSI DaemonSets, the OIDC discovery
 * provider Deployment, their ConfigMaps (server.conf, agent.conf, controller-manager config, OIDC
 * config), Services, Routes and the operator's ClusterSPIFFEIDs; they revert drift and honour
 * CREATE_ONLY_MODE, and report status conditions. The lab's SPIRE runtime (sim/world/spire.ts) then
 * starts the SPIRE models from those pods as from any other manifests.
 *
 * Leaves out: RBAC, SCCs, the validating webhook configuration, OLM's OperatorCondition, the cluster
 * proxy, the OIDC discovery provider process itself (its Deployment is rendered; nothing models the
 * binary yet), and the operator pod (the integrator starts the controllers).
 * References: github.com/openshift/zero-trust-workload-identity-manager @ e3911586 (main, 1.0.1),
 * release-0.2.0; openshift/spiffe-spire and openshift/spiffe-spiffe-csi Containerfiles;
 * research/ztwim-spec.md §1–§7.
 */
export { startZtwimOperator, GROUP_VERSION, OPERAND_KINDS, type ZtwimOperator, type ZtwimOperatorOptions, type OperandKind } from './operator.ts';
export { renderServerConf, renderAgentConf, renderControllerManagerConfig, renderOidcConf, serverConfDocument, agentConfDocument, stripScheme, COMPONENT_VERSIONS, type Identity, type ZtwimVersion } from './configs.ts';
export { imagesFor, labelsFor, standardLabels, CLASS_NAME, MANAGED_BY, INSTANCE, type Images, type Manifest } from './objects.ts';
export { validateJwtIssuer, validateFederation, validateTtls } from './validation.ts';
export { goMarshalIndent, goYamlMarshal, goJsonString } from './goEncoding.ts';
