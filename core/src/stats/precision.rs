//! Sequential sampling: running replications until the estimates are as
//! precise as the planner asks (`omnisim run --precision`).
//!
//! A planner rarely knows how many replications a scenario needs: a calm
//! centre settles in five, a centre near collapse needs fifty for the same
//! interval on its service level. So the run states the precision instead
//! — "service level to ±0.01, ASA to ±2 s" — and adds replications until
//! every queue's 95% confidence interval (and the centre's) is at least
//! that narrow.
//!
//! # The stopping rule
//!
//! [`precision_met`] is the whole rule, pure so that other code (a
//! staffing search) can call it on its own replications:
//!
//! - for each target and each queue, plus the centre (`ALL`), the
//!   half-width of the Student-t 95% interval over the replications that
//!   define the metric ([`estimate_defined`], the `±` of every table);
//! - the precision is reached when every half-width is at or below its
//!   target; at least two replications are needed for any interval;
//! - a queue where fewer than two replications define the metric (ASA
//!   with nothing answered, a service level with nothing offered) has no
//!   interval and does not hold the run back: more replications of a
//!   queue that never answers would never give it one.
//!
//! Replications are independent and each draws from streams that depend
//! only on the seed and its own index, so stopping after `n` gives
//! exactly the results of a plain run of `n` replications;
//! [`PrecisionStatus::next_total`] says how many to have after the next
//! batch, from the results alone, never from the number of threads.

use super::ci::estimate_defined;
use super::metrics::{QueueMetrics, ReplicationResult, QUEUE_METRICS};
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use std::fmt::Write as _;

/// One precision a run must reach: the widest acceptable 95% half-width
/// of a metric, in the metric's unit (a fraction, seconds, items).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrecisionTarget {
    /// The metric, named as in `summary.json` ([`QUEUE_METRICS`]).
    pub metric: String,
    /// Largest acceptable half-width.
    pub half_width: f64,
}

/// Parses `metric=half_width` pairs separated by commas
/// (`"service_level=0.01,asa_s=2"`). An unknown metric is refused with
/// the nearest known name; so are a half-width that is not a positive
/// number and a metric named twice.
pub fn parse_precision(text: &str) -> Result<Vec<PrecisionTarget>, String> {
    let mut out: Vec<PrecisionTarget> = Vec::new();
    for part in text.split(',').map(str::trim) {
        if part.is_empty() {
            continue;
        }
        let Some((name, value)) = part.split_once('=') else {
            return Err(format!(
                "`{part}` is not metric=half_width; expected e.g. service_level=0.01"
            ));
        };
        let (name, value) = (name.trim(), value.trim());
        if QueueMetrics::reader(name).is_none() {
            let hint = suggest(name)
                .map(|s| format!("did you mean `{s}`? "))
                .unwrap_or_default();
            let names: Vec<&str> = QUEUE_METRICS.iter().map(|d| d.name).collect();
            return Err(format!(
                "no metric `{name}`; {hint}metrics: {}",
                names.join(", ")
            ));
        }
        let half_width = match value.parse::<f64>() {
            Ok(v) if v.is_finite() && v > 0.0 => v,
            _ => {
                return Err(format!(
                    "`{name}={value}`: the half-width must be a number greater than 0, in the \
                     metric's unit (a fraction for service_level, seconds for asa_s)"
                ))
            }
        };
        if out.iter().any(|t| t.metric == name) {
            return Err(format!("`{name}` is given twice; give each metric once"));
        }
        out.push(PrecisionTarget {
            metric: name.to_string(),
            half_width,
        });
    }
    if out.is_empty() {
        return Err("no metric given; expected e.g. service_level=0.01".into());
    }
    Ok(out)
}

/// The known metric nearest to `name` in spelling, when close enough to
/// be a slip of the keyboard.
fn suggest(name: &str) -> Option<&'static str> {
    QUEUE_METRICS
        .iter()
        .map(|d| (strsim::levenshtein(&name.to_lowercase(), d.name), d.name))
        .min()
        .filter(|(d, n)| *d <= 3.max(n.len() / 3))
        .map(|(_, n)| n)
}

