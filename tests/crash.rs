//! Crash safety: a child process saves, edits and deletes contacts and reports each save as it
//! is acknowledged; the parent kills it (SIGKILL on Unix) at a random moment, reopens the store
//! and checks that it passes `check` and holds every acknowledged save unchanged.
//!
//! `BEATBOOK_CRASH_CYCLES` sets the number of kills (a few by default; thousands for a long run).

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use beatbook::model::{Contact, ContactKind, Id, Initiator, Meta, Role, Tone};
use beatbook::store::Store;
use chrono::Utc;

use crate::common;

const CHILD_DIR: &str = "BEATBOOK_CRASH_CHILD_DIR";
const ACK: &str = "ACK ";
const IMPORT: &str = "IMPORT ";
const IMPORTED: &str = "IMPORTED";

/// A CSV in the export's layout with 40 contacts under fresh ids; returns the ids.
fn write_import_file(path: &Path, step: u64) -> Vec<String> {
    let mut w = csv::Writer::from_path(path).unwrap();
    w.write_record(beatbook::export::CSV_HEADER).unwrap();
    let ids: Vec<String> = (0..40)
        .map(|k| {
            Id::compose(
                Utc::now().timestamp_millis() as u64,
                0x00C5_u64 << 32 | step,
                k,
            )
            .to_string()
        })
        .collect();
    for (k, id) in ids.iter().enumerate() {
        let unnamed = k.to_string();
        w.write_record([
            id.as_str(),
            "2026-11-20T10:00:00+00:00",
            "Dana Reyes",
            "4127",
            "Riverside",
            "Library steps",
            "event",
            "Imported Person",
            unnamed.as_str(),
            "resident",
            "noise",
            "warm",
            "Imported from the spring fair sign-up sheet.",
            "",
        ])
        .unwrap();
    }
    w.flush().unwrap();
    ids
}

/// Runs only as the child: writes until it is killed.
#[test]
fn crash_writer_child() {
    let Ok(dir) = std::env::var(CHILD_DIR) else {
        return;
    };
    let store = Store::open(Path::new(&dir), &common::key()).unwrap();
    let profile = match store.profile().unwrap() {
        Some(p) => p,
        None => store
            .set_up("Dana Reyes", "4127", Role::Officer, "Riverside")
            .unwrap(),
    };
    let me = profile.officer;
    let hood = profile.last_neighborhood.unwrap();
    let mut mine: Vec<Contact> = Vec::new();
    let mut out = std::io::stdout().lock();
    for i in 0u64.. {
        if i % 25 == 24 {
            // Now and then a whole CSV import, which must land all or nothing.
            let file = Path::new(&dir).join(format!("import-{i}.csv"));
            let ids = write_import_file(&file, i);
            writeln!(out, "{IMPORT}{}", ids.join(" ")).unwrap();
            out.flush().unwrap();
            beatbook::import::import_csv(&store, &file, me).unwrap();
            writeln!(out, "{IMPORTED}").unwrap();
            out.flush().unwrap();
            continue;
        }
        let saved = if i % 5 == 4 && !mine.is_empty() {
            // An edit (or now and then a delete) of an earlier contact.
            let k = (i as usize * 7) % mine.len();
            let mut c = mine[k].clone();
            if i % 15 == 14 {
                store.delete::<Contact>(c.meta.id, me).unwrap()
            } else {
                c.note = format!("{} Edited at step {i}.", c.note);
                c.tone = Tone::ALL[(i % 5) as usize];
                store.save(c, me).unwrap()
            }
        } else {
            let at = Utc::now();
            let c = Contact {
                meta: Meta::new(store.new_id_at(at).unwrap(), me, at),
                at,
                neighborhood: hood,
                place: format!("Block {i}"),
                kind: ContactKind::ALL[(i % 8) as usize],
                people: Vec::new(),
                unnamed: 1 + (i % 4) as u32,
                initiated_by: Initiator::Resident,
                tags: Vec::new(),
                tone: Tone::Neutral,
                note: format!("Entry {i}: spoke with residents about the corner lot."),
            };
            store.save(c, me).unwrap()
        };
        match mine.iter_mut().find(|c| c.meta.id == saved.meta.id) {
            Some(slot) => *slot = saved.clone(),
            None => mine.push(saved.clone()),
        }
        writeln!(out, "{ACK}{}", serde_json::to_string(&saved).unwrap()).unwrap();
        out.flush().unwrap();
    }
}

