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
use crate::model::{Lang, place_in};
use crate::model::{Source, content_bits_words, rules_in_order};
use crate::report::escape::{Escaped, escape};

/// The whole report in English (as [`file`]).
pub fn write(report: &ScanReport, w: &mut dyn Write) -> io::Result<()> {
    for f in &report.files {
        file(f, w)?;
    }
    end(&report.summary, w, Lang::En)
}

/// `en` or `nb` as `lang` asks: the words of this output (rule messages come translated).
pub fn t(lang: Lang, en: &'static str, nb: &'static str) -> &'static str {
    match lang {
        Lang::En => en,
        Lang::Nb => nb,
    }
}

/// The summary that ends the output, in `lang`.
pub fn end(s: &Summary, w: &mut dyn Write, lang: Lang) -> io::Result<()> {
    if s.files > 1 {
        writeln!(w)?;
    }
    summary(s, w, lang)?;
    let note = t(lang, "note", "merknad");
    for c in &s.configs_not_obeyed {
        writeln!(w, "{note}: {}", not_obeyed(c, lang))?;
    }
    for n in &s.walk.notes {
        writeln!(w, "{note}: {}", Escaped(n))?;
    }
    let walked = [
        s.walk.links_not_followed,
        s.walk.unreadable_folders,
        s.walk.duplicates,
        s.walk.names_not_utf8,
    ];
    let listed = walked.iter().sum::<usize>() - s.walk.names_not_utf8;
    if s.walk.notes.len() < listed {
        let (more, first) = (listed - s.walk.notes.len(), s.walk.notes.len());
        match lang {
            Lang::En => writeln!(w, "{note}: {more} more not listed (the first {first} are)")?,
            Lang::Nb => writeln!(
                w,
                "{note}: {more} til er ikke listet (de første {first} er det)"
            )?,
        }
    }
    if s.files == 0 && s.walk.filtered_out > 0 {
        writeln!(
            w,
            "{}: {}",
            t(lang, "warning", "advarsel"),
            nothing_left(s, lang)
        )?;
    }
    if s.duration_ms > 0 {
        let secs = s.duration_ms as f64 / 1000.0;
        writeln!(
            w,
            "{}: {secs:.2} s, {:.0} {}/s, {:.1} MB/s",
            t(lang, "time", "tid"),
            s.files as f64 / secs,
            t(lang, "files", "filer"),
            s.bytes as f64 / 1e6 / secs
        )?;
    }
    Ok(())
}

