//! Which files a scan reads: the paths given, folders walked lazily in file-name order,
//! include and exclude globs, symbolic links, Office lock files; and the configuration
//! files met on the way, which are noted, never obeyed.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use globset::{GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::model::{ConfigError, is_office_extension};
use crate::read::error::Error;

/// One input to scan: a file with its path below the scanned folder (its name, when it
/// was named itself), a document given as bytes with its name, or a path that could not be
/// walked.
pub enum Input {
    /// A file met in a folder walk: a symbolic link is read only with `follow_links`.
    File(PathBuf, String),
    /// A file named itself (on the command line): read even through a symbolic link.
    Named(PathBuf, String),
    Bytes {
        name: String,
        bytes: Vec<u8>,
    },
    Unreadable(PathBuf, Error),
}

impl Input {
    /// A file named itself, whatever it is: read when it is a regular file.
    pub fn path(path: &Path) -> Input {
        named(path)
    }
}

/// Which files a folder walk keeps, besides those with an Office extension. Files named
/// on the command line are always read.
#[derive(Clone, Debug, Default)]
pub struct Walk {
    /// Keep only files matching one of these.
    pub include: Option<Patterns>,
    /// Skip files and folders matching one of these.
    pub exclude: Option<Patterns>,
    /// Follow symbolic links (loops are reported, not followed round).
    pub follow_links: bool,
}

/// Globs as a user means them: one without `/` matches a file or folder name anywhere
/// (`*.tmp.docx`, `Arkiv`), one with `/` the path below the scanned folder
/// (`Arkiv/**/*.xlsx`). Case-insensitive.
#[derive(Clone, Debug)]
pub struct Patterns {
    names: GlobSet,
    paths: GlobSet,
}

impl Patterns {
    /// The patterns given as `what` (`include`, `exclude`); a bad one is an error naming it.
    pub fn new(patterns: &[String], what: &str) -> Result<Patterns, ConfigError> {
        let bad = |e: &dyn std::fmt::Display| ConfigError::new(what, e.to_string());
        let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        for p in patterns {
            let glob = crate::config::glob(p).map_err(|e| bad(&format!("{p:?}: {e}")))?;
            if p.contains('/') {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        Ok(Patterns {
            names: names.build().map_err(|e| bad(&e))?,
            paths: paths.build().map_err(|e| bad(&e))?,
        })
    }

    /// Whether the file or folder at `below` matches: a name glob by its own name, or,
    /// with `in_folders`, by the name of any folder it is in.
    fn matches(&self, below: &Path, in_folders: bool) -> bool {
        let names = if in_folders {
            below.components().count()
        } else {
            1
        };
        below
            .components()
            .rev()
            .take(names)
            .any(|c| self.names.is_match(Path::new(c.as_os_str())))
            || self.paths.is_match(display(below))
    }
}

impl Walk {
    fn skips(&self, below: &Path) -> bool {
        // Folders are tested as the walk enters them, so a file's own name is enough.
        self.exclude
            .as_ref()
            .is_some_and(|x| x.matches(below, false))
    }

    fn keeps(&self, below: &Path) -> bool {
        wanted(below) && self.include.as_ref().is_none_or(|i| i.matches(below, true))
    }
}

/// Expands the given paths lazily, so a share of a million files is never listed in memory:
/// files as given (whatever their name), folders recursively in file-name order, keeping
/// files with an Office extension that `walk` keeps. Configuration files
/// (`o365lint.toml`) met in the folders are added to `configs`: whoever writes to a
/// scanned share could have put them there, so they are reported, not obeyed.
pub fn inputs<'a>(
    paths: &'a [PathBuf],
    walk: &'a Walk,
    configs: &'a Mutex<Vec<PathBuf>>,
) -> impl Iterator<Item = Input> + 'a {
    paths
        .iter()
        .flat_map(move |root| -> Box<dyn Iterator<Item = Input> + 'a> {
            if root.is_dir() {
                Box::new(folder(root, walk, configs))
            } else {
                Box::new(std::iter::once(named(root)))
            }
        })
}

fn named(root: &Path) -> Input {
    // A FIFO or device would block or never end: only regular files are read.
    match std::fs::metadata(root) {
        Ok(m) if m.is_file() => {
            let name = root.file_name().unwrap_or(root.as_os_str());
            Input::Named(root.to_path_buf(), display(Path::new(name)))
        }
        Ok(_) => Input::Unreadable(
            root.to_path_buf(),
            Error::NotOffice("not a regular file".into()),
        ),
        Err(e) => Input::Unreadable(root.to_path_buf(), Error::Io(e)),
    }
}

fn folder<'a>(
    root: &'a Path,
    walk: &'a Walk,
    configs: &'a Mutex<Vec<PathBuf>>,
) -> impl Iterator<Item = Input> + 'a {
    WalkDir::new(root)
        .follow_links(walk.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| e.depth() == 0 || !walk.skips(below(root, e.path())))
        .filter_map(move |entry| match entry {
            Ok(e) if !e.file_type().is_dir() && e.file_name() == crate::config::FILE_NAME => {
                configs
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(e.into_path());
                None
            }
            Ok(e) if e.file_type().is_file() && walk.keeps(below(root, e.path())) => {
                let rel = display(below(root, e.path()));
                Some(Input::File(e.into_path(), rel))
            }
            Ok(_) => None,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
                let io = match e.loop_ancestor() {
                    Some(a) => {
                        std::io::Error::other(format!("symbolic link loop back to {}", display(a)))
                    }
                    None => e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("cannot walk")),
                };
                Some(Input::Unreadable(path, Error::Io(io)))
            }
        })
}

fn below<'p>(root: &Path, path: &'p Path) -> &'p Path {
    path.strip_prefix(root).unwrap_or(path)
}

fn wanted(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(is_office_extension)
}

/// A path as shown in reports: lossy UTF-8, forward slashes.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
