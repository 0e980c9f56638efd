//! Where the configuration comes from. A configuration decides what a scan reports and how
//! it exits (`fail_on`, thresholds, excludes, the hash key that keeps hashes irreversible),
//! so it is read only from where the user put it, never from the folders being scanned,
//! which whoever writes to a share controls. The sources, first found wins:
//!
//! 1. `--config FILE` on the command line;
//! 2. `O365LINT_CONFIG` in the environment;
//! 3. the nearest `o365lint.toml` in the working directory or a folder above it, passing
//!    over any that lies inside a folder being scanned (`cd share && o365lint scan .` must
//!    not obey a file planted in the share): such a file is refused, and the user told;
//! 4. the user's configuration folder: `$XDG_CONFIG_HOME/o365lint/o365lint.toml`, else
//!    `%APPDATA%\o365lint\o365lint.toml` on Windows, else `~/.config/o365lint/o365lint.toml`
//!    (the user's own folder: trusted even when a scan covers it);
//! 5. the built-in `rules/config.toml`.
//!
//! A file given explicitly (1, 2) is obeyed wherever it is: the user vouched for it.

use std::fmt;
use std::path::{Path, PathBuf};

use super::{Config, FILE_NAME};
use crate::model::ConfigError;

/// How the configuration in effect was chosen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// `--config FILE`.
    CommandLine,
    /// `O365LINT_CONFIG`.
    Environment,
    /// The nearest `o365lint.toml` in the working directory or a folder above it.
    WorkingDirectory,
    /// The user's configuration folder.
    UserDirectory,
    /// A file or text a program gave the library ([`Config::load`], [`Config::parse`]).
    Given,
    /// No file: the built-in configuration.
    BuiltIn,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::CommandLine => "given with --config",
            Source::Environment => "given by O365LINT_CONFIG",
            Source::WorkingDirectory => {
                "the nearest o365lint.toml in the working directory or a folder above it"
            }
            Source::UserDirectory => "the user's configuration folder",
            Source::Given => "given to the library",
            Source::BuiltIn => "built-in (no configuration file to obey was found)",
        })
    }
}

/// Where a value in effect came from (`config print` says it beside each value).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The built-in configuration.
    BuiltIn,
    /// The configuration file.
    File,
    /// The suppressions file found beside the configuration file.
    BesideFile,
    /// An environment variable a run honours over the file (`O365LINT_LABELS`, …).
    Environment(&'static str),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::BuiltIn => f.write_str("built-in"),
            Origin::File => f.write_str("from the file"),
            Origin::BesideFile => f.write_str("found beside the file"),
            Origin::Environment(var) => write!(f, "from {var}"),
        }
    }
}

/// Where to look for the configuration of a run.
#[derive(Clone, Debug, Default)]
pub struct Lookup {
    /// `--config FILE`.
    pub command_line: Option<PathBuf>,
    /// `O365LINT_CONFIG`.
    pub environment: Option<PathBuf>,
    /// Where discovery starts: the working directory.
    pub working_directory: Option<PathBuf>,
    /// The file in the user's configuration folder.
    pub user_file: Option<PathBuf>,
    /// What the run reads: a discovered file inside one of these folders is refused.
    pub scanned: Vec<PathBuf>,
}

impl Lookup {
    /// The environment variable naming the configuration file.
    pub const VAR: &'static str = "O365LINT_CONFIG";

    /// The sources of a run started by a user: `command_line` (`--config`), then
    /// `O365LINT_CONFIG`, the working directory and the user's configuration folder;
    /// `scanned` the paths the run reads.
    pub fn from_environment(command_line: Option<&Path>, scanned: &[PathBuf]) -> Lookup {
        Lookup {
            command_line: command_line.map(Path::to_path_buf),
            environment: std::env::var_os(Lookup::VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from),
            working_directory: std::env::current_dir().ok(),
            user_file: user_file(),
            scanned: scanned.to_vec(),
        }
    }
}

/// The configuration file in the user's configuration folder (it need not exist):
/// `$XDG_CONFIG_HOME/o365lint/o365lint.toml` when `XDG_CONFIG_HOME` is an absolute path,
/// else `%APPDATA%\o365lint\o365lint.toml` on Windows, else
/// `$HOME/.config/o365lint/o365lint.toml`.
pub fn user_file() -> Option<PathBuf> {
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let dir = var("XDG_CONFIG_HOME")
        .or_else(|| if cfg!(windows) { var("APPDATA") } else { None })
        .or_else(|| var("HOME").map(|h| h.join(".config")))?;
    Some(dir.join("o365lint").join(FILE_NAME))
}

/// A configuration file discovery found but did not obey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// The file.
    pub path: PathBuf,
    /// The scanned folder it lies in.
    pub folder: PathBuf,
}

/// The configuration found, and the files refused on the way.
#[derive(Debug)]
pub struct Found {
    pub config: Config,
    pub refused: Vec<Refused>,
}

