//! Property set streams ([MS-OLEPS] 2.21): the user-defined properties of
//! `\x05DocumentSummaryInformation`, where encrypted and legacy files keep `MSIP_Label_*`.

use super::{LeReader, utf16le};
use crate::read::error::PartError;

/// FMTID_UserDefinedProperties, D5CDD505-2E9C-101B-9397-08002B2CF9AE, as stored on disk.
pub const FMTID_USER_DEFINED: [u8; 16] = [
    0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];
/// FMTID_DocSummaryInformation, D5CDD502-2E9C-101B-9397-08002B2CF9AE, as stored on disk.
pub const FMTID_DOC_SUMMARY: [u8; 16] = [
    0x02, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE,
];

pub const CP_UTF16: u16 = 1200;
const VT_I2: u16 = 0x0002;
const VT_I4: u16 = 0x0003;
const VT_BOOL: u16 = 0x000B;
const VT_LPSTR: u16 = 0x001E;
const VT_LPWSTR: u16 = 0x001F;

/// FMTID_SummaryInformation, F29F85E0-4FF9-1068-AB91-08002B27B3D9, as stored on disk.
pub const FMTID_SUMMARY: [u8; 16] = [
    0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9,
];

/// The named user-defined properties of a DocumentSummaryInformation stream, in stream
/// order. Values that are not strings, integers or booleans are skipped. A stream without a
/// user-defined section gives an empty list.
pub fn user_defined(data: &[u8]) -> Result<Vec<(String, String)>, PartError> {
    let Some(offset) = section_offset(data, &FMTID_USER_DEFINED)? else {
        return Ok(Vec::new());
    };
    let section = Section::read(data, offset)?;
    let names = match section.offsets.iter().find(|(pid, _)| *pid == 0) {
        Some(&(_, off)) => dictionary(
            &mut LeReader::at(data, offset.saturating_add(off)),
            section.code_page,
        )?,
        None => Vec::new(),
    };
    let mut props = Vec::new();
    for (pid, value) in section.values(data)? {
        if let Some((_, name)) = names.iter().find(|(id, _)| *id == pid) {
            props.push((name.clone(), value));
        }
    }
    Ok(props)
}

/// The properties of the section `fmtid` of a property set stream, by property id: the
/// SummaryInformation's title (2), author (4), last author (8), and so on ([MS-OLEPS]
/// 2.24, 2.25). A stream without that section gives an empty list.
pub fn by_id(data: &[u8], fmtid: &[u8; 16]) -> Result<Vec<(u32, String)>, PartError> {
    match section_offset(data, fmtid)? {
        Some(offset) => Section::read(data, offset)?.values(data),
        None => Ok(Vec::new()),
    }
}

/// Where the section `fmtid` starts, if the stream has one.
fn section_offset(data: &[u8], fmtid: &[u8; 16]) -> Result<Option<usize>, PartError> {
    let mut r = LeReader::new(data);
    if r.u16()? != 0xFFFE {
        return Err(PartError::Malformed(
            "not a property set stream (byte order mark is not FFFE)",
        ));
    }
    r.bytes(2 + 4 + 16)?; // version, system identifier, CLSID
    let sets = r.u32()?.min(16);
    for _ in 0..sets {
        let id = r.bytes(16)?;
        let offset = r.u32()? as usize;
        if id == fmtid {
            return Ok(Some(offset));
        }
    }
    Ok(None)
}

/// A section's property offsets (relative to its start) and code page.
struct Section {
    base: usize,
    offsets: Vec<(u32, usize)>,
    code_page: u16,
}

impl Section {
    fn read(data: &[u8], base: usize) -> Result<Section, PartError> {
        let mut r = LeReader::at(data, base);
        let _size = r.u32()?;
        let count = r.u32()?;
        if count > 4096 {
            return Err(PartError::Implausible {
                count: u64::from(count),
                what: "properties",
            });
        }
        let mut offsets = Vec::with_capacity(count as usize);
        for _ in 0..count {
            offsets.push((r.u32()?, r.u32()? as usize));
        }
        // The code page decides how the dictionary and VT_LPSTR values are encoded.
        let mut code_page = 1252;
        for &(pid, off) in &offsets {
            if pid == 1 {
                let mut v = LeReader::at(data, base + off);
                if v.u16()? == VT_I2 {
                    v.u16()?;
                    code_page = v.u16()?;
                }
            }
        }
        Ok(Section {
            base,
            offsets,
            code_page,
        })
    }

