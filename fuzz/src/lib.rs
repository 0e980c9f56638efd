//! The bodies of the fuzz targets, in one place: each `fuzz_targets/<name>.rs` calls the
//! function of its name, and `tests/fuzzed.rs` (stable Rust, `cargo test`) includes this file
//! to replay the inputs kept under `tests/fuzzed/<name>/` and the demo documents through
//! the same functions. A body panics when it finds a bug: a panic in the code under test,
//! or a broken property (the XML tokenizer reads a part the same whole and streamed, a
//! valid fødselsnummer survives masking, a result does not read back from its JSON).
//!
//! This file uses only `o365lint` and the standard library, so that both crates build it.

use std::io::Cursor;
use std::sync::{Arc, OnceLock};

use o365lint::detect::Detectors;
use o365lint::detect::fnr;
use o365lint::engine::Engine;
use o365lint::model::{ErrorKind, FileResult, Flags, Kind, Source};
use o365lint::read::container::lazy::Lazy;
use o365lint::read::container::{self, Limits, dataspace, ole, propset};
use o365lint::read::error::PartError;
use o365lint::read::ooxml::{self, drawingml, opc, props, spreadsheetml, wordml};
use o365lint::read::text::{Batch, Emitter, Piece, SharedStrings};
use o365lint::read::xml::{self, Event, Reader};
use o365lint::read::{label, plain};

/// A target's body: panics on a bug.
pub type Body = fn(&[u8]);

/// Every target by name: `fuzz_targets/<name>.rs` runs its body.
pub const TARGETS: &[(&str, Body)] = &[
    ("sniff", sniff),
    ("zip", zip),
    ("ole", ole),
    ("propset", propset),
    ("dataspace", dataspace),
    ("label_info", label_info),
    ("opc", opc),
    ("wordml", wordml),
    ("spreadsheetml", spreadsheetml),
    ("drawingml", drawingml),
    ("props", props),
    ("xml", xml),
    ("plain", plain),
    ("fold", fold),
    ("mask", mask),
    ("engine", engine),
];

/// The container sniffer and the lock-file check, on the first bytes of a file.
pub fn sniff(data: &[u8]) {
    container::sniff(data);
    o365lint::read::document::is_lock_file(data, data.len() as u64);
}

/// A zip package: opened under the default limits, every part read whole and streamed,
/// every XML part verified, and the package-level reading (format, main part, labels).
pub fn zip(data: &[u8]) {
    let limits = Limits::default();
    let Ok(mut pkg) = container::zip::Package::open(Cursor::new(data), &limits) else {
        return;
    };
    let mut names: Vec<String> = pkg.names().map(str::to_owned).collect();
    names.sort();
    for name in &names {
        assert!(pkg.contains(name), "a listed part is not found: {name:?}");
        pkg.stored_name(name);
        if let Ok(Some(bytes)) = pkg.read(name) {
            assert!(bytes.len() as u64 <= limits.held(), "a part over the cap");
        }
        let _ = pkg.stream(name, |r| std::io::copy(r, &mut std::io::sink()));
    }
    let _ = pkg.verify_xml_parts();
    if let Ok(mut pkg) = container::zip::Package::open(Cursor::new(data), &limits) {
        let _ = ooxml::read(&mut pkg);
    }
}

/// An OLE compound file as a document (kind, protection, the streams the reader takes)
/// and as an embedded object.
pub fn ole(data: &[u8]) {
    let limits = Limits::default();
    if let Ok(mut f) = ole::Ole::open(Cursor::new(data), &limits) {
        let streams: &[&[&str]] = &[
            &[ole::DATA_SPACES, "DataSpaceMap"],
            &[ole::DATA_SPACES, "TransformInfo", "LabelInfo"],
            &[ole::SUMMARY_INFO],
            &["\u{5}SummaryInformation"],
            &["WordDocument"],
            &["Workbook"],
            &["EncryptedPackage"],
            &["EncryptionInfo"],
        ];
        for names in streams {
            if let Some(path) = f.find(names) {
                ole::display(&path);
            }
            if let Ok(Some(bytes)) = f.read_stream(names, 1 << 20) {
                let _ = propset::user_defined(&bytes);
                let _ = dataspace::parse_map(&bytes);
                let text = xml::decode(bytes);
                let _ = label::parse_label_info(&text, Source::LabelinfoStream);
            }
        }
    }
    // As a package's part is read: inflated as far as it is used, its declared size
    // taken from the input's first byte (true, short or long).
    let declared = match data.first().map(|b| b % 3) {
        Some(0) => data.len() as u64 / 2,
        Some(1) => data.len() as u64 * 2,
        _ => data.len() as u64,
    };
    let _ = ole::embedding(Lazy::new(data, declared), &limits);
}

