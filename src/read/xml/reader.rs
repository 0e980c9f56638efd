//! A pull tokenizer for the XML of Office parts. It does what the part parsers need and no
//! more: tags with their names and raw attributes, character data, CDATA; comments,
//! processing instructions and DOCTYPE declarations are skipped, and entities declared in
//! a DTD are never expanded (no XML bombs, no XXE). It is not validating: names are not
//! checked and end tags are not matched against start tags (some writers emit mismatched
//! prefixes), but a close tag with nothing open and markup cut off by the end of the part
//! are errors.
//!
//! Why not quick-xml: it validates UTF-8 for every event and walks attributes through a
//! general state machine; on the corpus's sheets and Word bodies it took 7× as long as a
//! plain tokenizer (0.44 s against 0.06 s of CPU for 120 MB, see benches/README.md), which
//! alone would have spent the whole budget the bulk scan has above the cost of inflating.
//!
//! The text is decoded once (a whole part, or a stream decoded as it is read), so every
//! slice cut at an ASCII delimiter is valid UTF-8 already. A streamed part is held only
//! from the event being read on: large parts are never held whole.

use std::borrow::Cow;
use std::fmt;
use std::io::{self, Read};

use memchr::{memchr, memmem};

pub struct Reader<'a> {
    /// The text being read: a whole part, or the part of a stream not consumed yet.
    text: Cow<'a, str>,
    pos: usize,
    /// Elements open: a close tag at depth 0 is an error.
    depth: usize,
    /// Where `text` starts in the whole part (a stream drops what it has read).
    base: usize,
    /// The rest of a streamed part; `None` once it is all in `text`.
    input: Option<Box<dyn Read + 'a>>,
    /// The read buffer (zeroed once, reused); its first `raw_len` bytes are read but not
    /// decoded yet: a character cut by the end of a read, or a byte-order mark to judge.
    raw: Vec<u8>,
    raw_len: usize,
    started: bool,
    /// A read error met after some bytes were read: reported once they are consumed.
    pending: Option<io::Error>,
}

/// Bytes read from a stream at a time (at least: as much as is buffered, so that a long
/// event is scanned again only a few times as it grows). Reads start smaller and double:
/// most parts are a few kilobytes, and the buffer is zeroed as it grows (once per thread:
/// later parts get the grown buffer, see `SPARE`).
const CHUNK: usize = 64 << 10;
const FIRST_CHUNK: usize = 8 << 10;

thread_local! {
    /// A streamed part's buffers, kept for the next one on this thread: allocating,
    /// zeroing and freeing them for each of a file's parts cost as much as a part's parse.
    static SPARE: std::cell::Cell<(Vec<u8>, String)> = const {
        std::cell::Cell::new((Vec::new(), String::new()))
    };
}

/// Buffers larger than this (a part with a megabyte-long event) are not kept.
const SPARE_MAX: usize = 4 * CHUNK;

impl Drop for Reader<'_> {
    fn drop(&mut self) {
        if let Cow::Owned(text) = &mut self.text
            && text.capacity() <= SPARE_MAX
            && self.raw.capacity() <= SPARE_MAX
        {
            SPARE.set((std::mem::take(&mut self.raw), std::mem::take(text)));
        }
    }
}

/// Why an event could not be read.
enum Stop {
    /// It runs past the text read so far: read more of the stream.
    More,
    Bad(Error),
}

impl From<Error> for Stop {
    fn from(e: Error) -> Stop {
        Stop::Bad(e)
    }
}

/// The next event as positions in `text`: found without borrowing it, so that the reader
/// can read more of a stream and look again.
enum Found {
    Text(usize, usize),
    CData(usize, usize),
    Tag {
        name: (usize, usize),
        local: usize,
        attrs: (usize, usize),
        empty: bool,
    },
    End {
        name: (usize, usize),
        local: usize,
    },
    Eof,
}

