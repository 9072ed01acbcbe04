#!/usr/bin/env bash
# Cold start to interactive, timed like Tauri's own benchmark: the whole process, from exec to
# exit, where the app exits right after its first render with data
# (ROADMAP_PLANNER_EXIT_ON_READY=1). The app starts on a saved plan of the full roadmap; a bare
# Tauri hello-world (bench/hello-tauri) is built and timed the same way, in the same run, under
# the same Xvfb server. Needs hyperfine and xvfb-run (make deps installs Xvfb; apt install
# hyperfine). Usage: bench/startup.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-15}"

npm --prefix ui run build >/dev/null
cargo build --release -p roadmap-planner -p roadmap-cli -p hello-tauri

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
ROADMAP_PLANNER_DATA_DIR="$data" target/release/roadmap plan --start 2027-01-04 --months 12 --save >/dev/null

export ROADMAP_PLANNER_DATA_DIR="$data" ROADMAP_PLANNER_EXIT_ON_READY=1 WEBKIT_DISABLE_COMPOSITING_MODE=1
xvfb-run -a -s "-screen 0 1280x800x24" env -u DBUS_SESSION_BUS_ADDRESS \
  hyperfine --warmup 3 --runs "$RUNS" --export-json "$data/startup.json" \
    --command-name app target/release/roadmap-planner \
    --command-name hello-tauri target/release/hello-tauri >&2

cp "$data/startup.json" "${STARTUP_JSON:-/dev/null}" 2>/dev/null || true
python3 - "$data/startup.json" <<'PY'
import json, sys
results = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
app, hello = results["app"], results["hello-tauri"]
print(f"app:         median {app['median']*1000:.0f} ms (min {app['min']*1000:.0f}, max {app['max']*1000:.0f}, {len(app['times'])} runs)")
print(f"hello-tauri: median {hello['median']*1000:.0f} ms (min {hello['min']*1000:.0f}, max {hello['max']*1000:.0f})")
print(f"ratio app / hello-tauri: {app['median']/hello['median']:.2f}")
# Under Xvfb some starts of any WebKitGTK window (the bare hello-world too) stall for about half
# a second before the first frame. Say how often, and compare the runs that did not stall.
def split(r):
    fast = sorted(t for t in r["times"] if t < min(r["times"]) + 0.3)
    return fast, len(r["times"]) - len(fast)
(af, astall), (hf, hstall) = split(app), split(hello)
mid = lambda xs: xs[len(xs) // 2]
print(f"stalled ~0.5 s: app {astall}/{len(app['times'])}, hello-tauri {hstall}/{len(hello['times'])}")
print(f"without the stalls: app {mid(af)*1000:.0f} ms, hello-tauri {mid(hf)*1000:.0f} ms, ratio {mid(af)/mid(hf):.2f}")
PY
