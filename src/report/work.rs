//! Streaming `work.csv` into the three figures that need item-level data:
//! queue length over time, the distribution of waits, and agent busy time
//! per interval.
//!
//! `work.csv` holds one row per item of every replication and can run to
//! millions of rows, so it is read one record at a time into fixed-size
//! accumulators: memory depends on the number of queues, agents, bins and
//! distinct waits (at 0.1 s resolution), never on the number of rows.
//! Sums are taken in file order, so the same file gives the same bits.

use super::data::{index, num, opt_num, Interval, Table};
use super::ReportError;
use std::collections::BTreeMap;
use std::path::Path;

/// Waits are recorded in tenths of a second: fine enough for thresholds of
/// a few seconds, coarse enough that the number of distinct keys stays
/// small (a day of waits is at most 864,000 keys, usually a few hundred).
pub(crate) const WAIT_TICKS_PER_S: f64 = 10.0;

/// A column `work.csv` may gain: when an abandoned item left the queue.
/// Without it the queue length cannot include abandoned items (see
/// [`WorkStats::abandon_time_known`]).
pub(crate) const ABANDON_COLUMN: &str = "abandon_s";

/// The `final_status` of an item every available agent declined; its
/// `close_s` is when it was ended, so it leaves the queue then.
pub(crate) const ENDED_NO_AGENT: &str = "ended_no_agent";

/// What to accumulate: the layout fixed by the small files.
#[derive(Debug)]
pub(crate) struct WorkLayout<'a> {
    /// Queue names in summary order.
    pub queues: &'a [String],
    /// Each queue's capacity pool ([`crate::omni::CapacityPool::index`]),
    /// in the same order: busy time is kept per pool.
    pub queue_pools: &'a [usize],
    /// Number of agents in `agents.csv`.
    pub agents: usize,
    /// Replications in `summary.json`.
    pub replications: u64,
    /// The measured window `[start, end)` \[s since run start\].
    pub window: (f64, f64),
    /// Width of a queue-length bin \[s\].
    pub bin_s: f64,
    /// Reporting intervals, from `intervals.csv`.
    pub intervals: &'a [Interval],
}

/// The accumulated figures, already averaged over replications.
#[derive(Debug)]
pub(crate) struct WorkStats {
    /// `queue_len[q][b]`: time-averaged number of queue `q`'s items that
    /// had arrived and were not yet accepted (nor abandoned) during bin
    /// `b`, mean over replications.
    pub queue_len: Vec<Vec<f64>>,
    /// Whether abandoned items count in `queue_len` (only if `work.csv`
    /// says when they abandoned).
    pub abandon_time_known: bool,
    /// `waits[q]`: answered measured items of queue `q` by arrival →
    /// accept time in ticks of 1/[`WAIT_TICKS_PER_S`] s (summed over
    /// replications, not averaged, to keep exact counts).
    pub waits: Vec<BTreeMap<u64, u64>>,
    /// `busy[a][p][i]`: seconds of interval `i` during which agent `a`
    /// held accepted items of pool `p` (one second per item held), mean
    /// over replications.
    pub busy: Vec<[Vec<f64>; 2]>,
    /// `busy_window[a][p]`: the same over the whole measured window.
    pub busy_window: Vec<[f64; 2]>,
    /// Rows read (items of all replications).
    pub rows: u64,
}

/// Column positions of `work.csv`.
struct Columns {
    replication: usize,
    queue: usize,
    arrival: usize,
    accept: usize,
    close: usize,
    agent: usize,
    status: usize,
    measured: usize,
    abandon: Option<usize>,
}

/// Adds the overlap of `[a, b)` with each bin of a uniform grid starting
/// at `origin` (bins of `width`, the grid clipped at `end`) to `bins`, in
/// seconds.
fn add_span(bins: &mut [f64], origin: f64, width: f64, end: f64, a: f64, b: f64) {
    let (a, b) = (a.max(origin), b.min(end));
    if b <= a || bins.is_empty() {
        return;
    }
    let first = (((a - origin) / width).floor() as usize).min(bins.len() - 1);
    let last = (((b - origin) / width).ceil() as usize).min(bins.len());
    for (i, bin) in bins.iter_mut().enumerate().take(last).skip(first) {
        let lo = origin + i as f64 * width;
        let hi = (lo + width).min(end);
        let overlap = b.min(hi) - a.max(lo);
        if overlap > 0.0 {
            *bin += overlap;
        }
    }
}

/// Adds the overlap of `[a, b)` with each (contiguous, sorted) interval.
fn add_intervals(bins: &mut [f64], intervals: &[Interval], a: f64, b: f64) {
    // Intervals are few (hundreds at most) but items many: skip to the
    // first interval that can overlap by binary search.
    let start = intervals.partition_point(|iv| iv.end_s <= a);
    for (bin, iv) in bins.iter_mut().zip(intervals).skip(start) {
        if iv.start_s >= b {
            break;
        }
        let overlap = b.min(iv.end_s) - a.max(iv.start_s);
        if overlap > 0.0 {
            *bin += overlap;
        }
    }
}

