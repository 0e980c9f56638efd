//! The stories of a .doc, each cut into the places a person finds: paragraphs and table
//! cells of a flow (main text, headers, text boxes), or one piece per note or comment.

use std::ops::Range;
use std::sync::Arc;

use super::fib::{Fib, Lcb, plc};
use super::fkp::{DELETED, HIDDEN, IN_TABLE, INSERTED, ROW_END};
use super::pieces::Text;
use crate::model::{Flags, Kind};
use crate::read::text::{Emitter, Piece, Place, Span};
use crate::read::xml;

pub fn emit(fib: &Fib, table: &[u8], text: &Text, out: &mut Emitter) {
    let c = fib.ccp;
    let mut at = 0usize;
    let mut next = |len: u32| {
        let r = at..at.saturating_add(len as usize);
        at = r.end;
        r
    };
    let (main, ftn, hdd, _mcr, atn, edn, txbx, hdr_txbx) = (
        next(c.text),
        next(c.ftn),
        next(c.hdd),
        next(c.mcr),
        next(c.atn),
        next(c.edn),
        next(c.txbx),
        next(c.hdr_txbx),
    );
    let mut s = Story { text, out };
    s.flow(main, Kind::Body, &"".into());
    for (i, r) in parts(fib.slice(Lcb::PlcffndTxt, table), 0, &ftn) {
        s.whole(r, Kind::Footnote, &format!("fotnote {}", i + 1).into());
    }
    // Six separator stories, then per section: even/odd header, even/odd footer, first
    // page header and footer ([MS-DOC] §2.8.25).
    let (mut headers, mut footers) = (0, 0);
    for (i, r) in parts(fib.slice(Lcb::PlcfHdd, table), 0, &hdd) {
        if i < 6 {
            continue;
        }
        let area: Arc<str> = if matches!((i - 6) % 6, 2 | 3 | 5) {
            footers += 1;
            format!("bunntekst {footers}").into()
        } else {
            headers += 1;
            format!("topptekst {headers}").into()
        };
        let kind = if area.starts_with('b') {
            Kind::Footer
        } else {
            Kind::Header
        };
        s.flow(r, kind, &area);
    }
    let authors = authors(fib, table);
    for (i, r) in parts(fib.slice(Lcb::PlcfandTxt, table), 0, &atn) {
        let area: Arc<str> = format!("kommentar {}", i + 1).into();
        if let Some(a) = authors.get(i).filter(|a| !a.trim().is_empty()) {
            s.out.push(
                Piece::new(
                    a.as_str(),
                    Kind::Metadata,
                    &area,
                    Place::Named("forfatter".into()),
                )
                .with_flags(Flags::METADATA),
            );
        }
        s.whole(r, Kind::Comment, &area);
    }
    for (i, r) in parts(fib.slice(Lcb::PlcfendTxt, table), 0, &edn) {
        s.whole(r, Kind::Endnote, &format!("sluttnote {}", i + 1).into());
    }
    for (i, r) in parts(fib.slice(Lcb::PlcftxbxTxt, table), 22, &txbx) {
        s.flow(r, Kind::TextBox, &format!("tekstboks {}", i + 1).into());
    }
    for (i, r) in parts(fib.slice(Lcb::PlcfHdrtxbxTxt, table), 22, &hdr_txbx) {
        s.flow(
            r,
            Kind::TextBox,
            &format!("topptekst, tekstboks {}", i + 1).into(),
        );
    }
    out_flush(s.out);
}

fn out_flush(out: &mut Emitter) {
    out.flush();
}

/// The ranges a PLC cuts a story into, numbered from 0, empty ones left out. Positions are
/// relative to the story; the last range of a story is its closing mark.
fn parts(bytes: &[u8], size: usize, story: &Range<usize>) -> Vec<(usize, Range<usize>)> {
    let (cps, _) = plc(bytes, size);
    cps.windows(2)
        .enumerate()
        .filter_map(|(i, w)| {
            let start = story.start + (w[0] as usize).min(story.len());
            let end = story.start + (w[1] as usize).min(story.len());
            (start < end).then_some((i, start..end))
        })
        .collect()
}