/// One file's block in English, without colour.
pub fn file(f: &FileResult, w: &mut dyn Write) -> io::Result<()> {
    file_styled(f, w, false, Lang::En)
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
pub fn file_styled(f: &FileResult, w: &mut dyn Write, color: bool, lang: Lang) -> io::Result<()> {
    let t = |en, nb| t(lang, en, nb);
    if let Some(why) = &f.skipped {
        return writeln!(
            w,
            "{}: {}: {}",
            Escaped(&f.path),
            t("skipped", "hoppet over"),
            Escaped(why)
        );
    }
    let Some(_) = f.format else {
        return writeln!(
            w,
            "{}: {}: {}",
            Escaped(&f.path),
            t("error", "feil"),
            Escaped(f.error.as_deref().unwrap_or("unreadable"))
        );
    };
    writeln!(
        w,
        "{}: {}",
        Escaped(&f.path),
        Escaped(&headline(f.label.as_ref(), f.label_status, lang))
    )?;
    writeln!(w, "    {}", container(f, lang))?;
    if let Some(b) = &f.business {
        writeln!(w, "    {}: {}", t("business", "virksomhet"), Escaped(b))?;
    }
    if let Some(a) = &f.last_author {
        writeln!(
            w,
            "    {}: {}",
            t("last saved by", "sist lagret av"),
            Escaped(a)
        )?;
    }
    for l in &f.labels {
        let found = &l.found;
        let mut parts = vec![match l.tenant {
            Tenant::Own => t("own tenant", "egen tenant").to_string(),
            Tenant::Foreign => {
                format!(
                    "{} {}",
                    t("foreign tenant", "annen tenant"),
                    Escaped(found.site_id.as_deref().unwrap_or("?"))
                )
            }
            Tenant::Unknown => t(
                "no tenant (SiteId missing)",
                "ingen tenant (SiteId mangler)",
            )
            .to_string(),
        }];
        parts.push(
            match (found.enabled, found.removed) {
                (_, Some(true)) => t("removed", "fjernet"),
                (Some(true), _) => t("enabled", "aktiv"),
                (Some(false), _) => t("disabled", "deaktivert"),
                (None, _) => t(
                    "Enabled missing (not a label)",
                    "Enabled mangler (ikke en etikett)",
                ),
            }
            .to_string(),
        );
        parts.extend(found.method.as_deref().map(|m| escape(m).into_owned()));
        parts.push(match found.content_bits {
            Some(0) => "contentBits 0".to_string(),
            Some(b) => format!("contentBits {b} ({})", content_bits_words(b).join(", ")),
            None => t("contentBits absent", "contentBits mangler").to_string(),
        });
        if found.superseded {
            parts.push(format!(
                "{} {}",
                t("superseded by", "erstattet av"),
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
        writeln!(
            w,
            "    {} {}:",
            t("content requires at least", "innholdet krever minst"),
            c.name()
        )?;
        for r in &f.required_reasons {
            let mut why = Vec::new();
            if r.count > 0 {
                let ids: Vec<&str> = r.detectors.iter().map(|d| d.id()).collect();
                why.push(format!("{} × {}", r.count, ids.join("/")));
            }
            why.extend(r.tags.iter().map(|t| escape(t).into_owned()));
            let at = r.location.as_ref().map_or(String::new(), |l| {
                format!(
                    ", {} {}: {}",
                    t("first at", "først i"),
                    Escaped(&l.part),
                    Escaped(&place_in(&l.place, lang))
                )
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
            None => {
                writeln!(
                    w,
                    "    {} {}: {}",
                    paint(x.severity.id(), color),
                    Escaped(&x.rule),
                    Escaped(&x.message)
                )?;
                if !x.also_at.is_empty() {
                    writeln!(
                        w,
                        "      {}: {}",
                        t("also at", "også i"),
                        places(&x.also_at, lang)
                    )?;
                }
            }
            Some(why) => writeln!(
                w,
                "    {} {}: {}",
                paint(
                    &format!("{} {}", t("accepted", "godtatt"), x.severity),
                    color
                ),
                Escaped(&x.rule),
                Escaped(why)
            )?,
        }
    }
    for d in &f.detections {
        let times = if d.count > 1 {
            format!(", {} {}", d.count, t("times", "ganger"))
        } else {
            String::new()
        };
        writeln!(
            w,
            "    {} {} ({} {}) {} {}: {} [{}]{times}",
            d.detector,
            Escaped(&d.masked),
            t("confidence", "sikkerhet"),
            d.confidence,
            t("at", "i"),
            Escaped(&d.location.part),
            Escaped(&place_in(&d.location.place, lang)),
            d.location.kind
        )?;
    }
    if !f.tags.is_empty() {
        let tags: Vec<Cow<str>> = f.tags.keys().map(|t| escape(t)).collect();
        writeln!(
            w,
            "    {}: {}",
            t("sensitive domains", "sensitive områder"),
            tags.join(", ")
        )?;
    }
    for e in &f.embedded {
        let what = match (e.format, &e.error) {
            (None, Some(err)) => format!("{}: {}", t("error", "feil"), Escaped(err)),
            (format, err) => {
                let mut s = format!(
                    "{}: {}",
                    format.map_or("?", |x| x.name()),
                    Escaped(&headline(e.label.as_ref(), e.label_status, lang))
                );
                if let Some(err) = err {
                    s.push_str(&format!(
                        " ({}: {})",
                        t("partly read", "delvis lest"),
                        Escaped(err)
                    ));
                }
                s
            }
        };
        writeln!(
            w,
            "    {} {}: {what}",
            t("embedded", "innebygd"),
            Escaped(&e.path)
        )?;
    }
    if let Some(c) = f.checked()
        && c != crate::model::Checked::Full
    {
        let why: Vec<&str> = f.not_checked.iter().map(|r| reason(r.id(), lang)).collect();
        let how = if c == crate::model::Checked::None {
            t("content not checked", "innhold ikke kontrollert")
        } else {
            t("content partly checked", "innhold delvis kontrollert")
        };
        writeln!(w, "    {how}: {}", why.join(", "))?;
    }
    for note in &f.notes {
        writeln!(w, "    {}: {}", t("note", "merknad"), Escaped(note))?;
    }
    if let Some(e) = &f.error {
        writeln!(
            w,
            "    {}: {} ({})",
            t("error", "feil"),
            Escaped(e),
            t("partial result", "delvis resultat")
        )?;
    }
    Ok(())
}

fn headline(label: Option<&EffectiveLabel>, status: Option<LabelStatus>, lang: Lang) -> String {
    let t = |en, nb| t(lang, en, nb);
    if let Some(l) = label {
        let mut s = match (l.class, &l.name) {
            (Some(c), Some(n)) if n == c.name() => c.name().to_string(),
            (Some(c), Some(n)) => format!("{c} ({n})"),
            (Some(c), None) => c.name().to_string(),
            (None, _) => format!(
                "{}: {}",
                t("class unknown", "klasse ukjent"),
                l.reason
                    .as_deref()
                    .unwrap_or(t("not in the catalogue", "ikke i katalogen"))
            ),
        };
        if l.is_parent {
            s.push_str(t(
                " [parent label: cannot be applied itself]",
                " [overordnet etikett: kan ikke brukes selv]",
            ));
        }
        return s;
    }
    match status {
        Some(LabelStatus::Removed) => t(
            "no label (the own label was removed)",
            "ingen merking (egen merking er fjernet)",
        )
        .into(),
        Some(LabelStatus::ForeignOnly) => t(
            "no own label (only another organisation's)",
            "ingen egen merking (bare en annen virksomhets)",
        )
        .into(),
        Some(LabelStatus::NotReadable) => t(
            "label not readable (password-encrypted)",
            "merkingen kan ikke leses (passordkryptert)",
        )
        .into(),
        Some(LabelStatus::CannotCarry) => t(
            "no label possible (not an Office document)",
            "merking er ikke mulig (ikke et Office-dokument)",
        )
        .into(),
        _ => t("no label", "ingen merking").into(),
    }
}

fn container(f: &FileResult, lang: Lang) -> String {
    let t = |en, nb| t(lang, en, nb);
    let protection = |p| protection(p, lang);
    let format = f.format.map_or("?", |x| x.name());
    match (f.container, f.encryption) {
        (Some(ContainerKind::EncryptedOoxml), Some(p)) => {
            format!(
                "{} ({}); {}",
                t(
                    "encrypted Office Open XML package",
                    "kryptert Office Open XML-pakke"
                ),
                protection(p),
                t("document type not visible", "dokumenttypen er ikke synlig")
            )
        }
        (Some(ContainerKind::Ole), Some(Protection::None)) => format!(
            "{format} ({}), {}",
            t("legacy binary", "eldre binærformat"),
            t("not encrypted", "ikke kryptert")
        ),
        (Some(ContainerKind::Ole), Some(p)) => format!(
            "{format} ({}), {} ({})",
            t("legacy binary", "eldre binærformat"),
            t("encrypted", "kryptert"),
            protection(p)
        ),
        (Some(ContainerKind::Text), _) => format!(
            "{format} ({})",
            t(
                "text, not an Office document: it cannot carry a label",
                "tekst, ikke et Office-dokument: kan ikke bære merking"
            )
        ),
        (_, Some(Protection::None) | None) => {
            format!("{format}, {}", t("not encrypted", "ikke kryptert"))
        }
        (_, Some(p)) => format!(
            "{format}, {} ({})",
            t("encrypted", "kryptert"),
            protection(p)
        ),
    }
}

fn protection(p: Protection, lang: Lang) -> &'static str {
    match p {
        Protection::None => t(lang, "none", "ingen"),
        Protection::Password => t(lang, "password", "passord"),
        Protection::Irm => t(lang, "IRM / rights management", "IRM / rettighetsstyring"),
    }
}

/// Why include and exclude globs left nothing to scan.
pub fn nothing_left(s: &Summary, lang: Lang) -> String {
    let n = s.walk.filtered_out;
    match lang {
        Lang::En => format!(
            "nothing scanned: --include/--exclude set aside every one of the {n} files and folders met (exit code 2)"
        ),
        Lang::Nb => format!(
            "ingenting skannet: --include/--exclude satte til side alle de {n} filene og mappene som ble funnet (avslutningskode 2)"
        ),
    }
}

/// What a reason for content not checked means, in a word or three.
pub fn reason(id: &str, lang: Lang) -> &str {
    let t = |en, nb| t(lang, en, nb);
    match id {
        "format-not-read" => t(
            "text of the format not read yet",
            "teksten i formatet leses ikke ennå",
        ),
        "password" => t("password-encrypted", "passordkryptert"),
        "irm" => t("IRM-encrypted", "IRM-kryptert"),
        "limit" => t("read limit reached", "lesegrense nådd"),
        "damaged" => t("damaged part", "skadet del"),
        "unreadable" => t("could not be read", "kunne ikke leses"),
        other => other,
    }
}

fn summary(s: &Summary, w: &mut dyn Write, lang: Lang) -> io::Result<()> {
    let t = |en, nb| t(lang, en, nb);
    let files = |n| plural(n, t("file", "fil"), t("files", "filer"));
    // Every file in exactly one of four counts, and the sum shown: nothing is implied.
    let mut line = format!(
        "{} {}: {} {}, {} {}, {} {}",
        s.files,
        files(s.files),
        s.checked,
        t("read and checked", "lest og kontrollert"),
        s.not_checked,
        t(
            "read but content not (fully) checked",
            "lest, men innholdet ikke (helt) kontrollert"
        ),
        s.unreadable,
        t("could not be read", "kunne ikke leses")
    );
    if !s.errors_by_kind.is_empty() {
        line += &format!(" ({})", counts(&s.errors_by_kind, lang));
    }
    line += &format!(", {} {}", s.skipped, t("skipped", "hoppet over"));
    if !s.skipped_by_kind.is_empty() {
        line += &format!(" ({})", counts(&s.skipped_by_kind, lang));
    }
    line += &format!(
        " ({} + {} + {} + {} = {})",
        s.checked, s.not_checked, s.unreadable, s.skipped, s.files
    );
    writeln!(w, "{line}")?;
    if s.not_checked > 0 {
        let why: Vec<String> = s
            .not_checked_by_reason
            .iter()
            .map(|(k, n)| format!("{} {n}", reason(k, lang)))
            .collect();
        writeln!(
            w,
            "{}: {} {} ({} {}); {}: {}",
            t(
                "content not (fully) checked",
                "innhold ikke (helt) kontrollert"
            ),
            s.not_checked,
            files(s.not_checked),
            s.partly_checked,
            t("of them partly", "av dem delvis"),
            t("by reason", "etter årsak"),
            why.join(", ")
        )?;
    }
    let walk = &s.walk;
    let mut met = Vec::new();
    // (count, English one/many, Norwegian one/many)
    for (n, en, nb) in [
        (
            walk.links_not_followed,
            [
                "symbolic link to a folder not followed",
                "symbolic links to folders not followed",
            ],
            [
                "symbolsk lenke til en mappe ikke fulgt",
                "symbolske lenker til mapper ikke fulgt",
            ],
        ),
        (
            walk.unreadable_folders,
            ["folder could not be read", "folders could not be read"],
            ["mappe kunne ikke leses", "mapper kunne ikke leses"],
        ),
        (
            walk.duplicates,
            [
                "path given twice, scanned once",
                "paths given twice, scanned once",
            ],
            [
                "sti oppgitt to ganger, skannet én gang",
                "stier oppgitt to ganger, skannet én gang",
            ],
        ),
        (
            walk.names_not_utf8,
            ["name not valid UTF-8", "names not valid UTF-8"],
            ["navn ikke gyldig UTF-8", "navn ikke gyldig UTF-8"],
        ),
        (
            walk.filtered_out,
            [
                "file or folder set aside by --include/--exclude",
                "files or folders set aside by --include/--exclude",
            ],
            [
                "fil eller mappe satt til side av --include/--exclude",
                "filer eller mapper satt til side av --include/--exclude",
            ],
        ),
    ] {
        let [one, many] = if lang == Lang::Nb { nb } else { en };
        if n > 0 {
            met.push(format!("{n} {}", plural(n, one, many)));
        }
    }
    if !met.is_empty() {
        writeln!(w, "{}: {}", t("walk", "gjennomgang"), met.join(", "))?;
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
            .chain([(t("class unknown", "klasse ukjent"), "unknown")])
            .filter_map(|(name, id)| s.by_class.get(id).map(|n| format!("{name} {n}")))
            .collect();
        labels.push(format!(
            "{labelled} {} ({})",
            t("labelled", "merket"),
            classes.join(", ")
        ));
    }
    for (id, text) in [
        ("unlabelled", t("unlabelled", "umerket")),
        ("removed", t("label removed", "merking fjernet")),
        (
            "foreign-only",
            t("only foreign labels", "bare andres merking"),
        ),
        ("not-readable", t("not readable", "kan ikke leses")),
        (
            "cannot-carry",
            t("cannot carry a label", "kan ikke bære merking"),
        ),
    ] {
        if let Some(n) = s.by_label_status.get(id) {
            labels.push(format!("{n} {text}"));
        }
    }
    writeln!(w, "{}: {}", t("labels", "merking"), labels.join(", "))?;
    let encrypted: Vec<String> = s
        .by_encryption
        .iter()
        .filter(|(k, _)| **k != "none")
        .map(|(k, n)| {
            let kind = match k.as_str() {
                "irm" => "IRM",
                "password" => t("password", "passord"),
                other => other,
            };
            format!("{n} {kind}")
        })
        .collect();
    if !encrypted.is_empty() {
        writeln!(
            w,
            "{}: {}",
            t("encrypted", "kryptert"),
            encrypted.join(", ")
        )?;
    }
    if !s.findings_by_severity.is_empty() {
        let found: Vec<String> = ["error", "warning", "info"]
            .iter()
            .filter_map(|k| {
                let n = s.findings_by_severity.get(*k)?;
                Some(severity_count(*n, k, lang))
            })
            .collect();
        writeln!(w, "{}: {}", t("findings", "funn"), found.join(", "))?;
    }
    if s.findings_suppressed > 0 {
        writeln!(
            w,
            "{}: {}",
            t(
                "accepted findings (suppressions, baseline)",
                "godtatte funn (unntak, baseline)"
            ),
            s.findings_suppressed
        )?;
    }
    if !s.by_business.is_empty() {
        let found: Vec<String> = s
            .by_business
            .iter()
            .map(|(k, n)| format!("{} {n}", Escaped(k)))
            .collect();
        writeln!(
            w,
            "{}: {}",
            t("files by business", "filer per virksomhet"),
            found.join(", ")
        )?;
    }
    if s.files_with_personal_data > 0 {
        let found: Vec<String> = s
            .by_detector
            .iter()
            .map(|(k, n)| format!("{n} {k}"))
            .collect();
        writeln!(
            w,
            "{} {} {}: {}",
            t("possible personal data in", "mulige personopplysninger i"),
            s.files_with_personal_data,
            files(s.files_with_personal_data),
            found.join(", ")
        )?;
    }
    triage(s, w, lang)
}

/// Findings per rule, then the files with the most severe findings.
fn triage(s: &Summary, w: &mut dyn Write, lang: Lang) -> io::Result<()> {
    let t = |en, nb| t(lang, en, nb);
    let rules = rules_in_order(&s.by_rule);
    if !rules.is_empty() {
        writeln!(w, "{}:", t("findings by rule", "funn per regel"))?;
    }
    for (id, r) in rules {
        let severity = r.severity.map_or("?", |x| severity_word(x.id(), lang));
        let accepted = if r.accepted > 0 {
            format!(" ({} {})", r.accepted, t("accepted", "godtatt"))
        } else {
            String::new()
        };
        writeln!(w, "  {} {severity}: {}{accepted}", Escaped(id), r.count)?;
    }
    if !s.worst_files.is_empty() {
        writeln!(w, "{}:", t("most severe findings", "alvorligste funn"))?;
    }
    for f in &s.worst_files {
        let more = if f.findings > f.count {
            format!(" ({} {})", f.findings, t("in all", "i alt"))
        } else {
            String::new()
        };
        writeln!(
            w,
            "  {}: {}{more}",
            Escaped(&f.path),
            severity_count(f.count, f.severity.id(), lang)
        )?;
    }
    Ok(())
}

/// The first places of a list (`word/comments.xml: kommentar 1; …`), and how many more.
fn places(list: &[crate::model::Location], lang: Lang) -> String {
    const SHOWN: usize = 3;
    let mut out: Vec<String> = list
        .iter()
        .take(SHOWN)
        .map(|l| Escaped(&super::business::place(l, lang)).to_string())
        .collect();
    if list.len() > SHOWN {
        out.push(format!("{} {}", list.len() - SHOWN, t(lang, "more", "til")));
    }
    out.join("; ")
}

/// A severity in counts and lists (`8 feil`); finding lines keep the id that
/// `--min-severity` and `--fail-on` take.
pub(crate) fn severity_word(id: &str, lang: Lang) -> &str {
    match (id, lang) {
        ("error", Lang::Nb) => "feil",
        ("warning", Lang::Nb) => "advarsel",
        (id, _) => id,
    }
}

/// `n` findings of a severity: `6 advarsler`.
fn severity_count(n: usize, id: &str, lang: Lang) -> String {
    let word = match (id, lang) {
        ("warning", Lang::Nb) if n != 1 => "advarsler",
        _ => severity_word(id, lang),
    };
    format!("{n} {word}")
}

/// Why a configuration file met inside a scanned folder was not obeyed, its path escaped.
pub fn not_obeyed(path: &str, lang: Lang) -> String {
    match lang {
        Lang::En => format!(
            "{} is not obeyed: a configuration inside a scanned folder is never read (anyone who can write there could have put it); pass it with --config if you trust it",
            Escaped(path)
        ),
        Lang::Nb => format!(
            "{} følges ikke: en konfigurasjon inne i en skannet mappe leses aldri (alle som kan skrive der, kan ha lagt den der); gi den med --config hvis du stoler på den",
            Escaped(path)
        ),
    }
}

/// Counts by kind (`1 skadet, 2 låsefil`), the kinds in `lang`.
fn counts(m: &std::collections::BTreeMap<String, usize>, lang: Lang) -> String {
    m.iter()
        .map(|(k, n)| format!("{n} {}", kind_word(k, lang)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 { one } else { many }
}

/// An error or skip kind's id as a word in `lang`.
fn kind_word(id: &str, lang: Lang) -> &str {
    if lang == Lang::En {
        return id;
    }
    match id {
        "io" => "lesefeil",
        "not-office" => "ikke Office",
        "damaged" => "skadet",
        "limit" => "lesegrense",
        "internal" => "intern feil",
        "lock-file" => "låsefil",
        "symbolic-link" => "symbolsk lenke",
        other => other,
    }
}
