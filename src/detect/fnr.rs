//! The fødselsnummer family: F-, D-, H- and FH-nummer and synthetic test numbers (spec/pii.md
//! §1). Pure validation: digits in, kind or the reason for rejection out. `today` and the
//! 2032 rule are parameters, so results never depend on the clock of the machine.

use crate::model::DetectorId;

/// A calendar date (proleptic Gregorian).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl Date {
    pub const fn new(year: u16, month: u8, day: u8) -> Date {
        Date { year, month, day }
    }

    /// `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let mut it = s.trim().splitn(3, '-');
        let year = it.next()?.parse().ok()?;
        let month = it.next()?.parse().ok()?;
        let day = it.next()?.parse().ok()?;
        (valid_day(year, month, day)).then_some(Date { year, month, day })
    }

    /// Today in UTC, from the system clock.
    pub fn today() -> Date {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        civil_from_days((secs / 86_400) as i64)
    }
}

/// Days since 1970-01-01 to a date.
fn civil_from_days(days: i64) -> Date {
    let (year, month, day) = crate::model::time::civil_from_days(days);
    Date::new(year as u16, month as u8, day as u8)
}

fn leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn valid_day(year: u16, month: u8, day: u8) -> bool {
    (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)
}

/// Which control-digit rule a number passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rule {
    /// The rule of all numbers issued before 2032 (K1 remainder 0).
    R1964,
    /// Valid only under the rule for numbers issued from 2032-01-01 (K1 remainder 1–3).
    R2032Only,
}

/// What kind of number it is. D and H combine; so do D and synthetic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Kind {
    /// Day + 40: a D-nummer.
    pub d: bool,
    /// Month + 40: an H-nummer (or a NAV Dolly test person, indistinguishable).
    pub h: bool,
    /// Month + 80: a Skatteetaten (Tenor) synthetic test person.
    pub synthetic: bool,
    /// First digit 8–9: a felles hjelpenummer, no date in it.
    pub fh: bool,
}

impl Kind {
    /// The detector id (DESIGN.md) this kind is reported under.
    pub fn detector(self) -> DetectorId {
        if self.synthetic {
            DetectorId::SyntetiskId
        } else if self.fh {
            DetectorId::FhNummer
        } else if self.h {
            DetectorId::HNummer
        } else if self.d {
            DetectorId::DNummer
        } else {
            DetectorId::Fodselsnummer
        }
    }
}

/// Why 11 digits are not a number of the family.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reject {
    Checksum,
    Date,
    /// The individual number and year fit no century of allocation.
    Century,
    /// Born after `today`.
    Future,
    /// Third digit 2, 3, 6 or 7: NAV's NPID range, not checksum-detectable.
    NpidRange,
}

/// How the 2032 rule is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Mode2032 {
    /// Numbers valid only by the 2032 rule count from 2032-01-01 on (`today`).
    #[default]
    Auto,
    On,
    Off,
}

const W1: [u32; 9] = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const W2: [u32; 10] = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

/// The control-digit rule 11 digits pass, if any.
pub fn checksum_rule(d: &[u8; 11]) -> Option<Rule> {
    let r2 = (W2
        .iter()
        .zip(d)
        .map(|(w, &x)| w * u32::from(x))
        .sum::<u32>()
        + u32::from(d[10]))
        % 11;
    if r2 != 0 {
        return None;
    }
    let r1 = (W1
        .iter()
        .zip(d)
        .map(|(w, &x)| w * u32::from(x))
        .sum::<u32>()
        + u32::from(d[9]))
        % 11;
    match r1 {
        0 => Some(Rule::R1964),
        1..=3 => Some(Rule::R2032Only),
        _ => None,
    }
}

/// The century of a 1964-rule number from its individual number and year (python-stdnum's
/// table, spec/pii.md §1.3).
fn century(ind: u16, yy: u16) -> Option<u16> {
    if ind < 500 {
        Some(1900)
    } else if ind < 750 && yy >= 54 {
        Some(1800)
    } else if yy < 40 {
        Some(2000)
    } else if ind >= 900 {
        Some(1900)
    } else {
        None
    }
}

