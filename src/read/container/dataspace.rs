//! `\x06DataSpaces\DataSpaceMap` ([MS-OFFCRYPTO] 2.1.6): which data space (and so which kind
//! of protection) applies to which stream. Tells password encryption from IRM.

use super::{LeReader, utf16le};
use crate::read::error::PartError;

#[derive(Debug, PartialEq, Eq)]
pub struct MapEntry {
    /// The streams or storages the data space applies to, e.g. `EncryptedPackage`.
    pub components: Vec<String>,
    /// e.g. `StrongEncryptionDataSpace`, `DRMEncryptedDataSpace`, `\u{9}DRMDataSpace`.
    pub data_space: String,
}

/// A length-prefixed UTF-16 string padded to 4 bytes (UNICODE-LP-P4).
fn lp_p4(r: &mut LeReader<'_>) -> Result<String, PartError> {
    let len = r.u32()? as usize;
    if len > 4096 {
        return Err(PartError::Implausible {
            count: len as u64,
            what: "bytes in a string",
        });
    }
    let start = r.pos;
    let s = utf16le(r.bytes(len)?);
    r.align4(start);
    Ok(s)
}

pub fn parse_map(data: &[u8]) -> Result<Vec<MapEntry>, PartError> {
    let mut r = LeReader::new(data);
    let header = r.u32()? as usize;
    let count = r.u32()?;
    if count > 256 {
        return Err(PartError::Implausible {
            count: u64::from(count),
            what: "entries",
        });
    }
    r.pos = header.max(8);
    let mut entries = Vec::new();
    for _ in 0..count {
        let start = r.pos;
        let len = r.u32()? as usize;
        let refs = r.u32()?;
        if refs > 256 {
            return Err(PartError::Implausible {
                count: u64::from(refs),
                what: "reference components",
            });
        }
        let mut components = Vec::new();
        for _ in 0..refs {
            let _kind = r.u32()?; // 0 stream, 1 storage
            components.push(lp_p4(&mut r)?);
        }
        let data_space = lp_p4(&mut r)?;
        entries.push(MapEntry {
            components,
            data_space,
        });
        r.pos = r.pos.max(start + len);
    }
    Ok(entries)
}

/// Appends a length-prefixed UTF-16 string padded to 4 bytes (UNICODE-LP-P4). For the
/// fixture builder (not in the default build).
#[cfg(any(test, feature = "fixture"))]
pub fn write_lp_p4(out: &mut Vec<u8>, s: &str) {
    let units: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
    out.extend((units.len() as u32).to_le_bytes());
    out.extend(&units);
    out.resize(out.len() + (4 - units.len() % 4) % 4, 0);
}

/// Serialises a map; used by the fixture builder to write the same bytes Office writes.
#[cfg(any(test, feature = "fixture"))]
pub fn write_map(entries: &[MapEntry]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(8u32.to_le_bytes());
    out.extend((entries.len() as u32).to_le_bytes());
    for e in entries {
        let mut body = Vec::new();
        body.extend((e.components.len() as u32).to_le_bytes());
        for c in &e.components {
            body.extend(0u32.to_le_bytes());
            write_lp_p4(&mut body, c);
        }
        write_lp_p4(&mut body, &e.data_space);
        out.extend((body.len() as u32 + 4).to_le_bytes());
        out.extend(body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_password_map_office_writes() {
        // The whole stream of a password-encrypted docx, as observed (spec/labels.md §3.3).
        let mut data = vec![
            8, 0, 0, 0, 1, 0, 0, 0, 0x68, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0x20, 0, 0, 0,
        ];
        data.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        data.extend([0x32, 0, 0, 0]);
        data.extend(
            "StrongEncryptionDataSpace"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        );
        data.extend([0, 0]);
        let map = parse_map(&data).unwrap();
        assert_eq!(
            map,
            vec![MapEntry {
                components: vec!["EncryptedPackage".into()],
                data_space: "StrongEncryptionDataSpace".into()
            }]
        );
        assert_eq!(write_map(&map), data);
    }

    #[test]
    fn round_trips_irm_legacy_map() {
        let map = vec![MapEntry {
            components: vec!["\u{9}DRMContent".into()],
            data_space: "\u{9}DRMDataSpace".into(),
        }];
        assert_eq!(parse_map(&write_map(&map)).unwrap(), map);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(parse_map(&[8, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff]).is_err());
        assert!(parse_map(&[]).is_err());
        assert!(parse_map(&[8, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]).is_err());
    }
}
