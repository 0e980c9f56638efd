//! The report per business as one self-contained HTML page: no external assets and no
//! network (a Content-Security-Policy forbids both), Norwegian or English, summary cards,
//! inline SVG charts, a table of businesses and a section per business, the files to fix
//! with sorting and filtering that work from a file, a ready-to-paste suppression per
//! finding, and a print layout. Only counts and the files to fix are in it, never every
//! clean file; only masked values, in the text and in every attribute.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::business::{Business, FileToFix, Report, Tally, place};
use super::tables::{self, business_name, class_name, percent, severity_name};
use crate::model::{Class, Lang};

const STYLE: &str = include_str!("html/report.css");
const SCRIPT: &str = include_str!("html/report.js");

/// Colours of the classes in the charts (unknown and unlabelled after them).
const CLASS_COLOURS: [&str; 6] = [
    "#2e7d32", "#1565c0", "#ef6c00", "#c62828", "#757575", "#bdbdbd",
];

pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    w.write_all(page(r).as_bytes())
}

/// Text for HTML, in an element or an attribute.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

struct Words(Lang);

impl Words {
    fn t<'a>(&self, en: &'a str, nb: &'a str) -> &'a str {
        if self.0 == Lang::Nb { nb } else { en }
    }
}

pub fn page(r: &Report) -> String {
    let w = Words(r.lang);
    let mut h = String::with_capacity(64 * 1024);
    let title = w.t(
        "o365lint — report per business",
        "o365lint — rapport per virksomhet",
    );
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body>\n",
        if r.lang == Lang::Nb { "nb" } else { "en" },
        esc(title)
    );
    let _ = writeln!(
        h,
        "<header><h1>{}</h1><p class=\"meta\">{} {} · {} {} · o365lint {}</p></header>",
        esc(title),
        w.t("Generated", "Laget"),
        esc(&r.generated),
        w.t("from", "fra"),
        esc(&r
            .sources
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(", ")),
        esc(&r.tool.version)
    );
    cards(&mut h, r, &w);
    charts(&mut h, r, &w);
    overview(&mut h, r, &w);
    to_fix(&mut h, r, &w);
    rules(&mut h, r, &w);
    for b in &r.businesses {
        business(&mut h, b, r, &w);
    }
    let _ = write!(h, "<script>{SCRIPT}</script>\n</body></html>\n");
    h
}

fn cards(h: &mut String, r: &Report, w: &Words) {
    let s = &r.total.summary;
    let read = s.checked + s.not_checked;
    let cards = [
        (s.files.to_string(), w.t("files", "filer"), ""),
        (
            format!("{} %", percent(r.total.labelled(), read, r.lang)),
            w.t("labelled", "merket"),
            "",
        ),
        (
            r.total.under_labelled.to_string(),
            w.t("label below content", "merking under innholdet"),
            "bad",
        ),
        (
            s.files_with_personal_data.to_string(),
            w.t("with personal data", "med personopplysninger"),
            "",
        ),
        (
            r.total.unencrypted_protected.to_string(),
            w.t("Beskyttet+ not encrypted", "Beskyttet+ ukryptert"),
            "bad",
        ),
        (
            (s.not_checked + s.unreadable).to_string(),
            w.t(
                "content not (fully) checked",
                "innhold ikke (helt) kontrollert",
            ),
            "warn",
        ),
    ];
    h.push_str("<section class=\"cards\">");
    for (n, what, class) in cards {
        let _ = write!(
            h,
            "<div class=\"card {class}\"><b>{}</b><span>{}</span></div>",
            esc(&n),
            esc(what)
        );
    }
    h.push_str("</section>\n");
}