    /// The values of every property past the dictionary (0) and code page (1).
    fn values(&self, data: &[u8]) -> Result<Vec<(u32, String)>, PartError> {
        let mut props = Vec::new();
        for &(pid, off) in &self.offsets {
            if pid < 2 {
                continue;
            }
            let mut r = LeReader::at(data, self.base.saturating_add(off));
            if let Some(value) = value(&mut r, self.code_page)? {
                props.push((pid, value));
            }
        }
        Ok(props)
    }
}

fn dictionary(r: &mut LeReader<'_>, code_page: u16) -> Result<Vec<(u32, String)>, PartError> {
    let n = r.u32()?;
    if n > 4096 {
        return Err(PartError::Implausible {
            count: u64::from(n),
            what: "dictionary entries",
        });
    }
    let mut out = Vec::with_capacity(n as usize);
    for _ in 0..n {
        let pid = r.u32()?;
        let len = r.u32()? as usize;
        let name = if code_page == CP_UTF16 {
            let start = r.pos;
            let s = utf16le(
                r.bytes(
                    len.checked_mul(2)
                        .ok_or(PartError::Malformed("name length overflows"))?,
                )?,
            );
            r.align4(start);
            s
        } else {
            decode(r.bytes(len)?, code_page)
        };
        out.push((pid, name));
    }
    Ok(out)
}

fn value(r: &mut LeReader<'_>, code_page: u16) -> Result<Option<String>, PartError> {
    let vt = r.u16()?;
    r.u16()?;
    Ok(match vt {
        VT_LPSTR => {
            let n = r.u32()? as usize;
            let raw = r.bytes(n)?;
            Some(if code_page == CP_UTF16 {
                utf16le(raw)
            } else {
                decode(raw, code_page)
            })
        }
        VT_LPWSTR => {
            let n = r.u32()? as usize;
            Some(utf16le(
                r.bytes(
                    n.checked_mul(2)
                        .ok_or(PartError::Malformed("string length overflows"))?,
                )?,
            ))
        }
        VT_I4 => Some((r.u32()? as i32).to_string()),
        VT_I2 => Some((r.u16()? as i16).to_string()),
        VT_BOOL => Some((r.u16()? != 0).to_string()),
        _ => None,
    })
}

/// Single-byte (or UTF-8) text in the stream's code page, up to the first NUL. Windows-1252
/// differs from Latin-1 only in 0x80–0x9F; other single-byte code pages are read as Latin-1.
fn decode(bytes: &[u8], code_page: u16) -> String {
    let bytes = bytes.split(|&b| b == 0).next().unwrap_or_default();
    if code_page == 65001 {
        return String::from_utf8_lossy(bytes).into_owned();
    }
    const CP1252: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    bytes
        .iter()
        .map(|&b| match b {
            0x80..=0x9F if code_page == 1252 => CP1252[b as usize - 0x80],
            _ => b as char,
        })
        .collect()
}

