//! The shape of `src/` (DESIGN.md, Layers): no module imports one of a higher layer, no two
//! files import each other round a circle, no source file is over 1,500 lines, and masked
//! text is made in one place. Read from the source itself, outside test modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first: a module may import its own layer and those below.
const LAYERS: &[&str] = &[
    "model", "read", "labels", "detect", "config", "verdict", "engine", "report", "serve", "cli",
];

/// Modules outside the layers: test support (any layer may not import it but tests) and the
/// crate root.
const OUTSIDE: &[&str] = &["fixture"];

struct File {
    /// `src/read/ooxml/text.rs` is `["read", "ooxml", "text"]`; a `mod.rs` is its folder.
    module: Vec<String>,
    is_mod: bool,
    /// The source without test modules and comments.
    code: String,
    lines: usize,
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn files() -> Vec<File> {
    let root = src();
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(&root) {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(&root).unwrap();
        let mut module: Vec<String> = rel
            .with_extension("")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let is_mod = module.last().is_some_and(|m| m == "mod");
        if is_mod {
            module.pop();
        }
        if module == ["lib"]
            || module == ["main"]
            || module.last().is_some_and(|m| m.ends_with("_tests"))
        {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        // Test modules may reach anywhere: they end the code that counts.
        let code: String = text
            .split("\n#[cfg(test)]\nmod tests")
            .next()
            .unwrap()
            .lines()
            .map(|l| l.split("//").next().unwrap_or(""))
            .collect::<Vec<_>>()
            .join("\n");
        out.push(File {
            module,
            is_mod,
            code,
            lines: text.lines().count(),
        });
    }
    out
}

/// The paths a file's code names, as module paths from the crate root: `use` statements
/// with their groups expanded, and `crate::a::b` or `super::a` written inline.
fn paths(f: &File) -> Vec<Vec<String>> {
    // `super` of `src/a/b.rs` is `a`; of `src/a/mod.rs`, the crate root.
    let mut base = f.module.clone();
    if !f.is_mod || !base.is_empty() {
        base.pop();
    }
    let mut out = Vec::new();
    let code = f.code.replace(char::is_whitespace, " ");
    for (i, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        if i > 0 && code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let start = if code[i..].starts_with("crate::") {
            Vec::new()
        } else {
            base.clone()
        };
        let rest = &code[i + code[i..].find("::").unwrap() + 2..];
        expand(rest, start, &mut out);
    }
    out
}

/// Expands `a::b::{c, d::e}` after a prefix into every path it names.
fn expand(rest: &str, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let mut path = prefix;
    let mut s = rest.trim_start();
    loop {
        if let Some(group) = s.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&std::mem::take(&mut item), path.clone(), out);
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            expand(&item, path, out);
            return;
        }
        let end = s
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(s.len());
        if end > 0 && &s[..end] != "self" {
            path.push(s[..end].to_string());
        }
        match s[end..].strip_prefix("::") {
            Some(next) => s = next.trim_start(),
            None => break,
        }
    }
    out.push(path);
}

/// The file a path lands in: its longest prefix that is a module of `src/`.
fn target(path: &[String], modules: &BTreeSet<Vec<String>>) -> Option<Vec<String>> {
    (1..=path.len())
        .rev()
        .map(|n| path[..n].to_vec())
        .find(|p| modules.contains(p))
}

fn layer(module: &[String]) -> Option<usize> {
    LAYERS.iter().position(|l| *l == module[0])
}

#[test]
fn no_module_imports_a_higher_layer() {
    let files = files();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    let mut wrong = Vec::new();
    for f in &files {
        let top = &f.module[0];
        for p in paths(f) {
            let Some(t) = target(&p, &modules) else {
                continue;
            };
            let to = &t[0];
            if to == top {
                continue;
            }
            let ok = match (layer(&f.module), layer(&t)) {
                _ if OUTSIDE.contains(&to.as_str()) => false,
                _ if OUTSIDE.contains(&top.as_str()) => true,
                (Some(from), Some(to)) => to <= from,
                _ => false,
            };
            if !ok {
                wrong.push(format!("{} -> {}", f.module.join("::"), t.join("::")));
            }
        }
    }
    wrong.sort();
    wrong.dedup();
    assert!(wrong.is_empty(), "imports that run up: {wrong:#?}");
    // The test sees imports: model imports nothing of the crate but itself.
    let model_imports = files
        .iter()
        .filter(|f| f.module[0] == "model")
        .flat_map(paths)
        .filter_map(|p| target(&p, &modules))
        .all(|t| t[0] == "model");
    assert!(model_imports);
}

#[test]
fn no_files_import_each_other_round_a_circle() {
    let files = files();
    let modules: BTreeSet<Vec<String>> = files.iter().map(|f| f.module.clone()).collect();
    // A folder's mod.rs declares and re-exports its files: a parent's use of its own
    // children is structure, not a dependency.
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for f in &files {
        for p in paths(f) {
            if let Some(t) = target(&p, &modules)
                && t != f.module
                && !(f.is_mod && t.starts_with(&f.module))
            {
                edges.entry(f.module.clone()).or_default().insert(t);
            }
        }
    }
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 50,
        "imports were read"
    );
    // Depth-first search for a back edge.
    fn visit(
        n: &Vec<String>,
        edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>,
        state: &mut BTreeMap<Vec<String>, u8>,
        stack: &mut Vec<Vec<String>>,
    ) -> Option<Vec<String>> {
        state.insert(n.clone(), 1);
        stack.push(n.clone());
        for m in edges.get(n).into_iter().flatten() {
            match state.get(m) {
                Some(1) => {
                    let at = stack.iter().position(|s| s == m).unwrap();
                    return Some(stack[at..].iter().map(|s| s.join("::")).collect());
                }
                Some(_) => {}
                None => {
                    if let Some(c) = visit(m, edges, state, stack) {
                        return Some(c);
                    }
                }
            }
        }
        stack.pop();
        state.insert(n.clone(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for n in edges.keys() {
        if !state.contains_key(n) {
            let circle = visit(n, &edges, &mut state, &mut Vec::new());
            assert!(circle.is_none(), "a circle of imports: {circle:?}");
        }
    }
}

#[test]
fn no_source_file_is_over_1500_lines() {
    let long: Vec<String> = files()
        .iter()
        .filter(|f| f.lines > 1500)
        .map(|f| format!("{} ({} lines)", f.module.join("/"), f.lines))
        .collect();
    assert!(long.is_empty(), "{long:?}");
}

#[test]
fn only_the_masker_makes_masked_text() {
    let mut makers: Vec<String> = files()
        .iter()
        .filter(|f| f.code.contains("by_masker("))
        .map(|f| f.module.join("::"))
        .collect();
    makers.sort();
    assert_eq!(makers, ["detect::mask", "model::masked"]);
}
