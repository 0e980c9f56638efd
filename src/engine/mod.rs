//! The engine every front end calls: built once from a configuration (catalogue, detectors,
//! rules, limits, hash key), it turns inputs (paths, or bytes with a name) into masked
//! [`FileResult`]s, in input order, and says what the run's exit code is.
//!
//! ```no_run
//! use o365lint::engine::Engine;
//!
//! let engine = Engine::built_in();
//! let bytes = std::fs::read("vedtak.docx").unwrap();
//! let result = engine.check_bytes("vedtak.docx", &bytes);
//! println!("{:?} {:?}", result.label.map(|l| l.class), result.required_class);
//! ```

pub mod check;
mod gate;
mod handoff;
pub mod manifest;
mod order;
mod pipeline;
pub mod root;
pub mod walk;

use std::path::{Path, PathBuf};

use crate::config::Config;
use crate::detect::Detectors;
use crate::detect::fnr::Date;
use crate::detect::key::Key;
use crate::labels::catalogue::Catalogue;
use crate::model::{
    CatalogueInfo, ConfigError, ErrorKind, FileResult, Lang, Masked, ScanReport, Severity, Summary,
    TextPiece, Unchecked, WalkNotes,
};
use crate::read;
use crate::read::container::Limits;
use crate::read::text::Batch;
use crate::verdict::rules::Rules;
use crate::verdict::suppress::{Baseline, Suppressions};
use gate::Gate;
pub use pipeline::Source;
use root::{Alike, Rooted, Roots};
pub use walk::Input;
use walk::{Patterns, Walk, display};

/// Exit codes (DESIGN.md, Contracts).
pub mod exit {
    /// No finding at or above the threshold.
    pub const CLEAN: u8 = 0;
    /// Findings at or above the threshold.
    pub const FINDINGS: u8 = 1;
    /// The run failed: usage, configuration, output; or include and exclude globs left
    /// nothing to scan.
    pub const FAILED: u8 = 2;
    /// The run finished, but some files (or folders) could not be (fully) read, or their
    /// content not checked, for a reason not allowed (`--allow-incomplete`). Wins over
    /// [`FINDINGS`]: the findings are in the report either way.
    pub const INCOMPLETE: u8 = 3;
}

/// The reasons for content not (fully) checked that do not change the exit code
/// (`--allow-incomplete[=REASON,…]`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Allowed(u8);

impl Allowed {
    /// None: every file not (fully) checked makes the exit code 3.
    pub const NONE: Allowed = Allowed(0);
    /// All: files not (fully) checked never change the exit code.
    pub const ALL: Allowed = Allowed(u8::MAX);

    /// These reasons.
    pub fn of(reasons: impl IntoIterator<Item = Unchecked>) -> Allowed {
        Allowed(reasons.into_iter().fold(0, |a, r| a | Allowed::bit(r)))
    }

    fn bit(r: Unchecked) -> u8 {
        1 << Unchecked::ALL.iter().position(|&u| u == r).unwrap_or(7)
    }

    pub fn allows(self, r: Unchecked) -> bool {
        self.0 & Allowed::bit(r) != 0
    }

    /// The reasons a word of `--allow-incomplete=` names: a reason's id, `format` for
    /// `format-not-read`, `encrypted` for `password` and `irm`, `all`.
    pub fn parse(word: &str) -> Option<Allowed> {
        Some(match word {
            "all" => Allowed::ALL,
            "format" => Allowed::of([Unchecked::FormatNotRead]),
            "encrypted" => Allowed::of([Unchecked::Password, Unchecked::Irm]),
            w => Allowed::of([Unchecked::parse(w)?]),
        })
    }

    /// Both sets.
    pub fn with(self, other: Allowed) -> Allowed {
        Allowed(self.0 | other.0)
    }
}

/// When findings and unread files make a run fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ExitPolicy {
    /// Findings at least this severe fail the run; `None`: findings never do.
    pub fail_on: Option<Severity>,
    /// Why files or folders may be not (fully) read or checked without changing the exit
    /// code. Every reason counts by default, encryption too: a password hides the content
    /// from the check, and an IRM-protected file is checked no more than one (a nightly
    /// scan of a share that rightly holds them allows `irm`).
    pub allow_incomplete: Allowed,
}