/// One target, checked over the replications run so far.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrecisionCheck {
    /// The metric.
    pub metric: String,
    /// The largest acceptable half-width.
    pub target: f64,
    /// Whether every queue's (and the centre's) half-width is at or below
    /// the target.
    pub met: bool,
    /// The queue (or `ALL`) with the widest interval and its half-width;
    /// `None` when no queue has an interval yet.
    pub widest: Option<HalfWidth>,
    /// Each queue's half-width, in scenario order, then `ALL`; `null`
    /// where fewer than two replications define the metric.
    #[serde(serialize_with = "ordered_map")]
    pub half_widths: Vec<(String, Option<f64>)>,
}

/// A half-width and where it was measured.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HalfWidth {
    /// Queue name, or `ALL`.
    pub queue: String,
    /// The 95% half-width.
    pub half_width: f64,
}

/// Whether the replications so far are precise enough, target by target.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrecisionStatus {
    /// Every target met, with at least two replications.
    pub reached: bool,
    /// One entry per target, in the order given.
    pub checks: Vec<PrecisionCheck>,
}

/// Checks `targets` against `results` (see the module doc for the rule).
pub fn precision_met(
    results: &[ReplicationResult],
    targets: &[PrecisionTarget],
) -> PrecisionStatus {
    let queues = results.first().map_or(0, |r| r.queues.len());
    let checks: Vec<PrecisionCheck> = targets
        .iter()
        .map(|t| {
            let read = QueueMetrics::reader(&t.metric);
            let half_width = |pick: &dyn Fn(&ReplicationResult) -> Option<&QueueMetrics>| {
                let read = read?;
                let values: Vec<Option<f64>> =
                    results.iter().map(|r| pick(r).and_then(read)).collect();
                if values.iter().flatten().count() < 2 {
                    return None;
                }
                estimate_defined(&values).map(|e| e.half_width())
            };
            let mut half_widths: Vec<(String, Option<f64>)> = (0..queues)
                .map(|q| {
                    let name = results[0].queues[q].queue.clone();
                    (name, half_width(&|r| r.queues.get(q)))
                })
                .collect();
            let name = results.first().map_or_else(
                || super::ALL_QUEUES.to_string(),
                |r| r.overall.queue.clone(),
            );
            half_widths.push((name, half_width(&|r| Some(&r.overall))));
            let widest = half_widths
                .iter()
                .filter_map(|(q, h)| h.map(|h| (q, h)))
                // The first of equals stays: scenario order.
                .fold(None::<(&String, f64)>, |w, (q, h)| match w {
                    Some((_, wh)) if wh >= h => w,
                    _ => Some((q, h)),
                })
                .map(|(q, h)| HalfWidth {
                    queue: q.clone(),
                    half_width: h,
                });
            PrecisionCheck {
                metric: t.metric.clone(),
                target: t.half_width,
                met: widest.as_ref().is_none_or(|w| w.half_width <= t.half_width),
                widest,
                half_widths,
            }
        })
        .collect();
    PrecisionStatus {
        reached: results.len() >= 2 && checks.iter().all(|c| c.met),
        checks,
    }
}

impl PrecisionStatus {
    /// How many replications to have after the next batch, `done` having
    /// run and `max` being the most allowed: the count the widest miss
    /// suggests (a half-width shrinks as 1/√n, so `n · (h / target)²`),
    /// at least one more and at most twice as many, never above `max`.
    /// Depends on the results only, so where a run stops does not depend
    /// on how many replications run in parallel.
    pub fn next_total(&self, done: u32, max: u32) -> u32 {
        if done < 2 {
            return 2.min(max.max(done));
        }
        let ratio = self
            .checks
            .iter()
            .filter(|c| !c.met)
            .filter_map(|c| c.widest.as_ref().map(|w| w.half_width / c.target))
            .fold(1.0_f64, f64::max);
        let wanted = (done as f64 * ratio * ratio).ceil();
        let wanted = if wanted.is_finite() {
            wanted.min(u32::MAX as f64) as u32
        } else {
            u32::MAX
        };
        wanted
            .clamp(done.saturating_add(1), done.saturating_mul(2))
            .min(max)
    }
}

