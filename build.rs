//! Embeds every canned query of `queries/` into the binary, so `talkgraph query NAME` works from any
//! folder.

use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=queries");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed=ontology");
    println!("cargo:rustc-env=TALKGRAPH_FINGERPRINT={}", fingerprint(&["src", "ontology"]));
    let mut entries: Vec<String> = std::fs::read_dir("queries")
        .expect("queries/ folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".rq"))
        .collect();
    entries.sort();
    let mut code = String::from("/// Canned queries: (name, SPARQL text).\npub const CANNED: &[(&str, &str)] = &[\n");
    for name in entries {
        let stem = name.trim_end_matches(".rq");
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("queries").join(&name);
        writeln!(code, "    ({stem:?}, include_str!({:?})),", path.display().to_string()).unwrap();
    }
    code.push_str("];\n");
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("canned_queries.rs");
    std::fs::write(out, code).unwrap();
    embed_graph_library();
}

/// Copies cytoscape.js (from `npm ci` in `web/`) where the binary embeds it; without it the page's graph
/// view says how to install it.
fn embed_graph_library() {
    let source = std::path::Path::new("web/node_modules/cytoscape/dist/cytoscape.min.js");
    println!("cargo:rerun-if-changed=web");
    println!("cargo:rerun-if-changed={}", source.display());
    let target = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("cytoscape.min.js");
    match std::fs::read(source) {
        Ok(bytes) => std::fs::write(target, bytes).unwrap(),
        Err(_) => {
            println!(
                "cargo:warning=web/node_modules/cytoscape is missing (run `npm ci` in web/): the page's graph view will be off"
            );
            std::fs::write(target, "").unwrap();
        }
    }
}

/// A hash of every source and ontology file: a store built by other code or vocabulary is rebuilt.
fn fingerprint(dirs: &[&str]) -> String {
    let mut files = Vec::new();
    for dir in dirs {
        collect(std::path::Path::new(dir), &mut files);
    }
    files.sort();
    // FNV-1a over paths and contents: stable across runs and platforms, no dependency needed.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for path in files {
        let bytes = std::fs::read(&path).unwrap_or_default();
        for b in path.to_string_lossy().as_bytes().iter().chain(&bytes) {
            hash ^= u64::from(*b);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}

fn collect(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, out);
        } else {
            out.push(path);
        }
    }
}
