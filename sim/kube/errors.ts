/**
 * API errors as the kube-apiserver builds them (apimachinery/pkg/api/errors/errors.go) and as kubectl
 * prints them (kubectl/pkg/cmd/util/helpers.go `StandardErrorMessage`): `message` is what a user sees
 * (`Error from server (NotFound): pods "x" not found`), `detail.status` is the metav1.Status the server
 * would return (code, reason, message), for a future REST front end.
 */
import { formatFieldError, invalidMessage, type FieldError } from './schema/fieldError.ts';
import { simError, type SimError } from '../core/result.ts';

export type KubeErrorCode =
  | 'kube/not-found'
  | 'kube/namespace-not-found'
  | 'kube/already-exists'
  | 'kube/conflict'
  | 'kube/invalid'
  | 'kube/bad-request'
  | 'kube/bad-patch'
  | 'kube/unsupported-media-type'
  | 'kube/json-patch-failed'
  | 'kube/no-kind-match'
  | 'kube/unknown-resource'
  | 'kube/method-not-allowed'
  | 'kube/forbidden';

export type KubeError = SimError<KubeErrorCode>;

export interface ApiStatus {
  readonly code: number;
  readonly reason: string;
  readonly message: string;
}

function serverError(code: KubeErrorCode, status: ApiStatus, extra: Record<string, unknown> = {}, shown?: string): KubeError {
  return simError(code, shown ?? `Error from server (${status.reason}): ${status.message}`, { status, ...extra });
}

/** `pods "x" not found`; `resource` is the qualified resource (`pods`, `deployments.apps`). */
export function notFound(resource: string, name: string): KubeError {
  return serverError('kube/not-found', { code: 404, reason: 'NotFound', message: `${resource} "${name}" not found` }, { resource, name });
}

export function namespaceNotFound(namespace: string): KubeError {
  return serverError('kube/namespace-not-found', { code: 404, reason: 'NotFound', message: `namespaces "${namespace}" not found` }, { namespace });
}

export function alreadyExists(resource: string, name: string): KubeError {
  return serverError('kube/already-exists', { code: 409, reason: 'AlreadyExists', message: `${resource} "${name}" already exists` }, { resource, name });
}

export const OPTIMISTIC_LOCK_MESSAGE = 'the object has been modified; please apply your changes to the latest version and try again';

export function conflict(resource: string, name: string, why = OPTIMISTIC_LOCK_MESSAGE): KubeError {
  return serverError('kube/conflict', { code: 409, reason: 'Conflict', message: `Operation cannot be fulfilled on ${resource} "${name}": ${why}` }, { resource, name });
}

export function badRequest(message: string): KubeError {
  return serverError('kube/bad-request', { code: 400, reason: 'BadRequest', message });
}

export function methodNotAllowed(message: string): KubeError {
  return serverError('kube/method-not-allowed', { code: 405, reason: 'MethodNotAllowed', message });
}

/** Accepted patch types for a resource without strategic-merge support (custom resources);
 * apiserver:pkg/endpoints/handlers/negotiation/errors.go `errUnsupportedMediaType`. */
export const CR_PATCH_MEDIA_TYPES = ['application/json-patch+json', 'application/merge-patch+json', 'application/apply-patch+yaml'];

export function unsupportedMediaType(accepted: readonly string[] = CR_PATCH_MEDIA_TYPES): KubeError {
  return serverError('kube/unsupported-media-type', {
    code: 415,
    reason: 'UnsupportedMediaType',
    message: `the body of the request was in an unknown format - accepted media types include: ${accepted.join(', ')}`,
  });
}

/** A JSON patch that does not apply: apiserver:pkg/endpoints/handlers/patch.go answers 422 through
 * NewGenericServerResponse, which kubectl prints without the "Error from server" prefix. The library's
 * own reason (`testing value /spec/replicas failed: test failed`) is kept in `detail.cause`. */
export function jsonPatchFailed(cause: string): KubeError {
  const message = 'the server rejected our request due to an error in our request';
  return serverError('kube/json-patch-failed', { code: 422, reason: 'Invalid', message }, { cause }, `The request is invalid: ${message}`);
}

/** A strategic merge patch the library refuses (missing merge key, unknown `$patch`): the apiserver
 * answers 500 with an empty reason, which kubectl prints as `Error from server: <message>`. */
export function badPatch(message: string): KubeError {
  return simError('kube/bad-patch', `Error from server: ${message}`, { status: { code: 500, reason: '', message } });
}

/** kubectl's message when no API serves the manifest's kind (meta.NoKindMatchError). */
export function noKindMatch(kind: string, apiVersion: string): KubeError {
  const { group, version } = splitApiVersion(apiVersion);
  return simError('kube/no-kind-match', `no matches for kind "${kind}" in version "${group === '' ? version : `${group}/${version}`}"`, { kind, apiVersion });
}

/** kubectl get with an unknown resource type. */
export function unknownResource(resource: string): KubeError {
  return simError('kube/unknown-resource', `error: the server doesn't have a resource type "${resource}"`, { resource });
}

function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.lastIndexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

/**
 * `The Deployment "web" is invalid: spec.replicas: …` (one error) or the bulleted form kubectl prints
 * for several. `kind` is the kind as the server names it (`Deployment`, `ClusterSPIFFEID.spire.spiffe.io`
 * is shown by kubectl as just the Kind).
 */
export function invalid(kind: string, name: string, errors: readonly FieldError[], qualifiedKind = kind): KubeError {
  const lines = errors.map(formatFieldError);
  const serverMessage = `${qualifiedKind} "${name}" is invalid: ${lines.length === 1 ? lines[0] : `[${lines.join(', ')}]`}`;
  const shown = invalidMessage(kind, name, errors);
  return serverError('kube/invalid', { code: 422, reason: 'Invalid', message: serverMessage }, { kind, name, causes: errors }, shown);
}
