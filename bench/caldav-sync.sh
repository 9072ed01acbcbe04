#!/usr/bin/env bash
# How long a CalDAV sync of the bundled roadmap's 12-month plan takes against the two test
# servers on this computer (Radicale; Xandikos behind the authenticating proxy): the first sync
# (every object written), a sync with nothing to do, and one after a session moved in the app
# (its event and the re-packed sessions after it rewritten). Release build; the password from a
# file (no keyring needed). Needs scripts/install-deps.sh. Usage: bench/caldav-sync.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p roadmap-cli
R="$PWD/target/release/roadmap"
tools="$PWD/.tools/caldav/bin"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return; sleep 0.1; done; echo "port $1 never opened" >&2; exit 1; }
echo "bench secret" > "$work/password"

rport=$(free_port)
echo "bench:bench secret" > "$work/users"
"$tools/radicale" --server-hosts "127.0.0.1:$rport" --auth-type htpasswd --auth-htpasswd-encryption plain \
  --auth-htpasswd-filename "$work/users" --storage-filesystem-folder "$work/radicale" \
  --rights-type owner_only --logging-level error >/dev/null 2>&1 & pids+=($!)
xport=$(free_port)
"$tools/xandikos" -d "$work/xandikos" --autocreate -l 127.0.0.1 -p "$xport" >/dev/null 2>&1 & pids+=($!)
wait_port "$rport"; wait_port "$xport"
"$tools/python" scripts/caldav-servers/proxy.py --backend "http://127.0.0.1:$xport" --user bench \
  --password "bench secret" > "$work/proxy" 2>/dev/null & pids+=($!)
for _ in $(seq 100); do grep -q ready "$work/proxy" && break; sleep 0.1; done
pport=$(awk '{print $2}' "$work/proxy")

ms() { local t0 t1; t0=$(date +%s%N); "$@" >/dev/null; t1=$(date +%s%N); echo $(( (t1 - t0) / 1000000 )); }
for server in "radicale http://127.0.0.1:$rport/" "xandikos http://127.0.0.1:$pport/"; do
  set -- $server
  export ROADMAP_PLANNER_DATA_DIR="$work/data-$1"
  "$R" plan --start 2027-01-04 --months 12 --save >/dev/null
  "$R" caldav connect "$2" --user bench --password-file "$work/password" >/dev/null
  objects_first=$(ms "$R" caldav sync --password-file "$work/password")
  objects=$("$R" caldav status --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"])')
  nothing=$(ms "$R" caldav sync --password-file "$work/password")
  id=$("$R" sessions --format json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if s["status"]=="planned" and s["date"]>"2027-03-01"][0]["id"])')
  "$R" move "$id" 2027-03-20T10:00 >/dev/null
  moved=$(ms "$R" caldav sync --password-file "$work/password")
  changed=$("$R" caldav status --format json | python3 -c 'import json,sys; r=json.load(sys.stdin)["last_report"]; print(r["updated"]+r["pushed"]+r["deleted"])')
  printf '%-9s first sync %5d ms (%d objects) · nothing to do %4d ms · after a move %5d ms (%d objects written)\n' \
    "$1" "$objects_first" "$objects" "$nothing" "$moved" "$changed"
done