/// The class distribution of a tally: labelled per class, unknown class, not labelled.
fn distribution(t: &Tally) -> [usize; 6] {
    let s = &t.summary;
    let n = |k: &str| s.by_class.get(k).copied().unwrap_or(0);
    let read = s.checked + s.not_checked;
    let labelled: usize = Class::ALL.iter().map(|c| n(c.id())).sum::<usize>() + n("unknown");
    [
        n(Class::Apen.id()),
        n(Class::Intern.id()),
        n(Class::Beskyttet.id()),
        n(Class::StrengtBeskyttet.id()),
        n("unknown"),
        read.saturating_sub(labelled),
    ]
}

fn charts(h: &mut String, r: &Report, w: &Words) {
    let names: Vec<String> = r
        .businesses
        .iter()
        .map(|b| business_name(b, r.lang))
        .collect();
    let legend: Vec<&str> = Class::ALL
        .iter()
        .map(|c| c.name())
        .chain([
            w.t("class unknown", "klasse ukjent"),
            w.t("not labelled", "ikke merket"),
        ])
        .collect();
    h.push_str("<section class=\"charts\">");
    // Class distribution per business: one stacked bar each, in shares of its files read.
    let _ = write!(
        h,
        "<figure id=\"chart-classes\"><figcaption>{}</figcaption>",
        esc(w.t(
            "Class distribution per business",
            "Klassefordeling per virksomhet"
        ))
    );
    let rows: Vec<[usize; 6]> = r
        .businesses
        .iter()
        .map(|b| distribution(&b.tally))
        .collect();
    stacked(h, &names, &rows, &legend);
    h.push_str("</figure>");
    let bars = |h: &mut String, id: &str, caption: &str, values: Vec<(f64, String)>| {
        let _ = write!(
            h,
            "<figure id=\"{id}\"><figcaption>{}</figcaption>",
            esc(caption)
        );
        bar_chart(h, &names, &values);
        h.push_str("</figure>");
    };
    let labelled = r
        .businesses
        .iter()
        .map(|b| {
            let read = b.tally.summary.checked + b.tally.summary.not_checked;
            let p = percent(b.tally.labelled(), read, r.lang);
            let share = b.tally.labelled() as f64 / read.max(1) as f64;
            (share, format!("{p} %"))
        })
        .collect();
    bars(
        h,
        "chart-labelled",
        w.t("Labelled share", "Andel merket"),
        labelled,
    );
    let personal = r
        .businesses
        .iter()
        .map(|b| {
            let n = b.tally.summary.files_with_personal_data;
            (n as f64, n.to_string())
        })
        .collect();
    bars(
        h,
        "chart-personal",
        w.t("Files with personal data", "Filer med personopplysninger"),
        personal,
    );
    h.push_str("</section>\n");
}

const ROW: f64 = 26.0;
const LABEL_W: f64 = 180.0;
const BAR_W: f64 = 360.0;

fn svg_open(h: &mut String, rows: usize, extra: f64) {
    let height = rows as f64 * ROW + extra;
    let _ = write!(
        h,
        "<svg role=\"img\" viewBox=\"0 0 {} {height}\" width=\"{}\" height=\"{height}\">",
        LABEL_W + BAR_W + 70.0,
        LABEL_W + BAR_W + 70.0
    );
}

fn label(h: &mut String, y: f64, name: &str) {
    let _ = write!(
        h,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>",
        LABEL_W - 8.0,
        y + ROW * 0.65,
        esc(name)
    );
}

