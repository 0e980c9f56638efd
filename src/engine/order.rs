//! Files scanned in parallel, results handed on in input order, memory bounded by a window
//! of files in flight.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError};
use std::sync::{Mutex, PoisonError};

use crate::model::FileResult;

/// Reports in flight at most: scanned, or waiting for an earlier file to be handed on.
/// Bounds memory whatever the number of files; large enough that one slow file does not
/// leave the other threads idle.
const WINDOW: usize = 256;

/// Permits go back to the walk this many at a time: the walk's thread wakes once per
/// batch of files, not once per file (a wake-up preempts a scan on a busy machine).
const PERMITS: usize = 32;

/// Inputs drawn ahead of the oldest one not started, while every permit is in use: a large
/// file among them starts before the smaller ones ahead of it, so it does not run alone on
/// one thread at the end of the scan.
const LOOKAHEAD: usize = 1024;

/// Bytes the inputs drawn ahead may hold in memory (documents given as bytes).
const LOOKAHEAD_HELD: u64 = 64 << 20;

/// A file this large (on disk) starts as soon as a permit comes, before smaller files
/// drawn before it; its text is detected on a free thread while it is read (`handoff`).
pub(super) const LARGE: u64 = 1 << 20;

/// Files started before their turn at most. The rest of the window keeps the oldest files
/// going, so the file next in order always gets a permit: no deadlock.
const AHEAD: usize = WINDOW / 4;

/// What is known of an input before it starts.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Size {
    /// Bytes to read: a large file starts early.
    pub file: u64,
    /// Bytes the input holds in memory while it waits (a document given as bytes).
    pub held: u64,
}

