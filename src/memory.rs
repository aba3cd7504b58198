//! How the process keeps its memory: the memory large work frees, and no copy of it on disk
//! after a crash.

/// Asks the C library's allocator (glibc) to keep the memory freed by large work (the contact
/// index's build, a review of a million contacts) for the next such work, rather than hand it
/// back to the system at once: every page handed back is faulted in and cleared again when it
/// is next taken, which made the review's time at a million contacts vary two- to five-fold.
/// Elsewhere it does nothing. Called once, first thing, by the program (and the benchmarks).
pub fn keep_freed_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets two of the allocator's thresholds (values glibc accepts: the
    // mmap threshold's ceiling is 32 MiB on 64-bit systems); no memory is touched.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 32 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}

/// Keeps the process's memory (decrypted notes, the data key) out of crash dumps: on Linux no
/// core file is written (core size limit 0, soft and hard) and the process is not dumpable
/// (which also keeps other programs of the same user from attaching to it to read it).
/// Called first thing by the program, so it holds for as long as any log is open. Returns
/// whether both took effect; elsewhere it does nothing and returns `false`.
pub fn forbid_crash_dumps() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let no_core = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: setrlimit reads the struct given; prctl(PR_SET_DUMPABLE, 0) only changes a
        // flag of this process. Neither touches memory of ours.
        let (limit, dumpable) = unsafe {
            (
                libc::setrlimit(libc::RLIMIT_CORE, &no_core),
                libc::prctl(libc::PR_SET_DUMPABLE, 0, 0, 0, 0),
            )
        };
        limit == 0 && dumpable == 0
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
}

/// Makes every folder and file this process creates private to its user (umask 0o077), so
/// what the log's storage engine creates inside its folder is private from the start (see
/// `store::private_files`, which also creates beatbook's own files with explicit modes).
pub fn private_umask() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: umask only sets this process's file-creation mask; it cannot fail.
    unsafe {
        libc::umask(0o077);
    }
}