fn stacked(h: &mut String, names: &[String], rows: &[[usize; 6]], legend: &[&str]) {
    svg_open(h, rows.len(), 30.0);
    for (i, (name, parts)) in names.iter().zip(rows).enumerate() {
        let y = i as f64 * ROW;
        label(h, y, name);
        let total: usize = parts.iter().sum();
        let mut x = LABEL_W;
        for (k, n) in parts.iter().enumerate() {
            if *n == 0 || total == 0 {
                continue;
            }
            let width = BAR_W * *n as f64 / total as f64;
            let _ = write!(
                h,
                "<rect class=\"bar\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"{}\"><title>{}: {n}</title></rect>",
                y + 4.0,
                ROW - 8.0,
                CLASS_COLOURS[k],
                esc(legend[k])
            );
            x += width;
        }
    }
    // The legend under the bars.
    let y = rows.len() as f64 * ROW + 8.0;
    let mut x = 0.0;
    for (k, what) in legend.iter().enumerate() {
        let _ = write!(
            h,
            "<rect x=\"{x:.1}\" y=\"{y}\" width=\"12\" height=\"12\" fill=\"{}\"/><text x=\"{:.1}\" y=\"{}\">{}</text>",
            CLASS_COLOURS[k],
            x + 16.0,
            y + 11.0,
            esc(what)
        );
        x += 16.0 + 7.0 * what.chars().count() as f64 + 14.0;
    }
    h.push_str("</svg>");
}

fn bar_chart(h: &mut String, names: &[String], values: &[(f64, String)]) {
    svg_open(h, values.len(), 4.0);
    let max = values.iter().map(|v| v.0).fold(0.0, f64::max);
    for (i, (name, (v, shown))) in names.iter().zip(values).enumerate() {
        let y = i as f64 * ROW;
        label(h, y, name);
        let width = if max > 0.0 { BAR_W * v / max } else { 0.0 };
        let _ = write!(
            h,
            "<rect class=\"bar\" x=\"{LABEL_W}\" y=\"{:.1}\" width=\"{width:.1}\" height=\"{:.1}\" fill=\"#1565c0\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            y + 4.0,
            ROW - 8.0,
            LABEL_W + width + 6.0,
            y + ROW * 0.65,
            esc(shown)
        );
    }
    h.push_str("</svg>");
}

fn table(h: &mut String, id: &str, t: &tables::Table, sortable: bool) {
    let _ = write!(
        h,
        "<table id=\"{id}\"{}>",
        if sortable { " class=\"sortable\"" } else { "" }
    );
    h.push_str("<thead><tr>");
    for head in &t.headings {
        let _ = write!(h, "<th>{}</th>", esc(head));
    }
    h.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        h.push_str("<tr>");
        for (i, c) in row.iter().enumerate() {
            let num = i > 0 && c.replace(',', ".").parse::<f64>().is_ok();
            let _ = write!(
                h,
                "<td{}>{}</td>",
                if num { " class=\"n\"" } else { "" },
                esc(c)
            );
        }
        h.push_str("</tr>");
    }
    h.push_str("</tbody></table>");
}

fn overview(h: &mut String, r: &Report, w: &Words) {
    let _ = write!(
        h,
        "<section id=\"businesses\"><h2>{}</h2><div class=\"scroll\">",
        esc(w.t("Businesses", "Virksomheter"))
    );
    table(h, "table-businesses", &tables::businesses(r), true);
    h.push_str("</div></section>\n");
}

fn options(values: impl Iterator<Item = (String, String)>) -> String {
    let mut seen = std::collections::BTreeMap::new();
    for (v, shown) in values {
        seen.entry(v).or_insert(shown);
    }
    seen.iter()
        .map(|(v, s)| format!("<option value=\"{}\">{}</option>", esc(v), esc(s)))
        .collect()
}

