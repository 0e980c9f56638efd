//! The scan-wide memory budget: each file may hold `max_memory`, so at most
//! `scan_memory / max_memory` files are read at once, whatever the thread count. A
//! deterministic bound: no file's result depends on what the others hold.

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
    pub fn pass<T>(&self, f: impl FnOnce() -> T) -> T {
        let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
        while *free == 0 {
            free = self
                .freed
                .wait(free)
                .unwrap_or_else(PoisonError::into_inner);
        }
        *free -= 1;
        drop(free);
        // Given back even when `f` panics.
        let _back = Back(self);
        f()
    }
}

struct Back<'g>(&'g Gate);

impl Drop for Back<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.freed.notify_one();
    }
}