#[derive(Debug)]
pub enum Event<'a> {
    Start(Tag<'a>),
    Empty(Tag<'a>),
    /// A close tag; its attributes are empty.
    End(Tag<'a>),
    /// Character data as written: references unresolved, line ends not normalised.
    Text(Text<'a>),
    /// The content of a CDATA section.
    CData(Text<'a>),
    Eof,
}

/// A start, empty or end tag.
#[derive(Debug, Clone, Copy)]
pub struct Tag<'a> {
    name: &'a str,
    /// Where the local name starts in `name` (after the prefix and colon).
    local: usize,
    /// Everything between the name and the closing `>` or `/>`.
    attrs: &'a str,
}

/// Character data, or a CDATA section's content.
#[derive(Debug, Clone, Copy)]
pub struct Text<'a> {
    raw: &'a str,
    cdata: bool,
}

/// Ill-formed XML, or XML past a size cap: where, and what.
#[derive(Clone, Debug)]
pub struct Error {
    at: usize,
    what: String,
    /// A cap was met (`MAX_EVENT`, `MAX_DEPTH`, `MAX_UTF16`): the part is not damaged but
    /// was not read to its end.
    limit: bool,
}

impl Error {
    /// Whether a size cap stopped the read, rather than ill-formed XML.
    pub fn is_limit(&self) -> bool {
        self.limit
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.limit {
            f.write_str(&self.what)
        } else {
            write!(f, "ill-formed XML at byte {}: {}", self.at, self.what)
        }
    }
}

/// Bytes of one event (a tag with its attributes, a run of character data, a comment, a
/// CDATA section, a declaration) held at most: no real part comes near it, and a stream
/// holds only the event being read, so this bounds a streamed part's memory.
pub const MAX_EVENT: usize = 16 << 20;
/// Elements open at once, at most: nesting is what turns a few kilobytes into quadratic
/// work for parsers that keep a stack (Word's text boxes in text boxes).
pub const MAX_DEPTH: usize = 256;
/// Bytes of a UTF-16 part, which is decoded whole.
pub const MAX_UTF16: u64 = 64 << 20;

impl<'a> From<&'a str> for Reader<'a> {
    fn from(text: &'a str) -> Self {
        Reader::new(text)
    }
}

impl<'a> Reader<'a> {
    /// A reader over a whole part.
    pub fn new(text: &'a str) -> Self {
        Reader {
            text: Cow::Borrowed(text),
            pos: 0,
            depth: 0,
            base: 0,
            input: None,
            raw: Vec::new(),
            raw_len: 0,
            started: true,
            pending: None,
        }
    }

    /// A reader over a part as it is inflated: only the event being read is held, not the
    /// part. A UTF-8 byte-order mark is dropped, UTF-16 is decoded (read whole), invalid
    /// UTF-8 is replaced.
    pub fn stream(input: impl Read + 'a) -> Self {
        let (raw, mut text) = SPARE.take();
        text.clear();
        Reader {
            text: Cow::Owned(text),
            pos: 0,
            depth: 0,
            base: 0,
            input: Some(Box::new(input)),
            raw,
            raw_len: 0,
            started: false,
            pending: None,
        }
    }

    pub fn read_event(&mut self) -> Result<Event<'_>, Error> {
        let found = loop {
            match self.scan() {
                Ok(found) => break found,
                Err(Stop::More) => self.refill()?,
                Err(Stop::Bad(e)) => return Err(e),
            }
        };
        let text: &str = &self.text;
        let cut = |(a, b): (usize, usize)| &text[a..b];
        Ok(match found {
            Found::Text(a, b) => Event::Text(Text {
                raw: &text[a..b],
                cdata: false,
            }),
            Found::CData(a, b) => Event::CData(Text {
                raw: &text[a..b],
                cdata: true,
            }),
            Found::Tag {
                name,
                local,
                attrs,
                empty,
            } => {
                let tag = Tag {
                    name: cut(name),
                    local,
                    attrs: cut(attrs),
                };
                if empty {
                    Event::Empty(tag)
                } else {
                    Event::Start(tag)
                }
            }
            Found::End { name, local } => Event::End(Tag {
                name: cut(name),
                local,
                attrs: "",
            }),
            Found::Eof => Event::Eof,
        })
    }

    /// Reads `<name>text</name>` whole when that is what comes next (no prefix, no
    /// attributes, no markup inside): the text, references unresolved. Otherwise reads
    /// nothing and returns `None`, and events go on as before. A sheet's cells are
    /// almost all `<v>…</v>`: one call instead of three events.
    #[inline(always)]
    pub fn simple_element(&mut self, name: &str) -> Result<Option<Text<'_>>, Error> {
        self.simple_element_closing(name, None)
    }

    /// `simple_element`, and then the close tag `</end>` written plainly as `plain_end`
    /// reads it, or nothing at all. A sheet's number cell, `<v>…</v></c>`, in one call.
    #[inline(always)]
    pub fn simple_element_closing(
        &mut self,
        name: &str,
        end: Option<&str>,
    ) -> Result<Option<Text<'_>>, Error> {
        let name = name.as_bytes();
        let end = end.map(str::as_bytes);
        if end.is_some() && self.depth == 0 {
            return Ok(None);
        }
        loop {
            let rest = &self.text.as_bytes()[self.pos..];
            let open = name.len() + 2;
            let found = match rest.get(..open) {
                Some(head) => {
                    if head[0] != b'<' || &head[1..open - 1] != name || head[open - 1] != b'>' {
                        return Ok(None);
                    }
                    let body = &rest[open..];
                    find_byte(b'<', body).and_then(|n| {
                        let close = body.get(n..n + name.len() + 3)?;
                        let after = &body[n + name.len() + 3..];
                        let end = match end {
                            Some(end) => Some(after.get(..end.len() + 3)?),
                            None => None,
                        };
                        Some((n, close, end))
                    })
                }
                None => None,
            };
            match found {
                Some((n, close, closing)) => {
                    let plain_close = |close: &[u8], name: &[u8]| {
                        &close[..2] == b"</"
                            && &close[2..close.len() - 1] == name
                            && close[close.len() - 1] == b'>'
                    };
                    if !plain_close(close, name)
                        || closing.is_some_and(|c| !plain_close(c, end.unwrap_or_default()))
                    {
                        return Ok(None);
                    }
                    let start = self.pos + open;
                    self.pos = start + n + name.len() + 3;
                    if let Some(c) = closing {
                        self.pos += c.len();
                        self.depth -= 1;
                    }
                    return Ok(Some(Text {
                        raw: &self.text[start..start + n],
                        cdata: false,
                    }));
                }
                // Cut off by the end of what was read: read more, or it is not there.
                None if self.input.is_some() => self.refill()?,
                None => return Ok(None),
            }
        }
    }

    /// Reads a start or empty tag `<name …>` whole when that is what comes next, written
    /// plainly: the element unprefixed, every attribute `key="value"` with no reference
    /// or line end to resolve. Returns whether the tag is empty and the values of `names`
    /// by local name (the first of duplicates), as `read_event` and `Tag::attrs` would.
    /// Otherwise, or when the tag runs past what is read of a stream, reads nothing and
    /// returns `None`: events go on as before. A sheet's cells, in one pass instead of an
    /// event and a walk over its attributes.
    #[inline(always)]
    pub fn plain_start<const N: usize>(
        &mut self,
        name: &str,
        names: [&str; N],
    ) -> Option<(bool, [Option<&str>; N])> {
        let b = self.text.as_bytes();
        let start = self.pos;
        let after = start + 1 + name.len();
        if b.get(start) != Some(&b'<') || b.get(start + 1..after)? != name.as_bytes() {
            return None;
        }
        let space = |c: u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
        let mut out = [None; N];
        let mut i = after;
        let empty = loop {
            match *b.get(i)? {
                b'>' => break false,
                b'/' => {
                    i += 1;
                    if *b.get(i)? == b'>' {
                        break true;
                    }
                    return None;
                }
                c if space(c) => i += 1,
                // An attribute right after the name is another name (`<cols`).
                _ if i == after => return None,
                _ => {
                    let (key_start, mut local) = (i, i);
                    loop {
                        match *b.get(i)? {
                            b'=' => break,
                            b':' if local == key_start => local = i + 1,
                            c if space(c) || c == b'>' || c == b'/' => return None,
                            _ => {}
                        }
                        i += 1;
                    }
                    let key = &b[local..i];
                    i += 1;
                    let quote = *b.get(i)?;
                    if quote != b'"' && quote != b'\'' {
                        return None;
                    }
                    let value_start = i + 1;
                    i = value_start + plain_value_end(&b[value_start..], quote)?;
                    if let Some(k) = names.iter().position(|n| same_name(key, n.as_bytes()))
                        && out[k].is_none()
                    {
                        out[k] = Some((value_start, i));
                    }
                    i += 1;
                    // Attributes are separated by white space.
                    if !space(*b.get(i)?) && !matches!(b[i], b'>' | b'/') {
                        return None;
                    }
                }
            }
        };
        if !empty && self.depth >= MAX_DEPTH {
            return None;
        }
        self.pos = i + 1;
        if !empty {
            self.depth += 1;
        }
        let text: &str = &self.text;
        Some((empty, out.map(|v| v.map(|(a, b)| &text[a..b]))))
    }

    /// Reads the close tag `</name>` when it comes next, written plainly, as `read_event`
    /// would; otherwise reads nothing and returns `None`.
    pub fn plain_end<'n>(&mut self, name: &'n str) -> Option<Event<'n>> {
        let rest = &self.text.as_bytes()[self.pos..];
        let n = name.len();
        let plain = self.depth > 0
            && rest.get(..n + 3).is_some_and(|t| {
                t[..2] == *b"</" && t[2..n + 2] == *name.as_bytes() && t[n + 2] == b'>'
            });
        if !plain {
            return None;
        }
        self.pos += n + 3;
        self.depth -= 1;
        Some(Event::End(Tag {
            name,
            local: 0,
            attrs: "",
        }))
    }

    /// Finds the next event, or that the text read so far ends inside it.
    fn scan(&mut self) -> Result<Found, Stop> {
        loop {
            let bytes = self.text.as_bytes();
            let start = self.pos;
            let Some(&first) = bytes.get(start) else {
                return if self.input.is_some() {
                    Err(Stop::More)
                } else {
                    Ok(Found::Eof)
                };
            };
            if first != b'<' {
                let end = match find_byte(b'<', &bytes[start..]) {
                    Some(n) => start + n,
                    None if self.input.is_some() => return Err(Stop::More),
                    None => bytes.len(),
                };
                self.pos = end;
                return Ok(Found::Text(start, end));
            }
            match bytes.get(start + 1) {
                Some(b'/') => {
                    // One pass, close tags are short: the name ends at a space or the
                    // first `>`, its prefix at the first colon.
                    let (mut i, mut end_of_name, mut local) = (start + 2, None, 0);
                    loop {
                        match bytes.get(i) {
                            Some(b'>') => break,
                            Some(b' ' | b'\t' | b'\n' | b'\r') => {
                                end_of_name.get_or_insert(i);
                            }
                            Some(b':') if end_of_name.is_none() && local == 0 => {
                                local = i + 1 - (start + 2);
                            }
                            Some(_) => {}
                            None => return Err(self.ends_inside(start, "a close tag")),
                        }
                        i += 1;
                    }
                    let name = (start + 2, end_of_name.unwrap_or(i));
                    self.pos = i + 1;
                    if self.depth == 0 {
                        let name = &self.text[name.0..name.1];
                        let what = format!("close tag `</{name}>` does not match any open tag");
                        return Err(self.error(start, what).into());
                    }
                    self.depth -= 1;
                    return Ok(Found::End { name, local });
                }
                Some(b'?') => self.pos = self.find(start, b"?>", "a processing instruction")? + 2,
                Some(b'!') => {
                    let rest = &bytes[start..];
                    if rest.len() < 9 && self.input.is_some() {
                        return Err(Stop::More);
                    }
                    if rest.starts_with(b"<!--") {
                        self.pos = self.find(start + 4, b"-->", "a comment")? + 3;
                    } else if rest.starts_with(b"<![CDATA[") {
                        let end = self.find(start + 9, b"]]>", "a CDATA section")?;
                        self.pos = end + 3;
                        return Ok(Found::CData(start + 9, end));
                    } else {
                        self.pos = self.declaration_end(start)?;
                    }
                }
                Some(_) => return self.tag(start),
                None => return Err(self.ends_inside(start, "a tag")),
            }
        }
    }

    /// Reads more of the stream into `text`, dropping what has been consumed.
    fn refill(&mut self) -> Result<(), Error> {
        let at = self.base + self.text.len();
        if let Some(e) = self.pending.take() {
            return Err(Error {
                at,
                what: e.to_string(),
                limit: false,
            });
        }
        let Some(input) = self.input.as_mut() else {
            return Ok(());
        };
        let text = self.text.to_mut();
        text.drain(..self.pos);
        self.base += self.pos;
        self.pos = 0;
        if text.len() > MAX_EVENT {
            return Err(Error {
                at,
                what: format!(
                    "one XML event (text, tag or comment) longer than {} MiB",
                    MAX_EVENT >> 20
                ),
                limit: true,
            });
        }
        let old = self.raw_len;
        let chunk = (self.raw.len() * 2).clamp(FIRST_CHUNK, CHUNK);
        let want = old + chunk.max(text.len());
        if self.raw.len() < want {
            self.raw.resize(want, 0);
        }
        // Fill the buffer (not one read): a long event is then rescanned only when the
        // text has doubled, whatever size the inflater's reads are.
        let mut n = 0;
        let mut eof = false;
        while old + n < want {
            match input.read(&mut self.raw[old + n..want]) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) if n > 0 => {
                    self.pending = Some(e);
                    break;
                }
                Err(e) => {
                    return Err(Error {
                        at,
                        what: e.to_string(),
                        limit: false,
                    });
                }
                Ok(0) => {
                    eof = true;
                    break;
                }
                Ok(k) => n += k,
            }
        }
        self.raw_len += n;
        let mut from = 0;
        if !self.started {
            let head = &self.raw[..self.raw_len];
            if matches!(head, [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..]) {
                return self.utf16();
            }
            if head.len() < 3 && !eof {
                return Ok(());
            }
            self.started = true;
            if head.starts_with(&[0xEF, 0xBB, 0xBF]) {
                from = 3;
            }
        }
        if eof {
            self.input = None;
        }
        let kept = decode_into(&self.raw[from..self.raw_len], text, self.input.is_none());
        self.raw.copy_within(self.raw_len - kept..self.raw_len, 0);
        self.raw_len = kept;
        Ok(())
    }

    /// A UTF-16 part (some .NET writers produce them): read whole and decoded.
    fn utf16(&mut self) -> Result<(), Error> {
        let mut raw = std::mem::take(&mut self.raw);
        raw.truncate(self.raw_len);
        self.raw_len = 0;
        if let Some(input) = self.input.take() {
            input
                .take(MAX_UTF16 + 1 - raw.len() as u64)
                .read_to_end(&mut raw)
                .map_err(|e| Error {
                    at: 0,
                    what: e.to_string(),
                    limit: false,
                })?;
            if raw.len() as u64 > MAX_UTF16 {
                return Err(Error {
                    at: 0,
                    what: format!("a UTF-16 part longer than {} MiB", MAX_UTF16 >> 20),
                    limit: true,
                });
            }
        }
        *self.text.to_mut() = super::decode(raw);
        self.started = true;
        Ok(())
    }

    /// Skips to the end of the element whose start tag was just read, nested content and all.
    pub fn skip_to_end(&mut self) -> Result<(), Error> {
        let mut depth = 0usize;
        loop {
            match self.read_event()? {
                Event::Start(_) => depth += 1,
                Event::End(_) if depth == 0 => return Ok(()),
                Event::End(_) => depth -= 1,
                Event::Eof => {
                    return Err(self.error(self.pos, "the part ends inside an element".into()));
                }
                _ => {}
            }
        }
    }

    /// A start or empty tag at `start`: the closing `>` is the first one outside quotes.
    fn tag(&mut self, start: usize) -> Result<Found, Stop> {
        let bytes = self.text.as_bytes();
        let mut i = start + 1;
        let mut local = 0;
        while let Some(&b) = bytes.get(i) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' | b'/' | b'>' => break,
                // The first colon, as for end tags (`local_part`).
                b':' if local == 0 => local = i + 1 - (start + 1),
                _ => {}
            }
            i += 1;
        }
        let name = (start + 1, i);
        let attrs_start = i;
        // Not memchr: tags are short. A quoted value may hold `>`.
        loop {
            i += tag_stop(&bytes[i..]);
            match bytes.get(i) {
                Some(b'>') => break,
                Some(&quote) => match find_byte(quote, &bytes[i + 1..]) {
                    Some(n) => i += n + 2,
                    None => return Err(self.ends_inside(start, "an attribute value")),
                },
                None => return Err(self.ends_inside(start, "a tag")),
            }
        }
        let empty = i > attrs_start && bytes[i - 1] == b'/';
        let attrs = (attrs_start, if empty { i - 1 } else { i });
        if !empty && self.depth >= MAX_DEPTH {
            return Err(self.too_deep(start).into());
        }
        self.pos = i + 1;
        if !empty {
            self.depth += 1;
        }
        Ok(Found::Tag {
            name,
            local,
            attrs,
            empty,
        })
    }

    /// The end of a `<!DOCTYPE …>` (or other `<!…>`) declaration: its internal subset in
    /// brackets and quoted strings may hold `>`.
    fn declaration_end(&self, start: usize) -> Result<usize, Stop> {
        let bytes = self.text.as_bytes();
        let (mut i, mut brackets, mut quote) = (start + 2, 0usize, None);
        while let Some(&b) = bytes.get(i) {
            // Comments and processing instructions in the internal subset are skipped
            // whole: a `'` in `<!-- don't -->` opens no string.
            if quote.is_none() && brackets > 0 {
                let rest = &bytes[i..];
                let close: Option<&[u8]> = if rest.starts_with(b"<!--") {
                    Some(b"-->")
                } else if rest.starts_with(b"<?") {
                    Some(b"?>")
                } else {
                    None
                };
                if let Some(close) = close {
                    i = self.find(i + 2, close, "a declaration")? + close.len();
                    continue;
                }
            }
            match (quote, b) {
                (Some(q), _) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'[') => brackets += 1,
                (None, b']') => brackets = brackets.saturating_sub(1),
                (None, b'>') if brackets == 0 => return Ok(i + 1),
                _ => {}
            }
            i += 1;
        }
        Err(self.ends_inside(start, "a declaration"))
    }

    /// Where `needle` next occurs at or after `from`.
    fn find(&self, from: usize, needle: &[u8], what: &str) -> Result<usize, Stop> {
        let hay = self.text.as_bytes().get(from..).unwrap_or_default();
        let at = match needle {
            [b] => find_byte(*b, hay),
            _ => memmem::find(hay, needle),
        };
        at.map(|n| from + n)
            .ok_or_else(|| self.ends_inside(from, what))
    }

    /// The text read so far ends inside `what`: more of the stream is needed, or, at the
    /// end of the part, the markup is cut off.
    fn ends_inside(&self, at: usize, what: &str) -> Stop {
        if self.input.is_some() {
            Stop::More
        } else {
            Stop::Bad(self.error(at, format!("the part ends inside {what}")))
        }
    }

    fn error(&self, at: usize, what: String) -> Error {
        Error {
            at: self.base + at,
            what,
            limit: false,
        }
    }

    fn too_deep(&self, at: usize) -> Error {
        Error {
            at: self.base + at,
            what: format!("elements nested more than {MAX_DEPTH} deep"),
            limit: true,
        }
    }
}