/// Runs `work` on each input in parallel (on `pool`, or the current rayon pool) and hands
/// each result to `each` in input order, whatever the thread count. The inputs are drawn
/// (the walk runs) on the calling thread and worked on the pool; the work that completes
/// the next result in order hands it on, so no thread waits for another to pass results
/// along. Stops at the first error `each` returns. Large files (by `size`) start early,
/// within a window ahead of the oldest file not started.
pub(super) fn in_order<I, W, E>(
    inputs: impl Iterator<Item = I>,
    size: impl Fn(&I) -> Size,
    work: &W,
    pool: Option<&rayon::ThreadPool>,
    each: impl FnMut(FileResult) -> Result<(), E> + Send,
) -> Result<(), E>
where
    I: Send,
    W: Fn(I) -> FileResult + Sync,
    E: Send,
{
    // One file (the check of one document): read on the pool, so that a large file's text
    // is detected on a free thread of it while it is read (`handoff`). Whatever its size
    // in the walk: the file may have grown by the time it is opened, and its handoff must
    // then still take the pool's threads, not rayon's global ones (`-j`).
    let mut inputs = inputs.peekable();
    let Some(first) = inputs.next() else {
        return Ok(());
    };
    if inputs.peek().is_none() {
        let mut each = each;
        let report = match pool {
            Some(p) => p.install(|| work(first)),
            _ => work(first),
        };
        return each(report);
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
        Some(p) => p.in_place_scope(|scope| feed(scope, inputs, &size, work, s, permit_rx, o)),
        None => rayon::in_place_scope(|scope| feed(scope, inputs, &size, work, s, permit_rx, o)),
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

/// Starts work on each input as permits come in, the oldest first but for large files;
/// each hands its result on with its place in the input order.
fn feed<'s, I, W, F, E>(
    scope: &rayon::Scope<'s>,
    inputs: impl Iterator<Item = I>,
    size: &impl Fn(&I) -> Size,
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
    let mut ahead = Ahead::new(inputs, size);
    let mut held = 0;
    while ahead.draw_first() {
        // Inputs are drawn ahead while no permit is free (the scan is busy).
        while held == 0 {
            match permits.try_recv() {
                Ok(n) => held = n,
                Err(TryRecvError::Disconnected) => return, // `each` failed
                Err(TryRecvError::Empty) if ahead.draw() => {}
                Err(TryRecvError::Empty) => match permits.recv() {
                    Ok(n) => held = n,
                    Err(_) => return,
                },
            }
        }
        held -= 1;
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let (i, input) = ahead.next();
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

/// The inputs drawn and not started, in input order, and the large ones by size.
struct Ahead<I, T, S> {
    inputs: std::iter::Fuse<T>,
    size: S,
    /// From the oldest input not started (index `oldest`): each with the bytes it holds;
    /// `None` where one was started before its turn. The first is never `None`.
    queue: VecDeque<Option<(I, u64)>>,
    oldest: usize,
    /// The large inputs drawn, largest (then oldest) first; some may have started since.
    large: BinaryHeap<(u64, Reverse<usize>)>,
    /// Bytes the queued inputs hold.
    held: u64,
    /// Inputs started before their turn that the oldest has not reached yet.
    started_ahead: usize,
}

impl<I, T: Iterator<Item = I>, S: Fn(&I) -> Size> Ahead<I, T, S> {
    fn new(inputs: T, size: S) -> Self {
        Ahead {
            inputs: inputs.fuse(),
            size,
            queue: VecDeque::new(),
            oldest: 0,
            large: BinaryHeap::new(),
            held: 0,
            started_ahead: 0,
        }
    }

    /// Draws one more input if the lookahead has room: whether it did.
    fn draw(&mut self) -> bool {
        if self.queue.len() >= LOOKAHEAD || self.held > LOOKAHEAD_HELD {
            return false;
        }
        let Some(input) = self.inputs.next() else {
            return false;
        };
        let size = (self.size)(&input);
        self.held += size.held;
        self.queue.push_back(Some((input, size.held)));
        if size.file >= LARGE {
            let i = self.oldest + self.queue.len() - 1;
            self.large.push((size.file, Reverse(i)));
            // Entries of files since started, dropped now and then: the heap stays
            // within the lookahead's size.
            if self.large.len() > 2 * LOOKAHEAD {
                let (oldest, queue) = (self.oldest, &self.queue);
                self.large
                    .retain(|&(_, Reverse(i))| i >= oldest && queue[i - oldest].is_some());
            }
        }
        true
    }

    /// Whether an input waits to start (drawn now if none is).
    fn draw_first(&mut self) -> bool {
        !self.queue.is_empty() || self.draw()
    }

    /// The input to start now and its index: the largest large one while few have gone
    /// before their turn, else the oldest. Only after [`draw_first`](Self::draw_first).
    fn next(&mut self) -> (usize, I) {
        let mut at = 0;
        while let Some(&(_, Reverse(i))) = self.large.peek() {
            if i < self.oldest || self.queue[i - self.oldest].is_none() {
                self.large.pop(); // started since
                continue;
            }
            if i == self.oldest || self.started_ahead < AHEAD {
                self.large.pop();
                at = i - self.oldest;
            }
            break;
        }
        let i = self.oldest + at;
        let (input, held) = self.queue[at].take().expect("drawn, not started");
        self.held -= held;
        if at > 0 {
            self.started_ahead += 1;
            return (i, input);
        }
        self.queue.pop_front();
        self.oldest += 1;
        while let Some(None) = self.queue.front() {
            self.queue.pop_front();
            self.oldest += 1;
            self.started_ahead -= 1;
        }
        (i, input)
    }
}

#[cfg(test)]
pub(super) mod tests {
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

    /// No input is large.
    fn small(_: &Input) -> Size {
        Size::default()
    }

    /// A pool of `threads` threads (the handoff's tests use it too).
    pub(in crate::engine) fn pool(threads: usize) -> rayon::ThreadPool {
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
        in_order(inputs(n), small, &work, Some(&pool(4)), |r| {
            got.push(r.skipped.unwrap_or_default());
            Ok::<(), ()>(())
        })
        .unwrap();
        let want: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn a_lone_file_is_read_on_the_pool_whatever_its_size_in_the_walk() {
        // Its size may have grown past `LARGE` by the time it is opened: its handoff must
        // then find the pool's threads, not the global pool's (one more here).
        let n = rayon::current_num_threads() + 1;
        for size in [small as fn(&Input) -> Size, |_: &Input| Size {
            file: LARGE,
            held: 0,
        }] {
            let threads = std::sync::atomic::AtomicUsize::new(0);
            let on_pool = |input: Input| {
                threads.store(rayon::current_num_threads(), Ordering::SeqCst);
                work(input)
            };
            in_order(inputs(1), size, &on_pool, Some(&pool(n)), |_| {
                Ok::<(), ()>(())
            })
            .unwrap();
            assert_eq!(threads.load(Ordering::SeqCst), n);
        }
    }

    #[test]
    fn stops_at_the_first_error_without_waiting() {
        let mut calls = 0;
        let got = in_order(inputs(4 * WINDOW), small, &work, Some(&pool(3)), |_| {
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
                small,
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

    /// The index in an input's name (`f12`).
    fn index(input: &Input) -> usize {
        match input {
            Input::File(p, _) => p.to_string_lossy()[1..].parse().unwrap(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_large_file_starts_before_the_smaller_files_drawn_before_it() {
        // One thread: the window's first files start in order; the rest are drawn while
        // they run (the first waits until all are), and the last, large, goes first.
        let n = 2 * WINDOW;
        let drawn = AtomicBool::new(false);
        let all = inputs(n).chain(std::iter::from_fn(|| {
            drawn.store(true, Ordering::SeqCst);
            None
        }));
        let started = Mutex::new(Vec::new());
        let work = |input: Input| {
            let i = index(&input);
            while i == 0 && !drawn.load(Ordering::SeqCst) {
                std::thread::sleep(std::time::Duration::from_millis(1));
            }
            started.lock().unwrap().push(i);
            work(input)
        };
        let size = |input: &Input| Size {
            file: if index(input) == n - 1 { LARGE } else { 10 },
            held: 0,
        };
        let mut got = Vec::new();
        in_order(all, size, &work, Some(&pool(1)), |r| {
            got.push(r.skipped.unwrap_or_default());
            Ok::<(), ()>(())
        })
        .unwrap();
        let want: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        assert_eq!(got, want, "handed on in input order");
        let started = started.into_inner().unwrap();
        let first_after_window = started.iter().position(|&i| i >= WINDOW).unwrap();
        assert_eq!(started[first_after_window], n - 1, "{started:?}");
        assert_eq!(&started[..WINDOW], &(0..WINDOW).collect::<Vec<_>>()[..]);
    }

    #[test]
    fn inputs_all_large_start_once_each_and_never_more_than_allowed_ahead() {
        let n = 3 * LOOKAHEAD + 5;
        // Sizes in no order, many alike, every fourth file small.
        let size = |i: usize| match i % 4 {
            0 => 10,
            _ => LARGE + (i as u64 * 7919) % 13,
        };
        let mut ahead = Ahead::new(0..n, |&i: &usize| Size {
            file: size(i),
            held: 0,
        });
        let mut started = vec![false; n];
        let mut order = Vec::new();
        let mut round = 0;
        while ahead.draw_first() {
            // Draw a few between starts, as the feed does while the scan is busy.
            for _ in 0..round % 3 {
                ahead.draw();
            }
            round += 1;
            let (i, input) = ahead.next();
            assert_eq!(i, input);
            assert!(!started[i], "{i} started twice");
            started[i] = true;
            order.push(i);
            assert!(ahead.started_ahead <= AHEAD);
            assert!(ahead.queue.len() <= LOOKAHEAD && ahead.large.len() <= 2 * LOOKAHEAD + 1);
            assert!(ahead.queue.front().is_none_or(Option::is_some));
        }
        assert!(started.iter().all(|&s| s), "every input started");
        assert_ne!(order, (0..n).collect::<Vec<_>>(), "large files went ahead");
    }

    #[test]
    fn large_files_of_rising_size_keep_the_heap_bounded() {
        // Each file larger than the last: the newest always goes first, so those started
        // in their turn leave entries behind until the heap is pruned.
        let n = 12 * LOOKAHEAD;
        let mut ahead = Ahead::new(0..n, |&i: &usize| Size {
            file: LARGE + i as u64,
            held: 0,
        });
        let mut started = vec![false; n];
        while ahead.draw_first() {
            while ahead.draw() {}
            let (i, _) = ahead.next();
            assert!(!std::mem::replace(&mut started[i], true));
            assert!(ahead.large.len() <= 2 * LOOKAHEAD + 1);
        }
        assert!(started.iter().all(|&s| s));
    }

    #[test]
    fn many_large_files_on_many_threads_hand_on_in_order() {
        let n = 2 * LOOKAHEAD + 3 * WINDOW;
        let size = |input: &Input| Size {
            file: if index(input).is_multiple_of(3) {
                10
            } else {
                LARGE + index(input) as u64 % 5
            },
            held: 0,
        };
        let mut got = Vec::new();
        in_order(inputs(n), size, &work, Some(&pool(3)), |r| {
            got.push(r.skipped.unwrap_or_default());
            Ok::<(), ()>(())
        })
        .unwrap();
        let want: Vec<String> = (0..n).map(|i| format!("f{i}")).collect();
        assert_eq!(got, want);
    }
}
