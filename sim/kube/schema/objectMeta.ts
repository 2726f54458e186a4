/**
 * ObjectMeta checks every kind gets from the API server (apimachinery `pkg/api/validation/objectmeta.go`
 * `ValidateObjectMetaAccessor`, name rules from `pkg/util/validation/validation.go` and
 * kubernetes `pkg/apis/core/validation/validation.go`): name or generateName, the kind's name format,
 * label keys and values.
 * Non-string label/annotation values are decode errors (see `decodeErrors` in validator.ts), not field errors.
 * Simplified: annotations size, ownerReferences and finalizers are not checked.
 */
import { fieldErrors, type FieldError } from './fieldError.ts';
import { isDNS1035Label, isDNS1123Label, isDNS1123Subdomain, isPathSegmentName, isQualifiedName, isValidLabelValue } from '../validation.ts';

export function nameRuleFor(group: string, kind: string): (v: string) => string[] {
  if (group === '' && kind === 'Namespace') return isDNS1123Label;
  if (group === '' && kind === 'Service') return isDNS1035Label;
  if (group === 'rbac.authorization.k8s.io') return isPathSegmentName;
  return isDNS1123Subdomain;
}

/** Validates `metadata` the way every create/update does. */
export function validateObjectMeta(metadata: unknown, group: string, kind: string): FieldError[] {
  const errs: FieldError[] = [];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return [fieldErrors.required('metadata.name', 'name or generateName is required')];
  }
  const m = metadata as Record<string, unknown>;
  const name = m.name;
  if (name === undefined || name === '') {
    if (m.generateName === undefined || m.generateName === '') errs.push(fieldErrors.required('metadata.name', 'name or generateName is required'));
  } else if (typeof name !== 'string') {
    errs.push(fieldErrors.invalid('metadata.name', name, 'must be a string'));
  } else {
    for (const msg of nameRuleFor(group, kind)(name)) errs.push(fieldErrors.invalid('metadata.name', name, msg));
  }
  const labels = m.labels;
  if (labels !== undefined && labels !== null && typeof labels === 'object' && !Array.isArray(labels)) {
    for (const [k, v] of Object.entries(labels as Record<string, unknown>)) {
      for (const msg of isQualifiedName(k)) errs.push(fieldErrors.invalid('metadata.labels', k, msg));
      if (typeof v === 'string') for (const msg of isValidLabelValue(v)) errs.push(fieldErrors.invalid('metadata.labels', v, msg));
    }
  }
  const annotations = m.annotations;
  if (annotations !== undefined && annotations !== null && typeof annotations === 'object' && !Array.isArray(annotations)) {
    for (const k of Object.keys(annotations as Record<string, unknown>)) {
      for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErrors.invalid('metadata.annotations', k, msg));
    }
  }
  return errs;
}