/// A small deterministic generator, seeded from the clock and printed so a failure can be replayed.
/// This test binary again, running only the test `child` (which acts when `env` is set).
fn spawn_child(child: &str, env: &[(&str, String)]) -> std::process::Child {
    let mut c = Command::new(std::env::current_exe().unwrap());
    // Tests are named by their path in the integration binary.
    let name = format!("crash::{child}");
    c.args(["--exact", &name, "--nocapture", "--test-threads=1"]);
    for (k, v) in env {
        c.env(k, v);
    }
    c.stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// Kills the child after `delay` and returns every line it printed until then. The test
/// runner's "test name ... " goes before the child's first line: it is taken off, so that a
/// child killed after one line of its own is read right.
fn kill_after(mut child: std::process::Child, delay: Duration) -> Vec<String> {
    let stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        BufReader::new(stdout)
            .lines()
            .map_while(Result::ok)
            .map(|line| match line.split_once(" ... ") {
                Some((runner, own)) if runner.starts_with("test ") => own.to_string(),
                _ => line,
            })
            .collect::<Vec<_>>()
    });
    std::thread::sleep(delay);
    child.kill().unwrap();
    child.wait().unwrap();
    reader.join().unwrap()
}

/// How many times a child is killed: `BEATBOOK_CRASH_CYCLES`, 6 by default.
fn kills() -> usize {
    std::env::var("BEATBOOK_CRASH_CYCLES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6)
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

#[test]
fn acknowledged_saves_survive_sigkill_at_random_moments() {
    let cycles = kills();
    let seed = std::env::var("BEATBOOK_CRASH_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| Utc::now().timestamp_nanos_opt().unwrap_or(1) as u64);
    eprintln!("crash test: {cycles} kills, BEATBOOK_CRASH_SEED={seed}");
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();

    // The newest acknowledged version of every contact, across all cycles.
    let mut acked: HashMap<Id, Contact> = HashMap::new();
    let mut total_acks = 0usize;
    let (mut imports_whole, mut imports_none) = (0usize, 0usize);
    let started = Instant::now();
    for cycle in 0..cycles {
        let child = spawn_child(
            "crash_writer_child",
            &[(CHILD_DIR, dir.display().to_string())],
        );
        // Let the child start, then kill it somewhere in the middle of its work.
        let lines = kill_after(child, Duration::from_millis(150 + rng.next() % 400));
        let mut acks = Vec::new();
        let mut started_imports = Vec::new();
        for line in lines {
            if let Some(json) = line.strip_prefix(ACK) {
                acks.push(serde_json::from_str::<Contact>(json).unwrap());
            } else if let Some(ids) = line.strip_prefix(IMPORT) {
                let ids: Vec<Id> = ids.split(' ').map(|i| i.parse().unwrap()).collect();
                started_imports.push((ids, false));
            } else if line.starts_with(IMPORTED) {
                if let Some(last) = started_imports.last_mut() {
                    last.1 = true;
                }
            }
        }
        total_acks += acks.len();
        for c in acks {
            acked.insert(c.meta.id, c);
        }

        let store = Store::open(dir, &common::key())
            .unwrap_or_else(|e| panic!("cycle {cycle}: the store does not open: {e}"));
        let report = store.check().unwrap();
        for (ids, acknowledged) in &started_imports {
            let present = ids
                .iter()
                .filter(|id| store.get::<Contact>(**id).unwrap().is_some())
                .count();
            assert!(
                present == 0 || present == ids.len(),
                "cycle {cycle}: an import landed in part ({present} of {})",
                ids.len()
            );
            assert!(
                !acknowledged || present == ids.len(),
                "cycle {cycle}: an acknowledged import is missing"
            );
            imports_whole += usize::from(present == ids.len());
            imports_none += usize::from(present == 0);
        }
        assert!(
            report.is_ok(),
            "cycle {cycle}: check failed: {:?}",
            report.problems
        );
        for (id, want) in acked.iter_mut() {
            let got: Contact = store
                .get(*id)
                .unwrap()
                .unwrap_or_else(|| panic!("cycle {cycle}: acknowledged contact {id} is missing"));
            // A save may land just before the kill without its acknowledgement: newer is fine.
            assert!(
                got.meta.revision >= want.meta.revision,
                "cycle {cycle}: {id} went back in time"
            );
            if got.meta.revision == want.meta.revision {
                assert_eq!(&got, want, "cycle {cycle}: {id} changed");
            }
            // The next cycle holds the store to what it holds now.
            *want = got;
        }
    }
    eprintln!(
        "crash test: {cycles} kills survived, {total_acks} acknowledged saves, {} contacts, none lost; \
         imports interrupted or finished: {imports_whole} whole, {imports_none} not at all, none in part; {:.1}s",
        acked.len(),
        started.elapsed().as_secs_f64()
    );
    assert!(total_acks > 0, "the child never got to write");
}

const REKEY_DIR: &str = "BEATBOOK_REKEY_CHILD_DIR";
const REKEY_FROM: &str = "BEATBOOK_REKEY_FROM";
const REKEYED: &str = "REKEYED ";

/// The passphrases the re-key child steps through: the n-th, then the next.
fn nth_passphrase(n: u64) -> beatbook::store::Passphrase {
    beatbook::store::Passphrase::new(format!("Rekey-Passphrase-{n}"))
        .with_cost(beatbook::store::KdfCost::MINIMAL)
}

/// Runs only as the child: changes the passphrase over and over until it is killed, saying
/// which passphrase each acknowledged change set.
#[test]
fn rekey_child() {
    let (Ok(dir), Ok(from)) = (std::env::var(REKEY_DIR), std::env::var(REKEY_FROM)) else {
        return;
    };
    let from: u64 = from.parse().unwrap();
    let mut store = Store::open(Path::new(&dir), &nth_passphrase(from)).unwrap();
    let mut out = std::io::stdout().lock();
    let never = std::sync::atomic::AtomicBool::new(false);
    for n in from.. {
        let changed = store.change_passphrase(
            &nth_passphrase(n),
            &nth_passphrase(n + 1),
            &mut |_, _| {},
            &never,
        );
        changed.outcome.unwrap();
        store = changed.store.unwrap();
        writeln!(out, "{REKEYED}{}", n + 1).unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn a_passphrase_change_killed_midway_leaves_the_old_or_the_new_one_working() {
    let cycles = kills();
    let mut rng = Rng(Utc::now().timestamp_nanos_opt().unwrap_or(1) as u64);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    // Every record the log holds (the set-up's officer, beat and topics).
    let records = |store: &Store| {
        store.all::<beatbook::model::Tag>().unwrap().len()
            + store.all::<beatbook::model::Neighborhood>().unwrap().len()
            + store.all::<beatbook::model::Officer>().unwrap().len()
    };
    let entries = {
        let store = Store::open(dir, &nth_passphrase(0)).unwrap();
        store
            .set_up("Dana Reyes", "4127", Role::Officer, "Riverside")
            .unwrap();
        records(&store)
    };
    let (mut current, mut changes) = (0u64, 0u64);
    for cycle in 0..cycles {
        let child = spawn_child(
            "rekey_child",
            &[
                (REKEY_DIR, dir.display().to_string()),
                (REKEY_FROM, current.to_string()),
            ],
        );
        let acked = kill_after(child, Duration::from_millis(150 + rng.next() % 300))
            .iter()
            .rev()
            .find_map(|l| l.strip_prefix(REKEYED).and_then(|n| n.parse::<u64>().ok()))
            .unwrap_or(current);
        changes += acked - current;
        // The last acknowledged passphrase opens the log, or the next one if its change landed
        // just before the kill; nothing else may.
        let store = match Store::open(dir, &nth_passphrase(acked)) {
            Ok(store) => {
                current = acked;
                store
            }
            Err(beatbook::store::StoreError::WrongPassphrase { .. }) => {
                current = acked + 1;
                Store::open(dir, &nth_passphrase(current))
                    .unwrap_or_else(|e| panic!("cycle {cycle}: neither passphrase opens: {e}"))
            }
            Err(e) => panic!("cycle {cycle}: {e}"),
        };
        assert_eq!(records(&store), entries, "cycle {cycle}: entries lost");
        assert!(store.check().unwrap().is_ok(), "cycle {cycle}");
    }
    eprintln!(
        "re-key crash test: {cycles} kills, {changes} acknowledged passphrase changes, none lost"
    );
    assert!(changes > 0, "the child never changed the passphrase");
}

const COMPACT_DIR: &str = "BEATBOOK_COMPACT_CHILD_DIR";
const COMPACTED: &str = "COMPACTED";

/// Runs only as the child: compacts the log over and over until it is killed.
#[test]
fn compact_child() {
    let Ok(dir) = std::env::var(COMPACT_DIR) else {
        return;
    };
    let mut store = Store::open(Path::new(&dir), &common::key()).unwrap();
    let mut out = std::io::stdout().lock();
    loop {
        let compacted = store.compact(&mut |_, _| {}, &std::sync::atomic::AtomicBool::new(false));
        compacted.outcome.unwrap();
        store = compacted.store.unwrap();
        writeln!(out, "{COMPACTED}").unwrap();
        out.flush().unwrap();
    }
}

/// A compaction killed at any moment leaves the log whole: it opens, passes `check`, and holds
/// every record and history entry it had; no half-made copy is left once it has opened.
#[test]
fn a_compaction_killed_midway_leaves_the_log_whole() {
    let cycles = kills();
    let mut rng = Rng(Utc::now().timestamp_nanos_opt().unwrap_or(1) as u64);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let before = {
        let store = Store::open(dir, &common::key()).unwrap();
        beatbook::demo::generate(
            &store,
            &beatbook::demo::DemoOptions {
                officers: 4,
                neighborhoods: 6,
                contacts: 3_000,
                seed: 5,
            },
            &mut |_, _| {},
        )
        .unwrap();
        store.check().unwrap()
    };
    let mut finished = 0;
    for cycle in 0..cycles {
        let child = spawn_child("compact_child", &[(COMPACT_DIR, dir.display().to_string())]);
        finished += kill_after(child, Duration::from_millis(100 + rng.next() % 900))
            .iter()
            .filter(|l| *l == COMPACTED)
            .count();
        let store = Store::open(dir, &common::key())
            .unwrap_or_else(|e| panic!("cycle {cycle}: the log does not open: {e}"));
        let after = store.check().unwrap();
        assert!(after.is_ok(), "cycle {cycle}: {:?}", after.problems);
        assert_eq!(after.counts, before.counts, "cycle {cycle}");
        assert_eq!(
            after.history_entries, before.history_entries,
            "cycle {cycle}"
        );
        assert_eq!(after.index_entries, before.index_entries, "cycle {cycle}");
        assert!(!dir.join("store.restoring").exists(), "cycle {cycle}");
    }
    eprintln!("compaction crash test: {cycles} kills, {finished} compactions finished, none lost");
}

const SYNC_DIRS: &str = "BEATBOOK_SYNC_CHILD_DIRS";
const SYNCED: &str = "SYNCED";

/// Runs only as the child: syncs an officer's log and the sergeant's, over and over, until it
/// is killed.
#[test]
fn sync_child() {
    let Ok(dirs) = std::env::var(SYNC_DIRS) else {
        return;
    };
    let (officer, sergeant) = dirs.split_once('\n').unwrap();
    let mut out = std::io::stdout().lock();
    loop {
        for dir in [officer, sergeant] {
            let store = Store::open(Path::new(dir), &common::key()).unwrap();
            beatbook::exchange::sync_once(&store, beatbook::exchange::Conflicts::Wait).unwrap();
        }
        writeln!(out, "{SYNCED}").unwrap();
        out.flush().unwrap();
    }
}

/// A sync killed at any moment (sending, reading, applying) leaves both logs whole, and the
/// next sync completes it: the sergeant then holds every contact the officer logged, once.
#[test]
fn a_sync_killed_at_any_moment_leaves_the_logs_whole_and_the_next_completes_it() {
    use crate::exchange::{approve_all, folder_target, log_contact, squad_on, sync};
    let cycles = kills();
    let seed = Utc::now().timestamp_nanos_opt().unwrap_or(1) as u64;
    let mut rng = Rng(seed);
    let tmp = tempfile::tempdir().unwrap();
    let target = folder_target(tmp.path());
    let s = squad_on(tmp.path(), &target);
    sync(&s.dana);
    sync(&s.sam);
    approve_all(&s.sam);
    let ids = |dir: &Path| -> std::collections::BTreeSet<Id> {
        Store::open(dir, &common::key())
            .unwrap()
            .all::<Contact>()
            .unwrap()
            .into_iter()
            .map(|c| c.meta.id)
            .collect()
    };
    let mut finished = 0;
    for cycle in 0..cycles {
        for i in 0..20 {
            log_contact(&s.dana, &format!("Cycle {cycle}, contact {i}."));
        }
        let child = spawn_child(
            "sync_child",
            &[(
                SYNC_DIRS,
                format!("{}\n{}", s.dana.display(), s.sam.display()),
            )],
        );
        finished += kill_after(child, Duration::from_millis(50 + rng.next() % 700))
            .iter()
            .filter(|l| *l == SYNCED)
            .count();
        for dir in [&s.dana, &s.sam] {
            let store = Store::open(dir, &common::key())
                .unwrap_or_else(|e| panic!("cycle {cycle}: the log does not open: {e}"));
            let report = store.check().unwrap();
            assert!(report.is_ok(), "cycle {cycle}: {:?}", report.problems);
        }
    }
    let sent = sync(&s.dana);
    let got = sync(&s.sam);
    assert!(sent.refused.is_empty() && got.refused.is_empty(), "{got:?}");
    assert_eq!(got.conflicts, 0, "{got:?}");
    assert_eq!(
        ids(&s.sam),
        ids(&s.dana),
        "seed {seed}: every contact arrived, once"
    );
    assert_eq!(ids(&s.sam).len(), cycles * 20);
    eprintln!("sync crash test: {cycles} kills, {finished} whole syncs between them, nothing lost");
}