/// The `precision` block of `summary.json`: what was asked, whether it
/// was reached, after how many replications, and each target's widest
/// half-width.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PrecisionSummary {
    /// The targets, as given.
    pub targets: Vec<PrecisionTarget>,
    /// Whether every target was met.
    pub reached: bool,
    /// Replications run (the run's `replications`).
    pub replications: usize,
    /// The most the run was allowed (`--max-replications`).
    pub max_replications: u32,
    /// Each target, checked on those replications.
    pub achieved: Vec<PrecisionCheck>,
}

impl PrecisionSummary {
    /// Checks `targets` on `results` and records the outcome.
    pub fn new(
        targets: &[PrecisionTarget],
        results: &[ReplicationResult],
        max_replications: u32,
    ) -> PrecisionSummary {
        let status = precision_met(results, targets);
        PrecisionSummary {
            targets: targets.to_vec(),
            reached: status.reached,
            replications: results.len(),
            max_replications,
            achieved: status.checks,
        }
    }
}

/// A half-width as printed: four decimals below 1, two above.
fn show(v: f64) -> String {
    if v.abs() < 1.0 {
        format!("{v:.4}")
    } else {
        format!("{v:.2}")
    }
}

/// The lines `omnisim run --precision` prints after its table, e.g.
///
/// ```text
/// precision reached after 12 replications (95% CI half-width, widest queue):
///   service_level ±0.0093 (Chat) ≤ 0.01
/// ```
///
/// or, when the maximum came first, `precision NOT reached: stopped at the
/// maximum of 200 replications` and, for each target missed, by how much.
pub fn render_precision(p: &PrecisionSummary) -> String {
    let mut out = String::new();
    if p.reached {
        let _ = writeln!(
            out,
            "precision reached after {} replications (95% CI half-width, widest queue):",
            p.replications
        );
    } else {
        let _ = writeln!(
            out,
            "precision NOT reached: stopped at the maximum of {} replications \
             (--max-replications); 95% CI half-width, widest queue:",
            p.replications
        );
    }
    for c in &p.achieved {
        let _ = write!(out, "  {} ", c.metric);
        match &c.widest {
            None => {
                let _ = write!(
                    out,
                    "has no interval in any queue (defined in fewer than 2 replications); \
                     target ±{}",
                    c.target
                );
            }
            Some(w) if c.met => {
                let _ = write!(out, "±{} ({}) ≤ {}", show(w.half_width), w.queue, c.target);
            }
            Some(w) => {
                let _ = write!(
                    out,
                    "±{} ({}) > {}: NOT met, misses by {}",
                    show(w.half_width),
                    w.queue,
                    c.target,
                    show(w.half_width - c.target)
                );
                let others: Vec<String> = c
                    .half_widths
                    .iter()
                    .filter(|(q, h)| *q != w.queue && h.is_some_and(|h| h > c.target))
                    .map(|(q, h)| format!("{q} ±{}", show(h.unwrap_or_default())))
                    .collect();
                if !others.is_empty() {
                    let _ = write!(out, "; also over: {}", others.join(", "));
                }
            }
        }
        out.push('\n');
    }
    out
}

