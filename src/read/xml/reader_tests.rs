//! Unit tests of the XML tokenizer on small inputs.

use super::*;

fn events(xml: &str) -> Vec<String> {
    let whole = dump(Reader::new(xml));
    // The same part streamed a byte at a time reads the same.
    let trickle = dump(Reader::stream(Trickle(xml.as_bytes())));
    assert_eq!(whole, trickle, "{xml}");
    whole
}

/// A stream that gives one byte per read: every event is cut somewhere.
struct Trickle<'a>(&'a [u8]);

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let Some((&first, rest)) = self.0.split_first() else {
            return Ok(0);
        };
        buf[0] = first;
        self.0 = rest;
        Ok(1)
    }
}

fn dump(mut r: Reader<'_>) -> Vec<String> {
    let mut out = Vec::new();
    loop {
        let e = match r.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(t)) => format!("<{}|{}>", t.local(), t.attrs.trim()),
            Ok(Event::Empty(t)) => format!("<{}|{}/>", t.local(), t.attrs.trim()),
            Ok(Event::End(t)) => format!("</{}>", t.local()),
            Ok(Event::Text(t) | Event::CData(t)) => {
                let mut s = String::new();
                t.push_to(&mut s);
                format!("{s:?}")
            }
            Err(e) => format!("error: {e}"),
        };
        let stop = e.starts_with("error");
        out.push(e);
        if stop {
            break;
        }
    }
    out
}

#[test]
fn tags_text_and_what_is_skipped() {
    let xml = "<?xml version=\"1.0\"?>\n<!DOCTYPE x [<!ENTITY e \"a>b\">]><w:p a=\"1\" b='x>\"y'>\
               <!-- c > d --><w:t>A &amp; B &#229;&#xE5; &e; &bogus</w:t><br/><![CDATA[<&>]]></w:p>";
    assert_eq!(
        events(xml),
        [
            "\"\\n\"",
            "<p|a=\"1\" b='x>\"y'>",
            "<t|>",
            "\"A & B åå &e; &bogus\"",
            "</t>",
            "<br|/>",
            "\"<&>\"",
            "</p>",
        ]
    );
}

#[test]
fn attributes_by_local_name_resolved_and_normalised() {
    let mut r = Reader::new("<c r:id=\"rId1\" id=\"9\" x:t = 's' v=\"a&lt;b\r\nc\td&#10;e\"/>");
    let Ok(Event::Empty(t)) = r.read_event() else {
        panic!()
    };
    let [t_, v, missing] = t.attrs(["t", "v", "w"]);
    assert_eq!(t_.as_deref(), Some("s"));
    assert_eq!(v.as_deref(), Some("a<b c d\ne"));
    assert!(missing.is_none());
    assert_eq!(t.rel_id().as_deref(), Some("rId1"));
    assert_eq!(t.attr("id").as_deref(), Some("rId1"));
}

#[test]
fn tag_stop_finds_the_first_stop_byte_anywhere() {
    let base = b"abcdefghijklmnopqrstuvwxyz0123456789".to_vec();
    assert_eq!(tag_stop(&base), base.len());
    for at in 0..base.len() {
        for stop in [b'>', b'"', b'\''] {
            let mut b = base.clone();
            b[at] = stop;
            if at + 3 < b.len() {
                b[at + 3] = b'>';
            }
            assert_eq!(tag_stop(&b), at, "{at} {}", stop as char);
        }
    }
    // Bytes just above and below the stop bytes are no stop (0x3D, 0x3F, 0x21, 0x23).
    assert_eq!(tag_stop(b"=?!#&(=?!#&(x"), 13);
}

#[test]
fn find_byte_before_in_and_after_the_head() {
    for len in [0, 5, 8, 31, 32, 33, 100] {
        let mut b = vec![b'x'; len];
        assert_eq!(find_byte(b'<', &b), None);
        for at in 0..len {
            b[at] = b'<';
            assert_eq!(find_byte(b'<', &b), Some(at), "{len} {at}");
            b[at] = b'x';
        }
    }
}

#[test]
fn streams_decode_like_whole_parts() {
    // Multi-byte characters cut by reads, a byte-order mark, invalid bytes.
    let xml = "<a t=\"æøå\">Blåbær – 😀</a>";
    assert_eq!(events(xml)[1], "\"Blåbær – 😀\"");
    let bom = format!("\u{FEFF}{xml}");
    assert_eq!(dump(Reader::stream(Trickle(bom.as_bytes()))), events(xml));
    let bad = b"<a>x\xFFy\xE2\x82</a>";
    let streamed = dump(Reader::stream(Trickle(bad)));
    let whole = super::super::decode(bad.to_vec());
    assert_eq!(streamed, dump(Reader::new(&whole)));
    assert_eq!(streamed[1], "\"x\u{FFFD}y\u{FFFD}\"");
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain("<a>å</a>".encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    assert_eq!(dump(Reader::stream(Trickle(&utf16)))[1], "\"å\"");
}

#[test]
fn quotes_in_comments_of_a_doctype_open_no_string() {
    let xml = "<!DOCTYPE w:document [<!-- don't --><?pi it's?>]><a>it's 1</a>";
    assert_eq!(events(xml), ["<a|>", "\"it's 1\"", "</a>"]);
}

#[test]
fn line_ends_become_newlines() {
    assert_eq!(events("<a>x\r\ny\rz</a>")[1], "\"x\\ny\\nz\"");
}

#[test]
fn broken_markup_is_an_error_with_its_place() {
    assert_eq!(
        events("<?xml?>\n</w:document x=\"1\">").last().unwrap(),
        "error: ill-formed XML at byte 8: close tag `</w:document>` does not match any open tag"
    );
    for (xml, what) in [
        ("<a><b c=\"1", "inside an attribute value"),
        ("<a><b", "inside a tag"),
        ("<a><!-- x", "inside a comment"),
        ("<a><![CDATA[x", "inside a CDATA section"),
        ("<a><", "inside a tag"),
    ] {
        let last = events(xml).pop().unwrap();
        assert!(last.contains(what), "{xml}: {last}");
    }
}

#[test]
fn skips_an_element_with_its_content() {
    let mut r = Reader::new("<a><Fallback><b><c/></b>text</Fallback><d/></a>");
    r.read_event().unwrap();
    r.read_event().unwrap();
    r.skip_to_end().unwrap();
    assert!(matches!(r.read_event().unwrap(), Event::Empty(t) if t.is("d")));
    let mut r = Reader::new("<a><b>");
    r.read_event().unwrap();
    assert!(r.skip_to_end().is_err());
}
