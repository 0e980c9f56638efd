//! The binary run as a new user would run it, for the tests that run it: none of the
//! machine's o365lint environment variables and no user configuration folder, so a
//! developer's own settings never change what a test sees.
#![allow(dead_code)] // each test crate uses some of these

use std::path::Path;
use std::process::{Command, Output};

/// The environment variables o365lint reads; every run here starts without them.
const VARS: [&str; 8] = [
    "O365LINT_LABELS",
    "O365LINT_CONFIG",
    "O365LINT_RULES",
    "O365LINT_DETECTORS",
    "O365LINT_SUPPRESSIONS",
    "O365LINT_HASH_KEY",
    "O365LINT_LANG",
    "NO_COLOR",
];

/// The binary run in the project folder.
pub fn o365lint(args: &[&str]) -> Output {
    o365lint_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

/// The binary run in `dir`.
pub fn o365lint_in(dir: &Path, args: &[&str]) -> Output {
    o365lint_with(dir, &[], args)
}

/// The binary run in `dir` with only the environment variables `env` of its own (a user
/// configuration folder too, if `env` gives `XDG_CONFIG_HOME`).
pub fn o365lint_with(dir: &Path, env: &[(&str, &str)], args: &[&str]) -> Output {
    let mut c = clean(Command::new(env!("CARGO_BIN_EXE_o365lint")));
    c.args(args).current_dir(dir).envs(env.iter().copied());
    c.output().expect("run o365lint")
}

/// `c` without the o365lint environment variables and the user configuration folder.
pub fn clean(mut c: Command) -> Command {
    c.env("XDG_CONFIG_HOME", "/nonexistent/o365lint-tests");
    for var in VARS {
        c.env_remove(var);
    }
    c
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}
