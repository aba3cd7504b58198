//! beatbook's store against SQLite on the same synthetic precinct, side by side in one run.
//!
//! `cargo bench -p beatbook-benches --bench vs_sqlite` (size from `BEATBOOK_BENCH_CONTACTS`,
//! default 100000).
//! SQLite is tuned fairly: WAL, `synchronous=FULL` for durable writes, an index for each
//! filter, and FTS5 for the notes. Prints a markdown table; ratio = beatbook / sqlite.

// A benchmark may unwrap: a panic stops a measurement, never an officer's work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use beatbook_benches as common;

use std::path::Path;
use std::time::{Duration, Instant};

use beatbook::model::{Contact, ContactKind, Id, Initiator, Meta, Officer, Tag, Tone};
use beatbook::query::{search, LogFilter};
use beatbook::store::Store;
use chrono::{Duration as Days, Utc};
use rusqlite::{params, Connection};

const PAGE: usize = 50;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn percentile(mut v: Vec<Duration>, p: f64) -> Duration {
    v.sort();
    v[((v.len() as f64 - 1.0) * p).round() as usize]
}

/// Runs `f` `n` times and gives the median time.
fn time(n: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..n)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

/// Milliseconds, with more places below a tenth of one so that microseconds still show.
fn ms(d: Duration) -> String {
    let v = d.as_secs_f64() * 1e3;
    if v < 0.1 {
        format!("{v:.4} ms")
    } else {
        format!("{v:.2} ms")
    }
}

