//! The built-in data files (rules/*.toml) as JSON too, and their digests: parsing JSON at start is a fraction
//! of parsing the TOML, which was most of a one-file check's start (model/data.rs). The TOML
//! stays the source; a built-in file that does not parse fails the build here.

use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    for name in ["config", "detectors", "handling", "labels"] {
        let path = format!("rules/{name}.toml");
        println!("cargo::rerun-if-changed={path}");
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        let value: toml::Value = toml::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
        let json = serde_json::to_string(&value).expect("JSON");
        std::fs::write(out.join(format!("{name}.json")), json).expect("write to OUT_DIR");
        // Its digest as model::data::digest makes it: hashing the rules at every start
        // cost a twentieth of a one-file check.
        let digest = &blake3::hash(text.as_bytes()).to_hex()[..16];
        std::fs::write(out.join(format!("{name}.digest")), digest).expect("write to OUT_DIR");
    }
}