/// Decodes `raw` onto `text`: invalid sequences become U+FFFD, as `String::from_utf8_lossy`
/// makes them. A sequence cut by the end of `raw` is left for the next read, unless
/// `last`: returns how many bytes at the end were left.
fn decode_into(raw: &[u8], text: &mut String, last: bool) -> usize {
    let mut rest = raw;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                text.push_str(s);
                return 0;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                text.push_str(std::str::from_utf8(good).unwrap_or_default());
                match e.error_len() {
                    Some(n) => {
                        text.push(char::REPLACEMENT_CHARACTER);
                        rest = &bad[n..];
                    }
                    None if last => {
                        text.push(char::REPLACEMENT_CHARACTER);
                        return 0;
                    }
                    None => return bad.len(),
                }
            }
        }
    }
}

impl<'a> Tag<'a> {
    /// The name as written, prefix included.
    pub fn name(&self) -> &'a str {
        self.name
    }

    /// The local name, after any prefix: prefixes are conventions only (Strict packages
    /// use other namespaces for the same elements).
    pub fn local(&self) -> &'a str {
        &self.name[self.local..]
    }

    pub fn is(&self, local: &str) -> bool {
        self.local() == local
    }

    /// The attributes in document order: (name as written, raw value).
    fn raw_attrs(&self) -> RawAttrs<'a> {
        RawAttrs { rest: self.attrs }
    }

    /// The value of the attribute whose local name is `name`, references resolved.
    pub fn attr(&self, name: &str) -> Option<String> {
        let [value] = self.attrs([name]);
        value.map(Cow::into_owned)
    }

    /// The value of the attribute named `name` with no prefix, references resolved. For
    /// vocabularies whose attributes are in no namespace (relationships, content types,
    /// label information, custom properties): `x:id` there is another attribute, which
    /// Office does not read, and must not stand in for `id`.
    pub fn plain_attr(&self, name: &str) -> Option<String> {
        let [value] = self.plain_attrs([name]);
        value.map(Cow::into_owned)
    }

    /// [`plain_attr`](Tag::plain_attr) of several names in one pass, in the order of
    /// `names`. The first of duplicates wins.
    pub fn plain_attrs<const N: usize>(&self, names: [&str; N]) -> [Option<Cow<'a, str>>; N] {
        let mut out = [const { None }; N];
        for (key, value) in self.raw_attrs() {
            if let Some(i) = names.iter().position(|n| *n == key)
                && out[i].is_none()
            {
                out[i] = Some(attr_value(value));
            }
        }
        out
    }

    /// The namespace declarations on this tag: (prefix, namespace), `""` for the default.
    pub fn declarations(&self) -> impl Iterator<Item = (&'a str, Cow<'a, str>)> {
        declarations_in(self.declaring().unwrap_or(""))
    }

    /// The tag's attributes as written, when they may declare a namespace: what
    /// [`declarations_in`] reads. Most tags declare nothing: one search tells.
    pub fn declaring(&self) -> Option<&'a str> {
        static XMLNS: std::sync::LazyLock<memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memmem::Finder::new("xmlns"));
        (self.attrs.len() >= 5 && XMLNS.find(self.attrs.as_bytes()).is_some()).then_some(self.attrs)
    }

    /// The values of several attributes in one pass, by local name, in the order of
    /// `names`; borrowed unless a reference or line end had to be resolved. The first of
    /// duplicates wins.
    pub fn attrs<const N: usize>(&self, names: [&str; N]) -> [Option<Cow<'a, str>>; N] {
        let mut out = [const { None }; N];
        let mut found = 0;
        for (key, value) in self.raw_attrs() {
            let key = local_part(key);
            if let Some(i) = names
                .iter()
                .position(|n| same_name(key.as_bytes(), n.as_bytes()))
                && out[i].is_none()
            {
                out[i] = Some(attr_value(value));
                found += 1;
                // The rest cannot change the result: Word's tags carry many attributes.
                if found == N {
                    break;
                }
            }
        }
        out
    }

    /// The relationship id (`r:id`): the prefixed attribute named `id`, not an unprefixed
    /// `id` (slides have both).
    pub fn rel_id(&self) -> Option<String> {
        self.raw_attrs()
            .find(|(k, _)| k.contains(':') && local_part(k) == "id")
            .map(|(_, v)| attr_value(v).into_owned())
    }
}