/// The user-defined properties of a property set stream.
pub fn propset(data: &[u8]) {
    if let Ok(props) = propset::user_defined(data) {
        let mut labels = label::from_properties(
            props.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            Source::SummaryInformation,
        );
        label::resolve(&mut labels);
    }
}

/// A data space map (`\x06DataSpaces\DataSpaceMap`).
pub fn dataspace(data: &[u8]) {
    let _ = dataspace::parse_map(data);
}

/// A `LabelInfo.xml` part or stream.
pub fn label_info(data: &[u8]) {
    let text = xml::decode(data.to_vec());
    for source in [Source::Labelinfo, Source::LabelinfoStream] {
        if let Ok(mut labels) = label::parse_label_info(&text, source) {
            label::resolve(&mut labels);
        }
    }
}

/// Content types and relationships, with targets resolved as the package reader does.
pub fn opc(data: &[u8]) {
    let text = xml::decode(data.to_vec());
    if let Ok(types) = opc::ContentTypes::parse(&text) {
        types.of("word/document.xml");
        types.of("/xl/worksheets/sheet1.bin");
        for (part, _) in types.overrides() {
            types.of(part);
        }
    }
    for source in ["", "word/document.xml"] {
        for rel in opc::relationships(&text, source).unwrap_or_default() {
            opc::rels_part(&rel.target);
            opc::resolve(source, &rel.target);
            container::zip::normalize(&rel.target);
        }
    }
}

/// Every WordprocessingML part kind, over the part whole and streamed (the same pieces).
pub fn wordml(data: &[u8]) {
    use wordml::Part;
    let parts = [
        Part::Body,
        Part::Header,
        Part::Footer,
        Part::Footnotes,
        Part::Endnotes,
        Part::Comments,
        Part::Glossary,
    ];
    for part in parts {
        both_ways(data, |r, out| wordml::extract(r, part, "topptekst 1", out));
    }
}

/// Every SpreadsheetML part reader on the input: workbook, shared strings (whole and
/// streamed), styles, worksheet (whole and streamed, with the input's own shared strings
/// and styles), comments, persons, tables, pivot caches, external links, and the helpers.
pub fn spreadsheetml(data: &[u8]) {
    use spreadsheetml as s;
    let text = xml::decode(data.to_vec());
    let held = Limits::default().held();
    let _ = collect(|out| s::workbook(&text, out).map(drop));
    let whole = s::shared_strings(text.as_str(), held);
    let streamed = s::shared_strings(Reader::stream(data), held);
    let strings = match (whole, streamed) {
        (Ok(a), Ok(b)) => {
            assert_eq!(
                strings_of(&a),
                strings_of(&b),
                "shared strings: whole ≠ streamed"
            );
            a
        }
        (Err(a), Err(b)) => {
            assert_eq!(
                a.to_string(),
                b.to_string(),
                "shared strings: errors differ"
            );
            fallback_strings()
        }
        (a, b) => panic!(
            "shared strings: whole {:?} ≠ streamed {:?}",
            a.map(|t| t.len()),
            b.map(|t| t.len())
        ),
    };
    let strings = Arc::new(strings);
    let styles = s::Styles::parse(&text).unwrap_or_default();
    let cx = s::SheetContext {
        name: "Ark1".into(),
        strings: &strings,
        styles: &styles,
    };
    both_ways(data, |r, out| s::worksheet(r, &cx, out));
    let sheet: Arc<str> = "Ark1".into();
    let _ = collect(|out| s::comments(&text, &sheet, out));
    let _ = collect(|out| s::threaded_comments(&text, &sheet, out));
    let _ = collect(|out| s::persons(&text, out));
    let _ = collect(|out| s::table(&text, "Ark1", out));
    let area: Arc<str> = "pivotbuffer 1".into();
    let fields = collect(|out| s::pivot_cache(&text, &area, out))
        .0
        .unwrap_or_default();
    both_ways(data, |r, out| s::pivot_records(r, &area, &fields, out));
    let _ = collect(|out| s::external_link(&text, 1, Some("C:\\kilde.xlsx"), out));
    s::header_footer_text(&text);
    s::unescape(&text);
    s::number_text(&text);
    s::cell_ref(&text);
    if let Some(pad) = s::Pad::parse(&text) {
        pad.show("1508695088");
        pad.show(&text);
    }
}

/// DrawingML text (slides, drawings, charts, SmartArt), whole and streamed, and
/// PowerPoint's comments and comment authors.
pub fn drawingml(data: &[u8]) {
    let text = xml::decode(data.to_vec());
    both_ways(data, |r, out| {
        drawingml::extract(r, Kind::Slide, "lysbilde 1", out)
    });
    let _ = collect(|out| drawingml::comments(&text, "lysbilde 1", out));
    let _ = collect(|out| drawingml::authors(&text, out));
}

