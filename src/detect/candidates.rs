//! The candidates of one piece of text and their scores: digit groups read as each kind of
//! number, e-mail addresses, IBANs and passport numbers, in their context.

use std::sync::Arc;

use super::fnr::{self, Date};
use super::found::{
    ColumnKey, Columnwise, Context, FamilyValue, Finding, Found, LEADING_ZERO_BASE,
    MAX_PIECE_FOUND, at_and_nor, may_be_iban,
};
use super::keywords::Hit;
use super::numbers::{self, Phone};
use super::{Detectors, list, tokens};
use crate::model::{Detection, DetectorId};
use crate::read::text::{Batch, Piece, trimmed};

/// Finds and scores the candidates of one piece.
pub(super) struct Candidates<'a, 'd> {
    pub(super) det: &'d Detectors,
    pub(super) today: Date,
    pub(super) batch: &'a Batch<'a>,
    /// The batch's part name, shared by the locations found in it.
    pub(super) part: &'a Arc<str>,
    pub(super) piece: &'a Piece,
    pub(super) hits: &'a [Hit],
    pub(super) around: &'a [(Hit, &'static str)],
    pub(super) tags: &'a [Arc<str>],
    pub(super) column: Option<ColumnKey>,
    pub(super) out: &'a mut Vec<Found>,
    /// A detection to report was left out: the piece had `MAX_PIECE_FOUND` already.
    pub(super) dropped: bool,
}

