//! The `beatbook` program as a person runs it: real processes on throwaway data folders.

use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Output};

use crate::common;

const BIN: &str = env!("CARGO_BIN_EXE_beatbook");

fn bb(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
        .env("BEATBOOK_SQUAD_PASSPHRASE", common::SQUAD_PASSPHRASE)
        .arg("--data-dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).unwrap()
}

fn assert_ok(o: &Output) {
    assert!(o.status.success(), "failed: {}", stderr(o));
}

/// A failure is a non-zero exit with exactly one `beatbook: ...` line on stderr.
fn assert_one_line_error(o: &Output) -> String {
    assert!(!o.status.success(), "unexpected success: {}", stdout(o));
    let err = stderr(o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 1, "stderr: {err:?}");
    assert!(lines[0].starts_with("beatbook: "), "{err:?}");
    lines[0].to_string()
}

fn demo(dir: &Path, contacts: usize, seed: u64) {
    let o = bb(
        dir,
        &[
            "demo",
            "--contacts",
            &contacts.to_string(),
            "--seed",
            &seed.to_string(),
        ],
    );
    assert_ok(&o);
    let out = stdout(&o);
    assert_eq!(out.lines().count(), 2, "{out}");
    assert!(out.contains(&format!("{contacts} contacts")), "{out}");
    // The demo's bulk writes are compacted away at the end.
    assert!(
        out.lines()
            .nth(1)
            .unwrap()
            .starts_with("Compacted the log: "),
        "{out}"
    );
}

fn export_json(dir: &Path) -> serde_json::Value {
    let o = bb(dir, &["export", "--format", "json"]);
    assert_ok(&o);
    serde_json::from_slice(&o.stdout).unwrap()
}

/// Everything in the log except the export time, to prove a command changed nothing.
fn snapshot(dir: &Path) -> String {
    let mut v = export_json(dir);
    v["exported_at"] = serde_json::Value::Null;
    v.to_string()
}

fn count(dir: &Path, args: &[&str]) -> usize {
    let mut all = vec!["search", "--count"];
    all.extend_from_slice(args);
    let o = bb(dir, &all);
    assert_ok(&o);
    stdout(&o).trim().parse().unwrap()
}

#[test]
fn demo_then_check_passes() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path(), 200, 1);
    let o = bb(tmp.path(), &["check"]);
    assert_ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains(&format!("Log format: {}", beatbook::store::CURRENT_FORMAT)),
        "{out}"
    );
    assert!(out.contains("Contacts: 200"), "{out}");
    assert!(out.contains("Officers: 4"), "{out}");
    assert!(out.contains("Neighborhoods: 6"), "{out}");
    assert!(out.contains("Index entries: "), "{out}");
    assert!(out.contains("History entries: 0"), "{out}");
    assert_eq!(out.lines().last(), Some("OK"));
}

/// `compact` rewrites the log into a fresh folder: the same records after, a clean check, and
/// a line saying what it gave back.
#[test]
fn compact_keeps_the_log_as_it_was() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path(), 300, 3);
    let before = snapshot(tmp.path());
    let o = bb(tmp.path(), &["compact"]);
    assert_ok(&o);
    let out = stdout(&o);
    assert!(out.starts_with("Compacted the log: "), "{out}");
    // The size now, and which way it went, said plainly.
    assert!(out.contains(" on disk, "), "{out}");
    assert!(
        ["less than before", "more than before", "as before"]
            .iter()
            .any(|w| out.contains(w)),
        "{out}"
    );
    assert_eq!(snapshot(tmp.path()), before);
    let check = stdout(&bb(tmp.path(), &["check"]));
    assert_eq!(check.lines().last(), Some("OK"), "{check}");
}

#[test]
fn demo_is_deterministic_for_a_seed() {
    let content = |dir: &Path| {
        let o = bb(dir, &["export", "--format", "csv"]);
        assert_ok(&o);
        let mut r = csv::Reader::from_reader(o.stdout.as_slice());
        let mut rows: Vec<String> = r
            .records()
            .map(|rec| {
                let rec = rec.unwrap();
                // Ids, times and follow-up dates differ between runs; the content does not.
                [
                    &rec[4], &rec[5], &rec[6], &rec[7], &rec[8], &rec[11], &rec[12],
                ]
                .join("|")
            })
            .collect();
        rows.sort();
        rows
    };
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    demo(a.path(), 150, 42);
    demo(b.path(), 150, 42);
    demo(c.path(), 150, 43);
    let (ca, cb, cc) = (content(a.path()), content(b.path()), content(c.path()));
    assert_eq!(ca.len(), 150);
    assert_eq!(ca, cb);
    assert_ne!(ca, cc);
}

#[test]
fn json_export_has_every_record() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path(), 120, 2);
    let v = export_json(tmp.path());
    assert_eq!(v["format"], "beatbook-export");
    assert_eq!(v["format_version"], 1);
    assert!(v["exported_at"].is_string());
    let len = |k: &str| v[k].as_array().unwrap().len();
    assert_eq!(len("contacts"), 120);
    assert_eq!(len("officers"), 4);
    assert_eq!(len("neighborhoods"), 6);
    assert_eq!(len("people"), 30);
    assert_eq!(len("tags"), 12);
    assert!(len("followups") > 5);
    assert!(len("journal") >= 18);
    assert_eq!(len("deleted"), 0);

    // The same through a file.
    let path = tmp.path().join("out.json");
    let o = bb(
        tmp.path(),
        &[
            "export",
            "--format",
            "json",
            "--out",
            path.to_str().unwrap(),
        ],
    );
    assert_ok(&o);
    assert!(o.stdout.is_empty());
    let from_file: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert_eq!(from_file["contacts"], v["contacts"]);
}

