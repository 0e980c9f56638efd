//! The default human output: one headline per file (its label, or why there is none), then
//! indented details: format and encryption, every label found with its source, notes.
//! Every text a file, its name or a configuration gave is [`escape`]d: a name or a label
//! cannot break a line to forge a block, nor write to the terminal.

use std::borrow::Cow;
use std::io::{self, Write};

use crate::model::ContainerKind;
use crate::model::Protection;
use crate::model::{Class, EffectiveLabel, LabelStatus, Tenant};
use crate::model::{FileResult, ScanReport, Summary};
use crate::model::{Source, content_bits_words, rules_in_order};
use crate::report::escape::{Escaped, escape};

pub fn write(report: &ScanReport, w: &mut dyn Write) -> io::Result<()> {
    for f in &report.files {
        file(f, w)?;
    }
    end(&report.summary, w)
}

/// The summary that ends the output.
pub fn end(s: &Summary, w: &mut dyn Write) -> io::Result<()> {
    if s.files > 1 {
        writeln!(w)?;
    }
    summary(s, w)?;
    for c in &s.configs_not_obeyed {
        writeln!(w, "note: {}", not_obeyed(c))?;
    }
    if s.duration_ms > 0 {
        let secs = s.duration_ms as f64 / 1000.0;
        writeln!(
            w,
            "time: {secs:.2} s, {:.0} files/s, {:.1} MB/s",
            s.files as f64 / secs,
            s.bytes as f64 / 1e6 / secs
        )?;
    }
    Ok(())
}

pub fn file(f: &FileResult, w: &mut dyn Write) -> io::Result<()> {
    file_styled(f, w, false)
}

/// ANSI colour for a severity (errors red, warnings yellow, info cyan, accepted dim).
fn paint(word: &str, color: bool) -> String {
    let code = match word {
        "error" => "1;31",
        "warning" => "33",
        "info" => "36",
        _ => "2",
    };
    if color {
        format!("\x1b[{code}m{word}\x1b[0m")
    } else {
        word.to_string()
    }
}

