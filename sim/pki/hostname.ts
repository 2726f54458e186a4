/**
 * Whether a certificate's DNS names cover a host, as TLS clients check it (RFC 6125 §6.4.3; Go
 * `crypto/x509` matchHostnames): exact match, or a `*.` wildcard standing for exactly one left-most
 * label. Case-insensitive; a trailing dot on the host is ignored.
 */
export function dnsNamesMatchHost(dnsNames: readonly string[], host: string): boolean {
  const h = host.replace(/\.$/, '').toLowerCase();
  return dnsNames.some((n) => {
    const name = n.toLowerCase();
    if (name === h) return true;
    if (!name.startsWith('*.')) return false;
    const dot = h.indexOf('.');
    return dot > 0 && h.slice(dot + 1) === name.slice(2);
  });
}