#[test]
fn csv_export_has_a_header_and_a_row_per_contact() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path(), 90, 3);
    let path = tmp.path().join("contacts.csv");
    let o = bb(
        tmp.path(),
        &["export", "--format", "csv", "--out", path.to_str().unwrap()],
    );
    assert_ok(&o);
    let mut r = csv::Reader::from_path(&path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, beatbook::export::CSV_HEADER);
    let rows: Vec<csv::StringRecord> = r.records().map(|x| x.unwrap()).collect();
    assert_eq!(rows.len(), 90);
    for row in &rows {
        assert_eq!(row[0].len(), 32);
        assert!(
            chrono::DateTime::parse_from_rfc3339(&row[1]).is_ok(),
            "{}",
            &row[1]
        );
        assert!(beatbook::model::ContactKind::parse(&row[6]).is_some());
    }
    // Oldest first.
    let times: Vec<_> = rows
        .iter()
        .map(|r| chrono::DateTime::parse_from_rfc3339(&r[1]).unwrap())
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn search_filters_agree_with_the_export() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo(dir, 300, 4);
    let v = export_json(dir);
    let contacts = v["contacts"].as_array().unwrap();
    let hood_ids: HashMap<&str, &str> = v["neighborhoods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["name"].as_str().unwrap(),
                h["meta"]["id"].as_str().unwrap(),
            )
        })
        .collect();
    let noise = v["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "noise")
        .unwrap()["meta"]["id"]
        .clone();

    assert_eq!(count(dir, &[]), 300);
    let riverside = contacts
        .iter()
        .filter(|c| c["neighborhood"] == hood_ids["Riverside"])
        .count();
    assert!(riverside > 0);
    assert_eq!(count(dir, &["--neighborhood", "riverside"]), riverside);
    let phone = contacts
        .iter()
        .filter(|c| c["kind"] == "phone_or_message")
        .count();
    assert_eq!(count(dir, &["--kind", "phone"]), phone);
    let noisy = contacts
        .iter()
        .filter(|c| c["tags"].as_array().unwrap().contains(&noise))
        .count();
    assert_eq!(count(dir, &["--tag", "NOISE"]), noisy);
    let both = contacts
        .iter()
        .filter(|c| c["neighborhood"] == hood_ids["Riverside"])
        .filter(|c| c["tags"].as_array().unwrap().contains(&noise))
        .count();
    assert_eq!(
        count(dir, &["--tag", "noise", "--neighborhood", "Riverside"]),
        both
    );
    let streetlight = contacts
        .iter()
        .filter(|c| {
            let hay = format!("{} {}", c["note"], c["place"]).to_lowercase();
            hay.contains("streetlight")
        })
        .count();
    assert_eq!(count(dir, &["streetlight"]), streetlight);

    // By officer, by name or badge.
    let officer = &v["officers"][1];
    let mine = contacts
        .iter()
        .filter(|c| c["meta"]["author"] == officer["meta"]["id"])
        .count();
    let name = officer["name"].as_str().unwrap().to_uppercase();
    assert_eq!(count(dir, &["--officer", &name]), mine);
    assert_eq!(
        count(dir, &["--officer", officer["badge"].as_str().unwrap()]),
        mine
    );

    // Dates: a window far in the past is empty; one covering all of it finds everything.
    assert_eq!(
        count(dir, &["--from", "2001-01-01", "--to", "2001-12-31"]),
        0
    );
    assert_eq!(
        count(dir, &["--from", "2000-01-01", "--to", "2999-12-31"]),
        300
    );

    // Text output: one line per contact, newest first, capped by --limit.
    let o = bb(
        dir,
        &["search", "--neighborhood", "Riverside", "--limit", "7"],
    );
    assert_ok(&o);
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 7.min(riverside));
    assert!(lines.iter().all(|l| l.contains("  Riverside  ")), "{out}");
    let mut sorted = lines.clone();
    sorted.sort_by(|a, b| b[..16].cmp(&a[..16]));
    assert_eq!(lines, sorted);

    // JSON output.
    let o = bb(
        dir,
        &[
            "search",
            "--kind",
            "business_check",
            "--format",
            "json",
            "--limit",
            "3",
        ],
    );
    assert_ok(&o);
    let j: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let total = contacts
        .iter()
        .filter(|c| c["kind"] == "business_check")
        .count();
    assert_eq!(j["total"], total);
    assert_eq!(j["contacts"].as_array().unwrap().len(), 3.min(total));
    assert_eq!(j["contacts"][0]["kind"], "business_check");
}

#[test]
fn unknown_names_and_bad_values_are_one_line_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo(dir, 60, 5);
    let before = snapshot(dir);

    let line = assert_one_line_error(&bb(dir, &["search", "--neighborhood", "Atlantis"]));
    assert!(
        line.contains("No neighborhood named \"Atlantis\""),
        "{line}"
    );
    assert!(line.contains("Riverside"), "{line}");
    let line = assert_one_line_error(&bb(dir, &["search", "--officer", "Nobody Atall"]));
    assert!(line.contains("No officer named"), "{line}");
    let line = assert_one_line_error(&bb(dir, &["search", "--tag", "volcanoes"]));
    assert!(line.contains("No topic named"), "{line}");
    let line = assert_one_line_error(&bb(dir, &["search", "--from", "2026-02-30"]));
    assert!(line.contains("YYYY-MM-DD"), "{line}");
    let line = assert_one_line_error(&bb(dir, &["search", "--to", "yesterday"]));
    assert!(line.contains("not a date"), "{line}");
    let line = assert_one_line_error(&bb(
        dir,
        &["search", "--from", "2026-03-02", "--to", "2026-03-01"],
    ));
    assert!(line.contains("after"), "{line}");
    let line = assert_one_line_error(&bb(dir, &["search", "--kind", "c"]));
    assert!(line.contains("not a kind of contact"), "{line}");
    assert!(line.contains("business_check"), "{line}");
    let o = bb(dir, &["export", "--format", "xml"]);
    let line = assert_one_line_error(&o);
    assert_eq!(o.status.code(), Some(2));
    assert!(line.contains("json, csv"), "{line}");
    assert_one_line_error(&bb(dir, &["search", "--limit", "lots"]));
    assert_one_line_error(&bb(dir, &["frobnicate"]));

    assert_eq!(snapshot(dir), before);
}

