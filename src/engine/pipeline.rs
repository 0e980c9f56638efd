//! One file through the engine: read (labels and text), detect, assess the labels, judge,
//! fingerprint, mask. Never panics: a panic in a file becomes that file's error.

use std::io::{Read, Seek, SeekFrom};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use super::Engine;
use super::handoff::{self, FindAhead};
use super::order::LARGE;
use super::root::Rooted;
use super::walk::{Input, display};
use crate::detect::{self, Detectors, DocumentScan};
use crate::model::{
    EmbeddedResult, FileResult, LabelStatus, Masked, Note, Protection, SkipKind, rfc3339,
};
use crate::read::document;
use crate::read::error::{Error, Limit};
use crate::read::text::{Batch, Sink};
use crate::verdict::seen::Seen;
use crate::verdict::suppress::{self, FileKey};
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
pub(super) fn input(engine: &Engine, input: Input, rooted: &Rooted) -> FileResult {
    // A path that is not UTF-8 is shown with U+FFFD for the bytes that are not: said per
    // file, so two such names that look alike are not taken for one.
    let not_utf8 = match &input {
        Input::File(p, _) | Input::Named(p, _) | Input::Link(p, _) | Input::Unreadable(p, _) => {
            p.to_str().is_none()
        }
        Input::Bytes { .. } => false,
    };
    let mut result = one(engine, input, rooted);
    if not_utf8 {
        let note = Note::NameNotUtf8.text(engine.lang);
        result.notes.push(engine.detectors.masked_path(&note));
    }
    result
}

fn one(engine: &Engine, input: Input, rooted: &Rooted) -> FileResult {
    match input {
        Input::Link(path, below) => FileResult {
            skipped: Some(SkipKind::SymbolicLink.text(engine.lang).into()),
            skipped_kind: Some(SkipKind::SymbolicLink),
            ..File::new(display(&path), &below, rooted).result(engine)
        },
        Input::File(path, below) => {
            let source = Source::Path {
                path: &path,
                follow: engine.walk.follow_links,
            };
            masked(engine, source, &File::new(display(&path), &below, rooted))
        }
        Input::Named(path, below) => {
            let source = Source::Path {
                path: &path,
                follow: true,
            };
            masked(engine, source, &File::new(display(&path), &below, rooted))
        }
        Input::Bytes { name, bytes } => {
            let shown = name.replace('\\', "/");
            let source = Source::Bytes {
                name: &name,
                bytes: &bytes,
            };
            masked(engine, source, &File::new(shown.clone(), &shown, rooted))
        }
        Input::Unreadable(path, e) => failed(engine, &File::new(display(&path), "", rooted), &e),
    }
}

/// Which file a result is for: its path as shown (as given), below the folder given, and
/// from the scan root.
pub(super) struct File<'a> {
    shown: String,
    below: &'a str,
    rooted: &'a Rooted,
    /// Where this file goes, if not where the engine's files go (an upload's destination).
    destination: Option<&'a str>,
}

impl<'a> File<'a> {
    pub(super) fn new(shown: String, below: &'a str, rooted: &'a Rooted) -> File<'a> {
        File {
            shown,
            below,
            rooted,
            destination: None,
        }
    }

    /// The file as going to `destination`.
    pub(super) fn to(mut self, destination: &'a str) -> File<'a> {
        self.destination = Some(destination);
        self
    }

    fn key(&self, engine: &Engine) -> FileKey {
        FileKey::new(&engine.detectors, &self.rooted.path, self.rooted.nth)
    }

    /// Where the file goes, with its path below the folder given, if it goes anywhere.
    fn going(&self, engine: &Engine) -> Option<String> {
        let d = self.destination.or(engine.destination.as_deref())?;
        Some(format!(
            "{}/{}",
            d.trim_end_matches(['/', '\\']),
            self.below
        ))
    }

    /// A result for the file with nothing in it yet: its paths, fingerprint and
    /// destination (a file that cannot be read is still going somewhere).
    fn result(&self, engine: &Engine) -> FileResult {
        let det = &engine.detectors;
        FileResult {
            root_path: det.masked_file_path(&self.rooted.path, self.rooted.nth),
            fingerprint: self.key(engine).fingerprint,
            destination: self.going(engine).map(|d| det.masked_path(&d)),
            ..FileResult::new(det.masked_file_path(&self.shown, self.rooted.nth))
        }
    }
}

