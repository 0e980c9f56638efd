//! Sensitivity labels as stored in a file (spec/labels.md): the `LabelInfo` XML (a package
//! part, or a stream in an encrypted file) and the older `MSIP_Label_<GUID>_<Attribute>`
//! properties, merged per tenant as [MS-OFFCRYPTO] 2.6.3 prescribes.

use xml::Event;

use crate::model::{FoundLabel, Source};
use crate::read::error::PartError;
use crate::read::xml;

/// A GUID as compared everywhere: trimmed, braces stripped, lowercase.
pub fn normalize_guid(s: &str) -> String {
    s.trim()
        .trim_start_matches('{')
        .trim_end_matches('}')
        .to_ascii_lowercase()
}

/// Whether `s` (normalised) is a GUID in 8-4-4-4-12 hex form.
pub fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Parses a `clbl:labelList` document. An empty list is valid and means "no label".
pub fn parse_label_info(text: &str, source: Source) -> Result<Vec<FoundLabel>, PartError> {
    let mut r = xml::reader(text);
    let mut labels = Vec::new();
    let mut root_seen = false;
    loop {
        match r.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) => {
                if !root_seen {
                    if !e.is("labelList") {
                        return Err(PartError::Root {
                            found: e.name().to_string(),
                            expected: "labelList",
                        });
                    }
                    root_seen = true;
                } else if e.is("label") {
                    let a = |n: &str| e.plain_attr(n);
                    labels.push(FoundLabel {
                        id: a("id").map(|s| normalize_guid(&s)).unwrap_or_default(),
                        site_id: a("siteId").map(|s| normalize_guid(&s)),
                        enabled: a("enabled").and_then(|v| xml::parse_bool(&v)),
                        removed: a("removed").and_then(|v| xml::parse_bool(&v)),
                        method: a("method"),
                        content_bits: a("contentBits").and_then(|v| v.trim().parse().ok()),
                        name: a("name"),
                        set_date: a("setDate"),
                        action_id: a("actionId"),
                        source,
                        ..FoundLabel::default()
                    });
                }
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => return Err(e.into()),
        }
    }
    if !root_seen {
        return Err(PartError::Malformed("no <labelList> element"));
    }
    Ok(labels)
}

/// Groups `MSIP_Label_<GUID>_<Attribute>` properties into labels, in order of first
/// appearance. Other properties are ignored.
pub fn from_properties<'a>(
    props: impl IntoIterator<Item = (&'a str, &'a str)>,
    source: Source,
) -> Vec<FoundLabel> {
    let mut labels: Vec<FoundLabel> = Vec::new();
    for (name, value) in props {
        let Some(rest) = name.strip_prefix("MSIP_Label_") else {
            continue;
        };
        let (Some(guid), Some(attr)) = (rest.get(..36), rest.get(37..)) else {
            continue;
        };
        if rest.as_bytes().get(36) != Some(&b'_') || !is_guid(&guid.to_ascii_lowercase()) {
            continue;
        }
        let id = normalize_guid(guid);
        let i = match labels.iter().position(|l| l.id == id) {
            Some(i) => i,
            None => {
                labels.push(FoundLabel {
                    id,
                    source,
                    ..FoundLabel::default()
                });
                labels.len() - 1
            }
        };
        let l = &mut labels[i];
        let value = value.trim();
        match attr {
            "Enabled" => l.enabled = xml::parse_bool(value),
            "SiteId" => l.site_id = Some(normalize_guid(value)),
            "Method" => l.method = Some(value.to_string()),
            "ContentBits" => l.content_bits = value.parse().ok(),
            "Name" => l.name = Some(value.to_string()),
            "SetDate" => l.set_date = Some(value.to_string()),
            "ActionId" => l.action_id = Some(value.to_string()),
            other => {
                l.extra.insert(other.to_string(), value.to_string());
            }
        }
    }
    labels
}

