//! Roadmap files: the shipped ones validate, broken ones give located errors.

use roadmap_core::Roadmap;
use roadmap_core::content::{BUNDLED_ROADMAP, ContentErrors};

const SKILL_AREAS: [&str; 7] = [
    "languages",
    "databases",
    "apis",
    "version-control",
    "cloud",
    "security",
    "testing",
];

fn parse(text: &str) -> Result<Roadmap, ContentErrors> {
    Roadmap::parse("test.toml", text)
}

#[test]
fn the_bundled_roadmap_has_eight_steps_and_the_seven_skill_areas() {
    let r = Roadmap::parse("content/backend-developer.toml", BUNDLED_ROADMAP)
        .unwrap_or_else(|e| panic!("bundled roadmap is invalid:\n{e}"));
    assert_eq!(r.steps.len(), 8);
    let skills: Vec<&str> = r.skills.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(skills, SKILL_AREAS);
}

#[test]
fn every_roadmap_under_content_validates() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("content folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "toml") {
            let text = std::fs::read_to_string(&path).expect("read");
            if let Err(e) = Roadmap::parse(&path.display().to_string(), &text) {
                panic!("{} is invalid:\n{e}", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 1, "no roadmap files found in {}", dir.display());
}

#[test]
fn the_bundled_roadmap_is_complete() {
    let r = Roadmap::bundled().expect("valid");
    assert!(r.topics.len() >= 40, "only {} topics", r.topics.len());
    for step in &r.steps {
        let milestone = step
            .milestone
            .as_ref()
            .unwrap_or_else(|| panic!("{} has no milestone", step.id));
        assert!(!milestone.criteria.is_empty());
        assert!(
            r.topics_of(&step.id).count() >= 3,
            "{} has few topics",
            step.id
        );
    }
    for topic in &r.topics {
        assert!(
            topic.summary.len() > 60,
            "{} needs a real description",
            topic.id
        );
        assert!(
            topic.hours.low < topic.hours.high,
            "{} needs a range",
            topic.id
        );
    }
    // Debugging and testing are topics of their own, not only a tag.
    let testing_topics = r
        .topics
        .iter()
        .filter(|t| t.skills.first().is_some_and(|s| s == "testing"))
        .count();
    assert!(
        testing_topics >= 3,
        "{testing_topics} topics lead with debugging and testing"
    );
}

#[test]
fn a_minimal_roadmap_parses() {
    let r = parse(
        r#"title = "T"
[[skills]]
id = "s"
name = "S"
[[steps]]
id = "one"
title = "One"
[[topics]]
id = "a"
step = "one"
title = "A"
hours = 2.5
skills = ["s"]
"#,
    )
    .expect("valid");
    assert_eq!(r.topics[0].hours.expected, 2.5);
    assert!(r.topics[0].requires.is_empty());
    assert!(!r.topics[0].optional);
}

#[test]
fn bad_toml_names_line_and_column() {
    let err = parse("title = \"T\"\n[[steps]\nid = 1\n").expect_err("broken");
    assert_eq!(err.0.len(), 1);
    assert_eq!(err.0[0].file, "test.toml");
    assert_eq!(err.0[0].line, 2, "{}", err.0[0]);
}

/// Every file in `fixtures/broken/` fails with exactly the errors in its `.expected` twin.
/// `UPDATE_EXPECT=1 cargo test` rewrites the twins; review the diff before committing it.
#[test]
fn broken_files_give_their_expected_errors() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/broken");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "fixtures missing from {}", dir.display());
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut mismatches = Vec::new();
    for file in files {
        let name = file
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&file).expect("read fixture");
        let actual = match Roadmap::parse(&name, &text) {
            Ok(_) => "(no error)\n".to_string(),
            Err(e) => format!("{e}\n"),
        };
        let expected_path = file.with_extension("expected");
        if update {
            std::fs::write(&expected_path, &actual).expect("write expected");
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            mismatches.push(format!(
                "{name}:\n--- expected\n{expected}--- actual\n{actual}"
            ));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

#[test]
fn a_cycle_names_every_topic_in_it() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it/fixtures/broken");
    let text = std::fs::read_to_string(dir.join("cycle.toml")).expect("fixture");
    let err = parse(&text).expect_err("cycle");
    assert_eq!(err.0.len(), 1, "{err}");
    let message = &err.0[0].message;
    for id in ["\"a\"", "\"b\"", "\"c\""] {
        let bare = id.trim_matches('"');
        assert!(message.contains(bare), "{message} does not name {id}");
    }
}

mod properties {
    use proptest::prelude::*;
    use roadmap_core::Roadmap;
    use roadmap_core::content::BUNDLED_ROADMAP;

    /// A mutation of the real roadmap file: the kinds of damage a hand edit does.
    #[derive(Debug, Clone)]
    enum Mutation {
        Delete { at: usize, len: usize },
        Insert { at: usize, text: String },
        DuplicateLine { line: usize },
        SwapLines { a: usize, b: usize },
        Truncate { at: usize },
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
            (any::<usize>(), "[\\[\\]{}=\"',.\\n a-z0-9#\\\\é😀-]{1,12}")
                .prop_map(|(at, text)| Mutation::Insert { at, text }),
            any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
            (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
            any::<usize>().prop_map(|at| Mutation::Truncate { at }),
        ]
    }

    fn apply(text: &str, m: &Mutation) -> String {
        let chars: Vec<char> = text.chars().collect();
        let mut lines: Vec<&str> = text.lines().collect();
        match m {
            Mutation::Delete { at, len } => {
                let at = at % chars.len();
                let end = (at + len).min(chars.len());
                chars[..at].iter().chain(&chars[end..]).collect()
            }
            Mutation::Insert { at, text: t } => {
                let at = at % chars.len();
                let mut s: String = chars[..at].iter().collect();
                s.push_str(t);
                s.extend(&chars[at..]);
                s
            }
            Mutation::DuplicateLine { line } => {
                let i = line % lines.len();
                lines.insert(i, lines[i]);
                lines.join("\n")
            }
            Mutation::SwapLines { a, b } => {
                let n = lines.len();
                lines.swap(a % n, b % n);
                lines.join("\n")
            }
            Mutation::Truncate { at } => chars[..at % chars.len()].iter().collect(),
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::cases(400)))]

        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let text = String::from_utf8_lossy(&bytes);
            let _ = Roadmap::parse("random.toml", &text);
        }

        #[test]
        fn mutations_of_the_real_file_give_a_roadmap_or_located_errors(
            ms in proptest::collection::vec(mutation(), 1..4)
        ) {
            let mut text = BUNDLED_ROADMAP.to_string();
            for m in &ms {
                if text.is_empty() { break; }
                text = apply(&text, m);
            }
            let line_count = text.lines().count().max(1);
            match Roadmap::parse("mutated.toml", &text) {
                Ok(r) => prop_assert!(!r.steps.is_empty() && !r.topics.is_empty()),
                Err(errors) => {
                    prop_assert!(!errors.0.is_empty());
                    for e in &errors.0 {
                        prop_assert!(e.line >= 1 && e.line <= line_count + 1, "{e}");
                        prop_assert!(e.column >= 1, "{e}");
                        prop_assert!(!e.message.is_empty());
                    }
                }
            }
        }
    }
}

