//! `o365lint serve`: the check over HTTP (see `serve`).

use std::io;
use std::path::PathBuf;

use super::check::UnknownArg;
use super::{LangArg, config_error, find_config};
use crate::engine::{Choices, Engine};
use crate::model::Lang;
use crate::serve::{self, Options};

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// Address to listen on; another than localhost only when told, and only with a token.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
    pub listen: String,
    /// Largest document taken, in MiB.
    #[arg(long, default_value_t = 64, value_name = "MIB")]
    pub max_body_mib: u64,
    /// Checks at once, at most (default: one per core).
    #[arg(long, value_name = "N")]
    pub workers: Option<usize>,
    /// Seconds one document may take to read; what is not read by then is not checked,
    /// and the answer says so (the configuration's `limits.max_seconds` if lower).
    #[arg(long, default_value_t = 20, value_name = "SECONDS")]
    pub timeout: u64,
    /// A bearer token `/check` requires (`Authorization: Bearer TOKEN`).
    #[arg(long, env = "O365LINT_SERVE_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
    /// A destination no configured pattern knows.
    #[arg(long, value_enum, default_value_t = UnknownArg::Warn)]
    pub unknown: UnknownArg,
    /// Language of the answers and the page [default: the configuration's, else nb].
    #[arg(long, value_enum, env = "O365LINT_LANG")]
    pub lang: Option<LangArg>,
    /// Configuration file (o365lint.toml): destinations, allow-list, rules.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

pub(super) fn run(args: ServeArgs) -> io::Result<u8> {
    let config = find_config(args.config.as_deref(), &[], args.lang)?;
    let choices = Choices {
        lang: args.lang.map(Lang::from),
        ..Choices::from_environment()
    };
    let mut engine = Engine::configured(&config, choices).map_err(config_error)?;
    engine.limits.max_seconds = engine.limits.max_seconds.min(args.timeout);
    if args
        .token
        .as_deref()
        .is_some_and(|t| !t.is_ascii() || t.contains(char::is_whitespace))
    {
        return Err(io::Error::other(
            "the token must be printable ASCII without spaces (it is sent in an HTTP header)",
        ));
    }
    let token = args.token.filter(|t| !t.is_empty());
    // Beyond this machine, anyone who reaches the port could have documents judged and
    // learn what the rules find: a token is required there (a proxy in front may add it).
    let beyond = std::net::ToSocketAddrs::to_socket_addrs(args.listen.as_str())
        .map_err(|e| io::Error::other(format!("--listen {}: {e}", args.listen)))?
        .any(|a| !a.ip().is_loopback());
    if beyond && token.is_none() {
        return Err(io::Error::other(format!(
            "--listen {} takes requests from other machines: give a token with --token or O365LINT_SERVE_TOKEN",
            args.listen
        )));
    }
    let options = Options {
        listen: args.listen,
        max_body: args.max_body_mib.saturating_mul(1 << 20),
        workers: args
            .workers
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get())),
        token,
        unknown: args.unknown.into(),
    };
    serve::run(engine, options, |addr| {
        eprintln!("o365lint serve: listening on http://{addr}");
    })?;
    Ok(0)
}
