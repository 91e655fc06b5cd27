//! `[[arrivals]]`: one stream of work per queue, its rate (constant, a
//! profile, a profile file or a forecast), handle time, patience, wrap-up,
//! skills, transfer and retrials.

use super::{item, Ctx, Item, Names, Result};
use crate::distribution::Distribution;
use crate::omni::QueueId;
use crate::scenario::error::ScenarioErrorKind as Kind;
use crate::scenario::forecast::{Forecasts, QueueForecast};
use crate::scenario::raw::{describe_item, RawArrivals, RawScenario};
use crate::scenario::{ArrivalRate, ArrivalStream, Queue, SimulationSettings};
use crate::time::SimDuration;
use rustc_hash::FxHashMap;
use std::ops::Range;
use toml::Spanned;

use super::simulation::{humanize, interval_count};
use super::transfers::{transfer, transfer_cycle};

/// `[[arrivals]]`, checked against the queues and skills, with the
/// warnings they give (a profile cut short, forecast rows of no queue).
pub(super) fn check(
    raw: &RawScenario,
    cx: &Ctx<'_>,
    queues: &Names,
    sim: &SimulationSettings,
    queue_list: &[Queue],
    skills: &Names,
) -> Result<(Vec<ArrivalStream>, Vec<String>)> {
    let mut out: Vec<ArrivalStream> = Vec::new();
    let mut warnings: Vec<String> = Vec::new();
    let mut forecasts = Forecasts::default();
    let mut seen: FxHashMap<QueueId, usize> = FxHashMap::default();
    // Each stream's item (for locating a cycle error) and its transfer's
    // span.
    let mut transfer_at: Vec<(Item, Range<usize>)> = Vec::new();
    for (i, a) in raw.arrivals.iter().flatten().enumerate() {
        let mut it = item("arrivals", i, a);
        let ra: &RawArrivals = a.get_ref();
        let q = cx.required(&it, &ra.queue, "queue", "the queue its items enter")?;
        let queue = QueueId(cx.resolve(&it, "queue", q, queues, "queue", "queues")?);
        it.label = describe_item("arrivals", Some(q.get_ref()));
        if let Some(first) = seen.get(&queue) {
            return Err(cx
                .at(Kind::DuplicateName, &it, "queue", q, format!("queue \"{}\" already has arrivals at arrivals[{first}]; expected at most one [[arrivals]] per queue", q.get_ref()))
                .with_hint("merge the two: add their rates, or use a rate_profile"));
        }
        seen.insert(queue, i);
        one_rate_form(cx, &it, ra)?;
        let (rate, forecast) = rate(cx, &it, ra, q, sim, &mut forecasts, &mut warnings)?;
        let handle_time = handle_time(cx, &it, ra)?;
        let rate = match forecast {
            Some(f) => f.into_rate(handle_time.mean_secs()),
            None => rate,
        };
        let patience = patience(cx, &it, ra)?;
        // Zero is allowed ("0s": no wrap-up for this kind of work, whatever
        // the group's); the distribution checks already refuse negatives.
        let wrap_up = match &ra.wrap_up {
            Some(w) => Some(cx.distribution(&it, "wrap_up", w)?),
            None => None,
        };
        let routing = crate::scenario::skills::arrival_routing(
            cx,
            &it,
            ra,
            &queue_list[queue.index()],
            skills,
        )?;
        let transfer = match &ra.transfer {
            Some(t) => {
                transfer_at.push((it.clone(), t.span()));
                Some(transfer(cx, &it, queue, t, queues)?)
            }
            None => None,
        };
        let retrial = match &ra.retrial {
            Some(r) => Some(crate::scenario::demand::retrial(
                cx,
                &it,
                r,
                patience.as_ref(),
            )?),
            None => None,
        };
        out.push(ArrivalStream {
            queue,
            rate,
            handle_time,
            patience,
            wrap_up,
            skills: routing.skills,
            skill_mix: routing.skill_mix,
            priority: routing.priority,
            secondary_priority: routing.secondary_priority,
            transfer,
            retrial,
            recorded: None,
        });
    }
    transfer_cycle(cx, &out, &transfer_at, queues)?;
    warnings.extend(forecasts.warnings(&queues.names));
    Ok((out, warnings))
}

