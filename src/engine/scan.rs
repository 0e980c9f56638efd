//! The scan: inputs → files → one report per file, in parallel, in a deterministic order.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};

use globset::{GlobSet, GlobSetBuilder};
use walkdir::WalkDir;

use crate::detect::key::Key;
use crate::detect::{Detectors, DocumentScan};
use crate::labels::catalogue::Catalogue;
use crate::model::Lang;
use crate::model::Protection;
use crate::model::{ContainerKind, is_office_extension};
use crate::model::{EmbeddedResult, FileResult, ScanReport};
use crate::read::container::Limits;
use crate::read::document;
use crate::read::error::Error;
use crate::read::text::{Batch, Sink};
use crate::verdict::rules::{Context, Rules, Seen};
use crate::verdict::suppress::{self, Baseline, Suppressions};

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
        crate::read::container::sniff(&head[..n]) == crate::read::container::Magic::Other
    }
}

/// Scans everything and keeps every file's report.
pub fn scan(paths: &[PathBuf], opts: &Options) -> ScanReport {
    let mut files = Vec::new();
    scan_each(paths, opts, None, |f| {
        files.push(f);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    ScanReport::new(files, opts.catalogue.info())
}

/// Reports in flight at most: scanned, or waiting for an earlier file to be handed on.
/// Bounds memory whatever the number of files; large enough that one slow file does not
/// leave the other threads idle.
const WINDOW: usize = 256;

/// Permits go back to the walk this many at a time: the walk's thread wakes once per
/// batch of files, not once per file (a wake-up preempts a scan on a busy machine).
const PERMITS: usize = 32;

/// Scans in parallel (on `pool`, or the current rayon pool) and hands each file's report
/// to `each` in input order, whatever the thread count. The walk runs on the calling
/// thread and files are scanned on the pool; the scan that completes the next report in
/// order hands it on, so no thread waits for another to pass reports along. Stops at the
/// first error `each` returns.
pub fn scan_each<E: Send>(
    paths: &[PathBuf],
    opts: &Options,
    pool: Option<&rayon::ThreadPool>,
    each: impl FnMut(FileResult) -> Result<(), E> + Send,
) -> Result<(), E> {
    // A file is started only with a permit, and its permit comes back when its report
    // has been handed on.
    let (permits, permit_rx) = std::sync::mpsc::sync_channel::<usize>(WINDOW);
    let _ = permits.send(WINDOW);
    let order = Mutex::new(Order {
        next: 0,
        waiting: BTreeMap::new(),
        each,
        permits: Some(permits),
        returned: 0,
        failed: None,
    });
    // Set when `each` fails (output closed): files not yet started are not scanned.
    let stop = AtomicBool::new(false);
    let (s, o) = (&stop, &order);
    match pool {
        Some(p) => p.in_place_scope(|scope| feed(scope, paths, opts, s, permit_rx, o)),
        None => rayon::in_place_scope(|scope| feed(scope, paths, opts, s, permit_rx, o)),
    }
    let order = order.into_inner().unwrap_or_else(PoisonError::into_inner);
    match order.failed {
        None => Ok(()),
        Some(Failed::Error(e)) => Err(e),
        Some(Failed::Panic(p)) => std::panic::resume_unwind(p),
    }
}

/// Reports on their way out in input order.
struct Order<F, E> {
    /// The index of the next report to hand on.
    next: usize,
    waiting: BTreeMap<usize, FileResult>,
    each: F,
    /// Dropped when `each` fails, which stops the walk.
    permits: Option<SyncSender<usize>>,
    /// Permits of reports handed on, not yet sent back.
    returned: usize,
    failed: Option<Failed<E>>,
}

enum Failed<E> {
    Error(E),
    Panic(Box<dyn std::any::Any + Send>),
}

impl<F: FnMut(FileResult) -> Result<(), E>, E> Order<F, E> {
    /// Takes report `i` and hands on every report now next in order.
    fn arrive(&mut self, i: usize, report: FileResult, stop: &AtomicBool) {
        self.waiting.insert(i, report);
        while let Some(r) = self.waiting.remove(&self.next) {
            self.next += 1;
            if self.failed.is_none() {
                let each = &mut self.each;
                match catch_unwind(AssertUnwindSafe(|| each(r))) {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => self.failed = Some(Failed::Error(e)),
                    Err(p) => self.failed = Some(Failed::Panic(p)),
                }
                if self.failed.is_some() {
                    stop.store(true, Ordering::Relaxed);
                    self.permits = None;
                }
            }
            self.returned += 1;
            if self.returned == PERMITS
                && let Some(p) = &self.permits
            {
                let _ = p.send(std::mem::take(&mut self.returned));
            }
        }
    }
}

/// Starts a scan of each input as permits come in; each hands its masked report on with
/// its place in the input order.
fn feed<'s, F, E>(
    scope: &rayon::Scope<'s>,
    paths: &'s [PathBuf],
    opts: &'s Options,
    stop: &'s AtomicBool,
    permits: Receiver<usize>,
    order: &'s Mutex<Order<F, E>>,
) where
    F: FnMut(FileResult) -> Result<(), E> + Send,
    E: Send,
{
    let mut held = 0;
    for (i, input) in inputs(paths, &opts.walk).enumerate() {
        if held == 0 {
            match permits.recv() {
                Ok(n) => held = n,
                Err(_) => return, // `each` failed
            }
        }
        held -= 1;
        if stop.load(Ordering::Relaxed) {
            return;
        }
        scope.spawn(move |_| {
            // Every input is handed on, scanned or not: later reports wait for it.
            let report = if stop.load(Ordering::Relaxed) {
                FileResult::new(String::new())
            } else {
                scan_input(input, opts)
            };
            order
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .arrive(i, report, stop);
        });
    }
}

/// One input's masked report. Reading is guarded inside `scan_file_at`; this guards the
/// rest.
fn scan_input(input: Input, opts: &Options) -> FileResult {
    let shown = match &input {
        Input::File(path, _) | Input::Unreadable(path, _) => display(path),
    };
    catch_unwind(AssertUnwindSafe(|| {
        let mut r = match input {
            Input::File(path, below) => scan_file_at(&path, &below, opts),
            Input::Unreadable(path, e) => {
                FileResult::failed(display(&path), e.to_string(), e.kind())
            }
        };
        // Reports leave the scan with no full identifier in them (DESIGN.md).
        opts.detectors.mask_result(&mut r);
        r
    }))
    .unwrap_or_else(|_| {
        let e = Error::Damaged("internal error while reporting".into());
        FileResult::failed(opts.detectors.mask(&shown), e.to_string(), e.kind())
    })
}

/// Scans one file. Never panics: a panic while reading (a bug, or a pathological file
/// tripping a dependency) becomes this file's error.
pub fn scan_file(path: &Path, opts: &Options) -> FileResult {
    let name = path.file_name().unwrap_or(path.as_os_str());
    scan_file_at(path, &display(Path::new(name)), opts)
}

/// Scans one file found at `below` under the scanned folder (for fingerprints and the
/// destination path).
pub fn scan_file_at(path: &Path, below: &str, opts: &Options) -> FileResult {
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
            FileResult::failed(shown, e.to_string(), e.kind())
        }
    }
}

