//! The engine as a library, with no command line: built from a configuration, it checks a
//! document given as bytes, gives the same result as for the file on disk, masks every
//! result, and says what a run's exit code is.

use o365lint::config::Config;
use o365lint::engine::{Allowed, Choices, Engine, ExitPolicy, exit};
use o365lint::fixture::{Label, Ooxml, ids};
use o365lint::model::{Class, ErrorKind, FileResult, Format, Severity, Summary};

const FNR: &str = "15108695088";

/// An Intern docx with a fødselsnummer in its body: its content requires Beskyttet.
fn under_labelled() -> Vec<u8> {
    Ooxml::new(Format::Docx)
        .label_info(vec![Label::new(ids::INTERN, ids::TENANT)])
        .text(&format!("Søker: Kari Nordmann, fødselsnummer {FNR}"))
        .build()
}

fn rules(r: &FileResult) -> Vec<&str> {
    r.findings.iter().map(|f| f.rule.as_str()).collect()
}

#[test]
fn checks_a_document_given_as_bytes() {
    let engine = Engine::built_in();
    let r = engine.check_bytes("saker/vedtak.docx", &under_labelled());
    assert_eq!(r.path, "saker/vedtak.docx");
    assert_eq!(r.format, Some(Format::Docx));
    assert_eq!(r.label.as_ref().and_then(|l| l.class), Some(Class::Intern));
    assert_eq!(r.required_class, Some(Class::Beskyttet));
    assert!(rules(&r).contains(&"PII-01"), "{:?}", rules(&r));
    let d = &r.detections[0];
    assert_eq!(
        (d.detector.id(), d.masked.as_str()),
        ("fodselsnummer", "151086*****")
    );
    // Results leave the engine masked: no output made from them holds the number.
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(FNR), "{json}");
    assert!(ExitPolicy::default().fails(&r));
}

#[test]
fn bytes_and_the_file_on_disk_give_the_same_result() {
    let dir = tempfile::tempdir().unwrap();
    // With the file's folder as the scan root, its path from the root is its name, as
    // the document's given as bytes is: the same fingerprints.
    let root = toml::Value::String(dir.path().to_string_lossy().into_owned());
    let config = Config::parse(&format!("root = {root}"), "o365lint.toml", None).unwrap();
    let engine = Engine::configured(&config, Choices::default()).unwrap();
    let path = dir.path().join("vedtak.docx");
    std::fs::write(&path, under_labelled()).unwrap();
    let on_disk = engine.check_path(&path);
    let mut from_bytes = engine.check_bytes("vedtak.docx", &under_labelled());
    from_bytes.path = on_disk.path.clone();
    // Only a file on disk has a modification time.
    assert!(on_disk.modified.is_some() && from_bytes.modified.is_none());
    from_bytes.modified = on_disk.modified.clone();
    assert_eq!(
        serde_json::to_string(&from_bytes).unwrap(),
        serde_json::to_string(&on_disk).unwrap()
    );
}

#[test]
fn an_identifier_in_the_name_is_masked_too() {
    let r = Engine::built_in().check_bytes(&format!("{FNR}.docx"), b"\0not a document");
    assert_eq!(r.error_kind, Some(ErrorKind::NotOffice));
    assert_eq!(r.path, "151086*****.docx");
    assert!(!serde_json::to_string(&r).unwrap().contains(FNR));
}

#[test]
fn a_lock_file_is_skipped_and_counted() {
    let engine = Engine::built_in();
    let r = engine.check_bytes(
        "~$vedtak.docx",
        &o365lint::fixture::lock_file("Kari Nordmann"),
    );
    assert!(r.skipped.is_some(), "{r:?}");
    let s = Summary::of([&r]);
    assert_eq!((s.files, s.skipped, s.errors), (1, 1, 0));
    // Judged on content, not on the name alone: a document so named is read (RTF saved
    // as .doc is read as RTF).
    let rtf = b"{\\rtf1\\ansi Vedtak for Kari, f.nr. 151086 95088}".to_vec();
    let r = engine.check_bytes("~$vedtak.doc", &rtf);
    assert!(r.skipped.is_none() && r.error.is_none(), "{r:?}");
    assert_eq!(r.format, Some(o365lint::model::Format::Rtf));
    let r = engine.check_bytes("~$vedtak.docx", &under_labelled());
    assert!(r.skipped.is_none() && r.error.is_none(), "{r:?}");
}

