/**
 * Which executables a container image has, and where, so `kubectl exec` fails as on a real node for
 * everything else. A bare name is looked up in the image's PATH; an absolute path must be where the
 * image ships the binary (SPIRE's images put theirs in /opt/spire/bin, which is on their PATH).
 * Simplified: a small table keyed by image-name patterns, from the images the guides use.
 */
const COREUTILS = ['sh', 'cat', 'echo', 'ls', 'head', 'tail', 'grep', 'wc', 'base64', 'sort', 'uniq', 'tee', 'true', 'false', 'env'].map((b) => `/usr/bin/${b}`);
const SHELLS = ['/bin/sh', '/bin/bash', '/usr/bin/bash'];

interface ImageInfo {
  readonly pattern: RegExp;
  /** Absolute paths of the executables. */
  readonly binaries: readonly string[];
  readonly path: readonly string[];
}

const DEFAULT_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];

const IMAGES: readonly ImageInfo[] = [
  // ZTWIM's Red Hat builds (registry.redhat.io/zero-trust-workload-identity-manager/*-rhel9): ubi9-minimal
  // with the binary at the image root (openshift/spiffe-spire Containerfile.spire-{server,agent,oidc-discovery-provider}.art,
  // openshift/spiffe-spiffe-csi Containerfile.art). The operator sets PATH=/opt/spire/bin:/bin, where no
  // SPIRE binary is: only `/spire-server` works (seed 000 step 4b), `/opt/spire/bin/spire-server` does not.
  // Listed before the generic patterns below, which would otherwise match these names.
  { pattern: /zero-trust-workload-identity-manager\/spiffe-spire-server/, binaries: ['/spire-server', ...COREUTILS, ...SHELLS], path: ['/opt/spire/bin', '/bin', '/usr/bin'] },
  { pattern: /zero-trust-workload-identity-manager\/spiffe-spire-agent/, binaries: ['/spire-agent', ...COREUTILS, ...SHELLS], path: ['/opt/spire/bin', '/bin', '/usr/bin'] },
  { pattern: /zero-trust-workload-identity-manager\/spiffe-spire-oidc-discovery-provider/, binaries: ['/oidc-discovery-provider', ...COREUTILS, ...SHELLS], path: DEFAULT_PATH },
  { pattern: /zero-trust-workload-identity-manager\/spiffe-csi-driver/, binaries: ['/spiffe-csi-driver', ...COREUTILS, ...SHELLS], path: DEFAULT_PATH },
  // Unverified: the controller-manager build's layout (its Containerfile is not in the index); upstream's puts it at the root.
  { pattern: /zero-trust-workload-identity-manager\/spiffe-spire-controller-manager/, binaries: ['/spire-controller-manager'], path: ['/'] },
  // ghcr.io/spiffe/spire-*: scratch-based, only the binary (spiffe/spire Dockerfile).
  { pattern: /spire-server/, binaries: ['/opt/spire/bin/spire-server'], path: ['/opt/spire/bin'] },
  { pattern: /spire-agent/, binaries: ['/opt/spire/bin/spire-agent'], path: ['/opt/spire/bin'] },
  { pattern: /spiffe-csi-driver/, binaries: ['/spiffe-csi-driver'], path: ['/'] },
  { pattern: /spire-controller-manager/, binaries: ['/spire-controller-manager'], path: ['/'] },
  { pattern: /spiffe-helper/, binaries: ['/spiffe-helper'], path: ['/'] },
  { pattern: /proxyv2|istio-proxy/, binaries: [...COREUTILS, ...SHELLS, '/usr/bin/curl', '/usr/bin/openssl', '/usr/local/bin/pilot-agent', '/usr/local/bin/envoy'], path: DEFAULT_PATH },
  { pattern: /pilot/, binaries: ['/usr/local/bin/pilot-discovery'], path: DEFAULT_PATH },
  { pattern: /curl/, binaries: [...COREUTILS, '/bin/sh', '/usr/bin/curl'], path: DEFAULT_PATH },
  { pattern: /ubi|rhel|fedora|ubuntu|debian|alpine|busybox|nginx|httpd|bash/, binaries: [...COREUTILS, ...SHELLS, '/usr/bin/openssl', '/usr/bin/curl'], path: DEFAULT_PATH },
];

const FALLBACK: ImageInfo = { pattern: /.*/, binaries: [...COREUTILS, ...SHELLS], path: DEFAULT_PATH };

export const imageInfo = (image: string): ImageInfo => IMAGES.find((i) => i.pattern.test(image)) ?? FALLBACK;

/** The executable `name` resolves to in the image, or undefined (`executable file not found in $PATH`). */
export function resolveExecutable(image: string, name: string): string | undefined {
  const info = imageInfo(image);
  if (name.includes('/')) return info.binaries.includes(name) ? name : undefined;
  for (const dir of info.path) {
    const candidate = `${dir === '/' ? '' : dir}/${name}`;
    if (info.binaries.includes(candidate)) return candidate;
  }
  return undefined;
}

/** Base names of the image's executables (for a shell started inside the container). */
export const imageBinaries = (image: string): string[] => imageInfo(image).binaries.map((b) => b.slice(b.lastIndexOf('/') + 1));