impl Default for ExitPolicy {
    fn default() -> ExitPolicy {
        ExitPolicy {
            fail_on: Some(Severity::Error),
            allow_incomplete: Allowed::NONE,
        }
    }
}

impl ExitPolicy {
    /// Whether the file has a finding, not accepted, that fails the run.
    pub fn fails(&self, f: &FileResult) -> bool {
        self.fail_on.is_some_and(|min| {
            f.findings
                .iter()
                .any(|x| x.suppressed.is_none() && x.severity >= min)
        })
    }

    /// The exit code of a run with this summary, where `failing` says whether some file
    /// [`fails`](ExitPolicy::fails).
    pub fn code(&self, summary: &Summary, failing: bool) -> u8 {
        if nothing_left(summary) {
            exit::FAILED
        } else if incomplete(summary)
            .into_iter()
            .any(|r| !self.allow_incomplete.allows(r))
        {
            exit::INCOMPLETE
        } else if failing {
            exit::FINDINGS
        } else {
            exit::CLEAN
        }
    }
}

/// Whether include and exclude globs set aside everything a scan met: nothing was checked,
/// and that must not look like a clean scan.
pub fn nothing_left(summary: &Summary) -> bool {
    summary.files == 0 && summary.walk.filtered_out > 0
}

/// Why files or folders of a scan were not (fully) read or their content not checked:
/// each reason once.
pub fn incomplete(summary: &Summary) -> Vec<Unchecked> {
    let mut why: Vec<Unchecked> = summary
        .not_checked_by_reason
        .keys()
        .filter_map(|k| Unchecked::parse(k))
        .collect();
    let kinds = summary
        .errors_by_kind
        .keys()
        .chain(summary.partial_by_kind.keys());
    why.extend(kinds.filter_map(|k| {
        let kind = [
            ErrorKind::Io,
            ErrorKind::NotOffice,
            ErrorKind::Damaged,
            ErrorKind::Limit,
            ErrorKind::Internal,
        ]
        .into_iter()
        .find(|x| x.id() == k)?;
        Some(Unchecked::of_error(kind))
    }));
    // A summary counted by hand may have errors without their kinds.
    let unkinded = summary.errors > 0 && why.is_empty();
    if summary.walk.unreadable_folders > 0 || unkinded {
        why.push(Unchecked::Unreadable);
    }
    why.sort();
    why.dedup();
    why
}

/// What a run chooses over its configuration (a command line's options). Paths given here
/// win over the configuration's.
#[derive(Clone, Debug, Default)]
pub struct Choices {
    pub labels: Option<PathBuf>,
    pub detectors: Option<PathBuf>,
    pub rules: Option<PathBuf>,
    pub suppressions: Option<PathBuf>,
    /// An earlier scan's JSON report.
    pub baseline: Option<PathBuf>,
    pub lang: Option<Lang>,
    /// Where the files go (a folder or URL), for the destination rules.
    pub destination: Option<String>,
    /// Added to the configuration's globs.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    pub follow: bool,
    /// `Some(None)`: findings never fail the run.
    pub fail_on: Option<Option<Severity>>,
    /// Reasons for files not (fully) checked that do not change the exit code.
    pub allow_incomplete: Allowed,
    /// A secret hash key (from the environment), winning over the configuration's.
    pub hash_key: Option<String>,
    /// The date identifiers are judged on (numbers born after it are not valid); default:
    /// the clock's.
    pub today: Option<Date>,
}

impl Choices {
    /// The environment variable that holds the secret hash key (DESIGN.md, Privacy): set on
    /// the machine, never written in a file that is shared.
    pub const HASH_KEY_VAR: &'static str = "O365LINT_HASH_KEY";

    /// No choices but the secret hash key from the environment, as every front end takes it.
    pub fn from_environment() -> Choices {
        Choices {
            hash_key: std::env::var(Choices::HASH_KEY_VAR).ok(),
            ..Choices::default()
        }
    }
}