/// One file's block, with severities in colour when `color` is set.
pub fn file_styled(f: &FileResult, w: &mut dyn Write, color: bool) -> io::Result<()> {
    if let Some(why) = &f.skipped {
        return writeln!(w, "{}: skipped: {}", Escaped(&f.path), Escaped(why));
    }
    let Some(_) = f.format else {
        return writeln!(
            w,
            "{}: error: {}",
            Escaped(&f.path),
            Escaped(f.error.as_deref().unwrap_or("unreadable"))
        );
    };
    writeln!(
        w,
        "{}: {}",
        Escaped(&f.path),
        Escaped(&headline(f.label.as_ref(), f.label_status))
    )?;
    writeln!(w, "    {}", container(f))?;
    if let Some(b) = &f.business {
        writeln!(w, "    business: {}", Escaped(b))?;
    }
    if let Some(a) = &f.last_author {
        writeln!(w, "    last saved by: {}", Escaped(a))?;
    }
    for l in &f.labels {
        let found = &l.found;
        let mut parts = vec![match l.tenant {
            Tenant::Own => "own tenant".to_string(),
            Tenant::Foreign => {
                format!(
                    "foreign tenant {}",
                    Escaped(found.site_id.as_deref().unwrap_or("?"))
                )
            }
            Tenant::Unknown => "no tenant (SiteId missing)".to_string(),
        }];
        parts.push(
            match (found.enabled, found.removed) {
                (_, Some(true)) => "removed",
                (Some(true), _) => "enabled",
                (Some(false), _) => "disabled",
                (None, _) => "Enabled missing (not a label)",
            }
            .to_string(),
        );
        parts.extend(found.method.as_deref().map(|m| escape(m).into_owned()));
        parts.push(match found.content_bits {
            Some(0) => "contentBits 0".to_string(),
            Some(b) => format!("contentBits {b} ({})", content_bits_words(b).join(", ")),
            None => "contentBits absent".to_string(),
        });
        if found.superseded {
            parts.push(format!(
                "superseded by {}",
                if found.source == Source::SummaryInformation {
                    "the LabelInfo stream"
                } else {
                    "LabelInfo.xml"
                }
            ));
        }
        // The catalogue's name for own labels; otherwise the name stored in the file, if any.
        let name = l
            .display_name
            .as_ref()
            .or(found.name.as_ref())
            .map(|n| format!(" \"{}\"", Escaped(n)))
            .unwrap_or_default();
        writeln!(
            w,
            "    {}: {}{name}, {}",
            found.source.location(),
            Escaped(&found.id),
            parts.join(", ")
        )?;
    }
    if let Some(c) = f.required_class {
        writeln!(w, "    content requires at least {}:", c.name())?;
        for r in &f.required_reasons {
            let mut why = Vec::new();
            if r.count > 0 {
                let ids: Vec<&str> = r.detectors.iter().map(|d| d.id()).collect();
                why.push(format!("{} × {}", r.count, ids.join("/")));
            }
            why.extend(r.tags.iter().map(|t| escape(t).into_owned()));
            let at = r.location.as_ref().map_or(String::new(), |l| {
                format!(", first at {}: {}", Escaped(&l.part), Escaped(&l.place))
            });
            writeln!(
                w,
                "      {} (≥ {}): {}{at}",
                Escaped(&r.rule),
                r.class.name(),
                why.join("; ")
            )?;
        }
    }
    for x in &f.findings {
        match &x.suppressed {
            None => writeln!(
                w,
                "    {} {}: {}",
                paint(x.severity.id(), color),
                Escaped(&x.rule),
                Escaped(&x.message)
            )?,
            Some(why) => writeln!(
                w,
                "    {} {}: {}",
                paint(&format!("accepted {}", x.severity), color),
                Escaped(&x.rule),
                Escaped(why)
            )?,
        }
    }
    for d in &f.detections {
        let times = if d.count > 1 {
            format!(", {} times", d.count)
        } else {
            String::new()
        };
        writeln!(
            w,
            "    {} {} (confidence {}) at {}: {} [{}]{times}",
            d.detector,
            Escaped(&d.masked),
            d.confidence,
            Escaped(&d.location.part),
            Escaped(&d.location.place),
            d.location.kind
        )?;
    }
    if !f.tags.is_empty() {
        let tags: Vec<Cow<str>> = f.tags.keys().map(|t| escape(t)).collect();
        writeln!(w, "    sensitive domains: {}", tags.join(", "))?;
    }
    for e in &f.embedded {
        let what = match (e.format, &e.error) {
            (None, Some(err)) => format!("error: {}", Escaped(err)),
            (format, err) => {
                let mut s = format!(
                    "{}: {}",
                    format.map_or("?", |x| x.name()),
                    Escaped(&headline(e.label.as_ref(), e.label_status))
                );
                if let Some(err) = err {
                    s.push_str(&format!(" (partly read: {})", Escaped(err)));
                }
                s
            }
        };
        writeln!(w, "    embedded {}: {what}", Escaped(&e.path))?;
    }
    for note in &f.notes {
        writeln!(w, "    note: {}", Escaped(note))?;
    }
    if let Some(e) = &f.error {
        writeln!(w, "    error: {} (partial result)", Escaped(e))?;
    }
    Ok(())
}

fn headline(label: Option<&EffectiveLabel>, status: Option<LabelStatus>) -> String {
    if let Some(l) = label {
        let mut s = match (l.class, &l.name) {
            (Some(c), Some(n)) if n == c.name() => c.name().to_string(),
            (Some(c), Some(n)) => format!("{c} ({n})"),
            (Some(c), None) => c.name().to_string(),
            (None, _) => format!(
                "class unknown: {}",
                l.reason.as_deref().unwrap_or("not in the catalogue")
            ),
        };
        if l.is_parent {
            s.push_str(" [parent label: cannot be applied itself]");
        }
        return s;
    }
    match status {
        Some(LabelStatus::Removed) => "no label (the own label was removed)".into(),
        Some(LabelStatus::ForeignOnly) => "no own label (only another organisation's)".into(),
        Some(LabelStatus::NotReadable) => "label not readable (password-encrypted)".into(),
        _ => "no label".into(),
    }
}

fn container(f: &FileResult) -> String {
    let format = f.format.map_or("?", |x| x.name());
    match (f.container, f.encryption) {
        (Some(ContainerKind::EncryptedOoxml), Some(p)) => {
            format!(
                "encrypted Office Open XML package ({}); document type not visible",
                protection(p)
            )
        }
        (Some(ContainerKind::Ole), Some(Protection::None)) => {
            format!("{format} (legacy binary), not encrypted")
        }
        (Some(ContainerKind::Ole), Some(p)) => {
            format!("{format} (legacy binary), encrypted ({})", protection(p))
        }
        (_, Some(Protection::None) | None) => format!("{format}, not encrypted"),
        (_, Some(p)) => format!("{format}, encrypted ({})", protection(p)),
    }
}

fn protection(p: Protection) -> &'static str {
    match p {
        Protection::None => "none",
        Protection::Password => "password",
        Protection::Irm => "IRM / rights management",
    }
}

