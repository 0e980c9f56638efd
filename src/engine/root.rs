//! Where a file is, for fingerprints and baselines: its path from a scan root that does not
//! depend on the folder a scan was started from (DESIGN.md, Fingerprints) — the configured
//! `root` (or one of its aliases), else the configuration's folder, else none: the canonical
//! absolute path — and which of the files of a scan whose paths look alike once masked it is.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use super::walk::{Input, display};
use crate::config::Config;
use crate::detect::Detectors;

/// The roots paths are taken from, normalised (see [`normal`]).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roots {
    /// The configured root, as written and canonical, and its aliases: names of one place.
    configured: Vec<String>,
    /// The configuration file's folder, canonical; only when no root is configured.
    config_dir: Option<String>,
}

/// A file's path from the scan root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rooted {
    /// `/`-separated, canonical, no `.`; absolute when no root holds the file.
    pub path: String,
    /// Whether a root holds the file (else `path` is absolute).
    pub from_root: bool,
    /// Which of the files of the scan whose paths look alike once masked this one is,
    /// from 1 (see [`Alike`]).
    pub nth: u32,
}

impl Rooted {
    /// A document given as bytes: its name is its path.
    pub fn named(name: &str) -> Rooted {
        Rooted {
            path: lexical(Path::new(&name.replace('\\', "/"))),
            from_root: true,
            nth: 1,
        }
    }

    /// The names of the folders the file is in, below the root (`a/b` of `a/b/c.docx`),
    /// if any; without a root, those below `below` (the path below the folder the scan
    /// was given), so that a share's mount point is not read as the file's.
    pub fn folders<'a>(&'a self, below: &'a str) -> Option<&'a str> {
        let path = if self.from_root { &self.path } else { below };
        path.rsplit_once('/')
            .map(|(folders, _)| folders.trim_start_matches('/'))
            .filter(|f| !f.is_empty())
    }
}

impl Roots {
    /// The roots of a configuration, whose file (canonical) is `config_file`.
    pub fn new(config: &Config, config_file: Option<&Path>) -> Roots {
        let Some(root) = &config.root else {
            return Roots {
                configured: Vec::new(),
                config_dir: config_file.and_then(Path::parent).map(normal),
            };
        };
        let mut configured = vec![normal(root)];
        if let Ok(c) = std::fs::canonicalize(root) {
            configured.push(normal(&c));
        }
        configured.extend(config.root_aliases.iter().map(|a| normal(Path::new(a))));
        configured.sort();
        configured.dedup();
        Roots {
            configured,
            config_dir: None,
        }
    }

    /// The file at `path` (canonical, or as [`canonical`] makes it) from the root that
    /// holds it: the configured root or alias with the longest path, else the
    /// configuration's folder; else the path itself.
    pub fn rooted(&self, canonical: &Path) -> Rooted {
        let path = normal(canonical);
        let below = self
            .configured
            .iter()
            .chain(&self.config_dir)
            .filter_map(|root| Some((root.len(), below(&path, root)?)))
            .max_by_key(|(len, _)| *len)
            .map(|(_, below)| below.to_string());
        Rooted {
            from_root: below.is_some(),
            path: below.unwrap_or(path),
            nth: 1,
        }
    }

    /// An input's [`Rooted`] path (`nth` 1: see [`Alike`]), its folder canonicalised
    /// through `last` (the last folder and its canonical path: a walk meets a folder's
    /// files one after another).
    pub(super) fn of_input(&self, input: &Input, last: &mut Option<(PathBuf, PathBuf)>) -> Rooted {
        match input {
            Input::File(path, _)
            | Input::Named(path, _)
            | Input::Link(path, _)
            | Input::Unreadable(path, _) => self.rooted(&canonical(path, last)),
            Input::Bytes { name, .. } => Rooted::named(name),
        }
    }
}

/// `path` with its folder made canonical (links and `..` resolved) and its own name kept (a
/// link named in a scan is the file at its place); `last` caches the last folder's. A path
/// whose folder cannot be resolved is made absolute as written.
pub fn canonical(path: &Path, last: &mut Option<(PathBuf, PathBuf)>) -> PathBuf {
    let (Some(folder), Some(name)) = (path.parent(), path.file_name()) else {
        return std::fs::canonicalize(path).unwrap_or_else(|_| absolute(path));
    };
    if let Some((f, c)) = last
        && f == folder
    {
        return c.join(name);
    }
    let here = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    match std::fs::canonicalize(here) {
        Ok(c) => {
            let joined = c.join(name);
            *last = Some((folder.to_path_buf(), c));
            joined
        }
        Err(_) => absolute(path),
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// A path as roots and keys compare it: `/`-separated, no `.` or `..` (taken lexically),
/// no trailing `/`, and Windows' verbatim prefix (`\\?\`) gone.
fn normal(path: &Path) -> String {
    let text = display(path);
    let text = if let Some(unc) = text.strip_prefix("//?/UNC/") {
        format!("//{unc}")
    } else if let Some(local) = text.strip_prefix("//?/") {
        local.to_string()
    } else {
        text
    };
    lexical(Path::new(&text))
}

/// `path` without `.`, with `..` taken against the folder before it, `/`-separated.
fn lexical(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut lead = String::new();
    for c in path.components() {
        match c {
            Component::Prefix(p) => lead = display(Path::new(p.as_os_str())),
            Component::RootDir => lead.push('/'),
            Component::CurDir => {}
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else if lead.is_empty() {
                    parts.push("..".into());
                }
            }
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
        }
    }
    // `S:\` written on a machine that does not know drive letters: one name, `S:`.
    let joined = parts.join("/");
    let out = format!("{lead}{joined}");
    out.trim_end_matches('/').to_string()
}

/// `path` below `root` (both [`normal`]), if the root holds it. Windows compares names
/// without regard to case.
fn below<'p>(path: &'p str, root: &str) -> Option<&'p str> {
    let head = path.get(..root.len())?;
    let same = if cfg!(windows) {
        head.eq_ignore_ascii_case(root)
    } else {
        head == root
    };
    if !same {
        return None;
    }
    path[root.len()..]
        .strip_prefix('/')
        .filter(|rest| !rest.is_empty())
}

