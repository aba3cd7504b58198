//! Frame time of the real UI (driven headlessly through egui_kittest) over a large log:
//! idle frames on the Log screen, scrolling the table, typing into the notes filter, the
//! People screen, the Review screen while its figures are worked out beside the UI, and the
//! Problems screen with the pages of the problems at their assessment (evidence counted).
//!
//! `cargo bench -p beatbook-benches --bench frame_time` (size from `BEATBOOK_BENCH_CONTACTS`,
//! default 100000).
//! Reports each activity's frames (median and worst): the time they took, and the CPU time the
//! UI thread spent on them (the two differ when other threads hold the cores).

// A benchmark may unwrap: a panic stops a measurement, never an officer's work.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use beatbook_benches as common;

use std::time::{Duration, Instant};

use beatbook::ui::command::{Command, Screen};
use beatbook::ui::BeatbookApp;
use egui_kittest::kittest::Queryable;
use egui_kittest::Harness;

/// One frame (or a stretch of them): how long it took, and the UI thread's CPU time in it.
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Took {
    wall: Duration,
    cpu: Duration,
}

/// The CPU time this thread has used so far (zero where it cannot be read).
fn thread_cpu() -> Duration {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let mut ts = libc::timespec {
            tv_sec: 0,
            tv_nsec: 0,
        };
        // SAFETY: `ts` is a valid, writable timespec for the call's duration.
        if unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) } == 0 {
            return Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32);
        }
    }
    Duration::ZERO
}

/// Starts timing; `Timer::took` ends it.
struct Timer {
    wall: Instant,
    cpu: Duration,
}

impl Timer {
    fn start() -> Self {
        Timer {
            wall: Instant::now(),
            cpu: thread_cpu(),
        }
    }

    fn took(&self) -> Took {
        Took {
            wall: self.wall.elapsed(),
            cpu: thread_cpu().saturating_sub(self.cpu),
        }
    }
}

/// Median and worst of the frames' times, and of their CPU times.
fn stats(v: &[Took]) -> [Duration; 4] {
    let pick = |f: fn(&Took) -> Duration| {
        let mut d: Vec<Duration> = v.iter().map(f).collect();
        d.sort();
        let median = d.get(d.len() / 2).copied().unwrap_or_default();
        (median, d.last().copied().unwrap_or_default())
    };
    let (wall_median, wall_worst) = pick(|t| t.wall);
    let (cpu_median, cpu_worst) = pick(|t| t.cpu);
    [wall_median, wall_worst, cpu_median, cpu_worst]
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1e3)
}

/// A table row for one activity: a single stretch of time, or many frames.
fn row(name: &str, frames: &[Took]) {
    if let [one] = frames {
        println!("| {name} | {} | | {} | |", ms(one.wall), ms(one.cpu));
    } else {
        let [a, b, c, d] = stats(frames).map(ms);
        println!("| {name} | {a} | {b} | {c} | {d} |");
    }
}

/// Runs one frame and measures it.
fn frame(h: &mut Harness<'_, BeatbookApp>) -> Took {
    let t = Timer::start();
    h.step();
    t.took()
}

/// Frames on the Problems screen.
struct ProblemFrames {
    open: Took,
    /// Opening each of the first problems at their assessment.
    pages: Vec<Took>,
    /// How many problems are at their assessment.
    assessed: usize,
    /// How many of the pages opened showed their evidence in the frame that opened them.
    with_evidence: usize,
    idle: Vec<Took>,
}

/// The Problems screen, then the pages of the problems at their assessment: each page
/// reads its linked contacts, history, the contacts that may show it and the counts of its
/// topics before and since its response, in the frame that opens it.
fn problems_frames(h: &mut Harness<'_, BeatbookApp>) -> ProblemFrames {
    if let Some(w) = h.state_mut().workspace() {
        w.apply(Command::Go(Screen::Problems));
    }
    let open = frame(h);
    let assessed: Vec<beatbook::model::Id> = h
        .state_mut()
        .workspace()
        .and_then(|w| {
            let filter = beatbook::query::problems::ProblemFilter {
                neighborhoods: Vec::new(),
                stage: Some(beatbook::model::Stage::Assessment),
            };
            beatbook::query::problems::problems(&w.store, &filter).ok()
        })
        .unwrap_or_default()
        .into_iter()
        .map(|p| p.meta.id)
        .collect();
    let (mut pages, mut with_evidence) = (Vec::new(), 0);
    for &id in assessed.iter().take(20) {
        if let Some(w) = h.state_mut().workspace() {
            w.apply(Command::OpenProblem(id));
        }
        pages.push(frame(h));
        // The evidence is on the page drawn by that frame, not on a later one.
        if h.query_by_label_contains("The response began on").is_some() {
            with_evidence += 1;
        }
    }
    let idle: Vec<Took> = (0..30).map(|_| frame(h)).collect();
    ProblemFrames {
        open,
        pages,
        assessed: assessed.len(),
        with_evidence,
        idle,
    }
}

