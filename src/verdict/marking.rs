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
    // Encrypted and binary files whose text, and so marking, was not read; a partial result
    // may have stopped before it.
    let name = r.format.name();
    if matches!(name, "ooxml" | "xlsb") || !r.complete {
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
                if contains_marking(text, t, &l.name, family) {
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
    let label_name = entry.map_or("", |e| e.name.as_str());
    let found = |mark: &str, text: &str| contains_marking(place(mark), text, label_name, family);
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

/// Whether a marking text as a label defines it stands in `hay` (made `normal`). Purview's
/// variables are what Office puts there: `${Item.Label}` the label's name, `${User.Name}`,
/// `${Item.Name}`, `${Event.DateTime}` and the like any text; `${If.App.WXP}…${If.End}`
/// only in the apps it names (W, X, P, or Word, Excel, PowerPoint).
fn contains_marking(hay: &str, template: &str, label: &str, family: &str) -> bool {
    if !template.contains("${") {
        return contains_words(hay, template);
    }
    // The template with every other variable as one gap (`\0`).
    let mut text = String::new();
    let mut rest = template;
    let mut shown = true;
    while let Some(at) = rest.find("${") {
        if shown {
            text.push_str(&rest[..at]);
        }
        let Some(end) = rest[at..].find('}') else {
            rest = &rest[at..];
            break;
        };
        let var = rest[at + 2..at + end].trim().to_lowercase();
        if let Some(apps) = var.strip_prefix("if.app.") {
            shown = in_app(apps, family);
        } else if var == "if.end" {
            shown = true;
        } else if shown {
            text.push_str(if var == "item.label" { label } else { "\0" });
        }
        rest = &rest[at + end + 1..];
    }
    if shown {
        text.push_str(rest);
    }
    let parts: Vec<String> = text
        .split('\0')
        .map(normal)
        .filter(|p| !p.is_empty())
        .collect();
    let Some((first, others)) = parts.split_first() else {
        // Variables only: any marking text stands for them.
        return !hay.is_empty();
    };
    // The literal parts in order, the first and last on word boundaries.
    hay.match_indices(first.as_str()).any(|(i, _)| {
        let before = hay[..i].chars().next_back();
        if before.is_some_and(char::is_alphanumeric) {
            return false;
        }
        let mut at = i + first.len();
        for p in others {
            match hay[at..].find(p.as_str()) {
                Some(j) => at += j + p.len(),
                None => return false,
            }
        }
        let last_is_gap = text.trim_end().ends_with('\0');
        last_is_gap || !hay[at..].chars().next().is_some_and(char::is_alphanumeric)
    })
}

/// Whether `${If.App.<apps>}` names the app of this family (`w`, `x`, `p`).
fn in_app(apps: &str, family: &str) -> bool {
    let word = match family {
        "w" => "word",
        "x" => "excel",
        _ => "powerpoint",
    };
    apps.split(['_', ',', ' ']).any(|a| {
        a == word || (a.len() <= 4 && a.chars().all(|c| "wxpo".contains(c)) && a.contains(family))
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purview_variables_stand_for_what_office_writes() {
        let hay = normal("Intern - Kari Nordmann - 05.12.2026");
        assert!(contains_marking(
            &hay,
            "${Item.Label} - ${User.Name}",
            "Intern",
            "w"
        ));
        assert!(contains_marking(&hay, "${Item.Label}", "Intern", "w"));
        assert!(!contains_marking(
            &hay,
            "${Item.Label} - ${User.Name}",
            "Beskyttet",
            "w"
        ));
        assert!(!contains_marking(
            &normal("Internt notat"),
            "${Item.Label}",
            "Intern",
            "w"
        ));
        assert!(!contains_marking(
            &hay,
            "Klassifisering: ${If.App.X}Regneark ${If.End}${Item.Label}",
            "Intern",
            "w"
        ));
        assert!(contains_marking(
            &normal("Klassifisering: Intern"),
            "Klassifisering: ${If.App.X}Regneark ${If.End}${Item.Label}",
            "Intern",
            "w"
        ));
        assert!(contains_marking(
            &normal("Klassifisering: Regneark Intern"),
            "Klassifisering: ${If.App.Excel}Regneark ${If.End}${Item.Label}",
            "Intern",
            "x"
        ));
        assert!(contains_marking(&hay, "${User.Name}", "Intern", "w"));
        assert!(!contains_marking("", "${User.Name}", "Intern", "w"));
        // Without variables, as before.
        assert!(contains_marking(&hay, "Intern", "", "w"));
    }
}
