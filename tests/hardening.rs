//! The data at rest and the running process, as an attacker on the same computer meets them:
//! what the library writes is private without help from the program's umask, planted links
//! are not followed, key files asking for a huge key derivation are refused, and the process
//! writes no crash dump.

use std::path::Path;

use beatbook::export::{export_file, ExportFormat};
use beatbook::store::{EarlyKey, Store};

use crate::common;

/// Every folder (0700) and file (0600) under `root`, itself included; links are skipped.
#[cfg(unix)]
fn assert_private(root: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(root).unwrap();
    let mode = meta.permissions().mode() & 0o777;
    if meta.is_dir() {
        assert_eq!(mode, 0o700, "{} is {mode:o}", root.display());
        for e in std::fs::read_dir(root).unwrap() {
            assert_private(&e.unwrap().path());
        }
    } else if meta.is_file() {
        assert_eq!(mode, 0o600, "{} is {mode:o}", root.display());
    }
}

/// Sets this test process's umask to the common 0o022 (what a program using beatbook as a
/// library may well have), so what follows shows beatbook's own modes, not the umask's.
#[cfg(unix)]
fn ordinary_umask() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: umask only sets this process's file-creation mask.
    unsafe {
        libc::umask(0o022);
    }
}

/// The library, in a process with an ordinary umask, writes the log (sled's files too), its
/// key copy, seal and lock, exports and bundles for their owner only. (Backups are written by
/// the backup module; the program's umask covers them, see the CLI test.)
#[cfg(unix)]
#[test]
fn what_the_library_writes_is_private_whatever_the_umask() {
    ordinary_umask();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data").join("beatbook");
    common::log_with_contacts(&data, 3);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    {
        let store = Store::open(&data, &common::key()).unwrap();
        common::join_squad(&store);
        export_file(&store, ExportFormat::Csv, &out.join("contacts.csv")).unwrap();
        export_file(&store, ExportFormat::Json, &out.join("all.json")).unwrap();
        beatbook::bundle::write_bundle_file(
            &store,
            beatbook::bundle::BundleScope::Everything,
            &out.join("a.bbundle"),
        )
        .unwrap();
    }
    assert!(data.join("store").join("db").exists());
    assert!(data.join("store.key").exists());
    assert_private(&tmp.path().join("data"));
    for name in ["contacts.csv", "all.json", "a.bbundle"] {
        assert_private(&out.join(name));
    }
}

/// A log written before files were private (folders 0755, files 0644) is made private when
/// it is next opened.
#[cfg(unix)]
#[test]
fn an_older_logs_files_are_made_private_when_it_opens() {
    use std::os::unix::fs::PermissionsExt;
    ordinary_umask();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    common::log_with_contacts(&data, 2);
    let loosen = |p: &Path| {
        let mode = if p.is_dir() { 0o755 } else { 0o644 };
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    };
    for p in common::files_under(&data) {
        loosen(&p);
    }
    loosen(&data.join("store"));
    drop(Store::open(&data, &common::key()).unwrap());
    for p in common::files_under(&data) {
        assert_private(&p);
    }
    assert_private(&data.join("store"));
}

/// Links planted at the names beatbook's temporary files take (an export's, the key copy's)
/// are not followed: what they point to is unchanged, and the files are written anyway.
#[cfg(unix)]
#[test]
fn planted_links_at_temporary_names_are_not_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    let target = tmp.path().join("precious.txt");
    std::fs::write(&target, "keep me").unwrap();
    let plant = |path: &Path| std::os::unix::fs::symlink(&target, path).unwrap();
    let pid = std::process::id();
    // The names this process's temporary files take (earlier versions used the first two).
    std::fs::create_dir(&data).unwrap();
    plant(&data.join("store.key.tmp"));
    plant(&data.join(format!(".store.key.partial-{pid}")));
    plant(&data.join(format!(".store.key.partial-{pid}-0")));
    let out = tmp.path().join("contacts.csv");
    plant(&tmp.path().join(format!(".contacts.csv.partial-{pid}")));
    plant(&tmp.path().join(format!(".contacts.csv.partial-{pid}-0")));

    common::log_with_contacts(&data, 2);
    let store = Store::open(&data, &common::key()).unwrap();
    export_file(&store, ExportFormat::Csv, &out).unwrap();
    drop(store);

    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    assert!(std::fs::read_to_string(&out)
        .unwrap()
        .starts_with("id,date_time,"));
    let key_copy = std::fs::symlink_metadata(data.join("store.key")).unwrap();
    assert!(key_copy.is_file() && key_copy.len() > 0);
}

