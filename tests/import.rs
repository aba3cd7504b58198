//! CSV import: an export round-trips exactly (formula-looking text included), a second import
//! changes nothing, and bad files are refused by file and line with the log unchanged.

use std::path::Path;

use beatbook::export::{export_csv, export_json};
use beatbook::import::{import_csv, ImportError};
use beatbook::model::{Contact, ContactKind, Initiator, Meta, Person, PersonRole, Role, Tag, Tone};
use beatbook::store::Store;
use chrono::{Duration, TimeZone, Utc};

use crate::common;

const DUP: &str = "0000000000000000000000000000abcd";

/// Values a spreadsheet would run as formulas, or that only look like escapes.
const NASTY: [&str; 8] = [
    "=HYPERLINK(\"x\")",
    "+1 555 0100",
    "-",
    "@SUM(1)",
    "\tTabbed",
    "'quoted",
    "''",
    "plain",
];

fn source_log(dir: &Path) -> Store {
    let store = Store::open(dir, &common::key()).unwrap();
    let p = store
        .set_up("Dana Reyes", "4127", Role::Officer, "Riverside")
        .unwrap();
    let lighting = store
        .all::<Tag>()
        .unwrap()
        .into_iter()
        .find(|t| t.name == "lighting")
        .unwrap();
    for (i, text) in NASTY.iter().enumerate() {
        let person = Person {
            meta: store.new_meta(p.officer).unwrap(),
            name: format!("{text} Lee"),
            role: PersonRole::Resident,
            neighborhood: p.last_neighborhood,
            notes: String::new(),
            consent: None,
        };
        let person = store.save(person, p.officer).unwrap();
        let at = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap() + Duration::hours(i as i64);
        let c = Contact {
            meta: Meta::new(store.new_id_at(at).unwrap(), p.officer, at),
            at,
            neighborhood: p.last_neighborhood.unwrap(),
            place: text.to_string(),
            kind: ContactKind::ALL[i % 8],
            people: vec![person.meta.id],
            unnamed: i as u32,
            initiated_by: if i % 2 == 0 {
                Initiator::Resident
            } else {
                Initiator::Officer
            },
            tags: vec![lighting.meta.id],
            tone: Tone::ALL[i % 5],
            note: format!("{text}\nsecond line, with \"quotes\", commas; and semicolons"),
        };
        store.save(c, p.officer).unwrap();
    }
    store
}

fn csv_of(store: &Store, path: &Path) {
    let mut out = Vec::new();
    export_csv(store, &mut out).unwrap();
    std::fs::write(path, out).unwrap();
}

fn fresh_log(dir: &Path) -> (Store, beatbook::model::Id) {
    let store = Store::open(dir, &common::key()).unwrap();
    let p = store
        .set_up("Sam Ortiz", "5150", Role::Officer, "Elm Park")
        .unwrap();
    (store, p.officer)
}

fn everything(store: &Store) -> String {
    let mut out = Vec::new();
    export_json(store, &mut out).unwrap();
    let mut v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    v["exported_at"] = serde_json::Value::Null;
    v.to_string()
}

/// What a contact says, independent of ids and of which log it is in.
fn content(store: &Store) -> Vec<String> {
    let people = store.all::<Person>().unwrap();
    let name = |id| {
        people
            .iter()
            .find(|p| p.meta.id == id)
            .unwrap()
            .name
            .clone()
    };
    let mut v: Vec<String> = store
        .all::<Contact>()
        .unwrap()
        .into_iter()
        .map(|c| {
            format!(
                "{:?}|{}|{:?}|{:?}|{}|{:?}|{:?}|{}",
                c.at,
                c.place,
                c.kind,
                c.people.iter().map(|p| name(*p)).collect::<Vec<_>>(),
                c.unnamed,
                c.initiated_by,
                c.tone,
                c.note
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn an_export_imports_exactly_and_only_once() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let source = source_log(a.path());
    let file = a.path().join("contacts.csv");
    csv_of(&source, &file);
    let text = std::fs::read_to_string(&file).unwrap();
    for line in text.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !matches!(cell.chars().next(), Some('=' | '+' | '@' | '\t')),
                "unsafe cell {cell:?}"
            );
        }
    }

    let (target, me) = fresh_log(b.path());
    let s = import_csv(&target, &file, me).unwrap();
    assert_eq!(s.contacts, NASTY.len());
    assert_eq!(s.people, NASTY.len());
    assert_eq!((s.neighborhoods, s.topics, s.unchanged), (1, 0, 0));
    assert_eq!(
        content(&target),
        content(&source),
        "every value survives the round trip"
    );
    assert!(target.check().unwrap().is_ok());
    let officers: Vec<String> = target
        .all::<Contact>()
        .unwrap()
        .iter()
        .map(|c| c.meta.author.to_string())
        .collect();
    assert!(
        officers.iter().all(|o| *o == me.to_string()),
        "unknown officers import as the importer"
    );

    let before = everything(&target);
    let again = import_csv(&target, &file, me).unwrap();
    assert_eq!((again.contacts, again.unchanged), (0, NASTY.len()));
    assert_eq!(
        everything(&target),
        before,
        "a second import changes nothing"
    );
}

