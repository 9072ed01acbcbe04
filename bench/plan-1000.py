#!/usr/bin/env python3
"""`roadmap plan` on a 1,000-topic roadmap, whole process, timed by CPU time.

Builds the release CLI and the synthetic-roadmap example, writes a 1,000-topic roadmap, and
runs `roadmap plan --format json` on it RUNS times (default 150). Given the path of another
`roadmap` binary (an older build, say), it first checks both print the same plan byte for
byte, then runs the two alternately, one run each in turn, so that the drift of a shared
machine's speed falls on both alike. Prints, per binary, the CPU time (user + system, from
getrusage of each child) as min / p25 / median and the page faults of one run.

Usage: bench/plan-1000.py [RUNS] [OTHER_ROADMAP_BINARY]
"""

import os
import resource
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
AVAILABILITY = ",".join(f"{d}=00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun"))


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 150
    other = sys.argv[2] if len(sys.argv) > 2 else None
    for args in (["-p", "roadmap-cli"], ["-p", "roadmap-core", "--example", "synthetic"]):
        subprocess.run(["cargo", "build", "--quiet", "--release", *args], cwd=ROOT, check=True)
    ours = os.path.join(ROOT, "target/release/roadmap")
    binaries = [ours] + ([os.path.abspath(other)] if other else [])

    with tempfile.TemporaryDirectory() as work:
        roadmap = os.path.join(work, "s1000.toml")
        subprocess.run(
            [os.path.join(ROOT, "target/release/examples/synthetic"), "1000", roadmap,
             os.path.join(work, "s1000.tjp")],
            check=True, stdout=subprocess.DEVNULL,
        )
        command = ["plan", "--roadmap", roadmap, "--start", "2027-01-04",
                   "--availability", AVAILABILITY, "--format", "json"]
        env = dict(os.environ, ROADMAP_PLANNER_DATA_DIR=os.path.join(work, "data"))

        outputs = {b: subprocess.run([b, *command], env=env, check=True, capture_output=True).stdout
                   for b in binaries}
        if len(set(outputs.values())) != 1:
            sys.exit("the binaries print different plans; not comparing their times")
        print(f"plan of 1,000 topics: {len(outputs[ours]):,} bytes of JSON, identical from every binary")

        times = {b: [] for b in binaries}
        faults = {}
        with open(os.devnull, "wb") as sink:
            for _ in range(runs):
                for b in binaries:
                    before = resource.getrusage(resource.RUSAGE_CHILDREN)
                    subprocess.run([b, *command], env=env, stdout=sink, check=True)
                    after = resource.getrusage(resource.RUSAGE_CHILDREN)
                    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
                    times[b].append(cpu * 1000)
                    faults[b] = after.ru_minflt - before.ru_minflt

    for b in binaries:
        t = sorted(times[b])
        print(f"{b}: CPU min {t[0]:.2f} ms, p25 {t[len(t) // 4]:.2f} ms, "
              f"median {statistics.median(t):.2f} ms over {runs} runs; {faults[b]} page faults a run")


if __name__ == "__main__":
    main()
