//! Validators for the other Norwegian identifiers (spec/pii.md §2): kontonummer, IBAN,
//! organisasjonsnummer, DUF-nummer, and the telephone number plan. Digits in, verdict out.

/// The digits of a candidate as numbers, held in place: every digit group found is read
/// this way, most to no identifier, so it costs no allocation.
#[derive(Clone, Copy, Default)]
pub struct Digits {
    d: [u8; MAX_DIGITS],
    len: u8,
}

/// Digits an identifier has at most (an IBAN's 13 after `NO`): a longer string of digits
/// is none of them, and reads as no digits.
const MAX_DIGITS: usize = 16;

impl std::ops::Deref for Digits {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.d[..usize::from(self.len)]
    }
}

/// A string of ASCII digits as numbers, or `None` if any character is not a digit. More
/// than `MAX_DIGITS` digits give an empty list: no identifier is that long.
pub fn digits(s: &str) -> Option<Digits> {
    let mut out = Digits::default();
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if s.len() <= MAX_DIGITS {
        for (d, b) in out.d.iter_mut().zip(s.bytes()) {
            *d = b - b'0';
        }
        out.len = s.len() as u8;
    }
    Some(out)
}

fn weighted(d: &[u8], w: &[u32]) -> u32 {
    d.iter().zip(w).map(|(&x, w)| w * u32::from(x)).sum()
}

/// Mod-11 control digit for weights `w`: `11 − Σ mod 11`, 11 → 0, 10 → none.
fn mod11(d: &[u8], w: &[u32]) -> Option<u8> {
    match 11 - weighted(d, w) % 11 {
        11 => Some(0),
        10 => None,
        k => Some(k as u8),
    }
}

/// An 11-digit account number: weights 5 4 3 2 7 6 5 4 3 2 (the same as fnr K2).
pub fn kontonummer(d: &[u8]) -> bool {
    d.len() == 11
        && d[..4] != [0, 0, 0, 0]
        && mod11(&d[..10], &[5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) == Some(d[10])
}

/// A 9-digit organisation number: weights 3 2 7 6 5 4 3 2.
pub fn orgnr(d: &[u8]) -> bool {
    d.len() == 9 && mod11(&d[..8], &[3, 2, 7, 6, 5, 4, 3, 2]) == Some(d[8])
}

/// A 12-digit DUF number's checksum: weights 4 6 3 2 4 6 3 2 7 5 over the first ten digits,
/// the sum mod 11 equal to the last two digits (a confirmation only: UDI's own example fails).
pub fn duf_checksum(d: &[u8]) -> bool {
    d.len() == 12
        && weighted(&d[..10], &[4, 6, 3, 2, 4, 6, 3, 2, 7, 5]) % 11
            == u32::from(d[10]) * 10 + u32::from(d[11])
}

/// Whether 12 digits start with a year a DUF number can have: 1980–2099 (`19[89]x|20xx`,
/// spec/pii.md §2.6). Earlier years are dates and references, not DUF numbers.
pub fn duf_year(digits: &str) -> bool {
    digits.starts_with("198") || digits.starts_with("199") || digits.starts_with("20")
}

/// A Norwegian IBAN (`NO` + 2 check digits + kontonummer), spaces and hyphens ignored:
/// ISO 13616 mod 97 and the account's own control digit.
pub fn iban_no(s: &str) -> bool {
    let s: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let s = s.to_ascii_uppercase();
    let Some(rest) = s.strip_prefix("NO") else {
        return false;
    };
    let Some(d) = digits(rest).filter(|d| d.len() == 13) else {
        return false;
    };
    if !kontonummer(&d[2..]) {
        return false;
    }
    // Move "NO" + check digits to the end, letters as numbers (N = 23, O = 24).
    let moved = format!("{}2324{}", &rest[2..], &rest[..2]);
    moved
        .bytes()
        .fold(0u32, |acc, b| (acc * 10 + u32::from(b - b'0')) % 97)
        == 1
}

/// What an 8-digit Norwegian telephone number is, by the number plan (Nkom).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phone {
    /// 4xx xx xxx or 9xx xx xxx.
    Mobile,
    /// 2x, 3x, 5x (not 58/59), 6x, 7x.
    Fixed,
    /// 8xx special numbers, M2M and anything else: not personal.
    Other,
}

pub fn phone(d: &[u8]) -> Phone {
    if d.len() != 8 {
        return Phone::Other;
    }
    match (d[0], d[1]) {
        (4 | 9, _) => Phone::Mobile,
        (5, 8 | 9) => Phone::Other,
        (2 | 3 | 5 | 6 | 7, _) => Phone::Fixed,
        _ => Phone::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Digits {
        digits(s).unwrap()
    }

    #[test]
    fn digits_are_read_in_place_up_to_the_longest_identifier() {
        assert_eq!(
            &*d("0123456789012345"),
            &[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5]
        );
        assert!(d("01234567890123456").is_empty());
        assert!(digits("1234 5678").is_none());
        assert!(digits("12345678901234567x").is_none());
        assert!(d("").is_empty());
        // Seventeen digits are no account, whatever their first eleven.
        assert!(!kontonummer(&d("86011117947000000")));
    }

    #[test]
    fn accounts_and_organisations() {
        assert!(kontonummer(&d("86011117947")));
        assert!(
            kontonummer(&d("15108695088")),
            "every valid fnr is a valid account"
        );
        assert!(!kontonummer(&d("86011117949")));
        assert!(orgnr(&d("988077917")));
        assert!(!orgnr(&d("988077918")));
        assert!(duf_checksum(&d("200205705502")));
        assert!(!duf_checksum(&d("200205705503")));
        assert!(
            !duf_checksum(&d("201258697561")),
            "UDI's example fails the checksum"
        );
        assert!(duf_year("198012345678") && duf_year("201258697561"));
        assert!(!duf_year("197912345678") && !duf_year("190012345678"));
    }

    #[test]
    fn ibans() {
        assert!(iban_no("NO93 8601 1117 947"));
        assert!(iban_no("no9386011117947"));
        assert!(iban_no("NO93-8601-1117-947"));
        assert!(!iban_no("NO92 8601 1117 947"));
        assert!(!iban_no("NO23 8601 1117 946"));
        assert!(!iban_no("DE93 8601 1117 947"));
    }

    #[test]
    fn phones() {
        assert_eq!(phone(&d("41234567")), Phone::Mobile);
        assert_eq!(phone(&d("91234567")), Phone::Mobile);
        assert_eq!(phone(&d("22334455")), Phone::Fixed);
        assert_eq!(phone(&d("80012345")), Phone::Other);
        assert_eq!(phone(&d("58123456")), Phone::Other);
    }
}