/// Files of one scan whose paths look alike once masked (they differ only inside an
/// identifier): which of them each is, in the order the scan meets them. Only such paths
/// are remembered, so memory does not grow with the files of a scan.
#[derive(Default)]
pub(super) struct Alike {
    seen: HashMap<String, Vec<String>>,
}

impl Alike {
    /// `path`'s number among the files whose paths look like it once masked, from 1; the
    /// same path met again (given twice) has the same number.
    pub(super) fn nth(&mut self, det: &Detectors, path: &str) -> u32 {
        let masked = det.mask_path(path);
        if masked == path {
            return 1;
        }
        let files = self.seen.entry(masked).or_default();
        let i = match files.iter().position(|p| p == path) {
            Some(i) => i,
            None => {
                files.push(path.to_string());
                files.len() - 1
            }
        };
        i as u32 + 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(text: &str, file: Option<&str>) -> Roots {
        let config = Config::parse(text, "o365lint.toml", None).unwrap();
        Roots::new(&config, file.map(Path::new))
    }

    #[test]
    fn paths_are_taken_from_the_root_that_holds_them() {
        let r = roots(
            "root = \"/srv/felles\"\nroot_aliases = [\"S:\\\\\", \"/mnt/s/\"]\n",
            Some("/home/kari/o365lint.toml"),
        );
        for (path, want, from_root) in [
            ("/srv/felles/a/b.docx", "a/b.docx", true),
            ("/mnt/s/a/./b.docx", "a/b.docx", true),
            ("/mnt/s/x/../a/b.docx", "a/b.docx", true),
            ("/srv/felleskasse/b.docx", "/srv/felleskasse/b.docx", false),
            // A configured root replaces the configuration's folder.
            ("/home/kari/b.docx", "/home/kari/b.docx", false),
        ] {
            let got = r.rooted(Path::new(path));
            assert_eq!(
                (got.path.as_str(), got.from_root),
                (want, from_root),
                "{path}"
            );
        }
        if cfg!(unix) {
            // On Linux `S:\` is a name, as a path from Windows would read here.
            assert_eq!(r.rooted(Path::new("S:/a/b.docx")).path, "a/b.docx");
        }
        let r = roots("", Some("/home/kari/o365lint.toml"));
        assert_eq!(r.rooted(Path::new("/home/kari/a/b.docx")).path, "a/b.docx");
        assert_eq!(r.rooted(Path::new("/srv/b.docx")).path, "/srv/b.docx");
        let r = roots("", None);
        assert_eq!(r.rooted(Path::new("/srv/b.docx")).path, "/srv/b.docx");
    }

    #[test]
    fn folders_below_the_root_or_the_folder_given() {
        let rooted = |path: &str, from_root| Rooted {
            path: path.into(),
            from_root,
            nth: 1,
        };
        assert_eq!(rooted("a/b/c.docx", true).folders("c.docx"), Some("a/b"));
        assert_eq!(rooted("c.docx", true).folders("x/c.docx"), None);
        assert_eq!(
            rooted("/srv/a/c.docx", false).folders("a/c.docx"),
            Some("a")
        );
        assert_eq!(rooted("/srv/a/c.docx", false).folders("c.docx"), None);
        assert_eq!(Rooted::named(".\\a\\b.docx").path, "a/b.docx");
    }

    #[test]
    fn look_alikes_are_numbered_in_scan_order() {
        let det = Detectors::built_in();
        let mut alike = Alike::default();
        assert_eq!(alike.nth(&det, "Møtereferat 20250115.docx"), 1);
        assert_eq!(alike.nth(&det, "Møtereferat 20250215.docx"), 1);
        assert_eq!(alike.nth(&det, "sak 15108695088.docx"), 1);
        assert_eq!(alike.nth(&det, "sak 15108640097.docx"), 2);
        assert_eq!(alike.nth(&det, "sak 15108695088.docx"), 1);
    }
}
