//! Feed files from a folder, served over real HTTP on 127.0.0.1, and a
//! config that polls them into a fresh data folder.

use std::path::{Path, PathBuf};

use super::http::{Reply, Request, TestServer};

/// A folder's feed files (`*.xml`, `*.json`), by file name, sorted.
pub fn feed_files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| {
            let p = e.ok()?.path();
            let ext = p.extension()?.to_str()?;
            matches!(ext, "xml" | "json").then(|| {
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
        })
        .collect();
    files.sort();
    files
}

/// Serves `files` at `/<name>`.
pub fn serve(files: Vec<(String, Vec<u8>)>) -> TestServer {
    TestServer::start(move |req: &Request| {
        let name = req.path_only().trim_start_matches('/');
        match files.iter().find(|(n, _)| n == name) {
            Some((_, body)) => Reply::ok(body.clone()),
            None => Reply::status(404),
        }
    })
}

/// Writes `dir/tricorder.toml` listing the feed `names` (in that order)
/// on `server`, with `extra` appended; returns its path.
pub fn config(dir: &Path, server: &TestServer, names: &[String], extra: &str) -> PathBuf {
    let mut cfg = String::from("data_dir = \"state\"\n");
    cfg.push_str(extra);
    cfg.push('\n');
    for n in names {
        let stem = n.rsplit_once('.').map_or(n.as_str(), |(s, _)| s);
        cfg.push_str(&format!(
            "[[feeds]]\nurl = \"{}\"\nname = \"{}\"\n",
            server.url(&format!("/{n}")),
            stem
        ));
    }
    let path = dir.join("tricorder.toml");
    std::fs::write(&path, cfg).unwrap();
    path
}

/// Lower-cased words of a label, with simple plurals folded.
pub fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.strip_suffix('s')
                .filter(|x| x.len() > 2)
                .unwrap_or(w)
                .to_owned()
        })
        .collect()
}

/// Does the label name a thing described by `alts` (all words of one
/// alternative, as a corpus's `truth.toml` lists its names)?
pub fn names(label: &str, alts: &[Vec<String>]) -> bool {
    let lw = words(label);
    alts.iter()
        .any(|alt| !alt.is_empty() && alt.iter().all(|w| words(w).iter().all(|x| lw.contains(x))))
}
