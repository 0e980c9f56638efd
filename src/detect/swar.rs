//! Eight bytes at a time in a `u64` (SIMD within a register, no `unsafe`): which bytes of
//! a text are ASCII digits or capitals: words skipped eight bytes at a time in a search
//! for digits, and eight bytes of a text folded to compare with a keyword's.

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The eight bytes of `bytes` from `at`, little-endian, zeros past the end.
pub fn load(bytes: &[u8], at: usize) -> u64 {
    match bytes.get(at..at + 8) {
        Some(b) => u64::from_le_bytes(b.try_into().expect("8 bytes")),
        None => {
            let mut b = [0u8; 8];
            let rest = &bytes[at.min(bytes.len())..];
            b[..rest.len()].copy_from_slice(rest);
            u64::from_le_bytes(b)
        }
    }
}

/// The top bit of each byte of `x` that is in `lo..=hi` (both ASCII).
fn within(x: u64, lo: u8, hi: u8) -> u64 {
    // No carry crosses a byte: each byte is at most 0x7f before the add.
    let seven = x & !HIGH;
    (seven + u64::from(0x80 - lo) * ONES) & !(seven + u64::from(0x80 - hi - 1) * ONES) & !x & HIGH
}

/// `x` with its ASCII capitals in lowercase; every other byte as it is.
pub fn lowercase(x: u64) -> u64 {
    x | within(x, b'A', b'Z') >> 2
}

/// The top bit of each byte of `x` that is an ASCII digit.
pub fn digits(x: u64) -> u64 {
    within(x, b'0', b'9')
}

/// How many bytes a mask of top bits marks.
pub fn count(mask: u64) -> u32 {
    // The bytes' 0s and 1s summed into the top byte (no popcnt on baseline x86-64).
    ((mask >> 7).wrapping_mul(ONES) >> 56) as u32
}

/// Where the first ASCII digit of `bytes[from..]` is, if any.
pub fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    let mut i = from;
    while i + 8 <= bytes.len() {
        let found = digits(load(bytes, i));
        if found != 0 {
            return Some(i + found.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    (i..bytes.len()).find(|&i| bytes[i].is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_the_byte_tests_say() {
        // Every byte value in every position, beside every other kind of byte.
        let mut text: Vec<u8> = (0..=255u8).collect();
        text.extend((0..=255u8).rev());
        text.extend(b"abc123XYZ");
        for from in 0..text.len() {
            let digit = (from..text.len()).find(|&i| text[i].is_ascii_digit());
            assert_eq!(next_digit(&text, from), digit, "{from}");
            let x = load(&text, from);
            let folded: Vec<u8> = x.to_le_bytes().iter().map(u8::to_ascii_lowercase).collect();
            assert_eq!(lowercase(x).to_le_bytes().to_vec(), folded, "{from}");
            let d = x
                .to_le_bytes()
                .iter()
                .filter(|b| b.is_ascii_digit())
                .count();
            assert_eq!(count(digits(x)) as usize, d, "{from}");
        }
        assert_eq!(next_digit(b"ingen sifre her, ingen", 0), None);
    }
}