#[test]
fn built_from_a_configuration_with_choices() {
    let config = Config::parse(
        "fail_on = \"warning\"\n[rules]\ndisable = [\"PII-01\"]\n",
        "o365lint.toml",
        None,
    )
    .unwrap();
    let engine = Engine::configured(&config, Choices::default()).unwrap();
    let r = engine.check_bytes("vedtak.docx", &under_labelled());
    assert!(!rules(&r).contains(&"PII-01"), "{:?}", rules(&r));
    assert_eq!(engine.policy.fail_on, Some(Severity::Warning));
    // A run's choices win over the configuration.
    let never = Choices {
        fail_on: Some(None),
        allow_incomplete: Allowed::ALL,
        ..Choices::default()
    };
    let engine = Engine::configured(&config, never).unwrap();
    assert_eq!(engine.policy.fail_on, None);
    assert!(!engine.policy.fails(&r));
    // A file the configuration names that cannot be used is an error naming it.
    let broken = Config::parse("labels = \"finnes-ikke.toml\"\n", "o365lint.toml", None).unwrap();
    let e = Engine::configured(&broken, Choices::default())
        .err()
        .unwrap();
    assert!(e.to_string().contains("finnes-ikke.toml"), "{e}");
}

#[test]
fn the_fingerprint_follows_what_decides_results() {
    let built_in = Engine::built_in().fingerprint();
    assert_eq!(built_in, Engine::built_in().fingerprint());
    let configured = |text: &str, key: Option<&str>| {
        let config = Config::parse(text, "o365lint.toml", None).unwrap();
        let choices = Choices {
            hash_key: key.map(str::to_string),
            ..Choices::default()
        };
        Engine::configured(&config, choices).unwrap().fingerprint()
    };
    let plain = configured("", None);
    assert_eq!(plain, configured("", None));
    assert_ne!(
        plain,
        configured("[rules]\ndisable = [\"META-02\"]\n", None)
    );
    assert_ne!(plain, configured("", Some("hemmelig")));
    assert_ne!(configured("", Some("a")), configured("", Some("b")));
    let mut other = Engine::built_in();
    other.lang = o365lint::model::Lang::En;
    assert_ne!(built_in, other.fingerprint());
}

#[test]
fn the_exit_policy() {
    let mut s = Summary::default();
    let strict = ExitPolicy::default();
    assert_eq!(strict.code(&s, false), exit::CLEAN);
    assert_eq!(strict.code(&s, true), exit::FINDINGS);
    s.errors = 1;
    assert_eq!(strict.code(&s, true), exit::INCOMPLETE);
    let lenient = ExitPolicy {
        allow_incomplete: Allowed::ALL,
        ..strict
    };
    assert_eq!(lenient.code(&s, true), exit::FINDINGS);
}

#[test]
fn files_not_fully_checked_exit_3_unless_their_reason_is_allowed() {
    // Distinct from a failed run (2): a nightly job can tell them apart.
    assert_eq!((exit::FAILED, exit::INCOMPLETE), (2, 3));
    let mut s = Summary {
        files: 2,
        ..Summary::default()
    };
    s.not_checked_by_reason.insert("irm".into(), 1);
    let strict = ExitPolicy::default();
    assert_eq!(strict.code(&s, false), exit::INCOMPLETE);
    assert_eq!(strict.code(&s, true), exit::INCOMPLETE);
    let allowing = |words: &[&str]| ExitPolicy {
        allow_incomplete: words
            .iter()
            .map(|w| Allowed::parse(w).unwrap())
            .fold(Allowed::NONE, Allowed::with),
        ..strict
    };
    assert_eq!(allowing(&["irm"]).code(&s, false), exit::CLEAN);
    assert_eq!(allowing(&["encrypted"]).code(&s, true), exit::FINDINGS);
    assert_eq!(allowing(&["password"]).code(&s, false), exit::INCOMPLETE);
    // A folder that could not be read leaves its files unchecked.
    s.walk.unreadable_folders = 1;
    assert_eq!(allowing(&["irm"]).code(&s, false), exit::INCOMPLETE);
    assert_eq!(
        allowing(&["irm", "unreadable"]).code(&s, false),
        exit::CLEAN
    );
    assert!(Allowed::parse("nonsense").is_none());
    // Include and exclude globs that leave nothing: the run failed, whatever is allowed.
    let mut none = Summary::default();
    none.walk.filtered_out = 3;
    assert_eq!(allowing(&["all"]).code(&none, false), exit::FAILED);
}

