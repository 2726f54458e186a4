/**
 * Which executables a container image has, so `kubectl exec` fails as on a real node for the rest.
 * Simplified: a small table keyed by image-name patterns, from the images the guides use (SPIRE's
 * images ship only their binary; Istio's proxyv2 is Ubuntu-based with a shell, curl and openssl;
 * curlimages/curl is busybox-based). Unknown images get a shell and coreutils.
 */
const COREUTILS = ['sh', 'cat', 'echo', 'ls', 'head', 'tail', 'grep', 'wc', 'base64', 'sort', 'uniq', 'tee', 'true', 'false', 'env'];

const IMAGES: readonly { readonly pattern: RegExp; readonly binaries: readonly string[] }[] = [
  { pattern: /spire-server/, binaries: ['spire-server'] },
  { pattern: /spire-agent/, binaries: ['spire-agent'] },
  { pattern: /spiffe-csi-driver/, binaries: ['spiffe-csi-driver'] },
  { pattern: /spire-controller-manager/, binaries: ['manager'] },
  { pattern: /spiffe-helper/, binaries: ['spiffe-helper'] },
  { pattern: /proxyv2|istio-proxy/, binaries: [...COREUTILS, 'bash', 'curl', 'openssl', 'pilot-agent', 'envoy'] },
  { pattern: /pilot/, binaries: ['pilot-discovery'] },
  { pattern: /curl/, binaries: [...COREUTILS, 'curl'] },
  { pattern: /ubi|rhel|fedora|ubuntu|debian|alpine|busybox|nginx|httpd/, binaries: [...COREUTILS, 'bash', 'openssl', 'curl'] },
];

export function imageBinaries(image: string): readonly string[] {
  return IMAGES.find((i) => i.pattern.test(image))?.binaries ?? [...COREUTILS, 'bash'];
}
