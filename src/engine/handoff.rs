//! A large file's text detected on a free thread of the pool while the file is read: the
//! reader hands its batches on and goes on reading, the free thread detects them in order.
//! Without this a large workbook runs alone on one thread at the end of a scan, with
//! reading (inflating, parsing) and detection each about half of its time (issue 23).
//!
//! Part of a batch's detection needs nothing of the document's state (what long texts
//! hold, `FindAhead`): while the free thread is busy, the reader does that part of each new
//! batch before handing it on, so the two share the work whichever is slower (on the
//! pathology set's long workbook they then take about half each; with the part left to
//! the free thread, 60 against 40 %).
//!
//! No thread waits for another to have work: a thread takes batches only while some are
//! waiting. When more than a few wait, the reader waits for room while a thread is taking
//! them, and detects the oldest itself when none is (no thread free, or the job not
//! started yet): it never waits on work that may not run. Whoever holds the sink takes the
//! oldest batch, so the sink gets every batch in the order it was made, on whatever
//! thread. At the end the reader waits for running jobs itself (`Front::close`): a pool
//! thread waiting in rayon runs other jobs meanwhile, other files among them, on its
//! stack; the memory gate lets such a file through (`Gate::pass`). A panic in detection
//! ends the read at its next batch.

use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};

use crate::model::Flags;
use crate::read::text::{Batch, Piece, Sink};

/// Batches waiting at most (a batch holds up to 1 MB of text): memory stays bounded.
const WAITING: usize = 4;

/// A sink part of whose work on a batch needs nothing of its state: that part can be done
/// ahead, on another thread, while the sink works on earlier batches.
pub trait FindAhead: Sink {
    /// What that part finds.
    type Found: Send;
    /// What finds it, apart from the sink and shared between threads.
    type Finder: Sync;
    fn finder(&self) -> Self::Finder;
    fn find(finder: &Self::Finder, b: &Batch<'_>) -> Self::Found;
    /// Takes a batch with what was found ahead in it: the same as `batch`.
    fn batch_found(&mut self, b: &Batch<'_>, found: Self::Found);
}

/// Runs `read` on a `large` file with a sink that hands its batches to `sink`, in order, on
/// this thread or on a free thread of the current rayon pool (outside a pool, the global
/// one, as a scan of several files would use). A small file, or a pool of one thread, has
/// `read` get `sink` itself.
pub fn read<S: FindAhead + Send, T>(
    sink: &mut S,
    large: bool,
    read: impl FnOnce(&mut dyn Sink) -> T,
) -> T {
    if !large || rayon::current_num_threads() < 2 {
        return read(sink);
    }
    let every_number = sink.every_number();
    let finder = sink.finder();
    let shared = Shared {
        sink: Mutex::new(sink),
        waiting: Mutex::new(Waiting {
            batches: VecDeque::new(),
            jobs: 0,
            running: 0,
            closed: false,
        }),
        room: Condvar::new(),
        spare: Mutex::new(Vec::new()),
    };
    rayon::in_place_scope(|scope| {
        let mut front = Front {
            shared: &shared,
            scope,
            every_number,
            finder,
        };
        let out = read(&mut front);
        front.catch_up();
        front.close();
        out
    })
}

/// A batch waiting, with its pieces and what was found ahead in it.
struct Owned<F> {
    part: String,
    flags: Flags,
    pieces: Vec<Piece>,
    passed_over: Option<Flags>,
    found: Option<F>,
}

struct Waiting<F> {
    batches: VecDeque<Owned<F>>,
    /// Jobs to take them queued or running on the pool, and of those running.
    jobs: usize,
    running: usize,
    /// The read is over: a job that starts now has nothing to do.
    closed: bool,
}

struct Shared<'s, S: FindAhead> {
    /// Held while a batch is detected: batches reach the sink one at a time.
    sink: Mutex<&'s mut S>,
    waiting: Mutex<Waiting<S::Found>>,
    /// Signalled when a batch is taken, or a job ends.
    room: Condvar,
    /// Vectors of batches done, for the reader's next ones.
    spare: Mutex<Vec<Vec<Piece>>>,
}

impl<S: FindAhead> Shared<'_, S> {
    /// Detects the oldest batch waiting when more than `keep` wait; whether it did. A job
    /// (`job`) is over when none waits, or when detection failed on another thread.
    fn next(&self, keep: usize, job: bool) -> bool {
        let mut sink = self.sink.lock().unwrap_or_else(|e| {
            // The sink panicked on another thread: the file fails, at once.
            if !job {
                panic!("detection failed on another thread");
            }
            e.into_inner()
        });
        let batch = {
            let mut waiting = lock(&self.waiting);
            if waiting.batches.len() <= keep || job && self.sink.is_poisoned() {
                if job {
                    waiting.jobs -= 1;
                    waiting.running -= 1;
                    self.room.notify_all();
                }
                return false;
            }
            waiting.batches.pop_front()
        };
        self.room.notify_all();
        let Some(b) = batch else {
            return false;
        };
        let batch = Batch {
            part: &b.part,
            flags: b.flags,
            pieces: &b.pieces,
            passed_over: b.passed_over,
        };
        match b.found {
            Some(found) => sink.batch_found(&batch, found),
            None => sink.batch(&batch),
        }
        drop(sink);
        let mut pieces = b.pieces;
        pieces.clear();
        let mut spare = lock(&self.spare);
        if spare.len() < WAITING {
            spare.push(pieces);
        }
        true
    }
}

