//! The report per business as a short Markdown summary for e-mail or Teams: the totals, a
//! table per business, the first files to fix.

use std::io::{self, Write};

use super::business::Report;
use super::tables::{self, Table, percent, severity_name};
use crate::model::Lang;

/// Files to fix listed in the summary.
const TOP: usize = 10;

pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    let t = |en, nb| if r.lang == Lang::Nb { nb } else { en };
    let s = &r.total.summary;
    writeln!(
        w,
        "# {}\n",
        t(
            "o365lint: report per business",
            "o365lint: rapport per virksomhet"
        )
    )?;
    writeln!(
        w,
        "{} {} · {}: {}\n",
        t("Generated", "Laget"),
        r.generated,
        t("from", "fra"),
        r.sources
            .iter()
            .map(|s| format!("`{}`", cell(s)))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    let read = s.checked + s.not_checked;
    writeln!(
        w,
        "- **{}** {}: {} {}, {} {}, {} {}",
        s.files,
        t("files", "filer"),
        s.checked,
        t("checked", "kontrollert"),
        s.not_checked,
        t("not (fully) checked", "ikke (helt) kontrollert"),
        s.unreadable,
        t("could not be read", "kunne ikke leses"),
    )?;
    writeln!(
        w,
        "- **{} %** {} ({} {} {read})",
        percent(r.total.labelled(), read, r.lang),
        t("labelled", "merket"),
        r.total.labelled(),
        t("of", "av"),
    )?;
    writeln!(
        w,
        "- **{}** {}",
        r.total.under_labelled,
        t(
            "files whose content requires a higher class than their label",
            "filer der innholdet krever høyere klasse enn merkingen"
        )
    )?;
    writeln!(
        w,
        "- **{}** {}",
        s.files_with_personal_data,
        t(
            "files with possible personal data",
            "filer med mulige personopplysninger"
        )
    )?;
    writeln!(
        w,
        "- **{}** {}\n",
        r.total.unencrypted_protected,
        t(
            "files labelled Beskyttet or Strengt beskyttet and not encrypted",
            "filer merket Beskyttet eller Strengt beskyttet som ikke er kryptert"
        )
    )?;
    writeln!(w, "## {}\n", t("Per business", "Per virksomhet"))?;
    let b = tables::businesses(r);
    // The columns a manager reads first.
    let keep = [0, 1, 3, 7, 17, 18, 20, 23];
    table(&pick(&b, &keep), w)?;
    if !r.files_to_fix.is_empty() {
        writeln!(
            w,
            "\n## {}\n",
            t("Files to fix first", "Filer å rette først")
        )?;
        for (i, f) in r.files_to_fix.iter().take(TOP).enumerate() {
            writeln!(
                w,
                "{}. `{}` ({}) — {} {}: {}",
                i + 1,
                cell(&f.path),
                cell(&f.business),
                severity_name(f.severity, r.lang),
                f.rule,
                cell(&f.reason)
            )?;
        }
        if r.files_with_findings > TOP {
            writeln!(
                w,
                "\n{} {} {}",
                r.files_with_findings - TOP,
                t("more files with findings", "filer til med funn"),
                t("(see the full report)", "(se hele rapporten)")
            )?;
        }
    }
    Ok(())
}

fn pick(t: &Table, columns: &[usize]) -> Table {
    Table {
        headings: columns.iter().map(|&i| t.headings[i]).collect(),
        rows: t
            .rows
            .iter()
            .map(|r| columns.iter().map(|&i| r[i].clone()).collect())
            .collect(),
    }
}

fn table(t: &Table, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "| {} |", t.headings.join(" | "))?;
    let align: Vec<&str> = (0..t.headings.len())
        .map(|i| if i == 0 { "---" } else { "---:" })
        .collect();
    writeln!(w, "| {} |", align.join(" | "))?;
    let last = t.rows.len().saturating_sub(1);
    for (n, row) in t.rows.iter().enumerate() {
        let cells: Vec<String> = row
            .iter()
            .map(|c| {
                if n == last {
                    format!("**{}**", cell(c))
                } else {
                    cell(c)
                }
            })
            .collect();
        writeln!(w, "| {} |", cells.join(" | "))?;
    }
    Ok(())
}

/// Text in a Markdown table cell or code span: no pipes, backticks or line breaks.
fn cell(s: &str) -> String {
    s.replace('|', "\\|")
        .replace('`', "'")
        .replace(['\n', '\r'], " ")
}
