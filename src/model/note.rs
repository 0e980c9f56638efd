//! Notes about a file or a walk, typed so that they can be said in the user's language. The
//! technical detail a note quotes (a part name, an I/O error, a parser's message) stays as
//! it is in both languages: it is what one searches for.

use super::document::{ErrorKind, Format, SkipKind};
use super::result::Lang;

/// Something worth knowing that is not a finding: how a file was read, what a walk skipped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Note {
    /// A second reason the file was not fully read (the first is the file's error).
    AlsoNotFullyRead { kind: ErrorKind, detail: String },
    /// The name's extension says one format, the content another.
    NamedAs { ext: String, format: Format },
    /// An embedded file (with its name, when the package gives one) that is no document.
    EmbeddedNotOffice { part: String, name: Option<String> },
    /// An embedded OLE object that holds something else than a document.
    EmbeddedOleOther { part: String, holds: String },
    /// A property set or stream that could not be parsed; what was read still counts.
    StreamDamaged { stream: String, detail: String },
    /// Password encryption hides the label inside the encrypted package.
    PasswordHidesPackage,
    /// Password encryption hides the properties a legacy file keeps its label in.
    PasswordHidesProperties,
    /// The format's text is not read yet (labels are).
    TextNotRead(Format),
    /// A Word 6 or Word 95 document (its nFib): labels read, its older layout's text not.
    OldWord(u16),
    /// No data space map and no EncryptionInfo in an encrypted package.
    AssumedPassword,
    /// The package has no `_rels/.rels`.
    NoPackageRelationships,
    /// The LabelInfo part is there without a relationship to it.
    LabelInfoUnrelated(String),
    /// The label relationship points to a part that is missing.
    LabelPartMissing(String),
    /// The main part was found through `[Content_Types].xml`.
    MainByContentTypes,
    /// The main part was taken by its folder.
    MainByFolder(Format),
    /// The catalogue: several own labels in force at once.
    SeveralOwnLabels(Vec<String>),
    /// The file's name is not valid UTF-8: shown with replacement characters.
    NameNotUtf8,
    /// A suppression or baseline could not accept the file (see the text).
    FingerprintWithheld,
    /// A text file read in an encoding guessed from its bytes.
    ReadAs(String),
    /// A note about an embedded document, with the part that holds it.
    Inside { part: String, note: Box<Note> },
    /// Walk: a path given twice.
    GivenTwice(String),
    /// Walk: a file inside a folder that was also given on its own.
    AlsoGivenAlone(String),
    /// Walk: a symbolic link to a folder, not followed.
    LinkNotFollowed(String),
    /// Walk: a symbolic link loop.
    LinkLoop { path: String, to: String },
    /// Walk: a folder that cannot be read.
    FolderUnreadable { path: String, detail: String },
}