impl Config {
    /// The configuration of a run: the first source of `lookup` that gives a file (see the
    /// module), else the built-in one; with the discovered files it refused because they
    /// lie inside a scanned folder.
    pub fn find(lookup: &Lookup) -> Result<Found, ConfigError> {
        let found = |path: &Path, source: Source, refused: Vec<Refused>| {
            let mut config = Config::load(path)?;
            config.source = source;
            Ok(Found { config, refused })
        };
        if let Some(p) = &lookup.command_line {
            return found(p, Source::CommandLine, Vec::new());
        }
        if let Some(p) = &lookup.environment {
            return found(p, Source::Environment, Vec::new());
        }
        let folders: Vec<(PathBuf, PathBuf)> = lookup
            .scanned
            .iter()
            .filter(|p| p.is_dir())
            .filter_map(|p| Some((p.clone(), std::fs::canonicalize(p).ok()?)))
            .collect();
        let mut refused = Vec::new();
        if let Some(cwd) = &lookup.working_directory {
            for dir in cwd.ancestors() {
                let candidate = dir.join(FILE_NAME);
                if !candidate.is_file() {
                    continue;
                }
                match folders.iter().find(|(_, f)| inside(&candidate, f)) {
                    Some((folder, _)) => refused.push(Refused {
                        path: candidate,
                        folder: folder.clone(),
                    }),
                    None => return found(&candidate, Source::WorkingDirectory, refused),
                }
            }
        }
        if let Some(p) = lookup.user_file.as_deref().filter(|p| p.is_file()) {
            return found(p, Source::UserDirectory, refused);
        }
        Ok(Found {
            config: Config::built_in(),
            refused,
        })
    }
}

/// Whether `file` lies inside `folder` (canonical), where the file's own entry is or, when
/// it is a link, where it leads.
fn inside(file: &Path, folder: &Path) -> bool {
    let entry = file
        .parent()
        .and_then(|d| std::fs::canonicalize(d).ok())
        .or_else(|| std::path::absolute(file).ok());
    let target = std::fs::canonicalize(file).ok();
    [entry, target]
        .into_iter()
        .flatten()
        .any(|p| p.starts_with(folder))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    #[test]
    fn sources_in_order_and_files_inside_scanned_folders_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        let share = root.join("share");
        let work = share.join("sub");
        let user = root.join("xdg/o365lint/o365lint.toml");
        std::fs::create_dir_all(&work).unwrap();
        write(&share.join(FILE_NAME), "fail_on = \"never\"\n");
        write(&root.join(FILE_NAME), "fail_on = \"warning\"\n");
        write(&user, "fail_on = \"info\"\n");
        write(&root.join("given.toml"), "lang = \"en\"\n");
        let lookup = |scanned: &[&Path]| Lookup {
            working_directory: Some(work.clone()),
            user_file: Some(user.clone()),
            scanned: scanned.iter().map(|p| p.to_path_buf()).collect(),
            ..Lookup::default()
        };
        // Not scanning the share: the nearest file above the working directory.
        let f = Config::find(&lookup(&[])).unwrap();
        assert_eq!(f.config.source, Source::WorkingDirectory);
        assert_eq!(
            f.config.file.as_deref(),
            Some(share.join(FILE_NAME).as_path())
        );
        assert!(f.refused.is_empty());
        // Scanning it (`cd share/sub && o365lint scan ..`): the file in it is refused, the
        // next one above, outside, is used.
        let f = Config::find(&lookup(&[Path::new(&work).parent().unwrap()])).unwrap();
        assert_eq!(
            f.config.file.as_deref(),
            Some(root.join(FILE_NAME).as_path())
        );
        assert_eq!(
            f.refused,
            [Refused {
                path: share.join(FILE_NAME),
                folder: share.clone()
            }]
        );
        // Scanning everything: the user's folder, then the built-in configuration.
        let f = Config::find(&lookup(&[&root])).unwrap();
        assert_eq!(f.config.source, Source::UserDirectory);
        assert_eq!(f.refused.len(), 2);
        let f = Config::find(&Lookup {
            user_file: None,
            ..lookup(&[&root])
        })
        .unwrap();
        assert_eq!(f.config.source, Source::BuiltIn);
        // A file given is obeyed wherever it is.
        for (given, source) in [
            (
                Lookup {
                    command_line: Some(share.join(FILE_NAME)),
                    ..lookup(&[&root])
                },
                Source::CommandLine,
            ),
            (
                Lookup {
                    environment: Some(share.join(FILE_NAME)),
                    ..lookup(&[&root])
                },
                Source::Environment,
            ),
        ] {
            let f = Config::find(&given).unwrap();
            assert_eq!(f.config.source, source);
            assert_eq!(f.config.fail_on, None);
            assert!(f.refused.is_empty());
        }
    }

    #[cfg(unix)]
    #[test]
    fn a_link_into_a_scanned_folder_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let root = std::fs::canonicalize(tmp.path()).unwrap();
        let (share, work) = (root.join("share"), root.join("work"));
        std::fs::create_dir_all(&work).unwrap();
        write(&share.join("planted.toml"), "fail_on = \"never\"\n");
        std::os::unix::fs::symlink(share.join("planted.toml"), work.join(FILE_NAME)).unwrap();
        let f = Config::find(&Lookup {
            working_directory: Some(work),
            scanned: vec![share],
            ..Lookup::default()
        })
        .unwrap();
        assert_eq!(f.config.source, Source::BuiltIn);
        assert_eq!(f.refused.len(), 1);
    }

    #[test]
    fn the_user_file_follows_xdg_then_home() {
        // Only checks the shape: the environment is the test runner's.
        if let Some(p) = user_file() {
            assert!(p.ends_with("o365lint/o365lint.toml"), "{p:?}");
        }
    }
}