/// Number of queue-length bins for a window of `duration_s` in bins of
/// `bin_s` (the last one may be shorter).
pub(crate) fn bin_count(duration_s: f64, bin_s: f64) -> usize {
    ((duration_s / bin_s).ceil() as usize).max(1)
}

/// Reads `work.csv` at `path` into [`WorkStats`].
pub(crate) fn read_work(path: &Path, layout: &WorkLayout<'_>) -> Result<WorkStats, ReportError> {
    let (t, mut reader) = Table::open(path)?;
    let cols = Columns {
        replication: t.column("replication")?,
        queue: t.column("queue")?,
        arrival: t.column("arrival_s")?,
        accept: t.column("accept_s")?,
        close: t.column("close_s")?,
        agent: t.column("agent")?,
        status: t.column("final_status")?,
        measured: t.column("measured")?,
        abandon: t.optional_column(ABANDON_COLUMN),
    };
    let (w0, w1) = layout.window;
    let nq = layout.queues.len();
    let nbins = bin_count(w1 - w0, layout.bin_s);
    let mut queue_len = vec![vec![0.0; nbins]; nq];
    let mut waits = vec![BTreeMap::new(); nq];
    let empty = vec![0.0; layout.intervals.len()];
    let mut busy = vec![[empty.clone(), empty]; layout.agents];
    let mut busy_window = vec![[0.0; 2]; layout.agents];

    // Rows of one queue come in runs; remembering the last lookup avoids
    // a string search per row in the common case.
    let mut last_queue: Option<(String, usize)> = None;
    let rows = t.each_row(&mut reader, |line, record| {
        let get = |c: usize| record.get(c).unwrap_or("");

        let rep = index(&t, line, "replication", get(cols.replication))?;
        if rep as u64 >= layout.replications {
            return Err(t.bad_row(
                line,
                format!(
                    "replication {rep}, but summary.json has {} replications",
                    layout.replications
                ),
            ));
        }
        let qname = get(cols.queue);
        let q = match &last_queue {
            Some((name, q)) if name == qname => *q,
            _ => {
                let q = layout
                    .queues
                    .iter()
                    .position(|n| n == qname)
                    .ok_or_else(|| {
                        t.bad_row(
                            line,
                            format!("queue `{qname}` is not one of the queues of summary.json"),
                        )
                    })?;
                last_queue = Some((qname.to_string(), q));
                q
            }
        };
        let arrival = num(&t, line, "arrival_s", get(cols.arrival))?;
        let accept = opt_num(&t, line, "accept_s", get(cols.accept))?;
        let close = opt_num(&t, line, "close_s", get(cols.close))?;
        let status = get(cols.status);
        let measured = match get(cols.measured) {
            "true" => true,
            "false" => false,
            other => return Err(t.bad_cell(line, "measured", other, "`true` or `false`")),
        };

        // Queue length: from arrival until accepted, abandoned, ended with
        // no agent (its `close_s`), or the end of the run for items still
        // waiting.
        let left_queue = match (accept, status) {
            (Some(a), _) => Some(a),
            (None, "abandoned") => match cols.abandon {
                Some(c) => opt_num(&t, line, ABANDON_COLUMN, get(c))?,
                None => None,
            },
            (None, ENDED_NO_AGENT) => close,
            (None, _) => Some(w1),
        };
        if let Some(end) = left_queue {
            add_span(&mut queue_len[q], w0, layout.bin_s, w1, arrival, end);
        }

        if let Some(a) = accept {
            if measured {
                let ticks = ((a - arrival).max(0.0) * WAIT_TICKS_PER_S).floor() as u64;
                *waits[q].entry(ticks).or_insert(0) += 1;
            }
            let agent_text = get(cols.agent);
            if !agent_text.is_empty() {
                let agent = index(&t, line, "agent", agent_text)?;
                if agent >= layout.agents {
                    return Err(t.bad_row(
                        line,
                        format!(
                            "agent {agent}, but agents.csv lists {} agents",
                            layout.agents
                        ),
                    ));
                }
                // Accepted work is held until close, or to the end of the
                // run for items still in progress.
                let until = close.unwrap_or(w1);
                let p = layout.queue_pools.get(q).copied().unwrap_or(0).min(1);
                add_intervals(&mut busy[agent][p], layout.intervals, a, until);
                busy_window[agent][p] += (until.min(w1) - a.max(w0)).max(0.0);
            }
        }
        Ok(())
    })?;

    let reps = layout.replications as f64;
    for (q, bins) in queue_len.iter_mut().enumerate() {
        for (b, v) in bins.iter_mut().enumerate() {
            let lo = w0 + b as f64 * layout.bin_s;
            let len = (lo + layout.bin_s).min(w1) - lo;
            *v /= reps * len;
            debug_assert!(v.is_finite(), "queue {q} bin {b}");
        }
    }
    for v in busy
        .iter_mut()
        .flatten()
        .flatten()
        .chain(busy_window.iter_mut().flatten())
    {
        *v /= reps;
    }
    Ok(WorkStats {
        queue_len,
        abandon_time_known: cols.abandon.is_some(),
        waits,
        busy,
        busy_window,
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The layout before `abandon_s` existed: old results folders still render.
    const HEADER: &str = "replication,item,queue,arrival_s,first_push_s,accept_s,close_s,agent,final_status,declines,push_timeouts,measured\n";

    fn layout<'a>(queues: &'a [String], intervals: &'a [Interval]) -> WorkLayout<'a> {
        WorkLayout {
            queues,
            queue_pools: &[0, 1],
            agents: 2,
            replications: 2,
            window: (100.0, 340.0),
            bin_s: 60.0,
            intervals,
        }
    }

    #[test]
    fn spans_split_over_bins_and_clip_to_the_window() {
        let mut bins = vec![0.0; 3];
        add_span(&mut bins, 0.0, 10.0, 25.0, -5.0, 12.0);
        assert_eq!(bins, [10.0, 2.0, 0.0]);
        add_span(&mut bins, 0.0, 10.0, 25.0, 24.0, 99.0);
        assert_eq!(bins, [10.0, 2.0, 1.0]);
        add_span(&mut bins, 0.0, 10.0, 25.0, 30.0, 40.0);
        assert_eq!(bins, [10.0, 2.0, 1.0]);
    }

    #[test]
    fn queue_length_waits_and_busy_time_from_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("work.csv");
        let rows = [
            // Waits 30 s across the first bin boundary, held 100 s by agent 1.
            "0,1,A,130.000000,130.000000,190.000000,290.000000,1,closed,0,0,true",
            // Abandoned: no time known, so not in the queue length.
            "0,2,A,150.000000,,,,,abandoned,0,0,true",
            // Still waiting at the end: queued from 310 to 340.
            "1,3,A,310.000000,,,,,waiting,0,0,true",
            // Warm-up arrival: counts in busy time, not in the waits.
            "1,4,A,50.000000,50.000000,60.000000,,0,in_progress,0,0,false",
        ];
        std::fs::write(&path, format!("{HEADER}{}\n", rows.join("\n"))).unwrap();
        let queues = ["A".to_string()];
        let intervals = [
            Interval {
                start_s: 100.0,
                end_s: 220.0,
            },
            Interval {
                start_s: 220.0,
                end_s: 340.0,
            },
        ];
        let s = read_work(&path, &layout(&queues, &intervals)).unwrap();
        // Bins [100,160) [160,220) [220,280) [280,340): 60 s of waiting in
        // 130..190, 30 s in 310..340, divided by 2 replications.
        assert_eq!(s.queue_len[0], [0.25, 0.25, 0.0, 0.25]);
        assert!(!s.abandon_time_known);
        assert_eq!(s.waits[0].iter().collect::<Vec<_>>(), [(&600, &1)]);
        assert_eq!(s.busy[1][0], [15.0, 35.0]);
        assert_eq!(s.busy[0][0], [60.0, 60.0]);
        assert_eq!(s.busy_window, [[120.0, 0.0], [50.0, 0.0]]);
    }

    #[test]
    fn the_current_layout_with_items_ended_with_no_agent() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("work.csv");
        let header = crate::stats::WORK_CSV_HEADER.join(",");
        let rows = [
            // Ended with no agent at 190: queued 130..190, like an answer.
            "0,1,A,130.000000,135.000000,,190.000000,,,ended_no_agent,1,0,true,French;VIP,VIP,0,1,1,,",
            // Abandoned at 160: queued 100..160.
            "1,2,A,100.000000,,,,160.000000,,abandoned,0,0,true,French,,0,1,2,,",
        ];
        std::fs::write(&path, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
        let queues = ["A".to_string()];
        let s = read_work(&path, &layout(&queues, &[])).unwrap();
        assert!(s.abandon_time_known);
        // Bins [100,160) [160,220) …: 30 + 60 s, then 30 s, over 2 replications.
        assert_eq!(s.queue_len[0], [0.75, 0.25, 0.0, 0.0]);
        assert!(s.waits[0].is_empty(), "neither was answered");
        assert_eq!(s.busy_window, [[0.0; 2]; 2]);
        assert_eq!(s.rows, 2);
    }

    #[test]
    fn rows_that_do_not_match_the_run_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("work.csv");
        let queues = ["A".to_string()];
        for (row, needle) in [
            ("2,1,A,1,,,,,waiting,0,0,true", "replication 2"),
            ("0,1,B,1,,,,,waiting,0,0,true", "queue `B`"),
            ("0,1,A,1,1,2,,7,in_progress,0,0,true", "agent 7"),
            ("0,1,A,x,,,,,waiting,0,0,true", "`arrival_s`: `x`"),
        ] {
            std::fs::write(&path, format!("{HEADER}{row}\n")).unwrap();
            let e = read_work(&path, &layout(&queues, &[]))
                .unwrap_err()
                .to_string();
            assert!(e.contains("work.csv` line 2") && e.contains(needle), "{e}");
        }
    }
}