/// The engine: everything a file is judged by, built once.
pub struct Engine {
    pub catalogue: Catalogue,
    pub limits: Limits,
    /// Files read at once, at most (`Limits::scan_memory`).
    gate: Gate,
    /// The detectors, with the hash key that links values and keys fingerprints.
    pub detectors: Detectors,
    /// The handling rules, with the configuration they read (thresholds, marking,
    /// destinations, businesses).
    pub rules: Rules,
    /// The language of rule messages.
    pub lang: Lang,
    /// Where the files go (a folder or URL), for the destination rules; `None`: each
    /// file's own path is matched against the configured destinations.
    pub destination: Option<String>,
    pub suppressions: Suppressions,
    pub baseline: Option<Baseline>,
    /// Which files folder walks keep.
    pub walk: Walk,
    pub policy: ExitPolicy,
    /// The configuration file in effect (canonical), if any: a walk that meets it does not
    /// report it as not obeyed.
    pub config_file: Option<PathBuf>,
    /// Where fingerprints take a file's path from.
    pub roots: Roots,
}

impl Engine {
    /// The built-in catalogue, detectors, rules and configuration, default limits,
    /// Norwegian messages.
    pub fn built_in() -> Engine {
        install_panic_hook();
        Engine {
            catalogue: Catalogue::built_in(),
            limits: Limits::default(),
            detectors: Detectors::built_in(),
            rules: Rules::built_in(),
            lang: Lang::Nb,
            destination: None,
            suppressions: Suppressions::default(),
            baseline: None,
            walk: Walk::default(),
            gate: Gate::new(&Limits::default()),
            policy: ExitPolicy::default(),
            config_file: None,
            roots: Roots::default(),
        }
    }

    /// The engine a configuration and a run's choices describe. A file that cannot be used
    /// is an error naming the file, the item and the field.
    pub fn configured(config: &Config, choices: Choices) -> Result<Engine, ConfigError> {
        install_panic_hook();
        let detectors = Engine::detectors(config, &choices)?;
        let rules = Engine::rules(config, choices.rules.as_deref(), &detectors.tag_names())?;
        let catalogue = match choices.labels.as_ref().or(config.labels.as_ref()) {
            Some(p) => Catalogue::load(p)?,
            None => Catalogue::built_in(),
        };
        let suppressions = match choices
            .suppressions
            .as_deref()
            .or(config.suppressions.as_deref())
        {
            Some(p) => Suppressions::load(p)?,
            None => Suppressions::default(),
        };
        let baseline = match &choices.baseline {
            Some(p) => Some(Baseline::load(p)?),
            None => None,
        };
        let patterns = |globs: Vec<String>, what: &str| -> Result<Option<Patterns>, ConfigError> {
            if globs.is_empty() {
                return Ok(None);
            }
            Patterns::new(&globs, what).map(Some)
        };
        let config_file = config
            .file
            .as_deref()
            .and_then(|f| std::fs::canonicalize(f).ok());
        let walk = Walk {
            include: patterns(
                [config.include.clone(), choices.include].concat(),
                "include",
            )?,
            exclude: patterns(
                [config.exclude.clone(), choices.exclude].concat(),
                "exclude",
            )?,
            follow_links: choices.follow || config.follow,
        };
        Ok(Engine {
            catalogue,
            limits: config.limits.clone(),
            detectors,
            rules,
            lang: choices.lang.unwrap_or(config.lang),
            destination: choices.destination,
            suppressions,
            baseline,
            gate: Gate::new(&config.limits),
            walk,
            policy: ExitPolicy {
                fail_on: choices.fail_on.unwrap_or(config.fail_on),
                allow_incomplete: choices.allow_incomplete,
            },
            roots: Roots::new(config, config_file.as_deref()),
            config_file,
        })
    }

    /// The detectors a configuration and a run's choices ask for.
    fn detectors(config: &Config, choices: &Choices) -> Result<Detectors, ConfigError> {
        let mut detectors = match choices.detectors.as_deref().or(config.detectors.as_deref()) {
            Some(p) => Detectors::load(p)?,
            None => Detectors::built_in(),
        };
        if let Some(today) = choices.today {
            detectors = detectors.with_today(today);
        }
        detectors.hash_key = choices
            .hash_key
            .as_deref()
            .or(config.hash_key.as_deref())
            .filter(|k| !k.is_empty())
            .map_or_else(Key::public, Key::from_secret);
        if let Some(&c) = config.thresholds.get("min_confidence") {
            detectors.settings.threshold = c.min(100) as u8;
        }
        Ok(detectors)
    }

    /// The rules a configuration asks for, or those of `path` (with the configuration's
    /// severities and thresholds), their tag conditions checked against `tags` (the
    /// detectors' lexicon tags; none: not checked).
    pub fn rules(
        config: &Config,
        path: Option<&Path>,
        tags: &[String],
    ) -> Result<Rules, ConfigError> {
        let mut config = config.clone();
        if let Some(p) = path {
            config.handling = Some(p.to_path_buf());
        }
        Rules::configured(config, tags)
    }