/// Writes a DocumentSummaryInformation stream holding an empty DocSummaryInformation section
/// and a user-defined section with `props` as strings: VT_LPSTR in `code_page`, or VT_LPWSTR
/// values and a UTF-16 dictionary when `code_page` is 1200. For the fixture builder: it
/// writes the layout Office writes, so the reader is tested against real structure.
#[cfg(any(test, feature = "fixture"))]
pub fn write_user_defined(code_page: u16, props: &[(&str, &str)]) -> Vec<u8> {
    fn pad4(v: &mut Vec<u8>) {
        v.resize(v.len().div_ceil(4) * 4, 0);
    }
    let encode = |s: &str| -> Vec<u8> {
        match code_page {
            CP_UTF16 => s
                .encode_utf16()
                .chain([0])
                .flat_map(u16::to_le_bytes)
                .collect(),
            65001 => s.bytes().chain([0]).collect(),
            // Latin-1 range only: fixtures use ASCII and Norwegian letters.
            _ => s
                .chars()
                .map(|c| u8::try_from(c as u32).unwrap_or(b'?'))
                .chain([0])
                .collect(),
        }
    };
    // Section 1: dictionary (pid 0), code page (pid 1), then one string per property.
    let mut values: Vec<(u32, Vec<u8>)> = Vec::new();
    let mut dict = (props.len() as u32).to_le_bytes().to_vec();
    for (i, (name, _)) in props.iter().enumerate() {
        dict.extend((i as u32 + 2).to_le_bytes());
        let bytes = encode(name);
        let chars = if code_page == CP_UTF16 {
            bytes.len() / 2
        } else {
            bytes.len()
        };
        dict.extend((chars as u32).to_le_bytes());
        dict.extend(&bytes);
        if code_page == CP_UTF16 {
            pad4(&mut dict);
        }
    }
    pad4(&mut dict);
    values.push((0, dict));
    let mut cp = VT_I2.to_le_bytes().to_vec();
    cp.extend([0, 0]);
    cp.extend(code_page.to_le_bytes());
    cp.extend([0, 0]);
    values.push((1, cp));
    for (i, (_, value)) in props.iter().enumerate() {
        let bytes = encode(value);
        let (vt, n) = if code_page == CP_UTF16 {
            (VT_LPWSTR, bytes.len() / 2)
        } else {
            (VT_LPSTR, bytes.len())
        };
        let mut v = vt.to_le_bytes().to_vec();
        v.extend([0, 0]);
        v.extend((n as u32).to_le_bytes());
        v.extend(bytes);
        pad4(&mut v);
        values.push((i as u32 + 2, v));
    }
    let user = property_set(&values);
    let summary = property_set(&[]);

    let mut out = Vec::new();
    out.extend(0xFFFEu16.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(0x0002_000Au32.to_le_bytes()); // Windows, as Office writes
    out.extend([0; 16]);
    out.extend(2u32.to_le_bytes());
    let first = 28 + 2 * 20;
    out.extend(FMTID_DOC_SUMMARY);
    out.extend((first as u32).to_le_bytes());
    out.extend(FMTID_USER_DEFINED);
    out.extend(((first + summary.len()) as u32).to_le_bytes());
    out.extend(summary);
    out.extend(user);
    out
}

/// Writes a SummaryInformation stream with `props` (property id, text) as VT_LPSTR in
/// Windows-1252, as Office writes a legacy file's title, author and last author.
#[cfg(any(test, feature = "fixture"))]
pub fn write_summary(props: &[(u32, &str)]) -> Vec<u8> {
    let mut values = vec![(1, vec![0x02, 0, 0, 0, 0xE4, 0x04, 0, 0])]; // VT_I2 1252
    for (pid, text) in props {
        let bytes: Vec<u8> = text
            .chars()
            .map(|c| u8::try_from(c as u32).unwrap_or(b'?'))
            .chain([0])
            .collect();
        let mut v = VT_LPSTR.to_le_bytes().to_vec();
        v.extend([0, 0]);
        v.extend((bytes.len() as u32).to_le_bytes());
        v.extend(bytes);
        v.resize(v.len().div_ceil(4) * 4, 0);
        values.push((*pid, v));
    }
    let mut out = Vec::new();
    out.extend(0xFFFEu16.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(0x0002_000Au32.to_le_bytes());
    out.extend([0; 16]);
    out.extend(1u32.to_le_bytes());
    out.extend(FMTID_SUMMARY);
    out.extend(48u32.to_le_bytes());
    out.extend(property_set(&values));
    out
}

#[cfg(any(test, feature = "fixture"))]
fn property_set(values: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let header = 8 + 8 * values.len();
    let mut offsets = Vec::new();
    let mut body: Vec<u8> = Vec::new();
    for (pid, v) in values {
        offsets.extend(pid.to_le_bytes());
        offsets.extend(((header + body.len()) as u32).to_le_bytes());
        body.extend(v);
    }
    let mut out = ((header + body.len()) as u32).to_le_bytes().to_vec();
    out.extend((values.len() as u32).to_le_bytes());
    out.extend(offsets);
    out.extend(body);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_information_by_id() {
        let data = write_summary(&[(2, "Vedtak"), (8, "Kari Nordmann")]);
        assert_eq!(
            by_id(&data, &FMTID_SUMMARY).unwrap(),
            [(2, "Vedtak".to_string()), (8, "Kari Nordmann".to_string())]
        );
        assert!(by_id(&data, &FMTID_DOC_SUMMARY).unwrap().is_empty());
        assert!(by_id(&data[..60], &FMTID_SUMMARY).is_err());
    }

    const PROPS: &[(&str, &str)] = &[
        (
            "MSIP_Label_b002e552-5bac-4e77-a8f2-1e8fdcadcedf_Enabled",
            "true",
        ),
        (
            "MSIP_Label_b002e552-5bac-4e77-a8f2-1e8fdcadcedf_Name",
            "Åpen – ‘intern’",
        ),
    ];

    #[test]
    fn reads_lpstr_in_cp1252() {
        let data = write_user_defined(1252, PROPS);
        let got = user_defined(&data).unwrap();
        assert_eq!(got[0], (PROPS[0].0.to_string(), "true".to_string()));
        // The en dash and quotes are not Latin-1: the writer stores '?'; Å survives.
        assert_eq!(got[1].1, "Åpen ? ?intern?");
    }

    #[test]
    fn reads_cp1252_specials() {
        assert_eq!(decode(&[0x80, 0x96, 0xC5, 0], 1252), "€–Å");
        assert_eq!(decode(&[0x96], 28591), "\u{96}");
    }

    #[test]
    fn reads_lpwstr_with_unicode_dictionary() {
        let data = write_user_defined(CP_UTF16, PROPS);
        let got = user_defined(&data).unwrap();
        let want: Vec<(String, String)> = PROPS
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn reads_utf8_code_page() {
        let data = write_user_defined(65001, PROPS);
        assert_eq!(user_defined(&data).unwrap()[1].1, PROPS[1].1);
    }

    #[test]
    fn reads_the_bytes_observed_in_a_real_xls() {
        // Header of PhpSpreadsheet's 47_xlsfill.xls (spec/labels.md §3.3): version 0,
        // system 0x0002000A, user-defined section second. Build one section by hand.
        let mut sec = Vec::new();
        let name = b"MSIP_Label_x_Enabled\0";
        let mut dict = 1u32.to_le_bytes().to_vec();
        dict.extend(2u32.to_le_bytes());
        dict.extend((name.len() as u32).to_le_bytes());
        dict.extend(name);
        dict.resize(dict.len().div_ceil(4) * 4, 0);
        let mut val = VT_LPSTR.to_le_bytes().to_vec();
        val.extend([0, 0, 5, 0, 0, 0]);
        val.extend(b"true\0\0\0\0");
        let header = 8 + 8 * 2;
        sec.extend(((header + dict.len() + val.len()) as u32).to_le_bytes());
        sec.extend(2u32.to_le_bytes());
        sec.extend(0u32.to_le_bytes());
        sec.extend((header as u32).to_le_bytes());
        sec.extend(2u32.to_le_bytes());
        sec.extend(((header + dict.len()) as u32).to_le_bytes());
        sec.extend(dict);
        sec.extend(val);
        let mut data = vec![0xFE, 0xFF, 0, 0, 0x0A, 0, 2, 0];
        data.extend([0; 16]);
        data.extend(1u32.to_le_bytes());
        data.extend(FMTID_USER_DEFINED);
        data.extend(48u32.to_le_bytes());
        data.extend(sec);
        // No code page property: the default 1252 applies.
        assert_eq!(
            user_defined(&data).unwrap(),
            vec![("MSIP_Label_x_Enabled".into(), "true".into())]
        );
    }

    #[test]
    fn no_user_section_and_garbage() {
        let data = write_user_defined(1252, &[]);
        assert!(user_defined(&data).unwrap().is_empty());
        assert!(user_defined(b"\xFE\xFF").is_err());
        assert!(user_defined(b"").is_err());
        let mut bad = write_user_defined(1252, PROPS);
        bad.truncate(100);
        assert!(user_defined(&bad).is_err());
    }
}
