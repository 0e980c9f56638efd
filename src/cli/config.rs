//! `o365lint config print`: the configuration in effect, and where it and each of its values
//! came from.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use super::{LangArg, config_error, find_config_noting, refusal};
use crate::config::Origin;
use crate::engine::{Choices, Engine};
use crate::model::Lang;
use crate::report::escape::escape;

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print the configuration in effect as TOML: the file it came from and how it was
    /// found, and after each value where it came from (the file, built-in, or an
    /// environment variable a scan honours). With a PATH, as `scan PATH` run here would
    /// have it: an o365lint.toml inside PATH is refused.
    Print {
        /// A folder a scan would read (a configuration inside it is not obeyed).
        path: Option<PathBuf>,
        /// Configuration file (o365lint.toml), also from O365LINT_CONFIG; default: as for
        /// `scan` (the working directory or above, then the user's configuration folder).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
    },
}

pub(super) fn run(command: ConfigCommand) -> io::Result<u8> {
    let ConfigCommand::Print { path, config } = command;
    // A folder that is not there cannot be scanned: say so rather than print as if it were.
    if let Some(p) = path.as_deref()
        && std::fs::symlink_metadata(p).is_err()
    {
        let mask = crate::detect::Detectors::built_in();
        return Err(io::Error::other(format!(
            "{}: no such file or folder",
            escape(&mask.mask_path(&crate::engine::walk::display(p)))
        )));
    }
    let scanned: Vec<PathBuf> = path.into_iter().collect();
    let found = find_config_noting(config.as_deref(), &scanned)?;
    let mut config = found.config;
    // What a scan takes from its environment over the file.
    let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty());
    for (name, key) in [
        ("O365LINT_LABELS", "labels"),
        ("O365LINT_DETECTORS", "detectors"),
        ("O365LINT_RULES", "handling"),
        ("O365LINT_SUPPRESSIONS", "suppressions"),
    ] {
        if let Some(v) = var(name) {
            let path = Some(PathBuf::from(v));
            match key {
                "labels" => config.labels = path,
                "detectors" => config.detectors = path,
                "handling" => config.handling = path,
                _ => config.suppressions = path,
            }
            config.set_origin(key, Origin::Environment(name));
        }
    }
    if let Some(v) = var("O365LINT_LANG") {
        let v = v.to_string_lossy();
        let lang = LangArg::from_str(&v, true)
            .map_err(|_| io::Error::other(format!("O365LINT_LANG: {v:?} is not nb or en")))?;
        config.lang = Lang::from(lang);
        config.set_origin("lang", Origin::Environment("O365LINT_LANG"));
    }
    if let Some(key) = std::env::var_os(Choices::HASH_KEY_VAR) {
        // As the engine takes it: set (even empty), it wins over the file's.
        config.hash_key = Some(key.to_string_lossy().into_owned()).filter(|k| !k.is_empty());
        config.set_origin("hash_key", Origin::Environment(Choices::HASH_KEY_VAR));
    }
    // Check that the files it names load, as a scan would.
    let engine = Engine::configured(&config, Choices::default()).map_err(config_error)?;
    // Paths and texts shown masked (a folder may be named by an identifier) and escaped.
    let shown = |s: &str| escape(&engine.detectors.mask(s)).into_owned();
    let notes: Vec<String> = found.refused.iter().map(|r| refusal(r, Lang::En)).collect();
    let mut out = io::stdout().lock();
    out.write_all(config.show(&shown, &notes).as_bytes())?;
    Ok(0)
}
