//! Unit tests of the SpreadsheetML parsers on small sheets.

use super::*;
use crate::read::text::testing::{collect as run, summary, xorshift};

#[test]
fn absurd_references_do_not_overflow() {
    assert_eq!(cell_ref("C4"), Some((4, 3)));
    assert_eq!(cell_ref("ZZZZZZZZZ1"), None);
    assert_eq!(cell_ref("A99999999999"), None);
}

#[test]
fn escapes() {
    assert_eq!(unescape("a_x000D_b_x0041__x00zz_"), "a\rbA_x00zz_");
    assert_eq!(unescape("plain"), "plain");
}

#[test]
fn shared_strings_join_runs_without_phonetics() {
    let sst = shared_strings("<sst><si><t>Ola</t></si><si><r><t>1510</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">86 12345</t></r><rPh sb=\"0\" eb=\"1\"><t>ふり</t></rPh></si><si/></sst>", u64::MAX).unwrap();
    let got: Vec<&str> = (0..sst.len() as u32).map(|i| sst.get(i)).collect();
    assert_eq!(got, ["Ola", "151086 12345", ""]);
}

#[test]
fn short_numbers_are_told_as_number_text_would() {
    use crate::read::text::may_be_identifier;
    let mut values: Vec<String> = [
        "",
        " ",
        "0",
        "1234567",
        "12345678",
        "-15108612345",
        "-",
        "1.5108612345E10",
        "151086.12345",
        "999999.99999999999999",
        "9999999.9999999999",
        "123456.0",
        "1234567.0",
        "12.5e7",
        "0.1",
        ".5",
        "1E7",
        "15108612345",
        " 1234 ",
        "1,5",
    ]
    .map(String::from)
    .to_vec();
    for int in ["", "7", "999999", "1000000", "9999999", "12345678"] {
        for frac in [
            "",
            ".",
            ".0",
            ".000000000000000001",
            ".9999999999999999",
            ".25",
        ] {
            for exp in ["", "E0", "E2", "e-3", "E+9"] {
                values.push(format!("{int}{frac}{exp}"));
                values.push(format!("-{int}{frac}{exp}"));
            }
        }
    }
    // Fractions near a whole number, and the helper review's cases.
    for frac in [
        "000000001",
        "000000000",
        "999999998",
        "999999999",
        "99999999999",
        "5",
    ] {
        for int in ["0", "1", "999999", "123456"] {
            values.push(format!("{int}.{frac}"));
            values.push(format!("{int}.{frac}7"));
        }
    }
    values.extend(["1.0", "1.", "-1E14", "-15108612345.0", "1.5.5", "1.5e"].map(String::from));
    for v in &values {
        if short_number(v) {
            // Left as it is: passed over at the length the slow way would count.
            assert_eq!(number_text(v), trimmed(v), "{v:?}");
            assert!(!may_be_identifier(&number_text(v)), "{v:?}");
        }
    }
    // Random fractions, their digits mostly zeros and nines.
    let mut seed = 5u64;
    let mut next = |n: u64| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for _ in 0..50_000 {
        let digit = |k: u64| ["0", "9", "0", "9", "1", "5"][k as usize];
        let int: String = (0..next(8)).map(|_| digit(next(6))).collect();
        let frac: String = (0..next(22)).map(|_| digit(next(6))).collect();
        let v = format!("{int}.{frac}");
        if short_number(&v) {
            assert_eq!(number_text(&v), v.as_str(), "{v:?}");
        }
    }
    assert!(short_number("123456.5") && short_number("42") && short_number("999999.000000001"));
    for long in [
        "12345678",
        "1.5E10",
        "",
        "-1E20",
        "1.0",
        "1.",
        "999999.9999999999999",
    ] {
        assert!(!short_number(long), "{long:?}");
    }
}

#[test]
fn zero_padding_formats() {
    let p = Pad::parse("00000000000").unwrap();
    assert_eq!(p.show("1018012345"), "01018012345");
    let p = Pad::parse("000000\\ 00000").unwrap();
    assert_eq!(p.show("1018012345"), "010180 12345");
    assert_eq!(Pad::parse("00000").unwrap().show("1234567"), "1234567");
    assert!(Pad::parse("0.00").is_none());
    assert!(Pad::parse("#,##0").is_none());
    assert!(Pad::parse("0").is_none());
    assert_eq!(number_text("1.018012345E10"), "10180123450");
    assert_eq!(number_text("12.5"), "12.5");
}

