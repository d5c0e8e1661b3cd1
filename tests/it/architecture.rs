//! The layout rules of ARCHITECTURE.md, checked on the crate's own source: imports between the
//! files of `src/` go one way (the one circle is `client` ↔ `builder`), no resource file uses
//! another, and no file outside `transport/` names `ureq`.
//!
//! The reader is deliberately small: it takes every `crate::…` and `super::…` path outside
//! comments and test modules, and resolves it to the file that defines it (an item re-exported
//! at the crate root to the file `lib.rs` takes it from). A folder module (`transport/`,
//! `resources/creators/`, `testing/`) is one module split into files: a file may use its
//! ancestors (`super::`), and a `mod.rs` owns its children, so neither counts as a circle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// One source file: its module path (`"transport::failure"`, `""` for `lib.rs`) and its code
/// with comments and the unit-test module left out.
struct Source {
    module: String,
    folder: bool,
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut out = Vec::new();
    let mut dirs = vec![root.clone()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel = path.strip_prefix(&root).unwrap().with_extension("");
            let mut parts: Vec<String> = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let folder = parts.last().is_some_and(|p| p == "mod");
            if folder || parts == ["lib"] {
                parts.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            out.push(Source {
                module: parts.join("::"),
                folder,
                code: code_of(&text),
            });
        }
    }
    out
}

/// The text without comment lines and without the `#[cfg(test)] mod tests` block (always a
/// file's last item in this crate).
fn code_of(text: &str) -> String {
    let text = text
        .split("#[cfg(test)]\nmod tests")
        .next()
        .unwrap_or_default();
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The paths after every `prefix` (`crate::` or `super::`): `a::b::C`, or each member of a
/// `{…}` group (`crate::{Client, error::Error}` gives `Client` and `error::Error`).
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `foo_crate::`, not a path of ours
        }
        let rest = &code[at + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(inner.split(',').map(segments).filter(|p| !p.is_empty()));
        } else {
            out.push(segments(rest));
        }
    }
    out
}

/// The leading `a::b::c` of a text, as segments.
fn segments(text: &str) -> Vec<String> {
    let mut segs = Vec::new();
    let mut rest = text.trim_start();
    loop {
        let len = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(rest.len());
        if len == 0 {
            break;
        }
        segs.push(rest[..len].to_owned());
        match rest[len..].strip_prefix("::") {
            Some(next) if !next.starts_with('{') => rest = next,
            _ => break,
        }
    }
    segs
}

/// Names `lib.rs` re-exports (`pub use error::{Error, Result};`), with the path they come from.
fn root_reexports(lib: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for stmt in lib.split(';') {
        let Some(at) = stmt.find("pub use ") else {
            continue;
        };
        let stmt = stmt[at + "pub use ".len()..].trim();
        let (base, names) = match stmt.find("::{") {
            Some(i) => (&stmt[..i], stmt[i + 3..].trim_end_matches('}')),
            None => stmt.rsplit_once("::").unwrap_or(("", stmt)),
        };
        let base = segments(base);
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            let mut path = base.clone();
            path.extend(segments(name));
            out.insert(path.last().unwrap().clone(), path);
        }
    }
    out
}

/// The file-level import graph: module → the modules it uses (ancestors left out).
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let files = sources();
    let modules: BTreeSet<String> = files.iter().map(|f| f.module.clone()).collect();
    let lib = files.iter().find(|f| f.module.is_empty()).unwrap();
    let reexports = root_reexports(&lib.code);
    // The longest prefix of `path` that is a module of ours (the crate root when none is).
    let resolve = |path: &[String]| -> String {
        let path = match reexports.get(&path[0]) {
            Some(full) if !modules.contains(&path[0]) => full.as_slice(),
            _ => path,
        };
        (1..=path.len())
            .rev()
            .map(|n| path[..n].join("::"))
            .find(|m| modules.contains(m))
            .unwrap_or_default()
    };
    let mut g = BTreeMap::new();
    for f in files.iter().filter(|f| !f.module.is_empty()) {
        let parent: Vec<String> = match f.module.rsplit_once("::") {
            _ if f.folder => f.module.split("::").map(str::to_owned).collect(),
            Some((p, _)) => p.split("::").map(str::to_owned).collect(),
            None => Vec::new(),
        };
        // `super::` of a `mod.rs` is its folder's parent; of a file, its folder.
        let parent = if f.folder {
            parent[..parent.len() - 1].to_vec()
        } else {
            parent
        };
        let mut paths = paths_after(&f.code, "crate::");
        for p in paths_after(&f.code, "super::") {
            paths.push(parent.iter().cloned().chain(p).collect());
        }
        let is_ancestor = |m: &str| m.is_empty() || f.module.starts_with(&format!("{m}::"));
        let used: BTreeSet<String> = paths
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| resolve(p))
            .filter(|m| *m != f.module && !is_ancestor(m))
            .collect();
        g.insert(f.module.clone(), used);
    }
    g
}