/// A hostile file with thousands of problems on one line gets the first hundred, located,
/// and a count of the rest: never an error list (or a wait) as long as the file. Every
/// location is checked against a plain recount.
#[test]
fn thousands_of_problems_on_one_line_are_capped_and_located() {
    let topics: Vec<String> = (0..3000)
        .map(|i| {
            format!(
                r#"{{ id = "t{i}", step = "one", title = "T", hours = 1, skills = ["nope{i}"] }}"#
            )
        })
        .collect();
    let text = format!(
        "title = \"Fixture\"\nskills = [{{ id = \"s\", name = \"S\" }}]\nsteps = [{{ id = \"one\", title = \"One\" }}]\ntopics = [{}]\n",
        topics.join(", ")
    );
    let errors = parse(&text).expect_err("unknown skills").0;
    assert_eq!(errors.len(), roadmap_core::content::MAX_REPORTED_ERRORS + 1);
    let last = errors.last().expect("errors");
    assert!(
        last.message.starts_with("and 2900 more problems"),
        "{}",
        last.message
    );
    let line4 = text.lines().nth(3).expect("line 4");
    for (i, e) in errors.iter().take(100).enumerate() {
        assert_eq!(e.line, 4);
        let needle = format!("\"nope{i}\"");
        let byte = line4.find(&needle).expect("needle");
        assert_eq!(e.column, line4[..byte].chars().count() + 1, "{e}");
        assert!(e.message.contains(&format!("nope{i}")), "{e}");
    }
}

fn topics_toml(n: usize, hours: u32) -> String {
    let mut text = String::from(
        "title = \"Fixture\"\n[[skills]]\nid = \"s\"\nname = \"S\"\n[[steps]]\nid = \"one\"\ntitle = \"One\"\n",
    );
    for i in 0..n {
        text.push_str(&format!(
            "[[topics]]\nid = \"t{i}\"\nstep = \"one\"\ntitle = \"T\"\nhours = {hours}\nskills = [\"s\"]\n"
        ));
    }
    text
}