/// Comment authors, by comment: ATRDPre10 (30 bytes, the owner's index at byte 20) into
/// GrpXstAtnOwners (length-prefixed UTF-16 names).
fn authors(fib: &Fib, table: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    let mut g = fib.slice(Lcb::GrpXstAtnOwners, table);
    while g.len() >= 2 {
        let n = usize::from(u16::from_le_bytes([g[0], g[1]]));
        let Some(b) = g.get(2..2 + 2 * n) else { break };
        let units: Vec<u16> = b
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
        names.push(String::from_utf16_lossy(&units));
        g = &g[2 + 2 * n..];
    }
    let (_, atrd) = plc(fib.slice(Lcb::PlcfandRef, table), 30);
    atrd.chunks_exact(30)
        .map(|a| {
            let i = usize::from(u16::from_le_bytes([a[20], a[21]]));
            names.get(i).cloned().unwrap_or_default()
        })
        .collect()
}

/// One paragraph's text as shown, with its inserted stretches marked, and what it hides:
/// deleted text, hidden text and field codes, each a piece of its own at the same place.
#[derive(Default)]
struct Buf {
    text: String,
    spans: Vec<Span>,
    deleted: String,
    hidden: String,
    fields: String,
}

impl Buf {
    fn append(&mut self, p: Buf) {
        let join = |a: &mut String, b: &str| {
            if !b.is_empty() && xml::fits(a, b.len() + 1) {
                if !a.is_empty() {
                    a.push('\n');
                }
                a.push_str(b);
            }
        };
        let base = self.text.len() + usize::from(!self.text.is_empty() && !p.text.is_empty());
        join(&mut self.text, &p.text);
        self.spans.extend(p.spans.into_iter().map(|s| Span {
            start: s.start + base,
            end: s.end + base,
            flags: s.flags,
        }));
        self.spans.retain(|s| s.end <= self.text.len());
        join(&mut self.deleted, &p.deleted);
        join(&mut self.hidden, &p.hidden);
        join(&mut self.fields, &p.fields);
    }
}

struct Story<'t, 'e, 'a, 's> {
    text: &'t Text,
    out: &'e mut Emitter<'a, 's>,
}

impl Story<'_, '_, '_, '_> {
    /// A flow: a piece per paragraph, and per table cell (`tabell 1, rad 2, kolonne 3`).
    fn flow(&mut self, r: Range<usize>, kind: Kind, area: &Arc<str>) {
        let (mut paras, mut tables) = (0u32, 0u32);
        let (mut row, mut col, mut in_table) = (0u32, 0u32, false);
        let mut cell = Buf::default();
        for (p, end, bits) in Paragraphs::new(self.text, r) {
            if self.out.exhausted() {
                return;
            }
            if end == 0x07 && bits & ROW_END != 0 {
                row += 1;
                col = 0;
                continue;
            }
            if end == 0x07 || bits & IN_TABLE != 0 {
                if !in_table {
                    (in_table, tables, row, col) = (true, tables + 1, 1, 0);
                }
                cell.append(p);
                if end == 0x07 {
                    col += 1;
                    let place = Place::Table {
                        table: tables,
                        row,
                        col,
                    };
                    let kind = if kind == Kind::Body {
                        Kind::Table
                    } else {
                        kind
                    };
                    self.push(std::mem::take(&mut cell), kind, area, place);
                }
                continue;
            }
            in_table = false;
            paras += 1;
            self.push(p, kind, area, Place::Paragraph(paras));
        }
    }

    /// A note or comment: one piece, its paragraphs joined by line breaks.
    fn whole(&mut self, r: Range<usize>, kind: Kind, area: &Arc<str>) {
        let mut all = Buf::default();
        for (p, _, _) in Paragraphs::new(self.text, r) {
            all.append(p);
        }
        self.push(all, kind, area, Place::Whole);
    }

