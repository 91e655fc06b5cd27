//! The distribution of waits: a histogram of arrival → accept per panel
//! of queues whose service-level thresholds share a scale, with the
//! thresholds marked.

use super::charts::{css_colour, queue_colour, stacked_histogram, HistogramSpec};
use super::data::RunSummary;
use super::figures::{Figure, FULL};
use super::html::{escape, fmt_duration};
use super::work::{WorkStats, WAIT_TICKS_PER_S};
use super::ReportError;
use std::collections::BTreeMap;

/// Target number of histogram bars.
const WAIT_BINS: u64 = 40;

/// Histogram layout of waits: bar width in ticks and the number of bars.
/// The range covers the 99th percentile and the threshold with room to
/// spare; longer waits are counted apart rather than stretching the axis.
fn wait_layout(total: &BTreeMap<u64, u64>, threshold_s: f64) -> (u64, u64) {
    let n: u64 = total.values().sum();
    let mut seen = 0;
    let p99 = total
        .iter()
        .find(|(_, &c)| {
            seen += c;
            seen * 100 >= n * 99
        })
        .map_or(0, |(&k, _)| k + 1);
    let threshold = (threshold_s * 1.25 * WAIT_TICKS_PER_S).ceil() as u64;
    let hi = p99.max(threshold).max(WAIT_TICKS_PER_S as u64);
    let width = nice_ticks(hi.div_ceil(WAIT_BINS));
    (width, hi.div_ceil(width))
}

/// The smallest 1, 2 or 5 × 10^k that is at least `x` (at least 1).
fn nice_ticks(x: u64) -> u64 {
    let mut p = 1u64;
    loop {
        for m in [1, 2, 5] {
            if m * p >= x {
                return m * p;
            }
        }
        p = p.saturating_mul(10);
    }
}

/// Figure ids of the wait panels, in order.
const WAIT_PANELS: [&str; 4] = ["waits", "waits-2", "waits-3", "waits-4"];

/// Queues whose thresholds are within this factor of the smallest of
/// their panel share a panel: one axis serves seconds and minutes, not
/// seconds and a day.
const WAIT_SCALE: f64 = 10.0;

/// The queues of each wait panel (scenario order within a panel), by
/// threshold scale: sorted by threshold, a queue starts a new panel when
/// its threshold is more than [`WAIT_SCALE`] times the panel's first; at
/// most [`WAIT_PANELS`] panels (the last takes the rest).
fn wait_panels(thresholds: &[f64]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..thresholds.len()).collect();
    order.sort_by(|&a, &b| thresholds[a].total_cmp(&thresholds[b]).then(a.cmp(&b)));
    let mut panels: Vec<Vec<usize>> = Vec::new();
    let mut first = f64::NAN;
    for q in order {
        let t = thresholds[q];
        let fits = panels.last().is_some()
            && (t <= first * WAIT_SCALE || panels.len() == WAIT_PANELS.len());
        if fits {
            panels.last_mut().expect("checked").push(q);
        } else {
            panels.push(vec![q]);
            first = t;
        }
    }
    for p in &mut panels {
        p.sort_unstable();
    }
    panels
}

/// The unit a wait axis reads in for a range of `range_s`: seconds up to
/// 10 minutes, minutes up to 2 hours, hours beyond.
fn wait_unit(range_s: f64) -> (&'static str, f64) {
    if range_s <= 600.0 {
        ("s", 1.0)
    } else if range_s <= 7200.0 {
        ("min", 60.0)
    } else {
        ("h", 3600.0)
    }
}

/// The distribution of waits of answered items, stacked by queue: one
/// panel per scale of service-level threshold, so a queue answered within
/// a day does not squash the seconds of one answered within 20 s.
pub(crate) fn waits(s: &RunSummary, w: &WorkStats) -> Result<Vec<Figure>, ReportError> {
    let thresholds = s.queue_thresholds_s();
    let panels = wait_panels(&thresholds);
    let names = s.queue_names();
    let several = panels.len() > 1;
    panels
        .iter()
        .enumerate()
        .map(|(k, queues)| wait_panel(s, w, queues, &names, &thresholds, WAIT_PANELS[k], several))
        .collect()
}

