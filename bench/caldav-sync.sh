#!/usr/bin/env bash
# How long a CalDAV sync of the bundled roadmap's 12-month plan takes against the two test
# servers on this computer (Radicale; Xandikos behind the authenticating proxy), with one write
# in flight at a time and with four: the first sync (every object written), a sync with nothing
# to do, one after a session moved in the app, and one after the next topic was marked done;
# with the objects each writes. Release build; the password from a file (no keyring needed).
# Needs scripts/install-deps.sh. Usage: bench/caldav-sync.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p roadmap-cli
cargo build --quiet -p roadmap-cli
R="$PWD/target/release/roadmap"
# The debug CLI, for the steps that need the clock set (only debug builds read
# ROADMAP_PLANNER_NOW); every sync is the release build's.
D="$PWD/target/debug/roadmap"
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
  for flight in 1 4; do
    export ROADMAP_CALDAV_IN_FLIGHT=$flight ROADMAP_PLANNER_DATA_DIR="$work/data-$1-$flight"
    export ROADMAP_PLANNER_NOW=2027-01-04T08:00
    "$D" plan --start 2027-01-04 --months 12 --save >/dev/null
    "$R" caldav connect "$2" --user bench --password-file "$work/password" --calendar "bench $flight" >/dev/null
    first=$(ms "$R" caldav sync --password-file "$work/password")
    objects=$("$R" caldav status --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["objects"])')
    nothing=$(ms "$R" caldav sync --password-file "$work/password")
    written() { "$R" caldav status --format json | python3 -c 'import json,sys; r=json.load(sys.stdin)["last_report"]; print(r["updated"]+r["pushed"]+r["deleted"])'; }
    breakdown() { "$R" caldav status --format json | python3 -c 'import json,sys; r=json.load(sys.stdin)["last_report"]; print("%d updated, %d new, %d deleted" % (r["updated"], r["pushed"], r["deleted"]))'; }
    id=$("$R" sessions --format json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if s["status"]=="planned" and s["date"]>"2027-03-01"][0]["id"])')
    "$D" move "$id" 2027-03-20T10:00 >/dev/null
    moved=$(ms "$R" caldav sync --password-file "$work/password"); moved_n=$(written)
    # The calm-plan issue's scenario: every study session before 2027-01-20 21:00 done (synced),
    # then, at 22:00, the topic of the next planned session marked done.
    export ROADMAP_PLANNER_NOW=2027-01-20T22:00
    for sid in $("$D" sessions --format json | python3 -c 'import json,sys; print(" ".join(str(s["id"]) for s in json.load(sys.stdin) if s["status"]=="planned" and s["kind"]=="study" and (s["date"], s["start"]) < ("2027-01-20", "21:00")))'); do
      "$D" mark "$sid" done >/dev/null
    done
    "$R" caldav sync --password-file "$work/password" >/dev/null
    topic=$("$D" sessions --format json | python3 -c 'import json,sys; print([s for s in json.load(sys.stdin) if s["status"]=="planned" and s["kind"]=="study"][0]["topic"])')
    "$D" done "$topic" >/dev/null
    done_t=$(ms "$R" caldav sync --password-file "$work/password"); done_n=$(written)
    printf '%-9s %d in flight: first sync %6d ms (%d objects) · nothing to do %4d ms · after a move %5d ms (%d written) · after a topic done %5d ms (%d written: %s)\n' \
      "$1" "$flight" "$first" "$objects" "$nothing" "$moved" "$moved_n" "$done_t" "$done_n" "$(breakdown)"
  done
done
