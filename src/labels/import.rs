//! `o365lint labels import`: turns a label export from Microsoft Purview
//! (`Get-Label | ConvertTo-Json -Depth 5`) or Microsoft Graph (`sensitivityLabels`,
//! `informationProtection/policy/labels`) into a catalogue in the `rules/labels.toml` format.
//!
//! Neither export says which of the four classes a label belongs to, so classes are inferred
//! from the label names (and a sublabel inherits its parent's) and must be reviewed.

use serde_json::{Map, Value};

use crate::labels::catalogue::Marking;

use crate::model::Class;
use crate::read::label::{is_guid, normalize_guid};

#[derive(Debug)]
pub struct Imported {
    pub text: String,
    pub warnings: Vec<String>,
    /// Labels whose class could not be inferred (left as `# class = ?` in the text).
    pub unplaced: Vec<String>,
}

#[derive(Debug, Default)]
struct Entry {
    id: String,
    name: String,
    parent: Option<String>,
    priority: Option<u64>,
    encrypt: bool,
    marking: Marking,
    class: Option<Class>,
    disabled: bool,
}

/// Why an export could not be converted.
#[derive(Debug)]
pub enum ImportError {
    NotJson(serde_json::Error),
    /// Valid JSON, but not an array or object of labels.
    NotLabels,
    /// No object in it has a label id.
    NoLabels,
    /// The tenant given or found is not a GUID.
    BadTenant(String),
    NoTenant,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ImportError::NotJson(e) => write!(f, "not valid JSON: {e}"),
            ImportError::NotLabels => f.write_str("expected a JSON array or object of labels"),
            ImportError::NoLabels => f.write_str(
                "no labels found: expected objects with ImmutableId/Guid (Purview) or id (Graph)",
            ),
            ImportError::BadTenant(t) => write!(f, "tenant {t:?} is not a GUID"),
            ImportError::NoTenant => f.write_str(
                "the export holds no tenant id: pass --tenant <GUID> (the Entra tenant id, as in siteId)",
            ),
        }
    }
}

impl std::error::Error for ImportError {}

/// Converts an export to catalogue TOML. `tenant` is used when the export holds none.
pub fn import(json: &str, tenant: Option<&str>) -> Result<Imported, ImportError> {
    let value: Value =
        serde_json::from_str(json.trim_start_matches('\u{feff}')).map_err(ImportError::NotJson)?;
    let items: Vec<&Map<String, Value>> = match &value {
        Value::Array(a) => a.iter().filter_map(Value::as_object).collect(),
        Value::Object(o) => match get(o, &["value"]).and_then(Value::as_array) {
            Some(a) => a.iter().filter_map(Value::as_object).collect(),
            None => vec![o],
        },
        _ => return Err(ImportError::NotLabels),
    };
    let mut warnings = Vec::new();
    let mut entries = Vec::new();
    let mut found_tenant = None;
    for item in items {
        collect(item, None, &mut entries, &mut warnings, &mut found_tenant);
    }
    if entries.is_empty() {
        return Err(ImportError::NoLabels);
    }
    let tenant = match tenant.map(normalize_guid).or(found_tenant) {
        Some(t) if is_guid(&t) => t,
        Some(t) => return Err(ImportError::BadTenant(t)),
        None => return Err(ImportError::NoTenant),
    };
    // Classes: from the name, else from the parent.
    for i in 0..entries.len() {
        let parent_class = entries[i]
            .parent
            .as_ref()
            .and_then(|p| entries.iter().find(|e| &e.id == p))
            .and_then(|p| infer(&p.name));
        entries[i].class = infer(&entries[i].name).or(parent_class);
    }
    let ids: Vec<String> = entries.iter().map(|e| e.id.clone()).collect();
    for e in &mut entries {
        if let Some(p) = &e.parent
            && !ids.contains(p)
        {
            warnings.push(format!(
                "label {:?}: parent {p} is not in the export; parent dropped",
                e.name
            ));
            e.parent = None;
        }
    }
    entries.sort_by_key(|e| e.priority.unwrap_or(u64::MAX));
    Ok(Imported {
        text: render(&tenant, &entries),
        warnings,
        unplaced: entries
            .iter()
            .filter(|e| e.class.is_none())
            .map(|e| e.name.clone())
            .collect(),
    })
}

/// Looks a key up case-insensitively under any of several names (PowerShell writes
/// PascalCase, Graph camelCase).
fn get<'a>(o: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    names.iter().find_map(|n| {
        o.iter()
            .find(|(k, v)| k.eq_ignore_ascii_case(n) && !v.is_null())
            .map(|(_, v)| v)
    })
}