/// Marks property labels void where a LabelInfo source holds a `label` element (even a
/// removed one) for the same tenant: [MS-OFFCRYPTO] 2.6.3, case 3, decided per tenant.
pub fn resolve(labels: &mut [FoundLabel]) {
    let labelinfo_tenants: Vec<Option<String>> = labels
        .iter()
        .filter(|l| l.source.is_labelinfo())
        .map(|l| l.site_id.clone())
        .collect();
    for l in labels.iter_mut().filter(|l| !l.source.is_labelinfo()) {
        l.superseded = l.site_id.is_some() && labelinfo_tenants.contains(&l.site_id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: &str = r#"<?xml version="1.0" encoding="utf-8" standalone="yes"?><clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><clbl:label id="{f42aa342-8706-4288-bd11-ebb85995028c}" enabled="1" method="Standard" siteId="{72f988bf-86f1-41af-91ab-2d7cd011db47}" contentBits="0" removed="0" /></clbl:labelList>"#;

    #[test]
    fn parses_labelinfo_as_office_writes_it() {
        let l = &parse_label_info(MS, Source::Labelinfo).unwrap()[0];
        assert_eq!(l.id, "f42aa342-8706-4288-bd11-ebb85995028c");
        assert_eq!(
            l.site_id.as_deref(),
            Some("72f988bf-86f1-41af-91ab-2d7cd011db47")
        );
        assert_eq!(
            (l.enabled, l.removed, l.content_bits),
            (Some(true), Some(false), Some(0))
        );
        assert_eq!(l.method.as_deref(), Some("Standard"));
        assert!(l.is_active());
    }

    #[test]
    fn absent_content_bits_is_unknown_not_zero() {
        let xml = r#"<labelList xmlns="http://schemas.microsoft.com/office/2020/mipLabelMetadata"><label id="{E172B234-B00A-48D1-9C3F-AFFECFD47972}" enabled="true" method="Privileged" siteId="{be3d4777-8413-4df0-a6b9-5137603cd15e}" removed="false"/></labelList>"#;
        let l = &parse_label_info(xml, Source::Labelinfo).unwrap()[0];
        assert_eq!(l.content_bits, None);
        assert_eq!(
            l.id, "e172b234-b00a-48d1-9c3f-affecfd47972",
            "ids compare in lowercase"
        );
        assert_eq!(l.enabled, Some(true));
    }

    #[test]
    fn empty_list_tombstones_and_extra_attributes() {
        let empty = r#"<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata" />"#;
        assert!(
            parse_label_info(empty, Source::Labelinfo)
                .unwrap()
                .is_empty()
        );

        let xml = r#"<clbl:labelList xmlns:clbl="x"><clbl:label id="{aaaaaaaa-0000-0000-0000-000000000001}" enabled="0" setDate="2024-01-01T00:00:00Z" method="Standard" name="Intern" siteId="{aaaaaaaa-0000-0000-0000-000000000001}" actionId="x" removed="1" unknown="kept-quiet"/><clbl:extLst><clbl:ext uri="{X}"><any/></clbl:ext></clbl:extLst></clbl:labelList>"#;
        let l = parse_label_info(xml, Source::Labelinfo).unwrap();
        assert_eq!(l.len(), 1);
        assert_eq!((l[0].enabled, l[0].removed), (Some(false), Some(true)));
        assert_eq!(l[0].set_date.as_deref(), Some("2024-01-01T00:00:00Z"));
        assert_eq!(l[0].name.as_deref(), Some("Intern"));
        assert!(!l[0].is_active());
    }

    #[test]
    fn rejects_wrong_root_and_broken_xml() {
        assert!(
            parse_label_info("<labels/>", Source::Labelinfo)
                .unwrap_err()
                .to_string()
                .contains("expected <labelList>")
        );
        assert!(parse_label_info("<labelList><label id='x'", Source::Labelinfo).is_err());
        assert!(parse_label_info("", Source::Labelinfo).is_err());
    }

    fn props(guid: &str, pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (format!("MSIP_Label_{guid}_{k}"), v.to_string()))
            .collect()
    }

    #[test]
    fn groups_custom_properties_by_guid() {
        let g = "03ef5274-90b8-4b3f-8a76-b4c36a43e904";
        let mut p = vec![("ContentTypeId".to_string(), "0x0101".to_string())];
        p.extend(props(
            g,
            &[
                ("Enabled", "true"),
                ("SetDate", "2020-04-10T18:22:24Z"),
                ("Method", "Standard"),
                ("Name", "Not Protected_2"),
                ("SiteId", "61e6eeb3-5fd7-4aaa-ae3c-61e8deb09b79"),
                ("ActionId", "355b3caf-4d00-4a5f-bbd5-000094177f8a"),
                ("ContentBits", "0"),
                ("GeneratedBy", "HRReportingSystem"),
            ],
        ));
        let l = from_properties(
            p.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            Source::CustomProperties,
        );
        assert_eq!(l.len(), 1);
        let l = &l[0];
        assert_eq!(l.id, g);
        assert_eq!(l.enabled, Some(true));
        assert_eq!(l.removed, None, "properties have no removed flag");
        assert_eq!(l.name.as_deref(), Some("Not Protected_2"));
        assert_eq!(l.content_bits, Some(0));
        assert_eq!(
            l.extra.get("GeneratedBy").map(String::as_str),
            Some("HRReportingSystem")
        );
    }

    #[test]
    fn missing_enabled_is_not_a_label() {
        let p = props(
            "03ef5274-90b8-4b3f-8a76-b4c36a43e904",
            &[("SiteId", "61e6eeb3-5fd7-4aaa-ae3c-61e8deb09b79")],
        );
        let l = from_properties(
            p.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            Source::CustomProperties,
        );
        assert!(!l[0].is_active());
        let p = [
            ("MSIP_Label_not-a-guid_Enabled", "true"),
            ("MSIP_Label_", "x"),
        ];
        assert!(from_properties(p, Source::CustomProperties).is_empty());
    }

    fn label(id: &str, site: &str, source: Source) -> FoundLabel {
        FoundLabel {
            id: id.into(),
            site_id: Some(site.into()),
            enabled: Some(true),
            source,
            ..Default::default()
        }
    }

    #[test]
    fn labelinfo_wins_per_tenant_only() {
        // LabelInfo for tenant A; properties for A (stale) and for B (another organisation).
        let mut l = vec![
            label("1", "a", Source::Labelinfo),
            label("2", "a", Source::CustomProperties),
            label("3", "b", Source::CustomProperties),
        ];
        resolve(&mut l);
        assert_eq!(
            l.iter().map(|l| l.superseded).collect::<Vec<_>>(),
            [false, true, false]
        );
        assert_eq!(l.iter().filter(|l| l.is_active()).count(), 2);
    }

    #[test]
    fn a_tombstone_in_labelinfo_still_voids_the_old_property_label() {
        let mut tomb = label("a", "a", Source::Labelinfo);
        tomb.enabled = Some(false);
        tomb.removed = Some(true);
        let mut l = vec![tomb, label("2", "a", Source::CustomProperties)];
        resolve(&mut l);
        assert!(l[1].superseded);
        assert!(l.iter().all(|l| !l.is_active()));
    }

    #[test]
    fn stream_wins_over_summary_information() {
        let mut l = vec![
            label("1", "a", Source::SummaryInformation),
            label("2", "a", Source::LabelinfoStream),
        ];
        resolve(&mut l);
        assert!(l[0].superseded && !l[1].superseded);
    }

    #[test]
    fn empty_labelinfo_leaves_properties_in_force() {
        let mut l = vec![label("2", "a", Source::CustomProperties)];
        resolve(&mut l);
        assert!(l[0].is_active());
    }

    #[test]
    fn guids() {
        assert_eq!(
            normalize_guid(" {ABCDEF01-2345-6789-ABCD-EF0123456789} "),
            "abcdef01-2345-6789-abcd-ef0123456789"
        );
        assert!(is_guid("abcdef01-2345-6789-abcd-ef0123456789"));
        assert!(!is_guid("abcdef01-2345-6789-abcd-ef012345678"));
        assert_eq!(
            crate::model::content_bits_words(11),
            ["header", "footer", "encryption"]
        );
    }
}
