//! argon2 on a fixed set of threads behind a bounded queue. Each hash or
//! verification takes 19 MiB for tens of milliseconds: on tokio's blocking pool
//! (up to 512 threads) 300 concurrent failed logins took the server to 4 GB, and
//! each thread's allocator arena kept its share afterwards. Here at most
//! `threads` run at once, each thread in the one [`Memory`] it keeps, and at most
//! `queue` more wait; a caller beyond that is told at once to come back later.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::anyhow;
use tokio::sync::{oneshot, OwnedSemaphorePermit, Semaphore};

use super::Memory;

/// Waiting hashes per thread when the queue is not configured.
pub const DEFAULT_QUEUE_PER_THREAD: usize = 16;
/// What a caller turned away is told to wait: a queue drains in well under a second.
pub const RETRY_AFTER: Duration = Duration::from_secs(1);

type Job = Box<dyn FnOnce(&mut Memory) + Send>;

/// The pool; clones share it. Its threads end when the last clone is dropped.
#[derive(Clone)]
pub struct HashingPool(Arc<Inner>);

struct Inner {
    /// One permit per job running or waiting.
    places: Arc<Semaphore>,
    jobs: SyncSender<Job>,
    threads: usize,
    queue: usize,
    completed: Arc<AtomicU64>,
}

/// Every thread and every place in the queue is taken.
#[derive(Debug)]
pub struct Busy;

/// A place in the pool, held from before the work is known (the account lookup)
/// until the job it runs is done.
pub struct Place {
    permit: OwnedSemaphorePermit,
    jobs: SyncSender<Job>,
    completed: Arc<AtomicU64>,
}

impl HashingPool {
    /// `threads` argon2 threads (at least one) and `queue` jobs waiting for them.
    pub fn new(threads: usize, queue: usize) -> Self {
        let threads = threads.max(1);
        let (jobs, waiting) = sync_channel::<Job>(threads + queue);
        let waiting = Arc::new(Mutex::new(waiting));
        for n in 0..threads {
            let waiting = waiting.clone();
            std::thread::Builder::new()
                .name(format!("argon2-{n}"))
                .spawn(move || work(&waiting))
                .expect("an argon2 thread starts");
        }
        HashingPool(Arc::new(Inner {
            places: Arc::new(Semaphore::new(threads + queue)),
            jobs,
            threads,
            queue,
            completed: Arc::new(AtomicU64::new(0)),
        }))
    }

    /// One thread per CPU, each with [`DEFAULT_QUEUE_PER_THREAD`] waiting.
    pub fn per_cpu() -> Self {
        let cpus = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
        HashingPool::new(cpus, cpus * DEFAULT_QUEUE_PER_THREAD)
    }

    /// A place for one job, or [`Busy`] at once.
    pub fn reserve(&self) -> Result<Place, Busy> {
        let permit = self.0.places.clone().try_acquire_owned().map_err(|_| Busy)?;
        Ok(Place { permit, jobs: self.0.jobs.clone(), completed: self.0.completed.clone() })
    }

    pub fn threads(&self) -> usize {
        self.0.threads
    }

    pub fn queue(&self) -> usize {
        self.0.queue
    }

    /// Jobs run to their end since the pool started.
    pub fn completed(&self) -> u64 {
        self.0.completed.load(Ordering::Relaxed)
    }
}

impl Place {
    /// Runs `job` on a pool thread. The place is given back when the job ends,
    /// even if the caller stopped waiting for it: the thread was busy all the same.
    pub async fn run<T: Send + 'static>(
        self,
        job: impl FnOnce(&mut Memory) -> T + Send + 'static,
    ) -> anyhow::Result<T> {
        let (answer, answered) = oneshot::channel();
        let Place { permit, jobs, completed } = self;
        let job: Job = Box::new(move |memory| {
            let result = job(memory);
            completed.fetch_add(1, Ordering::Relaxed);
            drop(permit);
            let _ = answer.send(result);
        });
        // Never full: the channel holds as many jobs as there are places.
        jobs.try_send(job).map_err(|_| anyhow!("the argon2 threads are gone"))?;
        answered.await.map_err(|_| anyhow!("an argon2 job panicked"))
    }
}

fn work(waiting: &Mutex<Receiver<Job>>) {
    let mut memory = Memory::default();
    loop {
        let next = waiting.lock().expect("the queue's lock is never poisoned").recv();
        let Ok(job) = next else {
            return;
        };
        // A panicking job must not take a thread out of the pool.
        let _ = catch_unwind(AssertUnwindSafe(|| job(&mut memory)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn beyond_the_threads_and_the_queue_a_caller_is_turned_away_at_once() {
        let pool = HashingPool::new(1, 1);
        let (release, released) = std::sync::mpsc::channel::<()>();
        let running = pool.reserve().unwrap().run(move |_| released.recv().is_ok());
        let running = tokio::spawn(running);
        let waiting = pool.reserve().unwrap();
        assert!(pool.reserve().is_err(), "one running and one waiting fill a pool of 1 + 1");
        drop(waiting);
        let again = pool.reserve().expect("a place given back is free again");
        release.send(()).unwrap();
        assert!(running.await.unwrap().unwrap());
        assert_eq!(again.run(|_| 7).await.unwrap(), 7);
        assert_eq!(pool.completed(), 2);
    }

    #[tokio::test]
    async fn a_panicking_job_keeps_its_thread() {
        let pool = HashingPool::new(1, 0);
        assert!(pool.reserve().unwrap().run(|_| panic!("on purpose")).await.is_err());
        assert_eq!(pool.reserve().unwrap().run(|_| 1).await.unwrap(), 1);
    }
}