/// A file's result, masked: results leave the engine with no full identifier in them
/// (DESIGN.md, Privacy).
pub(super) fn masked(engine: &Engine, source: Source, file: &File) -> FileResult {
    catch_unwind(AssertUnwindSafe(|| {
        let mut r = guarded(engine, source, file);
        engine.detectors.mask_result(&mut r);
        r
    }))
    .unwrap_or_else(|_| failed(engine, file, &Error::Internal("while reporting")))
}

/// The file's result when it could not be read. The error names parts, limits and file
/// signatures, never the document's text: it is masked as a name.
fn failed(engine: &Engine, file: &File, e: &Error) -> FileResult {
    FileResult {
        error: Some(engine.detectors.masked_path(&e.text(engine.lang))),
        error_kind: Some(e.kind()),
        ..file.result(engine)
    }
}

/// A panic while reading (a bug, or a pathological file tripping a dependency) becomes the
/// file's error. Its message is left out: it may quote the document.
fn guarded(engine: &Engine, source: Source, file: &File) -> FileResult {
    catch_unwind(AssertUnwindSafe(|| check(engine, source, file)))
        .unwrap_or_else(|_| failed(engine, file, &Error::Internal("while reading")))
}

fn check(engine: &Engine, source: Source, file: &File) -> FileResult {
    let opts = engine;
    let det = &opts.detectors;
    let (shown, below) = (&file.shown, file.below);
    let m = |s: &str| det.masked(s);
    let skipped = || FileResult {
        skipped: Some(SkipKind::LockFile.text(opts.lang).into()),
        skipped_kind: Some(SkipKind::LockFile),
        ..file.result(engine)
    };
    let mut sink = Judging {
        detection: opts.detectors.document(),
        seen: Seen::default(),
    };
    let (size, modified, read) = match source {
        Source::Path { path, follow } => {
            let (mut opened, size) = match document::open_regular(path, follow) {
                Ok(opened) => opened,
                Err(e) => return failed(engine, file, &e),
            };
            // For the report, to follow a finding up: when the file last changed.
            let modified = opened.metadata().and_then(|m| m.modified()).ok();
            let name = path.file_name().map(|n| n.to_string_lossy());
            if lock_file_named(name.as_deref().unwrap_or("")) {
                let mut head = [0u8; 64];
                let n = read_head(&mut opened, &mut head);
                if document::is_lock_file(&head[..n], size) {
                    return skipped();
                }
                if let Err(e) = opened.seek(SeekFrom::Start(0)) {
                    return failed(engine, file, &Error::Io(e));
                }
            }
            // A large file's text is detected on a free thread while it is read.
            let read = handoff::read(&mut sink, size >= LARGE, |sink| {
                document::read_open_file(opened, size, name.as_deref(), &opts.limits, sink)
            });
            (Some(size), modified.map(rfc3339), read)
        }
        Source::Bytes { name, bytes } => {
            let file_name = name.rsplit(['/', '\\']).next().unwrap_or(name);
            if lock_file_named(file_name) && document::is_lock_file(bytes, bytes.len() as u64) {
                return skipped();
            }
            let large = bytes.len() as u64 >= LARGE;
            let read = handoff::read(&mut sink, large, |sink| {
                document::read_bytes(bytes, name, &opts.limits, sink)
            });
            (Some(bytes.len() as u64), None, read)
        }
    };
    let mut doc = match read {
        Ok(doc) => doc,
        Err(e) => return failed(engine, file, &e),
    };
    // The folders a file is in are a place of it too: an identifier there is in its path.
    if let Some(folders) = file.rooted.folders(below) {
        document::folder_piece(folders, &mut sink);
    }
    let Judging {
        detection,
        mut seen,
    } = sink;
    seen.locate(|s| det.mask_location(s));
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
            Some(_) => doc.notes.push(e.note()),
        }
    }
    let (content, not_checked) = doc.coverage();
    // A password-encrypted package or legacy file whose properties show no label: any label
    // may be in what the password hides (Excel and Word encrypt the properties too by
    // default), so it is not readable, not absent.
    let password = doc.protection == Protection::Password;
    let mut assessment = opts.catalogue.assess(&doc.labels, password, opts.lang);
    if !doc.format.carries_label() {
        // RTF, HTML, CSV, text: no label is possible, so none is missing (not LBL-01).
        assessment.status = LabelStatus::CannotCarry;
    }
    // The reader's notes name parts and files; the catalogue's quote what labels say.
    let lang = opts.lang;
    let mut notes: Vec<Masked> = doc
        .notes
        .iter()
        .map(|n| det.masked_path(&n.text(lang)))
        .collect();
    notes.extend(assessment.notes.iter().map(|n| m(&n.text(lang))));
    let embedded: Vec<EmbeddedResult> = doc
        .embedded
        .iter()
        .map(|e| {
            let a = opts.catalogue.assess(
                &e.labels,
                e.protection == Some(Protection::Password),
                opts.lang,
            );
            notes.extend(
                a.notes
                    .iter()
                    .map(|n| det.masked_note(&e.path, &n.text(lang))),
            );
            EmbeddedResult {
                path: det.masked_path(&e.path),
                format: e.format,
                encryption: e.protection,
                labels: a.labels,
                label: a.label,
                label_status: e.format.map(|_| a.status),
                error: e.error.as_ref().map(|e| det.masked_path(&e.text(lang))),
            }
        })
        .collect();
    let config = &opts.rules.config;
    let absolute = match source {
        Source::Path { path, .. } => {
            std::path::absolute(path).map_or_else(|_| shown.to_string(), |p| display(&p))
        }
        Source::Bytes { name, .. } => name.to_string(),
    };
    let business = config.business(&absolute).map(m);
    let going = file.going(engine);
    let destination_given = going.is_some();
    let destination = going.unwrap_or(absolute);
    let key = file.key(engine);
    let cx = Context {
        lang: opts.lang,
        catalogue: Some(&opts.catalogue),
        destination: Some(&destination),
        destination_given,
        previous_class: opts.baseline.as_ref().and_then(|b| {
            // Reports written before files had fingerprints masked paths as text.
            let m = |s: &str| det.mask(&s.replace('\\', "/"));
            b.class(&key, &m(shown), &m(below))
        }),
    };
    let subject = Subject {
        path: shown,
        format: doc.format,
        encryption: doc.protection,
        labels: &assessment.labels,
        label: assessment.label.as_ref(),
        label_status: assessment.status,
        detections: &found.detections,
        tags: &found.tags,
        embedded: !embedded.is_empty(),
        // A format (or a version of one) whose text is not read is not read to the end.
        complete: doc.damage.is_none() && content != crate::model::Checked::None,
        seen: &seen,
    };
    let verdict = opts.rules.judge(&subject, &cx);
    let accepted = suppress::findings(
        &verdict.findings,
        &key,
        det,
        &opts.suppressions,
        opts.baseline.as_ref(),
    );
    if accepted.withheld > 0 {
        notes.push(det.masked_path(&Note::FingerprintWithheld.text(lang)));
    }
    FileResult {
        size,
        modified,
        last_author: seen.last_author.as_deref().filter(|a| !a.is_empty()).map(m),
        embedded,
        required_class: verdict.required_class,
        required_by: verdict.required_by,
        required_reasons: verdict.required_reasons,
        findings: accepted.findings,
        business,
        detections: found.detections,
        tags: found.tags,
        format: Some(doc.format),
        container: Some(doc.container),
        encryption: Some(doc.protection),
        labels: assessment.labels,
        label: assessment.label,
        label_status: Some(assessment.status),
        notes,
        error: doc.damage.as_ref().map(|e| det.masked_path(&e.text(lang))),
        error_kind: doc.damage.as_ref().map(Error::kind),
        content: Some(content),
        not_checked,
        ..file.result(engine)
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

/// What long texts hold is found ahead of detection (`DocumentScan::ahead`).
impl<'d> FindAhead for Judging<'d> {
    type Found = detect::Ahead;
    type Finder = &'d Detectors;

    fn finder(&self) -> &'d Detectors {
        self.detection.detectors()
    }

    fn find(det: &&'d Detectors, b: &Batch<'_>) -> detect::Ahead {
        DocumentScan::ahead(det, b)
    }

    fn batch_found(&mut self, b: &Batch<'_>, found: detect::Ahead) {
        self.detection.batch_ahead(b, found);
        self.seen.batch(b);
    }
}