/// Limits a real roadmap never meets and a hostile one always does: each refused with a
/// located message, never a panic, a wrapped sum or a silent truncation.
#[test]
fn hostile_sizes_are_refused_with_located_messages() {
    // The file that made the planner overflow: 72,000 topics of 1,000 hours.
    let huge = topics_toml(72_000, 1000);
    let e = parse(&huge).expect_err("too big").0;
    assert_eq!((e.len(), e[0].line, e[0].column), (1, 1, 1));
    assert!(e[0].message.contains("at most 4 MB"), "{}", e[0].message);

    // One topic too many, pointed at.
    let many = topics_toml(roadmap_core::content::MAX_TOPICS + 1, 1);
    let e = parse(&many).expect_err("too many").0;
    let m = e
        .iter()
        .find(|e| e.message.contains("at most 10000 topics"))
        .expect("count");
    // Seven lines of header, then six a topic: the 10,001st topic's id.
    assert_eq!(m.line, 9 + 6 * roadmap_core::content::MAX_TOPICS, "{m}");

    // Too many hours in all, though each topic is within its own limit.
    let e = parse(&topics_toml(101, 1000)).expect_err("hours").0;
    assert!(
        e.iter()
            .any(|e| e.message.contains("101000 expected hours")),
        "{e:?}"
    );
    assert!(parse(&topics_toml(100, 1000)).is_ok());

    // Strings: a title, an id and a link too long.
    let long = topics_toml(1, 1)
        .replace("title = \"T\"", &format!("title = \"{}\"", "x".repeat(301)))
        .replace("id = \"t0\"", &format!("id = \"{}\"", "a".repeat(65)));
    let e = parse(&long).expect_err("long").0;
    assert!(
        e.iter().any(|e| e.message.contains("longer than 300")),
        "{e:?}"
    );
    assert!(
        e.iter().any(|e| e.message.contains("longer than 64")),
        "{e:?}"
    );
}

/// `topic` is a lookup by index, and stays right should the public list change.
#[test]
fn topics_are_found_by_id_through_the_index() {
    let mut r = Roadmap::bundled().expect("bundled");
    for t in &r.topics {
        assert_eq!(r.topic(&t.id).map(|x| &x.id), Some(&t.id));
    }
    assert!(r.topic("no-such-topic").is_none());
    r.topics.reverse();
    let ids: Vec<String> = r.topics.iter().map(|t| t.id.clone()).collect();
    for id in &ids {
        assert_eq!(r.topic(id).map(|x| &x.id), Some(id));
    }
}

/// A roadmap with a choice: the first option is in force; choosing another leaves the first's
/// topics out and points every `choice.role` at the chosen option's topic of that role.
#[test]
fn a_choice_resolves_to_the_chosen_options_topics() {
    let text = include_str!("fixtures/tracks.toml");
    let roadmap = Roadmap::parse("tracks.toml", text).expect("valid");
    let ids = |r: &Roadmap| r.topics.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
    let requires = |r: &Roadmap, id: &str| r.topic(id).expect("topic").requires.clone();
    assert_eq!(roadmap.choices.len(), 1);
    assert_eq!(roadmap.choices[0].chosen, "python");
    assert_eq!(ids(&roadmap), ["http", "py-lang", "py-test", "api"]);
    assert_eq!(requires(&roadmap, "api"), ["http", "py-test"]);

    let java = roadmap.choose("java").expect("an option");
    assert_eq!(java.choices[0].chosen, "java");
    assert_eq!(ids(&java), ["http", "java-lang", "java-test", "api"]);
    assert_eq!(requires(&java, "api"), ["http", "java-test"]);
    assert_eq!(requires(&java, "java-test"), ["java-lang"]);
    // And back: the same roadmap as parsed.
    assert_eq!(java.choose("python").expect("an option"), roadmap);

    let hours: Vec<(String, f64)> = roadmap
        .options_hours()
        .into_iter()
        .map(|(_, o, h)| (o.id.clone(), h))
        .collect();
    assert_eq!(
        hours,
        [("python".to_string(), 25.0), ("java".to_string(), 37.0)]
    );
    let err = roadmap.choose("rust").expect_err("no such option");
    assert!(err.to_string().contains("python, java"), "{err}");
    let plain = Roadmap::parse(
        "plain.toml",
        "title = \"Plain\"\n[[skills]]\nid = \"s\"\nname = \"S\"\n[[steps]]\nid = \"a\"\ntitle = \"A\"\n[[topics]]\nid = \"t\"\nstep = \"a\"\ntitle = \"T\"\nhours = 2\nskills = [\"s\"]\n",
    )
    .expect("plain");
    assert!(plain.choose("java").is_err());

    // Every option plans as a roadmap of its own: every prerequisite is one of its topics.
    for option in ["python", "java"] {
        let r = roadmap.choose(option).expect("an option");
        for t in &r.topics {
            assert!(t.option.as_deref().is_none_or(|o| o == option), "{t:?}");
            for req in &t.requires {
                assert!(r.topic(req).is_some(), "{option}: {} requires {req}", t.id);
            }
        }
        let mut req = roadmap_core::schedule::planner::PlanRequest::new(
            &r,
            chrono::NaiveDate::from_ymd_opt(2027, 1, 4).expect("date"),
        );
        req.availability = Some(
            roadmap_core::schedule::availability::Availability::parse("mon=19:00-21:00")
                .expect("windows"),
        );
        let plan = roadmap_core::schedule::planner::plan(&req).expect("a plan");
        let planned: std::collections::BTreeSet<&str> =
            plan.sessions.iter().map(|s| s.topic.as_str()).collect();
        assert_eq!(planned.len(), r.topics.len(), "{option}: {planned:?}");
    }
}
