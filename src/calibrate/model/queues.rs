//! What each queue was: its routing configuration as the AgentWork
//! records carry it, its volume and handle time per interval, the
//! family of its handle times, its customers' patience, its wrap-up and
//! the skills its items asked for.

use super::day::Day;
use super::items::{wait, Item};
use crate::calibrate::fit::survival::{
    exponential_patience, kaplan_meier, median, ExponentialPatience, SurvivalStep, Wait,
};
use crate::calibrate::fit::{fit_families, Fit};
use crate::calibrate::read::{AgentWorkRecord, Export};
use crate::salesforce::SalesforceId;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// A queue's calibrated settings and figures.
#[derive(Clone, Debug, Serialize)]
pub struct QueueCal {
    /// The queue's id (`OriginalQueueId`).
    #[serde(skip)]
    pub id: SalesforceId,
    /// Its name (`Group.Name`, or its id without Group.csv).
    pub name: String,
    /// Its channel's id.
    #[serde(skip)]
    pub channel: SalesforceId,
    /// `most_available` or `least_active`.
    pub routing_model: String,
    /// Whether its items are routed by skills.
    pub skills_based: bool,
    /// Routing priority.
    pub priority: i64,
    /// Push timeout \[s\], when set.
    pub push_timeout_s: Option<f64>,
    /// Capacity weight, or (when `None`) the percentage below.
    pub capacity_weight: Option<u32>,
    /// Capacity percentage.
    pub capacity_percentage: Option<f64>,
    /// Items offered (first requests in the day).
    pub offered: u64,
    /// Of which answered.
    pub answered: u64,
    /// Of which abandoned.
    pub abandoned: u64,
    /// Items first requested in each interval.
    pub volume: Vec<u64>,
    /// Mean handle time of the items of each interval \[s\] (complete
    /// items only).
    pub aht_s: Vec<Option<f64>>,
    /// Handle-time fits, best (by AIC) first, with the sample size.
    pub handle_time: Fitted,
    /// Wrap-up after each item.
    pub wrap_up: Fitted,
    /// Customers' patience.
    pub patience: Patience,
    /// Skills every item asked for: (skill, level, additional, priority).
    #[serde(skip)]
    pub fixed_skills: Vec<Requirement>,
    /// Skills drawn per item: one dimension each, alternatives with
    /// their shares.
    #[serde(skip)]
    pub skill_mix: Vec<(Requirement, Vec<(SalesforceId, f64)>)>,
    /// Why the settings are what they are, where the export left it
    /// open.
    pub notes: Vec<String>,
    /// The handle-time sample \[s\], for the charts.
    #[serde(skip)]
    pub handle_sample: Vec<f64>,
}

/// A skill requirement as AgentWorkSkill records it (the skill is the
/// dimension's alternatives in a mix, the key of a fixed one).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Requirement {
    /// The skill.
    pub skill: SalesforceId,
    /// Level, rounded to whole numbers as scenarios take them.
    pub level: u8,
    /// Whether it may be dropped.
    pub additional: bool,
    /// Drop order.
    pub priority: u32,
}

/// A duration fitted among the families, or found constant.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Fitted {
    /// Nothing to fit (no value, or all zero).
    None {
        /// Values seen.
        n: u64,
    },
    /// Every value the same (to the second).
    Constant {
        /// The value \[s\].
        value_s: f64,
        /// Values seen.
        n: u64,
    },
    /// Families fitted, best first.
    Families {
        /// Values fitted.
        n: u64,
        /// The fits, best (lowest AIC) first.
        fits: Vec<Fit>,
    },
}

impl Fitted {
    fn of(sample: &[f64]) -> Fitted {
        let n = sample.len() as u64;
        if sample.is_empty() || sample.iter().all(|v| *v <= 0.0) {
            return Fitted::None { n };
        }
        let (lo, hi) = sample
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
                (a.min(*v), b.max(*v))
            });
        if hi - lo <= 1.0 {
            let mean = sample.iter().sum::<f64>() / n as f64;
            return Fitted::Constant {
                value_s: mean.round(),
                n,
            };
        }
        let fits = fit_families(sample);
        if fits.is_empty() {
            let mean = sample.iter().sum::<f64>() / n as f64;
            return Fitted::Constant { value_s: mean, n };
        }
        Fitted::Families { n, fits }
    }

    /// The mean \[s\], if anything was seen.
    pub fn mean_s(&self) -> Option<f64> {
        match self {
            Fitted::None { .. } => None,
            Fitted::Constant { value_s, .. } => Some(*value_s),
            Fitted::Families { fits, .. } => fits.first().map(|f| f.mean_s),
        }
    }
}

/// What the export says of patience.
#[derive(Clone, Debug, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Patience {
    /// Estimated from every wait, abandoned or answered.
    Estimated {
        /// The exponential estimate the scenario uses.
        exponential: ExponentialPatience,
        /// The Kaplan–Meier curve, shape-free.
        kaplan_meier: Vec<SurvivalStep>,
        /// Its median \[s\], if it falls to ½ within the data.
        kaplan_meier_median_s: Option<f64>,
    },
    /// Not estimated, and why, in plain words.
    NotEstimated {
        /// Why.
        reason: String,
    },
}

