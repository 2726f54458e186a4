/**
 * The `additionalPrinterColumns` of the CRDs the lab installs, per group/kind and version. The CRD data
 * in sim/kube/crds/generated drops them, so `crdPrinterColumns.json` is extracted from the same sources
 * (`../shared/crds`, see sim/kube/crds/PROVENANCE.md; the `istio/master` and ZTWIM `release-0.2.0`
 * copies are not used) and checked against them by test/sim/cli/kubectl/crdColumns.test.ts.
 * Plus OpenShift's config.openshift.io DNS, which has none (oc prints NAME and AGE).
 */
import { OLM_PRINTER_COLUMNS } from '../../openshift/index.ts';
import data from './crdPrinterColumns.json' with { type: 'json' };

export interface PrinterColumn {
  readonly name: string;
  readonly type: string;
  readonly jsonPath: string;
  readonly priority?: number;
  readonly format?: string;
}

const COLUMNS = data as Record<string, Record<string, PrinterColumn[]>>;

/** Columns for a kind at a version (falling back to any version that has some); undefined when none. */
export function printerColumnsFor(group: string, kind: string, version: string): readonly PrinterColumn[] | undefined {
  // OLM's kinds are served by OLM's own CRDs, which the lab does not ship: their columns come with OLM.
  const byVersion = COLUMNS[`${group}/${kind}`] ?? (OLM_PRINTER_COLUMNS as Record<string, Record<string, readonly PrinterColumn[]>>)[`${group}/${kind}`];
  if (!byVersion) return undefined;
  return byVersion[version] ?? Object.values(byVersion)[0];
}

/** The raw table, for the sync test. */
export const CRD_PRINTER_COLUMNS: Readonly<Record<string, Readonly<Record<string, readonly PrinterColumn[]>>>> = COLUMNS;
