#!/usr/bin/env bash
# Hostile and huge roadmaps against the release CLI: how long `roadmap validate` takes on a
# file of topics written as inline tables on one line, each with an unknown skill (every error
# on the same line: once quadratic), and how long `status` and `export` take on a plan of the
# largest roadmap allowed. Prints one line per case. Usage: bench/hostile-input.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p roadmap-cli
cargo build --quiet --release -p roadmap-core --example synthetic
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export ROADMAP_PLANNER_DATA_DIR="$work/data"

seconds() { # runs "$@", prints the wall time in seconds
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null 2>&1 || true
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.3f}')"
}

for n in 2000 8000 20000; do
  python3 - "$n" "$work/inline-$n.toml" <<'PY'
import sys
n, path = int(sys.argv[1]), sys.argv[2]
topics = ", ".join(
    f'{{ id = "t{i}", step = "one", title = "T", hours = 1, skills = ["nope{i}"] }}' for i in range(n)
)
open(path, "w").write(
    'title = "Hostile"\nskills = [{ id = "s", name = "S" }]\nsteps = [{ id = "one", title = "One" }]\n'
    f"topics = [{topics}]\n"
)
PY
  bytes=$(stat -c %s "$work/inline-$n.toml")
  echo "validate, $n unknown skills on one line ($((bytes / 1024)) KiB): $(seconds target/release/roadmap validate "$work/inline-$n.toml") s"
done

target/release/examples/synthetic 10000 "$work/big.toml" "$work/big.tjp"
target/release/roadmap plan --roadmap "$work/big.toml" --start 2027-01-04 \
  --availability "mon=00:00-24:00,tue=00:00-24:00,wed=00:00-24:00,thu=00:00-24:00,fri=00:00-24:00,sat=00:00-24:00,sun=00:00-24:00" \
  --save >/dev/null
echo "status, 10,000 topics: $(seconds target/release/roadmap status) s"
echo "status --topics, 10,000 topics: $(seconds target/release/roadmap status --topics) s"
echo "log, 10,000 topics: $(seconds target/release/roadmap log t1 30) s"
echo "export, 10,000 topics: $(seconds target/release/roadmap export --ics "$work/big.ics") s"