/// At most one of the rate forms is given (none is caught by [`rate`]).
fn one_rate_form(cx: &Ctx<'_>, it: &Item, ra: &RawArrivals) -> Result<()> {
    let given: Vec<(&str, Range<usize>)> = [
        ra.rate_per_hour
            .as_ref()
            .map(|v| ("rate_per_hour", v.span())),
        ra.rate_profile.as_ref().map(|v| ("rate_profile", v.span())),
        ra.rate_profile_csv
            .as_ref()
            .map(|v| ("rate_profile_csv", v.span())),
        ra.forecast_csv.as_ref().map(|v| ("forecast_csv", v.span())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let [(first, _), (second, span), ..] = given.as_slice() {
        return Err(cx.err(
            Kind::Inconsistent,
            Some(span.clone()),
            it.path(second),
            format!(
                "{}: `{first}` and `{second}` are both set; expected exactly one of \
                 `rate_per_hour`, `rate_profile`, `rate_profile_csv` or `forecast_csv`",
                it.label
            ),
        ));
    }
    Ok(())
}

/// The stream's rate, from whichever form is given; a forecast is
/// returned as read, to be made a rate once the handle time is known
/// (its `aht_s` scales it).
#[allow(clippy::too_many_arguments)]
fn rate(
    cx: &Ctx<'_>,
    it: &Item,
    ra: &RawArrivals,
    queue: &Spanned<String>,
    sim: &SimulationSettings,
    forecasts: &mut Forecasts,
    warnings: &mut Vec<String>,
) -> Result<(ArrivalRate, Option<QueueForecast>)> {
    if let Some(r) = &ra.rate_per_hour {
        let v = *r.get_ref();
        if !(v.is_finite() && v > 0.0) {
            return Err(cx.at(
                Kind::InvalidValue,
                it,
                "rate_per_hour",
                r,
                format!("`rate_per_hour` is {v}; expected a number of items per hour above 0"),
            ));
        }
        Ok((ArrivalRate::Constant(v), None))
    } else if let Some(p) = &ra.rate_profile {
        let values: Vec<f64> = p.get_ref().iter().map(|v| *v.get_ref()).collect();
        for (j, v) in p.get_ref().iter().enumerate() {
            let x = *v.get_ref();
            if !(x.is_finite() && x >= 0.0) {
                return Err(cx.at(
                    Kind::InvalidValue,
                    it,
                    &format!("rate_profile[{j}]"),
                    v,
                    format!("rate {x} is not a rate; expected items per hour of 0 or more"),
                ));
            }
        }
        let rate = profile(cx, it, "rate_profile", p, values, sim, warnings)?;
        Ok((rate, None))
    } else if let Some(f) = &ra.rate_profile_csv {
        let values = cx.read_values_csv(it, "rate_profile_csv", f, |t| match t.parse::<f64>() {
            Ok(v) if v.is_finite() && v >= 0.0 => Ok(v),
            _ => Err(format!(
                "\"{t}\" is not a rate; expected items per hour of 0 or more"
            )),
        })?;
        let rate = profile(cx, it, "rate_profile_csv", f, values, sim, warnings)?;
        Ok((rate, None))
    } else if let Some(f) = &ra.forecast_csv {
        let read = forecasts.read(cx, it, f, queue.get_ref(), sim)?;
        Ok((ArrivalRate::Constant(0.0), Some(read)))
    } else {
        Err(cx
            .missing(
                it,
                "rate_per_hour",
                "or `rate_profile` / `rate_profile_csv` / `forecast_csv`: how fast items arrive",
            )
            .with_hint("e.g. rate_per_hour = 120"))
    }
}

/// `handle_time`: required, a distribution with a mean above 0.
fn handle_time(cx: &Ctx<'_>, it: &Item, ra: &RawArrivals) -> Result<Distribution> {
    let ht = cx.required(
        it,
        &ra.handle_time,
        "handle_time",
        "a distribution, e.g. { dist = \"exponential\", mean = \"6m\" }",
    )?;
    let handle_time = cx.distribution(it, "handle_time", ht)?;
    if handle_time.mean_secs() <= 0.0 {
        return Err(cx.at(
            Kind::InvalidValue,
            it,
            "handle_time",
            ht,
            "`handle_time` averages 0 seconds; expected a mean above 0".into(),
        ));
    }
    Ok(handle_time)
}

/// `patience`: none (nobody abandons) or a distribution with a mean
/// above 0.
fn patience(cx: &Ctx<'_>, it: &Item, ra: &RawArrivals) -> Result<Option<Distribution>> {
    let Some(p) = &ra.patience else {
        return Ok(None);
    };
    let d = cx.distribution(it, "patience", p)?;
    if d.mean_secs() <= 0.0 {
        return Err(cx
            .at(Kind::InvalidValue, it, "patience", p, "`patience` averages 0 seconds, so every item would abandon at once; expected a mean above 0".into())
            .with_hint("leave `patience` out if nobody abandons"));
    }
    Ok(Some(d))
}

/// A rate profile (`rate_profile` or the values of `rate_profile_csv`):
/// some rate above 0, at most one per interval; one cut short is legal but
/// gets a warning.
fn profile<T>(
    cx: &Ctx<'_>,
    it: &Item,
    key: &str,
    at: &Spanned<T>,
    values: Vec<f64>,
    sim: &SimulationSettings,
    warnings: &mut Vec<String>,
) -> Result<ArrivalRate> {
    let intervals = interval_count(sim);
    if values.is_empty() || values.iter().all(|v| *v == 0.0) {
        return Err(cx.at(Kind::InvalidValue, it, key, at, format!("`{key}` has no rate above 0; expected items per hour for each interval, at least one above 0")));
    }
    if values.len() > intervals {
        return Err(cx
            .at(
                Kind::Inconsistent,
                it,
                key,
                at,
                format!(
                    "`{key}` has {} rates but the measured period has only {intervals} intervals of {}; expected at most {intervals}",
                    values.len(),
                    humanize(sim.interval)
                ),
            )
            .with_hint("one rate per reporting interval; the last rate holds to the end of the run"));
    }
    if values.len() < intervals {
        // Legal (the last rate holds), but often a profile cut short.
        let clock = sim.clock();
        let from = SimDuration(sim.interval.0 * values.len() as u64);
        let queue = it
            .label
            .strip_prefix("arrivals for queue ")
            .unwrap_or(&it.label);
        warnings.push(format!(
            "{key} of queue {queue} has {} value{} for {intervals} intervals of the day; the last value is held from {}",
            values.len(),
            if values.len() == 1 { "" } else { "s" },
            clock.label(clock.instant(from))
        ));
    }
    Ok(ArrivalRate::Profile {
        interval: sim.interval,
        per_hour: values,
        aht_scale: None,
    })
}