    /// One file on disk, as a scan of it alone would give it: masked.
    pub fn check_path(&self, path: &Path) -> FileResult {
        let name = display(Path::new(path.file_name().unwrap_or(path.as_os_str())));
        let rooted = self.roots.rooted(&root::canonical(path, &mut None));
        let file = pipeline::File::new(display(path), &name, &rooted);
        pipeline::masked(self, Source::Path { path, follow: true }, &file)
    }

    /// A document given as bytes with its file name (an upload): masked. The name is the
    /// file's path in the result, its name for the rules and its path from the scan root
    /// for fingerprints.
    pub fn check_bytes(&self, name: &str, bytes: &[u8]) -> FileResult {
        let shown = name.replace('\\', "/");
        let rooted = Rooted::named(name);
        let file = pipeline::File::new(shown.clone(), &shown, &rooted);
        pipeline::masked(self, Source::Bytes { name, bytes }, &file)
    }

    /// [`check_bytes`](Engine::check_bytes) for a document going to `destination` (an
    /// upload): judged as if it were there, ready for [`verdict`](Engine::verdict).
    pub fn check_upload(&self, name: &str, bytes: &[u8], destination: &str) -> FileResult {
        let shown = name.replace('\\', "/");
        let rooted = Rooted::named(name);
        let file = pipeline::File::new(shown.clone(), &shown, &rooted).to(destination);
        pipeline::masked(self, Source::Bytes { name, bytes }, &file)
    }

    /// Checks a stream of inputs (files, documents given as bytes, a migration plan's
    /// paths) as [`scan`](Engine::scan) does folders: in parallel, each masked result to
    /// `each` in input order, with at most a window of them in memory.
    pub fn scan_inputs<E: Send>(
        &self,
        inputs: impl Iterator<Item = Input>,
        pool: Option<&rayon::ThreadPool>,
        each: impl FnMut(FileResult) -> Result<(), E> + Send,
    ) -> Result<(), E> {
        // Paths from the root, and which of the files alike each is, in input order (the
        // walk's thread): numbered alike whatever the thread count.
        let (mut last, mut alike) = (None, Alike::default());
        let placed = inputs.map(move |input| {
            let mut rooted = self.roots.of_input(&input, &mut last);
            rooted.nth = alike.nth(&self.detectors, &rooted.path);
            (input, rooted)
        });
        let work = |(input, rooted): (Input, Rooted)| {
            self.gate.pass(|| pipeline::input(self, input, &rooted))
        };
        order::in_order(placed, |(input, _)| input.size(), &work, pool, each)
    }

    /// Reads a file's text for `o365lint text`: each piece, masked, to `each`, as it is
    /// read. Only regular files are read (never a FIFO or device that would block).
    pub fn text(&self, path: &Path, mut each: impl FnMut(TextPiece)) -> TextRead {
        let det = &self.detectors;
        let mut sink = |b: &Batch| {
            for piece in b.pieces {
                each(det.masked_piece(b.part, b.flags, piece));
            }
        };
        // What the reader says names parts and files.
        let m = |s: &str| det.masked_path(s);
        let lang = self.lang;
        match read::document::read_file(path, &self.limits, &mut sink) {
            Ok(doc) => TextRead {
                notes: doc.notes.iter().map(|n| m(&n.text(lang))).collect(),
                embedded_errors: doc
                    .embedded
                    .iter()
                    .filter_map(|e| Some((m(&e.path), m(&e.error.as_ref()?.text(lang)))))
                    .collect(),
                damage: doc.damage.map(|e| m(&e.text(lang))),
                error: None,
            },
            Err(e) => TextRead {
                error: Some(m(&e.text(lang))),
                ..TextRead::default()
            },
        }
    }