/// Core, extended and custom properties (and the labels in custom ones), custom XML.
pub fn props(data: &[u8]) {
    let text = xml::decode(data.to_vec());
    let _ = collect(|out| props::emit(&text, false, out));
    let _ = collect(|out| props::emit(&text, true, out));
    let _ = collect(|out| props::emit_custom(&text, out));
    let _ = collect(|out| props::emit_xml(&text, "customXml 1", out));
    if let Ok(found) = props::custom(&text) {
        let mut labels = label::from_properties(
            found.iter().map(|(k, v)| (k.as_str(), v.as_str())),
            Source::CustomProperties,
        );
        label::resolve(&mut labels);
    }
}

/// The XML tokenizer: the events of a part read whole (`Reader::new` over the decoded
/// text) and streamed (`Reader::stream` over the bytes) are the same, and so is how the
/// read ends. Every tag's attributes and every text are resolved on the way.
pub fn xml(data: &[u8]) {
    let text = xml::decode(data.to_vec());
    let mut whole = Reader::new(&text);
    let mut streamed = Reader::stream(data);
    for n in 0.. {
        let a = whole.read_event().map(|e| event(&e));
        let b = streamed.read_event().map(|e| event(&e));
        match (a, b) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a, b, "event {n}: whole ≠ streamed");
                if a.is_empty() {
                    return;
                }
            }
            (Err(a), Err(b)) => {
                assert_eq!(a.to_string(), b.to_string(), "event {n}: errors differ");
                return;
            }
            (a, b) => panic!(
                "event {n}: whole {:?} ≠ streamed {:?}",
                a.map_err(|e| e.to_string()),
                b.map_err(|e| e.to_string())
            ),
        }
    }
}

/// An event as a string (empty for the end of the part), attributes and text resolved.
fn event(e: &Event<'_>) -> String {
    match e {
        Event::Start(t) | Event::Empty(t) | Event::End(t) => {
            let kind = match e {
                Event::Start(_) => "start",
                Event::Empty(_) => "empty",
                _ => "end",
            };
            let [id, name, val] = t.attrs(["id", "name", "val"]);
            let decls: Vec<_> = t.declarations().collect();
            format!(
                "{kind} {} {} {id:?} {name:?} {val:?} {:?} {:?} {decls:?}",
                t.name(),
                t.local(),
                t.rel_id(),
                t.plain_attr("Target"),
            )
        }
        Event::Text(t) | Event::CData(t) => {
            let mut s = String::new();
            t.push_to(&mut s);
            format!("text {:?} {s:?}", t.raw())
        }
        Event::Eof => String::new(),
    }
}

/// HTML and RTF as Word imports them.
pub fn plain(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    plain::html(&text);
    plain::rtf(&text);
}

/// Folding text for detection: every byte of the folded text maps back to a character
/// boundary of the original, in order, and folding folded text changes nothing.
pub fn fold(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Some(f) = o365lint::detect::fold::fold(&text) else {
        return;
    };
    let mut last = 0;
    for i in 0..=f.text.len() {
        let o = f.original(i);
        assert!(o <= text.len(), "original({i}) = {o} past the end");
        assert!(o >= last, "original({i}) = {o} goes back (from {last})");
        if f.text.is_char_boundary(i) {
            assert!(
                text.is_char_boundary(o),
                "original({i}) = {o} inside a character"
            );
        }
        last = o;
    }
    for o in 0..=text.len() {
        assert!(f.folded(o) <= f.text.len());
    }
    assert!(
        o365lint::detect::fold::fold(&f.text).is_none(),
        "folding folded text changes it: {:?}",
        f.text
    );
}

/// Masking, as text and as a path: never panics, and no fødselsnummer the text shows on its
/// own (11 digits, no digit group joined to it) survives it.
pub fn mask(data: &[u8]) {
    let det = detectors();
    let text = String::from_utf8_lossy(data);
    let shown = standalone_fnrs(&text, det, false);
    for masked in [det.mask(&text), det.mask_path(&text)] {
        for left in standalone_fnrs(&masked, det, false) {
            assert!(
                !shown.contains(&left),
                "a fødselsnummer survived masking: {left} in {masked:?}"
            );
        }
    }
    det.masked(&text);
}

/// The whole engine on a document given as bytes: no panic (the engine turns one into an
/// `internal` error), the result reads back from its JSON, and no fødselsnummer standing
/// alone is in it.
pub fn engine(data: &[u8]) {
    let r = engine_result(data);
    assert!(
        r.error_kind != Some(ErrorKind::Internal),
        "the engine caught a panic at {}: {:?}",
        PANICKED_AT.take().unwrap_or_default(),
        r.error
    );
    let json = serde_json::to_string(&r).expect("a result serialises");
    let back: FileResult = serde_json::from_str(&json).expect("a result reads back from JSON");
    assert_eq!(
        json,
        serde_json::to_string(&back).unwrap(),
        "JSON round trip"
    );
    let leaked = standalone_fnrs(&json, detectors(), true);
    assert!(leaked.is_empty(), "unmasked in the result: {leaked:?}");
}

