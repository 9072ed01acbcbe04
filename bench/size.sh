#!/usr/bin/env bash
# Size of the app's release binary (UI embedded), with the default release profile and with the
# size-optimised `release-small` profile that `make package` ships. Usage: bench/size.sh
set -euo pipefail
cd "$(dirname "$0")/.."
npm --prefix ui run build >/dev/null
cargo build --release -p roadmap-planner
cargo build --profile release-small -p roadmap-planner
for f in target/release/roadmap-planner target/release-small/roadmap-planner; do
  printf '%-40s %6.1f MiB (%s bytes)\n' "$f" "$(echo "$(stat -c %s "$f") / 1048576" | bc -l)" "$(stat -c %s "$f")"
done
