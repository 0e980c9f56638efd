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
        let mut value = serde_json::to_value(&value).expect("JSON");
        if name == "handling" {
            // The rules' explanations, two thirds of the text, apart: read when one is
            // shown, not at every start (verdict/rules.rs `Rule::explain`).
            let mut explain = String::from("&[\n");
            for rule in value["rule"].as_array_mut().expect("[[rule]]") {
                let [nb, en] = ["explain", "explain_en"].map(|k| std::mem::take(&mut rule[k]));
                let text = |v: &serde_json::Value| v.as_str().expect("explain text").to_string();
                // Debug writes a string as a Rust literal.
                let id = rule["id"].as_str().expect("id");
                explain += &format!("    ({id:?}, {:?}, {:?}),\n", text(&nb), text(&en));
                for k in ["explain", "explain_en"] {
                    rule[k] = "".into();
                }
            }
            explain += "]\n";
            std::fs::write(out.join("handling-explain.rs"), explain).expect("write to OUT_DIR");
        }
        if name == "detectors" {
            // The keyword lists, most of the detectors' strings, as Rust literals too: no
            // string of theirs allocated at start (detect/mod.rs `Detectors::parse`).
            let mut lists = String::from("&[\n");
            for section in ["keywords", "lexicon"] {
                let tables = value[section]
                    .as_object_mut()
                    .expect("[keywords], [lexicon]");
                for (list, table) in tables.iter_mut() {
                    let [words, weak] = ["words", "weak"].map(|k| {
                        let texts = std::mem::take(&mut table[k]);
                        let texts = texts.as_array().cloned().unwrap_or_default();
                        texts
                            .iter()
                            .map(|w| format!("{:?}", w.as_str().expect("a word")))
                            .collect::<Vec<_>>()
                            .join(", ")
                    });
                    lists += &format!("    ({section:?}, {list:?}, &[{words}], &[{weak}]),\n");
                    for k in ["words", "weak"] {
                        table[k] = serde_json::Value::Array(Vec::new());
                    }
                }
            }
            lists += "]\n";
            std::fs::write(out.join("detectors-words.rs"), lists).expect("write to OUT_DIR");
        }
        let json = serde_json::to_string(&value).expect("JSON");
        std::fs::write(out.join(format!("{name}.json")), json).expect("write to OUT_DIR");
        // Its digest as model::data::digest makes it: hashing the rules at every start
        // cost a twentieth of a one-file check.
        let digest = &blake3::hash(text.as_bytes()).to_hex()[..16];
        std::fs::write(out.join(format!("{name}.digest")), digest).expect("write to OUT_DIR");
    }
    // Which characters of one or two UTF-8 bytes are letters or digits, as this
    // toolchain's std tells (detect/keywords.rs): a table built here, not at every start
    // (a sixth of a millisecond).
    let mut set = [0u64; 32];
    for c in (0..0x800u32).filter_map(char::from_u32) {
        if c.is_alphanumeric() {
            set[c as usize >> 6] |= 1 << (c as usize & 63);
        }
    }
    let table = set.map(|w| format!("{w:#018x}")).join(", ");
    std::fs::write(out.join("two-byte-alphanumeric.rs"), format!("[{table}]\n"))
        .expect("write to OUT_DIR");
    // Relative relocations packed (DT_RELR): the loader reads a few KB instead of 230 KB
    // of .rela.dyn at every start, with address randomisation kept. Only where a program so
    // linked links and runs here (binutils >= 2.38, glibc >= 2.36).
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux")
        && std::env::var("CARGO_CFG_TARGET_ENV").as_deref() == Ok("gnu")
        && std::env::var("HOST") == std::env::var("TARGET")
        && links_packed(&out)
    {
        println!("cargo::rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the C compiler links a program with packed relative relocations (no warning)
/// and the program runs.
fn links_packed(out: &std::path::Path) -> bool {
    use std::process::{Command, Stdio};
    let (source, program) = (out.join("relr.c"), out.join("relr"));
    let linked = std::fs::write(&source, "int main(void) { return 0; }\n").is_ok()
        && Command::new("cc")
            .arg(&source)
            .arg("-o")
            .arg(&program)
            .args(["-Wl,-z,pack-relative-relocs", "-Wl,--fatal-warnings"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    linked && Command::new(&program).status().is_ok_and(|s| s.success())
}
