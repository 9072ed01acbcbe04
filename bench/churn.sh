#!/usr/bin/env bash
# How restless the plan is: after one small action, how many *other* planned sessions changed
# their date, start, length or topic (or were cancelled). Reproduces the table of the calm-plan
# issue with the debug CLI and a set clock (ROADMAP_PLANNER_NOW), and prints it.
#
#   bench/churn.sh            # builds target/debug/roadmap if needed
#   ROADMAP=path/to/roadmap bench/churn.sh
#
# The plan: the bundled roadmap from Monday 2027-01-04, 12 months, Mon/Tue/Thu 19-21 and
# Saturday 9-13, made at 00:01 that day (Europe/Berlin); every study session before
# 2027-01-20 21:00 marked done; then, at 2027-01-20 22:00, each action on its own copy.
set -euo pipefail
cd "$(dirname "$0")/.."

ROADMAP="${ROADMAP:-target/debug/roadmap}"
if [ "$ROADMAP" = target/debug/roadmap ]; then
  cargo build --quiet -p roadmap-cli
fi
export ROADMAP="$(realpath "$ROADMAP")"
export TZ=Europe/Berlin

exec python3 - <<'EOF'
import json
import os
import shutil
import subprocess
import tempfile

ROADMAP = os.environ["ROADMAP"]
AVAILABILITY = "mon=19:00-21:00,tue=19:00-21:00,thu=19:00-21:00,sat=09:00-13:00"
NOW = "2027-01-20T22:00"


def run(data, now, *args):
    env = dict(os.environ, ROADMAP_PLANNER_DATA_DIR=data, ROADMAP_PLANNER_NOW=now)
    env.pop("ROADMAP_PLANNER_TODAY", None)
    out = subprocess.run([ROADMAP, *args], env=env, capture_output=True, text=True)
    if out.returncode != 0:
        raise SystemExit(f"roadmap {' '.join(args)} failed: {out.stderr.strip()}")
    return out.stdout


def sessions(data):
    return json.loads(run(data, NOW, "sessions", "--format", "json"))


def planned(rows):
    return {s["id"]: s for s in rows if s["status"] == "planned"}


def changed(before, after, own):
    """Planned sessions (not the action's own) whose date, start, length or topic changed, or
    that are gone (cancelled)."""
    key = lambda s: (s["date"], s["start"], s["minutes"], s["topic"])
    after = {s["id"]: s for s in after}
    n = 0
    for sid, s in before.items():
        if own(s):
            continue
        a = after.get(sid)
        if a is None or a["status"] == "cancelled" or key(a) != key(s):
            n += 1
    return n


base = tempfile.mkdtemp(prefix="roadmap-churn-")
try:
    made = os.path.join(base, "made")
    os.makedirs(made)
    run(made, "2027-01-04T00:01", "plan", "--start", "2027-01-04", "--months", "12",
        "--availability", AVAILABILITY, "--save")
    for s in sessions(made):
        end = s["start"]
        h, m = map(int, end.split(":"))
        finish = h * 60 + m + s["minutes"]
        if s["kind"] == "study" and (s["date"], finish) <= ("2027-01-20", 21 * 60):
            run(made, NOW, "mark", str(s["id"]), "done")
    rows = sessions(made)
    before = planned(rows)
    future = sorted((s for s in before.values() if s["kind"] == "study"),
                    key=lambda s: (s["date"], s["start"]))
    order = []
    for s in future:
        if s["topic"] not in order:
            order.append(s["topic"])

    def copy(name):
        path = os.path.join(base, name)
        shutil.copytree(made, path)
        return path

    results = []

    # done on the topic of the next planned session
    d = copy("done")
    topic = future[0]["topic"]
    run(d, NOW, "done", topic)
    results.append((f"`done` on the topic of the next planned session ({topic})",
                    changed(before, sessions(d), lambda s: s["topic"] == topic)))

    # move the first study session after 2027-01-26 to the same time a day later
    d = copy("move")
    s = next(s for s in future if s["date"] > "2027-01-26")
    import datetime
    day = datetime.date.fromisoformat(s["date"]) + datetime.timedelta(days=1)
    run(d, NOW, "move", str(s["id"]), f"{day}T{s['start']}")
    results.append((f"`move` session {s['id']} ({s['date']} {s['start']}) a day later",
                    changed(before, sessions(d), lambda x: x["id"] == s["id"])))

    # skip the topic in the middle of the remaining order
    d = copy("skip")
    topic = order[len(order) // 2]
    run(d, NOW, "skip", topic)
    results.append((f"`skip` the middle topic of the remaining order ({topic})",
                    changed(before, sessions(d), lambda s: s["topic"] == topic)))

    # busy add: Tuesdays 19:00-21:00 from 2027-02-02, four weeks
    d = copy("busy")
    ics = os.path.join(d, "tuesdays.ics")
    with open(ics, "w", newline="") as f:
        f.write("\r\n".join([
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//churn//EN", "BEGIN:VEVENT",
            "UID:tuesdays@churn", "DTSTAMP:20270101T000000Z",
            "DTSTART;TZID=Europe/Berlin:20270202T190000",
            "DTEND;TZID=Europe/Berlin:20270202T210000",
            "RRULE:FREQ=WEEKLY;COUNT=4", "SUMMARY:Evening class", "END:VEVENT",
            "END:VCALENDAR", ""]))
    run(d, NOW, "busy", "add", ics)
    results.append(("`busy add` Tuesdays 19:00-21:00 from 2027-02-02, four weeks",
                    changed(before, sessions(d), lambda s: False)))

    # the plan's own roadmap: a topic added, the middle topic's estimate doubled, one removed
    d = copy("topic-add")
    run(d, NOW, "topic", "add", "--title", "gRPC basics", "--step", "apis", "--skills", "apis",
        "--hours", "6", "--requires", "rest-design")
    results.append(("`topic add` a 6 h topic after REST design",
                    changed(before, sessions(d), lambda s: s["topic"].startswith("own-"))))
    d = copy("topic-edit")
    topic = order[len(order) // 2]
    run(d, NOW, "topic", "edit", topic, "--hours", "30")
    results.append((f"`topic edit` the middle topic's estimate to 30 h ({topic})",
                    changed(before, sessions(d), lambda s: s["topic"] == topic)))
    d = copy("topic-remove")
    run(d, NOW, "topic", "remove", "graphql-intro")
    results.append(("`topic remove` an optional topic nothing requires (graphql-intro)",
                    changed(before, sessions(d), lambda s: s["topic"] == "graphql-intro")))

    total = len(before)
    print(f"Planned sessions at {NOW}: {total}")
    print()
    print("| action | other planned sessions that changed date, start, length or topic |")
    print("|---|---|")
    for what, n in results:
        print(f"| {what} | {n} of {total} |")
finally:
    shutil.rmtree(base, ignore_errors=True)
EOF