/// Attribute name/value pairs of a tag; stops at the first thing that is not one.
/// The namespace declarations (prefix, namespace; the default one's prefix empty) in a
/// tag's attributes as written.
pub fn declarations_in(attrs: &str) -> impl Iterator<Item = (&str, Cow<'_, str>)> {
    RawAttrs { rest: attrs }.filter_map(|(k, v)| {
        let prefix = match k.strip_prefix("xmlns") {
            Some("") => "",
            Some(rest) => rest.strip_prefix(':')?,
            None => return None,
        };
        Some((prefix, attr_value(v)))
    })
}

struct RawAttrs<'a> {
    rest: &'a str,
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = (&'a str, &'a str);

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        // Byte by byte: names and values are short, and every cut is at an ASCII byte.
        let s = self.rest;
        let b = s.as_bytes();
        let space = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
        let key_start = b.iter().position(|c| !space(c))?;
        let key_end = key_start + b[key_start..].iter().position(|c| *c == b'=' || space(c))?;
        let mut i = key_end;
        // Almost always `key="value"`; spaces around `=` are allowed.
        if b[i] != b'=' {
            i += b[i..].iter().position(|c| !space(c))?;
            if b[i] != b'=' {
                return None;
            }
        }
        i += 1;
        let quote = match b.get(i)? {
            q @ (b'"' | b'\'') => *q,
            _ => {
                i += b[i..].iter().position(|c| !space(c))?;
                *b.get(i).filter(|&&q| q == b'"' || q == b'\'')?
            }
        };
        let value_start = i + 1;
        let end = value_start + find_byte(quote, &b[value_start..])?;
        self.rest = &s[end + 1..];
        Some((&s[key_start..key_end], &s[value_start..end]))
    }
}

