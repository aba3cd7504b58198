//! The keyboard in a real window: the release `beatbook` program under Xvfb, driven by xdotool
//! at a person's pace. It logs a typical contact (Ctrl+N, a name, Tab, a topic, Tab, a note,
//! Ctrl+Enter) and one with a follow-up (the same, then Alt+F and what was promised) N times
//! each, and reports for each the time from the first key to the saved record beyond the
//! typing itself, the field moves, and whether every keystroke landed.
//!
//! Not a timed test: a measurement to read. Build the program first, then run the bench:
//!
//! ```sh
//! cargo build --release --bin beatbook
//! cargo bench -p beatbook-benches --bench keyboard
//! ```
//!
//! Needs `Xvfb`, `xdotool` and ImageMagick's `import` (`apt-get install -y xvfb xdotool
//! imagemagick`). `BEATBOOK_BENCH_RUNS` sets N (default 5), `BEATBOOK_BENCH_DELAY_MS` the
//! time between keys (default 100, ten keys a second), `BEATBOOK_BIN` the program (default
//! target/release/beatbook). Screenshots go to target/keyboard-bench/.
//!
//! How "saved" is seen: every save is on disk before the app says so, so the moment the log's
//! files change after Ctrl+Enter is the moment the record is saved (the bench polls them every
//! millisecond; nothing else writes while the form is typed, which the bench checks). Once all
//! runs are done the app is closed and the log is opened to compare every saved name, topic,
//! note and promise with what was typed.

// A benchmark may unwrap: a panic stops a measurement, never an officer's work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime};

use beatbook::model::{Contact, FollowUp, Person, Tag};
use beatbook::store::{Passphrase, Store};

/// The passphrase of the bench's log (rated good, as the app asks).
const PASSPHRASE: &str = "granite lantern orchard velvet";

/// What a contact is made of, as typed.
struct Entry {
    name: String,
    topic: &'static str,
    note: String,
    promise: Option<String>,
}

impl Entry {
    /// The keys pressed, in order: a key name for xdotool's `key`, or text for its `type`.
    fn keys(&self) -> Vec<Stroke> {
        let mut keys = vec![
            Stroke::Key("ctrl+n"),
            Stroke::Text(self.name.clone()),
            Stroke::Key("Tab"),
            Stroke::Text(self.topic.to_string()),
            Stroke::Key("Tab"),
            Stroke::Text(self.note.clone()),
        ];
        if let Some(promise) = &self.promise {
            keys.push(Stroke::Key("alt+f"));
            keys.push(Stroke::Text(promise.clone()));
        }
        keys
    }

    /// Keys that move the focus from one field to another (Ctrl+N opens the form in "Who").
    fn field_moves(&self) -> usize {
        self.keys()
            .iter()
            .filter(|k| matches!(k, Stroke::Key("Tab" | "alt+f")))
            .count()
    }
}

enum Stroke {
    Key(&'static str),
    Text(String),
}

impl Stroke {
    fn count(&self) -> usize {
        match self {
            Stroke::Key(_) => 1,
            Stroke::Text(t) => t.chars().count(),
        }
    }
}

/// One measured contact.
struct Run {
    kind: &'static str,
    keys: usize,
    moves: usize,
    /// From the first key to the record on disk.
    total: Duration,
    /// How long xdotool took to send the keys before Ctrl+Enter.
    typed_in: Duration,
    /// How much longer that was than the keys at their pace.
    typing_overrun: Duration,
    /// The log changed while the form was being typed (it should not).
    wrote_early: bool,
}

fn main() {
    let runs: usize = env_or("BEATBOOK_BENCH_RUNS", 5);
    let delay_ms: u64 = env_or("BEATBOOK_BENCH_DELAY_MS", 100);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let bin = std::env::var_os("BEATBOOK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target/release/beatbook"));
    if !bin.exists() {
        eprintln!(
            "keyboard: {} is missing; build it first: cargo build --release --bin beatbook",
            bin.display()
        );
        std::process::exit(2);
    }
    for tool in ["Xvfb", "xdotool", "import"] {
        let found = Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if !found {
            eprintln!("keyboard: {tool} is missing (apt-get install -y xvfb xdotool imagemagick)");
            std::process::exit(2);
        }
    }
    let shots = root.join("target/keyboard-bench");
    std::fs::create_dir_all(&shots).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let data = tmp.path().join("log");
    // The window's own settings (size, theme) go to a home of the bench's.
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();

