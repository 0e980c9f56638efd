//! `--format json`: one document following the `o365lint/scan/v1` contract (README),
//! written as files finish: the head, each file, then the summary. The bytes are those of
//! the whole [`ScanReport`] pretty-printed, without holding every file in memory.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{CatalogueInfo, FileResult, RunInfo, SCHEMA, ScanReport, Summary, Tool};

/// Writes a whole report at once.
pub fn write(report: &ScanReport, w: &mut dyn Write) -> io::Result<()> {
    let mut s = Stream::begin(&report.tool, &report.catalogue, report.run.as_ref(), w)?;
    for f in &report.files {
        s.file(f, w)?;
    }
    s.end(&report.summary, w)
}

/// A report being written file by file.
pub struct Stream {
    files: usize,
}

impl Stream {
    /// The head: schema, tool, catalogue and, for a run, when it started, on what and with
    /// which configuration.
    pub fn begin(
        tool: &Tool,
        catalogue: &CatalogueInfo,
        run: Option<&RunInfo>,
        w: &mut dyn Write,
    ) -> io::Result<Stream> {
        writeln!(w, "{{")?;
        field(w, "schema", &SCHEMA)?;
        field(w, "tool", tool)?;
        field(w, "catalogue", catalogue)?;
        if let Some(run) = run {
            field(w, "run", run)?;
        }
        write!(w, "  \"files\": [")?;
        Ok(Stream { files: 0 })
    }

    pub fn file(&mut self, f: &FileResult, w: &mut dyn Write) -> io::Result<()> {
        w.write_all(if self.files == 0 { b"\n" } else { b",\n" })?;
        self.files += 1;
        w.write_all(indented(f, "    ")?.as_bytes())
    }

    pub fn end(self, summary: &Summary, w: &mut dyn Write) -> io::Result<()> {
        if self.files > 0 {
            write!(w, "\n  ")?;
        }
        writeln!(w, "],")?;
        write!(
            w,
            "  \"summary\": {}",
            indented(summary, "  ")?.trim_start()
        )?;
        writeln!(w, "\n}}")
    }
}

fn field(w: &mut dyn Write, name: &str, value: &impl Serialize) -> io::Result<()> {
    writeln!(w, "  \"{name}\": {},", indented(value, "  ")?.trim_start())
}

/// A value pretty-printed, every line indented (as it sits nested in the document).
fn indented(value: &impl Serialize, indent: &str) -> io::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(indent);
        out.push_str(line);
    }
    Ok(out)
}

/// `--format jsonl`: a first line with the schema, tool, catalogue and run, then one line per
/// file (the same object as in `files[]` of the JSON document) as files finish, then a
/// line `{"summary": …}`. A line with a `path` is a file.
pub struct Lines;

impl Lines {
    pub fn begin(
        tool: &Tool,
        catalogue: &CatalogueInfo,
        run: Option<&RunInfo>,
        w: &mut dyn Write,
    ) -> io::Result<Lines> {
        #[derive(Serialize)]
        struct Header<'a> {
            schema: &'a str,
            tool: &'a Tool,
            catalogue: &'a CatalogueInfo,
            #[serde(skip_serializing_if = "Option::is_none")]
            run: Option<&'a RunInfo>,
        }
        serde_json::to_writer(
            &mut *w,
            &Header {
                schema: SCHEMA,
                tool,
                catalogue,
                run,
            },
        )?;
        writeln!(w)?;
        Ok(Lines)
    }

    pub fn file(&mut self, f: &FileResult, w: &mut dyn Write) -> io::Result<()> {
        serde_json::to_writer(&mut *w, f)?;
        writeln!(w)
    }

    pub fn end(self, summary: &Summary, w: &mut dyn Write) -> io::Result<()> {
        #[derive(Serialize)]
        struct End<'a> {
            summary: &'a Summary,
        }
        serde_json::to_writer(&mut *w, &End { summary })?;
        writeln!(w)
    }
}
