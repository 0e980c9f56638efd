//! A finding's message: the rule's text in the chosen language, its placeholders filled.

use super::facts::Facts;
use super::marking::marks_text;
use super::rules::Rule;
use super::subject::Subject;
use crate::model::{Class, Detection, Lang, Location, Tenant};

pub(super) fn message(
    rule: &Rule,
    lang: Lang,
    r: &Subject,
    matched: &[&Detection],
    place: Option<&Location>,
    facts: &Facts,
) -> String {
    let template = match lang {
        Lang::Nb => &rule.message,
        Lang::En => &rule.message_en,
    };
    let (none, unlabelled, no_class) = match lang {
        Lang::Nb => ("ingen merking", "umerket", "ingen bestemt klasse"),
        Lang::En => ("no label", "not labelled", "no particular class"),
    };
    let class = r.label.as_ref().and_then(|l| l.class);
    let label = class.map_or(none, Class::name);
    // LBL-02: a label the catalogue lacks, or one it has without a class (it has a name).
    let in_catalogue = r.label.as_ref().is_some_and(|l| l.name.is_some());
    let catalogue = match (lang, in_catalogue) {
        (Lang::Nb, false) => "finnes ikke i katalogen",
        (Lang::Nb, true) => "står i katalogen uten klasse",
        (Lang::En, false) => "is not in the catalogue",
        (Lang::En, true) => "is in the catalogue without a class",
    };
    // LBL-04: why the label that counts does: LabelInfo.xml over a differing MSIP property
    // set (as Office reads them), else several active labels in one place, the highest.
    let chosen = r.label.as_ref().map(|l| l.id.as_str());
    let overridden = r.labels.iter().any(|l| {
        l.tenant == Tenant::Own
            && l.found.superseded
            && l.found.enabled != Some(false)
            && Some(l.found.id.as_str()) != chosen
    });
    let conflict = match (lang, overridden) {
        (Lang::Nb, true) => {
            "den nyere merkingen (LabelInfo.xml) går foran de eldre egenskapene, slik Office leser dem"
        }
        (Lang::Nb, false) => "flere merkinger er aktive samtidig, og den høyeste klassen regnes",
        (Lang::En, true) => {
            "the newer label (LabelInfo.xml) overrides the older properties, as Office reads them"
        }
        (Lang::En, false) => "several labels are active at once, and the highest class counts",
    };
    // "merket ingen merking" reads wrong: a sentence about the label says so in one word.
    let labelled = class.map_or(unlabelled.to_string(), |c| match lang {
        Lang::Nb => format!("merket {}", c.name()),
        Lang::En => format!("labelled {}", c.name()),
    });
    let mut what: Vec<&str> = matched.iter().map(|d| d.detector.id()).collect();
    what.dedup();
    let place = place
        .map(|l| format!("{}: {}", l.part, crate::model::place_in(&l.place, lang)))
        .unwrap_or_default();
    let destination = facts.destination.map_or(String::new(), |d| {
        let shown = d.name.as_deref().unwrap_or(&d.pattern);
        match facts.ceiling {
            Some(c) if lang == Lang::Nb => format!("{shown} (høyst {})", c.name()),
            Some(c) => format!("{shown} (at most {})", c.name()),
            None => shown.to_string(),
        }
    });
    template
        .replace("{labelled}", &labelled)
        .replace("{catalogue}", catalogue)
        .replace("{conflict}", conflict)
        .replace("{label}", label)
        .replace("{required}", rule.required().map_or("", Class::name))
        .replace(
            "{required_class}",
            facts.required.map_or(no_class, Class::name),
        )
        .replace(
            "{class}",
            facts.class.max(facts.required).map_or(none, Class::name),
        )
        .replace("{marked}", facts.marking.marked.map_or("", Class::name))
        .replace("{missing}", &marks_text(&facts.marking.missing, lang))
        .replace(
            "{required_missing}",
            &marks_text(&facts.marking.required_missing, lang),
        )
        .replace("{destination}", &destination)
        .replace("{count}", &matched.len().to_string())
        .replace("{what}", &what.join(", "))
        .replace("{where}", &place)
}