    // A fresh log, set up as IT would.
    let setup = Command::new(&bin)
        .env("BEATBOOK_PASSPHRASE", PASSPHRASE)
        .arg("--data-dir")
        .arg(&data)
        .args(["setup", "--name", "Dana Reyes", "--badge", "4127"])
        .args(["--role", "officer", "--neighborhood", "Riverside"])
        .output()
        .unwrap();
    assert!(
        setup.status.success(),
        "beatbook setup failed: {}",
        String::from_utf8_lossy(&setup.stderr)
    );

    let display = free_display();
    let mut xvfb = Command::new("Xvfb")
        .args([&display, "-screen", "0", "1280x800x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let x = X {
        display: display.clone(),
    };
    wait_until(Duration::from_secs(10), || x.ok(&["getmouselocation"]));

    let mut app = Command::new(&bin)
        .env("DISPLAY", &display)
        .env_remove("WAYLAND_DISPLAY")
        .env("HOME", &home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_RUNTIME_DIR", &home)
        .arg("--data-dir")
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::from(
            std::fs::File::create(shots.join("app-stderr.txt")).unwrap(),
        ))
        .spawn()
        .unwrap();
    let result = drive(&x, &data, &shots, runs, delay_ms);
    let _ = app.kill();
    let _ = app.wait();
    // Asked to end (not killed), so Xvfb removes its socket and lock file.
    let _ = Command::new("kill")
        .args(["-TERM", &xvfb.id().to_string()])
        .status();
    let _ = xvfb.wait();
    let (measured, typed) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("keyboard: {e} (screenshots in {})", shots.display());
            std::process::exit(1);
        }
    };
    let landed = compare(&data, &typed);
    report(&measured, &landed, delay_ms, runs);
}

/// Unlocks the app and logs the contacts; the runs and what was typed.
fn drive(
    x: &X,
    data: &Path,
    shots: &Path,
    runs: usize,
    delay_ms: u64,
) -> Result<(Vec<Run>, Vec<Entry>), String> {
    let window = x
        .output_within(
            Duration::from_secs(60),
            &["search", "--sync", "--name", "^beatbook$"],
        )
        .ok_or("the window did not appear within 60 s")?;
    let window = window
        .lines()
        .next()
        .ok_or("xdotool found no window")?
        .to_string();
    // No window manager: the focus follows the pointer, kept in a corner of the window.
    x.run(&["windowfocus", &window]);
    x.run(&["mousemove", "--window", &window, "1", "1"]);
    std::thread::sleep(Duration::from_secs(2));
    x.shot(&shots.join("1-lock-screen.png"));
    let backups = data.join("backups");
    x.run(&["type", "--delay", "30", PASSPHRASE]);
    x.run(&["key", "Return"]);
    // The day's backup is taken beside the UI as soon as the log is unlocked.
    if !wait_until(Duration::from_secs(60), || {
        std::fs::read_dir(&backups).is_ok_and(|mut d| d.next().is_some())
    }) {
        x.shot(&shots.join("1-not-unlocked.png"));
        return Err("the log was not unlocked within 60 s".into());
    }
    std::thread::sleep(Duration::from_secs(3));
    x.shot(&shots.join("2-today.png"));

    let mut measured = Vec::new();
    let mut typed = Vec::new();
    for i in 0..runs * 2 {
        let with_promise = i % 2 == 1;
        let entry = entry(i, with_promise);
        let run = log_one(x, data, &entry, delay_ms, shots)?;
        measured.push(run);
        typed.push(entry);
        if i < 2 {
            x.shot(&shots.join(format!("3-saved-{}.png", i + 1)));
        }
        // The officer reads "Saved" and looks up.
        std::thread::sleep(Duration::from_millis(1500));
    }
    x.shot(&shots.join("4-after.png"));
    Ok((measured, typed))
}