impl Note {
    /// The note in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let nb = lang == Lang::Nb;
        let pick = |en: String, no: String| if nb { no } else { en };
        match self {
            Note::AlsoNotFullyRead { kind, detail } => pick(
                format!("also not fully read: {}: {detail}", kind.headline(lang)),
                format!("heller ikke helt lest: {}: {detail}", kind.headline(lang)),
            ),
            Note::NamedAs { ext, format } => pick(
                format!("named .{ext} but the content is {}", format.name()),
                format!("heter .{ext}, men innholdet er {}", format.name()),
            ),
            Note::EmbeddedNotOffice { part, name } => match name {
                Some(name) => pick(
                    format!("{part}: embedded file «{name}» is not an Office document: not read"),
                    format!("{part}: den innebygde filen «{name}» er ikke et Office-dokument: ikke lest"),
                ),
                None => pick(
                    format!("{part}: embedded file is not an Office document: not read"),
                    format!("{part}: den innebygde filen er ikke et Office-dokument: ikke lest"),
                ),
            },
            Note::EmbeddedOleOther { part, holds } => pick(
                format!("{part}: embedded OLE object that is not a document (holds {holds}): not read"),
                format!("{part}: innebygd OLE-objekt som ikke er et dokument (inneholder {holds}): ikke lest"),
            ),
            Note::StreamDamaged { stream, detail } => pick(
                format!("{stream} is damaged: {detail}"),
                format!("{stream} er skadet: {detail}"),
            ),
            Note::PasswordHidesPackage => pick(
                "password-encrypted: any label is inside the encrypted package and cannot be read".into(),
                "passordkryptert: en eventuell merking ligger i den krypterte pakken og kan ikke leses".into(),
            ),
            Note::PasswordHidesProperties => pick(
                "password-encrypted: any label is in the document properties the password hides".into(),
                "passordkryptert: en eventuell merking ligger i dokumentegenskapene passordet skjuler".into(),
            ),
            Note::TextNotRead(format) => pick(
                format!("{}: labels read, text not extracted", format_name(*format, Lang::En)),
                format!("{}: merking lest, teksten ikke hentet ut", format_name(*format, Lang::Nb)),
            ),
            Note::OldWord(n_fib) => pick(
                format!("Word 6/95 document (nFib {n_fib}): labels read, text not extracted"),
                format!("Word 6/95-dokument (nFib {n_fib}): merking lest, teksten ikke hentet ut"),
            ),
            Note::AssumedPassword => pick(
                "no data space map and no EncryptionInfo: assuming password encryption".into(),
                "verken DataSpaceMap eller EncryptionInfo: regnes som passordkryptert".into(),
            ),
            Note::NoPackageRelationships => pick(
                "package has no _rels/.rels: parts found by their usual names".into(),
                "pakken mangler _rels/.rels: delene er funnet under sine vanlige navn".into(),
            ),
            Note::LabelInfoUnrelated(part) => pick(
                format!("{part} is not the target of a package relationship; read anyway"),
                format!("{part} er ikke mål for en relasjon i pakken; lest likevel"),
            ),
            Note::LabelPartMissing(part) => pick(
                format!("the label relationship points to {part}, which is missing"),
                format!("relasjonen til merkingen peker på {part}, som mangler"),
            ),
            Note::MainByContentTypes => pick(
                "main document found through [Content_Types].xml, not _rels/.rels".into(),
                "hoveddokumentet er funnet gjennom [Content_Types].xml, ikke _rels/.rels".into(),
            ),
            Note::MainByFolder(format) => pick(
                format!("main document has no known content type; taken as {} by its folder", format.name()),
                format!("hoveddokumentet har ingen kjent innholdstype; lest som {} ut fra mappen", format.name()),
            ),
            Note::SeveralOwnLabels(ids) => pick(
                format!("several labels of the own tenant are in force ({}); only one is allowed", ids.join(", ")),
                format!("flere merkinger fra egen virksomhet gjelder samtidig ({}); bare én er tillatt", ids.join(", ")),
            ),
            Note::NameNotUtf8 => pick(
                "the file's name is not valid UTF-8: shown with � where it is not; the file was read by its real name".into(),
                "filnavnet er ikke gyldig UTF-8: vist med � der det ikke er det; filen er lest under sitt egentlige navn".into(),
            ),
            Note::FingerprintWithheld => pick(
                "not accepted by the suppressions or baseline that name its findings: the path holds an identifier, and without a secret hash key (O365LINT_HASH_KEY) a fingerprint cannot tell it from a file whose path differs only inside it".into(),
                "ikke godtatt av unntakene eller grunnlinjen som nevner funnene: stien inneholder et identifikasjonsnummer, og uten en hemmelig nøkkel (O365LINT_HASH_KEY) kan et fingeravtrykk ikke skille den fra en fil hvis sti bare skiller seg inne i nummeret".into(),
            ),
            Note::ReadAs(encoding) => pick(
                format!("read as {encoding} text"),
                format!("lest som {encoding}-tekst"),
            ),
            Note::Inside { part, note } => format!("{part}: {}", note.text(lang)),
            Note::GivenTwice(path) => pick(
                format!("{path}: given twice: scanned once"),
                format!("{path}: oppgitt to ganger: skannet én gang"),
            ),
            Note::AlsoGivenAlone(path) => pick(
                format!("{path}: also given on its own: scanned once, as given"),
                format!("{path}: også oppgitt for seg: skannet én gang, slik den er oppgitt"),
            ),
            Note::LinkNotFollowed(path) => pick(
                format!("{path}: symbolic link to a folder, not followed (--follow follows it)"),
                format!("{path}: symbolsk lenke til en mappe, ikke fulgt (--follow følger den)"),
            ),
            Note::LinkLoop { path, to } => pick(
                format!("{path}: symbolic link loop back to {to}: not followed round"),
                format!("{path}: symbolsk lenke i ring tilbake til {to}: ikke fulgt rundt"),
            ),
            Note::FolderUnreadable { path, detail } => pick(
                format!("{path}: folder cannot be read ({detail}): its files were not scanned"),
                format!("{path}: mappen kan ikke leses ({detail}): filene i den er ikke skannet"),
            ),
        }
    }
}

