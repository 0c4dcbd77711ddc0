//! The server's modules depend on each other in one direction: no module reaches,
//! through `crate::…` paths, a module that reaches it back. A circle would mean two
//! modules that can only be understood, and changed, together.
//!
//! Modules are the files under `server/src` (`a/mod.rs` is `a`); a reference to
//! `crate::a::b::c` depends on the longest of `a::b::c`, `a::b`, `a` that is a module.
//! Unit tests (`#[cfg(test)] mod tests`) may reach anywhere and are left out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use anyhow::{Context, Result, bail};

pub fn check(src: &Path) -> Result<()> {
    println!("\n==> the server's modules have no import circles");
    let modules = read(src)?;
    let graph = graph(&modules);
    let circles = circles(&graph);
    if !circles.is_empty() {
        let list: Vec<String> = circles.iter().map(|c| c.join(" → ")).collect();
        bail!("modules that import each other: {}", list.join("; "));
    }
    let edges: usize = graph.values().map(BTreeSet::len).sum();
    println!("    {} modules, {edges} dependencies, no circles", graph.len());
    Ok(())
}

/// Each module's path (`submission::fold`) and its code without the unit tests.
fn read(src: &Path) -> Result<BTreeMap<String, String>> {
    let mut modules = BTreeMap::new();
    let mut pending = vec![src.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let relative = path.strip_prefix(src)?.with_extension("");
            let mut parts: Vec<String> =
                relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            if parts.last().is_some_and(|p| p == "mod") {
                parts.pop();
            }
            if matches!(parts.as_slice(), [only] if only == "lib" || only == "main") {
                continue;
            }
            let text = std::fs::read_to_string(&path)?;
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default().to_owned();
            modules.insert(parts.join("::"), code);
        }
    }
    Ok(modules)
}

fn graph(modules: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let resolve = |path: &str| -> Option<String> {
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty() && *p != "self").collect();
        (1..=parts.len()).rev().map(|n| parts[..n].join("::")).find(|m| modules.contains_key(m))
    };
    modules
        .iter()
        .map(|(name, code)| {
            let used = references(code)
                .iter()
                .filter_map(|path| resolve(path))
                .filter(|target| target != name && !name.starts_with(&format!("{target}::")))
                .collect();
            (name.clone(), used)
        })
        .collect()
}

/// Every path after `crate::`, with `use crate::a::{b, c::d}` groups spelt out.
fn references(code: &str) -> Vec<String> {
    let mut paths = Vec::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        let base: String =
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
        let after = &rest[base.len()..];
        if let (true, Some(group)) = (base.is_empty() || base.ends_with("::"), after.strip_prefix('{')) {
            let group = group.split('}').next().unwrap_or_default();
            for item in group.split(',') {
                let item = item.split(" as ").next().unwrap_or_default().trim();
                paths.push(format!("{base}{item}"));
            }
        } else {
            paths.push(base);
        }
    }
    paths
}

/// The strongly connected components with more than one module (Tarjan's algorithm).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        found: Vec<Vec<String>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, node: &'a str) {
            let n = self.index.len();
            self.index.insert(node, n);
            self.low.insert(node, n);
            self.stack.push(node);
            for next in self.graph.get(node).into_iter().flatten() {
                let next = next.as_str();
                if !self.index.contains_key(next) {
                    self.visit(next);
                    let low = self.low[node].min(self.low[next]);
                    self.low.insert(node, low);
                } else if self.stack.contains(&next) {
                    let low = self.low[node].min(self.index[next]);
                    self.low.insert(node, low);
                }
            }
            if self.low[node] == self.index[node] {
                let at = self.stack.iter().rposition(|m| *m == node).unwrap_or(0);
                let component: Vec<String> = self.stack.drain(at..).map(str::to_owned).collect();
                if component.len() > 1 {
                    self.found.push(component);
                }
            }
        }
    }
    let mut walk =
        Walk { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for node in graph.keys() {
        if !walk.index.contains_key(node.as_str()) {
            walk.visit(node);
        }
    }
    walk.found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modules(list: &[(&str, &str)]) -> BTreeMap<String, String> {
        list.iter().map(|(name, code)| ((*name).to_owned(), (*code).to_owned())).collect()
    }

    #[test]
    fn finds_a_circle_through_groups_and_nested_paths() {
        let found = circles(&graph(&modules(&[
            ("storage", "use crate::http::problem::ApiError;"),
            ("http::problem", ""),
            ("surveys::catalog", "use crate::{storage, submission::fold};"),
            ("submission::fold", "fn f() { crate::surveys::catalog::get(); }"),
        ])));
        assert_eq!(found.len(), 1, "{found:?}");
        let mut circle = found[0].clone();
        circle.sort();
        assert_eq!(circle, ["submission::fold", "surveys::catalog"]);
    }

    #[test]
    fn a_parent_and_its_children_are_no_circle() {
        let graph = graph(&modules(&[
            ("submission", "pub use crate::submission::fold::Outcome;"),
            ("submission::fold", "use crate::storage;"),
            ("storage", ""),
        ]));
        assert!(circles(&graph).is_empty());
    }
}
