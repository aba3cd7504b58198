//! What the benchmarks share: the size asked for and the synthetic precinct they run on. They
//! are a package of their own so that they build beatbook (and sled) exactly as the program
//! does, without the fault-injection points the tests compile in, and so that `cargo test`
//! never builds SQLite.

// A benchmark may unwrap: a panic stops a measurement, never an officer's work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::Instant;

use beatbook::demo::{generate, DemoOptions};
use beatbook::store::Store;

/// Contacts to build, from `BEATBOOK_BENCH_CONTACTS` (default 100000).
pub fn bench_size() -> usize {
    std::env::var("BEATBOOK_BENCH_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000)
}

/// Builds a precinct of `n` contacts in `dir`, scaled like a department (one officer per
/// 5,000 contacts, one neighborhood per 16,000, within bounds), always from the same seed.
/// The bench logs' passphrase, at the cost a real log uses.
pub fn passphrase() -> beatbook::store::Passphrase {
    beatbook::store::Passphrase::new(PASSPHRASE)
}

pub const PASSPHRASE: &str = "Bench-Passphrase-2026";

/// The log the benchmark runs on: the one in `BEATBOOK_BENCH_DIR` when set (built earlier with
/// `beatbook --data-dir DIR demo ...` and this passphrase, to save rebuilding a large one),
/// otherwise a new precinct of `n` contacts in `tmp`.
pub fn precinct_dir(tmp: &Path, n: usize) -> std::path::PathBuf {
    match std::env::var_os("BEATBOOK_BENCH_DIR") {
        Some(dir) => dir.into(),
        None => {
            build_precinct(tmp, n);
            tmp.to_path_buf()
        }
    }
}

pub fn build_precinct(dir: &Path, n: usize) {
    let opts = DemoOptions {
        officers: (n / 5_000).clamp(4, 200),
        neighborhoods: (n / 16_000).clamp(6, 60),
        contacts: n,
        seed: 7,
    };
    eprintln!(
        "building {n} contacts ({} officers, {} neighborhoods)...",
        opts.officers, opts.neighborhoods
    );
    let t = Instant::now();
    let store = Store::open(dir, &passphrase()).unwrap();
    generate(&store, &opts, &mut |_, _| {}).unwrap();
    // As `beatbook demo` does.
    let no_stop = std::sync::atomic::AtomicBool::new(false);
    let done = store.compact(&mut |_, _| {}, &no_stop).outcome.unwrap();
    eprintln!(
        "beatbook store built in {:.1}s ({:.0} MB before compacting)",
        t.elapsed().as_secs_f64(),
        done.bytes_before as f64 / 1e6
    );
}
