//! Replications on threads: the one place that runs many of them.
//!
//! Replications are independent (each has its own actor system, its own
//! random streams, its own sinks), so they parallelise perfectly; what
//! needs care is everything around that: results back in replication
//! order whatever thread ran them, a stop flag that every replication
//! watches (Ctrl-C, or the first failure), and a failure that says which
//! replication failed and why. `omnisim run`, `sweep`, `plan`, `validate`
//! and `bench` all run their replications through [`Runner`].
//!
//! # Example
//!
//! ```
//! use omnisim_core::engine::{run_replication, RunOptions};
//! use omnisim_core::runner::Runner;
//! use omnisim_core::stats::MetricsCollector;
//! use omnisim_core::workload::day;
//! use std::sync::Arc;
//!
//! let scenario = Arc::new(day(5, 1));
//! let offered = Runner::new(2)
//!     .run(&[0u32, 1, 2], |&replication, stop| {
//!         let mut metrics = MetricsCollector::new(&scenario);
//!         let outcome = run_replication(
//!             scenario.clone(),
//!             &mut [&mut metrics],
//!             RunOptions { replication, stop: Some(stop.clone()), ..Default::default() },
//!         );
//!         outcome.check(&scenario)?;
//!         Ok(metrics.into_result().overall.offered)
//!     })
//!     .expect("nothing failed");
//! assert_eq!(offered.len(), 3);
//! ```

use crate::engine::RunOutcome;
use crate::kernel::panic::panic_message;
use crate::scenario::Scenario;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// Why a batch of replications did not give its results.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[must_use]
pub enum RunError {
    /// Simulated time stopped advancing: so many entries at one instant
    /// that behaviours must be answering each other instantly in a loop.
    #[error(
        "replication {replication} stopped at {at}: simulated time no longer advances \
         (over a million events at one instant); agents are probably answering pushes \
         with zero response time in a decline loop; give them a response_time"
    )]
    Stalled {
        /// The replication that stalled.
        replication: u32,
        /// The clock time it stalled at, as the day's clock writes it.
        at: String,
    },
    /// The stop flag was set (Ctrl-C, or a failure elsewhere) before every
    /// replication ended.
    #[error("interrupted")]
    Interrupted,
    /// Code inside a replication panicked: an actor's handler, a routing
    /// policy, a behaviour, a sink.
    #[error("replication {replication}: {message}")]
    Panicked {
        /// The replication that panicked.
        replication: u32,
        /// What panicked, and its message.
        message: String,
    },
    /// A replication's own work failed (a file it writes, say).
    #[error("{0}")]
    Failed(String),
}

impl RunOutcome {
    /// The outcome as a result: a stall, an interruption or a contained
    /// panic become the [`RunError`] that says so. Every caller that runs
    /// replications treats them alike through this.
    pub fn check(&self, scenario: &Scenario) -> Result<(), RunError> {
        if let Some(p) = &self.panic {
            return Err(RunError::Panicked {
                replication: self.replication,
                message: p.to_string(),
            });
        }
        if let Some(t) = self.stalled_at {
            return Err(RunError::Stalled {
                replication: self.replication,
                at: scenario.simulation.clock().label_ms(t),
            });
        }
        if self.interrupted {
            return Err(RunError::Interrupted);
        }
        Ok(())
    }
}

/// A task of a batch that names the replication it runs, so that a panic
/// escaping it (from a sink, say) can be reported against it.
pub trait Replication: Sync {
    /// The replication number.
    fn replication(&self) -> u32;
}

impl Replication for u32 {
    fn replication(&self) -> u32 {
        *self
    }
}

impl<P: Sync> Replication for (P, u32) {
    fn replication(&self) -> u32 {
        self.1
    }
}

/// Runs batches of replications on up to `jobs` threads.
#[derive(Clone, Debug)]
pub struct Runner {
    jobs: usize,
    stop: Arc<AtomicBool>,
}

