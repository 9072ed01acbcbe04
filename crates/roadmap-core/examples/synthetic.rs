//! Writes a synthetic roadmap and the matching TaskJuggler project:
//! `cargo run --release -p roadmap-core --example synthetic -- COUNT ROADMAP.toml PROJECT.tjp`.

// An example writes files; the library may not (clippy.toml).
#![allow(clippy::disallowed_methods)]

use std::process::ExitCode;

use roadmap_core::synthetic;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [count, toml_path, tjp_path] = args.as_slice() else {
        eprintln!("usage: synthetic COUNT ROADMAP.toml PROJECT.tjp");
        return ExitCode::FAILURE;
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("COUNT must be a whole number, not {count:?}");
        return ExitCode::FAILURE;
    };
    let written = std::fs::write(toml_path, synthetic::roadmap_toml(count)).and_then(|()| {
        std::fs::write(
            tjp_path,
            synthetic::taskjuggler_project(count, "2027-01-04"),
        )
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cannot write the files: {e}");
            ExitCode::FAILURE
        }
    }
}