/// The sink the reader gets.
struct Front<'a, 's, 'scope, S: FindAhead> {
    shared: &'scope Shared<'s, S>,
    scope: &'a rayon::Scope<'scope>,
    every_number: bool,
    finder: S::Finder,
}

impl<S: FindAhead + Send> Front<'_, '_, '_, S> {
    /// Detects every batch waiting, on this thread (what a job has taken, it finishes).
    fn catch_up(&self) {
        while self.shared.next(0, false) {}
    }

    /// Ends the read: a job not started yet will find nothing to do, and this thread waits
    /// (not in rayon) for the jobs running to end. Rayon's wait at the scope's end then has
    /// next to nothing left to wait for: while it waits, a pool thread runs other jobs,
    /// which could be other files, on this file's stack (see `Gate`).
    fn close(&self) {
        let mut waiting = lock(&self.shared.waiting);
        waiting.closed = true;
        while waiting.running > 0 {
            waiting = (self.shared.room)
                .wait(waiting)
                .unwrap_or_else(PoisonError::into_inner);
        }
    }
}

impl<S: FindAhead + Send> Sink for Front<'_, '_, '_, S> {
    /// A batch lent, not given: detected here, after those waiting.
    fn batch(&mut self, b: &Batch<'_>) {
        self.catch_up();
        lock(&self.shared.sink).batch(b);
    }

    fn batch_of(
        &mut self,
        part: &str,
        flags: Flags,
        pieces: Vec<Piece>,
        passed_over: Option<Flags>,
    ) -> Vec<Piece> {
        // The free thread is busy: what needs nothing of the sink's state is found here.
        let busy = lock(&self.shared.waiting).running > 0;
        let found = busy.then(|| {
            let b = Batch {
                part,
                flags,
                pieces: &pieces,
                passed_over,
            };
            S::find(&self.finder, &b)
        });
        let start_job = {
            let mut waiting = lock(&self.shared.waiting);
            waiting.batches.push_back(Owned {
                part: part.to_string(),
                flags,
                pieces,
                passed_over,
                found,
            });
            let start = waiting.jobs == 0;
            waiting.jobs += usize::from(start);
            start
        };
        let shared = self.shared;
        if start_job {
            self.scope.spawn(move |_| {
                if let Some(_running) = Running::start(shared) {
                    while shared.next(0, true) {}
                }
            });
        }
        // Room for the next batch: made by the job while it runs, else by the reader.
        let mut waiting = lock(&shared.waiting);
        while waiting.batches.len() > WAITING && waiting.running > 0 {
            waiting = shared
                .room
                .wait(waiting)
                .unwrap_or_else(PoisonError::into_inner);
        }
        drop(waiting);
        while shared.next(WAITING, false) {}
        lock(&self.shared.spare).pop().unwrap_or_default()
    }

    fn every_number(&self) -> bool {
        self.every_number
    }
}

/// A job's run, counted from its start until it ends: by its last batch (`next` counts
/// it out), or by a panic (counted out here: the reader must not wait for it then).
struct Running<'a, 's, S: FindAhead>(&'a Shared<'s, S>);

impl<'a, 's, S: FindAhead> Running<'a, 's, S> {
    /// `None` when the read is over: the job ends at once.
    fn start(shared: &'a Shared<'s, S>) -> Option<Self> {
        let mut waiting = lock(&shared.waiting);
        if waiting.closed {
            waiting.jobs -= 1;
            shared.room.notify_all();
            return None;
        }
        waiting.running += 1;
        Some(Running(shared))
    }
}

impl<S: FindAhead> Drop for Running<'_, '_, S> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            let mut waiting = lock(&self.0.waiting);
            waiting.jobs -= 1;
            waiting.running -= 1;
            self.0.room.notify_all();
        }
    }
}

