//! Random command lines, made of the real subcommands and flags with random values: the CLI
//! answers every one with a result or a clear error and an exit code, never a panic.

use proptest::prelude::*;

use super::roadmap_on;

fn arg() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "plan",
            "status",
            "log",
            "done",
            "skip",
            "replan",
            "export",
            "check-ics",
            "validate",
            "--start",
            "--months",
            "--availability",
            "--blackout",
            "--session-min",
            "--session-max",
            "--format",
            "--save",
            "--date",
            "--policy",
            "--cap",
            "--dry-run",
            "--ics",
            "--alarm",
            "--name",
            "--time-zone",
            "--topics",
            "--without-optional",
            "json",
            "text",
            "extend",
            "compress",
            "drop-optional",
            "git-basics",
        ])
        .prop_map(str::to_string),
        "-?[0-9]{1,6}",
        "20[0-9]{2}-[0-9]{2}-[0-9]{2}(\\.\\.20[0-9]{2}-[0-9]{2}-[0-9]{2})?",
        "(mon|tue|xyz)=[0-9]{1,2}:[0-9]{2}-[0-9]{1,2}:[0-9]{2}",
        "[ -~]{0,12}",
        "\\PC{0,6}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(120))]

    #[test]
    fn no_command_line_makes_the_cli_panic(args in proptest::collection::vec(arg(), 0..7)) {
        let dir = tempfile::tempdir().expect("tempdir");
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = roadmap_on(dir.path(), "2027-02-01", &refs);
        let err = String::from_utf8_lossy(&out.stderr);
        prop_assert!(!err.contains("panicked"), "{args:?}: {err}");
        let code = out.status.code();
        prop_assert!(matches!(code, Some(0..=2)), "{args:?} ended with {code:?}: {err}");
        if code != Some(0) {
            prop_assert!(!err.trim().is_empty(), "{args:?} failed without a word");
        }
    }
}