impl Runner {
    /// A runner of `jobs` threads (at least one) with a stop flag of its
    /// own.
    pub fn new(jobs: usize) -> Runner {
        Runner {
            jobs: jobs.max(1),
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// The same runner watching `stop` (a signal handler's flag): setting
    /// it stops every replication, and a failing replication sets it.
    pub fn with_stop(mut self, stop: Arc<AtomicBool>) -> Runner {
        self.stop = stop;
        self
    }

    /// The flag every replication must watch (pass it as
    /// `RunOptions::stop`).
    pub fn stop(&self) -> &Arc<AtomicBool> {
        &self.stop
    }

    /// Threads used at most.
    pub fn jobs(&self) -> usize {
        self.jobs
    }

    /// Runs `task` once for each of `tasks`, up to `jobs` at a time, and
    /// returns their values in the order of `tasks`.
    ///
    /// The first failure sets the stop flag, so the others end early; the
    /// error returned is then the failure of the first task in order that
    /// did not merely see the flag. A panic in `task` is caught and
    /// reported as [`RunError::Panicked`] against its replication. When
    /// the flag was set from outside and some task never ran or was cut
    /// short, the error is [`RunError::Interrupted`].
    pub fn run<I, T, F>(&self, tasks: &[I], task: F) -> Result<Vec<T>, RunError>
    where
        I: Replication,
        T: Send,
        F: Fn(&I, &Arc<AtomicBool>) -> Result<T, RunError> + Sync,
    {
        let slots: Vec<Mutex<Option<Result<T, RunError>>>> =
            tasks.iter().map(|_| Mutex::new(None)).collect();
        let next = AtomicUsize::new(0);
        let worker = || loop {
            let k = next.fetch_add(1, Ordering::SeqCst);
            let Some(item) = tasks.get(k) else { break };
            if self.stop.load(Ordering::SeqCst) {
                break;
            }
            let result = catch_unwind(AssertUnwindSafe(|| task(item, &self.stop))).unwrap_or_else(
                |payload| {
                    Err(RunError::Panicked {
                        replication: item.replication(),
                        message: panic_message(payload.as_ref()),
                    })
                },
            );
            if matches!(&result, Err(e) if *e != RunError::Interrupted) {
                self.stop.store(true, Ordering::SeqCst);
            }
            // A slot's lock is only ever taken here and below, never
            // across a panic, so it cannot be poisoned.
            *slots[k].lock().unwrap_or_else(|p| p.into_inner()) = Some(result);
        };
        let threads = self.jobs.min(tasks.len()).max(1);
        if threads == 1 {
            worker();
        } else {
            std::thread::scope(|scope| {
                for _ in 0..threads {
                    scope.spawn(worker);
                }
            });
        }
        let results: Vec<Option<Result<T, RunError>>> = slots
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner()))
            .collect();
        let mut interrupted = false;
        let mut values = Vec::with_capacity(results.len());
        for r in results {
            match r {
                Some(Ok(v)) => values.push(v),
                Some(Err(RunError::Interrupted)) | None => interrupted = true,
                Some(Err(e)) => return Err(e),
            }
        }
        if interrupted {
            return Err(RunError::Interrupted);
        }
        Ok(values)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_task_order_whatever_the_threads() {
        let tasks: Vec<u32> = (0..40).collect();
        for jobs in [1, 2, 7] {
            let got = Runner::new(jobs).run(&tasks, |&r, _| Ok(r * 10)).unwrap();
            assert_eq!(got, tasks.iter().map(|r| r * 10).collect::<Vec<_>>());
        }
    }

    #[test]
    fn the_first_real_failure_wins_over_the_interruptions_it_caused() {
        let tasks: Vec<u32> = (0..20).collect();
        let err = Runner::new(2)
            .run(&tasks, |&r, stop| {
                if r == 5 {
                    return Err(RunError::Failed("disk full".into()));
                }
                if stop.load(Ordering::SeqCst) {
                    return Err(RunError::Interrupted);
                }
                Ok(r)
            })
            .unwrap_err();
        assert_eq!(err, RunError::Failed("disk full".into()));
    }

    #[test]
    fn a_panicking_task_is_reported_against_its_replication() {
        let tasks: Vec<(&str, u32)> = vec![("a", 0), ("b", 1), ("c", 2)];
        let err = Runner::new(2)
            .run(&tasks, |&(_, r), _| {
                if r == 1 {
                    panic!("sink broke");
                }
                Ok(r)
            })
            .unwrap_err();
        assert_eq!(
            err,
            RunError::Panicked {
                replication: 1,
                message: "sink broke".into()
            }
        );
    }

    #[test]
    fn a_flag_set_from_outside_interrupts() {
        let runner = Runner::new(1);
        runner.stop().store(true, Ordering::SeqCst);
        assert_eq!(
            runner.run(&[0u32, 1], |&r, _| Ok(r)),
            Err(RunError::Interrupted)
        );
    }
}
