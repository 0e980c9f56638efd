//! One file through the engine: read (labels and text), detect, assess the labels, judge,
//! fingerprint, mask. Never panics: a panic in a file becomes that file's error.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use super::Engine;
use super::walk::{Input, display};
use crate::detect::DocumentScan;
use crate::model::{ContainerKind, EmbeddedResult, FileResult, Protection};
use crate::read::container::{Magic, sniff};
use crate::read::document;
use crate::read::error::Error;
use crate::read::text::{Batch, Sink};
use crate::verdict::seen::Seen;
use crate::verdict::suppress;
use crate::verdict::{Context, Subject};

/// What a file's content comes from.
#[derive(Clone, Copy)]
pub enum Source<'a> {
    /// A file on disk.
    Path(&'a Path),
    /// Bytes with the file's name (an upload, a member of an archive).
    Bytes { name: &'a str, bytes: &'a [u8] },
}

/// One input's result, masked. Reading is guarded inside `guarded`; this guards the rest.
pub(super) fn input(engine: &Engine, input: Input) -> FileResult {
    match input {
        Input::File(path, below) => masked(engine, Source::Path(&path), &below, display(&path)),
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
    if is_lock_file(source) {
        return FileResult {
            skipped: Some("Office lock file (~$…), not a document".into()),
            ..FileResult::new(engine.detectors.masked(&shown))
        };
    }
    let opts = engine;
    let m = |s: &str| opts.detectors.masked(s);
    let mut sink = Judging {
        detection: opts.detectors.document(),
        seen: Seen::default(),
    };
    let (size, read) = match source {
        Source::Path(path) => (
            std::fs::metadata(path).ok().map(|m| m.len()),
            document::read_file(path, &opts.limits, &mut sink),
        ),
        Source::Bytes { name, bytes } => (
            Some(bytes.len() as u64),
            document::read_bytes(bytes, name, &opts.limits, &mut sink),
        ),
    };
    let doc = match read {
        Ok(doc) => doc,
        Err(e) => return failed(engine, &shown, &e),
    };
    let Judging { detection, seen } = sink;
    let found = detection.finish();
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
        Source::Path(path) => {
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

/// Whether the file is an Office owner/lock file (`~$name.docx`): a few hundred bytes
/// naming who has the document open, not a document. Only files so named are opened to
/// look at their first bytes, so a scan opens every other file once.
fn is_lock_file(source: Source) -> bool {
    let mut head = [0u8; 8];
    let (name, n) = match source {
        Source::Path(path) => (path.file_name().and_then(|n| n.to_str()).unwrap_or(""), 0),
        Source::Bytes { name, bytes } => {
            let n = bytes.len().min(head.len());
            head[..n].copy_from_slice(&bytes[..n]);
            (name.rsplit(['/', '\\']).next().unwrap_or(name), n)
        }
    };
    if !name.starts_with("~$") {
        return false;
    }
    let n = match source {
        Source::Path(path) => std::fs::File::open(path)
            .and_then(|mut f| std::io::Read::read(&mut f, &mut head))
            .unwrap_or(0),
        Source::Bytes { .. } => n,
    };
    sniff(&head[..n]) == Magic::Other
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
