//! Content marking: what a label promises (contentBits, the catalogue's marking texts) and
//! the classes require, against what headers, footers, watermarks and masters show.

use std::collections::BTreeSet;

use super::seen::Seen;
use super::subject::Subject;
use crate::config::Config;
use crate::labels::catalogue::Catalogue;
use crate::model::{Class, Lang};

/// The marking facts of a file (`missing`, `required-missing`, `higher`, `lower`,
/// `grade-words`, `too-long`, `personal`) and the highest class a marking names.
pub(super) fn marking_facts(
    r: &Subject,
    seen: &Seen,
    catalogue: Option<&Catalogue>,
    config: &Config,
) -> MarkingFacts {
    let mut facts = BTreeSet::new();
    let mut missing = Vec::new();
    let mut required_missing = Vec::new();
    // Encrypted, legacy and binary files: their text, and so their marking, was not read;
    // a partial result may have stopped before it.
    let name = r.format.name();
    if matches!(name, "ooxml" | "doc" | "xls" | "ppt" | "xlsb") || !r.complete {
        return MarkingFacts::default();
    }
    let m = &seen.marks;
    let family = &name[..1];
    // Each place's text made comparable once: lowercase, whitespace runs as one space.
    let [header, footer, watermark, slides] =
        [&m.header, &m.footer, &m.watermark, &m.slides].map(|t| normal(t));
    let place = |mark: &str| -> &str {
        match mark {
            _ if family == "p" => &slides,
            "header" => &header,
            "footer" => &footer,
            _ => &watermark,
        }
    };
    let all = normal(
        &[&header, &footer, &watermark, &slides]
            .map(|t| t.as_str())
            .join(" "),
    );
    let named = |text: &str| -> Option<Class> {
        let mut best = classes_named(text);
        for l in catalogue.iter().flat_map(|c| c.labels()) {
            for t in [&l.marking.header, &l.marking.footer, &l.marking.watermark]
                .into_iter()
                .flatten()
            {
                if contains_words(text, t) {
                    best = best.max(l.class);
                }
            }
        }
        best
    };
    // What the marking texts name, and what the marking properties Office wrote name.
    let in_text = named(&all);
    let in_properties: Vec<Class> = m
        .properties
        .values()
        .filter_map(|v| named(&normal(v)))
        .collect();
    let marked = in_text.max(in_properties.iter().copied().max());
    if ["begrenset", "konfidensielt", "hemmelig"]
        .iter()
        .any(|w| contains_words(&all, w))
    {
        facts.insert("grade-words");
    }
    if seen.people.iter().any(|p| contains_words(&all, p)) {
        facts.insert("personal");
    }
    let excel = family == "x";
    if excel && m.excel.values().any(|&n| n > config.excel_max_chars) {
        facts.insert("too-long");
    }
    let Some(label) = &r.label else {
        return MarkingFacts {
            facts,
            marked,
            ..MarkingFacts::default()
        };
    };
    let entry = catalogue.and_then(|c| c.get(&label.id));
    let class = label.class;
    let expected = |mark: &str| -> Option<String> {
        let from_catalogue = entry.and_then(|e| match mark {
            "header" => e.marking.header.clone(),
            "footer" => e.marking.footer.clone(),
            _ => e.marking.watermark.clone(),
        });
        from_catalogue
            .or_else(|| class.map(|c| c.name().to_string()))
            .filter(|t| !t.trim().is_empty())
    };
    let applies = |mark: &str| !(excel && mark == "watermark");
    let found = |mark: &str, text: &str| contains_words(place(mark), text);
    // What the label says it marks: contentBits, or the catalogue's marking texts.
    let bits = crate::model::content_bits_words(label.content_bits.unwrap_or(0));
    let mut promised = BTreeSet::new();
    for mark in crate::config::MARKS {
        let in_catalogue = entry.is_some_and(|e| match *mark {
            "header" => e.marking.header.is_some(),
            "footer" => e.marking.footer.is_some(),
            _ => e.marking.watermark.is_some(),
        });
        if (bits.contains(mark) || in_catalogue) && applies(mark) {
            promised.insert(*mark);
            if let Some(t) = expected(mark)
                && !found(mark, &t)
            {
                facts.insert("missing");
                missing.push((*mark, t));
            }
        }
    }
    if let Some(c) = class {
        for mark in config.marking.get(&c).into_iter().flatten() {
            if !promised.contains(mark)
                && applies(mark)
                && let Some(t) = expected(mark)
                && !found(mark, &t)
            {
                facts.insert("required-missing");
                required_missing.push((*mark, t));
            }
        }
        if excel && let Some(e) = entry {
            let total = e.marking.header.as_ref().map_or(0, |t| t.chars().count())
                + e.marking.footer.as_ref().map_or(0, |t| t.chars().count());
            if total > config.excel_max_chars {
                facts.insert("too-long");
            }
        }
        if marked.is_some_and(|mc| mc > c) {
            facts.insert("higher");
        }
        if in_text.is_some_and(|mc| mc < c) || in_properties.iter().any(|&pc| pc < c) {
            facts.insert("lower");
        }
    }
    MarkingFacts {
        facts,
        marked,
        missing,
        required_missing,
    }
}

#[derive(Default)]
pub(super) struct MarkingFacts {
    pub(super) facts: BTreeSet<&'static str>,
    /// The highest class a marking names.
    pub(super) marked: Option<Class>,
    /// Marks the label promises, and the configuration demands, that are not there:
    /// (mark, expected text).
    pub(super) missing: Vec<(&'static str, String)>,
    pub(super) required_missing: Vec<(&'static str, String)>,
}

/// `bunntekst «Intern», vannmerke «STRENGT BESKYTTET»`.
pub(super) fn marks_text(marks: &[(&str, String)], lang: Lang) -> String {
    let name = |m: &str| match (lang, m) {
        (Lang::Nb, "header") => "topptekst",
        (Lang::Nb, "footer") => "bunntekst",
        (Lang::Nb, _) => "vannmerke",
        (Lang::En, "header") => "header",
        (Lang::En, "footer") => "footer",
        (Lang::En, _) => "watermark",
    };
    marks
        .iter()
        .map(|(m, t)| format!("{} «{t}»", name(m)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The highest class whose name stands as words in `text` (made `normal`).
fn classes_named(text: &str) -> Option<Class> {
    if contains_words(text, "strengt beskyttet") {
        return Some(Class::StrengtBeskyttet);
    }
    [
        (Class::Beskyttet, "beskyttet"),
        (Class::Intern, "intern"),
        (Class::Apen, "åpen"),
    ]
    .into_iter()
    .find(|(_, w)| contains_words(text, w))
    .map(|(c, _)| c)
}

/// Text as markings are compared: lowercase, whitespace runs as one space.
fn normal(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Whether `needle`, made `normal`, occurs in `hay` (already `normal`) with no letter or
/// digit right before or after it.
fn contains_words(hay: &str, needle: &str) -> bool {
    let needle = normal(needle);
    if needle.is_empty() {
        return false;
    }
    hay.match_indices(&needle).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        let after = hay[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
