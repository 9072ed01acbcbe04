#!/usr/bin/env bash
# The dependency audit.
#   scripts/audit.sh           run by `make test`. Needs no network: cargo-deny's licences, bans
#                              (no shell, fs or http plugin of our own) and sources (crates.io
#                              only) over deny.toml, and the licences of every npm package under
#                              ui/. Then known vulnerabilities: cargo-deny's advisories (the
#                              RustSec database) and `npm audit --omit=dev`, failing on any
#                              RustSec vulnerability and on high or critical npm advisories.
#                              Both databases live outside the package registries: where the
#                              live RustSec database cannot be reached, the dated snapshot in
#                              ../shared/advisory-db is checked instead (its date is printed, and
#                              any finding fails); a check with neither is reported NOT RUN,
#                              loudly, here and at the end of `make test`, and the run goes on. Either way,
#                              scripts/audit-selftest.sh proves offline that a vulnerable crate
#                              fails the RustSec check as configured here.
#   scripts/audit.sh --strict  run by `make audit`: the same, but a database out of reach fails.
# Writes the checks that could not run to target/audit-not-run.txt (empty when all ran), and
# the checks made against the offline snapshot only to target/audit-snapshot.txt.
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
snapshot_only=target/audit-snapshot.txt
: >"$not_run"
: >"$snapshot_only"

"$DENY" --locked check bans licenses sources
out="$(node --test scripts/npm-licenses.test.mjs scripts/npm-audit.test.mjs 2>&1)" || { echo "$out" >&2; exit 1; }
node scripts/npm-licenses.mjs
scripts/audit-selftest.sh

status=0
# The dated offline snapshot of the RustSec database that CI and the developers' machines get
# beside the project (see its SNAPSHOT.md), used where the live database cannot be fetched.
SNAPSHOT="${ROADMAP_ADVISORY_SNAPSHOT:-../shared/advisory-db}"
if fetch="$("$DENY" --locked fetch db 2>&1)"; then
  "$DENY" --locked --offline check advisories || {
    status=1
    echo "error: cargo-deny found advisories against the crates above (RustSec database)" >&2
  }
elif [ -f "$SNAPSHOT/SNAPSHOT.md" ] && [ -d "$SNAPSHOT/crates" ]; then
  commit="$(grep -o 'commit [0-9a-f]\{40\}' "$SNAPSHOT/SNAPSHOT.md" | head -n 1 | cut -d' ' -f2)"
  dated="$(grep -o 'committed [0-9-]\{10\}' "$SNAPSHOT/SNAPSHOT.md" | head -n 1 | cut -d' ' -f2)"
  echo "RustSec advisories: the live database could not be fetched; checking against the offline snapshot of ${dated:-an unknown date} (advisory-db ${commit:-commit unknown}) in $SNAPSHOT"
  snap="$(mktemp -d)"
  trap 'rm -rf "$snap"' EXIT
  # cargo-deny reads a git clone: the snapshot is a plain folder, so commit a copy of it.
  mkdir -p "$snap/db"
  cp -R "$SNAPSHOT/crates" "$snap/db/"
  [ -d "$SNAPSHOT/rust" ] && cp -R "$SNAPSHOT/rust" "$snap/db/"
  git -C "$snap/db" init -q
  git -C "$snap/db" add -A
  git -C "$snap/db" -c user.name=audit -c user.email=audit@snapshot.invalid commit -q -m "snapshot $dated"
  # shellcheck source=scripts/local-advisory-db.sh
  source scripts/local-advisory-db.sh
  local_advisory_db "$snap" "$snap/db"
  if "$DENY" --locked --offline --config "$snap/deny.toml" check advisories; then
    echo "RustSec advisories: no finding against the snapshot of ${dated:-an unknown date}"
  else
    status=1
    echo "error: cargo-deny found advisories against the crates above (RustSec snapshot of ${dated:-an unknown date})" >&2
  fi
  echo "RustSec advisories: checked against the offline snapshot of ${dated:-an unknown date} (advisory-db ${commit:-commit unknown}), not the live database" >>"$snapshot_only"
else
  echo "RustSec advisories: the database could not be fetched, and no snapshot is at $SNAPSHOT: $(tail -n 1 <<<"$fetch")" >>"$not_run"
fi

rc=0
npm_out="$(node scripts/npm-audit.mjs ui 2>&1)" || rc=$?
case "$rc" in
  0) echo "$npm_out" ;;
  3) echo "npm advisories: $npm_out" >>"$not_run" ;;
  *) echo "$npm_out" >&2; status=1 ;;
esac

if [ -s "$snapshot_only" ]; then
  cat "$snapshot_only"
  # Strict: a snapshot only knows what was published up to its date.
  $strict && { echo "error: the live RustSec database was not reached (make audit)" >&2; status=1; }
fi
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
