//! How the process's memory allocator keeps what is freed.
//!
//! glibc's `malloc` hands a freed block of more than 128 KiB (its starting threshold) straight
//! back to the kernel, and shrinks an arena as soon as a little more than that is free at its
//! top. Each publication allocates and frees blocks of several MiB: Tantivy starts a new indexing
//! thread with a new in-memory segment (an 8 MiB term table) at every commit, and the Brotli and
//! gzip encoders take their windows afresh for every page re-rendered. So every publication
//! faulted those pages in again, each zeroed by the kernel, on the core that answers readers.
//! Keeping freed blocks for reuse took the indexing thread from about 9.5 ms of CPU per
//! publication to about 3.5 ms, and the readers' p99 under the publishing burst from 3.2–4.3 ms
//! to 1.3–2.5 ms at 100,000 articles (BENCHMARKS.md, "Publishing burst").

/// Blocks up to this size come from the allocator's arenas (and go back to them when freed)
/// instead of being mapped and unmapped one by one: glibc's largest allowed value on 64-bit
/// systems, which also turns off its own threshold's adjustment.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: i32 = 32 << 20;

/// Free memory at an arena's top is handed back to the kernel once it exceeds this, so what a
/// burst of work freed is reused by the next burst, and a peak is still returned.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const TRIM_THRESHOLD: i32 = 128 << 20;

/// Makes the allocator keep freed blocks for reuse (see the module's notes). Call it first
/// thing in `main`. Returns false if the C library refused a setting; where the C library is not
/// glibc there is nothing to set and it returns true.
pub fn keep_freed_memory_for_reuse() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        set(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) && set(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD)
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        true
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn set(parameter: i32, value: i32) -> bool {
    // SAFETY: `mallopt` takes no pointers and only sets one of the allocator's parameters, under
    // the allocator's own lock; an out-of-range value is refused (it returns 0), not undefined.
    unsafe { libc::mallopt(parameter, value) == 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_allocator_takes_both_settings() {
        assert!(keep_freed_memory_for_reuse());
        // Asking twice is harmless.
        assert!(keep_freed_memory_for_reuse());
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn an_out_of_range_setting_is_refused_not_applied() {
        // Over glibc's largest mmap threshold: refused, so the checks above can fail.
        assert!(!set(libc::M_MMAP_THRESHOLD, i32::MAX));
    }
}