fn to_fix(h: &mut String, r: &Report, w: &Words) {
    let _ = write!(
        h,
        "<section id=\"files\"><h2>{}</h2>",
        esc(w.t("Files to fix first", "Filer å rette først"))
    );
    if r.files_with_findings > r.files_to_fix.len() {
        let _ = write!(
            h,
            "<p class=\"meta\">{} {} {} {}.</p>",
            esc(w.t("The first", "De første")),
            r.files_to_fix.len(),
            esc(w.t("of", "av")),
            r.files_with_findings
        );
    }
    let all = w.t("all", "alle");
    let select = |id: &str, what: &str, opts: String| {
        format!(
            "<label>{} <select id=\"{id}\"><option value=\"\">{}</option>{opts}</select></label>",
            esc(what),
            esc(all)
        )
    };
    let f = &r.files_to_fix;
    let _ = write!(
        h,
        "<div class=\"filters\">{}{}{}{}<span id=\"shown\"></span></div>",
        select(
            "filter-business",
            w.t("Business", "Virksomhet"),
            options(
                f.iter()
                    .map(|x| (x.business.to_string(), x.business.to_string()))
            )
        ),
        select(
            "filter-rule",
            w.t("Rule", "Regel"),
            options(f.iter().map(|x| (x.rule.clone(), x.rule.clone())))
        ),
        select(
            "filter-severity",
            w.t("Severity", "Alvorlighet"),
            options(f.iter().map(|x| (
                x.severity.id().to_string(),
                severity_name(x.severity, r.lang).to_string()
            )))
        ),
        select(
            "filter-class",
            w.t("Label class", "Merket klasse"),
            options(f.iter().map(|x| (class_id(x.class), class_name(x.class))))
        ),
    );
    let heads = [
        "#",
        w.t("Business", "Virksomhet"),
        w.t("File", "Fil"),
        w.t("Severity", "Alvorlighet"),
        w.t("Label class", "Merket klasse"),
        w.t("Content requires", "Innholdet krever"),
        w.t("Personal data", "Personopplysninger"),
        w.t("Why", "Hvorfor"),
        w.t("What to do", "Hva du gjør"),
    ];
    h.push_str("<div class=\"scroll\"><table id=\"table-files\" class=\"sortable\"><thead><tr>");
    for head in heads {
        let _ = write!(h, "<th>{}</th>", esc(head));
    }
    h.push_str("</tr></thead><tbody>");
    for (i, x) in f.iter().enumerate() {
        file_row(h, i + 1, x, r.lang, w);
    }
    h.push_str("</tbody></table></div></section>\n");
}

fn class_id(c: Option<Class>) -> String {
    c.map_or("none".into(), |c| c.id().into())
}

fn file_row(h: &mut String, n: usize, x: &FileToFix, lang: Lang, w: &Words) {
    let _ = write!(
        h,
        "<tr class=\"sev-{}\" data-business=\"{}\" data-rule=\"{}\" data-severity=\"{}\" data-class=\"{}\">",
        x.severity.id(),
        esc(&x.business),
        esc(&x.rule),
        x.severity.id(),
        class_id(x.class)
    );
    let _ = write!(
        h,
        "<td class=\"n\">{n}</td><td>{}</td><td class=\"path\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td>",
        esc(&x.business),
        esc(&x.path),
        esc(severity_name(x.severity, lang)),
        esc(&class_name(x.class)),
        esc(&class_name(x.required_class)),
        x.personal_data
    );
    let _ = write!(h, "<td><b>{}</b> {}", esc(&x.rule), esc(&x.reason));
    // Each open finding, with the entry that accepts it.
    let _ = write!(
        h,
        "<details class=\"findings\"><summary>{} ({})</summary><ul>",
        esc(w.t("findings", "funn")),
        x.findings.len()
    );
    for f in &x.findings {
        let at = f
            .location
            .as_ref()
            .map(|l| format!(" — {}", place(l, lang)))
            .unwrap_or_default();
        let entry = format!(
            "[[suppress]]\nfingerprint = \"{}\"\nreason = \"\"\naccepted_by = \"\"\npath = \"{}\"  # {}",
            f.fingerprint,
            x.path.replace('\\', "\\\\").replace('"', "\\\""),
            f.rule
        );
        let _ = write!(
            h,
            "<li><b>{}</b> {}{}<br><button type=\"button\" class=\"suppress\">{}</button><pre class=\"entry\" hidden>{}</pre></li>",
            esc(&f.rule),
            esc(&f.message),
            esc(&at),
            esc(w.t("Suppress…", "Godta…")),
            esc(&entry)
        );
    }
    let _ = write!(h, "</ul></details></td><td>{}</td></tr>", esc(&x.advice));
}