fn string(o: &Map<String, Value>, names: &[&str]) -> Option<String> {
    get(o, names).and_then(|v| match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    })
}

fn collect(
    o: &Map<String, Value>,
    parent: Option<&str>,
    out: &mut Vec<Entry>,
    warnings: &mut Vec<String>,
    tenant: &mut Option<String>,
) {
    let Some(raw_id) = string(o, &["ImmutableId", "Guid", "id", "labelId"]) else {
        warnings.push("an entry without ImmutableId, Guid or id was skipped".into());
        return;
    };
    let id = normalize_guid(&raw_id);
    if !is_guid(&id) {
        warnings.push(format!("entry with id {raw_id:?} (not a GUID) was skipped"));
        return;
    }
    if let Some(t) = string(o, &["TenantId", "tenantId"])
        .map(|t| normalize_guid(&t))
        .filter(|t| is_guid(t))
    {
        tenant.get_or_insert(t);
    }
    let parent_id = string(o, &["ParentId", "parentLabelId"])
        .or_else(|| {
            get(o, &["parent"])
                .and_then(Value::as_object)
                .and_then(|p| string(p, &["id"]))
        })
        .map(|p| normalize_guid(&p))
        .filter(|p| is_guid(p) && *p != id)
        .or(parent.map(str::to_string));
    let mut e = Entry {
        name: string(o, &["DisplayName", "displayName", "name", "Name"])
            .unwrap_or_else(|| id.clone()),
        id,
        parent: parent_id,
        priority: get(o, &["Priority", "priority", "sensitivity"]).and_then(Value::as_u64),
        encrypt: get(
            o,
            &["EncryptionEnabled", "hasProtection", "isEncryptionEnabled"],
        )
        .and_then(Value::as_bool)
        .unwrap_or(false),
        disabled: get(o, &["Disabled"])
            .and_then(Value::as_bool)
            .unwrap_or(false)
            || get(o, &["isActive"]).and_then(Value::as_bool) == Some(false),
        ..Entry::default()
    };
    if let Some(actions) = get(o, &["LabelActions"]).and_then(Value::as_array) {
        for action in actions {
            label_action(action, &mut e);
        }
    }
    let id = e.id.clone();
    out.push(e);
    if let Some(subs) = get(o, &["sublabels"]).and_then(Value::as_array) {
        for s in subs.iter().filter_map(Value::as_object) {
            collect(s, Some(&id), out, warnings, tenant);
        }
    }
}

/// One Purview label action: a JSON string (or object) such as
/// `{"Type":"applycontentmarking","SubType":"footer","Settings":[{"Key":"text","Value":"Intern"}]}`.
fn label_action(action: &Value, e: &mut Entry) {
    let parsed;
    let action = match action {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(v) => {
                parsed = v;
                &parsed
            }
            Err(_) => return,
        },
        v => v,
    };
    let Some(a) = action.as_object() else { return };
    let setting = |key: &str| {
        get(a, &["Settings"])?
            .as_array()?
            .iter()
            .filter_map(Value::as_object)
            .find_map(|s| {
                string(s, &["Key"])
                    .filter(|k| k.eq_ignore_ascii_case(key))
                    .and_then(|_| string(s, &["Value"]))
            })
    };
    if setting("disabled").is_some_and(|d| d.eq_ignore_ascii_case("true")) {
        return;
    }
    let kind = string(a, &["Type"])
        .unwrap_or_default()
        .to_ascii_lowercase();
    let sub = string(a, &["SubType"])
        .unwrap_or_default()
        .to_ascii_lowercase();
    match (kind.as_str(), sub.as_str()) {
        ("encrypt", _) => {
            e.encrypt = setting("protectiontype")
                .is_none_or(|p| !p.eq_ignore_ascii_case("removeprotection"))
        }
        ("applycontentmarking", "header") => e.marking.header = setting("text"),
        ("applycontentmarking", "footer") => e.marking.footer = setting("text"),
        ("applywatermarking", _) => e.marking.watermark = setting("text"),
        _ => {}
    }
}