/// `number_text` writes a whole number as `format!("{f:.0}")` does, without it.
#[test]
fn whole_numbers_written_as_the_float_formatter_writes_them() {
    let plain = |v: &str| match v.trim().parse::<f64>() {
        Ok(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        _ => v.trim().to_string(),
    };
    let mut values: Vec<String> = [
        "-0",
        "-0.0",
        "0.0",
        "-0e5",
        "1e14",
        "-1e14",
        "999999999999999",
        "-999999999999999",
        "1e15",
        "1E3",
        "5.0",
        "-5",
        "+7",
        "1.018012345E10",
        "12.5",
        "NaN",
        "inf",
        "-inf",
        "0x10",
        "",
        " 42 ",
        "4.2e1",
        "123456789012345.0",
        "9.99999999999999e14",
    ]
    .map(String::from)
    .to_vec();
    let mut word = xorshift(0x9E37_79B9_7F4A_7C15);
    for _ in 0..20_000 {
        let x = word();
        let f = f64::from_bits(x);
        values.push(format!("{f:e}"));
        values.push(format!("{}", (x % 2_000_000_000_000_000) as f64 - 1e15));
        values.push(format!("{}", (x >> 40) as f64 / 8.0));
    }
    for v in &values {
        assert_eq!(number_text(v), plain(v), "{v:?}");
    }
}

#[test]
fn unwanted_numbers_are_passed_over_with_their_flags_and_budget() {
    // Collects what reaches the sink, as the scan's sink does.
    struct Numbers {
        every: bool,
        cells: Vec<String>,
        passed_over: Flags,
    }
    impl crate::read::text::Sink for Numbers {
        fn batch(&mut self, b: &crate::read::text::Batch<'_>) {
            self.cells
                .extend(b.pieces.iter().map(|p| p.text.to_string()));
            self.passed_over |= b.passed_over.unwrap_or_default();
        }
        fn every_number(&self) -> bool {
            self.every
        }
    }
    let styles = Styles::parse("<styleSheet/>").unwrap();
    let strings = crate::read::text::testing::shared_strings(&["Fnr"]);
    let cx = SheetContext {
        name: "Ark1".into(),
        strings: &strings,
        styles: &styles,
    };
    let sheet = "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\"><v>12</v></c><c r=\"C1\"><v>15108695088</v></c></row><row r=\"2\" hidden=\"1\"><c r=\"A2\"><v>151086.95088</v></c><c r=\"B2\"><v>1.5108695088E10</v></c><c r=\"C2\"><v> </v></c><c r=\"D2\"><v>1.0</v></c><c r=\"E2\"><v>123.25</v></c><c r=\"F2\"><v>-5</v></c><c r=\"G2\"><v>999999.9999999999999</v></c></row></sheetData></worksheet>";
    let read = |every| {
        let mut sink = Numbers {
            every,
            cells: Vec::new(),
            passed_over: Flags::NONE,
        };
        let mut out = Emitter::new("xl/worksheets/sheet1.xml", Flags::NONE, &mut sink);
        worksheet(sheet, &cx, &mut out).unwrap();
        let spent = out.spent();
        drop(out);
        (sink.cells, sink.passed_over, spent)
    };
    let (all, none, spent) = read(true);
    assert_eq!(
        all,
        [
            "Fnr",
            "12",
            "15108695088",
            "151086.95088",
            "15108695088",
            "1",
            "123.25",
            "-5",
            "1000000"
        ]
    );
    assert_eq!(none, Flags::NONE);
    // Written out from its exponent, the last number can be an identifier.
    let (wanted, passed_over, spent_too) = read(false);
    assert_eq!(wanted, ["Fnr", "15108695088", "15108695088"]);
    assert_eq!(passed_over, Flags::HIDDEN_ROW);
    // Numbers passed over count as much against the text budget as pushed ones, each
    // at its length as written out (`1.0` as `1`), whichever way it was told.
    assert_eq!(spent_too, spent);
}

/// The pieces of sheet `Ark1` with these styles and shared strings.
fn sheet_pieces(xml: &str, styles: &Styles, strings: &[&str]) -> Vec<Piece> {
    let strings = crate::read::text::testing::shared_strings(strings);
    let cx = SheetContext {
        name: "Ark1".into(),
        strings: &strings,
        styles,
    };
    run(|out| worksheet(xml, &cx, out).unwrap())
}

/// The pieces of sheet `Ark1` with no shared strings and no styles.
fn plain_sheet(xml: &str) -> Vec<Piece> {
    sheet_pieces(xml, &Styles::default(), &[])
}

/// Sheets of every kind of cell read alike with their cells, values and formulas written
/// plainly (read in one call each) and with prefixes (read as events): numbers short and
/// long, shared and inline strings, formulas, padded styles, hidden rows and columns,
/// white space, and cells left open.
#[test]
fn cells_read_in_one_call_as_events_read_them() {
    let styles = Styles::parse("<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"00000000000\"/></numFmts><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>").unwrap();
    let strings = ["Fødselsnummer", "Ola", "15108695088"];
    let types = [
        "",
        " t=\"n\"",
        " t=\"s\"",
        " t=\"str\"",
        " t=\"b\"",
        " t=\"e\"",
        " t=\"d\"",
    ];
    let values = [
        "12",
        "1.5",
        "-5",
        "1e3",
        "15108695088",
        "1018012345",
        "0",
        "2",
        "a&amp;b",
        "",
        " 7 ",
        "1.0",
        "12345678.25",
    ];
    let bodies = [
        "<v>{}</v>",
        "<f>A1+1</f><v>{}</v>",
        "<f t=\"shared\" si=\"0\"/><v>{}</v>",
        " <v>{}</v>",
        "<v>{}</v><v>9</v>",
        "<is><t>{}</t></is>",
        "",
    ];
    let mut word = xorshift(0x5EED);
    let mut next = |n: usize| (word() % n as u64) as usize;
    for _ in 0..300 {
        let mut xml = String::from(
            "<worksheet><cols><col min=\"2\" max=\"3\" hidden=\"1\"/></cols><sheetData>",
        );
        let mut open = 0;
        for row in 1..=next(6) + 1 {
            let hidden = if next(4) == 0 { " hidden=\"1\"" } else { "" };
            xml += &format!("<row r=\"{row}\"{hidden}>");
            for col in 1..=next(6) + 1 {
                let at = format!("{}{row}", (b'A' + col as u8 - 1) as char);
                let (t, s) = (types[next(types.len())], ["", " s=\"1\""][next(2)]);
                let body = bodies[next(bodies.len())].replace("{}", values[next(values.len())]);
                // Now and then a cell left open: the next one replaces it; and a close
                // tag for one left open before, which ends no cell.
                let end = match next(12) {
                    0 => {
                        open += 1;
                        ""
                    }
                    1 if open > 0 => {
                        open -= 1;
                        "</c></c>"
                    }
                    _ => "</c>",
                };
                xml += &format!("<c r=\"{at}\"{t}{s}>{body}{end}");
            }
            xml += "</row>";
        }
        xml += "</sheetData></worksheet>";
        let events = ["c", "v", "f", "row", "is", "t"]
            .iter()
            .fold(xml.clone(), |x, e| {
                x.replace(&format!("<{e}>"), &format!("<x:{e}>"))
                    .replace(&format!("<{e} "), &format!("<x:{e} "))
                    .replace(&format!("</{e}>"), &format!("</x:{e}>"))
            });
        assert_ne!(events, xml);
        let read = |xml: &str| -> Vec<String> {
            sheet_pieces(xml, &styles, &strings)
                .iter()
                .map(|p| format!("{p:?}"))
                .collect()
        };
        assert_eq!(read(&xml), read(&events), "{xml}");
    }
}

#[test]
fn a_value_past_the_piece_cap_is_cut_whether_read_in_one_call_or_as_events() {
    let big = "a".repeat(xml::MAX_PIECE + 1);
    // White space before `<v>` makes it events; without, one call.
    let [one_call, events] = ["", " "].map(|space| {
        let sheet = format!(
            "<worksheet><sheetData><row r=\"1\"><c r=\"A1\" t=\"str\">{space}<v>{big}</v></c>\
             <c r=\"B1\" t=\"str\"><v>b</v></c></row></sheetData></worksheet>"
        );
        xml::take_cut();
        let p = plain_sheet(&sheet);
        (
            xml::take_cut(),
            p.iter().map(|p| p.text.len()).collect::<Vec<_>>(),
        )
    });
    assert_eq!(one_call, events);
    assert!(one_call.0, "the cut is recorded");
    assert!(one_call.1.iter().all(|&n| n <= xml::MAX_PIECE));
}

#[test]
fn formulas_and_their_values_however_written() {
    let cells = "<c r=\"A1\" t=\"str\"><f>\"a\"&amp;B1</f><v>ab</v></c>\
        <c r=\"B1\" t=\"str\"><f t=\"shared\" ref=\"B1:B2\" si=\"0\">UPPER(A1)</f><v>AB</v></c>\
        <c r=\"C1\" t=\"str\"><f>LOWER(A1)</f>\n<v>x</v></c>\
        <c r=\"D1\" t=\"str\"><v>y</v><f>T(A1)</f></c>";
    let p = plain_sheet(&format!(
        "<worksheet><sheetData><row r=\"1\">{cells}</row></sheetData></worksheet>"
    ));
    let got: Vec<(String, &str, String)> = summary(&p)
        .into_iter()
        .map(|(at, kind, text, _)| (at, kind, text))
        .collect();
    let want = [
        ("A1", "cell", "ab"),
        ("A1", "formula", "\"a\"&B1"),
        ("B1", "cell", "AB"),
        ("B1", "formula", "UPPER(A1)"),
        ("C1", "cell", "x"),
        ("C1", "formula", "LOWER(A1)"),
        ("D1", "cell", "y"),
        ("D1", "formula", "T(A1)"),
    ]
    .map(|(at, kind, text)| (format!("Ark1!{at}"), kind, text.to_string()));
    assert_eq!(got, want);
}

#[test]
fn cells_with_hidden_rows_columns_and_formats() {
    let styles = Styles::parse("<styleSheet><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"00000000000\"/></numFmts><cellXfs count=\"2\"><xf numFmtId=\"0\"/><xf numFmtId=\"164\"/></cellXfs></styleSheet>").unwrap();
    let p = sheet_pieces(
        "<worksheet><cols><col min=\"2\" max=\"3\" hidden=\"1\"/></cols><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c></row><row r=\"2\" hidden=\"1\"><c r=\"A2\" s=\"1\"><v>1018012345</v></c><c r=\"B2\" t=\"inlineStr\"><is><t>inne</t></is></c><c r=\"C2\" t=\"str\"><f>IF(A1=&quot;15108695088&quot;,1,0)</f><v>formel</v></c><c r=\"E2\"><f t=\"shared\" si=\"0\"/><v>2</v></c><c r=\"D2\" t=\"b\"><v>1</v></c></row></sheetData><dataValidations count=\"1\"><dataValidation type=\"list\" sqref=\"E1:E9\" prompt=\"Velg\"><formula1>\"Ja,Nei\"</formula1></dataValidation></dataValidations><headerFooter><oddHeader>&amp;L&amp;\"Arial,Bold\"Beskyttet&amp;RSide &amp;P</oddHeader></headerFooter></worksheet>",
        &styles,
        &["Fødselsnummer"],
    );
    assert_eq!(
        summary(&p),
        [
            ("Ark1!A1".into(), "cell", "Fødselsnummer".into(), vec![]),
            (
                "Ark1!A2".into(),
                "cell",
                "1018012345".into(),
                vec!["hidden-row"]
            ),
            (
                "Ark1!B2".into(),
                "cell",
                "inne".into(),
                vec!["hidden-row", "hidden-column"]
            ),
            (
                "Ark1!C2".into(),
                "cell",
                "formel".into(),
                vec!["hidden-row", "hidden-column"]
            ),
            (
                "Ark1!C2".into(),
                "formula",
                "IF(A1=\"15108695088\",1,0)".into(),
                vec!["hidden-row", "hidden-column"]
            ),
            // A shared formula's other cells: the value only.
            ("Ark1!E2".into(), "cell", "2".into(), vec!["hidden-row"]),
            (
                "Ark1, datavalidering E1:E9".into(),
                "data-validation",
                "Velg\nJa,Nei".into(),
                vec![]
            ),
            (
                "Ark1, topptekst (oddHeader)".into(),
                "header",
                "Beskyttet Side".into(),
                vec![]
            ),
        ]
    );
    assert_eq!(p[1].shown.as_deref(), Some("01018012345"));
    assert!(p[1].number);
}

#[test]
fn workbook_sheets_and_names() {
    let mut sheets = Vec::new();
    let p = run(|out| {
        sheets = workbook("<workbook><sheets><sheet name=\"Ark1\" sheetId=\"1\" r:id=\"rId1\"/><sheet name=\"Skjult\" sheetId=\"2\" state=\"veryHidden\" r:id=\"rId2\"/></sheets><definedNames><definedName name=\"_xlnm.Print_Area\">Ark1!$A$1</definedName><definedName name=\"Sjef\" hidden=\"1\">\"Kari\"</definedName></definedNames></workbook>", out).unwrap()
    });
    assert_eq!(sheets[1].name, "Skjult");
    assert!(sheets[1].hidden && !sheets[0].hidden);
    assert_eq!(sheets[1].rel_id, "rId2");
    assert_eq!(
        summary(&p),
        [
            (
                "arkfane 1".into(),
                "sheet-name",
                "Ark1".into(),
                vec!["metadata"]
            ),
            (
                "arkfane 2".into(),
                "sheet-name",
                "Skjult".into(),
                vec!["hidden-sheet", "metadata"]
            ),
            (
                "navn «Sjef»".into(),
                "defined-name",
                "Sjef = \"Kari\"".into(),
                vec!["hidden", "metadata"]
            ),
        ]
    );
}

#[test]
fn comments_and_threads() {
    let sheet: Arc<str> = "Ark1".into();
    let p = run(|out| {
        comments("<comments><authors><author>Kari</author></authors><commentList><comment ref=\"B2\" authorId=\"0\"><text><r><rPr><b/></rPr><t>Kari:</t></r><r><t xml:space=\"preserve\">\nsjekk</t></r></text></comment></commentList></comments>", &sheet, out).unwrap();
        threaded_comments("<ThreadedComments><threadedComment ref=\"C3\" id=\"{1}\"><text>svar</text></threadedComment></ThreadedComments>", &sheet, out).unwrap();
    });
    assert_eq!(
        summary(&p),
        [
            (
                "Ark1, forfatter".into(),
                "comment",
                "Kari".into(),
                vec!["comment", "metadata"]
            ),
            (
                "Ark1!B2".into(),
                "comment",
                "Kari:\nsjekk".into(),
                vec!["comment"]
            ),
            ("Ark1!C3".into(), "comment", "svar".into(), vec!["comment"]),
        ]
    );
}

#[test]
fn pivot_caches_and_records() {
    let area: Arc<str> = "pivotbuffer 1".into();
    let p = run(|out| {
        let fields = pivot_cache("<pivotCacheDefinition><cacheFields><cacheField name=\"Navn\"><sharedItems><s v=\"Ola\"/><s v=\"Kari\"/></sharedItems></cacheField><cacheField name=\"Fnr\"><sharedItems containsNumber=\"1\"/></cacheField></cacheFields></pivotCacheDefinition>", &area, out).unwrap();
        pivot_records(
            "<pivotCacheRecords><r><x v=\"0\"/><n v=\"1.5108612345E10\"/></r></pivotCacheRecords>",
            &area,
            &fields,
            out,
        )
        .unwrap();
    });
    let texts: Vec<_> = p
        .iter()
        .map(|p| (p.place_name(), p.text.to_string()))
        .collect();
    assert_eq!(
        texts,
        [
            ("pivotbuffer 1, felt «Navn»".into(), "Navn".into()),
            ("pivotbuffer 1, felt «Navn»".into(), "Ola".into()),
            ("pivotbuffer 1, felt «Navn»".into(), "Kari".into()),
            ("pivotbuffer 1, felt «Fnr»".into(), "Fnr".into()),
            (
                "pivotbuffer 1, post 1, felt «Fnr»".into(),
                "15108612345".into()
            ),
        ]
    );
    assert!(p.iter().all(|p| p.flags == Flags::CACHE));
}

#[test]
fn tables_and_external_links() {
    let p = run(|out| {
        table("<table displayName=\"Ansatte\" name=\"Ansatte\"><tableColumns count=\"1\"><tableColumn id=\"1\" name=\"Fødselsnummer\"/></tableColumns></table>", "Ark1", out).unwrap();
        external_link("<externalLink><externalBook r:id=\"rId1\"><sheetNames><sheetName val=\"Lønn\"/></sheetNames><sheetDataSet><sheetData sheetId=\"0\"><row r=\"2\"><cell r=\"A2\"><v>Ola</v></cell></row></sheetData></sheetDataSet></externalBook></externalLink>", 1, Some("file:///C:/Users/ola/lønn.xlsx"), out).unwrap();
    });
    assert_eq!(
        summary(&p),
        [
            (
                "Ark1, tabell «Ansatte», kolonne 1".into(),
                "table-column",
                "Fødselsnummer".into(),
                vec![]
            ),
            (
                "ekstern kobling 1, kilde".into(),
                "external-link",
                "file:///C:/Users/ola/lønn.xlsx".into(),
                vec!["metadata", "cache"]
            ),
            (
                "ekstern kobling 1, ark 1".into(),
                "external-link",
                "Lønn".into(),
                vec!["cache"]
            ),
            (
                "'[1]Lønn'!A2".into(),
                "external-link",
                "Ola".into(),
                vec!["cache"]
            ),
        ]
    );
}

#[test]
fn header_footer_codes() {
    assert_eq!(
        header_footer_text("&L&\"Calibri,Fet\"&12&K00FF00Strengt beskyttet&C&&&R&P av &N"),
        "Strengt beskyttet & av"
    );
}