fn rules(h: &mut String, r: &Report, w: &Words) {
    let _ = write!(
        h,
        "<section id=\"rules\"><h2>{}</h2><div class=\"scroll\"><table id=\"table-rules\" class=\"sortable\"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>",
        esc(w.t("Findings per rule", "Funn per regel")),
        esc(w.t("Rule", "Regel")),
        esc(w.t("Severity", "Alvorlighet")),
        esc(w.t("What", "Hva")),
        esc(w.t("Findings", "Funn")),
        esc(w.t("Accepted", "Godtatt")),
        esc(w.t("What to do", "Hva du gjør")),
    );
    for x in &r.rules {
        let _ = write!(
            h,
            "<tr class=\"sev-{}\"><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            x.severity.id(),
            esc(&x.id),
            esc(severity_name(x.severity, r.lang)),
            esc(&x.summary),
            x.count,
            x.accepted,
            esc(&x.advice)
        );
    }
    h.push_str("</tbody></table></div></section>\n");
}

fn business(h: &mut String, b: &Business, r: &Report, w: &Words) {
    let name = business_name(b, r.lang);
    let s = &b.tally.summary;
    let _ = write!(
        h,
        "<section class=\"business\" data-business=\"{}\"><h2>{}</h2>",
        esc(&b.name),
        esc(&name)
    );
    if b.unknown {
        let _ = write!(
            h,
            "<p class=\"meta\">{}</p>",
            esc(w.t(
                "Files the configuration's [[business]] entries do not map to a business.",
                "Filer som konfigurasjonens [[business]]-oppføringer ikke knytter til en virksomhet."
            ))
        );
    }
    let list = |m: &std::collections::BTreeMap<String, usize>| {
        m.iter()
            .map(|(k, n)| format!("{} {n}", esc(k)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let facts = [
        (w.t("Files", "Filer"), s.files.to_string()),
        (
            w.t(
                "Not (fully) checked, by reason",
                "Ikke (helt) kontrollert, etter årsak",
            ),
            format!("{} ({})", s.not_checked, list(&s.not_checked_by_reason)),
        ),
        (
            w.t("Could not be read", "Kunne ikke leses"),
            format!("{} ({})", s.unreadable, list(&s.errors_by_kind)),
        ),
        (w.t("Label status", "Merkestatus"), list(&s.by_label_status)),
        (w.t("Classes", "Klasser"), list(&s.by_class)),
        (
            w.t(
                "Content requires a higher class",
                "Innholdet krever høyere klasse",
            ),
            format!(
                "{} ({})",
                b.tally.under_labelled,
                list(&b.tally.under_labelled_by_rule)
            ),
        ),
        (
            w.t(
                "Personal data (distinct values)",
                "Personopplysninger (ulike verdier)",
            ),
            list(&b.tally.personal_data_values),
        ),
    ];
    h.push_str("<dl>");
    for (k, v) in facts {
        let _ = write!(
            h,
            "<dt>{}</dt><dd>{}</dd>",
            esc(k),
            if v.is_empty() { "–".into() } else { v }
        );
    }
    h.push_str("</dl>");
    let mine: Vec<&FileToFix> = r
        .files_to_fix
        .iter()
        .filter(|f| f.business == b.name)
        .take(10)
        .collect();
    if !mine.is_empty() {
        let _ = write!(
            h,
            "<h3>{}</h3><ol>",
            esc(w.t("Files to fix first", "Filer å rette først"))
        );
        for f in mine {
            let _ = write!(
                h,
                "<li><span class=\"path\">{}</span> — {} <b>{}</b>: {}</li>",
                esc(&f.path),
                esc(severity_name(f.severity, r.lang)),
                esc(&f.rule),
                esc(&f.reason)
            );
        }
        h.push_str("</ol>");
    }
    h.push_str("</section>\n");
}