/// The engine's result for `data` named as a Word document.
pub fn engine_result(data: &[u8]) -> FileResult {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    let engine = ENGINE.get_or_init(|| {
        // The engine replaces the panic hook with one that withholds the message; keep
        // the fuzzer's (which aborts) or the test harness's, noting where a panic was.
        let hook = std::panic::take_hook();
        let engine = Engine::built_in();
        std::panic::set_hook(Box::new(move |info| {
            let at = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()));
            PANICKED_AT.set(at);
            hook(info)
        }));
        engine
    });
    engine.check_bytes("dokument.docx", data)
}

thread_local! {
    /// Where the last panic on this thread was (`file:line`), for the engine's caught ones.
    static PANICKED_AT: std::cell::Cell<Option<String>> = const { std::cell::Cell::new(None) };
}

fn detectors() -> &'static Detectors {
    static DETECTORS: OnceLock<Detectors> = OnceLock::new();
    DETECTORS.get_or_init(Detectors::built_in)
}

/// The runs of exactly 11 ASCII digits in `text` as folded that no separator joins to
/// other digits and that are valid fødselsnummer-family numbers by the 1964 control digits
/// today. With `words`, a run must not touch a letter either (hashes are hex).
fn standalone_fnrs(text: &str, det: &Detectors, words: bool) -> Vec<String> {
    let folded = o365lint::detect::fold::fold(text);
    let t = folded.as_ref().map_or(text, |f| f.text.as_str());
    let b = t.as_bytes();
    let joins = |c: char| " \u{A0}\u{202F}\u{2009}-\u{2011}.:".contains(c);
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        if i - start != 11 {
            continue;
        }
        let before = t[..start].chars().next_back();
        let before2 = t[..start - before.map_or(0, char::len_utf8)]
            .chars()
            .next_back();
        let after = t[i..].chars().next();
        let after2 = after.and_then(|c| t[i + c.len_utf8()..].chars().next());
        let digit = |c: Option<char>| c.is_some_and(|c| c.is_ascii_digit());
        let joined = before.is_some_and(joins) && digit(before2)
            || after.is_some_and(joins) && digit(after2);
        let worded = words
            && (before.is_some_and(char::is_alphanumeric)
                || after.is_some_and(char::is_alphanumeric));
        if joined || worded {
            continue;
        }
        let run = &t[start..i];
        let valid = fnr::digits(run)
            .and_then(|d| fnr::classify(&d, det.today).ok())
            .is_some_and(|(_, rule)| rule == fnr::Rule::R1964);
        if valid {
            out.push(run.to_string());
        }
    }
    out
}

/// Runs a part reader over `data` read whole and streamed: the same pieces, and the same
/// outcome.
fn both_ways<T>(data: &[u8], f: impl Fn(Reader<'_>, &mut Emitter) -> Result<T, PartError>) {
    let text = xml::decode(data.to_vec());
    let (a, pa) = collect(|out| f(Reader::new(&text), out).map(drop));
    let (b, pb) = collect(|out| f(Reader::stream(data), out).map(drop));
    let (a, b) = (a.map_err(|e| e.to_string()), b.map_err(|e| e.to_string()));
    assert_eq!(a, b, "whole and streamed end differently");
    assert_eq!(
        pa.len(),
        pb.len(),
        "whole and streamed give different pieces"
    );
    for (x, y) in pa.iter().zip(&pb) {
        assert_eq!(x, y, "whole and streamed give different pieces");
    }
}

/// The pieces a reader emits, with its result.
fn collect<T>(f: impl FnOnce(&mut Emitter) -> T) -> (T, Vec<Piece>) {
    let mut got = Vec::new();
    let mut sink = |b: &Batch| got.extend(b.pieces.iter().cloned());
    let mut out = Emitter::new("part.xml", Flags::NONE, &mut sink);
    let r = f(&mut out);
    drop(out);
    // A cut piece is noted for the part being read; the next part starts afresh.
    xml::take_cut();
    (r, got)
}

fn strings_of(s: &SharedStrings) -> Vec<&str> {
    (0..s.len() as u32).map(|i| s.get(i)).collect()
}

/// A shared string table for sheets whose input has none that reads.
fn fallback_strings() -> SharedStrings {
    let texts = ["Navn", "151086 95088", "", "fødselsnummer"];
    let mut ends = Vec::new();
    let mut end = 0;
    for t in texts {
        end += t.len() as u32;
        ends.push(end);
    }
    SharedStrings::from_parts(texts.concat(), ends)
}