#[test]
fn a_stream_of_inputs_comes_back_in_order() {
    use o365lint::engine::Input;
    let engine = Engine::built_in();
    let dir = tempfile::tempdir().unwrap();
    let on_disk = dir.path().join("på disk.docx");
    std::fs::write(&on_disk, under_labelled()).unwrap();
    let mut inputs = Vec::new();
    for i in 0..300 {
        inputs.push(match i % 3 {
            0 => Input::Bytes {
                name: format!("opplasting {i}.docx"),
                bytes: under_labelled(),
            },
            1 => Input::path(&on_disk),
            _ => Input::path(&dir.path().join(format!("{FNR} mangler {i}.docx"))),
        });
    }
    let mut got = Vec::new();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    engine
        .scan_inputs(inputs.into_iter(), Some(&pool), |r| {
            got.push(r);
            Ok::<(), ()>(())
        })
        .unwrap();
    assert_eq!(got.len(), 300);
    for (i, r) in got.iter().enumerate() {
        match i % 3 {
            0 => assert_eq!(r.path, format!("opplasting {i}.docx").as_str()),
            1 => assert!(
                r.path.ends_with("på disk.docx") && r.error.is_none(),
                "{r:?}"
            ),
            _ => {
                assert_eq!(r.error_kind, Some(ErrorKind::Io), "{r:?}");
                assert!(r.path.contains("151086*****"), "{}", r.path);
            }
        }
        assert!(!serde_json::to_string(r).unwrap().contains(FNR));
    }
}

/// A file the walk listed, swapped for a FIFO or a link to a device before it is read (a
/// race on a live share): a per-file result at once, never a read that blocks or never
/// ends.
#[cfg(unix)]
#[test]
fn only_regular_files_are_read_whatever_was_swapped_in() {
    use o365lint::engine::Input;
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("vedtak.docx");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo");
    assert!(made.success());
    let zero = dir.path().join("null.docx");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let lock = dir.path().join("~$vedtak.docx");
    std::process::Command::new("mkfifo")
        .arg(&lock)
        .status()
        .unwrap();
    let doc = dir.path().join("ekte.docx");
    std::fs::write(&doc, under_labelled()).unwrap();
    let link = dir.path().join("lenke.docx");
    std::os::unix::fs::symlink(&doc, &link).unwrap();
    let walked = |p: &std::path::Path| Input::File(p.to_path_buf(), String::new());
    let inputs = vec![
        walked(&fifo),
        walked(&zero),
        walked(&lock),
        walked(&link),
        walked(&doc),
        Input::path(&link),
    ];
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut got = Vec::new();
        Engine::built_in()
            .scan_inputs(inputs.into_iter(), None, |r| {
                got.push(r);
                Ok::<(), ()>(())
            })
            .unwrap();
        tx.send(got).unwrap();
    });
    let got = rx
        .recv_timeout(std::time::Duration::from_secs(30))
        .expect("a FIFO or device blocked the scan");
    let what: Vec<(Option<ErrorKind>, bool)> = got
        .iter()
        .map(|r| (r.error_kind, r.label_status.is_some()))
        .collect();
    assert_eq!(
        what,
        [
            (Some(ErrorKind::NotOffice), false), // FIFO: not a regular file
            (Some(ErrorKind::NotOffice), false), // link to a device, not followed
            (Some(ErrorKind::NotOffice), false), // a FIFO named like a lock file
            (Some(ErrorKind::NotOffice), false), // a link met in a walk, not followed
            (None, true),
            (None, true), // a link named itself is followed
        ],
        "{got:#?}"
    );
    assert!(got[1].error.as_deref().unwrap().contains("symbolic link"));
}

#[test]
fn memory_budgets_too_small_to_read_a_file_are_refused() {
    for (toml, field) in [
        ("[limits]\nmax_memory = 1000\n", "max_memory"),
        (
            "[limits]\nmax_memory = 268435456\nscan_memory = 134217728\n",
            "scan_memory",
        ),
    ] {
        let Err(e) = Config::parse(toml, "o365lint.toml", None) else {
            panic!("accepted: {toml}");
        };
        assert_eq!(e.field.as_deref(), Some(field), "{e}");
    }
    let ok = Config::parse("[limits]\nmax_memory = 134217728\n", "o365lint.toml", None).unwrap();
    assert_eq!(ok.limits.max_memory, 128 << 20);
}