#[test]
fn read_commands_do_not_create_a_log() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("never-used");
    for args in [
        &["check"][..],
        &["search", "anything"],
        &["export", "--format", "csv"],
        &["compact"],
    ] {
        let line = assert_one_line_error(&bb(&dir, args));
        assert!(line.contains("No beatbook log in"), "{line}");
        assert!(line.contains("beatbook demo"), "{line}");
    }
    assert!(!dir.exists());
}

#[test]
fn export_to_an_unwritable_place_fails_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo(dir, 40, 6);
    let before = snapshot(dir);

    let missing = dir.join("no-such-folder").join("out.json");
    let line = assert_one_line_error(&bb(
        dir,
        &[
            "export",
            "--format",
            "json",
            "--out",
            missing.to_str().unwrap(),
        ],
    ));
    assert!(line.contains("no-such-folder"), "{line}");
    assert!(!missing.exists());

    // A regular file where a folder should be fails even for a user who may write anywhere.
    let file = dir.join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let under_file = file.join("out.csv");
    assert_one_line_error(&bb(
        dir,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            under_file.to_str().unwrap(),
        ],
    ));

    // A folder where the file should go.
    let as_folder = dir.join("a-folder");
    std::fs::create_dir(&as_folder).unwrap();
    assert_one_line_error(&bb(
        dir,
        &[
            "export",
            "--format",
            "csv",
            "--out",
            as_folder.to_str().unwrap(),
        ],
    ));
    assert!(std::fs::read_dir(&as_folder).unwrap().next().is_none());

    let leftovers: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("partial"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    assert_eq!(snapshot(dir), before);
}

#[test]
fn a_log_in_use_is_reported_not_opened() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo(dir, 30, 7);
    let before = snapshot(dir);
    {
        let _open = beatbook::store::Store::open(dir, &common::key()).unwrap();
        for args in [
            &["check"][..],
            &["search", "--count"],
            &["export", "--format", "json"],
            &["demo", "--add-to-existing"],
        ] {
            let line = assert_one_line_error(&bb(dir, args));
            assert!(
                line.contains("open in another beatbook"),
                "{args:?}: {line}"
            );
        }
    }
    assert_eq!(snapshot(dir), before);
}

#[test]
fn demo_will_not_mix_into_a_log_with_contacts_unless_asked() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo(dir, 30, 8);
    let before = snapshot(dir);
    let line = assert_one_line_error(&bb(dir, &["demo"]));
    assert!(line.contains("already has 30 contacts"), "{line}");
    assert_eq!(snapshot(dir), before);

    let o = bb(
        dir,
        &[
            "demo",
            "--add-to-existing",
            "--contacts",
            "20",
            "--seed",
            "9",
        ],
    );
    assert_ok(&o);
    assert_eq!(count(dir, &[]), 50);
    assert_ok(&bb(dir, &["check"]));
}

#[test]
fn data_dir_works_after_the_subcommand_and_help_succeeds() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path(), 25, 10);
    let o = Command::new(BIN)
        .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
        .args(["search", "--count", "--data-dir"])
        .arg(tmp.path())
        .output()
        .unwrap();
    assert_ok(&o);
    assert_eq!(stdout(&o).trim(), "25");

    let o = Command::new(BIN).arg("--help").output().unwrap();
    assert_ok(&o);
    assert!(stdout(&o).contains("search"));
    let o = Command::new(BIN)
        .args(["search", "--help"])
        .output()
        .unwrap();
    assert_ok(&o);
    assert!(stdout(&o).contains("--neighborhood"));
}

#[test]
fn backup_and_restore_round_trip_and_refuse_bad_files() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    demo(dir, 40, 3);
    let before = snapshot(dir);
    let out = bb(dir, &["backup"]);
    assert_ok(&out);
    let line = stdout(&out);
    assert!(line.contains("(verified)"), "{line}");
    let file = line
        .split(" to ")
        .nth(1)
        .unwrap()
        .trim_end()
        .trim_end_matches(" (verified).")
        .to_string();

    // A search-and-delete through the store, then the restore brings the log back.
    {
        let store = beatbook::store::Store::open(dir, &common::key()).unwrap();
        let me = store.require_profile().unwrap().officer;
        let first = store.all::<beatbook::model::Contact>().unwrap()[0].meta.id;
        store.delete::<beatbook::model::Contact>(first, me).unwrap();
    }
    assert_ne!(snapshot(dir), before);
    let out = bb(dir, &["restore", &file]);
    assert_ok(&out);
    assert!(stdout(&out).contains("The log it replaced was backed up"));
    assert_eq!(snapshot(dir), before);
    assert_ok(&bb(dir, &["check"]));

    let bad = dir.join("not-a-backup.bbk");
    std::fs::write(&bad, "{\"format\": \"something else\"}").unwrap();
    let line = assert_one_line_error(&bb(dir, &["restore", bad.to_str().unwrap()]));
    assert!(
        line.contains("not-a-backup.bbk") && line.contains("Nothing was changed"),
        "{line}"
    );
    assert_eq!(snapshot(dir), before);
}

#[test]
fn import_takes_an_export_once_and_refuses_other_files() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    demo(a.path(), 25, 4);
    let csv = a.path().join("contacts.csv");
    assert_ok(&bb(
        a.path(),
        &["export", "--format", "csv", "--out", csv.to_str().unwrap()],
    ));
    sergeant_log(b.path());
    let out = bb(b.path(), &["import", csv.to_str().unwrap()]);
    assert_ok(&out);
    assert!(
        stdout(&out).contains(": 25 new contacts, 0 already in the log"),
        "{}",
        stdout(&out)
    );
    assert_ok(&bb(b.path(), &["check"]));
    let before = snapshot(b.path());
    let out = bb(b.path(), &["import", csv.to_str().unwrap()]);
    assert!(
        stdout(&out).contains(": 0 new contacts, 25 already in the log"),
        "{}",
        stdout(&out)
    );
    assert_eq!(snapshot(b.path()), before);

    let json = a.path().join("all.json");
    std::fs::write(&json, "{}").unwrap();
    let line = assert_one_line_error(&bb(b.path(), &["import", json.to_str().unwrap()]));
    assert!(line.contains("not a beatbook bundle"), "{line}");
    assert_eq!(snapshot(b.path()), before);
}

