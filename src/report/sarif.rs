//! The report's findings as SARIF 2.1.0, as GitHub code scanning takes it: every result has
//! a physical location (the document, `region.startLine` 1: GitHub computes no fingerprint
//! without a line), the place inside the document in its message (GitHub ignores logical
//! locations), and the finding's own fingerprint as `partialFingerprints`. Accepted
//! findings carry a suppression. Rules with their help in the report's language.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::business::{FindingRow, Report, place};
use crate::model::{Lang, Severity};

/// What GitHub reads of a description, at most.
const DESCRIPTION_MAX: usize = 1024;

pub fn write(r: &Report, w: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, &sarif(r))?;
    writeln!(w)
}

pub fn sarif(r: &Report) -> Value {
    let rules: Vec<Value> = r
        .rules
        .iter()
        .map(|x| {
            json!({
                "id": x.id,
                "name": x.id.replace('-', ""),
                "shortDescription": { "text": cut(&x.summary) },
                "fullDescription": { "text": cut(&x.explain) },
                "help": { "text": x.explain },
                "defaultConfiguration": { "level": level(x.severity) },
            })
        })
        .collect();
    let index = |id: &str| r.rules.iter().position(|x| x.id == id);
    let results: Vec<Value> = r
        .findings
        .iter()
        .map(|row| {
            let f = &row.finding;
            let mut message = f.message.to_string();
            if let Some(l) = &f.location {
                let at = if r.lang == Lang::Nb { "i" } else { "at" };
                message = format!("{message} [{at} {}]", place(l, r.lang));
            }
            let mut result = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": message },
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact(row),
                        "region": { "startLine": 1 }
                    }
                }],
                "partialFingerprints": { "o365lint/v1": f.fingerprint },
                "properties": { "business": row.business.as_str() },
            });
            if let Some(i) = index(&f.rule) {
                result["ruleIndex"] = json!(i);
            }
            if let Some(why) = &f.suppressed {
                result["suppressions"] =
                    json!([{ "kind": "external", "justification": why.as_str() }]);
            }
            result
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "o365lint",
                "version": r.tool.version,
                "rules": rules,
            }},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }]
    })
}

/// Where the document is: its path from the scan root, relative to `SCANROOT` (where a
/// repository or share is checked out, so GitHub can place it), else an absolute `file:`
/// URI.
fn artifact(row: &FindingRow) -> Value {
    let path = if row.root_path.is_empty() {
        row.path.as_str()
    } else {
        row.root_path.as_str()
    };
    let path = path.replace('\\', "/");
    let absolute = path.starts_with('/') || path.as_bytes().get(1) == Some(&b':');
    if absolute {
        let path = path.trim_start_matches('/');
        json!({ "uri": format!("file:///{}", uri(path)) })
    } else {
        json!({ "uri": uri(path.trim_start_matches("./")), "uriBaseId": "SCANROOT" })
    }
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info | Severity::Off => "note",
    }
}

/// A description GitHub shows whole: at most 1,024 characters.
fn cut(s: &str) -> String {
    if s.chars().count() <= DESCRIPTION_MAX {
        return s.to_string();
    }
    let mut out: String = s.chars().take(DESCRIPTION_MAX - 1).collect();
    out.push('…');
    out
}

/// A path as a relative URI reference: `/` separators, and every byte that a URI may not
/// hold as it is percent-encoded (spaces, `#`, `?`, `%`, letters beyond ASCII).
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.replace('\\', "/").bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' => out.push(b as char),
            b'-' | b'.' | b'_' | b'~' | b'/' | b'!' | b'$' | b'&' | b'\'' | b'(' | b')' => {
                out.push(b as char)
            }
            b'*' | b'+' | b',' | b';' | b'=' | b':' | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references() {
        assert_eq!(
            uri("Bydel Frogner/sak 151086*****.docx"),
            "Bydel%20Frogner/sak%20151086*****.docx"
        );
        assert_eq!(uri("a\\b#1?.xlsx"), "a/b%231%3F.xlsx");
        assert_eq!(uri("møte.docx"), "m%C3%B8te.docx");
    }
}
