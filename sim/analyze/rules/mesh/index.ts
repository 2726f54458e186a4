/** Istio mesh rules (FL0100–FL0199). */
import type { Rule } from '../../types.ts';
import { credentialSocketExists } from './credentialSocketExists.ts';
import { noSpireSocket } from './noSpireSocket.ts';
import { peerTrustDomainNotAccepted } from './peerTrustDomainNotAccepted.ts';
import { preSansLocalDomain } from './preSansLocalDomain.ts';
import { aliasesMergeIdentities } from './aliasesMergeIdentities.ts';
import { noGatewayForNetwork } from './noGatewayForNetwork.ts';
import { remoteSecretMissing } from './remoteSecretMissing.ts';
import { eastWestTerminatesTls } from './eastWestTerminatesTls.ts';
import { eastWestNoListener } from './eastWestNoListener.ts';
import { gatewayApiTlsAlpha } from './gatewayApiTlsAlpha.ts';
import { destinationRuleSans } from './destinationRuleSans.ts';
import { principalSpiffePrefix } from './principalSpiffePrefix.ts';
import { serviceEntryGateway } from './serviceEntryGateway.ts';
import { spireTemplateNativeSidecar } from './spireTemplateNativeSidecar.ts';
import { cniNotInstalled } from './cniNotInstalled.ts';
import { eastWestWithoutSpire } from './eastWestWithoutSpire.ts';
import { strictWithoutSidecarClient } from './strictWithoutSidecarClient.ts';
import { unfederatedWorkload } from './unfederatedWorkload.ts';
import { eastWestPassthrough } from './eastWestPassthrough.ts';
import { userVolumeArray } from './userVolumeArray.ts';
import { meshNetworksNotNeeded } from './meshNetworksNotNeeded.ts';
import { sailTargetNamespace } from './sailTargetNamespace.ts';

export const meshRules: readonly Rule[] = [
  credentialSocketExists,
  noSpireSocket,
  peerTrustDomainNotAccepted,
  preSansLocalDomain,
  aliasesMergeIdentities,
  noGatewayForNetwork,
  remoteSecretMissing,
  eastWestTerminatesTls,
  eastWestNoListener,
  gatewayApiTlsAlpha,
  destinationRuleSans,
  principalSpiffePrefix,
  serviceEntryGateway,
  spireTemplateNativeSidecar,
  cniNotInstalled,
  eastWestWithoutSpire,
  strictWithoutSidecarClient,
  unfederatedWorkload,
  eastWestPassthrough,
  userVolumeArray,
  meshNetworksNotNeeded,
  sailTargetNamespace,
];