/// Types one contact and saves it; the time it took.
fn log_one(x: &X, data: &Path, entry: &Entry, delay_ms: u64, shots: &Path) -> Result<Run, String> {
    let store = data.join("store");
    let pace = format!("{:.3}", delay_ms as f64 / 1000.0);
    // One xdotool run for everything before Ctrl+Enter: each key takes `delay_ms`.
    let mut args: Vec<String> = Vec::new();
    for stroke in entry.keys() {
        match stroke {
            Stroke::Key(k) => {
                args.extend(["key".into(), k.into(), "sleep".into(), pace.clone()]);
            }
            // One key at a time, each followed by the pause (xdotool's own `--delay` types
            // faster than it says).
            Stroke::Text(t) => {
                for c in t.chars() {
                    args.extend(["type".into(), "--args".into(), "1".into(), c.to_string()]);
                    args.extend(["sleep".into(), pace.clone()]);
                }
            }
        }
    }
    let keys_before_save: usize = entry.keys().iter().map(Stroke::count).sum();
    let before = signature(&store);
    let first_key = Instant::now();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    x.run(&args);
    let typed_in = first_key.elapsed();
    let wrote_early = signature(&store) != before;
    // Ctrl+Enter after the last key, at the same pace (the last text's pause is in `typed_in`).
    let unsaved = signature(&store);
    let mut key = x.spawn(&["key", "ctrl+Return"]);
    let saved = wait_until(Duration::from_secs(20), || signature(&store) != unsaved);
    let saved_at = Instant::now();
    let _ = key.wait();
    if !saved {
        x.shot(&shots.join("3-not-saved.png"));
        return Err(format!(
            "the contact for {} was not saved within 20 s of Ctrl+Enter",
            entry.name
        ));
    }
    let keys = keys_before_save + 1;
    let pace = Duration::from_millis(delay_ms);
    Ok(Run {
        kind: if entry.promise.is_some() {
            "with a follow-up"
        } else {
            "typical"
        },
        keys,
        moves: entry.field_moves(),
        total: saved_at - first_key,
        typed_in,
        typing_overrun: typed_in.saturating_sub(pace * keys_before_save as u32),
        wrote_early,
    })
}

/// The i-th contact: names that share no first word or surname with another, so "Who" never
/// offers an earlier one.
fn entry(i: usize, with_promise: bool) -> Entry {
    const FIRST: [&str; 12] = [
        "Darnell",
        "Maria",
        "Tomasz",
        "Aisha",
        "Kenji",
        "Lucia",
        "Oluwaseun",
        "Ingrid",
        "Rafael",
        "Mei",
        "Bogdan",
        "Yolanda",
    ];
    const LAST: [&str; 12] = [
        "Price",
        "Okafor",
        "Nowak",
        "Haddad",
        "Tanaka",
        "Ferreira",
        "Adeyemi",
        "Lund",
        "Castillo",
        "Zhou",
        "Petrov",
        "Whitfield",
    ];
    const TOPICS: [&str; 4] = ["noise", "traffic", "graffiti", "lighting"];
    let name = format!("{} {}", FIRST[i % 12], LAST[(i * 5 + i / 12) % 12]);
    Entry {
        name,
        topic: TOPICS[i % TOPICS.len()],
        note: format!(
            "Talked at the corner store about the parking, visit {}.",
            i + 1
        ),
        promise: with_promise.then(|| format!("Call back about the parking, visit {}.", i + 1)),
    }
}

/// Whether each typed contact was saved exactly as typed (name, topic, note, promise).
fn compare(data: &Path, typed: &[Entry]) -> Vec<Result<(), String>> {
    let store = match Store::open(data, &Passphrase::new(PASSPHRASE)) {
        Ok(s) => s,
        Err(e) => return vec![Err(format!("the log could not be opened: {e}"))],
    };
    let contacts = store.all::<Contact>().unwrap();
    let follow_ups = store.all::<FollowUp>().unwrap();
    typed
        .iter()
        .map(|e| {
            let Some(c) = contacts.iter().find(|c| c.note == e.note) else {
                let near = contacts
                    .iter()
                    .map(|c| c.note.as_str())
                    .find(|n| n.ends_with(&e.note[e.note.len() - 9..]))
                    .unwrap_or("nothing");
                return Err(format!("note \"{}\" not saved (found \"{near}\")", e.note));
            };
            let names: Vec<String> = c
                .people
                .iter()
                .filter_map(|&p| store.get::<Person>(p).ok().flatten())
                .map(|p| p.name)
                .collect();
            if names != [e.name.clone()] {
                return Err(format!("typed \"{}\", saved {names:?}", e.name));
            }
            let topics: Vec<String> = c
                .tags
                .iter()
                .filter_map(|&t| store.get::<Tag>(t).ok().flatten())
                .map(|t| t.name)
                .collect();
            if topics != [e.topic] {
                return Err(format!("typed topic \"{}\", saved {topics:?}", e.topic));
            }
            let promises: Vec<&str> = follow_ups
                .iter()
                .filter(|f| f.contact == Some(c.meta.id))
                .map(|f| f.promise.as_str())
                .collect();
            let expected: Vec<&str> = e.promise.iter().map(String::as_str).collect();
            if promises != expected {
                return Err(format!("typed promise {expected:?}, saved {promises:?}"));
            }
            Ok(())
        })
        .collect()
}

