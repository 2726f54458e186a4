/** What to bundle and where to keep it (bundleCache.mjs). */
export interface BundleOptions {
  /** The project directory: the entry and the manifest's input paths are relative to it (default: fedlab's). */
  readonly root?: string;
  readonly entry: string;
  /** The bundle is `<cacheDir>/<name>.mjs`, its manifest `<cacheDir>/<name>.json` (default: node_modules/.cache/fedlab). */
  readonly cacheDir?: string;
  readonly name: string;
}

export declare const PROJECT_ROOT: string;
export declare const BUNDLE_CACHE: string;
export declare function cachedBundle(opts: BundleOptions): string | undefined;