    /// Scans the given files and folders (on `pool`, or the current rayon pool) and hands
    /// each file's masked result to `each` in input order, whatever the thread count.
    /// Stops at the first error `each` returns.
    /// What else the walk met is returned: configuration files inside the scanned folders,
    /// which are not obeyed.
    pub fn scan<E: Send>(
        &self,
        paths: &[PathBuf],
        pool: Option<&rayon::ThreadPool>,
        each: impl FnMut(FileResult) -> Result<(), E> + Send,
    ) -> Result<Walked, E> {
        let met = std::sync::Mutex::new(walk::Met::default());
        self.scan_inputs(walk::inputs(paths, &self.walk, &met), pool, each)?;
        let met = met
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let mask = |s: &str| self.detectors.masked_path(s);
        let configs = met
            .configs
            .into_iter()
            .filter(|p| {
                // The configuration in effect (given with --config) is obeyed: not noted.
                self.config_file.is_none() || std::fs::canonicalize(p).ok() != self.config_file
            })
            .map(|p| mask(&display(&p)))
            .collect();
        let walk = WalkNotes {
            links_not_followed: met.links_not_followed,
            unreadable_folders: met.unreadable_folders,
            duplicates: met.duplicates,
            names_not_utf8: met.names_not_utf8,
            filtered_out: met.filtered_out,
            notes: met.notes.iter().map(|n| mask(&n.text(self.lang))).collect(),
        };
        Ok(Walked { configs, walk })
    }

    /// Scans everything and keeps every file's result.
    pub fn scan_all(&self, paths: &[PathBuf]) -> ScanReport {
        let mut files = Vec::new();
        let walked = self
            .scan(paths, None, |f| {
                files.push(f);
                Ok::<(), std::convert::Infallible>(())
            })
            .unwrap_or_else(|never| match never {});
        let mut report = ScanReport::new(files, self.catalogue_info());
        report.summary.configs_not_obeyed = walked.configs;
        report.summary.walk = walked.walk;
        report
    }

    /// What a scan's report says of the label catalogue: its origin (a path, or the built-in
    /// one) masked as every path in a report is, and the own tenant.
    pub fn catalogue_info(&self) -> CatalogueInfo {
        let mut info = self.catalogue.info();
        info.origin = self.detectors.mask_path(&info.origin);
        info
    }

    /// 16 hex digits that change when anything that decides a result changes: the tool's
    /// version, the configuration, rules, detectors, catalogue, hash key, limits, language,
    /// destination, suppressions and baseline. Results of two engines with the same
    /// fingerprint can be compared (a history store keys on it); the key is not readable
    /// from it.
    pub fn fingerprint(&self) -> String {
        let parts = [
            env!("CARGO_PKG_VERSION").to_string(),
            self.rules.config.print(),
            self.rules.digest.clone(),
            self.detectors.digest.clone(),
            format!("{:?}", self.detectors.settings),
            format!("{:?}", self.detectors.today),
            self.detectors.hash_key.hash(&["engine fingerprint"]),
            self.catalogue.digest.clone(),
            format!("{:?}", self.limits),
            format!("{:?}", self.lang),
            format!("{:?}", self.destination),
            self.suppressions.digest.clone(),
            self.baseline
                .as_ref()
                .map_or(String::new(), |b| b.digest.clone()),
            format!("{:?}", self.roots),
        ];
        let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
        Key::public().hash(&parts)
    }
}

/// What a scan's walk met besides the documents it read, masked.
#[derive(Debug, Default)]
pub struct Walked {
    /// Configuration files (`o365lint.toml`) inside the scanned folders, in walk order:
    /// never obeyed (the configuration in effect excepted, when it was given there).
    pub configs: Vec<Masked>,
    /// Links not followed, unreadable folders, duplicates, names not UTF-8, what the
    /// filters set aside.
    pub walk: WalkNotes,
}

/// What reading a file's text found besides the text, masked.
#[derive(Debug, Default)]
pub struct TextRead {
    pub notes: Vec<Masked>,
    /// Embedded documents that could not be read: their path and why.
    pub embedded_errors: Vec<(Masked, Masked)>,
    /// Damage met after the text began: the text is partial.
    pub damage: Option<Masked>,
    /// Why the file could not be read at all.
    pub error: Option<Masked>,
}

/// Replaces the default panic hook, which prints the panic's message: a parser that trips
/// over a document may put the document's text (an identifier) in it (DESIGN.md, Privacy).
/// The engine turns the panic into the file's error; standard error only learns where in
/// the code it happened. Installed once, however often it is called.
pub fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let at = info
                .location()
                .map(|l| format!(" at {}:{}", l.file(), l.line()))
                .unwrap_or_default();
            eprintln!(
                "o365lint: internal error{at} (message withheld: it may quote document text)"
            );
        }));
    });
}
