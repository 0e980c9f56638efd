//! Files scanned in parallel, results handed on in input order, memory bounded by a window
//! of files in flight.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender};
use std::sync::{Mutex, PoisonError};

use crate::model::FileResult;

/// Reports in flight at most: scanned, or waiting for an earlier file to be handed on.
/// Bounds memory whatever the number of files; large enough that one slow file does not
/// leave the other threads idle.
const WINDOW: usize = 256;

/// Permits go back to the walk this many at a time: the walk's thread wakes once per
/// batch of files, not once per file (a wake-up preempts a scan on a busy machine).
const PERMITS: usize = 32;

/// Runs `work` on each input in parallel (on `pool`, or the current rayon pool) and hands
/// each result to `each` in input order, whatever the thread count. The inputs are drawn
/// (the walk runs) on the calling thread and worked on the pool; the work that completes
/// the next result in order hands it on, so no thread waits for another to pass results
/// along. Stops at the first error `each` returns.
pub(super) fn in_order<I, W, E>(
    inputs: impl Iterator<Item = I>,
    work: &W,
    pool: Option<&rayon::ThreadPool>,
    each: impl FnMut(FileResult) -> Result<(), E> + Send,
) -> Result<(), E>
where
    I: Send,
    W: Fn(I) -> FileResult + Sync,
    E: Send,
{
    // One file (the check of one document): read here, no thread pool started.
    let mut inputs = inputs.peekable();
    let Some(first) = inputs.next() else {
        return Ok(());
    };
    if inputs.peek().is_none() {
        let mut each = each;
        return each(work(first));
    }
    let inputs = std::iter::once(first).chain(inputs);
    // A file is started only with a permit, and its permit comes back when its report
    // has been handed on.
    let (permits, permit_rx) = std::sync::mpsc::sync_channel::<usize>(WINDOW);
    let _ = permits.send(WINDOW);
    let order = Mutex::new(Order {
        next: 0,
        waiting: BTreeMap::new(),
        each,
        permits: Some(permits),
        returned: 0,
        failed: None,
    });
    // Set when `each` fails (output closed): files not yet started are not scanned.
    let stop = AtomicBool::new(false);
    let (s, o) = (&stop, &order);
    match pool {
        Some(p) => p.in_place_scope(|scope| feed(scope, inputs, work, s, permit_rx, o)),
        None => rayon::in_place_scope(|scope| feed(scope, inputs, work, s, permit_rx, o)),
    }
    let order = order.into_inner().unwrap_or_else(PoisonError::into_inner);
    match order.failed {
        None => Ok(()),
        Some(Failed::Error(e)) => Err(e),
        Some(Failed::Panic(p)) => std::panic::resume_unwind(p),
    }
}

/// Reports on their way out in input order.
struct Order<F, E> {
    /// The index of the next report to hand on.
    next: usize,
    waiting: BTreeMap<usize, FileResult>,
    each: F,
    /// Dropped when `each` fails, which stops the walk.
    permits: Option<SyncSender<usize>>,
    /// Permits of reports handed on, not yet sent back.
    returned: usize,
    failed: Option<Failed<E>>,
}

enum Failed<E> {
    Error(E),
    Panic(Box<dyn std::any::Any + Send>),
}

impl<F: FnMut(FileResult) -> Result<(), E>, E> Order<F, E> {
    /// Takes report `i` and hands on every report now next in order.
    fn arrive(&mut self, i: usize, report: FileResult, stop: &AtomicBool) {
        self.waiting.insert(i, report);
        while let Some(r) = self.waiting.remove(&self.next) {
            self.next += 1;
            if self.failed.is_none() {
                let each = &mut self.each;
                match catch_unwind(AssertUnwindSafe(|| each(r))) {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => self.failed = Some(Failed::Error(e)),
                    Err(p) => self.failed = Some(Failed::Panic(p)),
                }
                if self.failed.is_some() {
                    stop.store(true, Ordering::Relaxed);
                    self.permits = None;
                }
            }
            self.returned += 1;
            if self.returned == PERMITS
                && let Some(p) = &self.permits
            {
                let _ = p.send(std::mem::take(&mut self.returned));
            }
        }
    }
}

/// Starts work on each input as permits come in; each hands its result on with its place
/// in the input order.
fn feed<'s, I, W, F, E>(
    scope: &rayon::Scope<'s>,
    inputs: impl Iterator<Item = I>,
    work: &'s W,
    stop: &'s AtomicBool,
    permits: Receiver<usize>,
    order: &'s Mutex<Order<F, E>>,
) where
    I: Send + 's,
    W: Fn(I) -> FileResult + Sync,
    F: FnMut(FileResult) -> Result<(), E> + Send,
    E: Send,
{
    let mut held = 0;
    for (i, input) in inputs.enumerate() {
        if held == 0 {
            match permits.recv() {
                Ok(n) => held = n,
                Err(_) => return, // `each` failed
            }
        }
        held -= 1;
        if stop.load(Ordering::Relaxed) {
            return;
        }
        scope.spawn(move |_| {
            // Every input is handed on, scanned or not: later reports wait for it.
            let report = if stop.load(Ordering::Relaxed) {
                FileResult::new(Default::default())
            } else {
                work(input)
            };
            order
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .arrive(i, report, stop);
        });
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::walk::Input;
    use super::*;

    /// `n` inputs, each worked on at once into a result named after it.
    fn inputs(n: usize) -> impl Iterator<Item = Input> {
        (0..n).map(|i| Input::File(PathBuf::from(format!("f{i}")), String::new()))
    }

    /// A result named after the input, at once.
    fn work(input: Input) -> FileResult {
        let mut r = FileResult::new(Default::default());
        r.skipped = Some(match input {
            Input::File(p, _)
            | Input::Named(p, _)
            | Input::Link(p, _)
            | Input::Unreadable(p, _) => p.display().to_string(),
            Input::Bytes { name, .. } => name,
        });
        r
    }

    fn pool(threads: usize) -> rayon::ThreadPool {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
    }

    #[test]
    fn hands_every_result_on_in_input_order() {
        // More inputs than the window and than a permit batch, on more threads than cores.
        let n = 3 * WINDOW + PERMITS / 2;
        let mut got = Vec::new();
        in_order(inputs(n), &work, Some(&pool(4)), |r| {
            got.push(r.skipped.unwrap_or_default());
            Ok::<(), ()>(())
        })
        .unwrap();
        let want: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn stops_at_the_first_error_without_waiting() {
        let mut calls = 0;
        let got = in_order(inputs(4 * WINDOW), &work, Some(&pool(3)), |_| {
            calls += 1;
            if calls == WINDOW + 7 {
                Err("closed")
            } else {
                Ok(())
            }
        });
        assert_eq!(got, Err("closed"));
        assert_eq!(calls, WINDOW + 7, "nothing is handed on after the error");
    }

    #[test]
    fn a_panic_while_handing_on_reaches_the_caller() {
        let caught = catch_unwind(AssertUnwindSafe(|| {
            let mut calls = 0;
            in_order(
                inputs(2 * WINDOW),
                &work,
                Some(&pool(2)),
                |_| -> Result<(), ()> {
                    calls += 1;
                    assert!(calls < 10, "boom");
                    Ok(())
                },
            )
        }));
        assert!(caught.is_err());
    }
}