/// `a == b` for attribute names: most are a letter or two (`r`, `s`, `t`), and a
/// `memcmp` call for them costs more than the bytes.
#[inline(always)]
fn same_name(a: &[u8], b: &[u8]) -> bool {
    match (a, b) {
        ([x], [y]) => x == y,
        ([x0, x1], [y0, y1]) => x0 == y0 && x1 == y1,
        _ => a == b,
    }
}

/// Where an attribute value that needs nothing resolved ends (at `quote`), or `None` when
/// it holds `&`, a tab or a line end, or is not closed in `rest`. A value of up to seven
/// bytes (a cell's reference, style, type) is read in one word: a loop that stops at the
/// quote mispredicts its exit for every value.
fn plain_value_end(rest: &[u8], quote: u8) -> Option<usize> {
    if let Some(chunk) = rest.get(..8) {
        let w = word(chunk);
        let quotes = has(w, quote);
        if quotes != 0 {
            let n = first(quotes);
            // Flags below the first true one are exact (see `has`).
            let before = (1u64 << (8 * n)) - 1;
            let special = has(w, b'&') | has(w, b'\t') | has(w, b'\n') | has(w, b'\r');
            return (special & before == 0).then_some(n);
        }
    }
    let mut i = 0;
    loop {
        let c = *rest.get(i)?;
        // One compare for the usual byte: quotes, `&`, tab and line ends are all at or
        // below `'`.
        if c <= b'\'' {
            if c == quote {
                return Some(i);
            }
            if matches!(c, b'&' | b'\t' | b'\n' | b'\r') {
                return None;
            }
        }
        i += 1;
    }
}

