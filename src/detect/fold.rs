//! Text as a reader of the document sees it, for finding numbers: characters that show
//! nothing (zero-width space and joiners, word joiner, soft hyphen, byte-order mark,
//! direction marks and overrides) are left out, digits of other scripts (full-width,
//! Arabic-Indic, Devanagari, …) read as the digits they are, and spaces of other widths
//! (figure, en, em space) as a space. `151086\u{200B}95088` is then the number
//! Word shows. Detection and masking both read the folded text, so a number found is a
//! number masked.

/// A text folded, and where each of its bytes came from in the original.
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, and one past its end: the byte offset in the original.
    at: Vec<u32>,
}

impl Folded {
    /// The original byte offset of a byte offset into the folded text.
    pub fn original(&self, i: usize) -> usize {
        self.at[i.min(self.at.len() - 1)] as usize
    }

    /// The byte offset in the folded text of an offset into the original: the first
    /// folded byte from there on.
    pub fn folded(&self, original: usize) -> usize {
        self.at.partition_point(|&o| (o as usize) < original)
    }
}

/// `text` folded, or `None` when folding changes nothing (most text: the check is a scan
/// for a non-ASCII byte).
pub fn fold(text: &str) -> Option<Folded> {
    if text.is_ascii() {
        return None;
    }
    let first = first_to_fold(text)?;
    let mut out = Folded {
        text: String::with_capacity(text.len()),
        at: Vec::with_capacity(text.len() + 1),
    };
    out.text.push_str(&text[..first]);
    out.at.extend(0..first as u32);
    for (i, c) in text[first..].char_indices() {
        let i = (first + i) as u32;
        let c = match c {
            c if invisible(c) => continue,
            c if wide_space(c) => ' ',
            c => digit(c).unwrap_or(c),
        };
        out.text.push(c);
        out.at.extend(std::iter::repeat_n(i, c.len_utf8()));
    }
    out.at.push(text.len() as u32);
    Some(out)
}

/// Where the first character that folds starts. Only characters that start with a byte of
/// `LEADS` fold: blocks of 64 bytes without one (letters such as æøå start with C3) are
/// passed over by comparisons the compiler does many at a time.
fn first_to_fold(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let lead = |c: u8| c == 0xC2 || c.wrapping_sub(0xD8) <= 0x0B || c >= 0xEF;
    let mut base = 0;
    for block in b.chunks(64) {
        if block.iter().fold(false, |any, &c| any | lead(c)) {
            let hit = (base..base + block.len())
                .find(|&i| LEADS[usize::from(b[i])] && text[i..].chars().next().is_some_and(folds));
            if hit.is_some() {
                return hit;
            }
        }
        base += block.len();
    }
    None
}

/// The first bytes of the characters that fold (U+00AD; U+0600–U+07FF; U+0800–U+3FFF;
/// U+FEFF, U+FF10–U+FF19; U+1D7CE–U+1D7FF).
const LEADS: [bool; 256] = {
    let mut t = [false; 256];
    t[0xC2] = true;
    let mut b = 0xD8;
    while b <= 0xE3 {
        t[b] = true;
        b += 1;
    }
    t[0xEF] = true;
    t[0xF0] = true;
    t
};

fn folds(c: char) -> bool {
    invisible(c) || wide_space(c) || (!c.is_ascii_digit() && digit(c).is_some())
}

/// Format characters: they change how text is laid out or read aloud, not what it shows.
fn invisible(c: char) -> bool {
    matches!(
        c,
        '\u{AD}'
            | '\u{61C}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FEFF}'
    )
}

/// Spaces of other widths (a tab between digit groups is a separator itself:
/// `detect::tokens`).
fn wide_space(c: char) -> bool {
    matches!(
        c,
        '\u{2000}'..='\u{2008}' | '\u{200A}' | '\u{205F}' | '\u{3000}'
    )
}

/// The ASCII digit a decimal digit of another script is.
fn digit(c: char) -> Option<char> {
    // The zeros of the blocks of decimal digits people type numbers in.
    const ZEROS: [u32; 22] = [
        0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
        0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0xFF10, 0x1D7CE,
    ];
    let n = c as u32;
    if n < 0x0660 {
        return None;
    }
    let offset = ZEROS.iter().find_map(|&z| match n.checked_sub(z) {
        // Mathematical digits: five styles of ten, U+1D7CE–U+1D7FF.
        Some(d) if z == 0x1D7CE && d < 50 => Some(d % 10),
        Some(d) if d < 10 => Some(d),
        _ => None,
    })?;
    char::from_digit(offset, 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_shown() {
        let f = |s: &str| fold(s).map(|f| f.text);
        assert_eq!(f("fnr 151086 95088"), None);
        assert_eq!(f("Søker på skolen"), None);
        for hidden in [
            "1510\u{200B}86 95088",
            "1510\u{2060}86 95088",
            "1510\u{AD}86 95088",
            "1510\u{FEFF}86 95088",
            "1510\u{200E}86 95088",
            "151086\u{2007}95088",
            "151086\u{2002}95088",
            "１５１０８６ ９５０８８",
            "١٥١٠٨٦ ٩٥٠٨٨",
        ] {
            assert_eq!(f(hidden).as_deref(), Some("151086 95088"), "{hidden:?}");
        }
    }

    #[test]
    fn offsets_lead_back() {
        let s = "a\u{200B}1２";
        let f = fold(s).unwrap();
        assert_eq!(f.text, "a12");
        assert_eq!(
            (0..=3).map(|i| f.original(i)).collect::<Vec<_>>(),
            [0, 4, 5, s.len()]
        );
    }
}
