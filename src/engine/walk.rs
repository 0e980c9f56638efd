//! Which files a scan reads: the paths given (each file once), folders walked lazily in
//! file-name order, include and exclude globs, symbolic links, Office lock files; and what
//! the walk met besides: configuration files (noted, never obeyed), links not followed,
//! folders it could not read, paths given twice, names that are not UTF-8, what the
//! filters set aside. Nothing is passed over without being counted.

use std::collections::HashSet;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use globset::{GlobSet, GlobSetBuilder};
use walkdir::{DirEntry, WalkDir};

use crate::model::{ConfigError, Note, WalkNotes, is_office_extension, is_text_extension};
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
    /// A symbolic link met in a folder walk without `follow_links`: passed over, counted.
    Link(PathBuf, String),
}

impl Input {
    /// A file named itself, whatever it is: read when it is a regular file.
    pub fn path(path: &Path) -> Input {
        named(path)
    }

    /// Its size, for the order files start in: a file's on disk (0 when it cannot be
    /// told), a document's given as bytes (also held in memory while it waits).
    pub(super) fn size(&self) -> super::order::Size {
        let (file, held) = match self {
            Input::File(path, _) | Input::Named(path, _) => {
                (std::fs::metadata(path).map_or(0, |m| m.len()), 0)
            }
            Input::Bytes { bytes, .. } => (bytes.len() as u64, bytes.len() as u64),
            Input::Unreadable(..) | Input::Link(..) => (0, 0),
        };
        super::order::Size { file, held }
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

/// What a folder walk does with a file, by its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Choice {
    /// Read it.
    Keep,
    /// An Office document the include globs do not name: set aside, counted.
    Filtered,
    /// Not a document the walk looks for.
    Ignore,
}

impl Walk {
    fn skips(&self, below: &Path) -> bool {
        // Folders are tested as the walk enters them, so a file's own name is enough.
        self.exclude
            .as_ref()
            .is_some_and(|x| x.matches(below, false))
    }

    /// Office documents, unless the include globs leave them out; text-bearing files
    /// (CSV, text, RTF, HTML) only when an include glob names them itself (`*.csv`,
    /// `Eksport/*.txt`; a glob naming a folder they are in is not enough).
    fn choose(&self, below: &Path) -> Choice {
        let ext = below.extension().and_then(|e| e.to_str()).unwrap_or("");
        match &self.include {
            _ if !is_office_extension(ext) && !is_text_extension(ext) => Choice::Ignore,
            None if is_office_extension(ext) => Choice::Keep,
            None => Choice::Ignore,
            Some(i) if is_office_extension(ext) => {
                if i.matches(below, true) {
                    Choice::Keep
                } else {
                    Choice::Filtered
                }
            }
            Some(i) if i.matches(below, false) => Choice::Keep,
            Some(_) => Choice::Ignore,
        }
    }
}

/// What a walk met besides the files it handed on, as it met it (not masked yet).
#[derive(Debug, Default)]
pub struct Met {
    /// Configuration files (`o365lint.toml`) inside the scanned folders.
    pub configs: Vec<PathBuf>,
    /// Counts and notes (the notes are masked by the engine).
    pub links_not_followed: usize,
    pub unreadable_folders: usize,
    pub duplicates: usize,
    pub names_not_utf8: usize,
    pub filtered_out: usize,
    pub notes: Vec<Note>,
}

impl Met {
    fn note(&mut self, note: Note) {
        if self.notes.len() < WalkNotes::MAX_NOTES {
            self.notes.push(note);
        }
    }
}

fn lock(met: &Mutex<Met>) -> MutexGuard<'_, Met> {
    met.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The given paths, each once: canonical paths already given are dropped (counted), and
/// a path given inside a given folder is read as given, not again by that folder's walk.
struct Given {
    /// Canonical paths of all given paths, and their file names (a cheap first test).
    canonical: HashSet<PathBuf>,
    names: HashSet<OsString>,
}

impl Given {
    fn new(paths: &[PathBuf], met: &Mutex<Met>) -> (Vec<PathBuf>, Given) {
        let mut given = Given {
            canonical: HashSet::new(),
            names: HashSet::new(),
        };
        let mut kept = Vec::new();
        for p in paths {
            match std::fs::canonicalize(p) {
                Ok(c) if !given.canonical.insert(c.clone()) => {
                    let mut m = lock(met);
                    m.duplicates += 1;
                    m.note(Note::GivenTwice(display(p)));
                }
                Ok(c) => {
                    // Only when more than one path is given can one hold another.
                    if paths.len() > 1 {
                        given.names.extend(c.file_name().map(OsString::from));
                    }
                    kept.push(p.clone());
                }
                Err(_) => kept.push(p.clone()),
            }
        }
        if paths.len() < 2 {
            given.canonical.clear();
        }
        (kept, given)
    }

