#!/usr/bin/env bash
# The dependency audit.
#   scripts/audit.sh               what needs no network, run by `make test`: cargo-deny's
#                                  licences, bans (no shell, fs or http plugin of our own) and
#                                  sources (crates.io only) over deny.toml; the licences of
#                                  every npm package under ui/.
#   scripts/audit.sh --advisories  known vulnerabilities, run by `make audit`: cargo-deny's
#                                  advisories (the RustSec database) and `npm audit --omit=dev`,
#                                  failing on high or critical findings. Both databases live
#                                  outside the package registries, so this needs the internet.
set -euo pipefail
cd "$(dirname "$0")/.."
DENY=.tools/bin/cargo-deny
[ -x "$DENY" ] || { echo "error: $DENY is missing; run scripts/install-deps.sh" >&2; exit 1; }

if [ "${1:-}" = "--advisories" ]; then
  status=0
  "$DENY" --locked check advisories || {
    status=1
    echo "error: cargo-deny's advisories check failed (findings above, or the RustSec database could not be fetched)" >&2
  }
  npm --prefix ui audit --omit=dev --audit-level=high || {
    status=1
    echo "error: npm audit failed (findings above, or the registry's audit endpoint could not be reached)" >&2
  }
  exit "$status"
fi

"$DENY" --locked check bans licenses sources
out="$(node --test scripts/npm-licenses.test.mjs 2>&1)" || { echo "$out" >&2; exit 1; }
node scripts/npm-licenses.mjs