fn report(runs: &[Run], landed: &[Result<(), String>], delay_ms: u64, n: usize) {
    println!(
        "\n{n} contacts of each kind, typed at one key every {delay_ms} ms in a real window \
         (Xvfb, xdotool)\n"
    );
    println!(
        "| contact | keys | field moves | first key to saved (median) | typing as sent \
         (median) | beyond the typing: last key to saved (median, worst) | every keystroke \
         landed |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- |");
    for kind in ["typical", "with a follow-up"] {
        let of: Vec<(usize, &Run)> = runs
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == kind)
            .collect();
        if of.is_empty() {
            continue;
        }
        // The typing itself is the keys as xdotool sent them (its own pace, which runs a
        // little behind the nominal one) and the pause before Ctrl+Enter.
        let mut beyond: Vec<Duration> = of
            .iter()
            .map(|(_, r)| r.total.saturating_sub(r.typed_in))
            .collect();
        let mut total: Vec<Duration> = of.iter().map(|(_, r)| r.total).collect();
        let mut sent: Vec<Duration> = of.iter().map(|(_, r)| r.typed_in).collect();
        let ok = of
            .iter()
            .filter(|(i, _)| landed.get(*i).is_some_and(Result::is_ok))
            .count();
        println!(
            "| {kind} | {} | {} | {:.2} s | {:.2} s | {} ms, {} ms | {ok} of {} |",
            of[0].1.keys,
            of[0].1.moves,
            median(&mut total).as_secs_f64(),
            median(&mut sent).as_secs_f64(),
            median(&mut beyond).as_millis(),
            beyond.iter().max().unwrap().as_millis(),
            of.len()
        );
    }
    let overrun = runs
        .iter()
        .map(|r| r.typing_overrun)
        .max()
        .unwrap_or_default();
    println!(
        "\n\"Beyond the typing\" is the time from the first key to the record on disk minus the \
         time the keys took to send (each key then a {delay_ms} ms pause, the last one being \
         Ctrl+Enter): what the officer waits after the last key. xdotool's own overhead made \
         the typing up to {} ms longer than keys x {delay_ms} ms.",
        overrun.as_millis()
    );
    if runs.iter().any(|r| r.wrote_early) {
        println!("Note: the log's files changed while a form was being typed.");
    }
    for (i, l) in landed.iter().enumerate() {
        if let Err(e) = l {
            println!("Contact {}: {e}", i + 1);
        }
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The size and modification time of every file of the log (what changes when it is written).
fn signature(dir: &Path) -> Vec<(PathBuf, u64, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.filter_map(Result::ok) {
            let Ok(meta) = e.metadata() else { continue };
            if meta.is_dir() {
                stack.push(e.path());
            } else {
                let modified = meta.modified().unwrap_or(SystemTime::UNIX_EPOCH);
                out.push((e.path(), meta.len(), modified));
            }
        }
    }
    out.sort();
    out
}

/// Polls `done` every millisecond until it holds (true) or `limit` passes (false).
fn wait_until(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    false
}

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// An X display number no server uses yet.
fn free_display() -> String {
    (99..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .map(|n| format!(":{n}"))
        .expect("a free X display number")
}

/// xdotool and import on the bench's display.
struct X {
    display: String,
}

impl X {
    fn command(&self, program: &str, args: &[&str]) -> Command {
        let mut c = Command::new(program);
        c.env("DISPLAY", &self.display).args(args);
        c
    }

    fn ok(&self, args: &[&str]) -> bool {
        self.command("xdotool", args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    fn run(&self, args: &[&str]) {
        let _ = self.ok(args);
    }

    fn spawn(&self, args: &[&str]) -> Child {
        self.command("xdotool", args)
            .stdout(Stdio::null())
            .spawn()
            .unwrap()
    }

    /// xdotool's output, if it finished within `limit`.
    fn output_within(&self, limit: Duration, args: &[&str]) -> Option<String> {
        let mut child = self
            .command("xdotool", args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        if !wait_until(limit, || child.try_wait().ok().flatten().is_some()) {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        let out = child.wait_with_output().ok()?;
        Some(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn shot(&self, path: &Path) {
        let _ = self
            .command("import", &["-window", "root"])
            .arg(path)
            .status();
    }
}