    fn push(&mut self, mut b: Buf, kind: Kind, area: &Arc<str>, place: Place) {
        // A note starts with its reference mark and a tab: the text starts after them.
        let lead = b.text.len() - b.text.trim_start().len();
        if lead > 0 {
            b.text.drain(..lead);
            for s in &mut b.spans {
                (s.start, s.end) = (s.start.saturating_sub(lead), s.end.saturating_sub(lead));
            }
            b.spans.retain(|s| s.start < s.end);
        }
        let flags = if kind == Kind::Comment {
            Flags::COMMENT
        } else {
            Flags::NONE
        };
        let empty = |s: &str| s.trim().is_empty();
        if !empty(&b.text) {
            let mut piece = Piece::new(b.text, kind, area, place.clone()).with_flags(flags);
            piece.spans = b.spans;
            self.out.push(piece);
        }
        for (t, f) in [(b.deleted, Flags::DELETED), (b.hidden, Flags::HIDDEN)] {
            if !empty(&t) {
                self.out
                    .push(Piece::new(t, kind, area, place.clone()).with_flags(flags | f));
            }
        }
        if !empty(&b.fields) {
            self.out
                .push(Piece::new(b.fields, Kind::FieldCode, area, place).with_flags(flags));
        }
    }
}

/// The paragraphs of a range, one at a time: each with the character that ends it (0x0D,
/// 0x07 or a page break; 0 for text running to the end) and the bits of that mark.
struct Paragraphs<'t> {
    text: &'t Text,
    at: usize,
    end: usize,
    /// Plain runs read in bulk; off in tests, to compare with the character-by-character way.
    plain: bool,
}

impl<'t> Paragraphs<'t> {
    fn new(text: &'t Text, r: Range<usize>) -> Self {
        let n = text.chars.len();
        Paragraphs {
            text,
            at: r.start.min(n),
            end: r.end.min(n),
            plain: true,
        }
    }
}