/// Opens the app on `dir` and unlocks it as an officer would: the harness, the time until the
/// lock screen showed and the time until Today's lists showed.
fn open_and_unlock(dir: std::path::PathBuf) -> (Harness<'static, BeatbookApp>, Took, Took) {
    let t = Timer::start();
    let mut h = Harness::builder()
        .with_size(egui::vec2(1280.0, 900.0))
        .build_eframe(move |_cc| BeatbookApp::open(dir, Screen::Today));
    h.step();
    // The log opens beside the lock screen, which shows at once.
    let lock_screen = t.took();
    // The passphrase, as typed on the lock screen; the unlock runs beside the UI.
    h.get_by_label("Passphrase").focus();
    h.step();
    h.get_by_label("Passphrase").type_text(common::PASSPHRASE);
    h.key_press(egui::Key::Enter);
    h.step();
    if let Some(lock) = h.state_mut().lock_screen() {
        lock.wait();
    }
    // Today reads its lists beside the UI: the first screen is there once they show.
    h.step();
    while h.query_by_label("Last contacts").is_none() {
        std::thread::sleep(Duration::from_millis(2));
        h.step();
    }
    let first_screen = t.took();
    (h, lock_screen, first_screen)
}

fn main() {
    // As the program does.
    beatbook::memory::keep_freed_memory();
    let n = common::bench_size();
    let tmp = tempfile::tempdir().unwrap();
    let dir = common::precinct_dir(tmp.path(), n);
    let (mut h, lock_screen, first_screen) = open_and_unlock(dir);
    // The contact index is built beside the UI: the frames drawn meanwhile stay short.
    let t = Timer::start();
    let mut while_indexing = Vec::new();
    while !h
        .state_mut()
        .workspace()
        .is_some_and(|w| w.store.has_contact_index())
    {
        while_indexing.push(frame(&mut h));
        std::thread::sleep(Duration::from_millis(20));
    }
    let index_ready = t.took();
    if let Some(w) = h.state_mut().workspace() {
        w.apply(Command::Go(Screen::Log));
    }
    let open_log = frame(&mut h);

    let idle: Vec<Took> = (0..60).map(|_| frame(&mut h)).collect();
    let mut scroll = Vec::new();
    h.hover_at(egui::pos2(600.0, 500.0));
    for _ in 0..60 {
        h.event(egui::Event::MouseWheel {
            unit: egui::MouseWheelUnit::Line,
            delta: egui::vec2(0.0, -3.0),
            modifiers: egui::Modifiers::NONE,
            phase: egui::TouchPhase::Move,
            source: egui::MouseWheelSource::Wheel,
        });
        scroll.push(frame(&mut h));
    }
    h.get_by_role_and_label(egui::accesskit::Role::TextInput, "Search notes")
        .focus();
    h.step();
    let mut typing = Vec::new();
    for ch in "streetlight".chars() {
        h.event(egui::Event::Text(ch.to_string()));
        typing.push(frame(&mut h));
    }
    // The log is searched once typing pauses: the slowest of the frames that follow.
    let search = (0..40).map(|_| frame(&mut h)).max().unwrap_or_default();

    // The People screen lists everyone, drawn only as far as they are in view.
    if let Some(w) = h.state_mut().workspace() {
        w.apply(Command::Go(Screen::People));
    }
    let open_people = frame(&mut h);
    let people: Vec<Took> = (0..30).map(|_| frame(&mut h)).collect();

    // The Review screen works its figures out beside the UI: frames go on meanwhile.
    if let Some(w) = h.state_mut().workspace() {
        w.apply(Command::Go(Screen::Review));
    }
    let t = Timer::start();
    let mut while_reviewing = vec![frame(&mut h)];
    while h.query_by_label("Working out the figures...").is_some() {
        std::thread::sleep(Duration::from_millis(5));
        while_reviewing.push(frame(&mut h));
    }
    let figures_shown = t.took();
    let reviewing_frames = while_reviewing.len();
    let review: Vec<Took> = (0..30).map(|_| frame(&mut h)).collect();

    let problems = problems_frames(&mut h);
    let contacts = h
        .state_mut()
        .workspace()
        .and_then(|w| w.store.count::<beatbook::model::Contact>().ok())
        .unwrap_or(n);

    println!("\nframe time over {contacts} contacts (this machine; CPU: the UI thread's)\n");
    println!("| activity | median | worst | CPU median | CPU worst |");
    println!("| --- | --- | --- | --- | --- |");
    row("lock screen shown (app start)", &[lock_screen]);
    row(
        "first screen (open the log, passphrase typed at once, Today)",
        &[first_screen],
    );
    row("contact index ready, built beside the UI", &[index_ready]);
    row("frames while the index is built", &while_indexing);
    row("open the Log screen", &[open_log]);
    row("idle on the Log", &idle);
    row("scrolling the log", &scroll);
    row("typing a notes filter", &typing);
    row("searching once typing pauses (slowest frame)", &[search]);
    row("open the People screen", &[open_people]);
    row("idle on People", &people);
    row(
        &format!("open Review until its figures show ({reviewing_frames} frames)"),
        &[figures_shown],
    );
    row("frames while the figures are worked out", &while_reviewing);
    row("idle on Review", &review);
    row("open the Problems screen", &[problems.open]);
    row(
        &format!(
            "open a problem at its assessment ({} of {}, {} with their evidence)",
            problems.pages.len(),
            problems.assessed,
            problems.with_evidence
        ),
        &problems.pages,
    );
    row("idle on a problem's page", &problems.idle);
    if let Some((i, worst)) = while_indexing.iter().enumerate().max_by_key(|(_, t)| **t) {
        println!(
            "\nslowest frame while the index was built: frame {} of {} ({} of it on the CPU)",
            i + 1,
            while_indexing.len(),
            ms(worst.cpu)
        );
    }
}