/// A log set up by hand for a sergeant (no demo data of their own).
fn sergeant_log(dir: &Path) {
    let store = beatbook::store::Store::open(dir, &common::key()).unwrap();
    store
        .set_up(
            "Sam Ortiz",
            "5150",
            beatbook::model::Role::Sergeant,
            "Elm Park",
        )
        .unwrap();
    common::join_squad(&store);
}

/// `beatbook export --format bundle --out FILE` on the log in `dir`.
/// The sergeant in `dir` approves the keys that signed `files` (after comparing fingerprints
/// in person), so their imports apply rather than wait.
fn approve_signers(dir: &Path, files: &[&Path]) {
    let store = beatbook::store::Store::open(dir, &common::key()).unwrap();
    for file in files {
        let b = beatbook::bundle::read_bundle(file, &common::squad_key()).unwrap();
        common::approve_signer(&store, &b);
    }
}

fn export_bundle(dir: &Path, file: &Path) -> Output {
    bb(
        dir,
        &[
            "export",
            "--format",
            "bundle",
            "--out",
            file.to_str().unwrap(),
        ],
    )
}

fn demo_officer(dir: &Path, seed: u64) {
    let o = bb(
        dir,
        &[
            "demo",
            "--officers",
            "1",
            "--contacts",
            "40",
            "--seed",
            &seed.to_string(),
        ],
    );
    assert_ok(&o);
    assert_ok(&bb(dir, &["squad-passphrase"]));
}

#[test]
fn bundles_merge_once_and_a_dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b, s) = (
        tmp.path().join("a"),
        tmp.path().join("b"),
        tmp.path().join("s"),
    );
    demo_officer(&a, 1);
    demo_officer(&b, 2);
    sergeant_log(&s);
    let (fa, fb) = (tmp.path().join("a.bbundle"), tmp.path().join("b.bbundle"));
    for (dir, file) in [(&a, &fa), (&b, &fb)] {
        let o = export_bundle(dir, file);
        assert_ok(&o);
        assert!(
            stderr(&o).contains("40 contacts, 0 reviews"),
            "{}",
            stderr(&o)
        );
    }
    let files = [fa.to_str().unwrap(), fb.to_str().unwrap()];
    approve_signers(&s, &[&fa, &fb]);

    let before = snapshot(&s);
    let o = bb(&s, &["import", "--dry-run", files[0], files[1]]);
    assert_ok(&o);
    let out = stdout(&o);
    assert!(
        out.contains("Contacts:      80 new, 0 updated, 0 unchanged, 0 in conflict"),
        "{out}"
    );
    assert!(out.contains("Dry run: nothing was written."), "{out}");
    assert_eq!(snapshot(&s), before);

    let o = bb(&s, &["import", files[0], files[1]]);
    assert_ok(&o);
    assert!(stdout(&o).contains("Imported: "), "{}", stdout(&o));
    assert_eq!(count(&s, &[]), 80);
    assert_ok(&bb(&s, &["check"]));

    let merged = snapshot(&s);
    let o = bb(&s, &["import", files[1], files[0]]);
    assert_ok(&o);
    assert!(
        stdout(&o).contains("Imported: 0 new, 0 updated"),
        "{}",
        stdout(&o)
    );
    assert_eq!(snapshot(&s), merged);
}

#[test]
fn damaged_future_and_conflicting_bundles_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, s) = (tmp.path().join("a"), tmp.path().join("s"));
    demo_officer(&a, 3);
    sergeant_log(&s);
    let good = tmp.path().join("a.bbundle");
    assert_ok(&export_bundle(&a, &good));
    let bytes = std::fs::read(&good).unwrap();
    let before = snapshot(&s);

    let cut = tmp.path().join("cut.bbundle");
    std::fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    let line = assert_one_line_error(&bb(&s, &["import", cut.to_str().unwrap()]));
    assert!(line.contains("changed after it was written"), "{line}");
    assert!(line.contains("Nothing was imported"), "{line}");

    let future = tmp.path().join("future.bbundle");
    let at = bytes
        .windows(12)
        .position(|w| w == b"{\"version\":1".as_slice())
        .unwrap();
    let mut newer = bytes.clone();
    newer[at + 11] = b'9';
    std::fs::write(&future, newer).unwrap();
    let line = assert_one_line_error(&bb(&s, &["import", future.to_str().unwrap()]));
    assert!(line.contains("newer beatbook"), "{line}");
    // One bad file among good ones: nothing at all is imported.
    let line = assert_one_line_error(&bb(
        &s,
        &["import", good.to_str().unwrap(), cut.to_str().unwrap()],
    ));
    assert!(line.contains("cut.bbundle"), "{line}");
    assert_eq!(snapshot(&s), before);
    let csv = tmp.path().join("contacts.csv");
    assert_ok(&bb(
        &a,
        &["export", "--format", "csv", "--out", csv.to_str().unwrap()],
    ));
    let line = assert_one_line_error(&bb(
        &s,
        &["import", csv.to_str().unwrap(), good.to_str().unwrap()],
    ));
    assert!(line.contains("separate commands"), "{line}");
    assert_eq!(snapshot(&s), before);

    // The same entry edited on both sides: listed, and nothing written without a choice.
    approve_signers(&s, &[&good]);
    assert_ok(&bb(&s, &["import", good.to_str().unwrap()]));
    let edit = |dir: &Path, note: &str| {
        let store = beatbook::store::Store::open(dir, &common::key()).unwrap();
        let mut c = store.all::<beatbook::model::Contact>().unwrap().remove(0);
        c.note = note.into();
        let me = store.require_profile().unwrap().officer;
        store.save(c, me).unwrap();
    };
    edit(&a, "The officer's version");
    edit(&s, "The sergeant's version");
    assert_ok(&export_bundle(&a, &good));
    let merged = snapshot(&s);
    let o = bb(&s, &["import", good.to_str().unwrap()]);
    assert!(
        stdout(&o).contains("Conflict: contact of"),
        "{}",
        stdout(&o)
    );
    let line = assert_one_line_error(&o);
    assert!(
        line.contains("--conflicts keep-mine or --conflicts take-theirs"),
        "{line}"
    );
    assert_eq!(snapshot(&s), merged);
    let o = bb(
        &s,
        &[
            "import",
            "--conflicts",
            "take-theirs",
            good.to_str().unwrap(),
        ],
    );
    assert_ok(&o);
    assert!(
        stdout(&o).contains("1 taken from the bundles"),
        "{}",
        stdout(&o)
    );
    assert!(snapshot(&s).contains("The officer's version"));
    assert_ok(&bb(&s, &["check"]));
}

