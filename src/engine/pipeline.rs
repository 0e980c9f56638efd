//! One file through the engine: read (labels and text), detect, assess the labels, judge,
//! fingerprint, mask. Never panics: a panic in a file becomes that file's error.

use std::io::{Read, Seek, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use super::Engine;
use super::walk::{Input, display};
use crate::detect::DocumentScan;
use crate::model::{ContainerKind, EmbeddedResult, FileResult, Protection};
use crate::read::document;
use crate::read::error::{Error, Limit};
use crate::read::text::{Batch, Sink};
use crate::verdict::seen::Seen;
use crate::verdict::suppress;
use crate::verdict::{Context, Subject};

/// What a file's content comes from.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// A file on disk; a symbolic link is read only when `follow`.
    Path { path: &'a Path, follow: bool },
    /// Bytes with the file's name (an upload, a member of an archive).
    Bytes { name: &'a str, bytes: &'a [u8] },
}

/// One input's result, masked. Reading is guarded inside `guarded`; this guards the rest.
pub(super) fn input(engine: &Engine, input: Input) -> FileResult {
    match input {
        Input::File(path, below) => {
            let source = Source::Path {
                path: &path,
                follow: engine.walk.follow_links,
            };
            masked(engine, source, &below, display(&path))
        }
        Input::Named(path, below) => {
            let source = Source::Path {
                path: &path,
                follow: true,
            };
            masked(engine, source, &below, display(&path))
        }
        Input::Bytes { name, bytes } => {
            let shown = name.replace('\\', "/");
            masked(
                engine,
                Source::Bytes {
                    name: &name,
                    bytes: &bytes,
                },
                &shown,
                shown.clone(),
            )
        }
        Input::Unreadable(path, e) => masked_failure(engine, display(&path), &e),
    }
}

/// A file's result, masked: results leave the engine with no full identifier in them
/// (DESIGN.md, Privacy).
pub(super) fn masked(engine: &Engine, source: Source, below: &str, shown: String) -> FileResult {
    let fallback = shown.clone();
    catch_unwind(AssertUnwindSafe(|| {
        let mut r = guarded(engine, source, below, shown);
        engine.detectors.mask_result(&mut r);
        r
    }))
    .unwrap_or_else(|_| masked_failure(engine, fallback, &Error::Internal("while reporting")))
}

fn masked_failure(engine: &Engine, shown: String, e: &Error) -> FileResult {
    failed(engine, &shown, e)
}

fn failed(engine: &Engine, shown: &str, e: &Error) -> FileResult {
    let m = |s: &str| engine.detectors.masked(s);
    FileResult::failed(m(shown), m(&e.to_string()), e.kind())
}

/// A panic while reading (a bug, or a pathological file tripping a dependency) becomes the
/// file's error. Its message is left out: it may quote the document.
fn guarded(engine: &Engine, source: Source, below: &str, shown: String) -> FileResult {
    let fallback = shown.clone();
    catch_unwind(AssertUnwindSafe(|| check(engine, source, below, shown)))
        .unwrap_or_else(|_| failed(engine, &fallback, &Error::Internal("while reading")))
}

fn check(engine: &Engine, source: Source, below: &str, shown: String) -> FileResult {
    let opts = engine;
    let m = |s: &str| opts.detectors.masked(s);
    let skipped = || FileResult {
        skipped: Some("Office lock file (~$…), not a document".into()),
        ..FileResult::new(m(&shown))
    };
    let mut sink = Judging {
        detection: opts.detectors.document(),
        seen: Seen::default(),
    };
    let (size, read) = match source {
        Source::Path { path, follow } => {
            let (mut file, size) = match document::open_regular(path, follow) {
                Ok(opened) => opened,
                Err(e) => return failed(engine, &shown, &e),
            };
            let name = path.file_name().map(|n| n.to_string_lossy());
            if lock_file_named(name.as_deref().unwrap_or("")) {
                let mut head = [0u8; 64];
                let n = read_head(&mut file, &mut head);
                if document::is_lock_file(&head[..n], size) {
                    return skipped();
                }
                if let Err(e) = file.seek(SeekFrom::Start(0)) {
                    return failed(engine, &shown, &Error::Io(e));
                }
            }
            let read =
                document::read_open_file(file, size, name.as_deref(), &opts.limits, &mut sink);
            (Some(size), read)
        }
        Source::Bytes { name, bytes } => {
            let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
            if lock_file_named(file_name) && document::is_lock_file(bytes, bytes.len() as u64) {
                return skipped();
            }
            (
                Some(bytes.len() as u64),
                document::read_bytes(bytes, name, &opts.limits, &mut sink),
            )
        }
    };
    let mut doc = match read {
        Ok(doc) => doc,
        Err(e) => return failed(engine, &shown, &e),
    };
    let Judging { detection, seen } = sink;
    let found = detection.finish();
    if found.overflow {
        let e = Error::limit(
            Limit::Values,
            format!(
                "too many possible identifiers to list them all (more than {} in the file, or {} in one paragraph or cell)",
                crate::detect::MAX_VALUES,
                crate::detect::MAX_PIECE_FOUND
            ),
        );
        match &doc.damage {
            None => doc.damage = Some(e),
            Some(_) => doc.notes.push(format!("also not fully read: {e}")),
        }
    }
    let password =
        doc.protection == Protection::Password && doc.container == ContainerKind::EncryptedOoxml;
    let assessment = opts.catalogue.assess(&doc.labels, password);
    let mut notes = doc.notes;
    notes.extend(assessment.notes);
    let embedded: Vec<EmbeddedResult> = doc
        .embedded
        .iter()
        .map(|e| {
            let a = opts
                .catalogue
                .assess(&e.labels, e.protection == Some(Protection::Password));
            notes.extend(a.notes.into_iter().map(|n| format!("{}: {n}", e.path)));
            EmbeddedResult {
                path: m(&e.path),
                format: e.format,
                encryption: e.protection,
                labels: a.labels,
                label: a.label,
                label_status: e.format.map(|_| a.status),
                error: e.error.as_ref().map(|e| m(&e.to_string())),
            }
        })
        .collect();
    let config = &opts.rules.config;
    let absolute = match source {
        Source::Path { path, .. } => {
            std::path::absolute(path).map_or_else(|_| shown.clone(), |p| display(&p))
        }
        Source::Bytes { name, .. } => name.to_string(),
    };
    let business = config.business(&absolute).map(m);
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
            b.class(&m(&shown), &m(below))
        }),
    };
    let subject = Subject {
        path: &shown,
        format: doc.format,
        encryption: doc.protection,
        labels: &assessment.labels,
        label: assessment.label.as_ref(),
        label_status: assessment.status,
        detections: &found.detections,
        tags: &found.tags,
        embedded: !embedded.is_empty(),
        complete: doc.damage.is_none(),
        seen: &seen,
    };
    let verdict = opts.rules.judge(&subject, &cx);
    let findings = suppress::findings(
        &verdict.findings,
        below,
        &opts.detectors,
        &opts.suppressions,
        opts.baseline.as_ref(),
    );
    FileResult {
        size,
        embedded,
        required_class: verdict.required_class,
        required_by: verdict.required_by,
        required_reasons: verdict.required_reasons,
        findings,
        business,
        detections: found.detections,
        tags: found.tags,
        format: Some(doc.format),
        container: Some(doc.container),
        encryption: Some(doc.protection),
        labels: assessment.labels,
        label: assessment.label,
        label_status: Some(assessment.status),
        notes: notes.iter().map(|n| m(n)).collect(),
        error: doc.damage.as_ref().map(|e| m(&e.to_string())),
        error_kind: doc.damage.as_ref().map(Error::kind),
        ..FileResult::new(m(&shown))
    }
}

/// Office names its owner ("lock") files `~$name.docx`; whether one is, is judged on its
/// content (`document::is_lock_file`).
fn lock_file_named(name: &str) -> bool {
    name.starts_with("~$")
}

fn read_head(file: &mut std::fs::File, head: &mut [u8]) -> usize {
    let mut n = 0;
    while n < head.len() {
        match file.read(&mut head[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
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