/// A lock whose holder panicked is still good: the panic ends the file anyway (the scope
/// passes it on), and the reader must not panic a second time on the way.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::thread::{self, ThreadId};
    use std::time::Duration;

    use super::*;
    use crate::engine::order::tests::pool;
    use crate::model::Kind;
    use crate::read::text::Place;

    /// What a sink got: each piece's text in order, the threads batches came on, and how
    /// many came with what was found ahead in them.
    #[derive(Default)]
    struct Got {
        texts: Vec<String>,
        threads: Vec<ThreadId>,
        found_ahead: usize,
        panic_at: Option<usize>,
    }

    /// Found ahead: the batch's first text, to be given back with that batch.
    impl FindAhead for Got {
        type Found = String;
        type Finder = ();
        fn finder(&self) {}
        fn find(_: &(), b: &Batch<'_>) -> String {
            b.pieces[0].text.to_string()
        }
        fn batch_found(&mut self, b: &Batch<'_>, found: String) {
            assert_eq!(
                found,
                b.pieces[0].text.to_string(),
                "found ahead in another batch"
            );
            self.found_ahead += 1;
            self.batch(b);
        }
    }

    impl Sink for Got {
        fn batch(&mut self, b: &Batch<'_>) {
            // Once: a later batch would be read again.
            if self.panic_at == Some(self.texts.len()) {
                self.panic_at = None;
                panic!("a sink's bug");
            }
            self.texts
                .extend(b.pieces.iter().map(|p| p.text.to_string()));
            self.threads.push(thread::current().id());
            // Detection takes time: a free thread takes batches meanwhile.
            thread::sleep(Duration::from_micros(300));
        }
    }

    /// Hands `n` batches of one piece each to `sink`, every seventh one lent.
    fn emit(sink: &mut dyn Sink, n: usize) -> ThreadId {
        let area: Arc<str> = "".into();
        for i in 0..n {
            let piece = Piece::new(
                i.to_string(),
                Kind::Body,
                &area,
                Place::Cell { row: 1, col: 1 },
            );
            if i % 7 == 0 {
                sink.batch(&Batch {
                    part: "p",
                    flags: Flags::NONE,
                    pieces: &[piece],
                    passed_over: None,
                });
            } else {
                sink.batch_of("p", Flags::NONE, vec![piece], None);
            }
        }
        thread::current().id()
    }

    #[test]
    fn batches_reach_the_sink_in_order_on_a_free_thread() {
        let n = 300;
        let want: Vec<String> = (0..n).map(|i| i.to_string()).collect();
        for threads in [1, 2, 3] {
            let mut got = Got::default();
            let reader = pool(threads).install(|| read(&mut got, true, |sink| emit(sink, n)));
            assert_eq!(got.texts, want, "{threads} threads");
            let elsewhere = got.threads.iter().filter(|&&t| t != reader).count();
            if threads == 1 {
                assert_eq!((elsewhere, got.found_ahead), (0, 0));
            } else {
                assert!(
                    elsewhere > 0,
                    "{threads} threads: all batches on the reader's"
                );
                // The sink is slower than the reader: the reader finds ahead.
                assert!(
                    got.found_ahead > 0,
                    "{threads} threads: nothing found ahead"
                );
            }
        }
        // Outside a pool: the global pool's threads (of which there may be one).
        let mut got = Got::default();
        read(&mut got, true, |sink| emit(sink, 20));
        assert_eq!(got.texts, want[..20]);
    }

    #[test]
    fn a_panic_in_the_sink_ends_the_read_at_once_without_a_hang() {
        let n = 3_000;
        for at in [0, 5, 150] {
            let emitted = std::sync::atomic::AtomicUsize::new(0);
            let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                let mut got = Got {
                    panic_at: Some(at),
                    ..Got::default()
                };
                pool(2).install(|| {
                    read(&mut got, true, |sink| {
                        let area: Arc<str> = "".into();
                        for i in 0..n {
                            let place = Place::Cell { row: 1, col: 1 };
                            let piece = Piece::new(i.to_string(), Kind::Body, &area, place);
                            sink.batch_of("p", Flags::NONE, vec![piece], None);
                            emitted.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        }
                    })
                });
            }));
            assert!(caught.is_err(), "panic at {at}");
            // Not read on to the end: a few batches more than were waiting, at most.
            let emitted = emitted.into_inner();
            assert!(
                emitted < at + 2 * WAITING + 8,
                "panic at {at}: {emitted} emitted"
            );
        }
    }
}