/// One panel of [`waits`]: the queues `queues`.
fn wait_panel(
    s: &RunSummary,
    w: &WorkStats,
    queues: &[usize],
    names: &[String],
    thresholds: &[f64],
    id: &'static str,
    several: bool,
) -> Result<Figure, ReportError> {
    let mut total = BTreeMap::new();
    for &q in queues {
        for (&k, &c) in &w.waits[q] {
            *total.entry(k).or_insert(0u64) += c;
        }
    }
    let longest = queues.iter().map(|&q| thresholds[q]).fold(0.0, f64::max);
    let (width, bins) = wait_layout(&total, longest);
    let reps = s.replications as f64;
    let mut overflow = 0u64;
    let counts: Vec<Vec<f64>> = queues
        .iter()
        .map(|&q| {
            let mut c = vec![0u64; bins as usize];
            for (&k, &n) in &w.waits[q] {
                match c.get_mut((k / width) as usize) {
                    Some(slot) => *slot += n,
                    None => overflow += n,
                }
            }
            c.into_iter().map(|n| n as f64 / reps).collect()
        })
        .collect();
    let width_s = width as f64 / WAIT_TICKS_PER_S;
    let shown_to = bins as f64 * width_s;
    let (unit, per) = wait_unit(shown_to);
    let (mut markers, in_time) = threshold_markers(s, queues);
    for m in &mut markers {
        m.0 /= per;
    }
    let title = if several {
        let listed: Vec<&str> = queues.iter().map(|&q| names[q].as_str()).collect();
        format!("Distribution of waits: {}", listed.join(", "))
    } else {
        "Distribution of waits (arrival → accept)".to_string()
    };
    let x_desc = format!("wait [{unit}]");
    let spec = HistogramSpec {
        title: &title,
        x_desc: &x_desc,
        y_desc: "answered items per replication",
        size: (FULL, 360),
        width: width_s / per,
        markers,
    };
    let colours: Vec<_> = queues.iter().map(|&q| queue_colour(q)).collect();
    let beyond = if overflow > 0 {
        format!(
            " {:.1} items per replication waited longer than {} {unit} and are not shown.",
            overflow as f64 / reps,
            super::charts::tick(shown_to / per, 1)
        )
    } else {
        String::new()
    };
    let panels = if several {
        " Queues whose service-level thresholds differ tenfold or more are drawn in separate \
         panels, each on its own scale."
    } else {
        ""
    };
    Ok(Figure {
        id: id.to_string(),
        svg: stacked_histogram(&spec, &colours, &counts)?,
        legend: queues
            .iter()
            .map(|&q| (names[q].clone(), css_colour(queue_colour(q))))
            .collect(),
        caption: escape(&format!(
            "From work.csv: measured items that were answered, by time from arrival to \
             acceptance (which includes the agent's response time), in bars of {} {unit}, \
             stacked by queue, per replication. {in_time}{beyond}{panels}",
            super::charts::tick(width_s / per, 2)
        )),
    })
}

/// The threshold lines of a wait histogram of `queues` and the caption's
/// sentence about them: one line when those queues share a threshold,
/// otherwise one per distinct threshold naming its queues (in scenario
/// order), since a single line would misstate what "in time" means for
/// the other queues. Positions in seconds.
fn threshold_markers(s: &RunSummary, queues: &[usize]) -> (Vec<(f64, String)>, &'static str) {
    let thresholds = s.queue_thresholds_s();
    let mut groups: Vec<(f64, Vec<&str>)> = Vec::new();
    for &q in queues {
        let (name, t) = (s.queues[q].0.as_str(), thresholds[q]);
        match groups.iter_mut().find(|g| g.0 == t) {
            Some(g) => g.1.push(name),
            None => groups.push((t, vec![name])),
        }
    }
    if let [(t, _)] = groups.as_slice() {
        return (
            vec![(*t, format!("SL threshold {}", fmt_duration(*t)))],
            "Bars left of the red line are within the service-level threshold.",
        );
    }
    let markers = groups
        .into_iter()
        .map(|(t, names)| {
            let label = format!("SL threshold {} ({})", fmt_duration(t), names.join(", "));
            (t, label)
        })
        .collect();
    (
        markers,
        "The red lines are the queues' own service-level thresholds: a queue's items \
         are in time left of its own line.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_ticks_round_up() {
        assert_eq!(nice_ticks(0), 1);
        assert_eq!(nice_ticks(3), 5);
        assert_eq!(nice_ticks(15), 20);
        assert_eq!(nice_ticks(100), 100);
        assert_eq!(nice_ticks(101), 200);
    }

    #[test]
    fn wait_layout_covers_threshold_and_p99() {
        // 100 waits of 1 s and one of 10 minutes; threshold 20 s.
        let total = BTreeMap::from([(10, 100), (6000, 1)]);
        let (width, bins) = wait_layout(&total, 20.0);
        // p99 is 1 s, so the range is 1.25 × 20 s = 250 ticks: bars of 10
        // ticks (1 s), 25 of them; the 10-minute wait is left out.
        assert_eq!((width, bins), (10, 25));
        // Only the long wait: p99 is 600.1 s, so bars of 20 s, 31 of them.
        let (width, bins) = wait_layout(&BTreeMap::from([(6000, 1)]), 20.0);
        assert_eq!((width, bins), (200, 31));
    }

    #[test]
    fn wait_panels_part_queues_by_threshold_scale() {
        // Cards 20 s, Loans 60 s, Email 24 h: seconds apart from a day.
        assert_eq!(wait_panels(&[20.0, 60.0, 86_400.0]), [vec![0, 1], vec![2]]);
        assert_eq!(wait_panels(&[20.0, 20.0]), [vec![0, 1]]);
        // Scenario order within a panel, panels by scale.
        assert_eq!(wait_panels(&[3600.0, 20.0, 30.0]), [vec![1, 2], vec![0]]);
        // At most four panels.
        let many = [1.0, 100.0, 1e4, 1e6, 1e8, 1e10];
        assert_eq!(wait_panels(&many).len(), 4);
        assert_eq!(wait_unit(300.0), ("s", 1.0));
        assert_eq!(wait_unit(3000.0), ("min", 60.0));
        assert_eq!(wait_unit(100_000.0), ("h", 3600.0));
    }
}