/// A class from a label name: Norwegian names first, then Microsoft's default taxonomy.
fn infer(name: &str) -> Option<Class> {
    let n = name.trim().to_lowercase();
    const NAMES: &[(&str, Class)] = &[
        ("strengt beskyttet", Class::StrengtBeskyttet),
        ("strengt fortrolig", Class::StrengtBeskyttet),
        ("highly confidential", Class::StrengtBeskyttet),
        ("beskyttet", Class::Beskyttet),
        ("fortrolig", Class::Beskyttet),
        ("confidential", Class::Beskyttet),
        ("intern", Class::Intern),
        ("internal", Class::Intern),
        ("general", Class::Intern),
        ("åpen", Class::Apen),
        ("apen", Class::Apen),
        ("offentlig", Class::Apen),
        ("public", Class::Apen),
    ];
    NAMES
        .iter()
        .find(|(key, _)| {
            n == *key
                || n.strip_prefix(key)
                    .is_some_and(|rest| rest.starts_with([' ', '-', '\\', '/', '(', ':']))
        })
        .map(|(_, c)| *c)
}

fn q(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn render(tenant: &str, entries: &[Entry]) -> String {
    let mut s = String::from(
        "# Label catalogue imported by `o365lint labels import`.\n\
         # The classes were inferred from the label names: review every one before use.\n\
         # Format: see rules/labels.toml in the o365lint repository.\n\n",
    );
    s += &format!("tenant = {}\n", q(tenant));
    for e in entries {
        s += "\n[[label]]\n";
        s += &format!("id = {}\n", q(&e.id));
        s += &format!("name = {}\n", q(&e.name));
        match e.class {
            Some(c) => s += &format!("class = {}\n", q(c.name())),
            None => s += "# class = ?   no class could be inferred from the name: set one\n",
        }
        if let Some(p) = &e.parent {
            s += &format!("parent = {}\n", q(p));
        }
        if e.encrypt {
            s += "encrypt = true\n";
        }
        if let Some(p) = e.priority {
            s += &format!("priority = {p}\n");
        }
        if !e.marking.is_empty() {
            let parts: Vec<String> = [
                ("header", &e.marking.header),
                ("footer", &e.marking.footer),
                ("watermark", &e.marking.watermark),
            ]
            .into_iter()
            .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k} = {}", q(v))))
            .collect();
            s += &format!("marking = {{ {} }}\n", parts.join(", "));
        }
        if e.disabled {
            s += "# disabled in the tenant: files may still carry it\n";
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::catalogue::Catalogue;
    use std::path::Path;

    const TENANT: &str = "0a7f70e8-9429-4eb1-811a-5bec2ff8c815";

    /// The shape `Get-Label | ConvertTo-Json -Depth 5` gives (abridged; real exports carry
    /// many more properties, which are ignored).
    const PURVIEW: &str = r#"[
      {"Priority":0,"DisplayName":"Åpen","Name":"Apen","ParentId":null,"ImmutableId":"4ba57e2e-15ab-4632-9e26-5c7ad5060d41","Guid":"4ba57e2e-15ab-4632-9e26-5c7ad5060d41","ContentType":"File, Email","LabelActions":[],"Disabled":false},
      {"Priority":1,"DisplayName":"Intern","Name":"Intern","ImmutableId":"6ae54424-c431-46c6-8ac2-cb0fc8776528","LabelActions":["{\"Type\":\"applycontentmarking\",\"SubType\":\"footer\",\"Settings\":[{\"Key\":\"disabled\",\"Value\":\"false\"},{\"Key\":\"text\",\"Value\":\"Intern\"}]}"]},
      {"Priority":3,"DisplayName":"Kun Oslo kommune","Name":"Beskyttet-Kun","ParentId":"b4656a6d-e029-4ad8-80eb-20d7b9b55368","ImmutableId":"127ce367-f89f-4267-9cf4-b2b78a206538","LabelActions":["{\"Type\":\"encrypt\",\"SubType\":null,\"Settings\":[{\"Key\":\"disabled\",\"Value\":\"false\"},{\"Key\":\"protectiontype\",\"Value\":\"template\"}]}","{\"Type\":\"applycontentmarking\",\"SubType\":\"header\",\"Settings\":[{\"Key\":\"text\",\"Value\":\"Beskyttet\"}]}","{\"Type\":\"applywatermarking\",\"SubType\":null,\"Settings\":[{\"Key\":\"disabled\",\"Value\":\"true\"},{\"Key\":\"text\",\"Value\":\"OFF\"}]}"]},
      {"Priority":2,"DisplayName":"Beskyttet","Name":"Beskyttet","ImmutableId":"{B4656A6D-E029-4AD8-80EB-20D7B9B55368}"},
      {"Priority":4,"DisplayName":"Prosjekt X","Name":"ProsjektX","ImmutableId":"0302f190-27eb-41bd-b38d-29723c1ad992"}
    ]"#;

    #[test]
    fn imports_purview_get_label() {
        let out = import(PURVIEW, Some(TENANT)).unwrap();
        let c = Catalogue::parse(&out.text, Path::new("imported.toml")).unwrap();
        assert_eq!(c.tenant, TENANT);
        let kun = c.get("127ce367-f89f-4267-9cf4-b2b78a206538").unwrap();
        assert_eq!(
            kun.class,
            Some(Class::Beskyttet),
            "a sublabel inherits its parent's class"
        );
        assert!(kun.encrypt);
        assert_eq!(kun.marking.header.as_deref(), Some("Beskyttet"));
        assert_eq!(kun.marking.watermark, None, "disabled actions are ignored");
        assert_eq!(c.full_name(kun), "Beskyttet \\ Kun Oslo kommune");
        assert_eq!(
            c.get("6ae54424-c431-46c6-8ac2-cb0fc8776528")
                .unwrap()
                .marking
                .footer
                .as_deref(),
            Some("Intern")
        );
        assert_eq!(
            c.get("0302f190-27eb-41bd-b38d-29723c1ad992").unwrap().class,
            None
        );
        assert!(out.text.contains("# class = ?"));
        assert!(!out.unplaced.is_empty());
        // Ordered by priority.
        let ids: Vec<_> = c.labels().map(|l| l.priority).collect();
        assert_eq!(ids.len(), 5);
        assert!(out.text.find("Beskyttet\"\nclass").unwrap() < out.text.find("Kun Oslo").unwrap());
    }

    #[test]
    fn imports_graph_with_nested_sublabels_and_a_bom() {
        let graph = "\u{feff}{\"@odata.context\":\"x\",\"value\":[{\"id\":\"2643e7e1-5562-4c70-b59d-9719b25f2dc3\",\"name\":\"Highly Confidential\",\"sensitivity\":9,\"hasProtection\":true,\"isActive\":true,\"sublabels\":[{\"id\":\"4f463373-59a5-4fb5-9d1d-f68f4cdfb09c\",\"name\":\"Project Falcon\",\"sensitivity\":10}]},{\"id\":\"6ae54424-c431-46c6-8ac2-cb0fc8776528\",\"name\":\"General\",\"sensitivity\":1,\"parent\":null}]}";
        let out = import(graph, Some(TENANT)).unwrap();
        let c = Catalogue::parse(&out.text, Path::new("imported.toml")).unwrap();
        let falcon = c.get("4f463373-59a5-4fb5-9d1d-f68f4cdfb09c").unwrap();
        assert_eq!(
            falcon.parent.as_deref(),
            Some("2643e7e1-5562-4c70-b59d-9719b25f2dc3")
        );
        assert_eq!(falcon.class, Some(Class::StrengtBeskyttet));
        assert!(
            c.get("2643e7e1-5562-4c70-b59d-9719b25f2dc3")
                .unwrap()
                .encrypt
        );
        assert_eq!(
            c.get("6ae54424-c431-46c6-8ac2-cb0fc8776528").unwrap().class,
            Some(Class::Intern)
        );
    }

    #[test]
    fn single_object_and_errors() {
        let one =
            r#"{"ImmutableId":"4ba57e2e-15ab-4632-9e26-5c7ad5060d41","DisplayName":"Public"}"#;
        assert!(
            import(one, Some(TENANT))
                .unwrap()
                .text
                .contains("class = \"Åpen\"")
        );
        assert!(
            import(one, None)
                .unwrap_err()
                .to_string()
                .contains("--tenant")
        );
        assert!(
            import("[1,2]", Some(TENANT))
                .unwrap_err()
                .to_string()
                .contains("no labels")
        );
        assert!(
            import("nope", Some(TENANT))
                .unwrap_err()
                .to_string()
                .contains("not valid JSON")
        );
        assert!(
            import(one, Some("x"))
                .unwrap_err()
                .to_string()
                .contains("not a GUID")
        );
    }

    #[test]
    fn names_that_only_start_like_a_class_do_not_match() {
        assert_eq!(infer("Internasjonalt"), None);
        assert_eq!(
            infer("Beskyttet - personopplysninger"),
            Some(Class::Beskyttet)
        );
        assert_eq!(infer("Confidential\\All Employees"), Some(Class::Beskyttet));
    }
}