/// The part of a name after its prefix.
fn local_part(name: &str) -> &str {
    match name.bytes().position(|c| c == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// Where the first `>`, `"` or `'` is in `hay` (its length if none): eight bytes at a
/// time, as Word's tags are long runs of attributes.
fn tag_stop(hay: &[u8]) -> usize {
    let stops = |w: u64| has(w, b'>') | has(w, b'"') | has(w, b'\'');
    let mut chunks = hay.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let hits = stops(word(chunk));
        if hits != 0 {
            return at + first(hits);
        }
        at += 8;
    }
    let rest = chunks.remainder();
    at + rest
        .iter()
        .position(|c| matches!(c, b'>' | b'"' | b'\''))
        .unwrap_or(rest.len())
}

/// The first `byte` in `hay`: eight bytes at a time over the first 32 (most texts and
/// values in Office XML are a few bytes long, shorter than memchr's setup), memchr beyond.
fn find_byte(byte: u8, hay: &[u8]) -> Option<usize> {
    const SHORT: usize = 32;
    let head = &hay[..hay.len().min(SHORT)];
    let mut chunks = head.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let hits = has(word(chunk), byte);
        if hits != 0 {
            return Some(at + first(hits));
        }
        at += 8;
    }
    if let Some(i) = chunks.remainder().iter().position(|&c| c == byte) {
        return Some(at + i);
    }
    (hay.len() > SHORT)
        .then(|| memchr(byte, &hay[SHORT..]).map(|i| SHORT + i))
        .flatten()
}

/// Eight bytes as a word, first byte lowest.
fn word(chunk: &[u8]) -> u64 {
    u64::from_le_bytes(chunk.try_into().unwrap_or_default())
}

/// The has-zero-byte trick: the high bit of each byte of `w` that equals `byte` is set
/// (bytes after a true match may be flagged falsely, so only the lowest flag is exact).
fn has(w: u64, byte: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let x = w ^ (ONES * u64::from(byte));
    x.wrapping_sub(ONES) & !x & HIGH
}

/// The index of the byte of the lowest flag.
fn first(hits: u64) -> usize {
    (hits.trailing_zeros() / 8) as usize
}

/// An attribute value as the XML specification reads it: references resolved, each line
/// end, tab or newline a space.
#[inline]
fn attr_value(raw: &str) -> Cow<'_, str> {
    if !raw
        .bytes()
        .any(|b| matches!(b, b'&' | b'\t' | b'\n' | b'\r'))
    {
        return Cow::Borrowed(raw);
    }
    resolved_attr_value(raw)
}

/// The rare case: out of line, so that the common one is inlined small.
fn resolved_attr_value(raw: &str) -> Cow<'_, str> {
    // Literal line ends and tabs become spaces first: `&#10;` stays a newline.
    let spaced = raw.replace("\r\n", " ").replace(['\t', '\n', '\r'], " ");
    let mut out = String::with_capacity(spaced.len());
    push_resolved(&spaced, &mut out);
    Cow::Owned(out)
}

impl<'a> Text<'a> {
    /// Appends the text with references resolved (outside CDATA) and line ends made `\n`.
    pub fn push_to(&self, out: &mut String) {
        let raw = self.raw;
        let (cr, amp) = special_bytes(raw.as_bytes());
        if !cr {
            if self.cdata || !amp {
                out.push_str(raw);
            } else {
                push_resolved(raw, out);
            }
            return;
        }
        let lines = raw.replace("\r\n", "\n").replace('\r', "\n");
        if self.cdata {
            out.push_str(&lines);
        } else {
            push_resolved(&lines, out);
        }
    }

    /// The text as written (references unresolved).
    pub fn raw(&self) -> &'a str {
        self.raw
    }
}

/// Whether `b` holds a carriage return, and an `&`. A short text (a cell's value) is read
/// whole, without a branch per byte: searches that stop at the first hit mispredicted
/// about five branches per value, costing more than the bytes.
fn special_bytes(b: &[u8]) -> (bool, bool) {
    if b.len() <= 64 {
        b.iter().fold((false, false), |(cr, amp), &c| {
            (cr | (c == b'\r'), amp | (c == b'&'))
        })
    } else {
        (memchr(b'\r', b).is_some(), memchr(b'&', b).is_some())
    }
}

/// Appends `s` with its character and predefined entity references resolved. Other
/// references (entities a DTD would declare) and anything malformed stay as written.
fn push_resolved(s: &str, out: &mut String) {
    push_references(s, out, resolve);
}