/// The groups of modules that import each other, directly or through others (Tarjan).
fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    struct Walk<'a> {
        g: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<BTreeSet<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let i = w.index.len();
        w.index.insert(v, i);
        w.low.insert(v, i);
        w.stack.push(v);
        for u in w.g.get(v).into_iter().flatten() {
            let u = u.as_str();
            if !w.index.contains_key(u) {
                visit(w, u);
                let low = w.low[v].min(w.low[u]);
                w.low.insert(v, low);
            } else if w.stack.contains(&u) {
                let low = w.low[v].min(w.index[u]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut group = BTreeSet::new();
            while let Some(u) = w.stack.pop() {
                group.insert(u.to_owned());
                if u == v {
                    break;
                }
            }
            if group.len() > 1 {
                w.found.push(group);
            }
        }
    }
    let mut w = Walk {
        g,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        found: Vec::new(),
    };
    for v in g.keys() {
        if !w.index.contains_key(v.as_str()) {
            visit(&mut w, v);
        }
    }
    w.found
}

fn set(names: &[&str]) -> BTreeSet<String> {
    names.iter().map(|s| (*s).to_owned()).collect()
}

#[test]
fn the_reader_sees_the_road_to_the_wire() {
    // Without these the checks below would pass on a reader that finds nothing.
    let g = graph();
    for (from, to) in [
        ("resources::accounts", "call"),
        ("resources::accounts", "client"),
        ("call", "transport"),
        ("client", "transport"),
        ("transport", "error"),
        ("transport::failure", "history"),
        ("error", "problem"),
        ("resources::creators::params", "api_enum"),
    ] {
        assert!(
            g.get(from).is_some_and(|used| used.contains(to)),
            "{from} → {to} not seen; {from} uses {:?}",
            g.get(from)
        );
    }
}

#[test]
fn imports_go_one_way_but_for_client_and_builder() {
    assert_eq!(circles(&graph()), vec![set(&["builder", "client"])]);
}

#[test]
fn the_circle_finder_finds_circles() {
    let mut g = BTreeMap::new();
    g.insert("a".to_owned(), set(&["b"]));
    g.insert("b".to_owned(), set(&["c"]));
    g.insert("c".to_owned(), set(&["a", "d"]));
    g.insert("d".to_owned(), set(&[]));
    assert_eq!(circles(&g), vec![set(&["a", "b", "c"])]);
}

#[test]
fn no_resource_file_uses_another() {
    let g = graph();
    let handle = |m: &str| {
        m.strip_prefix("resources::")
            .map(|rest| rest.split("::").next().unwrap_or(rest).to_owned())
    };
    for (from, used) in &g {
        let Some(mine) = handle(from) else { continue };
        for to in used {
            if let Some(theirs) = handle(to) {
                assert_eq!(mine, theirs, "{from} uses {to}");
            }
        }
    }
}

#[test]
fn only_the_transport_names_ureq() {
    for f in sources() {
        let code = f.code.replace("ureq's", "");
        if code.contains("ureq") {
            assert!(
                f.module == "transport" || f.module.starts_with("transport::"),
                "{} names ureq",
                f.module
            );
        }
    }
}

#[test]
fn the_path_reader_reads_groups_and_plain_paths() {
    let code =
        "use crate::{Client, error::Error};\nfn f() -> crate::params::Query { my_crate::x() }";
    assert_eq!(
        paths_after(code, "crate::"),
        vec![
            vec!["Client".to_owned()],
            vec!["error".to_owned(), "Error".to_owned()],
            vec!["params".to_owned(), "Query".to_owned()],
        ]
    );
    let lib = "pub use error::{Error, Result};\npub use url::DEFAULT_BASE_URL;";
    let r = root_reexports(lib);
    assert_eq!(r["Result"], ["error", "Result"]);
    assert_eq!(r["DEFAULT_BASE_URL"], ["url", "DEFAULT_BASE_URL"]);
}