#[test]
fn report_prints_the_review_figures_in_three_formats() {
    let tmp = tempfile::tempdir().unwrap();
    demo(tmp.path(), 300, 4);
    let args = ["report", "--from", "2020-01-01", "--to", "2030-12-31"];
    let o = bb(tmp.path(), &[&args[..], &["--format", "json"]].concat());
    assert_ok(&o);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let officers = json["officers"].as_array().unwrap();
    assert!(officers.len() >= 4, "{json}");
    let contacts: u64 = officers
        .iter()
        .map(|o| o["contacts"].as_u64().unwrap())
        .sum();
    assert_eq!(contacts, 300, "every contact belongs to one officer");

    let o = bb(tmp.path(), &[&args[..], &["--format", "csv"]].concat());
    assert_ok(&o);
    assert!(
        stdout(&o).starts_with("section,name,metric,value"),
        "{}",
        stdout(&o)
    );

    let badge = officers[0]["badge"].as_str().unwrap().to_string();
    let o = bb(tmp.path(), &[&args[..], &["--officer", &badge]].concat());
    assert_ok(&o);
    assert!(stdout(&o).contains(officers[0]["name"].as_str().unwrap()));

    for (bad, words) in [
        (vec!["report", "--from", "yesterday"], "is not a date"),
        (
            vec!["report", "--from", "2026-12-01", "--to", "2026-11-01"],
            "is after",
        ),
        (
            vec!["report", "--officer", "Nobody Here"],
            "No officer named",
        ),
        (vec!["report", "--format", "pdf"], "choose from"),
    ] {
        let line = assert_one_line_error(&bb(tmp.path(), &bad));
        assert!(line.contains(words), "{line}");
    }
}

#[test]
fn the_passphrase_comes_from_a_file_or_the_environment_and_a_wrong_one_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("log");
    demo(&dir, 20, 7);
    let before = snapshot(&dir);
    let run = |envs: &[(&str, &str)], args: &[&str]| {
        let mut c = Command::new(BIN);
        c.env_remove("BEATBOOK_PASSPHRASE")
            .arg("--data-dir")
            .arg(&dir);
        for (k, v) in envs {
            c.env(k, v);
        }
        c.args(args).output().unwrap()
    };
    let file = tmp.path().join("passphrase.txt");
    std::fs::write(&file, format!("{}\n", common::PASSPHRASE)).unwrap();
    let o = run(&[], &["--passphrase-file", file.to_str().unwrap(), "check"]);
    assert_ok(&o);

    let line = assert_one_line_error(&run(
        &[("BEATBOOK_PASSPHRASE", "Not-The-Passphrase-1")],
        &["search", "--count"],
    ));
    assert!(
        line.contains("That passphrase is not right. 4 tries left"),
        "{line}"
    );
    let line = assert_one_line_error(&run(&[], &["search", "--count"]));
    assert!(line.contains("no passphrase was given"), "{line}");
    let missing = tmp.path().join("missing.txt");
    let line = assert_one_line_error(&run(
        &[],
        &["--passphrase-file", missing.to_str().unwrap(), "check"],
    ));
    assert!(line.contains("cannot be read"), "{line}");
    assert_eq!(snapshot(&dir), before);
    // A weak passphrase cannot start a new log.
    let new = tmp.path().join("new");
    let line = assert_one_line_error(
        &Command::new(BIN)
            .env("BEATBOOK_PASSPHRASE", "password123")
            .arg("--data-dir")
            .arg(&new)
            .args(["demo", "--contacts", "5"])
            .output()
            .unwrap(),
    );
    assert!(line.contains("too easy to guess"), "{line}");
}

#[test]
fn bundles_need_the_squad_passphrase_and_another_squads_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, s) = (tmp.path().join("a"), tmp.path().join("s"));
    demo(&a, 20, 8);
    let bundle = tmp.path().join("a.bbundle");
    let line = assert_one_line_error(
        &Command::new(BIN)
            .env("BEATBOOK_PASSPHRASE", common::PASSPHRASE)
            .arg("--data-dir")
            .arg(&a)
            .args([
                "export",
                "--format",
                "bundle",
                "--out",
                bundle.to_str().unwrap(),
            ])
            .output()
            .unwrap(),
    );
    assert!(line.contains("none is set yet"), "{line}");
    assert!(!bundle.exists());
    assert_ok(&bb(&a, &["squad-passphrase"]));
    assert_ok(&export_bundle(&a, &bundle));

    sergeant_log(&s);
    let before = snapshot(&s);
    // The sergeant's log is given another squad's passphrase.
    let other = tmp.path().join("other-squad.txt");
    std::fs::write(&other, "Another-Squad-9\n").unwrap();
    assert_ok(&bb(
        &s,
        &["squad-passphrase", "--from-file", other.to_str().unwrap()],
    ));
    let line = assert_one_line_error(&bb(&s, &["import", bundle.to_str().unwrap()]));
    assert!(
        line.contains("sealed with another squad passphrase"),
        "{line}"
    );
    assert_eq!(snapshot(&s), before);
    assert_ok(&bb(&s, &["squad-passphrase"]));
    approve_signers(&s, &[&bundle]);
    assert_ok(&bb(&s, &["import", bundle.to_str().unwrap()]));
    assert_ne!(snapshot(&s), before);
}

