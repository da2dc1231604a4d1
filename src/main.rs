//! The `newsdesk` binary: parse the command line and hand over to [`newsdesk::cli`].
//! `anyhow` lives here and in `cli` only; everything below returns typed errors.

fn main() -> std::process::ExitCode {
    newsdesk::cli::main()
}