/// In English, for logs and tests; users get [`Note::text`] in their language.
impl std::fmt::Display for Note {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

/// A format as a reader names it in a note: `legacy binary .xls`.
fn format_name(format: Format, lang: Lang) -> String {
    match (format, lang) {
        (Format::Xlsb, Lang::En) => "binary workbook (.xlsb)".into(),
        (Format::Xlsb, Lang::Nb) => "binær arbeidsbok (.xlsb)".into(),
        (f, Lang::En) => format!("legacy binary .{}", f.name()),
        (f, Lang::Nb) => format!("eldre binærformat .{}", f.name()),
    }
}

impl SkipKind {
    /// Why such a file was passed over, in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let nb = lang == Lang::Nb;
        match self {
            SkipKind::LockFile if nb => "Office-låsefil (~$…), ikke et dokument",
            SkipKind::LockFile => "Office lock file (~$…), not a document",
            SkipKind::SymbolicLink if nb => {
                "symbolsk lenke, ikke fulgt (--follow leser det lenker peker på)"
            }
            SkipKind::SymbolicLink => {
                "symbolic link, not followed (--follow reads what links point to)"
            }
        }
    }
}

impl ErrorKind {
    /// What went wrong, in a few words, before the technical detail.
    pub fn headline(self, lang: Lang) -> &'static str {
        let nb = lang == Lang::Nb;
        match self {
            ErrorKind::Io if nb => "filen kan ikke leses",
            ErrorKind::Io => "cannot read file",
            ErrorKind::NotOffice if nb => "ikke et Office-dokument",
            ErrorKind::NotOffice => "not an Office document",
            ErrorKind::Damaged if nb => "skadet fil",
            ErrorKind::Damaged => "damaged file",
            ErrorKind::Limit if nb => "lesegrensen er nådd",
            ErrorKind::Limit => "read limit exceeded",
            ErrorKind::Internal if nb => "intern feil (en feil i o365lint; meld den)",
            ErrorKind::Internal => "internal error (a bug; please report it)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_note_differs_by_language() {
        let notes = [
            Note::GivenTwice("a".into()),
            Note::TextNotRead(Format::Xls),
            Note::TextNotRead(Format::Xlsb),
            Note::OldWord(104),
            Note::PasswordHidesPackage,
            Note::AlsoNotFullyRead {
                kind: ErrorKind::Limit,
                detail: "x".into(),
            },
        ];
        for n in notes {
            assert_ne!(n.text(Lang::Nb), n.text(Lang::En), "{n:?}");
        }
        assert_eq!(
            Note::TextNotRead(Format::Xls).text(Lang::En),
            "legacy binary .xls: labels read, text not extracted"
        );
    }
}
