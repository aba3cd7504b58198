//! How the process keeps the memory large work frees.

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
