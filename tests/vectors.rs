//! The machine-readable test vectors of spec/pii.md Appendix A (copied to
//! tests/data/pii-vectors.json), run against the validators.

use o365lint::detect::fnr::{self, Date, Reject, Rule};
use serde_json::Value;

fn vectors() -> Value {
    serde_json::from_str(include_str!("data/pii-vectors.json")).unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

fn today(v: &Value) -> Date {
    Date::parse(v["today"].as_str().unwrap()).unwrap()
}

fn classify(s: &str, today: Date) -> Result<(fnr::Kind, Rule), Reject> {
    fnr::classify(&fnr::digits(s).unwrap(), today)
}

#[test]
fn fodselsnummer_family_valid_1964() {
    let v = vectors();
    let today = today(&v);
    for (group, numbers) in v["fnr_valid_1964"].as_object().unwrap() {
        for n in strings(numbers) {
            let (kind, rule) = classify(&n, today).unwrap_or_else(|e| panic!("{n}: {e:?}"));
            assert_eq!(rule, Rule::R1964, "{n}");
            let want = match group.as_str() {
                "F" => "fodselsnummer",
                "D" => "d-nummer",
                "H" | "D+H" => "h-nummer",
                "SYNTH" | "D+SYNTH" => "syntetisk-id",
                "FH" => "fh-nummer",
                other => panic!("unknown group {other}"),
            };
            assert_eq!(kind.detector(), want, "{n} ({group})");
            assert_eq!(kind.d, group.starts_with("D"), "{n}");
        }
    }
}

#[test]
fn fodselsnummer_family_2032_and_future() {
    let v = vectors();
    let today = today(&v);
    for n in strings(&v["fnr_valid_2032_only"]) {
        assert_eq!(classify(&n, today).map(|r| r.1), Ok(Rule::R2032Only), "{n}");
    }
    for n in strings(&v["fnr_future_until_2032_01_02"]) {
        assert_eq!(classify(&n, today), Err(Reject::Future), "{n}");
        assert!(classify(&n, Date::new(2032, 1, 2)).is_ok(), "{n}");
        assert_eq!(
            classify(&n, Date::new(2032, 1, 1)),
            Err(Reject::Future),
            "{n}"
        );
    }
}

#[test]
fn fodselsnummer_family_invalid() {
    let v = vectors();
    let today = today(&v);
    for (reason, numbers) in v["fnr_invalid"].as_object().unwrap() {
        let want = match reason.as_str() {
            "checksum" => Reject::Checksum,
            "date" => Reject::Date,
            "century" => Reject::Century,
            "future" => Reject::Future,
            "npid_range_not_detected" => Reject::NpidRange,
            other => panic!("unknown reason {other}"),
        };
        for n in strings(numbers) {
            let got = classify(&n, today);
            // A checksum failure under the 1964 rule may still pass the 2032 rule.
            match (want, got) {
                (Reject::Checksum, Ok((_, Rule::R2032Only))) => {}
                (want, got) => assert_eq!(got.map(|_| ()), Err(want), "{n}"),
            }
        }
    }
}

#[test]
fn formatted_numbers_are_found_by_the_detectors() {
    use o365lint::detect::Detectors;
    let det = Detectors::built_in().with_today(Date::new(2026, 1, 1));
    let v = vectors();
    for n in strings(&v["fnr_formatted_valid"]) {
        let o = det.paragraph(&format!("Fødselsnummer {n}"));
        assert!(
            o.detections
                .iter()
                .any(|d| d.detector == "fodselsnummer" && d.confidence >= 85),
            "{n}: {:?}",
            o.detections
        );
    }
}

#[test]
fn other_identifiers() {
    use o365lint::detect::numbers;
    let v = vectors();
    let d = |s: &str| numbers::digits(s).unwrap();
    for n in strings(&v["kontonummer"]["valid"]) {
        assert!(numbers::kontonummer(&d(&n)), "{n}");
    }
    for n in strings(&v["kontonummer"]["invalid"]) {
        assert!(!numbers::kontonummer(&d(&n)), "{n}");
    }
    for n in strings(&v["iban_no"]["valid"]) {
        assert!(numbers::iban_no(&n), "{n}");
    }
    for n in strings(&v["iban_no"]["invalid"]) {
        assert!(!numbers::iban_no(&n), "{n}");
    }
    for n in strings(&v["orgnr"]["valid"]) {
        assert!(numbers::orgnr(&d(&n)), "{n}");
    }
    for n in strings(&v["orgnr"]["invalid"]) {
        assert!(!numbers::orgnr(&d(&n)), "{n}");
    }
    let digits_of = |s: &str| d(&s.chars().filter(char::is_ascii_digit).collect::<String>());
    for n in strings(&v["mva"]["valid"]) {
        assert!(numbers::orgnr(&digits_of(&n)), "{n}");
    }
    for n in strings(&v["mva"]["invalid"]) {
        assert!(!numbers::orgnr(&digits_of(&n)), "{n}");
    }
    for n in strings(&v["duf_checksum"]["valid"]) {
        assert!(numbers::duf_checksum(&d(&n)), "{n}");
    }
    for n in strings(&v["duf_checksum"]["invalid"]) {
        assert!(!numbers::duf_checksum(&d(&n)), "{n}");
    }
    for n in strings(&v["xlsx_numeric_10_digit_zero_pad_valid"]) {
        let padded = format!("0{n}");
        assert!(
            fnr::classify(&fnr::digits(&padded).unwrap(), today(&v)).is_ok(),
            "{n}"
        );
    }
}
