//! The answer of `o365lint check` for people: the verdict in one line first («Kan lastes
//! opp» / «Kan ikke lastes opp»), then why (the label's class and what the content requires
//! against what the destination allows, the rules and where in the document) and what to do.

use std::io::{self, Write};

use super::business::advice;
use super::escape::Escaped;
use super::text::t;
use crate::model::{Check, FileResult, LabelStatus, Lang, Verdict};
use crate::verdict::rules::Rules;

/// The verdict in words.
pub fn verdict_words(v: Verdict, lang: Lang) -> &'static str {
    match v {
        Verdict::Allowed => t(lang, "May be uploaded", "Kan lastes opp"),
        Verdict::Blocked => t(lang, "May not be uploaded", "Kan ikke lastes opp"),
        Verdict::Unreadable => t(lang, "Could not be checked", "Kunne ikke kontrolleres"),
    }
}

pub fn write(
    f: &FileResult,
    c: &Check,
    rules: &Rules,
    lang: Lang,
    w: &mut dyn Write,
) -> io::Result<()> {
    let t = |en, nb| t(lang, en, nb);
    let d = &c.destination;
    let shown = d.name.as_ref().unwrap_or(&d.path);
    let ceiling = match d.max_class {
        Some(cl) => format!(" ({} {})", t("at most", "høyst"), cl.name()),
        None => String::new(),
    };
    writeln!(
        w,
        "{}: {} → {}{ceiling}",
        verdict_words(c.verdict, lang),
        Escaped(&f.path),
        Escaped(shown)
    )?;
    if c.verdict == Verdict::Unreadable {
        let why = f
            .error
            .as_deref()
            .or(f.skipped.as_deref())
            .unwrap_or_default();
        return writeln!(w, "    {}: {}", t("why", "hvorfor"), Escaped(why));
    }
    // Why: what the label says, what the content needs, what the place allows.
    let label = match (f.label.as_ref().and_then(|l| l.class), f.label_status) {
        (Some(cl), _) => format!("{} {}", t("labelled", "merket"), cl.name()),
        (None, Some(LabelStatus::NotReadable)) => t(
            "the label cannot be read (password-encrypted)",
            "merkingen kan ikke leses (passordkryptert)",
        )
        .to_string(),
        (None, Some(LabelStatus::ForeignOnly)) => t(
            "only another organisation's label",
            "bare en annen virksomhets merking",
        )
        .to_string(),
        (None, _) => t("not labelled", "ikke merket").to_string(),
    };
    let mut why = vec![label];
    if let Some(r) = f.required_class {
        why.push(format!(
            "{} {}",
            t("the content requires", "innholdet krever"),
            r.name()
        ));
    }
    why.push(if d.unknown {
        t(
            "the destination is unknown to the configuration",
            "målstedet er ukjent i konfigurasjonen",
        )
        .to_string()
    } else if d.allow_listed {
        t(
            "the destination is approved for Strengt beskyttet",
            "målstedet er godkjent for Strengt beskyttet",
        )
        .to_string()
    } else {
        let mut what: Vec<String> = Vec::new();
        what.extend(d.kind.as_deref().map(|k| kind_words(k, lang).to_string()));
        what.extend(
            d.name
                .as_ref()
                .or(d.pattern.as_ref())
                .map(|p| p.to_string()),
        );
        let what = what.join(", ");
        match d.max_class {
            Some(cl) => format!(
                "{} {} ({what})",
                t("the destination allows at most", "målstedet tillater høyst"),
                cl.name()
            ),
            None => format!("{} {what}", t("the destination is", "målstedet er")),
        }
    });
    writeln!(
        w,
        "    {}: {}",
        t("why", "hvorfor"),
        Escaped(&why.join("; "))
    )?;
    for x in f
        .findings
        .iter()
        .filter(|x| c.rules.contains(&x.rule) && x.suppressed.is_none())
    {
        writeln!(
            w,
            "    {} {}: {}",
            x.severity,
            Escaped(&x.rule),
            Escaped(&x.message)
        )?;
    }
    if c.unknown_warned {
        writeln!(
            w,
            "    {}: {}",
            t("warning", "advarsel"),
            t(
                "no configured destination matches; checked only against the label (--unknown block refuses such places)",
                "ingen konfigurerte målsteder passer; bare merkingen er kontrollert (--unknown block avviser slike steder)"
            )
        )?;
    }
    if !f.not_checked.is_empty() {
        let reasons: Vec<&str> = f
            .not_checked
            .iter()
            .map(|r| super::text::reason(r.id(), lang))
            .collect();
        writeln!(
            w,
            "    {}: {}",
            t("content not checked", "innhold ikke kontrollert"),
            reasons.join(", ")
        )?;
    }
    // What to do: the advice of the rules that block it.
    if c.verdict == Verdict::Blocked {
        let mut said = Vec::new();
        for id in &c.rules {
            if let Some(r) = rules.get(id) {
                let a = advice(r.explain(lang));
                if !a.is_empty() && !said.contains(&a) {
                    said.push(a);
                }
            }
        }
        if d.unknown && said.is_empty() {
            said.push(
                t(
                    "choose a destination the configuration knows, or add it as a [[destination]] with its highest class.",
                    "velg et målsted konfigurasjonen kjenner, eller legg det inn som [[destination]] med høyeste klasse.",
                )
                .to_string(),
            );
        }
        for a in said {
            writeln!(w, "    {}: {}", t("what to do", "gjør dette"), Escaped(&a))?;
        }
    }
    Ok(())
}

/// A kind of destination in words.
pub fn kind_words(kind: &str, lang: Lang) -> &str {
    let t = |en, nb| t(lang, en, nb);
    match kind {
        "team-site" => t("a team site", "et teamområde"),
        "teams-channel" => t("a Teams channel", "en Teams-kanal"),
        "personal-onedrive" => t("a personal OneDrive", "en personlig OneDrive"),
        "shared-area" => t("a shared area", "et fellesområde"),
        "external-sharing" => t("shared with outsiders", "delt med eksterne"),
        "private-cloud" => t("a private cloud", "privat skylagring"),
        "private-device" => t("a private device", "privat utstyr"),
        "removable-unencrypted" => t("unencrypted removable media", "ukryptert flyttbart medium"),
        "email-staging" => t("an e-mail attachment", "et e-postvedlegg"),
        "publication" => t("publication", "publisering"),
        other => other,
    }
}