/// The queues of an export, calibrated.
pub fn calibrate_queues(export: &Export, items: &[Item], day: &Day) -> Vec<QueueCal> {
    let mut by_queue: BTreeMap<&SalesforceId, Vec<&Item>> = BTreeMap::new();
    for it in items {
        by_queue.entry(&it.queue).or_default().push(it);
    }
    let mut works_by_queue: BTreeMap<&SalesforceId, Vec<&AgentWorkRecord>> = BTreeMap::new();
    for w in &export.works {
        works_by_queue.entry(&w.queue).or_default().push(w);
    }
    let skills_by_work: BTreeMap<&SalesforceId, Vec<Requirement>> = {
        let mut m: BTreeMap<&SalesforceId, Vec<Requirement>> = BTreeMap::new();
        for s in &export.work_skills {
            m.entry(&s.work).or_default().push(Requirement {
                skill: s.skill.clone(),
                level: s.level.round().clamp(0.0, 10.0) as u8,
                additional: s.additional,
                priority: s.priority.unwrap_or(0.0).max(0.0) as u32,
            });
        }
        m
    };
    let mut out = Vec::new();
    for (queue, works) in &works_by_queue {
        let its = by_queue.get(queue).cloned().unwrap_or_default();
        let mut notes = Vec::new();
        let model = mode(works.iter().filter_map(|w| w.routing_model.clone()));
        let routing_model = match model.as_deref() {
            Some("LeastActive") => "least_active".to_string(),
            Some("MostAvailable") => "most_available".to_string(),
            Some(other) => {
                notes.push(format!(
                    "RoutingModel {other} cannot be simulated from a file; most_available is used"
                ));
                "most_available".to_string()
            }
            None => {
                notes.push("RoutingModel not exported: most_available is assumed".into());
                "most_available".to_string()
            }
        };
        let skills_based = mode(works.iter().filter_map(|w| w.routing_type.clone()))
            .is_some_and(|t| t.eq_ignore_ascii_case("SkillsBased"));
        let priority = mode(
            works
                .iter()
                .filter_map(|w| w.priority.map(|p| p.round() as i64)),
        )
        .unwrap_or_else(|| {
            notes.push("RoutingPriority not exported: priority 1 is assumed".into());
            1
        });
        // The push timeout: the field, or the time from push to timeout.
        let push_timeout_s = mode(works.iter().filter_map(|w| {
            w.push_timeout
                .filter(|t| *t > 0.0)
                .or_else(|| {
                    w.timed_out
                        .map(|t| ((t - w.assigned).num_milliseconds() as f64 / 1000.0).round())
                })
                .map(|t| t.round() as i64)
        }))
        .map(|t| t as f64);
        let weight = mode(
            works
                .iter()
                .filter_map(|w| w.capacity_weight.map(|v| v.round() as i64)),
        );
        let pct = mode(
            works
                .iter()
                .filter_map(|w| w.capacity_percentage.map(|v| (v * 1e6).round() as i64)),
        );
        let (capacity_weight, capacity_percentage) = match (weight, pct) {
            (Some(w), _) if w >= 1 => (Some(w as u32), None),
            (_, Some(p)) if p > 0 => (None, Some(p as f64 / 1e6)),
            _ => {
                notes.push(
                    "CapacityWeight and CapacityPercentage not exported: weight 1 is assumed"
                        .into(),
                );
                (Some(1), None)
            }
        };
        let n = day.intervals();
        let mut volume = vec![0u64; n];
        let mut sums = vec![(0.0, 0u64); n];
        for it in &its {
            if let Some(i) = day.interval_of(it.requested) {
                volume[i] += 1;
                if let Some(h) = it.handle_s {
                    sums[i].0 += h;
                    sums[i].1 += 1;
                }
            }
        }
        let aht_s = sums
            .iter()
            .map(|(s, c)| (*c > 0).then(|| s / *c as f64))
            .collect();
        let handle_sample: Vec<f64> = its.iter().filter_map(|it| it.handle_s).collect();
        let wrap_sample: Vec<f64> = its.iter().filter_map(|it| it.wrap_up_s).collect();
        let waits: Vec<Wait> = its
            .iter()
            .map(|it| {
                let (secs, abandoned) = wait(it, day);
                Wait { secs, abandoned }
            })
            .collect();
        let with_sessions = its.iter().any(|it| it.session);
        let patience = match exponential_patience(&waits) {
            None => Patience::NotEstimated {
                reason: "no customer abandoned: the export only says patience was longer than \
                         every wait, so the model has no abandonment for this queue"
                    .into(),
            },
            Some(_) if !with_sessions => Patience::NotEstimated {
                reason: "customers who leave before any push leave no AgentWork, and this queue's \
                         items have no session object in the export: the abandonments seen \
                         (canceled pushes) are only some of them, so patience cannot be \
                         estimated; the model has no abandonment for this queue"
                    .into(),
            },
            Some(exponential) => {
                let km = kaplan_meier(&waits);
                Patience::Estimated {
                    kaplan_meier_median_s: median(&km),
                    kaplan_meier: km,
                    exponential,
                }
            }
        };
        let (fixed_skills, skill_mix) = if skills_based {
            skill_mix(&its, export, &skills_by_work, &mut notes)
        } else {
            (Vec::new(), Vec::new())
        };
        if export.work_skills.iter().any(|s| s.dropped) && skills_based {
            notes.push(
                "some additional skills were dropped; the drop timeout is not in the export, so \
                 the model never drops them (set drop_additional_skills_timeout)"
                    .into(),
            );
        }
        let name = export
            .queues
            .get(*queue)
            .map_or_else(|| queue.to_string(), |n| n.name.clone());
        out.push(QueueCal {
            id: (*queue).clone(),
            name,
            channel: mode(works.iter().map(|w| w.channel.clone())).expect("a queue has work"),
            routing_model,
            skills_based,
            priority,
            push_timeout_s,
            capacity_weight,
            capacity_percentage,
            offered: its
                .iter()
                .filter(|it| day.interval_of(it.requested).is_some())
                .count() as u64,
            answered: its.iter().filter(|it| it.answered.is_some()).count() as u64,
            abandoned: its.iter().filter(|it| it.abandoned.is_some()).count() as u64,
            volume,
            aht_s,
            handle_time: Fitted::of(&handle_sample),
            wrap_up: Fitted::of(&wrap_sample),
            patience,
            fixed_skills,
            skill_mix,
            notes,
            handle_sample,
        });
    }
    out
}

