//! The core is a leaf: it reads no clock, file, environment or network (time and text come in
//! as parameters), and its modules import each other in one direction only. clippy.toml
//! refuses the calls at compile time; this reads the library's sources, so the rule holds also
//! for a path clippy does not know (an alias, a macro, another crate's clock).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources() -> Vec<(String, String)> {
    fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .expect("the core's sources")
            .map(|e| e.expect("entry").path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let module = path
                    .strip_prefix(root)
                    .expect("inside")
                    .with_extension("")
                    .to_string_lossy()
                    .replace('/', "::");
                let module = module.trim_end_matches("::mod").to_string();
                let text = std::fs::read_to_string(&path).expect("source");
                // Unit tests may do what the library may not.
                let library = text.split("#[cfg(test)]").next().unwrap_or_default();
                out.push((module, library.to_string()));
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    walk(&root, &root, &mut out);
    out
}

/// Code, without comments (a doc comment may name what it does not call).
fn code(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or_default())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_core_reads_no_clock_file_environment_or_network() {
    let forbidden = [
        "Utc::now",
        "Local::now",
        "SystemTime",
        "Instant::now",
        "std::fs",
        "File::open",
        "File::create",
        "std::env",
        "env::var",
        "std::net",
        "std::process",
        "std::thread",
    ];
    let mut found = Vec::new();
    for (module, text) in sources() {
        let code = code(&text);
        for f in forbidden {
            if code.contains(f) {
                found.push(format!("{module}: {f}"));
            }
        }
    }
    assert!(found.is_empty(), "the core reaches outside: {found:?}");
}

/// Which of the core's modules each module uses (`crate::a::b` names module `a::b` when there
/// is one, else `a`).
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let sources = sources();
    let modules: BTreeSet<String> = sources
        .iter()
        .map(|(m, _)| m.clone())
        .filter(|m| m != "lib")
        .collect();
    let mut out = BTreeMap::new();
    for (module, text) in &sources {
        if module == "lib" {
            continue;
        }
        let code = code(text);
        let mut uses = BTreeSet::new();
        let mut paths: Vec<String> = Vec::new();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let group = group.split('}').next().unwrap_or_default();
                paths.extend(group.split(',').map(|p| p.trim().to_string()));
            } else {
                let end = rest
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':'))
                    .unwrap_or(rest.len());
                paths.push(rest[..end].to_string());
            }
        }
        for path in paths {
            let parts: Vec<&str> = path.split("::").collect();
            let found = (1..=parts.len())
                .rev()
                .map(|k| parts[..k].join("::"))
                .find(|m| modules.contains(m));
            if let Some(m) = found
                && m != *module
                && !module.starts_with(&format!("{m}::"))
            {
                uses.insert(m);
            }
        }
        out.insert(module.clone(), uses);
    }
    out
}

#[test]
fn no_two_modules_of_the_core_import_each_other_round_a_circle() {
    let graph = imports();
    // Depth-first search for a back edge; the path to it is the circle.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(m.to_string(), 1);
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            match state.get(next.as_str()) {
                Some(1) => {
                    let from = path.iter().position(|p| p == next).unwrap_or(0);
                    let mut circle = path[from..].to_vec();
                    circle.push(next.clone());
                    return Some(circle);
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(next, graph, state, path) {
                        return Some(c);
                    }
                }
            }
        }
        path.pop();
        state.insert(m.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    assert!(graph.len() > 10, "modules found: {:?}", graph.keys());
    for m in graph.keys() {
        if !state.contains_key(m.as_str()) {
            let circle = visit(m, &graph, &mut state, &mut Vec::new());
            assert!(circle.is_none(), "an import circle: {circle:?}");
        }
    }
}
