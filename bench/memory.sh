#!/usr/bin/env bash
# Memory of the app's whole process tree (the app and its WebKit processes), 3 s after its first
# render with data, with the full roadmap planned: RSS and PSS summed from /proc/*/smaps_rollup.
# PSS shares each shared page out among the processes that map it, so it does not count the
# shared libraries several times the way summed RSS does. Usage: bench/memory.sh
set -euo pipefail
cd "$(dirname "$0")/.."

npm --prefix ui run build >/dev/null
cargo build --release -p roadmap-planner -p roadmap-cli

data="$(mktemp -d)"
trap 'rm -rf "$data"' EXIT
ROADMAP_PLANNER_DATA_DIR="$data" target/release/roadmap plan --start 2027-01-04 --months 12 --save >/dev/null

xvfb-run -a -s "-screen 0 1280x800x24" env -u DBUS_SESSION_BUS_ADDRESS \
  ROADMAP_PLANNER_DATA_DIR="$data" ROADMAP_PLANNER_READY_FILE="$data/ready" \
  WEBKIT_DISABLE_COMPOSITING_MODE=1 DATA="$data" bash -c '
  target/release/roadmap-planner & app=$!
  for _ in $(seq 200); do [ -e "$DATA/ready" ] && break; sleep 0.05; done
  [ -e "$DATA/ready" ] || { echo "the app never reported ready" >&2; kill $app; exit 1; }
  sleep 3
  python3 - "$app" <<"PY"
import os, sys
root = int(sys.argv[1])
children = {}
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        ppid = int(open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[1])
    except OSError:
        continue
    children.setdefault(ppid, []).append(int(pid))
tree, todo = [], [root]
while todo:
    p = todo.pop()
    tree.append(p)
    todo.extend(children.get(p, []))
rss = pss = 0
rows = []
for p in tree:
    try:
        fields = dict(l.split(":", 1) for l in open(f"/proc/{p}/smaps_rollup").read().splitlines()[1:])
        name = open(f"/proc/{p}/comm").read().strip()
    except OSError:
        continue
    r, s = int(fields["Rss"].split()[0]), int(fields["Pss"].split()[0])
    rss, pss = rss + r, pss + s
    rows.append(f"  {name:<24} RSS {r/1024:7.1f} MiB  PSS {s/1024:7.1f} MiB")
print("\n".join(rows))
print(f"process tree ({len(rows)} processes): RSS {rss/1024:.1f} MiB, PSS {pss/1024:.1f} MiB")
PY
  kill $app; wait $app 2>/dev/null || true'
