//! The scan: inputs → files → one report per file, in parallel, in a deterministic order.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use globset::{GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::catalogue::Catalogue;
use crate::container::Limits;
use crate::container::ole::Protection;
use crate::detect::Detectors;
use crate::document::{self, ContainerKind, is_office_extension};
use crate::error::Error;
use crate::fingerprint::Key;
use crate::report::{EmbeddedReport, FileReport, Report};
use crate::rules::{Context, Lang, Rules, Seen};
use crate::suppress::{self, Baseline, Suppressions};

pub struct Options {
    pub catalogue: Catalogue,
    pub limits: Limits,
    pub detectors: Detectors,
    /// The handling rules, with the configuration they read (thresholds, marking,
    /// destinations, businesses).
    pub rules: Rules,
    /// The language of rule messages.
    pub lang: Lang,
    /// Where the files go (a folder or URL), for the destination rules; `None`: each
    /// file's own path is matched against the configured destinations.
    pub destination: Option<String>,
    /// Keys the fingerprints of findings (detections use `detectors.hash_key`).
    pub hash_key: Key,
    pub suppressions: Suppressions,
    pub baseline: Option<Baseline>,
    /// Which files folder walks keep.
    pub walk: Walk,
}

impl Options {
    /// The built-in catalogue, detectors, rules and configuration, default limits,
    /// Norwegian messages.
    pub fn built_in() -> Options {
        Options {
            catalogue: Catalogue::built_in(),
            limits: Limits::default(),
            detectors: Detectors::built_in(),
            rules: Rules::built_in(),
            lang: Lang::Nb,
            destination: None,
            hash_key: Key::public(),
            suppressions: Suppressions::default(),
            baseline: None,
            walk: Walk::default(),
        }
    }
}