fn scan_file_inner(path: &Path, below: &str, shown: String, opts: &Options) -> FileResult {
    if is_lock_file(path) {
        return FileResult {
            skipped: Some("Office lock file (~$…), not a document".into()),
            ..FileResult::new(shown)
        };
    }
    let size = std::fs::metadata(path).ok().map(|m| m.len());
    let mut sink = Judging {
        detection: opts.detectors.document(),
        seen: Seen::default(),
    };
    let read = document::read_file(path, &opts.limits, &mut sink);
    let doc = match read {
        Ok(doc) => doc,
        Err(e) => return FileResult::failed(shown, e.to_string(), e.kind()),
    };
    let Judging { detection, seen } = sink;
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
            EmbeddedResult {
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
    let mut report = FileResult {
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
        error_kind: doc.damage.as_ref().map(crate::read::error::Error::kind),
        ..FileResult::new(shown)
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

/// Where a scanned file's text goes: to detection, and to what the rules look at.
struct Judging<'d> {
    detection: DocumentScan<'d>,
    seen: Seen,
}

impl Sink for Judging<'_> {
    fn batch(&mut self, b: &Batch<'_>) {
        self.detection.batch(b);
        self.seen.batch(b);
    }

    /// Neither detection nor the rules take anything from a number no identifier can be
    /// but its flags, which come with the batch.
    fn every_number(&self) -> bool {
        false
    }
}

/// Reads one file's labels and text (text to `sink`), as the scan does: only regular
/// files, never a FIFO or device that would block.
pub fn read_text_file(
    path: &Path,
    limits: &Limits,
    sink: &mut dyn crate::read::text::Sink,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Inputs that cannot be read: each still gets a report, at once.
    fn missing(n: usize) -> Vec<PathBuf> {
        (0..n)
            .map(|i| PathBuf::from(format!("/ingen/slik/mappe/f{i}.docx")))
            .collect()
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    #[test]
    fn hands_every_report_on_in_input_order() {
        // More inputs than the window and than a permit batch, on more threads than cores.
        let paths = missing(3 * WINDOW + PERMITS / 2);
        let opts = Options::built_in();
        let mut got = Vec::new();
        scan_each(&paths, &opts, Some(&pool(4)), |r| {
            got.push(r.path);
            Ok::<(), ()>(())
        })
        .unwrap();
        let want: Vec<String> = paths.iter().map(|p| display(p)).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn stops_at_the_first_error_without_waiting() {
        let paths = missing(4 * WINDOW);
        let opts = Options::built_in();
        let mut calls = 0;
        let got = scan_each(&paths, &opts, Some(&pool(3)), |_| {
            calls += 1;
            if calls == WINDOW + 7 {
                Err("closed")
            } else {
                Ok(())
            }
        });
        assert_eq!(got, Err("closed"));
        assert_eq!(calls, WINDOW + 7, "nothing is handed on after the error");
    }

    #[test]
    fn a_panic_while_handing_on_reaches_the_caller() {
        let paths = missing(2 * WINDOW);
        let opts = Options::built_in();
        let caught = catch_unwind(AssertUnwindSafe(|| {
            let mut calls = 0;
            scan_each(&paths, &opts, Some(&pool(2)), |_| -> Result<(), ()> {
                calls += 1;
                assert!(calls < 10, "boom");
                Ok(())
            })
        }));
        assert!(caught.is_err());
    }
}