/// Every folder under `root` (itself included) and every file, with its mode, links skipped.
#[cfg(unix)]
fn modes_under(root: &Path) -> Vec<(std::path::PathBuf, bool, u32)> {
    use std::os::unix::fs::PermissionsExt;
    let meta = std::fs::symlink_metadata(root).unwrap();
    let mut out = vec![(
        root.to_path_buf(),
        meta.is_dir(),
        meta.permissions().mode() & 0o777,
    )];
    if meta.is_dir() {
        for e in std::fs::read_dir(root).unwrap() {
            out.extend(modes_under(&e.unwrap().path()));
        }
    }
    out
}

/// What beatbook writes, the log's own files (sled's included), backups, exports and bundles,
/// is for its owner only: folders 0700, files 0600.
#[cfg(unix)]
#[test]
fn every_folder_and_file_beatbook_writes_is_private() {
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("data");
    demo_officer(&data, 4);
    let out = tmp.path().join("out");
    std::fs::create_dir(&out).unwrap();
    for (format, name) in [("csv", "contacts.csv"), ("json", "all.json")] {
        let file = out.join(name);
        assert_ok(&bb(
            &data,
            &[
                "export",
                "--format",
                format,
                "--out",
                file.to_str().unwrap(),
            ],
        ));
    }
    assert_ok(&export_bundle(&data, &out.join("a.bbundle")));
    assert_ok(&bb(&data, &["backup"]));
    assert_ok(&bb(&data, &["compact"]));
    assert_ok(&bb(&data, &["check"]));

    let written = modes_under(&data);
    assert!(
        written.iter().any(|(p, _, _)| p.ends_with("store/db")),
        "the walk reaches sled's own files"
    );
    assert!(
        written
            .iter()
            .any(|(p, _, _)| p.extension().is_some_and(|e| e == "bbk")),
        "a backup was taken"
    );
    let exports: Vec<_> = modes_under(&out).into_iter().skip(1).collect();
    assert_eq!(exports.len(), 3, "{exports:?}");
    for (path, is_dir, mode) in written.into_iter().chain(exports) {
        let wanted = if is_dir { 0o700 } else { 0o600 };
        assert_eq!(mode, wanted, "{} is {mode:o}", path.display());
    }
}

/// A data folder other people can change is refused in plain words, and nothing is created
/// in it; so is one that belongs to another user.
#[cfg(unix)]
#[test]
fn a_data_folder_others_can_change_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let shared = tmp.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o777)).unwrap();
    let line = assert_one_line_error(&bb(&shared, &["demo", "--contacts", "5"]));
    assert!(
        line.contains("other people on this computer can change it"),
        "{line}"
    );
    assert!(line.contains("chmod 700"), "{line}");
    assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 0);
    // A log whose folder was opened up later is not opened either.
    let data = tmp.path().join("data");
    common::log_with_contacts(&data, 2);
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o775)).unwrap();
    let before = common::files_under(&data);
    for args in [&["check"][..], &["export", "--format", "json"], &["backup"]] {
        let line = assert_one_line_error(&bb(&data, args));
        assert!(
            line.contains("other people on this computer can change it"),
            "{args:?}: {line}"
        );
    }
    assert_eq!(common::files_under(&data), before);
    // Another user's folder (only root can hand a folder to someone else).
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o700)).unwrap();
    if std::os::unix::fs::chown(&shared, Some(65534), Some(65534)).is_ok() {
        let line = assert_one_line_error(&bb(&shared, &["demo", "--contacts", "5"]));
        assert!(line.contains("it belongs to another user"), "{line}");
        assert_eq!(std::fs::read_dir(&shared).unwrap().count(), 0);
    }
}

/// Splits a line as a spreadsheet set to the `;` separator does: at each `;` outside quotes.
fn split_on_semicolons(line: &str) -> Vec<String> {
    let mut cells = vec![String::new()];
    let mut quoted = false;
    for ch in line.chars() {
        match ch {
            '"' => quoted = !quoted,
            ';' if !quoted => cells.push(String::new()),
            _ => {}
        }
        if let Some(cell) = cells.last_mut() {
            if ch != ';' || quoted {
                cell.push(ch);
            }
        }
    }
    cells
}

/// Whether every field of a CSV line is quoted: it opens and closes with a quote, and every
/// comma outside quotes stands between a closing and an opening quote.
fn every_field_quoted(line: &str) -> bool {
    let chars: Vec<char> = line.chars().collect();
    let mut quoted = false;
    for (i, ch) in chars.iter().enumerate() {
        match ch {
            '"' => quoted = !quoted,
            ',' if !quoted && (i == 0 || chars[i - 1] != '"' || chars.get(i + 1) != Some(&'"')) => {
                return false;
            }
            _ => {}
        }
    }
    chars.first() == Some(&'"') && chars.last() == Some(&'"') && !quoted
}

/// A name that smuggles a formula behind a `;` stays text in a spreadsheet that splits on `;`,
/// and the CSV still imports back to the very same text.
#[test]
fn csv_cells_stay_text_in_a_semicolon_spreadsheet_and_round_trip() {
    use beatbook::model::{Contact, ContactKind, Initiator, Meta, Person, PersonRole, Role, Tone};
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    let name = "Dana Fox;=WEBSERVICE(A1)";
    let note = "Porch talk;+1 555 0100;-2+3;@SUM(A1);=1+1";
    {
        let store = beatbook::store::Store::open(&a, &common::key()).unwrap();
        let p = store
            .set_up("Dana Reyes", "4127", Role::Officer, "Riverside")
            .unwrap();
        let hood = p.last_neighborhood.unwrap();
        let person = store
            .save(
                Person {
                    meta: store.new_meta(p.officer).unwrap(),
                    name: name.into(),
                    role: PersonRole::Resident,
                    neighborhood: Some(hood),
                    notes: String::new(),
                    consent: None,
                },
                p.officer,
            )
            .unwrap();
        let at = chrono::Utc::now() - chrono::Duration::hours(1);
        store
            .save(
                Contact {
                    meta: Meta::new(store.new_id_at(at).unwrap(), p.officer, at),
                    at,
                    neighborhood: hood,
                    place: "Elm St;=HYPERLINK(A1)".into(),
                    kind: ContactKind::Conversation,
                    people: vec![person.meta.id],
                    unnamed: 0,
                    initiated_by: Initiator::Resident,
                    tags: vec![],
                    tone: Tone::Warm,
                    note: note.into(),
                },
                p.officer,
            )
            .unwrap();
    }
    let file = tmp.path().join("contacts.csv");
    assert_ok(&bb(
        &a,
        &["export", "--format", "csv", "--out", file.to_str().unwrap()],
    ));
    let text = std::fs::read_to_string(&file).unwrap();
    let rows: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(rows.len(), 1, "{text}");
    for row in &rows {
        assert!(every_field_quoted(row), "{row}");
        for cell in split_on_semicolons(row) {
            let start = cell.trim_start().chars().next();
            assert!(
                !matches!(start, Some('=' | '+' | '-' | '@')),
                "a formula cell {cell:?} in {row}"
            );
        }
    }

    sergeant_log(&b);
    assert_ok(&bb(&b, &["import", file.to_str().unwrap()]));
    let v = export_json(&b);
    assert_eq!(v["people"][0]["name"], name);
    assert_eq!(v["contacts"][0]["note"], note);
    assert_eq!(v["contacts"][0]["place"], "Elm St;=HYPERLINK(A1)");
}

