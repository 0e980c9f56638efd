//! Saved scans read back: a JSON document (`scan --format json`) or JSON lines
//! (`--format jsonl`, read line by line, so a shard of any size is never held whole), each
//! file's result handed on as it is read.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use crate::model::{ConfigError, FileResult, SCHEMA, ScanReport, Summary};

/// What a saved scan said about itself besides its files.
#[derive(Debug, Default)]
pub struct Saved {
    /// Its summary, if it had one (a JSON lines file cut short has none).
    pub summary: Option<Summary>,
    /// Files handed on.
    pub files: usize,
}

/// Reads the saved scan at `path`, handing each file's result to `each`.
pub fn read(path: &Path, each: &mut dyn FnMut(FileResult)) -> Result<Saved, ConfigError> {
    let origin = path.display().to_string();
    let file = std::fs::File::open(path)
        .map_err(|e| ConfigError::new(path, format!("cannot read: {e}")))?;
    let mut r = BufReader::new(file);
    let mut first = String::new();
    r.read_line(&mut first)
        .map_err(|e| ConfigError::new(path, format!("cannot read: {e}")))?;
    let line: Option<serde_json::Value> = serde_json::from_str(first.trim()).ok();
    match line {
        // JSON lines: the first line is a whole header object.
        Some(header) if header.get("schema").is_some() && header.get("files").is_none() => {
            check_schema(&header, &origin)?;
            lines(r, &origin, each)
        }
        // One JSON document, pretty-printed or on one line.
        _ => {
            let mut text = first;
            r.read_to_string(&mut text)
                .map_err(|e| ConfigError::new(path, format!("cannot read: {e}")))?;
            document(&text, &origin, each)
        }
    }
}

fn not_ours(origin: &str, e: impl std::fmt::Display) -> ConfigError {
    ConfigError::new(
        origin,
        format!("not an o365lint scan (JSON or JSON lines): {e}"),
    )
}

fn check_schema(v: &serde_json::Value, origin: &str) -> Result<(), ConfigError> {
    let schema = v.get("schema").and_then(|s| s.as_str()).unwrap_or_default();
    if schema == SCHEMA {
        Ok(())
    } else {
        Err(ConfigError::in_file(
            origin,
            "",
            "schema",
            format!("{schema:?}, expected {SCHEMA:?}"),
        ))
    }
}

fn document(
    text: &str,
    origin: &str,
    each: &mut dyn FnMut(FileResult),
) -> Result<Saved, ConfigError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| not_ours(origin, e))?;
    check_schema(&value, origin)?;
    let report: ScanReport = serde_json::from_value(value).map_err(|e| not_ours(origin, e))?;
    let files = report.files.len();
    report.files.into_iter().for_each(&mut *each);
    Ok(Saved {
        summary: Some(report.summary),
        files,
    })
}

fn lines(
    r: impl BufRead,
    origin: &str,
    each: &mut dyn FnMut(FileResult),
) -> Result<Saved, ConfigError> {
    let mut read = Saved::default();
    for (i, line) in r.lines().enumerate() {
        let line = line.map_err(|e| not_ours(origin, e))?;
        if line.trim().is_empty() {
            continue;
        }
        let at = |e| not_ours(origin, format!("line {}: {e}", i + 2));
        let v: serde_json::Value = serde_json::from_str(&line).map_err(at)?;
        if let Some(s) = v.get("summary") {
            read.summary = Some(serde_json::from_value(s.clone()).map_err(at)?);
        } else {
            each(serde_json::from_value(v).map_err(at)?);
            read.files += 1;
        }
    }
    Ok(read)
}
