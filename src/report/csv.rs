//! The report's tables as CSV for Excel: `;` between cells and a UTF-8 byte order mark by
//! default, so Norwegian Excel opens the file with its letters and columns right. A cell
//! that a spreadsheet would take as a formula (`=`, `+`, `-`, `@`, a tab or a carriage
//! return first) is written with a `'` before it: a file name cannot run as a formula.

use std::io::{self, Write};

use super::tables::Table;

/// How to write: the delimiter, and whether to start with a byte order mark.
#[derive(Clone, Copy, Debug)]
pub struct Csv {
    pub delimiter: char,
    pub bom: bool,
}

impl Default for Csv {
    fn default() -> Self {
        Csv {
            delimiter: ';',
            bom: true,
        }
    }
}

impl Csv {
    pub fn write(&self, table: &Table, w: &mut dyn Write) -> io::Result<()> {
        if self.bom {
            w.write_all("\u{FEFF}".as_bytes())?;
        }
        let headings: Vec<String> = table.headings.iter().map(|h| h.to_string()).collect();
        self.line(&headings, w)?;
        for row in &table.rows {
            self.line(row, w)?;
        }
        Ok(())
    }

    fn line(&self, cells: &[String], w: &mut dyn Write) -> io::Result<()> {
        let cells: Vec<String> = cells.iter().map(|c| self.cell(c)).collect();
        write!(w, "{}\r\n", cells.join(&self.delimiter.to_string()))
    }

    fn cell(&self, text: &str) -> String {
        let text = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_number(text) {
            format!("'{text}")
        } else {
            text.to_string()
        };
        if text.contains([self.delimiter, '"', '\n', '\r']) {
            format!("\"{}\"", text.replace('"', "\"\""))
        } else {
            text
        }
    }
}

/// A plain number (`-3`, `12.5`): a count, never a formula.
fn is_number(s: &str) -> bool {
    s.parse::<f64>().is_ok() && s.bytes().all(|b| b.is_ascii_digit() || b"+-.".contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_cells_quoted() {
        let table = Table {
            headings: vec!["Fil", "Antall"],
            rows: vec![
                vec!["=HYPERLINK(\"http://x\")".into(), "3".into()],
                vec!["a;b".into(), "-1".into()],
                vec!["@SUM(A1)".into(), "+1".into()],
            ],
        };
        let mut out = Vec::new();
        Csv::default().write(&table, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "\u{FEFF}Fil;Antall\r\n\"'=HYPERLINK(\"\"http://x\"\")\";3\r\n\"a;b\";-1\r\n'@SUM(A1);+1\r\n"
        );
    }
}
