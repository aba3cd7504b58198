//! The `beatbook` program: the command line, or the app when no command is given.

use std::process::ExitCode;

use beatbook::cli::{self, Launch};

fn main() -> ExitCode {
    beatbook::memory::keep_freed_memory();
    // Before any log is opened: no crash dump holds decrypted notes or the key, and every
    // file and folder made from here on (the log's storage engine's too) is private.
    beatbook::memory::forbid_crash_dumps();
    beatbook::memory::private_umask();
    match cli::run_from(std::env::args_os()) {
        Ok(Launch::Done(code)) => ExitCode::from(code),
        Ok(Launch::App(dir)) => match beatbook::ui::run(&dir) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("beatbook: the window could not be opened: {e}");
                ExitCode::FAILURE
            }
        },
        Err(e) => ExitCode::from(cli::report(&e)),
    }
}