fn summary(s: &Summary, w: &mut dyn Write) -> io::Result<()> {
    let mut line = format!(
        "{} {}: {} read",
        s.files,
        plural(s.files, "file", "files"),
        s.scanned
    );
    if s.partial > 0 {
        line += &format!(" ({} of them partially)", s.partial);
    }
    if s.skipped > 0 {
        line += &format!(", {} skipped", s.skipped);
    }
    line += &format!(", {} could not be read", s.errors - s.partial);
    if !s.errors_by_kind.is_empty() {
        line += &format!(" ({})", counts(&s.errors_by_kind));
    }
    writeln!(w, "{line}")?;
    if s.partial > 0 {
        writeln!(
            w,
            "not fully read: {} ({})",
            s.partial,
            counts(&s.partial_by_kind)
        )?;
    }
    if s.scanned == 0 {
        return Ok(());
    }
    let mut labels = Vec::new();
    let labelled = s.by_label_status.get("labelled").copied().unwrap_or(0);
    if labelled > 0 {
        let classes: Vec<String> = Class::ALL
            .iter()
            .map(|c| (c.name(), c.id()))
            .chain([("class unknown", "unknown")])
            .filter_map(|(name, id)| s.by_class.get(id).map(|n| format!("{name} {n}")))
            .collect();
        labels.push(format!("{labelled} labelled ({})", classes.join(", ")));
    }
    for (id, text) in [
        ("unlabelled", "unlabelled"),
        ("removed", "label removed"),
        ("foreign-only", "only foreign labels"),
        ("not-readable", "not readable"),
    ] {
        if let Some(n) = s.by_label_status.get(id) {
            labels.push(format!("{n} {text}"));
        }
    }
    writeln!(w, "labels: {}", labels.join(", "))?;
    let encrypted: Vec<String> = s
        .by_encryption
        .iter()
        .filter(|(k, _)| **k != "none")
        .map(|(k, n)| format!("{n} {}", k.replace("irm", "IRM")))
        .collect();
    if !encrypted.is_empty() {
        writeln!(w, "encrypted: {}", encrypted.join(", "))?;
    }
    if !s.findings_by_severity.is_empty() {
        let found: Vec<String> = ["error", "warning", "info"]
            .iter()
            .filter_map(|k| s.findings_by_severity.get(*k).map(|n| format!("{n} {k}")))
            .collect();
        writeln!(w, "findings: {}", found.join(", "))?;
    }
    if s.findings_suppressed > 0 {
        writeln!(
            w,
            "accepted findings (suppressions, baseline): {}",
            s.findings_suppressed
        )?;
    }
    if !s.by_business.is_empty() {
        let found: Vec<String> = s
            .by_business
            .iter()
            .map(|(k, n)| format!("{} {n}", Escaped(k)))
            .collect();
        writeln!(w, "files by business: {}", found.join(", "))?;
    }
    if s.files_with_personal_data > 0 {
        let found: Vec<String> = s
            .by_detector
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        writeln!(
            w,
            "possible personal data in {} {}: {}",
            s.files_with_personal_data,
            plural(s.files_with_personal_data, "file", "files"),
            found.join(", ")
        )?;
    }
    triage(s, w)
}

/// Findings per rule, then the files with the most severe findings.
fn triage(s: &Summary, w: &mut dyn Write) -> io::Result<()> {
    let rules = rules_in_order(&s.by_rule);
    if !rules.is_empty() {
        writeln!(w, "findings by rule:")?;
    }
    for (id, r) in rules {
        let severity = r.severity.map_or("?", |x| x.id());
        let accepted = if r.accepted > 0 {
            format!(" ({} accepted)", r.accepted)
        } else {
            String::new()
        };
        writeln!(w, "  {} {severity}: {}{accepted}", Escaped(id), r.count)?;
    }
    if !s.worst_files.is_empty() {
        writeln!(w, "most severe findings:")?;
    }
    for f in &s.worst_files {
        let more = if f.findings > f.count {
            format!(" ({} in all)", f.findings)
        } else {
            String::new()
        };
        writeln!(
            w,
            "  {}: {} {}{more}",
            Escaped(&f.path),
            f.count,
            f.severity.id()
        )?;
    }
    Ok(())
}

/// Why a configuration file met inside a scanned folder was not obeyed, its path escaped.
pub fn not_obeyed(path: &str) -> String {
    format!(
        "{} is not obeyed: a configuration inside a scanned folder is never read (anyone who can write there could have put it); pass it with --config if you trust it",
        Escaped(path)
    )
}

fn counts(m: &std::collections::BTreeMap<String, usize>) -> String {
    m.iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}
