fn main() -> std::process::ExitCode {
    o365lint::cli::main()
}