#[test]
fn bad_files_name_the_line_and_change_nothing() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let source = source_log(a.path());
    let good_path = a.path().join("good.csv");
    csv_of(&source, &good_path);
    let good = std::fs::read_to_string(&good_path).unwrap();
    let (target, me) = fresh_log(b.path());
    let before = everything(&target);
    let header = good.lines().next().unwrap().to_string();
    let row = |cells: &[&str]| format!("{header}\n{}\n", cells.join(","));
    let ok_cells = [
        "",
        "2026-11-02T10:00:00+00:00",
        "Dana Reyes",
        "4127",
        "Riverside",
        "Corner",
        "conversation",
        "Ana",
        "0",
        "resident",
        "noise",
        "warm",
        "Fine.",
        "",
    ];
    let with = |i: usize, v: &str| {
        let mut c = ok_cells;
        c[i] = v;
        row(&c)
    };
    let first_id = good
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_string();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "wrong columns",
            b"name,phone\nAna,555\n".to_vec(),
            "columns",
        ),
        (
            "bad kind",
            with(6, "interrogation").into_bytes(),
            "line 2: \"interrogation\" is not a kind",
        ),
        (
            "bad date",
            with(1, "yesterday").into_bytes(),
            "line 2: \"yesterday\" is not a date",
        ),
        (
            "future date",
            with(1, "2091-01-01T00:00:00+00:00").into_bytes(),
            "not a plausible date",
        ),
        (
            "bad tone",
            with(11, "ecstatic").into_bytes(),
            "is not a tone",
        ),
        ("bad count", with(8, "-3").into_bytes(), "is not a count"),
        (
            "control char",
            with(12, "a\u{7}b").into_bytes(),
            "control characters",
        ),
        (
            "too long",
            with(5, &"x".repeat(400)).into_bytes(),
            "too long",
        ),
        ("bad id", with(0, "1234").into_bytes(), "not a record id"),
        (
            "no neighborhood",
            with(4, " ").into_bytes(),
            "cannot be empty",
        ),
        (
            "duplicate id",
            format!("{}{}", with(0, DUP), with(0, DUP).lines().nth(1).unwrap()).into_bytes(),
            "line 3: the contact",
        ),
        (
            "not utf8",
            [header.as_bytes(), b"\n\xff\xfe,,,\n"].concat(),
            "line 2",
        ),
        (
            "short row",
            format!("{header}\n{first_id},x\n").into_bytes(),
            "line 2",
        ),
    ];
    for (name, bytes, expect) in cases {
        let path = b.path().join(format!("{}.csv", name.replace(' ', "-")));
        std::fs::write(&path, bytes).unwrap();
        let err = import_csv(&target, &path, me).unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, ImportError::File { .. } | ImportError::Line { .. }),
            "{name}: {msg}"
        );
        assert!(
            msg.contains(&format!("{}.csv", name.replace(' ', "-"))),
            "{name}: names the file: {msg}"
        );
        assert!(msg.contains(expect), "{name}: {msg}");
        assert!(msg.ends_with("Nothing was imported."), "{name}: {msg}");
        assert_eq!(everything(&target), before, "{name} changed the log");
    }
    // A bad last row stops the whole file, good rows before it included. Notes span two lines,
    // so the bad row starts on line 2 + 2 x 8.
    let mixed = format!("{}{}", good, with(6, "stakeout").lines().nth(1).unwrap());
    let path = b.path().join("mixed.csv");
    std::fs::write(&path, mixed).unwrap();
    let msg = import_csv(&target, &path, me).unwrap_err().to_string();
    assert!(
        msg.contains(&format!("line {}:", 2 + 2 * NASTY.len())),
        "{msg}"
    );
    assert_eq!(everything(&target), before, "all or nothing");
}

#[test]
fn rows_without_ids_import_once_too() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    let source = source_log(a.path());
    let file = a.path().join("contacts.csv");
    csv_of(&source, &file);
    // Blank the id column, as a spreadsheet kept by hand would have it.
    let mut reader = csv::Reader::from_path(&file).unwrap();
    let mut writer = csv::Writer::from_path(a.path().join("no-ids.csv")).unwrap();
    writer.write_record(reader.headers().unwrap()).unwrap();
    for row in reader.records() {
        let row = row.unwrap();
        let mut cells: Vec<&str> = row.iter().collect();
        cells[0] = "";
        writer.write_record(cells).unwrap();
    }
    writer.flush().unwrap();
    drop(writer);

    let (target, me) = fresh_log(b.path());
    let first = import_csv(&target, &a.path().join("no-ids.csv"), me).unwrap();
    assert_eq!(first.contacts, NASTY.len());
    let before = everything(&target);
    let again = import_csv(&target, &a.path().join("no-ids.csv"), me).unwrap();
    assert_eq!((again.contacts, again.unchanged), (0, NASTY.len()));
    assert_eq!(everything(&target), before);
}
