//! `o365lint config print`: the configuration in effect, and where it came from.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::Subcommand;

use super::{config_error, find_config};
use crate::engine::{Choices, Engine};
use crate::report::escape::escape;

#[derive(Subcommand, Debug)]
pub enum ConfigCommand {
    /// Print the configuration in effect for a path (default: the current folder), as TOML,
    /// with where it came from.
    Print {
        /// The folder or file whose configuration to show.
        path: Option<PathBuf>,
        /// Configuration file; default: the nearest o365lint.toml at or above the path.
        #[arg(long, value_name = "FILE", env = "O365LINT_CONFIG")]
        config: Option<PathBuf>,
    },
}

pub(super) fn run(command: ConfigCommand) -> io::Result<u8> {
    let ConfigCommand::Print { path, config } = command;
    let start = path.unwrap_or_else(|| PathBuf::from("."));
    let config = find_config(config.as_deref(), Some(&start))?;
    // Check that the files it names load, as a scan would.
    let engine = Engine::configured(&config, Choices::default()).map_err(config_error)?;
    // Paths and texts shown masked (a folder may be named by an identifier) and escaped.
    let shown = |s: &str| escape(&engine.detectors.mask(s)).into_owned();
    let mut out = io::stdout().lock();
    out.write_all(config.show(&shown).as_bytes())?;
    Ok(0)
}
