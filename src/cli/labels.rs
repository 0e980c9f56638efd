//! `o365lint labels import` and `o365lint labels list`: the label catalogue.

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use clap::Subcommand;

use super::{config_error, find_config};
use crate::labels::catalogue::Catalogue;

#[derive(Subcommand, Debug)]
pub enum LabelsCommand {
    /// Convert a label export from Purview (`Get-Label | ConvertTo-Json -Depth 5`) or from
    /// Microsoft Graph (`sensitivityLabels`) into a catalogue (TOML) on standard output.
    Import {
        /// The JSON export.
        file: PathBuf,
        /// The own tenant id (the `siteId` in files), if the export does not hold it.
        #[arg(long, value_name = "GUID")]
        tenant: Option<String>,
        /// Write to this file instead of standard output.
        #[arg(long, short = 'o', value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Show the label catalogue in use.
    List {
        /// Label catalogue (TOML); default: the built-in demo catalogue.
        #[arg(long, value_name = "FILE", env = "O365LINT_LABELS")]
        labels: Option<PathBuf>,
    },
}

pub(super) fn run(command: LabelsCommand) -> io::Result<u8> {
    match command {
        LabelsCommand::Import {
            file,
            tenant,
            output,
        } => import(&file, tenant.as_deref(), output),
        LabelsCommand::List { labels } => list(labels),
    }
}

fn import(file: &std::path::Path, tenant: Option<&str>, output: Option<PathBuf>) -> io::Result<u8> {
    // Windows PowerShell 5 redirects output as UTF-16: decode by byte-order mark.
    let bytes = std::fs::read(file)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", file.display())))?;
    let text = crate::read::xml::decode(bytes);
    let toml = crate::labels::import::import(&text, tenant)
        .map_err(|e| io::Error::other(format!("{}: {e}", file.display())))?;
    for w in &toml.warnings {
        eprintln!("o365lint: warning: {w}");
    }
    match output {
        Some(path) => std::fs::write(&path, &toml.text)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        None => io::stdout().lock().write_all(toml.text.as_bytes())?,
    }
    Ok(0)
}

fn list(labels: Option<PathBuf>) -> io::Result<u8> {
    let config = find_config(None, Some(Path::new(".")))?;
    let c = match labels.or(config.labels) {
        Some(p) => Catalogue::load(&p).map_err(config_error)?,
        None => Catalogue::built_in(),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    let tenant_name = c
        .tenant_name
        .as_deref()
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    writeln!(out, "catalogue: {}", c.origin.display())?;
    writeln!(out, "tenant:    {}{tenant_name}", c.tenant)?;
    for l in c.labels() {
        let class = l.class.map_or("class unknown", |c| c.name());
        let mut extra = Vec::new();
        if l.encrypt {
            extra.push("encrypts".to_string());
        }
        if c.is_parent(&l.id) {
            extra.push("parent label".to_string());
        }
        for (what, text) in [
            ("header", &l.marking.header),
            ("footer", &l.marking.footer),
            ("watermark", &l.marking.watermark),
        ] {
            if let Some(t) = text {
                extra.push(format!("{what} {t:?}"));
            }
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("  [{}]", extra.join(", "))
        };
        writeln!(out, "{}  {:<18} {}{extra}", l.id, class, c.full_name(l))?;
    }
    out.flush()?;
    Ok(0)
}
