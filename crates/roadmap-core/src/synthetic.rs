//! Synthetic roadmaps of any size, for benchmarks. One generator writes both the TOML our CLI
//! reads and the TaskJuggler project `bench/compare-taskjuggler.sh` feeds to tj3, so the two
//! tools schedule the same work.

use std::fmt::Write;

/// One generated topic.
pub struct SyntheticTopic {
    pub id: String,
    pub step: usize,
    pub hours: u64,
    pub skill: &'static str,
    pub requires: Vec<String>,
}

/// A deterministic roadmap of `count` topics over eight steps: each topic requires up to two
/// recent earlier topics chosen by a fixed pseudo-random sequence, and takes 2 to 12 hours.
pub fn topics(count: usize) -> Vec<SyntheticTopic> {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    (0..count)
        .map(|i| {
            let hours = 2 + next() % 11;
            let skill = if next() % 2 == 0 { "a" } else { "b" };
            let mut requires = Vec::new();
            if i > 0 {
                for _ in 0..(next() % 3) {
                    let back = 1 + (next() as usize % i.min(20));
                    let r = format!("t{}", i - back);
                    if !requires.contains(&r) {
                        requires.push(r);
                    }
                }
            }
            SyntheticTopic {
                id: format!("t{i}"),
                step: i * 8 / count.max(1),
                hours,
                skill,
                requires,
            }
        })
        .collect()
}

/// The roadmap file for `topics(count)`.
pub fn roadmap_toml(count: usize) -> String {
    let mut out = String::with_capacity(count * 160);
    out.push_str("title = \"Synthetic\"\n\n[[skills]]\nid = \"a\"\nname = \"A\"\n\n[[skills]]\nid = \"b\"\nname = \"B\"\n\n");
    for s in 0..8 {
        let _ = write!(out, "[[steps]]\nid = \"s{s}\"\ntitle = \"Step {s}\"\n\n");
    }
    for t in topics(count) {
        let requires: Vec<String> = t.requires.iter().map(|r| format!("\"{r}\"")).collect();
        let _ = write!(
            out,
            "[[topics]]\nid = \"{}\"\nstep = \"s{}\"\ntitle = \"Topic {}\"\nhours = {}\nskills = [\"{}\"]\nrequires = [{}]\n\n",
            t.id,
            t.step,
            t.id,
            t.hours,
            t.skill,
            requires.join(", ")
        );
    }
    out
}

/// The same roadmap as a TaskJuggler project: one learner, the same weekly hours, one task per
/// topic with its effort and dependencies, and a CSV report of every task's start and end.
pub fn taskjuggler_project(count: usize, start: &str) -> String {
    let mut out = String::with_capacity(count * 100);
    let topics = topics(count);
    // Just long enough a project: tj3's cost grows with the number of time slots it scans.
    let hours: u64 = topics.iter().map(|t| t.hours).sum();
    let days = hours.div_ceil(24) + 30;
    let _ = write!(
        out,
        "project synth \"Synthetic\" {start} +{days}d {{\n  timezone \"UTC\"\n  timingresolution 60min\n  workinghours mon - sun 0:00 - 24:00\n  dailyworkinghours 24\n}}\n\nresource learner \"Learner\"\n\n"
    );
    for t in topics {
        let depends = if t.requires.is_empty() {
            String::new()
        } else {
            format!(" depends {}", t.requires.join(", "))
        };
        let _ = writeln!(
            out,
            "task {} \"Topic {}\" {{ effort {}h allocate learner{depends} }}",
            t.id, t.id, t.hours
        );
    }
    out.push_str("\ntaskreport synth \"synth\" {\n  formats csv\n  columns id, start, end\n}\n");
    out
}
