//! The label catalogue (`rules/labels.toml`): the own tenant and, per label GUID, the
//! confidentiality class, display name, parent, encryption and expected marking texts.
//! Files store only GUIDs; this is what gives them meaning.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Class, EffectiveLabel, LabelReport, LabelStatus, Tenant};
use crate::model::{ConfigError, Lang, Note};
use crate::read::label::{is_guid, normalize_guid};

#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Marking {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub footer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub watermark: Option<String>,
}

impl Marking {
    pub fn is_empty(&self) -> bool {
        self.header.is_none() && self.footer.is_none() && self.watermark.is_none()
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueLabel {
    pub id: String,
    pub name: String,
    /// `None`: the catalogue does not say (an imported label not yet reviewed).
    pub class: Option<Class>,
    pub parent: Option<String>,
    pub encrypt: bool,
    pub priority: Option<u32>,
    pub marking: Marking,
}

#[derive(Clone, Debug)]
pub struct Catalogue {
    /// The own tenant's id (the `siteId` that counts as ours).
    pub tenant: String,
    pub tenant_name: Option<String>,
    labels: BTreeMap<String, CatalogueLabel>,
    /// Label ids in file order, for listing.
    order: Vec<String>,
    /// Where it came from, for messages: a path, or `built-in rules/labels.toml`.
    pub origin: PathBuf,
    /// A hash of the file's text (see `Engine::fingerprint`).
    pub digest: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCatalogue {
    tenant: String,
    tenant_name: Option<String>,
    #[serde(default, rename = "label")]
    labels: Vec<RawLabel>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLabel {
    id: String,
    name: String,
    class: Option<String>,
    parent: Option<String>,
    #[serde(default)]
    encrypt: bool,
    priority: Option<u32>,
    #[serde(default)]
    marking: Marking,
}

const BUILT_IN: &str = crate::model::data::LABELS;

impl Catalogue {
    /// The built-in demo catalogue (`rules/labels.toml`), used by the demo fixtures.
    pub fn built_in() -> Catalogue {
        Catalogue::parse(BUILT_IN, Path::new("built-in rules/labels.toml"))
            .expect("the built-in catalogue is valid")
    }

    pub fn load(path: &Path) -> Result<Catalogue, ConfigError> {
        let text = ConfigError::read(path)?;
        Catalogue::parse(&text, path)
    }

    /// Parses and validates: GUIDs well-formed, ids unique, parents known, classes known.
    /// Errors name the file, the label and the field.
    pub fn parse(text: &str, origin: &Path) -> Result<Catalogue, ConfigError> {
        let raw: RawCatalogue = crate::model::data::from_toml(text)
            .map_err(|e| ConfigError::new(origin, toml_message(&e, text)))?;
        let err = |msg: String| ConfigError::new(origin, msg);
        let tenant = normalize_guid(&raw.tenant);
        if !is_guid(&tenant) {
            return Err(err(format!(
                "`tenant` must be a GUID (the Entra tenant id), not {:?}",
                raw.tenant
            )));
        }
        let mut labels = BTreeMap::new();
        let mut order = Vec::new();
        for l in raw.labels {
            let id = normalize_guid(&l.id);
            let here =
                |field: &str, msg: String| err(msg).at(format!("label {:?}", l.name), Some(field));
            if !is_guid(&id) {
                return Err(here("id", format!("must be a GUID, not {:?}", l.id)));
            }
            let class = match &l.class {
                None => None,
                Some(c) => Some(Class::parse(c).ok_or_else(|| {
                    here(
                        "class",
                        format!("unknown class {c:?}: use one of {}", class_list()),
                    )
                })?),
            };
            let parent = l.parent.as_deref().map(normalize_guid);
            if parent.as_deref().is_some_and(|p| !is_guid(p)) {
                return Err(here(
                    "parent",
                    format!("must be a GUID, not {:?}", l.parent.unwrap_or_default()),
                ));
            }
            let label = CatalogueLabel {
                id: id.clone(),
                name: l.name.clone(),
                class,
                parent,
                encrypt: l.encrypt,
                priority: l.priority,
                marking: l.marking,
            };
            order.push(id.clone());
            if labels.insert(id.clone(), label).is_some() {
                return Err(here("id", format!("duplicate label id {id}")));
            }
        }
        for l in labels.values() {
            if let Some(p) = &l.parent
                && !labels.contains_key(p)
            {
                return Err(err(format!("no label has id {p}"))
                    .at(format!("label {:?}", l.name), Some("parent")));
            }
        }
        Ok(Catalogue {
            tenant,
            tenant_name: raw.tenant_name,
            labels,
            order,
            origin: origin.to_path_buf(),
            digest: crate::model::data::digest(text),
        })
    }

    /// What a scan's JSON says of the catalogue it used.
    pub fn info(&self) -> crate::model::CatalogueInfo {
        crate::model::CatalogueInfo {
            origin: self.origin.display().to_string(),
            tenant: self.tenant.clone(),
        }
    }

    pub fn get(&self, id: &str) -> Option<&CatalogueLabel> {
        self.labels.get(&normalize_guid(id))
    }

    /// The labels in the order the catalogue lists them.
    pub fn labels(&self) -> impl Iterator<Item = &CatalogueLabel> {
        self.order.iter().filter_map(|id| self.labels.get(id))
    }

    /// Whether a label has sublabels: such a label groups others and cannot itself be applied.
    pub fn is_parent(&self, id: &str) -> bool {
        let id = normalize_guid(id);
        self.labels
            .values()
            .any(|l| l.parent.as_deref() == Some(id.as_str()))
    }

    /// `Parent \ Child` for sublabels, as Office shows them.
    pub fn full_name(&self, label: &CatalogueLabel) -> String {
        match label.parent.as_deref().and_then(|p| self.labels.get(p)) {
            Some(parent) => format!("{} \\ {}", parent.name, label.name),
            None => label.name.clone(),
        }
    }

    pub fn is_own_tenant(&self, site_id: Option<&str>) -> bool {
        site_id.is_some_and(|s| normalize_guid(s) == self.tenant)
    }
}

fn class_list() -> String {
    Class::ALL
        .iter()
        .map(|c| format!("\"{}\"", c.name()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A TOML error as one line with its position: `line 4, column 9: invalid type …`.
pub(crate) fn toml_message(e: &toml::de::Error, text: &str) -> String {
    let msg = e.message().trim().to_string();
    match e.span() {
        Some(span) => {
            let before = &text[..span.start.min(text.len())];
            let line = before.matches('\n').count() + 1;
            let col = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
            format!("line {line}, column {col}: {msg}")
        }
        None => msg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<Catalogue, ConfigError> {
        Catalogue::parse(s, Path::new("labels.toml"))
    }

    const TENANT: &str = "tenant = \"{0B1E5D4C-0000-4000-8000-000000000001}\"\n";

    #[test]
    fn built_in_catalogue_is_valid_and_covers_every_class() {
        let c = Catalogue::built_in();
        for class in Class::ALL {
            assert!(
                c.labels().any(|l| l.class == Some(class)),
                "{class} missing"
            );
        }
        let parent = c
            .labels()
            .find(|l| c.is_parent(&l.id))
            .expect("a parent label");
        let child = c
            .labels()
            .find(|l| l.parent.as_deref() == Some(parent.id.as_str()))
            .unwrap();
        assert!(
            c.full_name(child)
                .starts_with(&format!("{} \\ ", parent.name))
        );
    }

    #[test]
    fn classes_parse_leniently() {
        assert_eq!(Class::parse("Åpen"), Some(Class::Apen));
        assert_eq!(Class::parse("apen"), Some(Class::Apen));
        assert_eq!(
            Class::parse("Strengt beskyttet"),
            Some(Class::StrengtBeskyttet)
        );
        assert_eq!(
            Class::parse("strengt-beskyttet"),
            Some(Class::StrengtBeskyttet)
        );
        assert_eq!(
            Class::parse(" STRENGT_BESKYTTET "),
            Some(Class::StrengtBeskyttet)
        );
        assert_eq!(Class::parse("hemmelig"), None);
        assert_eq!(Class::parse("Strengt"), None);
        assert_eq!(Class::parse("internt"), None);
        assert_eq!(Class::parse(""), None);
        assert!(Class::Apen < Class::StrengtBeskyttet);
    }

    #[test]
    fn normalises_ids_and_tenant() {
        let c = parse(&format!("{TENANT}[[label]]\nid = \"{{AAAAAAAA-0000-4000-8000-000000000001}}\"\nname = \"Intern\"\nclass = \"Intern\"\n")).unwrap();
        assert_eq!(c.tenant, "0b1e5d4c-0000-4000-8000-000000000001");
        assert_eq!(
            c.get("aaaaaaaa-0000-4000-8000-000000000001").unwrap().class,
            Some(Class::Intern)
        );
        assert!(c.is_own_tenant(Some("{0b1e5d4c-0000-4000-8000-000000000001}")));
        assert!(!c.is_own_tenant(None));
    }

    #[test]
    fn errors_name_file_label_and_field() {
        let e = parse(&format!(
            "{TENANT}[[label]]\nid = \"x\"\nname = \"Intern\"\n"
        ))
        .unwrap_err()
        .to_string();
        assert_eq!(
            e,
            "labels.toml: label \"Intern\": field `id`: must be a GUID, not \"x\""
        );

        let e = parse(&format!("{TENANT}[[label]]\nid = \"aaaaaaaa-0000-4000-8000-000000000001\"\nname = \"X\"\nclass = \"Hemmelig\"\n")).unwrap_err().to_string();
        assert!(
            e.starts_with("labels.toml: label \"X\": field `class`: unknown class \"Hemmelig\""),
            "{e}"
        );

        let dup = "[[label]]\nid = \"aaaaaaaa-0000-4000-8000-000000000001\"\nname = \"A\"\n";
        let e = parse(&format!("{TENANT}{dup}{dup}"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("duplicate label id"), "{e}");

        let e = parse(&format!("{TENANT}[[label]]\nid = \"aaaaaaaa-0000-4000-8000-000000000001\"\nname = \"A\"\nparent = \"aaaaaaaa-0000-4000-8000-000000000009\"\n")).unwrap_err().to_string();
        assert!(e.contains("field `parent`: no label has id"), "{e}");

        let e = parse(&format!("{TENANT}[[label]]\nid = \"aaaaaaaa-0000-4000-8000-000000000001\"\nname = \"A\"\ncolour = \"red\"\n")).unwrap_err().to_string();
        assert!(
            e.starts_with("labels.toml: line 5, column 1: unknown field `colour`"),
            "{e}"
        );

        let e = parse("tenant = \"nope\"").unwrap_err().to_string();
        assert!(e.contains("`tenant` must be a GUID"), "{e}");
    }
}

/// What a file's labels mean under this catalogue.
#[derive(Clone, Debug)]
pub struct Assessment {
    pub labels: Vec<LabelReport>,
    pub label: Option<EffectiveLabel>,
    pub status: LabelStatus,
    pub notes: Vec<Note>,
}

impl Catalogue {
    /// Relates every found label to the own tenant and picks the one in force. Several active
    /// own labels break the one-label-per-organisation rule: the LabelInfo one, then the
    /// highest class, is taken, and a note says so.
    pub fn assess(
        &self,
        found: &[crate::model::FoundLabel],
        password_encrypted: bool,
        lang: Lang,
    ) -> Assessment {
        let labels: Vec<LabelReport> = found
            .iter()
            .map(|f| {
                let tenant = match &f.site_id {
                    None => Tenant::Unknown,
                    Some(s) if self.is_own_tenant(Some(s)) => Tenant::Own,
                    Some(_) => Tenant::Foreign,
                };
                let entry = self.get(&f.id).filter(|_| tenant == Tenant::Own);
                LabelReport {
                    found: f.clone(),
                    tenant,
                    class: entry.and_then(|e| e.class),
                    display_name: entry.map(|e| self.full_name(e)),
                }
            })
            .collect();
        let mut notes = Vec::new();
        let mut own: Vec<&LabelReport> = labels
            .iter()
            .filter(|l| l.tenant == Tenant::Own && l.found.is_active())
            .collect();
        own.sort_by_key(|l| {
            (
                !l.found.source.is_labelinfo(),
                std::cmp::Reverse(self.get(&l.found.id).and_then(|c| c.class)),
            )
        });
        if own.len() > 1 {
            let ids: Vec<&str> = own.iter().map(|l| l.found.id.as_str()).collect();
            notes.push(Note::SeveralOwnLabels(
                ids.iter().map(|s| s.to_string()).collect(),
            ));
        }
        let label = own.first().map(|l| self.effective(&l.found, lang));
        let status = if label.is_some() {
            LabelStatus::Labelled
        } else if labels
            .iter()
            .any(|l| l.tenant == Tenant::Own && !l.found.superseded)
        {
            LabelStatus::Removed
        } else if labels.iter().any(|l| l.found.is_active()) {
            LabelStatus::ForeignOnly
        } else if password_encrypted && labels.is_empty() {
            LabelStatus::NotReadable
        } else {
            LabelStatus::Unlabelled
        };
        Assessment {
            labels,
            label,
            status,
            notes,
        }
    }

    fn effective(&self, f: &crate::model::FoundLabel, lang: Lang) -> EffectiveLabel {
        let entry = self.get(&f.id);
        let nb = lang == Lang::Nb;
        let reason = match entry {
            None if nb => Some(format!(
                "merkingen {} finnes ikke i etikettkatalogen ({})",
                f.id,
                self.origin.display()
            )),
            None => Some(format!(
                "label {} is not in the label catalogue ({})",
                f.id,
                self.origin.display()
            )),
            Some(e) if e.class.is_none() && nb => Some(format!(
                "etikettkatalogen gir ingen klasse for «{}»",
                e.name
            )),
            Some(e) if e.class.is_none() => Some(format!(
                "the label catalogue gives no class for {:?}",
                e.name
            )),
            Some(_) => None,
        };
        EffectiveLabel {
            id: f.id.clone(),
            class: entry.and_then(|e| e.class),
            name: entry.map(|e| self.full_name(e)),
            parent: entry.and_then(|e| e.parent.clone()),
            is_parent: self.is_parent(&f.id),
            encrypt: entry.map(|e| e.encrypt),
            source: f.source,
            method: f.method.clone(),
            content_bits: f.content_bits,
            reason,
        }
    }
}

#[cfg(test)]
mod assess_tests {
    use super::*;
    use crate::model::{FoundLabel, Source};

    const OWN: &str = "0a7f70e8-9429-4eb1-811a-5bec2ff8c815";
    const INTERN: &str = "6ae54424-c431-46c6-8ac2-cb0fc8776528";
    const STRENGT: &str = "2643e7e1-5562-4c70-b59d-9719b25f2dc3";

    fn found(id: &str, site: &str, source: Source) -> FoundLabel {
        FoundLabel {
            id: id.into(),
            site_id: Some(site.into()),
            enabled: Some(true),
            removed: Some(false),
            source,
            ..Default::default()
        }
    }

    #[test]
    fn own_label_gets_its_class() {
        let a =
            Catalogue::built_in().assess(&[found(INTERN, OWN, Source::Labelinfo)], false, Lang::En);
        assert_eq!(a.status, LabelStatus::Labelled);
        let l = a.label.unwrap();
        assert_eq!(
            (l.class, l.name.as_deref(), l.reason),
            (Some(Class::Intern), Some("Intern"), None)
        );
        assert_eq!(a.labels[0].tenant, Tenant::Own);
    }

    #[test]
    fn unknown_guid_gives_unknown_class_with_reason() {
        let a = Catalogue::built_in().assess(
            &[found(
                "0302f190-27eb-41bd-b38d-29723c1ad992",
                OWN,
                Source::Labelinfo,
            )],
            false,
            Lang::En,
        );
        let l = a.label.unwrap();
        assert_eq!(l.class, None);
        assert!(l.reason.unwrap().contains("not in the label catalogue"));
        assert_eq!(serde_json::to_value(&a.labels[0]).unwrap()["tenant"], "own");
    }

    #[test]
    fn foreign_only_removed_and_unreadable() {
        let c = Catalogue::built_in();
        let foreign = found(
            INTERN,
            "d391c73e-8994-491d-a914-9d46166b1479",
            Source::CustomProperties,
        );
        let a = c.assess(std::slice::from_ref(&foreign), false, Lang::En);
        assert_eq!(
            (a.status, a.labels[0].tenant),
            (LabelStatus::ForeignOnly, Tenant::Foreign)
        );

        let mut tomb = found(OWN, OWN, Source::Labelinfo);
        tomb.enabled = Some(false);
        tomb.removed = Some(true);
        assert_eq!(
            c.assess(&[tomb, foreign], false, Lang::En).status,
            LabelStatus::Removed
        );
        assert_eq!(
            c.assess(&[], true, Lang::En).status,
            LabelStatus::NotReadable
        );
        assert_eq!(
            c.assess(&[], false, Lang::En).status,
            LabelStatus::Unlabelled
        );
    }

    #[test]
    fn several_own_labels_are_noted_and_labelinfo_wins() {
        let a = Catalogue::built_in().assess(
            &[
                found(STRENGT, OWN, Source::CustomProperties),
                found(INTERN, OWN, Source::Labelinfo),
            ],
            false,
            Lang::En,
        );
        // Not superseded here (resolve() was not run), so both are in force.
        assert_eq!(a.label.unwrap().class, Some(Class::Intern));
        assert!(a.notes[0].text(Lang::En).contains("only one is allowed"));
    }

    #[test]
    fn parent_label_is_flagged() {
        let a = Catalogue::built_in().assess(
            &[found(
                "b4656a6d-e029-4ad8-80eb-20d7b9b55368",
                OWN,
                Source::Labelinfo,
            )],
            false,
            Lang::En,
        );
        assert!(a.label.unwrap().is_parent);
    }
}