    /// Whether `entry`, met walking the given folder `root`, is itself a given path
    /// (read where it was given).
    fn holds(&self, root: &Path, entry: &DirEntry) -> bool {
        entry.depth() > 0
            && self.names.contains(entry.file_name())
            && std::fs::canonicalize(entry.path()).is_ok_and(|c| {
                self.canonical.contains(&c) && std::fs::canonicalize(root).ok() != Some(c)
            })
    }
}

/// Expands the given paths lazily, so a share of a million files is never listed in memory:
/// files as given (whatever their name), folders recursively in file-name order, keeping
/// what `walk` keeps ([`Walk::choose`]); each file once, however often it is given.
/// Configuration files (`o365lint.toml`) met in the folders are added to `met`: whoever
/// writes to a scanned share could have put them there, so they are reported, not obeyed.
/// So is everything else the walk passes over.
pub fn inputs<'a>(
    paths: &'a [PathBuf],
    walk: &'a Walk,
    met: &'a Mutex<Met>,
) -> impl Iterator<Item = Input> + 'a {
    let (paths, given) = Given::new(paths, met);
    let given = std::sync::Arc::new(given);
    paths
        .into_iter()
        .flat_map(move |root| -> Box<dyn Iterator<Item = Input> + 'a> {
            if root.is_dir() {
                Box::new(folder(root, walk, met, std::sync::Arc::clone(&given)))
            } else {
                Box::new(std::iter::once(named(&root)))
            }
        })
        .inspect(move |input| {
            let path = match input {
                Input::File(p, _) | Input::Named(p, _) | Input::Link(p, _) => p,
                Input::Unreadable(p, _) => p,
                Input::Bytes { .. } => return,
            };
            if path.to_str().is_none() {
                lock(met).names_not_utf8 += 1;
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
    root: PathBuf,
    walk: &'a Walk,
    met: &'a Mutex<Met>,
    given: std::sync::Arc<Given>,
) -> impl Iterator<Item = Input> + 'a {
    let entries = WalkDir::new(&root)
        .follow_links(walk.follow_links)
        .sort_by_file_name()
        .into_iter();
    let base = root.clone();
    entries
        .filter_entry(move |e| {
            if e.depth() == 0 {
                return true;
            }
            if walk.skips(below(&base, e.path())) {
                lock(met).filtered_out += 1;
                return false;
            }
            if given.holds(&base, e) {
                let mut m = lock(met);
                m.duplicates += 1;
                m.note(Note::AlsoGivenAlone(display(e.path())));
                return false;
            }
            true
        })
        .filter_map(move |entry| entry_input(entry, &root, walk, met))
}

/// What one entry of a folder walk is: a file to read, a link passed over, or nothing
/// (counted in `met` when it is something passed over).
fn entry_input(
    entry: walkdir::Result<DirEntry>,
    root: &Path,
    walk: &Walk,
    met: &Mutex<Met>,
) -> Option<Input> {
    let e = match entry {
        Ok(e) => e,
        Err(e) => return walk_error(e, root, met),
    };
    let kind = e.file_type();
    if !kind.is_dir() && e.file_name() == crate::config::FILE_NAME {
        lock(met).configs.push(e.into_path());
        return None;
    }
    if kind.is_symlink() {
        // Met only without --follow: links are passed over, and said so.
        if std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir()) {
            let mut m = lock(met);
            m.links_not_followed += 1;
            m.note(Note::LinkNotFollowed(display(e.path())));
            return None;
        }
        let rel = display(below(root, e.path()));
        return match walk.choose(below(root, e.path())) {
            Choice::Ignore => None,
            Choice::Filtered => {
                lock(met).filtered_out += 1;
                None
            }
            Choice::Keep => Some(Input::Link(e.into_path(), rel)),
        };
    }
    if !kind.is_file() {
        return None;
    }
    match walk.choose(below(root, e.path())) {
        Choice::Keep => {
            let rel = display(below(root, e.path()));
            Some(Input::File(e.into_path(), rel))
        }
        Choice::Filtered => {
            lock(met).filtered_out += 1;
            None
        }
        Choice::Ignore => None,
    }
}

/// A walk error: a folder that cannot be read is counted as a folder (its files were not
/// scanned), a link loop as a link not followed round; anything else is the file's result.
fn walk_error(e: walkdir::Error, root: &Path, met: &Mutex<Met>) -> Option<Input> {
    let path = e
        .path()
        .map_or_else(|| root.to_path_buf(), Path::to_path_buf);
    if let Some(a) = e.loop_ancestor() {
        let mut m = lock(met);
        m.links_not_followed += 1;
        m.note(Note::LinkLoop {
            path: display(&path),
            to: display(a),
        });
        return None;
    }
    let io = e
        .into_io_error()
        .unwrap_or_else(|| std::io::Error::other("cannot walk"));
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.is_dir()) {
        let mut m = lock(met);
        m.unreadable_folders += 1;
        m.note(Note::FolderUnreadable {
            path: display(&path),
            detail: io.to_string(),
        });
        return None;
    }
    Some(Input::Unreadable(path, Error::Io(io)))
}

fn below<'p>(root: &Path, path: &'p Path) -> &'p Path {
    path.strip_prefix(root).unwrap_or(path)
}

/// A path as shown in reports: lossy UTF-8, forward slashes.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
