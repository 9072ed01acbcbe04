#!/usr/bin/env bash
# The dependency audit.
#   scripts/audit.sh           run by `make test`. Needs no network: cargo-deny's licences, bans
#                              (no shell, fs or http plugin of our own) and sources (crates.io
#                              only) over deny.toml, and the licences of every npm package under
#                              ui/. Then known vulnerabilities: cargo-deny's advisories (the
#                              RustSec database) and `npm audit --omit=dev`, failing on any
#                              RustSec vulnerability and on high or critical npm advisories.
#                              Both databases live outside the package registries: where one
#                              cannot be reached its check is reported NOT RUN, loudly, here and
#                              at the end of `make test`, and the run goes on. Either way,
#                              scripts/audit-selftest.sh proves offline that a vulnerable crate
#                              fails the RustSec check as configured here.
#   scripts/audit.sh --strict  run by `make audit`: the same, but a database out of reach fails.
# Writes the checks that could not run to target/audit-not-run.txt (empty when all ran).
set -euo pipefail
cd "$(dirname "$0")/.."
DENY=.tools/bin/cargo-deny
[ -x "$DENY" ] || { echo "error: $DENY is missing; run scripts/install-deps.sh" >&2; exit 1; }
strict=false
case "${1:-}" in
  "") ;;
  --strict) strict=true ;;
  *) echo "usage: scripts/audit.sh [--strict]" >&2; exit 2 ;;
esac
mkdir -p target
not_run=target/audit-not-run.txt
: >"$not_run"

"$DENY" --locked check bans licenses sources
out="$(node --test scripts/npm-licenses.test.mjs scripts/npm-audit.test.mjs 2>&1)" || { echo "$out" >&2; exit 1; }
node scripts/npm-licenses.mjs
scripts/audit-selftest.sh

status=0
if fetch="$("$DENY" --locked fetch db 2>&1)"; then
  "$DENY" --locked --offline check advisories || {
    status=1
    echo "error: cargo-deny found advisories against the crates above (RustSec database)" >&2
  }
else
  echo "RustSec advisories: the database could not be fetched: $(tail -n 1 <<<"$fetch")" >>"$not_run"
fi

rc=0
npm_out="$(node scripts/npm-audit.mjs ui 2>&1)" || rc=$?
case "$rc" in
  0) echo "$npm_out" ;;
  3) echo "npm advisories: $npm_out" >>"$not_run" ;;
  *) echo "$npm_out" >&2; status=1 ;;
esac

if [ -s "$not_run" ]; then
  {
    echo
    echo "=== VULNERABILITY CHECKS NOT RUN (their databases could not be reached) ==="
    sed 's/^/  /' "$not_run"
    echo "  Run \`make audit\` on a machine that reaches them."
    echo
  } >&2
  $strict && status=1
fi
exit "$status"