/// While the program runs (here: waiting for its passphrase file), it may not write a core
/// dump: its core size limit is 0, soft and hard.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[test]
fn the_program_writes_no_core_dump() {
    let tmp = tempfile::tempdir().unwrap();
    common::log_with_contacts(tmp.path(), 1);
    let fifo = tmp.path().join("passphrase");
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo reads the NUL-terminated path given.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let mut child = Command::new(BIN)
        .arg("--data-dir")
        .arg(tmp.path())
        .arg("--passphrase-file")
        .arg(&fifo)
        .arg("check")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The pipe opens for writing once the program has opened it to read its passphrase: by
    // then it is running its command, past its start.
    let mut writer = loop {
        use std::os::unix::fs::OpenOptionsExt;
        match std::fs::OpenOptions::new()
            .write(true)
            .custom_flags(libc::O_NONBLOCK)
            .open(&fifo)
        {
            Ok(w) => break w,
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                if let Some(status) = child.try_wait().unwrap() {
                    panic!("the program ended without reading its passphrase: {status}");
                }
                std::thread::sleep(std::time::Duration::from_millis(10));
            }
            Err(e) => panic!("{e}"),
        }
    };
    let limits = std::fs::read_to_string(format!("/proc/{}/limits", child.id())).unwrap();
    use std::io::Write;
    writeln!(writer, "{}", common::PASSPHRASE).unwrap();
    drop(writer);
    let out = child.wait_with_output().unwrap();
    assert_ok(&out);
    let core = limits
        .lines()
        .find(|l| l.starts_with("Max core file size"))
        .unwrap();
    let fields: Vec<&str> = core.split_whitespace().collect();
    assert_eq!(&fields[4..6], ["0", "0"], "{core}");
}

/// The demo's summary counts in words that agree with the numbers: "1 officer", not
/// "1 officers"; compacting says how the size went.
#[test]
fn the_demo_summary_says_one_in_the_singular() {
    let tmp = tempfile::tempdir().unwrap();
    let o = bb(
        tmp.path(),
        &["demo", "--officers", "1", "--contacts", "5", "--seed", "3"],
    );
    assert_ok(&o);
    let out = stdout(&o);
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("Added 1 officer, "), "{out}");
    assert!(!first.contains("1 officers"), "{out}");
    let second = out.lines().nth(1).unwrap();
    assert!(
        ["less than before", "more than before", "as before"]
            .iter()
            .any(|w| second.contains(w))
            && !second.contains("(was"),
        "{out}"
    );
}

/// `beatbook setup` in `dir` with the test passphrase.
fn setup(dir: &Path, args: &[&str]) -> Output {
    bb(dir, &[&["setup"][..], args].concat())
}

/// The profile, officer and first neighborhood of the log in `dir`, as the store reads them.
fn read_profile(
    dir: &Path,
) -> (
    beatbook::store::Profile,
    beatbook::model::Officer,
    Option<beatbook::model::Neighborhood>,
) {
    let store = beatbook::store::Store::open(dir, &common::key()).unwrap();
    let profile = store.require_profile().unwrap();
    let officer = store.get(profile.officer).unwrap().unwrap();
    let hood = profile
        .last_neighborhood
        .map(|h| store.get(h).unwrap().unwrap());
    (profile, officer, hood)
}

/// IT prepares a laptop: the log `setup` makes is the one the app's first run makes from the
/// same answers (the same officer, beat, topics and settings), and it opens and checks clean.
#[test]
fn setup_prepares_a_fresh_log_as_the_app_does() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("laptop");
    let o = setup(
        &dir,
        &[
            "--name",
            " Dana Reyes ",
            "--badge",
            "4411",
            "--role",
            "officer",
            "--neighborhood",
            "Elm Park",
        ],
    );
    assert_ok(&o);
    assert_eq!(
        stdout(&o).trim_end(),
        format!(
            "Set up the log in {} for Dana Reyes (Officer, badge 4411), first neighborhood Elm \
             Park.",
            dir.display()
        )
    );
    let v = export_json(&dir);
    let len = |k: &str| v[k].as_array().unwrap().len();
    assert_eq!(len("officers"), 1);
    assert_eq!(v["officers"][0]["name"], "Dana Reyes");
    assert_eq!(v["officers"][0]["badge"], "4411");
    assert_eq!(v["officers"][0]["role"], "officer");
    assert_eq!(len("neighborhoods"), 1);
    assert_eq!(v["neighborhoods"][0]["name"], "Elm Park");
    assert_eq!(len("tags"), 12);
    assert_eq!(len("contacts"), 0);
    assert_ok(&bb(&dir, &["check"]));

    // The app's onboarding saves its form with `Store::set_up`: the same answers there give
    // the same profile, but for the ids.
    let (profile, officer, hood) = read_profile(&dir);
    let app_dir = tmp.path().join("app");
    let app = beatbook::store::Store::open(&app_dir, &common::key()).unwrap();
    let app_profile = app
        .set_up(
            " Dana Reyes ",
            "4411",
            beatbook::model::Role::Officer,
            "Elm Park",
        )
        .unwrap();
    let app_officer: beatbook::model::Officer = app.get(app_profile.officer).unwrap().unwrap();
    assert_eq!(
        (officer.name.as_str(), officer.badge.as_str(), officer.role),
        (
            app_officer.name.as_str(),
            app_officer.badge.as_str(),
            app_officer.role
        )
    );
    assert_eq!(hood.unwrap().name, "Elm Park");
    assert_eq!(
        beatbook::store::Profile {
            officer: app_profile.officer,
            last_neighborhood: app_profile.last_neighborhood,
            ..profile
        },
        app_profile
    );
}