/// One input to scan: a file with its path below the scanned folder (its name, when it
/// was named itself), or a path that could not be walked.
pub enum Input {
    File(PathBuf, String),
    Unreadable(PathBuf, Error),
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
    pub fn new(patterns: &[String]) -> Result<Patterns, String> {
        let (mut names, mut paths) = (GlobSetBuilder::new(), GlobSetBuilder::new());
        for p in patterns {
            let glob = crate::config::glob(p).map_err(|e| format!("{p:?}: {e}"))?;
            if p.contains('/') {
                paths.add(glob);
            } else {
                names.add(glob);
            }
        }
        Ok(Patterns {
            names: names.build().map_err(|e| e.to_string())?,
            paths: paths.build().map_err(|e| e.to_string())?,
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
/// files with an Office extension that `walk` keeps.
pub fn inputs<'a>(paths: &'a [PathBuf], walk: &'a Walk) -> impl Iterator<Item = Input> + 'a {
    paths
        .iter()
        .flat_map(move |root| -> Box<dyn Iterator<Item = Input> + 'a> {
            if root.is_dir() {
                Box::new(folder(root, walk))
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
            Input::File(root.to_path_buf(), display(Path::new(name)))
        }
        Ok(_) => Input::Unreadable(
            root.to_path_buf(),
            Error::NotOffice("not a regular file".into()),
        ),
        Err(e) => Input::Unreadable(root.to_path_buf(), Error::Io(e)),
    }
}

fn folder<'a>(root: &'a Path, walk: &'a Walk) -> impl Iterator<Item = Input> + 'a {
    WalkDir::new(root)
        .follow_links(walk.follow_links)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(move |e| e.depth() == 0 || !walk.skips(below(root, e.path())))
        .filter_map(move |entry| match entry {
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

/// Whether the file is an Office owner/lock file (`~$name.docx`): a few hundred bytes
/// naming who has the document open, not a document. Only files so named are opened to
/// look at their first bytes, so a scan opens every other file once.
fn is_lock_file(path: &Path) -> bool {
    let named = path
        .file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("~$"));
    named && {
        let mut head = [0u8; 8];
        let n = std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .unwrap_or(0);
        crate::container::sniff(&head[..n]) == crate::container::Magic::Other
    }
}

/// Scans everything and keeps every file's report.
pub fn scan(paths: &[PathBuf], opts: &Options) -> Report {
    let mut files = Vec::new();
    scan_each(paths, opts, None, |f| {
        files.push(f);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    Report::new(files, &opts.catalogue)
}

/// Reports in flight at most: scanned, or waiting for an earlier file to be handed on.
/// Bounds memory whatever the number of files; large enough that one slow file does not
/// leave the other threads idle.
const WINDOW: usize = 256;

/// Scans in parallel (on `pool`, or the current rayon pool) and hands each file's report
/// to `each` in input order, whatever the thread count. `each` runs on the calling thread
/// while the walk goes on in another and files are scanned on the pool: no thread waits
/// for a batch to finish. Stops at the first error `each` returns.
pub fn scan_each<E>(
    paths: &[PathBuf],
    opts: &Options,
    pool: Option<&rayon::ThreadPool>,
    mut each: impl FnMut(FileReport) -> Result<(), E>,
) -> Result<(), E> {
    use std::sync::mpsc::sync_channel;
    let (done_tx, done_rx) = sync_channel::<(usize, FileReport)>(WINDOW);
    // A file is started only with a permit, and a permit comes back when its report has
    // been handed on.
    let (permit_tx, permit_rx) = sync_channel::<()>(WINDOW);
    for _ in 0..WINDOW {
        let _ = permit_tx.send(());
    }
    // Set when `each` fails (output closed): files not yet started are not scanned.
    let stop = &std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|threads| {
        // Owned here, so that returning early (an error from `each`) drops them and the
        // walk and the scans still running stop instead of waiting for us.
        let (permit_tx, done_rx) = (permit_tx, done_rx);
        threads.spawn(move || match pool {
            Some(p) => p.in_place_scope(|scope| feed(scope, paths, opts, stop, permit_rx, done_tx)),
            None => {
                rayon::in_place_scope(|scope| feed(scope, paths, opts, stop, permit_rx, done_tx))
            }
        });
        let mut waiting = std::collections::BTreeMap::new();
        let mut next = 0;
        for (i, r) in done_rx.iter() {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&next) {
                next += 1;
                if let Err(e) = each(r) {
                    stop.store(true, std::sync::atomic::Ordering::Relaxed);
                    return Err(e);
                }
                let _ = permit_tx.send(());
            }
        }
        Ok(())
    })
}

/// Starts a scan of each input as permits come in; each sends back its masked report with
/// its place in the input order.
fn feed<'s>(
    scope: &rayon::Scope<'s>,
    paths: &'s [PathBuf],
    opts: &'s Options,
    stop: &'s std::sync::atomic::AtomicBool,
    permits: std::sync::mpsc::Receiver<()>,
    done: std::sync::mpsc::SyncSender<(usize, FileReport)>,
) {
    use std::sync::atomic::Ordering;
    for (i, input) in inputs(paths, &opts.walk).enumerate() {
        if permits.recv().is_err() || stop.load(Ordering::Relaxed) {
            return; // the consumer stopped
        }
        let done = done.clone();
        scope.spawn(move |_| {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            let shown = match &input {
                Input::File(path, _) | Input::Unreadable(path, _) => display(path),
            };
            // Every input sends a report, whatever happens: the consumer waits for each
            // index in turn. Reading is guarded inside `scan_file_at`; this guards the rest.
            let report = catch_unwind(AssertUnwindSafe(|| {
                let mut r = match input {
                    Input::File(path, below) => scan_file_at(&path, &below, opts),
                    Input::Unreadable(path, e) => FileReport::failed(display(&path), &e),
                };
                // Reports leave the scan with no full identifier in them (DESIGN.md).
                r.mask_identifiers(&opts.detectors);
                r
            }))
            .unwrap_or_else(|_| {
                let e = Error::Damaged("internal error while reporting".into());
                FileReport::failed(opts.detectors.mask(&shown), &e)
            });
            let _ = done.send((i, report));
        });
    }
}

/// Scans one file. Never panics: a panic while reading (a bug, or a pathological file
/// tripping a dependency) becomes this file's error.
pub fn scan_file(path: &Path, opts: &Options) -> FileReport {
    let name = path.file_name().unwrap_or(path.as_os_str());
    scan_file_at(path, &display(Path::new(name)), opts)
}

/// Scans one file found at `below` under the scanned folder (for fingerprints and the
/// destination path).
pub fn scan_file_at(path: &Path, below: &str, opts: &Options) -> FileReport {
    let shown = display(path);
    match catch_unwind(AssertUnwindSafe(|| {
        scan_file_inner(path, below, shown.clone(), opts)
    })) {
        Ok(report) => report,
        Err(panic) => {
            let why = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned());
            let e = Error::Damaged(format!(
                "internal error while reading: {}",
                why.unwrap_or_default()
            ));
            FileReport::failed(shown, &e)
        }
    }
}

fn scan_file_inner(path: &Path, below: &str, shown: String, opts: &Options) -> FileReport {
    if is_lock_file(path) {
        return FileReport {
            skipped: Some("Office lock file (~$…), not a document".into()),
            ..FileReport::new(shown)
        };
    }
    let size = std::fs::metadata(path).ok().map(|m| m.len());
    let mut detection = opts.detectors.document();
    let mut seen = Seen::default();
    let read = document::read_file(path, &opts.limits, &mut |b| {
        detection.batch(b);
        seen.batch(b);
    });
    let doc = match read {
        Ok(doc) => doc,
        Err(e) => return FileReport::failed(shown, &e),
    };
    let found = detection.finish();
    let password =
        doc.protection == Protection::Password && doc.container == ContainerKind::EncryptedOoxml;
    let assessment = opts.catalogue.assess(&doc.labels, password);
    let mut notes = doc.notes;
    notes.extend(assessment.notes);
    let embedded = doc
        .embedded
        .iter()
        .map(|e| {
            let a = opts
                .catalogue
                .assess(&e.labels, e.protection == Some(Protection::Password));
            notes.extend(a.notes.into_iter().map(|n| format!("{}: {n}", e.path)));
            EmbeddedReport {
                path: e.path.clone(),
                format: e.format,
                encryption: e.protection,
                labels: a.labels,
                label: a.label,
                label_status: e.format.map(|_| a.status),
                error: e.error.as_ref().map(ToString::to_string),
            }
        })
        .collect();
    let mut report = FileReport {
        size,
        embedded,
        detections: found.detections,
        tags: found.tags,
        format: Some(doc.format),
        container: Some(doc.container),
        encryption: Some(doc.protection),
        labels: assessment.labels,
        label: assessment.label,
        label_status: Some(assessment.status),
        notes,
        error: doc.damage.as_ref().map(ToString::to_string),
        error_kind: doc.damage.as_ref().map(crate::error::Error::kind),
        ..FileReport::new(shown)
    };
    let config = &opts.rules.config;
    let absolute = std::path::absolute(path).map_or_else(|_| report.path.clone(), |p| display(&p));
    report.business = config.business(&absolute).map(str::to_string);
    let destination = match &opts.destination {
        Some(d) => format!("{}/{below}", d.trim_end_matches(['/', '\\'])),
        None => absolute,
    };
    let cx = Context {
        lang: opts.lang,
        catalogue: Some(&opts.catalogue),
        destination: Some(&destination),
        destination_given: opts.destination.is_some(),
        previous_class: opts.baseline.as_ref().and_then(|b| {
            let m = |s: &str| opts.detectors.mask(&s.replace('\\', "/"));
            b.class(&m(&report.path), &m(below))
        }),
    };
    opts.rules.judge(&mut report, &seen, &cx);
    suppress::fingerprint(
        &mut report,
        below,
        &opts.hash_key,
        &opts.detectors,
        &opts.suppressions,
        opts.baseline.as_ref(),
    );
    report
}

/// Reads one file's labels and text (text to `sink`), as the scan does: only regular
/// files, never a FIFO or device that would block.
pub fn read_text_file(
    path: &Path,
    limits: &Limits,
    sink: &mut crate::text::Sink,
) -> Result<document::Document, Error> {
    match std::fs::metadata(path) {
        Ok(m) if !m.is_file() => Err(Error::NotOffice("not a regular file".into())),
        Ok(_) => document::read_file(path, limits, sink),
        Err(e) => Err(Error::Io(e)),
    }
}

/// A path as shown in reports: lossy UTF-8, forward slashes.
pub fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