impl<'a> Candidates<'a, '_> {
    /// Keyword context for text at `start..end`: hits in the same piece within the proximity,
    /// plus the row label and column header.
    fn context(&self, start: usize, end: usize) -> Context<'a> {
        // Distance in bytes (a character of Norwegian text is one or two): hits are sorted by
        // start, so only the window around the candidate is looked at.
        let reach = self.det.settings.proximity;
        let from = self.hits.partition_point(|h| h.start + reach * 2 < start);
        let near = self.hits[from..]
            .iter()
            .take_while(|h| h.start <= end + reach)
            .filter(|h| {
                let d = start.saturating_sub(h.end).max(h.start.saturating_sub(end));
                d <= reach
            })
            .copied()
            .collect();
        Context {
            near,
            around: self.around,
        }
    }

    fn reason(&self, list_hit: &(bool, String), prefix: &str) -> String {
        let (entry, at) = list_hit.1.split_once('@').unwrap_or((&list_hit.1, ""));
        let word = entry
            .parse::<usize>()
            .map(|e| self.det.keywords.word(e).to_string())
            .unwrap_or_default();
        format!("{prefix}:{word}@{at}")
    }

    /// Records a detection, with the flags of the text it sits in and the piece's tags.
    fn push(&mut self, f: Finding) {
        let Finding {
            detector,
            start,
            end,
            key,
            masked,
            confidence,
            mut reasons,
            family,
        } = f;
        if self.out.len() >= MAX_PIECE_FOUND {
            self.dropped |= confidence >= i32::from(self.det.settings.threshold);
            return;
        }
        let flags = self.piece.flags_at(start, end);
        let location = self
            .piece
            .location_in(self.part.clone(), self.batch.flags, flags);
        for f in location.flags.names() {
            reasons.push(f.to_string());
        }
        for t in self.tags {
            reasons.push(format!("tag:{t}"));
        }
        self.out.push(Found {
            detector,
            detection: Detection {
                detector,
                masked,
                confidence: confidence.clamp(0, 100) as u8,
                location,
                reasons,
                count: 1,
                also_at: Vec::new(),
                hash: String::new(),
            },
            key,
            column: self.column,
            family: family.filter(|_| self.column.is_some()),
            pends: family.is_some(),
        });
    }

    pub(super) fn digit_candidates(&mut self) {
        let piece: &Piece = self.piece;
        let text = piece.text.as_str();
        let det = self.det;
        for seq in tokens::sequences(text) {
            for c in tokens::candidates(text, &seq) {
                self.digits(text, &c, det);
            }
        }
        // A numeric cell's 10 digits may be a fødselsnummer that lost its leading zero.
        let digits = trimmed(&self.piece.text);
        if self.piece.number && digits.len() == 10 && digits.bytes().all(|b| b.is_ascii_digit()) {
            self.padded(digits);
        }
    }

    fn digits(&mut self, text: &str, c: &tokens::Candidate, det: &Detectors) {
        let cx = self.context(c.start, c.end);
        let account = cx.has(const { list("account") });
        let d = numbers::digits(&c.digits).unwrap_or_default();
        // A country code before the number belongs to it.
        let mut from = c.start.saturating_sub(8);
        while !text.is_char_boundary(from) {
            from += 1;
        }
        let before = &text[from..c.start];
        // A byte-pair test first: a substring search sets up a searcher for each candidate.
        let prefixed =
            before.as_bytes().windows(2).any(|w| w == b"47") && det.country_code.is_match(before);
        let partial = if c.whole || prefixed { 0 } else { -20 };
        // Built only for what is scored: most candidates are none of the numbers.
        let base_reasons = || -> Vec<String> {
            if !c.whole && !prefixed {
                vec!["partial-sequence".to_string()]
            } else {
                Vec::new()
            }
        };
        if let Some(national) = tokens::glued_phone(text, c) {
            let partial = if c.whole { 0 } else { -20 };
            self.phone(text, c, national, true, partial, &cx);
            return;
        }

        if tokens::account_layout(c.lengths()) {
            if numbers::kontonummer(&d) {
                self.account(c, &d, account.is_some(), partial, base_reasons());
            }
            return;
        }
        if tokens::fnr_layout(c.lengths())
            && let Some((kind, rule)) = det.classify(&c.digits, self.today)
        {
            let v = FamilyValue {
                start: c.start,
                end: c.end,
                digits: &c.digits,
                kind,
                rule,
                padded: false,
            };
            let conf = self.family(v, &cx, partial, base_reasons());
            // Every valid fødselsnummer is a valid account number too (spec/pii.md §6.2):
            // with an account keyword in scope, or as an fnr too weak to report, it is read
            // as an account as well.
            if c.lengths() == [11]
                && (account.is_some() || conf < i32::from(det.settings.threshold))
                && numbers::kontonummer(&d)
            {
                self.account(c, &d, account.is_some(), partial, base_reasons());
            }
            return;
        }
        if c.lengths() == [11] && numbers::kontonummer(&d) {
            self.account(c, &d, account.is_some(), partial, base_reasons());
            return;
        }
        if tokens::orgnr_layout(c.lengths()) && numbers::orgnr(&d) {
            let def = det.detector(DetectorId::Organisasjonsnummer);
            let masked = det.masked_value(DetectorId::Organisasjonsnummer, &c.digits);
            self.push(Finding {
                detector: DetectorId::Organisasjonsnummer,
                start: c.start,
                end: c.end,
                key: c.digits.to_string(),
                masked,
                confidence: i32::from(def.base) + partial,
                reasons: base_reasons(),
                family: None,
            });
            return;
        }
        if tokens::duf_layout(c.lengths())
            && let Some(duf) = cx.has(const { list("duf") })
            && numbers::duf_year(&c.digits)
        {
            let def = det.detector(DetectorId::DufNummer);
            let mut conf = i32::from(def.base) + partial;
            let mut reasons = base_reasons();
            reasons.push(self.reason(&duf, "keyword"));
            if numbers::duf_checksum(&d) {
                conf += i32::from(def.checksum_boost.unwrap_or(0));
                reasons.push("checksum".into());
            }
            let masked = det.masked_value(DetectorId::DufNummer, &c.digits);
            self.push(Finding {
                detector: DetectorId::DufNummer,
                start: c.start,
                end: c.end,
                key: c.digits.to_string(),
                masked,
                confidence: conf,
                reasons,
                family: None,
            });
            return;
        }
        if tokens::phone_layout(c.lengths()) {
            self.phone(text, c, &c.digits, prefixed, partial, &cx);
        }
    }

    /// Scores a telephone number: `national` is its eight digits, `c` the text it is in.
    fn phone(
        &mut self,
        text: &str,
        c: &tokens::Candidate,
        national: &str,
        prefixed: bool,
        partial: i32,
        cx: &Context<'_>,
    ) {
        let det = self.det;
        let def = det.detector(DetectorId::Telefonnummer);
        let keyword = cx.has(const { list("phone") });
        let d = numbers::digits(national).unwrap_or_default();
        let (conf, mut reasons) = match numbers::phone(&d) {
            Phone::Mobile if prefixed || keyword.is_some() => (
                i32::from(def.base_with_keyword.unwrap_or(def.base)),
                vec!["mobile".to_string()],
            ),
            Phone::Mobile => (i32::from(def.base), vec!["mobile".to_string()]),
            Phone::Fixed => (
                i32::from(def.base_fixed.unwrap_or(def.base)),
                vec!["fixed-line".to_string()],
            ),
            Phone::Other => return,
        };
        // Amounts: a currency word in the ten characters after or before the number.
        let after = &text[c.end..];
        let after = after
            .char_indices()
            .nth(10)
            .map_or(after, |(i, _)| &after[..i]);
        let before = &text[..c.start];
        let before = before
            .char_indices()
            .rev()
            .nth(9)
            .map_or(before, |(i, _)| &before[i..]);
        let currency = const { list("currency") };
        if [after, before]
            .into_iter()
            .any(|t| det.keywords.find(t).iter().any(|h| h.list == currency))
        {
            return;
        }
        if prefixed {
            reasons.push("country-code".into());
        }
        if let Some(k) = &keyword {
            reasons.push(self.reason(k, "keyword"));
        }
        let masked = self.det.masked_value(DetectorId::Telefonnummer, national);
        self.push(Finding {
            detector: DetectorId::Telefonnummer,
            start: c.start,
            end: c.end,
            key: national.to_string(),
            masked,
            confidence: conf + partial,
            reasons,
            family: None,
        });
    }

    fn account(
        &mut self,
        c: &tokens::Candidate,
        d: &[u8],
        keyword: bool,
        partial: i32,
        mut reasons: Vec<String>,
    ) {
        let def = self.det.detector(DetectorId::Kontonummer);
        let base = if keyword {
            def.base_with_keyword.unwrap_or(def.base)
        } else {
            def.base
        };
        reasons.push("checksum".into());
        if tokens::account_layout(c.lengths()) {
            reasons.push("layout:4-2-5".into());
        }
        let _ = d;
        let masked = self.det.masked_value(DetectorId::Kontonummer, &c.digits);
        self.push(Finding {
            detector: DetectorId::Kontonummer,
            start: c.start,
            end: c.end,
            key: c.digits.to_string(),
            masked,
            confidence: i32::from(base) + partial,
            reasons,
            family: None,
        });
    }

    /// Scores a valid number of the fødselsnummer family; its confidence.
    fn family(
        &mut self,
        v: FamilyValue,
        cx: &Context<'_>,
        partial: i32,
        mut reasons: Vec<String>,
    ) -> i32 {
        let det = self.det;
        let FamilyValue {
            start,
            end,
            digits,
            kind,
            rule,
            padded,
        } = v;
        let id = kind.detector();
        let def = det.detector(id);
        let counts = rule == fnr::Rule::R1964 || fnr::counts_2032(det.mode_2032, self.today);
        // Only real-looking numbers (F, D, H under the rule in force) are raised by context
        // beyond their kind: FH and synthetic numbers keep their own scores.
        let boost = !kind.fh && !kind.synthetic && counts;
        reasons.insert(0, "checksum".into());
        if !kind.fh {
            reasons.push("date".into());
        }
        let identifier = cx.has(const { list("identifier") });
        let mut conf = i32::from(def.base);
        if padded {
            // Ten digits read with a leading zero are a guess (spec/pii.md §6.3): a low base,
            // 85 with evidence that the column holds identifiers.
            reasons.push("leading-zero-restored".into());
            conf = conf.min(LEADING_ZERO_BASE);
            if let Some(k) = &identifier {
                if boost {
                    conf = 85;
                }
                reasons.push(self.reason(k, "keyword"));
            }
            if self
                .piece
                .shown
                .as_deref()
                .is_some_and(|s| s.chars().filter(char::is_ascii_digit).count() == 11)
            {
                if boost {
                    conf = 85;
                }
                reasons.push("number-format".into());
            }
        } else if kind.fh {
            if let Some(k) = cx.has(const { list("fh") }) {
                conf = i32::from(def.base_with_keyword.unwrap_or(def.base));
                reasons.push(self.reason(&k, "keyword"));
            }
        } else if let Some(k) = &identifier {
            let boost = i32::from(def.keyword_boost);
            conf += if k.0 { boost / 2 } else { boost };
            conf = conf.min(95);
            reasons.push(self.reason(k, "keyword"));
        }
        if identifier.is_none()
            && let Some(n) = cx.has(const { list("negative") })
        {
            conf -= 30;
            reasons.push(self.reason(&n, "negative"));
        }
        let mut cap = 100;
        if (kind.h || kind.synthetic)
            && let Some(t) = cx.has(const { list("test") })
        {
            cap = 20;
            reasons.push(self.reason(&t, "test-data"));
        }
        if rule == fnr::Rule::R2032Only {
            reasons.push("rule-2032".into());
            if !counts {
                cap = cap.min(25);
            }
        }
        let conf = conf.min(i32::from(cap)) + partial;
        let masked = det.masked_value(id, digits);
        self.push(Finding {
            detector: id,
            start,
            end,
            key: digits.to_string(),
            masked,
            confidence: conf,
            reasons,
            family: Some(Columnwise { boost, cap }),
        });
        conf
    }

    /// A 10-digit numeric cell read as a fødselsnummer whose leading zero Excel dropped:
    /// only with evidence (a keyword header, a padding number format, column statistics).
    fn padded(&mut self, digits: &str) {
        let det = self.det;
        let padded = format!("0{digits}");
        let Some((kind, rule)) = det.classify(&padded, self.today) else {
            return;
        };
        let len = self.piece.text.len();
        let cx = self.context(0, len);
        let v = FamilyValue {
            start: 0,
            end: len,
            digits: &padded,
            kind,
            rule,
            padded: true,
        };
        self.family(v, &cx, 0, Vec::new());
    }

    /// E-mail addresses, Norwegian IBANs and passport numbers.
    pub(super) fn patterns(&mut self) {
        let det = self.det;
        let piece: &Piece = self.piece;
        let text = piece.text.as_str();
        // Cheap tests first: most text has no `@`, no 13 digits after a `NO` and no
        // passport keyword (a regex search costs even over an empty text).
        let (at, nor) = at_and_nor(text);
        if may_be_iban(text) {
            for m in det.iban.find_iter(text) {
                if numbers::iban_no(m.as_str()) {
                    let norm: String = m
                        .as_str()
                        .chars()
                        .filter(|c| !c.is_whitespace() && *c != '-')
                        .collect::<String>()
                        .to_ascii_uppercase();
                    let def = det.detector(DetectorId::Iban);
                    let masked = det.masked_value(DetectorId::Iban, &norm);
                    self.push(Finding {
                        detector: DetectorId::Iban,
                        start: m.start(),
                        end: m.end(),
                        key: norm,
                        masked,
                        confidence: i32::from(def.base),
                        reasons: vec!["checksum".into()],
                        family: None,
                    });
                }
            }
        }
        if at {
            for m in det.email.find_iter(text) {
                let addr = m.as_str().trim_end_matches('.');
                let (local, _) = addr.split_once('@').unwrap_or((addr, ""));
                let def = det.detector(DetectorId::Epost);
                if def
                    .ignore_local
                    .iter()
                    .any(|l| l.eq_ignore_ascii_case(local))
                {
                    continue;
                }
                let masked = det.masked_value(DetectorId::Epost, addr);
                self.push(Finding {
                    detector: DetectorId::Epost,
                    start: m.start(),
                    end: m.end(),
                    key: addr.to_lowercase(),
                    masked,
                    confidence: i32::from(def.base),
                    reasons: vec!["pattern".into()],
                    family: None,
                });
            }
        }
        let passport = const { list("passport") };
        let keyword = self.hits.iter().any(|h| h.list == passport);
        if keyword {
            for m in det.passport.find_iter(text) {
                let cx = self.context(m.start(), m.end());
                let near = cx.near.iter().any(|h| {
                    h.list == passport
                        && (h.end.abs_diff(m.start()) <= 50 || m.end().abs_diff(h.start) <= 50)
                });
                if near {
                    let def = det.detector(DetectorId::Passnummer);
                    let masked = det.masked_value(DetectorId::Passnummer, m.as_str());
                    self.push(Finding {
                        detector: DetectorId::Passnummer,
                        start: m.start(),
                        end: m.end(),
                        key: m.as_str().to_string(),
                        masked,
                        confidence: i32::from(def.base),
                        reasons: vec!["keyword:pass".into()],
                        family: None,
                    });
                }
            }
        }
        if nor {
            for m in det.mrz.find_iter(text) {
                let masked = det.masked_value(DetectorId::Passnummer, m.as_str());
                self.push(Finding {
                    detector: DetectorId::Passnummer,
                    start: m.start(),
                    end: m.end(),
                    key: m.as_str().to_string(),
                    masked,
                    confidence: 85,
                    reasons: vec!["machine-readable-zone".into()],
                    family: None,
                });
            }
        }
    }
}
