//! The scan-wide memory budget: each file may hold `max_memory`, so at most
//! `scan_memory / max_memory` files are read at once, whatever the thread count. A
//! deterministic bound: no file's result depends on what the others hold.

use std::cell::Cell;
use std::sync::{Condvar, Mutex, PoisonError};

use crate::read::container::Limits;

pub struct Gate {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Gate {
    pub fn new(limits: &Limits) -> Gate {
        let files = limits.scan_memory / limits.max_memory.max(1);
        Gate {
            free: Mutex::new(usize::try_from(files).unwrap_or(usize::MAX).max(1)),
            freed: Condvar::new(),
        }
    }

    /// Runs `f` once a file may be read; other files wait meanwhile.
    ///
    /// A file started on a thread that is already reading one is let through when none may
    /// be: a pool thread waiting for its large file's detection (engine/handoff.rs) may run
    /// other jobs meanwhile, and the file further up its stack cannot give its place back
    /// before the one it started ends. Waiting there could wait for ever.
    pub fn pass<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        let nested = READING.get() > 0;
        while *free == 0 && !nested {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        let place = *free > 0;
        if place {
            *free -= 1;
        }
        drop(free);
        READING.set(READING.get() + 1);
        // Given back even when `f` panics.
        let _back = Back { gate: self, place };
        f()
    }
}

thread_local! {
    /// Files being read on this thread's stack.
    static READING: Cell<usize> = const { Cell::new(0) };
}

struct Back<'g> {
    gate: &'g Gate,
    /// Whether the file took a place (a nested one let through did not).
    place: bool,
}

impl Drop for Back<'_> {
    fn drop(&mut self) {
        READING.set(READING.get() - 1);
        if self.place {
            *self
                .gate
                .free
                .lock()
                .unwrap_or_else(PoisonError::into_inner) += 1;
            self.gate.freed.notify_one();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_started_inside_another_is_let_through() {
        let limits = Limits {
            max_memory: 1,
            scan_memory: 1,
            ..Limits::default()
        };
        let gate = Gate::new(&limits);
        assert_eq!(gate.pass(|| gate.pass(|| 7)), 7);
        // Its one place is back, whatever the nesting: another thread passes.
        std::thread::scope(|s| s.spawn(|| gate.pass(|| ())).join().unwrap());
        assert_eq!(*gate.free.lock().unwrap(), 1);
    }
}