fn dir_size(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| {
                    let m = e
                        .metadata()
                        .map(|m| (m.is_dir(), m.len()))
                        .unwrap_or((false, 0));
                    if m.0 {
                        dir_size(&e.path())
                    } else {
                        m.1
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn sqlite_from(store: &Store, path: &Path) -> Connection {
    let db = Connection::open(path).unwrap();
    db.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;
         CREATE TABLE contacts(id TEXT PRIMARY KEY, at INTEGER, hood TEXT, officer TEXT, kind TEXT,
             place TEXT, note TEXT, unnamed INTEGER, tone INTEGER, initiated INTEGER);
         CREATE TABLE contact_people(contact TEXT, person TEXT);
         CREATE TABLE contact_tags(contact TEXT, tag TEXT);
         CREATE INDEX contacts_at ON contacts(at);
         CREATE INDEX contacts_hood_at ON contacts(hood, at);
         CREATE INDEX contacts_officer_kind_at ON contacts(officer, kind, at);
         CREATE INDEX tags_tag ON contact_tags(tag, contact);
         CREATE INDEX people_person ON contact_people(person, contact);
         CREATE INDEX people_contact ON contact_people(contact);
         CREATE INDEX tags_contact ON contact_tags(contact);
         CREATE VIRTUAL TABLE notes USING fts5(note, place, content='contacts', content_rowid='rowid');",
    )
    .unwrap();
    let tx = db.unchecked_transaction().unwrap();
    for c in store.iter_all::<Contact>().unwrap() {
        insert_sqlite(&tx, &c.unwrap());
    }
    tx.commit().unwrap();
    db.execute_batch("INSERT INTO notes(notes) VALUES('rebuild'); ANALYZE;")
        .unwrap();
    db
}

fn insert_sqlite(db: &Connection, c: &Contact) {
    let id = c.meta.id.to_string();
    db.execute(
        "INSERT INTO contacts VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
        params![
            id,
            c.at.timestamp_millis(),
            c.neighborhood.to_string(),
            c.meta.author.to_string(),
            c.kind.code(),
            c.place,
            c.note,
            c.unnamed,
            c.tone.step(),
            c.initiated_by == Initiator::Resident
        ],
    )
    .unwrap();
    for p in &c.people {
        db.execute(
            "INSERT INTO contact_people VALUES(?1,?2)",
            params![id, p.to_string()],
        )
        .unwrap();
    }
    for t in &c.tags {
        db.execute(
            "INSERT INTO contact_tags VALUES(?1,?2)",
            params![id, t.to_string()],
        )
        .unwrap();
    }
}

/// Count and first page from SQLite for a WHERE clause.
fn sqlite_page(db: &Connection, from: &str, filter: &str, args: &[&dyn rusqlite::ToSql]) -> usize {
    let count: usize = db
        .query_row(
            &format!("SELECT COUNT(*) FROM {from} WHERE {filter}"),
            args,
            |r| r.get(0),
        )
        .unwrap();
    let mut st = db
        .prepare_cached(&format!("SELECT contacts.id, contacts.note FROM {from} WHERE {filter} ORDER BY contacts.at DESC LIMIT {PAGE}"))
        .unwrap();
    let rows = st
        .query_map(args, |r| r.get::<_, String>(1))
        .unwrap()
        .count();
    assert!(rows <= PAGE);
    count
}

// One measured run per row of the table, in the order it prints them.
#[allow(clippy::too_many_lines)]
fn main() {
    // As the program does.
    beatbook::memory::keep_freed_memory();
    let n = common::bench_size();
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::precinct_dir(&tmp.path().join("beatbook"), n);
    let store = Store::open(&dir, &common::passphrase()).unwrap();
    // Counted before the durable writes below add theirs (a log given in BEATBOOK_BENCH_DIR
    // has its own size).
    let contacts_in_log = store.count::<beatbook::model::Contact>().unwrap();
    let t = Instant::now();
    let sqlite_dir = tmp.path().join("sqlite");
    std::fs::create_dir_all(&sqlite_dir).unwrap();
    let sqlite_path = sqlite_dir.join("bench.sqlite");
    let db = sqlite_from(&store, &sqlite_path);
    eprintln!("sqlite built in {:.1}s", t.elapsed().as_secs_f64());
    // The app builds its in-memory contact index beside the UI once the log is open.
    let t = Instant::now();
    let built = store
        .build_contact_index(&mut |_, _| {}, &std::sync::atomic::AtomicBool::new(false))
        .unwrap();
    assert!(built);
    let index_build = t.elapsed();

    let me = store.require_profile().unwrap().officer;
    let hood = store.require_profile().unwrap().last_neighborhood.unwrap();
    let officer = store.all::<Officer>().unwrap()[1].meta.id;
    let tag = store.all::<Tag>().unwrap()[0].meta.id;
    let today = chrono::Local::now().date_naive();
    let mut rows: Vec<(String, Duration, Duration)> = Vec::new();
    let mut row = |name: &str, b: Duration, s: Duration| rows.push((name.to_string(), b, s));

    let check =
        |bb: usize, sq: usize, what: &str| assert_eq!(bb, sq, "{what}: the engines disagree");

    // Filters: count and first page.
    let f = LogFilter {
        neighborhood: Some(hood),
        from: Some(today - Days::days(30)),
        ..Default::default()
    };
    let (mut a, mut b) = (0, 0);
    let bt = time(5, || a = search(&store, &f, PAGE).unwrap().total);
    let from_local = beatbook::model::local_moment(today - Days::days(30), chrono::NaiveTime::MIN)
        .timestamp_millis();
    let st = time(5, || {
        b = sqlite_page(
            &db,
            "contacts",
            "hood = ?1 AND at >= ?2",
            &[&hood.to_string(), &from_local],
        )
    });
    check(a, b, "neighborhood + 30 days");
    row("filter: neighborhood + last 30 days", bt, st);

    let f = LogFilter {
        officer: Some(officer),
        kind: Some(ContactKind::BusinessCheck),
        ..Default::default()
    };
    let bt = time(5, || a = search(&store, &f, PAGE).unwrap().total);
    let st = time(5, || {
        b = sqlite_page(
            &db,
            "contacts",
            "officer = ?1 AND kind = ?2",
            &[&officer.to_string(), &"business_check"],
        )
    });
    check(a, b, "officer + kind");
    row("filter: officer + kind", bt, st);

    let f = LogFilter {
        tag: Some(tag),
        ..Default::default()
    };
    let bt = time(5, || a = search(&store, &f, PAGE).unwrap().total);
    let st = time(5, || {
        b = sqlite_page(
            &db,
            "contacts JOIN contact_tags ON contact_tags.contact = contacts.id",
            "contact_tags.tag = ?1",
            &[&tag.to_string()],
        )
    });
    check(a, b, "tag");
    row("filter: topic", bt, st);

    for words in ["streetlight", "package thefts"] {
        let f = LogFilter {
            text: words.into(),
            ..Default::default()
        };
        let bt = time(3, || a = search(&store, &f, PAGE).unwrap().total);
        let q = words
            .split(' ')
            .map(|w| format!("\"{w}\"*"))
            .collect::<Vec<_>>()
            .join(" AND ");
        let st = time(3, || {
            b = sqlite_page(
                &db,
                "contacts JOIN notes ON notes.rowid = contacts.rowid",
                "notes MATCH ?1",
                &[&q],
            )
        });
        // Word matching differs (substring vs token prefix), so counts are reported, not compared.
        eprintln!("text \"{words}\": beatbook {a} matches, sqlite {b}");
        row(&format!("full text: \"{words}\""), bt, st);
    }

    // The sergeant's review figures: four weeks, the whole squad, with the four weeks before
    // for the concern trends. SQLite computes the contacts' share of them with GROUP BY queries
    // over its indexes (it holds no people or follow-ups, which beatbook's figures also read).
    let period = beatbook::query::review::Period::last_weeks(today, 4);
    let mut review = || {
        let r = beatbook::query::review::review_report(&store, period, None, today).unwrap();
        a = r.officers.iter().map(|o| o.contacts.value).sum();
    };
    // The first review after the index is built also pays for the memory it takes first.
    let first = time(1, &mut review);
    let bt = time(9, review);
    let range = |p: &beatbook::query::review::Period| {
        (p.start().timestamp_millis(), p.end().timestamp_millis())
    };
    let (now_range, before_range) = (range(&period), range(&period.previous()));
    let st = time(3, || {
        let mut rows = 0;
        for (sql, (from, to)) in [
            ("SELECT officer, COUNT(*), SUM(initiated), AVG(tone), SUM(instr(trim(note), ' ') = 0), COUNT(DISTINCT hood) FROM contacts WHERE at >= ?1 AND at < ?2 GROUP BY officer", now_range),
            ("SELECT officer, tone, COUNT(*) FROM contacts WHERE at >= ?1 AND at < ?2 GROUP BY officer, tone", now_range),
            ("SELECT c.officer, p.person, COUNT(*) FROM contacts c JOIN contact_people p ON p.contact = c.id WHERE c.at >= ?1 AND c.at < ?2 GROUP BY c.officer, p.person", now_range),
            ("SELECT (at - ?1) / 604800000 AS week, officer, COUNT(*), AVG(tone) FROM contacts WHERE at >= ?1 AND at < ?2 GROUP BY week, officer", now_range),
            ("SELECT c.hood, t.tag, COUNT(*) FROM contacts c JOIN contact_tags t ON t.contact = c.id WHERE c.at >= ?1 AND c.at < ?2 GROUP BY c.hood, t.tag", now_range),
            ("SELECT c.hood, t.tag, COUNT(*) FROM contacts c JOIN contact_tags t ON t.contact = c.id WHERE c.at >= ?1 AND c.at < ?2 GROUP BY c.hood, t.tag", before_range),
        ] {
            let mut st = db.prepare_cached(sql).unwrap();
            rows += st.query_map(params![from, to], |_| Ok(())).unwrap().count();
        }
        b = rows;
    });
    eprintln!("review: beatbook counted {a} contacts in four weeks; sqlite gave {b} figure rows");
    eprintln!(
        "review: beatbook's first after the index was built took {}",
        ms(first)
    );
    row("review figures: 4 weeks, whole squad", bt, st);

    // Durable writes, one contact at a time.
    let mut bl = Vec::new();
    let mut sl = Vec::new();
    for i in 0..200 {
        let at = Utc::now();
        let c = Contact {
            meta: Meta::new(store.new_id_at(at).unwrap(), me, at),
            at,
            neighborhood: hood,
            place: format!("Bench corner {i}"),
            kind: ContactKind::Conversation,
            people: vec![],
            unnamed: 1,
            initiated_by: Initiator::Resident,
            tags: vec![tag],
            tone: Tone::Friendly,
            note: "Talked about the crossing guard at the school.".into(),
        };
        let t = Instant::now();
        store.save(c.clone(), me).unwrap();
        bl.push(t.elapsed());
        let mut c2 = c;
        c2.meta.id = Id(c2.meta.id.0 ^ 1);
        let t = Instant::now();
        let tx = db.unchecked_transaction().unwrap();
        insert_sqlite(&tx, &c2);
        tx.execute("INSERT INTO notes(rowid, note, place) SELECT rowid, note, place FROM contacts WHERE id = ?1", params![c2.meta.id.to_string()]).unwrap();
        tx.commit().unwrap();
        sl.push(t.elapsed());
    }
    row(
        "log one contact, durable (p50)",
        percentile(bl.clone(), 0.5),
        percentile(sl.clone(), 0.5),
    );
    row(
        "log one contact, durable (p99)",
        percentile(bl, 0.99),
        percentile(sl, 0.99),
    );

    // Cold start: open and draw the first screen's data.
    drop(store);
    drop(db);
    // The app opens the log beside its lock screen. A passphrase typed at once (or given on
    // the command line) has its key derived meanwhile, on the other core, from the copy of the
    // wrapped key beside the log; that is the row. A passphrase typed once the log is open only
    // waits for the unlock and the first screen's reads: timed apart. Closing the log again is
    // not timed, on either side.
    let first_screen = |store: beatbook::store::Store| {
        let store = std::sync::Arc::new(store);
        let lookup = beatbook::ui::lookup::Lookup::load(store.clone()).unwrap();
        let _ = beatbook::query::due_soon(&store, today, 8).unwrap();
        let _ = beatbook::query::newest_contacts(&store, 8).unwrap();
        (store, lookup)
    };
    let pass = common::passphrase();
    let (mut opening, mut whole, mut after_open) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..3 {
        let t = Instant::now();
        let (locked, early, opened) = std::thread::scope(|s| {
            let early = s.spawn(|| beatbook::store::EarlyKey::derive(&dir, &pass));
            let locked = beatbook::store::LockedStore::open(&dir).unwrap();
            let opened = t.elapsed();
            (locked, early.join().unwrap(), opened)
        });
        assert!(
            early.is_some(),
            "the copy of the wrapped key is beside the log"
        );
        let store = locked
            .unlock_early(&pass, chrono::Utc::now(), early)
            .unwrap_or_else(|refused| panic!("{}", refused.error));
        let shown = first_screen(store);
        whole.push(t.elapsed());
        opening.push(opened);
        drop(shown);

        let locked = beatbook::store::LockedStore::open(&dir).unwrap();
        let t = Instant::now();
        let store = locked
            .unlock(&pass, chrono::Utc::now())
            .unwrap_or_else(|refused| panic!("{}", refused.error));
        let shown = first_screen(store);
        after_open.push(t.elapsed());
        drop(shown);
    }
    eprintln!(
        "cold start: opening the log {}, passphrase typed once it is open to the first screen {} (medians)",
        ms(median(opening)),
        ms(median(after_open))
    );
    let bt = median(whole);
    let mut sqlite_times = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let db = Connection::open(&sqlite_path).unwrap();
        let _: usize = db
            .query_row("SELECT COUNT(*) FROM contacts", [], |r| r.get(0))
            .unwrap();
        let mut s = db
            .prepare("SELECT id, note FROM contacts ORDER BY at DESC LIMIT 8")
            .unwrap();
        let _ = s.query_map([], |r| r.get::<_, String>(1)).unwrap().count();
        sqlite_times.push(t.elapsed());
        drop(s);
        drop(db);
    }
    let st = median(sqlite_times);
    row("open to first screen (cold start)", bt, st);

    println!("\n{contacts_in_log} contacts\n");
    println!("| operation | beatbook | sqlite | ratio |");
    println!("| --- | --- | --- | --- |");
    for (name, b, s) in &rows {
        println!(
            "| {name} | {} | {} | {:.2} |",
            ms(*b),
            ms(*s),
            b.as_secs_f64() / s.as_secs_f64().max(1e-9)
        );
    }
    let (bd, sd) = (dir_size(&dir.join("store")), dir_size(&sqlite_dir));
    println!(
        "| disk | {:.1} MB | {:.1} MB | {:.2} |",
        bd as f64 / 1e6,
        sd as f64 / 1e6,
        bd as f64 / sd as f64
    );
    println!(
        "\npeak memory of this process (both engines): {:.0} MB",
        peak_rss_mb()
    );
    println!(
        "beatbook's in-memory contact index, built beside the UI after the log opens: {:.2} s",
        index_build.as_secs_f64()
    );
}
