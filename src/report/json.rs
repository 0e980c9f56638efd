//! `--format json`: one document following the `o365lint/scan/v1` contract (README).

use std::io::{self, Write};

use super::Report;

pub fn write(report: &Report, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, report)?;
    writeln!(w)
}