impl Iterator for Paragraphs<'_> {
    type Item = (Buf, u16, u8);

    fn next(&mut self) -> Option<Self::Item> {
        let (chars, bits) = (&self.text.chars, &self.text.bits);
        let mut p = Buf::default();
        // Open fields: whether each is still in its code (before its separator).
        let mut fields: Vec<bool> = Vec::new();
        let mut any = false;
        while self.at < self.end {
            // Plain text, most of a paragraph: no field open, no mark or control
            // character, no surrogate, no revision or hidden bit. Straight onto the text,
            // as the character-by-character way below puts it.
            if self.plain && fields.is_empty() {
                let run = chars[self.at..self.end]
                    .iter()
                    .zip(&bits[self.at..self.end])
                    .take_while(|&(&u, &b)| {
                        u >= 0x20
                            && !(0xD800..=0xDFFF).contains(&u)
                            && b & (DELETED | HIDDEN | INSERTED) == 0
                    })
                    .count();
                if run > 0 {
                    any = true;
                    for &u in &chars[self.at..self.at + run] {
                        // The text only grows: once a character does not fit, none after
                        // it does.
                        if !xml::fits(&p.text, 4) {
                            break;
                        }
                        p.text
                            .push(char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'));
                    }
                    self.at += run;
                    continue;
                }
            }
            let (u, b) = (chars[self.at], bits[self.at]);
            self.at += 1;
            any = true;
            let c = match u {
                0x0D | 0x07 | 0x0C => return Some((p, u, b)),
                0x13 => {
                    fields.push(true);
                    if !p.fields.is_empty() {
                        p.fields.push(' ');
                    }
                    continue;
                }
                0x14 => {
                    if let Some(f) = fields.last_mut() {
                        *f = false;
                    }
                    continue;
                }
                0x15 => {
                    fields.pop();
                    continue;
                }
                0x09 => '\t',
                0x0B => '\n',
                0x1E => '-',
                0xD800..=0xDBFF
                    if self.at < self.end && (0xDC00..=0xDFFF).contains(&chars[self.at]) =>
                {
                    let lo = chars[self.at];
                    self.at += 1;
                    char::from_u32(
                        0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(lo) - 0xDC00),
                    )
                    .unwrap_or('\u{FFFD}')
                }
                u if u < 0x20 => continue,
                u => char::from_u32(u32::from(u)).unwrap_or('\u{FFFD}'),
            };
            let target = if fields.last() == Some(&true) {
                &mut p.fields
            } else if b & DELETED != 0 {
                &mut p.deleted
            } else if b & HIDDEN != 0 {
                &mut p.hidden
            } else {
                if !xml::fits(&p.text, 4) {
                    continue;
                }
                let start = p.text.len();
                p.text.push(c);
                if b & INSERTED != 0 {
                    match p.spans.last_mut() {
                        Some(s) if s.end == start => s.end = p.text.len(),
                        _ => p.spans.push(Span {
                            start,
                            end: p.text.len(),
                            flags: Flags::INSERTED,
                        }),
                    }
                }
                continue;
            };
            if xml::fits(target, 4) {
                target.push(c);
            }
        }
        any.then_some((p, 0, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every paragraph as read, its text, revisions and hidden stretches in one string.
    fn read(text: &Text, plain: bool) -> Vec<String> {
        let mut p = Paragraphs::new(text, 0..text.chars.len());
        p.plain = plain;
        p.map(|(b, end, bits)| {
            format!(
                "{:?} {:?} {:?} {:?} {:?} {end} {bits}",
                b.text, b.spans, b.deleted, b.hidden, b.fields
            )
        })
        .collect()
    }

    /// Plain runs read in bulk give what the character-by-character way gives, around
    /// marks, fields, surrogates, revisions and hidden text.
    #[test]
    fn plain_runs_read_as_characters_are() {
        let mut word = crate::read::text::testing::xorshift(0x9E37_79B9_7F4A_7C15);
        let mut next = |n: u64| word() % n;
        const SOME: [u16; 16] = [
            0x0D, 0x07, 0x0C, 0x13, 0x14, 0x15, 0x09, 0x0B, 0x1E, 0x01, 0xD83D, 0xDE00, 0xDC00,
            0xE9, 0x20AC, 0xFFFF,
        ];
        for _ in 0..2000 {
            let n = next(200) as usize;
            let mut text = Text {
                chars: Vec::with_capacity(n),
                bits: Vec::with_capacity(n),
                cut: false,
            };
            for _ in 0..n {
                text.chars.push(match next(4) {
                    0 => SOME[next(16) as usize],
                    _ => b'a' as u16 + next(26) as u16,
                });
                let bits = [DELETED, HIDDEN, INSERTED, ROW_END, IN_TABLE];
                text.bits.push(match next(6) {
                    0 => bits[next(5) as usize] | bits[next(5) as usize],
                    _ => 0,
                });
            }
            assert_eq!(read(&text, true), read(&text, false));
        }
    }

    /// A paragraph past the piece cap is cut at the same character both ways, and the cut
    /// is recorded both ways.
    #[test]
    fn plain_runs_cut_at_the_cap_as_characters_are() {
        let mut chars = vec![u16::from(b'a'); xml::MAX_PIECE - 7];
        chars.extend([0xE9, 0xE9, 0x20AC, u16::from(b'x'), 0x0D]);
        let text = Text {
            bits: vec![0; chars.len()],
            chars,
            cut: false,
        };
        let cut = |plain: bool| {
            xml::take_cut();
            let mut p = Paragraphs::new(&text, 0..text.chars.len());
            p.plain = plain;
            let (b, _, _) = p.next().expect("a paragraph");
            (b.text.len(), b.text.ends_with('é'), xml::take_cut())
        };
        assert_eq!(cut(true), (xml::MAX_PIECE - 3, true, true));
        assert_eq!(cut(false), cut(true));
    }
}
