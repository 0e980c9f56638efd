//! `o365lint labels import` and `o365lint labels list`: the label catalogue.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::{config_error, find_config};
use crate::detect::Detectors;
use crate::labels::catalogue::Catalogue;
use crate::report::escape::Escaped;

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
    let mask = Detectors::built_in();
    for w in &toml.warnings {
        eprintln!("o365lint: warning: {}", Escaped(&mask.mask(w)));
    }
    // Said in the TOML too, but a user who does not read it must not miss it.
    if !toml.unplaced.is_empty() {
        let names: Vec<String> = toml
            .unplaced
            .iter()
            .map(|n| format!("{:?}", Escaped(&mask.mask(n)).to_string()))
            .collect();
        eprintln!(
            "o365lint: warning: {} {} no class could be inferred for ({}): set one for each (`class = ...`) before use",
            toml.unplaced.len(),
            if toml.unplaced.len() == 1 {
                "label"
            } else {
                "labels"
            },
            names.join(", ")
        );
    }
    match output {
        Some(path) => std::fs::write(&path, &toml.text)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?,
        None => io::stdout().lock().write_all(toml.text.as_bytes())?,
    }
    Ok(0)
}

fn list(labels: Option<PathBuf>) -> io::Result<u8> {
    let config = find_config(None, &[], None)?;
    let c = match labels.or(config.labels) {
        Some(p) => Catalogue::load(&p).map_err(config_error)?,
        None => Catalogue::built_in(),
    };
    // The catalogue is the user's own, but its path and names are shown as any text is:
    // masked (a folder may be named by an identifier) and escaped.
    let mask = Detectors::built_in();
    let shown = |s: &str| Escaped(&mask.mask(s)).to_string();
    let mut out = BufWriter::new(io::stdout().lock());
    let tenant_name = c
        .tenant_name
        .as_deref()
        .map(|n| format!(" ({})", shown(n)))
        .unwrap_or_default();
    writeln!(out, "catalogue: {}", shown(&c.origin.display().to_string()))?;
    writeln!(out, "tenant:    {}{tenant_name}", Escaped(&c.tenant))?;
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
                extra.push(format!("{what} \"{}\"", shown(t)));
            }
        }
        let extra = if extra.is_empty() {
            String::new()
        } else {
            format!("  [{}]", extra.join(", "))
        };
        writeln!(
            out,
            "{}  {:<18} {}{extra}",
            Escaped(&l.id),
            class,
            shown(&c.full_name(l))
        )?;
    }
    out.flush()?;
    Ok(0)
}
