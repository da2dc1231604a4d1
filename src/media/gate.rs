//! How many photos are decoded at once.
//!
//! A decode takes a core and, for a large photo, over a hundred megabytes (see
//! [`super::MAX_DECODE_BYTES`]). Uploads therefore pass a [`Gate`]: a semaphore counted in
//! mebibytes of decoding work, so two of the largest photos never decode together while several
//! small ones do, and never more than a few at once whatever their size. An upload that finds no
//! room within a few seconds is refused as busy (503 with `Retry-After`) instead of queueing
//! without end while the browser waits and the body sits in memory.
//!
//! One gate serves the whole process ([`gate`]): memory is the process's. Tests that need a
//! gate of their own (to fill it without slowing other tests' uploads) set one for their site's
//! data directory with [`set_gate`].

use super::Refusal;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, RwLock};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

const MIB: u64 = 1024 * 1024;

/// What all decodes under way may take together: one of the largest photos and a few small
/// ones, keeping the server well under 300 MB however uploads arrive.
pub const GATE_BYTES: u64 = 192 * MIB;
/// Each decode counts as at least this much: at most four run at once (the machine's cores are
/// few, and each decode is CPU-bound).
pub const GATE_LEAST_BYTES: u64 = GATE_BYTES / 4;
/// How long an upload waits for room before it is refused as busy.
pub const GATE_WAIT: Duration = Duration::from_secs(5);
/// The `Retry-After` of a busy refusal, in seconds.
pub const RETRY_AFTER_SECS: u64 = 10;

/// A limit on the decoding work under way at once.
#[derive(Debug)]
pub struct Gate {
    permits: Arc<Semaphore>,
    /// In mebibytes, as are the semaphore's permits.
    capacity: u32,
    least: u32,
    wait: Duration,
}

/// Room taken in a [`Gate`]; dropping it gives the room back. It is moved into the blocking task
/// that decodes, so the room stays taken until the work ends, even when the request that started
/// it is gone (a browser that gave up).
#[derive(Debug)]
pub struct Pass {
    _permit: OwnedSemaphorePermit,
}

fn mib_ceil(bytes: u64) -> u32 {
    u32::try_from(bytes.div_ceil(MIB)).unwrap_or(u32::MAX)
}

impl Gate {
    /// A gate for `capacity_bytes` of work together, each decode counted as at least
    /// `least_bytes`; an upload waits at most `wait` for room.
    pub fn new(capacity_bytes: u64, least_bytes: u64, wait: Duration) -> Gate {
        let capacity = mib_ceil(capacity_bytes).max(1);
        Gate {
            permits: Arc::new(Semaphore::new(capacity as usize)),
            capacity,
            least: mib_ceil(least_bytes).clamp(1, capacity),
            wait,
        }
    }

    /// Takes room for a decode of `bytes`, waiting for it at most the gate's wait;
    /// [`Refusal::Busy`] when none came.
    pub async fn enter(&self, bytes: u64) -> Result<Pass, Refusal> {
        // Never more than the whole gate, or a large decode could never enter.
        let weight = mib_ceil(bytes).clamp(self.least, self.capacity);
        match tokio::time::timeout(self.wait, self.permits.clone().acquire_many_owned(weight)).await {
            Ok(Ok(permit)) => Ok(Pass { _permit: permit }),
            Ok(Err(_)) | Err(_) => Err(Refusal::Busy),
        }
    }

    /// The room left now, in bytes.
    pub fn available_bytes(&self) -> u64 {
        self.permits.available_permits() as u64 * MIB
    }
}

static GATE: LazyLock<Arc<Gate>> =
    LazyLock::new(|| Arc::new(Gate::new(GATE_BYTES, GATE_LEAST_BYTES, GATE_WAIT)));

/// Gates set for one data directory instead of the process's (see [`set_gate`]).
static GATE_OVERRIDES: LazyLock<RwLock<HashMap<PathBuf, Arc<Gate>>>> = LazyLock::new(Default::default);

/// Sets (or with `None` clears) a gate of its own for the site whose data directory this is.
/// Several sites in one process (tests) can thus fill a gate without holding up each other.
pub fn set_gate(data_dir: &Path, gate: Option<Arc<Gate>>) {
    let mut map = GATE_OVERRIDES.write().unwrap_or_else(|e| e.into_inner());
    match gate {
        Some(g) => map.insert(data_dir.to_path_buf(), g),
        None => map.remove(data_dir),
    };
}

/// The gate uploads to this data directory pass: the process's, unless one was set.
pub fn gate(data_dir: &Path) -> Arc<Gate> {
    let overridden = GATE_OVERRIDES.read().unwrap_or_else(|e| e.into_inner()).get(data_dir).cloned();
    overridden.unwrap_or_else(|| GATE.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn large_decodes_wait_for_each_other_and_give_up_in_time() {
        let gate = Gate::new(100 * MIB, 10 * MIB, Duration::from_millis(200));
        let big = gate.enter(60 * MIB).await.unwrap();
        // Small ones still fit beside it, each counted as at least 10 MiB.
        let small: Vec<Pass> = vec![gate.enter(1).await.unwrap(), gate.enter(1).await.unwrap()];
        assert_eq!(gate.available_bytes(), 20 * MIB);
        let started = std::time::Instant::now();
        assert_eq!(gate.enter(60 * MIB).await.unwrap_err(), Refusal::Busy);
        assert!(started.elapsed() < Duration::from_secs(2));
        drop(big);
        drop(small);
        // More than the whole gate is counted as the whole gate: it waits, then runs alone.
        let all = gate.enter(1000 * MIB).await.unwrap();
        assert_eq!(gate.available_bytes(), 0);
        drop(all);
        assert_eq!(gate.available_bytes(), 100 * MIB);
    }

    #[test]
    fn gates_are_per_site_when_set() {
        let a = Path::new("/tmp/newsdesk-gate-test-a");
        let own = Arc::new(Gate::new(MIB, MIB, Duration::from_millis(1)));
        set_gate(a, Some(own.clone()));
        assert!(Arc::ptr_eq(&gate(a), &own));
        assert!(Arc::ptr_eq(&gate(Path::new("/tmp/newsdesk-gate-test-b")), &GATE));
        set_gate(a, None);
        assert!(Arc::ptr_eq(&gate(a), &GATE));
    }
}