/// Writes `Vec<(name, value)>` as a JSON object in vector order.
fn ordered_map<S: Serializer>(entries: &[(String, Option<f64>)], s: S) -> Result<S::Ok, S::Error> {
    let mut map = s.serialize_map(Some(entries.len()))?;
    for (k, v) in entries {
        map.serialize_entry(k, v)?;
    }
    map.end()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A replication of two queues with the given service levels and ASAs.
    fn rep(sl: [Option<f64>; 2], asa: [Option<f64>; 2]) -> ReplicationResult {
        let q = |name: &str, i: usize| QueueMetrics {
            queue: name.into(),
            offered: 10,
            service_level: sl[i],
            asa_s: asa[i],
            ..QueueMetrics::default()
        };
        let queues = vec![q("Chat", 0), q("Cases", 1)];
        ReplicationResult {
            overall: QueueMetrics {
                queue: "ALL".into(),
                offered: 20,
                service_level: sl[0].zip(sl[1]).map(|(a, b)| (a + b) / 2.0),
                ..QueueMetrics::default()
            },
            queues,
            intervals: vec![],
            agents: vec![],
        }
    }

    fn targets(text: &str) -> Vec<PrecisionTarget> {
        parse_precision(text).unwrap()
    }

    #[test]
    fn pairs_parse_and_mistakes_are_named() {
        assert_eq!(
            targets("service_level=0.01, asa_s=2"),
            [
                PrecisionTarget {
                    metric: "service_level".into(),
                    half_width: 0.01
                },
                PrecisionTarget {
                    metric: "asa_s".into(),
                    half_width: 2.0
                }
            ]
        );
        let e = parse_precision("service_levle=0.01").unwrap_err();
        assert!(
            e.contains("no metric `service_levle`; did you mean `service_level`?"),
            "{e}"
        );
        assert!(e.contains("agents_occupancy"), "lists the metrics: {e}");
        let e = parse_precision("asa=2").unwrap_err();
        assert!(e.contains("did you mean `asa_s`?"), "{e}");
        assert!(parse_precision("asa_s")
            .unwrap_err()
            .contains("metric=half_width"));
        assert!(parse_precision("asa_s=0")
            .unwrap_err()
            .contains("greater than 0"));
        assert!(parse_precision("asa_s=-1")
            .unwrap_err()
            .contains("greater than 0"));
        assert!(parse_precision("asa_s=x")
            .unwrap_err()
            .contains("greater than 0"));
        assert!(parse_precision("asa_s=1,asa_s=2")
            .unwrap_err()
            .contains("twice"));
        assert!(parse_precision(" , ")
            .unwrap_err()
            .contains("no metric given"));
    }

    #[test]
    fn every_queue_and_the_centre_must_be_narrow_enough() {
        // Chat's service level varies by 0.02, Cases' by 0.2.
        let reps = [
            rep([Some(0.80), Some(0.6)], [Some(10.0), None]),
            rep([Some(0.82), Some(0.8)], [Some(12.0), None]),
            rep([Some(0.81), Some(0.7)], [Some(11.0), None]),
        ];
        let s = precision_met(&reps, &targets("service_level=0.05"));
        assert!(!s.reached);
        let c = &s.checks[0];
        assert!(!c.met);
        let w = c.widest.as_ref().unwrap();
        // t(0.975, 2) = 4.3027; sd 0.1, n = 3.
        assert_eq!(w.queue, "Cases");
        assert!(
            (w.half_width - 4.302_65 * 0.1 / 3f64.sqrt()).abs() < 1e-4,
            "{w:?}"
        );
        let names: Vec<&str> = c.half_widths.iter().map(|(q, _)| q.as_str()).collect();
        assert_eq!(names, ["Chat", "Cases", "ALL"]);
        assert!(c.half_widths[0].1.unwrap() < 0.05);
        // A wide enough target is met by all three.
        let s = precision_met(&reps, &targets("service_level=0.3"));
        assert!(s.reached && s.checks[0].met);
        // At exactly the target: met.
        let exact = s.checks[0].widest.as_ref().unwrap().half_width;
        let at = [PrecisionTarget {
            metric: "service_level".into(),
            half_width: exact,
        }];
        assert!(precision_met(&reps, &at).reached);
    }

    #[test]
    fn a_queue_without_values_does_not_hold_the_run_back() {
        // Cases never answers: no ASA there, in any replication.
        let reps = [
            rep([Some(0.8), Some(0.0)], [Some(10.0), None]),
            rep([Some(0.8), Some(0.0)], [Some(10.5), None]),
        ];
        let s = precision_met(&reps, &targets("asa_s=5"));
        assert!(s.reached, "{s:?}");
        assert_eq!(s.checks[0].half_widths[1], ("Cases".into(), None));
        // Nor does one defined in a single replication only.
        let reps = [
            rep([Some(0.8), Some(0.0)], [Some(10.0), Some(3.0)]),
            rep([Some(0.8), Some(0.0)], [Some(10.0), None]),
        ];
        let s = precision_met(&reps, &targets("asa_s=0.5"));
        assert!(s.reached, "{s:?}");
        assert_eq!(s.checks[0].half_widths[1].1, None);
        // A metric nobody defines: nothing to wait for, and no widest.
        let s = precision_met(&reps, &targets("aht_s=1"));
        assert!(s.reached && s.checks[0].widest.is_none());
    }

    #[test]
    fn fewer_than_two_replications_never_reach_a_precision() {
        let one = [rep([Some(0.8), Some(0.8)], [Some(1.0), Some(1.0)])];
        assert!(!precision_met(&one, &targets("service_level=1")).reached);
        assert!(!precision_met(&[], &targets("service_level=1")).reached);
    }

    #[test]
    fn the_next_batch_follows_the_widest_miss_within_bounds() {
        let status = |ratio: f64| PrecisionStatus {
            reached: false,
            checks: vec![PrecisionCheck {
                metric: "asa_s".into(),
                target: 1.0,
                met: ratio <= 1.0,
                widest: Some(HalfWidth {
                    queue: "Chat".into(),
                    half_width: ratio,
                }),
                half_widths: vec![],
            }],
        };
        // 10 done at 1.2 × the target: 10 · 1.44 = 14.4 → 15.
        assert_eq!(status(1.2).next_total(10, 200), 15);
        // Far off: at most doubling, and never beyond the maximum.
        assert_eq!(status(10.0).next_total(10, 200), 20);
        assert_eq!(status(10.0).next_total(10, 12), 12);
        // Barely off: at least one more.
        assert_eq!(status(1.0001).next_total(10, 200), 11);
        assert_eq!(status(2.0).next_total(1, 200), 2);
    }

    #[test]
    fn printed_lines_say_what_was_reached_and_what_missed() {
        let reps = [
            rep([Some(0.80), Some(0.6)], [Some(10.0), None]),
            rep([Some(0.82), Some(0.8)], [Some(12.0), None]),
        ];
        let p = PrecisionSummary::new(&targets("service_level=0.05,asa_s=100"), &reps, 2);
        let text = render_precision(&p);
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("precision NOT reached: stopped at the maximum of 2"),
            "{text}"
        );
        assert!(
            lines[1].starts_with("  service_level ±1.27 (Cases) > 0.05: NOT met, misses by 1.22"),
            "{text}"
        );
        assert!(
            lines[1].contains("; also over: Chat ±0.1271, ALL ±"),
            "{text}"
        );
        assert_eq!(lines[2], "  asa_s ±12.71 (Chat) ≤ 100");
        let v = serde_json::to_value(&p).unwrap();
        assert_eq!(v["reached"], false);
        assert_eq!(v["replications"], 2);
        assert_eq!(v["targets"][0]["metric"], "service_level");
        assert_eq!(v["achieved"][1]["widest"]["queue"], "Chat");
        assert!(v["achieved"][1]["half_widths"]["Cases"].is_null());
        let p = PrecisionSummary::new(&targets("asa_s=100"), &reps, 2);
        assert_eq!(
            render_precision(&p),
            "precision reached after 2 replications (95% CI half-width, widest queue):\n  \
             asa_s ±12.71 (Chat) ≤ 100\n"
        );
    }
}