/// Validates 11 digits as a number of the family: its kind and the rule it passed.
pub fn classify(d: &[u8; 11], today: Date) -> Result<(Kind, Rule), Reject> {
    let rule = checksum_rule(d).ok_or(Reject::Checksum)?;
    let mut kind = Kind::default();
    if d[0] >= 8 {
        // FH follows the 1964 control digits and carries no date.
        kind.fh = true;
        return match rule {
            Rule::R1964 => Ok((kind, rule)),
            Rule::R2032Only => Err(Reject::Checksum),
        };
    }
    let mut day = 10 * d[0] + d[1];
    if (4..=7).contains(&d[0]) {
        day -= 40;
        kind.d = true;
    }
    let mut month = 10 * d[2] + d[3];
    match d[2] {
        0 | 1 => {}
        4 | 5 => {
            month -= 40;
            kind.h = true;
        }
        8 | 9 => {
            month -= 80;
            kind.synthetic = true;
        }
        _ => return Err(Reject::NpidRange),
    }
    let yy = u16::from(10 * d[4] + d[5]);
    let ind = 100 * u16::from(d[6]) + 10 * u16::from(d[7]) + u16::from(d[8]);
    if !(1..=12).contains(&month) || day == 0 {
        return Err(Reject::Date);
    }
    match rule {
        Rule::R1964 => {
            let year = century(ind, yy).ok_or(Reject::Century)? + yy;
            if !valid_day(year, month, day) {
                return Err(Reject::Date);
            }
            if Date::new(year, month, day) > today {
                return Err(Reject::Future);
            }
        }
        Rule::R2032Only => {
            // No century in these numbers: Skatteetaten's validator takes yy % 4 as leap.
            let max = if month == 2 && yy.is_multiple_of(4) {
                29
            } else {
                days_in_month(2001, month)
            };
            if day > max {
                return Err(Reject::Date);
            }
        }
    }
    Ok((kind, rule))
}

/// Whether a number passing only the 2032 rule counts, given the mode and `today`.
pub fn counts_2032(mode: Mode2032, today: Date) -> bool {
    match mode {
        Mode2032::On => true,
        Mode2032::Off => false,
        Mode2032::Auto => today >= Date::new(2032, 1, 1),
    }
}

/// The digits of an ASCII digit string of length 11.
pub fn digits(s: &str) -> Option<[u8; 11]> {
    let b = s.as_bytes();
    if b.len() != 11 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut d = [0u8; 11];
    for (o, c) in d.iter_mut().zip(b) {
        *o = c - b'0';
    }
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TODAY: Date = Date::new(2026, 1, 1);

    fn check(s: &str) -> Result<(Kind, Rule), Reject> {
        classify(&digits(s).unwrap(), TODAY)
    }

    #[test]
    fn worked_example_and_2032_rule() {
        // Skatteetaten: 020132 999 → K1 9, K2 7; born 2032, so in the future in 2026.
        assert_eq!(check("02013299997"), Err(Reject::Future));
        let later = classify(&digits("02013299997").unwrap(), Date::new(2032, 1, 2));
        assert_eq!(later.map(|(k, _)| k.detector().id()), Ok("fodselsnummer"));
        assert_eq!(check("30108299939").unwrap().1, Rule::R2032Only);
        assert_eq!(check("30108299920").unwrap().1, Rule::R1964);
    }

    #[test]
    fn kinds() {
        assert_eq!(check("15108695088").unwrap().0.detector(), "fodselsnummer");
        assert_eq!(check("53097248016").unwrap().0.detector(), "d-nummer");
        assert_eq!(check("13527248013").unwrap().0.detector(), "h-nummer");
        assert_eq!(
            check("68467038838").unwrap().0,
            Kind {
                d: true,
                h: true,
                ..Kind::default()
            }
        );
        assert_eq!(check("06916396390").unwrap().0.detector(), "syntetisk-id");
        assert_eq!(check("81234567802").unwrap().0.detector(), "fh-nummer");
        assert_eq!(check("70624830529"), Err(Reject::NpidRange));
    }

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2024-02-29"), Some(Date::new(2024, 2, 29)));
        assert_eq!(civil_from_days(0), Date::new(1970, 1, 1));
        assert_eq!(civil_from_days(20_454), Date::new(2026, 1, 1));
        assert!(Date::today() >= Date::new(2026, 1, 1));
    }
}
