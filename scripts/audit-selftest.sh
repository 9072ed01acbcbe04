#!/usr/bin/env bash
# Proves, with no network, that the RustSec half of the audit can fail: runs cargo-deny's
# advisories check over our real Cargo.lock and deny.toml policy, against a local advisory
# database holding one made-up advisory for rusqlite. It must fail while our rusqlite is in the
# advisory's range and pass once the range leaves it out. Run by scripts/audit.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
DENY=.tools/bin/cargo-deny
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# shellcheck source=scripts/local-advisory-db.sh
source scripts/local-advisory-db.sh

advisory() { # $1: the versions the advisory says are patched
  mkdir -p "$work/db/crates/rusqlite"
  cat >"$work/db/crates/rusqlite/RUSTSEC-0000-0001.md" <<EOF
\`\`\`toml
[advisory]
id = "RUSTSEC-0000-0001"
package = "rusqlite"
date = "2026-01-01"
url = "https://audit-self-test.invalid/advisory"
categories = ["memory-corruption"]
keywords = []

[versions]
patched = ["$1"]
\`\`\`

# Audit self-test

A made-up advisory: scripts/audit-selftest.sh checks that a vulnerable crate fails the audit.
EOF
  git -C "$work/db" add -A
  git -C "$work/db" -c user.name=audit -c user.email=audit@self-test.invalid commit -q -m "$1"
}

check() {
  "$DENY" --locked --offline --config "$work/deny.toml" check advisories >"$work/out" 2>&1
}
fail() { # $1: what went wrong; cargo-deny's last output goes with it
  cat "$work/out" >&2 2>/dev/null || true
  echo "audit self-test: $1" >&2
  exit 1
}

git init -q "$work/db"
advisory ">= 999.0.0"
local_advisory_db "$work" "$work/db" || fail "could not set up the local advisory database"
dir="$(ls -d "$work"/dbs/advisory-db-*)"

check && fail "a vulnerable rusqlite passed the advisories check"
grep -q "RUSTSEC-0000-0001" "$work/out" || fail "the check failed, but not on the made-up advisory"

advisory ">= 0.0.1"
git -C "$dir" pull -q --ff-only
check || fail "the advisories check failed with rusqlite outside the advisory's range"
echo "audit self-test ok (a vulnerable crate fails the advisories check, a patched one passes)"
