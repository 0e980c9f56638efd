//! Text of Word 97–2003 documents (.doc), read from [MS-DOC] on the compound file: the FIB,
//! the piece table, then every story with its own location as the .docx twin gives it —
//! main text by paragraph and table cell, footnotes, headers and footers, comments and
//! their authors, endnotes, text boxes and header text boxes. Field codes, tracked
//! deletions, insertions and hidden text are flagged as in WordprocessingML.

mod fib;
mod fkp;
mod pieces;
mod stories;

pub use fib::Unread;
use fib::{Fib, Lcb};

use crate::read::error::PartError;
use crate::read::text::Emitter;

/// Reads the text of a `WordDocument` stream and its table stream (`table` gets `true` for
/// `1Table`) into `out`. `Ok(Some(_))` names what this reader does not read (Word 6/95,
/// encrypted); `Ok(None)` is a file read. `max_chars` caps the character positions decoded.
pub fn extract(
    word: &[u8],
    table: impl FnOnce(bool) -> Result<Option<Vec<u8>>, PartError>,
    max_chars: u64,
    out: &mut Emitter,
) -> Result<Option<Unread>, PartError> {
    let fib = Fib::parse(word)?;
    if let Some(why) = fib.unread() {
        return Ok(Some(why));
    }
    let table = table(fib.table_1)?.ok_or(PartError::Malformed("the table stream is missing"))?;
    let chp = fkp::Runs::read(fib.slice(Lcb::PlcfBteChpx, &table), word, false);
    let pap = fkp::Runs::read(fib.slice(Lcb::PlcfBtePapx, &table), word, true);
    // Every character takes at least a byte of the stream: more positions are damage.
    let want = fib.ccp.total();
    let max = max_chars.min(word.len() as u64);
    let text = pieces::read(fib.slice(Lcb::Clx, &table), word, want, max, &chp, &pap)?;
    stories::emit(&fib, &table, &text, out);
    if text.cut {
        return Err(PartError::Limit(
            crate::read::error::Limit::Text,
            "more characters than the stream can hold: the rest is not read".into(),
        ));
    }
    Ok(None)
}
