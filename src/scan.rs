//! The scan: inputs → files → one report per file, in parallel, in a deterministic order.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
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
        }
    }
}

/// One input to scan: a file with its path below the scanned folder (its name, when it
/// was named itself), or a path that could not be walked.
pub enum Input {
    File(PathBuf, String),
    Unreadable(PathBuf, Error),
}

/// Expands the given paths: files as given (whatever their name), folders recursively, in
/// file-name order, keeping files with an Office extension. Symbolic links are not followed
/// inside folders, so link loops cannot trap the walk.
pub fn inputs(paths: &[PathBuf]) -> Vec<Input> {
    let mut out = Vec::new();
    for root in paths {
        if !root.is_dir() {
            // A FIFO or device would block or never end: only regular files are read.
            match std::fs::metadata(root) {
                Ok(m) if m.is_file() => {
                    let name = root.file_name().unwrap_or(root.as_os_str());
                    out.push(Input::File(root.clone(), display(Path::new(name))))
                }
                Ok(_) => out.push(Input::Unreadable(
                    root.clone(),
                    Error::NotOffice("not a regular file".into()),
                )),
                Err(e) => out.push(Input::Unreadable(root.clone(), Error::Io(e))),
            }
            continue;
        }
        for entry in WalkDir::new(root).sort_by_file_name() {
            match entry {
                Ok(e) if e.file_type().is_file() && wanted(e.path()) => {
                    let below = display(e.path().strip_prefix(root).unwrap_or(e.path()));
                    out.push(Input::File(e.into_path(), below))
                }
                Ok(_) => {}
                Err(e) => {
                    let path = e.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let io = e
                        .into_io_error()
                        .unwrap_or_else(|| std::io::Error::other("file system loop"));
                    out.push(Input::Unreadable(path, Error::Io(io)));
                }
            }
        }
    }
    out
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

/// Files scanned in parallel per chunk; reports are handed on in input order and dropped,
/// so memory does not grow with the number of files.
const CHUNK: usize = 256;

/// Scans in parallel (on `pool`, or the current rayon pool) and hands each file's report
/// to `each` in input order, whatever the thread count. `each` runs on the calling thread.
/// Stops at the first error `each` returns.
pub fn scan_each<E>(
    paths: &[PathBuf],
    opts: &Options,
    pool: Option<&rayon::ThreadPool>,
    mut each: impl FnMut(FileReport) -> Result<(), E>,
) -> Result<(), E> {
    let inputs = inputs(paths);
    let mut rest = inputs.into_iter().peekable();
    while rest.peek().is_some() {
        let chunk: Vec<Input> = rest.by_ref().take(CHUNK).collect();
        let run = || -> Vec<FileReport> {
            chunk
                .into_par_iter()
                .map(|input| {
                    let mut r = match input {
                        Input::File(path, below) => scan_file_at(&path, &below, opts),
                        Input::Unreadable(path, e) => FileReport::failed(display(&path), &e),
                    };
                    // Reports leave the scan with no full identifier in them (DESIGN.md).
                    r.mask_identifiers(&opts.detectors);
                    r
                })
                .collect()
        };
        let reports = match pool {
            Some(p) => p.install(run),
            None => run(),
        };
        for r in reports {
            each(r)?;
        }
    }
    Ok(())
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
        previous_class: opts
            .baseline
            .as_ref()
            .and_then(|b| b.class(&opts.detectors.mask(&report.path))),
    };
    opts.rules.judge(&mut report, &seen, &cx);
    suppress::fingerprint(
        &mut report,
        below,
        &opts.hash_key,
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
