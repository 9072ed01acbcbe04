#!/usr/bin/env bash
# Times our CLI and TaskJuggler (tj3) scheduling the same synthetic roadmap, whole process
# against whole process, and prints the figures and the ratio.
#
#   bench/compare-taskjuggler.sh [COUNT...]      (default: 100 1000)
#
# Both get one learner available around the clock, the same efforts and the same
# dependencies; each writes every task's dates (our JSON plan, tj3's CSV report). Needs tj3 and
# hyperfine (Debian packages tj3, hyperfine); installs them when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

counts=("$@")
if [ ${#counts[@]} -eq 0 ]; then counts=(100 1000); fi

need=()
command -v tj3 >/dev/null || need+=(tj3)
command -v hyperfine >/dev/null || need+=(hyperfine)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}"
fi

cargo build --quiet --release -p roadmap-cli
cargo build --quiet --release -p roadmap-core --example synthetic
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
week="mon=00:00-24:00,tue=00:00-24:00,wed=00:00-24:00,thu=00:00-24:00,fri=00:00-24:00,sat=00:00-24:00,sun=00:00-24:00"

echo "machine: $(nproc) cores, $(uname -m); tj3 $(tj3 --version 2>/dev/null | head -1 | awk '{print $NF}')"
for n in "${counts[@]}"; do
  target/release/examples/synthetic "$n" "$work/synth-$n.toml" "$work/synth-$n.tjp"
  ours="target/release/roadmap plan --roadmap $work/synth-$n.toml --start 2027-01-04 --availability $week --format json --session-max 720"
  mkdir -p "$work/tj-$n"
  theirs="tj3 --silent --no-color -o $work/tj-$n $work/synth-$n.tjp"
  # Each must succeed on its own before it is timed.
  $ours > "$work/ours-$n.json"
  (cd "$work" && $theirs)
  hyperfine --style basic --warmup 1 --runs "${RUNS:-5}" \
    --export-json "$work/times-$n.json" \
    --command-name "roadmap plan, $n topics" "$ours" \
    --command-name "tj3, $n tasks" "cd $work && $theirs" >/dev/null
  python3 - "$work/times-$n.json" "$n" <<'PY'
import json, sys
results = json.load(open(sys.argv[1]))["results"]
ours, theirs = results[0]["median"], results[1]["median"]
print(f"{sys.argv[2]} topics: roadmap plan {ours*1000:.1f} ms, tj3 {theirs*1000:.0f} ms (medians); tj3/ours = {theirs/ours:.0f}x")
PY
done