/// Appends `s` with the references `resolve` knows resolved (HTML knows more names than
/// XML); the rest stay as written.
pub fn push_references(s: &str, out: &mut String, resolve: impl Fn(&str) -> Option<char>) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        // Only a name's bytes are looked at: `;` is searched for within them, so a run of
        // `&` without `;` costs linear time.
        let name_len = rest.as_bytes()[1..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'#'))
            .unwrap_or(rest.len() - 1);
        let resolved = (rest.as_bytes().get(1 + name_len) == Some(&b';'))
            .then_some(1 + name_len)
            .and_then(|semi| Some((resolve(&rest[1..semi])?, semi)));
        match resolved {
            Some((c, semi)) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

/// The character a reference names (`amp`, `#229`, `#xE5`), if it is one we resolve.
pub fn resolve(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            // NUL and surrogates stay as written; other controls are resolved, as before.
            char::from_u32(code).filter(|&c| c != '\0')?
        }
    })
}

#[cfg(test)]
#[path = "reader_tests.rs"]
mod tests;

#[cfg(test)]
/// Streams cut at random places read exactly like the whole part.
mod streamed {
    use super::*;

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    struct Chunks<'a> {
        data: &'a [u8],
        rng: Rng,
        max: usize,
    }
    impl Read for Chunks<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.data.is_empty() {
                return Ok(0);
            }
            let n = (1 + self.rng.below(self.max))
                .min(buf.len())
                .min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    fn dump(mut r: Reader<'_>) -> Vec<String> {
        let mut out = Vec::new();
        for _ in 0..100_000 {
            let e = match r.read_event() {
                Ok(Event::Eof) => break,
                Ok(Event::Start(t)) => {
                    format!("<{}|{}|{:?}>", t.name(), t.attrs, t.attrs(["a", "b"]))
                }
                Ok(Event::Empty(t)) => {
                    format!("<{}|{}|{:?}/>", t.name(), t.attrs, t.attrs(["a", "b"]))
                }
                Ok(Event::End(t)) => format!("</{}>", t.name()),
                Ok(Event::Text(t)) => {
                    let mut s = String::new();
                    t.push_to(&mut s);
                    format!("T{s:?}")
                }
                Ok(Event::CData(t)) => {
                    let mut s = String::new();
                    t.push_to(&mut s);
                    format!("C{s:?}")
                }
                Err(e) => {
                    out.push(format!("error: {e}"));
                    break;
                }
            };
            out.push(e);
        }
        out
    }

    const PIECES: &[&[u8]] = &[
        b"<a>",
        b"</a>",
        b"<w:t xml:space=\"preserve\">",
        b"</w:t>",
        b"<br/>",
        b"<c a=\"/\"/>",
        b"<c a='x>\"y' b=\"1\">",
        b"</c >",
        b"<!-- c > d -->",
        b"<!---->",
        b"<![CDATA[<&>]]>",
        b"<![CDATA[]]]]>",
        b"<?pi x?>",
        b"<!DOCTYPE x [<!ENTITY e \"a>b\">]>",
        b"&amp;",
        b"&#229;",
        b"&#xE5;",
        b"&#0;",
        b"&#xD800;",
        b"&e;",
        b"&",
        b";",
        b"\r\n",
        b"\r",
        b"\n",
        b"\t",
        "æøå".as_bytes(),
        "😀".as_bytes(),
        "–".as_bytes(),
        b"\xFF",
        b"\xE2\x82",
        b"\xF0\x9F",
        b"\xC3",
        b"text",
        b"x y z",
        b"<",
        b">",
        b"\"",
        b"'",
        b"/",
        b"<!",
        b"<?",
        b"]]>",
        b"-->",
        b"<d a=\"l1\r\nl2&#10;l3\tz\"/>",
        b"<e:f g:a='&lt;&#x41;' b=\"q\"/>",
    ];

    fn make(rng: &mut Rng) -> Vec<u8> {
        let mut v = Vec::new();
        match rng.below(8) {
            0 => v.extend_from_slice(b"\xEF\xBB\xBF"),
            1 => v.extend_from_slice(b"\xEF\xBB"),
            2 => v.extend_from_slice(b"\xEF"),
            _ => {}
        }
        let n = rng.below(40);
        for _ in 0..n {
            v.extend_from_slice(PIECES[rng.below(PIECES.len())]);
        }
        v
    }

    /// Cells read as a sheet parser reads them: with `plain_start`, `simple_element` and
    /// `plain_end` (`fast`), or from events only; and every event, so that nothing is
    /// skipped.
    fn cells(mut r: Reader<'_>, fast: bool) -> Vec<String> {
        let mut out = Vec::new();
        let mut next = false;
        let cell =
            |empty: bool, [r, t, s]: [Option<&str>; 3]| format!("c {empty} {r:?} {t:?} {s:?}");
        let end = Event::End(Tag {
            name: "c",
            local: 0,
            attrs: "",
        });
        for i in 0..1_000_000 {
            // A cell's value and end in one call, or its value alone, or neither.
            if std::mem::take(&mut next) && fast {
                if i % 2 == 0
                    && let Some(t) = r.simple_element_closing("v", Some("c")).unwrap()
                {
                    let mut s = String::new();
                    t.push_to(&mut s);
                    out.push(format!("V{s:?}"));
                    out.push(format!("{end:?}"));
                    continue;
                }
                if let Some(t) = r.simple_element("v").unwrap() {
                    let mut s = String::new();
                    t.push_to(&mut s);
                    out.push(format!("V{s:?}"));
                }
            }
            if fast {
                if let Some((empty, attrs)) = r.plain_start("c", ["r", "t", "s"]) {
                    out.push(cell(empty, attrs));
                    next = !empty;
                    continue;
                }
                if let Some(end) = r.plain_end("c") {
                    out.push(format!("{end:?}"));
                    continue;
                }
            }
            match r.read_event().unwrap() {
                Event::Eof => break,
                Event::Start(t) if t.name() == "v" => {
                    let mut s = String::new();
                    while let Event::Text(x) = r.read_event().unwrap() {
                        x.push_to(&mut s);
                    }
                    out.push(format!("V{s:?}"));
                }
                e @ (Event::Start(t) | Event::Empty(t)) if t.name() == "c" => {
                    let empty = matches!(e, Event::Empty(_));
                    let attrs = t.attrs(["r", "t", "s"]);
                    out.push(cell(empty, attrs.each_ref().map(|a| a.as_deref())));
                    next = !empty;
                }
                Event::Start(t) => out.push(format!("<{}>", t.name())),
                e => out.push(format!("{e:?}")),
            }
        }
        out
    }

    #[test]
    fn plain_cells_and_values_read_as_events_do() {
        let shapes: &[&str] = &[
            "<v>12</v>",
            "<v></v>",
            "<v>a&amp;b</v>",
            "<v a=\"1\">7</v>",
            "<x:v>8</x:v>",
            "<v>1<b/>2</v>",
            "<v/>",
            "<f>A1</f><v>3</v>",
            "<v>9</v >",
            "<vv>5</vv>",
        ];
        // Start tags that are read plainly, and all that are not.
        let starts: &[&str] = &[
            "<c r=\"A1\">",
            "<c r=\"B7\" s=\"3\" t=\"s\">",
            "<c t='str' r='C2'>",
            "<c r=\"A1\" t=\"s\" r=\"B2\" s=\"4\" cm=\"1\">",
            "<c x:r=\"D4\" s=\"1\">",
            "<c  r=\"E5\"\n\ts=\"2\" >",
            "<c>",
            "<c r=\"A&amp;1\">",
            "<c r=\"A1\" t=\"a\tb\">",
            "<c r = \"F6\">",
            "<c r=\"G7\"s=\"2\">",
            "<c r=G8>",
            "<c r=\"H9\" junk>",
            "<x:c r=\"I1\">",
            "<cc r=\"J1\">",
            "<cr=\"N1\">",
            "<c r=\"a>b\" s=\"1\">",
        ];
        let ends: &[&str] = &["</c>", "</c>", "</c>", "</c >", "</x:c>"];
        let empties: &[&str] = &[
            "<c r=\"K2\"/>",
            "<c r=\"L3\" s=\"1\" />",
            "<c/>",
            // Not empty: closed, so that elements open stay under `MAX_DEPTH`.
            "<c r=\"M4\" /x></c>",
        ];
        let mut rng = Rng(0x0dd_ba11);
        let mut doc = String::from("<sheet>");
        // Past several read buffers, so that cells are cut at every place by a refill.
        while doc.len() < 300_000 {
            if rng.below(8) == 0 {
                doc.push_str(empties[rng.below(empties.len())]);
                continue;
            }
            let value = "4".repeat(rng.below(40));
            let shape = shapes[rng.below(shapes.len())].replace("12", &value);
            let start = starts[rng.below(starts.len())];
            let end = ends[rng.below(ends.len())];
            doc.push_str(&format!("{start}{shape}{end}"));
        }
        doc.push_str("</sheet>");
        let events = cells(Reader::new(&doc), false);
        assert_eq!(cells(Reader::new(&doc), true), events);
        for max in [1, 7, 4096, 70_000] {
            let input = Chunks {
                data: doc.as_bytes(),
                rng: Rng(max as u64 + 1),
                max,
            };
            assert_eq!(
                cells(Reader::stream(input), true),
                events,
                "reads of ≤ {max}"
            );
        }
        // What they do not read stays for the events.
        let mut r = Reader::new("<c><v>1</v></c >");
        assert!(r.plain_start("c", []).is_some());
        assert!(r.simple_element_closing("v", Some("c")).unwrap().is_none());
        assert!(r.simple_element("v").unwrap().is_some());
        let mut r = Reader::new("<v>1</v></c>");
        assert!(r.simple_element_closing("v", Some("c")).unwrap().is_none());
        let mut r = Reader::new("<v a=\"&amp;\">x</v>");
        assert!(r.simple_element("v").unwrap().is_none());
        assert!(r.plain_start("v", ["b"]).is_none());
        assert!(matches!(r.read_event().unwrap(), Event::Start(_)));
        // A close tag with nothing open is left for `read_event` to report.
        let mut r = Reader::new("</c>");
        assert!(r.plain_end("c").is_none());
        assert!(r.read_event().is_err());
    }

    #[test]
    fn stream_equals_whole_random() {
        let mut rng = Rng(0x1234_5678_9abc_def1);
        let mut bad = 0;
        for case in 0..5_000 {
            let data = make(&mut rng);
            let whole_text = super::super::decode(data.clone());
            let whole = dump(Reader::new(&whole_text));
            let max = [1usize, 2, 3, 7, 64][case % 5];
            let streamed = dump(Reader::stream(Chunks {
                data: &data,
                rng: Rng(case as u64 + 1),
                max,
            }));
            if whole != streamed {
                bad += 1;
                if bad < 5 {
                    eprintln!(
                        "MISMATCH {:?}\n whole {:?}\n strm  {:?}",
                        String::from_utf8_lossy(&data),
                        whole,
                        streamed
                    );
                }
            }
        }
        assert_eq!(bad, 0);
    }

    #[test]
    fn utf16_stream() {
        for s in ["<a>å</a>", "<a b='1'>x&amp;y</a>", ""] {
            for (bom, f) in [
                ([0xFFu8, 0xFE], u16::to_le_bytes as fn(u16) -> [u8; 2]),
                ([0xFE, 0xFF], u16::to_be_bytes),
            ] {
                let data: Vec<u8> = bom
                    .into_iter()
                    .chain(s.encode_utf16().flat_map(f))
                    .collect();
                for max in [1, 2, 3] {
                    let whole_text = super::super::decode(data.clone());
                    let whole = dump(Reader::new(&whole_text));
                    let streamed = dump(Reader::stream(Chunks {
                        data: &data,
                        rng: Rng(7),
                        max,
                    }));
                    assert_eq!(whole, streamed, "{s}");
                }
            }
        }
    }
}