/// Reads the log's wrapped key (kept as JSON in sled's `meta` tree) of the closed log in `dir`.
fn rewrite_envelope(dir: &Path, change: impl Fn(&mut serde_json::Value)) {
    let db = common::raw_sled(&dir.join("store"));
    let meta = db.open_tree("meta").unwrap();
    let mut envelope: serde_json::Value =
        serde_json::from_slice(&meta.get(b"vault").unwrap().unwrap()).unwrap();
    change(&mut envelope);
    meta.insert(b"vault", serde_json::to_vec(&envelope).unwrap())
        .unwrap();
    db.flush().unwrap();
}

fn huge_cost(envelope: &mut serde_json::Value) {
    envelope["cost"] = serde_json::json!({"memory_kib": 1 << 20, "passes": 16});
}

/// A key file asking for a key derivation beyond what beatbook writes is refused: the copy
/// beside the log is not derived from (the log still opens with its own key), and the log's
/// own key is refused in plain words, its failed-unlock count untouched.
#[test]
fn key_files_asking_for_a_huge_key_derivation_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    common::log_with_contacts(dir, 2);

    let copy = dir.join("store.key");
    let mut envelope: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&copy).unwrap()).unwrap();
    huge_cost(&mut envelope);
    std::fs::write(&copy, serde_json::to_vec(&envelope).unwrap()).unwrap();
    assert!(
        EarlyKey::derive(dir, &common::key()).is_none(),
        "no key is derived from a copy asking for 1 GiB"
    );
    drop(Store::open(dir, &common::key()).unwrap());

    rewrite_envelope(dir, huge_cost);
    std::fs::remove_file(&copy).unwrap();
    let err = Store::open(dir, &common::key())
        .err()
        .expect("the log's key asks for too much")
        .to_string();
    assert!(err.contains("1024 MiB and 16 passes"), "{err}");
    assert!(err.contains("more than beatbook ever uses"), "{err}");
    assert!(!err.contains("tries left"), "{err}");
    rewrite_envelope(dir, |e| {
        e["cost"] = serde_json::json!({"memory_kib": 64, "passes": 1});
    });
    drop(Store::open(dir, &common::key()).unwrap());
}

/// The process forbids crash dumps: checked in a child process of this test, which calls the
/// program's own start-up step and then asks the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn crash_dumps_are_forbidden() {
    const CHILD: &str = "BEATBOOK_TEST_CRASH_DUMP_CHILD";
    if std::env::var_os(CHILD).is_some() {
        assert!(beatbook::memory::forbid_crash_dumps());
        // SAFETY: prctl(PR_GET_DUMPABLE) and getrlimit only read this process's settings.
        let dumpable = unsafe { libc::prctl(libc::PR_GET_DUMPABLE, 0, 0, 0, 0) };
        let mut core = libc::rlimit {
            rlim_cur: 1,
            rlim_max: 1,
        };
        assert_eq!(unsafe { libc::getrlimit(libc::RLIMIT_CORE, &mut core) }, 0);
        assert_eq!(dumpable, 0);
        assert_eq!((core.rlim_cur, core.rlim_max), (0, 0));
        println!("child checked");
        return;
    }
    let out = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "hardening::crash_dumps_are_forbidden",
            "--nocapture",
        ])
        .env(CHILD, "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("child checked"), "{text}");
}
