use clap::Parser;

fn main() -> std::process::ExitCode {
    o365lint::cli::run(o365lint::cli::Cli::parse())
}
