#!/usr/bin/env bash
# Points cargo-deny at a local RustSec advisory database, with no network.
#   source scripts/local-advisory-db.sh
#   local_advisory_db WORKDIR SOURCE_REPO
# SOURCE_REPO is a git repository holding `crates/` and `rust/` advisories. Writes
# WORKDIR/deny.toml (our deny.toml with the database swapped for it) and clones SOURCE_REPO to
# where cargo-deny looks for that database (a hash of its URL, which cargo-deny names when the
# clone is missing), so `cargo-deny --offline --config WORKDIR/deny.toml check advisories` reads
# it. Used by scripts/audit.sh (the dated snapshot in ../shared/advisory-db) and
# scripts/audit-selftest.sh (a made-up advisory).

local_advisory_db() {
  local work="$1" source="$2"
  local deny=.tools/bin/cargo-deny
  sed '/^\[advisories\]/a db-urls = ["https://local-advisory-db.invalid/advisory-db"]\ndb-path = "'"$work"'/dbs"' \
    deny.toml >"$work/deny.toml"
  grep -q '^db-urls = \["https://local-advisory-db.invalid' "$work/deny.toml" || {
    echo "deny.toml has no [advisories] table to point at a local database" >&2
    return 1
  }
  mkdir -p "$work/dbs"
  "$deny" --locked --offline --config "$work/deny.toml" check advisories >"$work/where" 2>&1 || true
  local dir
  dir="$(grep -o "$work/dbs/advisory-db-[0-9a-f]*" "$work/where" | head -n 1 || true)"
  [ -n "$dir" ] || {
    cat "$work/where" >&2
    echo "could not tell where cargo-deny looks for its advisory database" >&2
    return 1
  }
  rm -rf "$dir"
  git clone -q "$source" "$dir"
}
