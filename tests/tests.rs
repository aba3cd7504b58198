//! beatbook's integration tests, linked into one binary: each module below was once a test
//! binary of its own, and each of those linked the whole UI stack again.
//!
//! `io_faults` is not here: it switches on sled's failpoints, which are process-wide, so a
//! write refused there would fail any test running beside it. It stays a binary of its own.
//!
//! Run one module with `cargo test --test integration <module>::`, for example
//! `cargo test --test integration ui_snapshots::`.

// Tests may unwrap (a panic is a failed test) and a test reads best as one story, however long.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::too_many_lines)]

mod common;

mod audit;
mod backup;
mod bundle;
mod cli;
mod crash;
mod damaged;
mod exchange;
mod fuzz_backup;
mod handover;
mod hardening;
mod import;
mod names;
mod nasty_files;
mod partner_waits;
mod problems;
mod query;
mod retention;
mod review_metrics;
mod review_problems;
mod s3_server;
mod security;
mod store;
mod ui_display;
mod ui_exchange;
mod ui_problems;
mod ui_review;
mod ui_sergeant;
mod ui_shortcuts;
mod ui_snapshots;
mod ui_workflows;
mod upgrade;
mod you_said;

/// Local time is UTC in every test, so dates render and days break the same on every machine.
/// Several tests set `TZ` themselves before reading local time; in one process they would
/// change it under the others' feet, so it is set here once, before any test starts.
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static LOCAL_TIME_IS_UTC: extern "C" fn() = {
    extern "C" fn utc() {
        std::env::set_var("TZ", "UTC");
    }
    utc
};
