//! How the process's memory allocator keeps what is freed.
//!
//! glibc's `malloc` hands a freed block of more than 128 KiB (its starting threshold) straight
//! back to the kernel, and shrinks an arena as soon as a little more than that is free at its
//! top. Each publication allocates and frees blocks of several MiB: Tantivy starts a new indexing
//! thread with a new in-memory segment (an 8 MiB term table) at every commit, and the Brotli and
//! gzip encoders take their windows afresh for every page re-rendered. So every publication
//! faulted those pages in again, each zeroed by the kernel, on the core that answers readers.
//! Keeping freed blocks for reuse took the readers' p99 under the publishing burst from
//! 2.5–3.9 ms to 1.1–2.4 ms at 100,000 articles, in an A/B on a server that had just built its
//! search index (BENCHMARKS.md, "Publishing burst").
//!
//! What a one-off job frees (the search index's build: 167 MB of the 192 MB the process then
//! held) is handed back at its end with [`release_free_memory`], so the peak is not kept.

/// Blocks up to this size come from the allocator's arenas (and go back to them when freed)
/// instead of being mapped and unmapped one by one: half the largest heap of an arena on 64-bit
/// systems, the most glibc has accepted in every version. Setting it also turns off glibc's own
/// adjustment of the threshold.
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

/// Hands what is free in the allocator's arenas back to the kernel. Call it after a one-off job
/// that allocated far more than serving does: after building the search index of 100,000
/// articles, 167 MB of the 192 MB the process held was free memory, kept for reuse under the
/// thresholds above. It takes the allocator's locks while it works, so call it off the async
/// workers. Returns whether anything was released (always false where the C library is not
/// glibc).
pub fn release_free_memory() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        trim()
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        false
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn trim() -> bool {
    // SAFETY: `malloc_trim` takes no pointers; it releases free pages under the allocator's own
    // locks and leaves every allocated block as it is.
    unsafe { libc::malloc_trim(0) == 1 }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn set(parameter: i32, value: i32) -> bool {
    // SAFETY: `mallopt` takes no pointers and only sets one of the allocator's parameters, under
    // the allocator's own lock; a value it cannot take is refused (it returns 0).
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
    fn freed_memory_kept_for_reuse_can_be_released() {
        assert!(keep_freed_memory_for_reuse());
        // 100 blocks of 1 MiB, written so their pages are resident, then freed: under both
        // thresholds, so the allocator keeps them, and there is something to release.
        let blocks: Vec<Vec<u8>> = (0..100).map(|i| vec![i as u8 + 1; 1 << 20]).collect();
        assert_eq!(
            blocks.iter().map(|b| b[b.len() - 1] as usize).sum::<usize>(),
            (1..=100usize).sum::<usize>()
        );
        drop(blocks);
        assert!(release_free_memory());
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn a_setting_out_of_range_is_refused() {
        // The fast bins hold blocks of at most 160 bytes on 64-bit systems: asking for 1 MiB is
        // refused by every glibc, and nothing is changed, so the checks above can fail.
        assert!(!set(libc::M_MXFAST, 1 << 20));
    }
}
