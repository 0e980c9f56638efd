//! The report per business as tables: the rows of the businesses table, the files to fix
//! and the findings, with their headings in the report's language. CSV and Markdown write
//! the same rows, so their numbers are the JSON report's.

use super::business::{Business, FileToFix, FindingRow, Report, Tally, place};
use super::text::t;
use crate::model::{Class, Lang, Severity};

/// A table: headings and rows of cells.
pub struct Table {
    pub headings: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// A share in percent, one decimal, with the decimal mark of `lang`: `42,5` (Norwegian
/// Excel reads it as a number), `42.5`.
pub fn percent(part: usize, whole: usize, lang: Lang) -> String {
    let p = if whole == 0 {
        0.0
    } else {
        part as f64 * 100.0 / whole as f64
    };
    let s = format!("{p:.1}");
    if lang == Lang::Nb {
        s.replace('.', ",")
    } else {
        s
    }
}

/// The business name as shown (`Ukjent` reads `Unknown (Ukjent)` in English).
pub fn business_name(b: &Business, lang: Lang) -> String {
    if b.unknown && lang == Lang::En {
        format!("Unknown ({})", b.name.as_str())
    } else {
        b.name.to_string()
    }
}

/// The class as shown, or a dash.
pub fn class_name(c: Option<Class>) -> String {
    c.map_or("–".into(), |c| c.name().into())
}

/// A severity as shown in the report's language.
pub fn severity_name(s: Severity, lang: Lang) -> &'static str {
    super::text::severity_word(s.id(), lang)
}

/// One row per business, then the total.
pub fn businesses(r: &Report) -> Table {
    let lang = r.lang;
    let t = |en, nb| t(lang, en, nb);
    let mut headings = vec![
        t("Business", "Virksomhet"),
        t("Files", "Filer"),
        t("Content checked", "Innhold kontrollert"),
        t("Not (fully) checked", "Ikke (helt) kontrollert"),
        t("Could not be read", "Kunne ikke leses"),
        t("Skipped", "Hoppet over"),
        t("Labelled", "Merket"),
        t("Labelled %", "Merket %"),
    ];
    headings.extend(Class::ALL.iter().map(|c| c.name()));
    headings.extend([
        t("Class unknown", "Klasse ukjent"),
        t("Unlabelled", "Umerket"),
        t("Label removed", "Merking fjernet"),
        t("Only foreign labels", "Bare andres merking"),
        t("Label not readable", "Merking kan ikke leses"),
        t("Label below content", "Merking under innhold"),
        t("With personal data", "Med personopplysninger"),
        t(
            "Personal data (distinct values)",
            "Personopplysninger (ulike verdier)",
        ),
        t("Beskyttet+ not encrypted", "Beskyttet+ ukryptert"),
        t("Hidden content", "Skjult innhold"),
        t("Marking", "Merketekst"),
        t("Errors", "Feil"),
        t("Warnings", "Advarsler"),
        t("Info", "Info"),
        t("Accepted", "Godtatt"),
    ]);
    let mut rows: Vec<Vec<String>> = r
        .businesses
        .iter()
        .map(|b| row(&business_name(b, lang), &b.tally, lang))
        .collect();
    rows.push(row(t("Total", "Totalt"), &r.total, lang));
    Table { headings, rows }
}

fn row(name: &str, x: &Tally, lang: Lang) -> Vec<String> {
    let s = &x.summary;
    let n = |m: &std::collections::BTreeMap<String, usize>, k: &str| {
        m.get(k).copied().unwrap_or(0).to_string()
    };
    let read = s.checked + s.not_checked;
    let mut row = vec![
        name.to_string(),
        s.files.to_string(),
        s.checked.to_string(),
        s.not_checked.to_string(),
        s.unreadable.to_string(),
        s.skipped.to_string(),
        x.labelled().to_string(),
        percent(x.labelled(), read, lang),
    ];
    row.extend(Class::ALL.iter().map(|c| n(&s.by_class, c.id())));
    row.extend([
        n(&s.by_class, "unknown"),
        n(&s.by_label_status, "unlabelled"),
        n(&s.by_label_status, "removed"),
        n(&s.by_label_status, "foreign-only"),
        n(&s.by_label_status, "not-readable"),
        x.under_labelled.to_string(),
        s.files_with_personal_data.to_string(),
        x.personal_data_values.values().sum::<usize>().to_string(),
        x.unencrypted_protected.to_string(),
        x.hidden_content_breaches.to_string(),
        x.marking_breaches.to_string(),
        n(&s.findings_by_severity, "error"),
        n(&s.findings_by_severity, "warning"),
        n(&s.findings_by_severity, "info"),
        s.findings_suppressed.to_string(),
    ]);
    row
}

/// The files to fix first, in rank order.
pub fn files_to_fix(r: &Report) -> Table {
    let lang = r.lang;
    let t = |en, nb| t(lang, en, nb);
    Table {
        headings: vec![
            "#",
            t("Business", "Virksomhet"),
            t("File", "Fil"),
            t("Severity", "Alvorlighet"),
            t("Label class", "Merket klasse"),
            t("Content requires", "Innholdet krever"),
            t("Classes below", "Klasser under"),
            t("Personal data", "Personopplysninger"),
            t("Rule", "Regel"),
            t("Why", "Hvorfor"),
            t("What to do", "Hva du gjør"),
            t("Findings", "Funn"),
        ],
        rows: r
            .files_to_fix
            .iter()
            .enumerate()
            .map(|(i, f)| fix_row(i + 1, f, lang))
            .collect(),
    }
}

fn fix_row(n: usize, f: &FileToFix, lang: Lang) -> Vec<String> {
    vec![
        n.to_string(),
        f.business.to_string(),
        f.path.to_string(),
        severity_name(f.severity, lang).into(),
        class_name(f.class),
        class_name(f.required_class),
        f.gap.to_string(),
        f.personal_data.to_string(),
        f.rule.clone(),
        f.reason.to_string(),
        f.advice.clone(),
        f.findings.len().to_string(),
    ]
}

/// Every finding, open and accepted.
pub fn findings(r: &Report) -> Table {
    let lang = r.lang;
    let t = |en, nb| t(lang, en, nb);
    Table {
        headings: vec![
            t("Business", "Virksomhet"),
            t("File", "Fil"),
            t("Rule", "Regel"),
            t("Severity", "Alvorlighet"),
            t("Where", "Hvor"),
            t("Message", "Melding"),
            t("Fingerprint", "Fingeravtrykk"),
            t("Accepted", "Godtatt"),
        ],
        rows: r.findings.iter().map(|x| finding_row(x, lang)).collect(),
    }
}

fn finding_row(x: &FindingRow, lang: Lang) -> Vec<String> {
    let f = &x.finding;
    vec![
        x.business.to_string(),
        x.path.to_string(),
        f.rule.clone(),
        severity_name(f.severity, lang).into(),
        f.location
            .as_ref()
            .map(|l| place(l, lang))
            .unwrap_or_default(),
        f.message.to_string(),
        f.fingerprint.clone(),
        f.suppressed.as_deref().unwrap_or_default().to_string(),
    ]
}
