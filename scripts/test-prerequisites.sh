#!/usr/bin/env bash
# Run by `npm test` before anything else: the certificate interop tests call Debian's openssl and the
# browser tests drive Debian's chromium (never a downloaded browser). Installs what is missing with apt
# when running as root; otherwise says exactly what to install and stops.
set -euo pipefail
missing=()
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "npm test: installing ${missing[*]} with apt-get (needed by the interop and browser tests)" >&2
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  exit 0
fi
echo "npm test needs Debian's ${missing[*]} (the browser tests use /usr/bin/chromium, the interop tests openssl)." >&2
echo "Install it, then run npm test again:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
exit 1
