/** SPIRE, spire-controller-manager, ZTWIM and federation rules (FL0001–FL0099). */
import type { Rule } from '../../types.ts';
import { clusterSpiffeIdClass } from './clusterSpiffeIdClass.ts';
import { cftdClass } from './cftdClass.ts';
import { federatesWithoutRelationship } from './federatesWithoutRelationship.ts';
import { oneSidedFederation } from './oneSidedFederation.ts';
import { httpsSpiffeWithoutBundle } from './httpsSpiffeWithoutBundle.ts';
import { federatesWithKey } from './federatesWithKey.ts';
import { endpointSpiffeId } from './endpointSpiffeId.ts';
import { bundleEndpointExposed } from './bundleEndpointExposed.ts';
import { namespaceSelectorMisses } from './namespaceSelectorMisses.ts';
import { entryMasking } from './entryMasking.ts';
import { agentSocketName } from './agentSocketName.ts';
import { sdsBundleName } from './sdsBundleName.ts';
import { podWithoutCsi } from './podWithoutCsi.ts';
import { configMapEditReverted } from './configMapEditReverted.ts';
import { createOnlyFreezesCr } from './createOnlyFreezesCr.ts';
import { oidcSocket } from './oidcSocket.ts';
import { spireServerApi } from './spireServerApi.ts';
import { persistenceType } from './persistenceType.ts';
import { helperFederatedBundles } from './helperFederatedBundles.ts';
import { refreshHint } from './refreshHint.ts';
import { partialFederatesWith } from './partialFederatesWith.ts';
import { spireServerPath } from './spireServerPath.ts';

export const spireRules: readonly Rule[] = [
  clusterSpiffeIdClass,
  cftdClass,
  federatesWithoutRelationship,
  oneSidedFederation,
  httpsSpiffeWithoutBundle,
  federatesWithKey,
  endpointSpiffeId,
  bundleEndpointExposed,
  namespaceSelectorMisses,
  entryMasking,
  agentSocketName,
  sdsBundleName,
  podWithoutCsi,
  configMapEditReverted,
  createOnlyFreezesCr,
  oidcSocket,
  spireServerApi,
  persistenceType,
  helperFederatedBundles,
  refreshHint,
  partialFederatesWith,
  spireServerPath,
];
