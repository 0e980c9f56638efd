//! The built-in data files: rules, detectors, configuration and label catalogue. Each is
//! read from its TOML text, except that the built-in text is taken from the JSON build.rs
//! made of it (a fifth of the parsing: the TOML parse was most of a one-file check's start).

use serde::de::DeserializeOwned;

/// A file build.rs made.
macro_rules! made {
    ($name:literal) => {
        include_str!(concat!(env!("OUT_DIR"), "/", $name))
    };
}

pub const CONFIG: &str = include_str!("../../rules/config.toml");
pub const DETECTORS: &str = include_str!("../../rules/detectors.toml");
pub const HANDLING: &str = include_str!("../../rules/handling.toml");
pub const LABELS: &str = include_str!("../../rules/labels.toml");

/// Each built-in TOML text with its JSON and its digest.
const BUILT_IN: [(&str, &str, &str); 4] = [
    (CONFIG, made!("config.json"), made!("config.digest")),
    (
        DETECTORS,
        made!("detectors.json"),
        made!("detectors.digest"),
    ),
    (HANDLING, made!("handling.json"), made!("handling.digest")),
    (LABELS, made!("labels.json"), made!("labels.digest")),
];

/// The built-in rules' explanations: (rule id, nb, en). Apart from the rules' JSON, of
/// which they were two thirds, and compiled in: a rule is explained without reading them.
pub const HANDLING_EXPLAIN: &[(&str, &str, &str)] =
    include!(concat!(env!("OUT_DIR"), "/handling-explain.rs"));

/// The built-in detectors' keyword lists: (section, list, words, weak words), `keywords`
/// and `lexicon`, in the order of their names. Out of the JSON (their words are empty
/// there) and compiled in, so that none of their strings is allocated at start.
pub const DETECTOR_WORDS: &[(&str, &str, &[&str], &[&str])] =
    include!(concat!(env!("OUT_DIR"), "/detectors-words.rs"));

/// The built-in file whose TOML text `text` is: (TOML, JSON, digest). The loaders pass the
/// built-in text itself, so the address tells before the bytes are compared.
fn built_in(text: &str) -> Option<&'static (&'static str, &'static str, &'static str)> {
    BUILT_IN
        .iter()
        .find(|(toml, ..)| std::ptr::eq(*toml, text) || *toml == text)
}

/// Whether `text` is the built-in text of a data file.
pub fn is_built_in(text: &str) -> bool {
    built_in(text).is_some()
}

/// The digest of a data file's text (16 hex digits of its BLAKE3 hash), which changes when
/// the text does: part of the engine's fingerprint.
pub fn digest(text: &str) -> String {
    match built_in(text) {
        Some((.., digest)) => digest.to_string(),
        None => blake3::hash(text.as_bytes()).to_hex()[..16].to_string(),
    }
}

/// A data file's TOML text, deserialized.
pub fn from_toml<T: DeserializeOwned>(text: &str) -> Result<T, toml::de::Error> {
    match built_in(text) {
        // Checked when built, and the structs against it by the built-in loads' tests.
        Some((_, json, _)) => Ok(serde_json::from_str(json).expect("built-in data (build.rs)")),
        None => toml::from_str(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_json_holds_what_the_toml_says() {
        for (toml, json, digest) in BUILT_IN {
            assert_eq!(digest, &blake3::hash(toml.as_bytes()).to_hex()[..16]);
            let from_toml: toml::Value = toml::from_str(toml).unwrap();
            let mut from_json: toml::Value = serde_json::from_str(json).unwrap();
            if toml == DETECTORS {
                for &(section, list, words, weak) in DETECTOR_WORDS {
                    let table = &mut from_json[section][list];
                    assert_eq!(table["words"].as_array().map(Vec::len), Some(0));
                    table["words"] = words.to_vec().into();
                    // build.rs writes an empty `weak` where the TOML has none.
                    match from_toml[section][list].get("weak") {
                        Some(_) => table["weak"] = weak.to_vec().into(),
                        None => drop(table.as_table_mut().unwrap().remove("weak")),
                    }
                }
            }
            if toml == HANDLING {
                let rules = from_json["rule"].as_array_mut().unwrap();
                assert_eq!(rules.len(), HANDLING_EXPLAIN.len());
                for (rule, (id, nb, en)) in rules.iter_mut().zip(HANDLING_EXPLAIN) {
                    assert_eq!(rule["id"].as_str(), Some(*id));
                    rule["explain"] = nb.to_string().into();
                    rule["explain_en"] = en.to_string().into();
                }
            }
            assert_eq!(from_toml, from_json);
            assert!(from_toml.as_table().is_some_and(|t| !t.is_empty()));
        }
    }
}