/// A laptop already set up keeps its officer: a second `setup` says so on one line, exits
/// non-zero and changes nothing.
#[test]
fn a_second_setup_is_refused_and_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let first = [
        "--name",
        "Dana Reyes",
        "--badge",
        "4411",
        "--role",
        "officer",
        "--neighborhood",
        "Elm Park",
    ];
    assert_ok(&setup(dir, &first));
    let before = snapshot(dir);
    let (profile_before, _, _) = read_profile(dir);
    for again in [
        &first[..],
        &[
            "--name",
            "Sam Ortiz",
            "--badge",
            "5150",
            "--role",
            "sergeant",
        ],
    ] {
        let line = assert_one_line_error(&setup(dir, again));
        assert!(
            line.contains("is already set up for Dana Reyes (badge 4411)"),
            "{line}"
        );
        assert!(line.contains("Nothing was changed."), "{line}");
    }
    assert_eq!(snapshot(dir), before);
    assert_eq!(read_profile(dir).0, profile_before);
}

/// An officer records every contact in a beat, so `setup` wants one; bad answers are one plain
/// line and leave no log behind, and neither does a passphrase built on the officer's name.
#[test]
fn an_officer_without_a_neighborhood_or_with_bad_answers_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("laptop");
    let line = assert_one_line_error(&setup(
        &dir,
        &[
            "--name",
            "Dana Reyes",
            "--badge",
            "4411",
            "--role",
            "officer",
        ],
    ));
    assert!(line.contains("add --neighborhood"), "{line}");
    for (args, said) in [
        (
            [
                "--name",
                " ",
                "--badge",
                "4411",
                "--neighborhood",
                "Elm Park",
            ],
            "Name cannot be empty.",
        ),
        (
            [
                "--name",
                "Dana Reyes",
                "--badge",
                "",
                "--neighborhood",
                "Elm Park",
            ],
            "Badge number cannot be empty.",
        ),
        (
            [
                "--name",
                "Dana Reyes",
                "--badge",
                "4411",
                "--neighborhood",
                " ",
            ],
            "Neighborhood name cannot be empty.",
        ),
    ] {
        let line =
            assert_one_line_error(&setup(&dir, &[&args[..], &["--role", "officer"]].concat()));
        assert!(line.ends_with(said), "{line}");
    }
    let line = assert_one_line_error(&setup(
        &dir,
        &[
            "--name",
            "Dana Reyes",
            "--badge",
            "4411",
            "--role",
            "captain",
        ],
    ));
    assert!(line.contains("officer, sergeant"), "{line}");
    assert!(!dir.exists());

    let file = tmp.path().join("passphrase.txt");
    std::fs::write(&file, "Dana-Reyes-lantern-orbit-97\n").unwrap();
    let line = assert_one_line_error(&setup(
        &dir,
        &[
            "--passphrase-file",
            file.to_str().unwrap(),
            "--name",
            "Dana Reyes",
            "--badge",
            "4411",
            "--role",
            "officer",
            "--neighborhood",
            "Elm Park",
        ],
    ));
    assert!(
        line.contains("holds your name, badge number or beat"),
        "{line}"
    );
    assert!(!dir.exists());
}

/// A sergeant reviews the squad's beats rather than walking one: `setup` needs no
/// neighborhood of them, and the log starts with none.
#[test]
fn a_sergeant_is_set_up_without_a_neighborhood() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let o = setup(
        dir,
        &[
            "--name",
            "Sam Ortiz",
            "--badge",
            "5150",
            "--role",
            "sergeant",
        ],
    );
    assert_ok(&o);
    assert!(
        stdout(&o).contains("for Sam Ortiz (Sergeant, badge 5150), no neighborhood yet."),
        "{}",
        stdout(&o)
    );
    let v = export_json(dir);
    assert_eq!(v["officers"][0]["role"], "sergeant");
    assert_eq!(v["neighborhoods"].as_array().unwrap().len(), 0);
    assert_eq!(v["tags"].as_array().unwrap().len(), 12);
    assert_ok(&bb(dir, &["check"]));
    let (profile, officer, hood) = read_profile(dir);
    assert_eq!(officer.role, beatbook::model::Role::Sergeant);
    assert_eq!(profile.last_neighborhood, None);
    assert!(hood.is_none());
}

/// `--data-dir` naming a file: the one line says it is a file (not a permissions problem), and
/// the file is left as it was.
#[test]
fn a_data_folder_that_is_a_file_is_named_as_one() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("notes.txt");
    std::fs::write(&file, "not a folder").unwrap();
    let said = format!("{} is a file, not a folder.", file.display());
    for args in [
        &[
            "setup",
            "--name",
            "Dana Reyes",
            "--badge",
            "4411",
            "--role",
            "officer",
            "--neighborhood",
            "Elm Park",
        ][..],
        &["demo", "--contacts", "5"][..],
        &["export", "--format", "json"][..],
        &["check"][..],
        &["sync"][..],
    ] {
        let line = assert_one_line_error(&bb(&file, args));
        assert!(line.contains(&said), "{args:?}: {line}");
        assert!(!line.contains("cannot be written"), "{args:?}: {line}");
    }
    // A folder below the file cannot be made either: the file is named.
    let line = assert_one_line_error(&bb(&file.join("beatbook"), &["demo", "--contacts", "5"]));
    assert!(line.contains(&said), "{line}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
}