/// The skills of a skills-based queue's items, from each item's first
/// push: the requirements every item had (the queue's `skills`), and the
/// others grouped into dimensions of alternatives no item had two of
/// (a `skill_mix` choice each), with their shares.
#[allow(clippy::type_complexity)]
fn skill_mix(
    items: &[&Item],
    export: &Export,
    skills_by_work: &BTreeMap<&SalesforceId, Vec<Requirement>>,
    notes: &mut Vec<String>,
) -> (
    Vec<Requirement>,
    Vec<(Requirement, Vec<(SalesforceId, f64)>)>,
) {
    let asked: Vec<BTreeSet<Requirement>> = items
        .iter()
        .filter_map(|it| it.works.first())
        .map(|w| {
            skills_by_work
                .get(&export.works[*w].id)
                .map(|v| v.iter().cloned().collect())
                .unwrap_or_default()
        })
        .collect();
    let n = asked.len() as f64;
    if asked.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let mut counts: BTreeMap<&Requirement, usize> = BTreeMap::new();
    for a in &asked {
        for r in a {
            *counts.entry(r).or_default() += 1;
        }
    }
    let fixed: Vec<Requirement> = counts
        .iter()
        .filter(|(_, c)| **c == asked.len())
        .map(|(r, _)| (*r).clone())
        .collect();
    let mut rest: Vec<(&Requirement, usize)> = counts
        .iter()
        .filter(|(_, c)| **c < asked.len())
        .map(|(r, c)| (*r, *c))
        .collect();
    // Most frequent first, then by skill, for a deterministic grouping.
    rest.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let mut mix = Vec::new();
    let mut used: BTreeSet<&Requirement> = BTreeSet::new();
    for (r, _) in &rest {
        if used.contains(r) {
            continue;
        }
        // A dimension: alternatives of the same level and flags that no
        // item asked for together.
        let mut dim: Vec<&Requirement> = vec![*r];
        for (o, _) in &rest {
            let same_kind =
                o.level == r.level && o.additional == r.additional && o.priority == r.priority;
            if used.contains(o) || dim.contains(o) || !same_kind {
                continue;
            }
            let together = asked
                .iter()
                .any(|a| a.contains(*o) && dim.iter().any(|d| a.contains(*d)));
            if !together {
                dim.push(*o);
            }
        }
        let covered = asked
            .iter()
            .filter(|a| dim.iter().any(|d| a.contains(*d)))
            .count();
        if covered < asked.len() {
            notes.push(format!(
                "{} of {} items asked for none of the skills {}: a skill mix draws one for every \
                 item, so their shares are of the items that asked for one",
                asked.len() - covered,
                asked.len(),
                dim.iter()
                    .map(|d| d.skill.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        let shares: Vec<(SalesforceId, f64)> = dim
            .iter()
            .map(|d| (d.skill.clone(), counts[d] as f64 / covered.max(1) as f64))
            .collect();
        used.extend(dim.iter().copied());
        mix.push(((*r).clone(), shares));
    }
    let _ = n;
    (fixed, mix)
}

/// The most frequent value (the smallest among equally frequent ones).
pub fn mode<T: Ord + Clone>(values: impl Iterator<Item = T>) -> Option<T> {
    let mut counts: BTreeMap<T, usize> = BTreeMap::new();
    for v in values {
        *counts.entry(v).or_default() += 1;
    }
    let max = counts.values().copied().max()?;
    counts.into_iter().find(|(_, c)| *c == max).map(|(v, _)| v)
}
