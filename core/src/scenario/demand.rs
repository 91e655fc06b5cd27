//! Demand beyond the forecast rate: `[simulation] busyness` (the whole
//! day running above or below the forecast) and `arrivals[].retrial`
//! (abandoning customers who try again).
//!
//! Both are checked here, once, so the generator can trust them; see
//! [`crate::arrivals`] for what they do in a run.

use super::error::{list_names, suggest, ScenarioErrorKind as Kind};
use super::raw::{RawBusyness, RawRetrial};
use super::validate::{Ctx, Item};
use super::{Busyness, BusynessDist, Retrial};
use crate::distribution::Distribution;
use toml::Spanned;

type Result<T> = std::result::Result<T, super::ScenarioError>;

/// The `dist` names of `busyness`, in the order the docs list them.
const BUSYNESS_DISTS: [&str; 2] = ["gamma", "lognormal"];

/// `[simulation] busyness = { dist, cv }`.
pub(super) fn busyness(cx: &Ctx<'_>, it: &Item, raw: &Spanned<RawBusyness>) -> Result<Busyness> {
    let b = raw.get_ref();
    let example = "e.g. busyness = { dist = \"gamma\", cv = 0.1 }";
    let missing = |key: &str, what: &str| {
        cx.err(
            Kind::MissingKey,
            Some(raw.span()),
            it.path(&format!("busyness.{key}")),
            format!("{}: `busyness` has no `{key}` ({what})", it.label),
        )
        .with_hint(example)
    };
    let Some(dist) = &b.dist else {
        return Err(missing(
            "dist",
            &format!(
                "the shape of the day's factor: {}",
                list_names(BUSYNESS_DISTS)
            ),
        ));
    };
    let dist = match dist.get_ref().as_str() {
        "gamma" => BusynessDist::Gamma,
        "lognormal" => BusynessDist::LogNormal,
        other => {
            return Err(cx
                .at(
                    Kind::InvalidValue,
                    it,
                    "busyness.dist",
                    dist,
                    format!(
                        "unknown busyness distribution \"{other}\"; expected {}",
                        list_names(BUSYNESS_DISTS)
                    ),
                )
                .with_maybe_hint(
                    suggest(other, BUSYNESS_DISTS).map(|s| format!("did you mean \"{s}\"?")),
                ))
        }
    };
    let Some(cv) = &b.cv else {
        return Err(missing(
            "cv",
            "the day factor's coefficient of variation, e.g. 0.1 for days typically 10% off the forecast",
        ));
    };
    let v = *cv.get_ref();
    if !(v.is_finite() && v >= 0.0) {
        return Err(cx
            .at(
                Kind::InvalidValue,
                it,
                "busyness.cv",
                cv,
                format!("`cv` is {v}; expected a coefficient of variation of 0 or more"),
            )
            .with_hint("0.1 means a day's volume is typically 10% above or below the forecast"));
    }
    Ok(Busyness { dist, cv: v })
}

/// `arrivals[].retrial = { probability, delay }`; `patience` is the
/// stream's, since only a customer who can abandon can try again.
pub(super) fn retrial(
    cx: &Ctx<'_>,
    it: &Item,
    raw: &Spanned<RawRetrial>,
    patience: Option<&Distribution>,
) -> Result<Retrial> {
    let r = raw.get_ref();
    let example =
        "e.g. retrial = { probability = 0.4, delay = { dist = \"exponential\", mean = \"10m\" } }";
    let missing = |key: &str, what: &str| {
        cx.err(
            Kind::MissingKey,
            Some(raw.span()),
            it.path(&format!("retrial.{key}")),
            format!("{}: `retrial` has no `{key}` ({what})", it.label),
        )
        .with_hint(example)
    };
    if r.probability.is_none() {
        return Err(missing(
            "probability",
            "the share of abandoning customers who try again",
        ));
    }
    let probability = cx.probability(it, "retrial.probability", &r.probability, 0.0)?;
    let Some(delay_raw) = &r.delay else {
        return Err(missing(
            "delay",
            "how long after abandoning a customer tries again",
        ));
    };
    let delay = cx.distribution(it, "retrial.delay", delay_raw)?;
    if delay.mean_secs() <= 0.0 {
        return Err(cx.at(
            Kind::InvalidValue,
            it,
            "retrial.delay",
            delay_raw,
            "`retrial.delay` averages 0 seconds, so a customer would call back the instant they hang up; expected a mean above 0".into(),
        ));
    }
    if patience.is_none() {
        return Err(cx
            .err(
                Kind::Inconsistent,
                Some(raw.span()),
                it.path("retrial"),
                format!(
                    "{}: `retrial` is set but the stream has no `patience`: nobody abandons, so nobody can try again",
                    it.label
                ),
            )
            .with_hint("add a patience distribution, or remove `retrial`"));
    }
    Ok(Retrial { probability, delay })
}

#[cfg(test)]
mod tests {
    use crate::distribution::Distribution;
    use crate::scenario::{Busyness, BusynessDist, Retrial, Scenario, ScenarioErrorKind as Kind};

    fn load(simulation: &str, arrivals: &str) -> Result<Scenario, crate::scenario::ScenarioError> {
        Scenario::from_toml_str(
            &format!(
                "[simulation]\nname = \"t\"\nduration = \"1h\"\n{simulation}\n\
                 [[channels]]\nname = \"phone\"\n[[statuses]]\nname = \"Available\"\nchannels = [\"phone\"]\n\
                 [[presence_configs]]\nname = \"p\"\ncapacity = 1\n\
                 [[queues]]\nname = \"q\"\nchannel = \"phone\"\nrouting_model = \"most_available\"\ncapacity_weight = 1\n\
                 [[arrivals]]\nqueue = \"q\"\nrate_per_hour = 10\nhandle_time = 60\n{arrivals}\n\
                 [[agents]]\ngroup = \"g\"\ncount = 1\npresence_config = \"p\"\nstatus = \"Available\"\n"
            ),
            "t.toml",
        )
    }

    #[test]
    fn busyness_takes_a_distribution_and_a_cv() {
        let s = load("busyness = { dist = \"lognormal\", cv = 0.2 }", "").unwrap();
        assert_eq!(
            s.simulation.busyness,
            Some(Busyness {
                dist: BusynessDist::LogNormal,
                cv: 0.2
            })
        );
        assert_eq!(load("", "").unwrap().simulation.busyness, None);
        let e = load("busyness = { dist = \"gamma\", cv = nan }", "").unwrap_err();
        assert_eq!(e.key_path(), Some("simulation.busyness.cv"));
        let e = load("busyness = { dist = \"gamma\", cv = inf }", "").unwrap_err();
        assert!(e.message().contains("`cv` is inf"), "{e}");
        let e = load("busyness = { cv = 0.1 }", "").unwrap_err();
        assert_eq!(e.kind(), Kind::MissingKey);
        assert_eq!(e.key_path(), Some("simulation.busyness.dist"));
        let e = load("busyness = { dist = \"normal\", cv = 0.1 }", "").unwrap_err();
        assert_eq!(e.hint(), Some("did you mean \"lognormal\"?"));
        let e = load("busyness = { dist = \"weibull\", cv = 0.1 }", "").unwrap_err();
        assert_eq!(e.hint(), None, "nothing close enough to suggest: {e}");
    }

    #[test]
    fn check_shows_busyness_and_retrials() {
        let s = load(
            "busyness = { dist = \"gamma\", cv = 0.15 }",
            "patience = \"2m\"\nretrial = { probability = 0.4, delay = \"10m\" }",
        )
        .unwrap();
        let text = crate::scenario::render_summary(&s);
        assert!(
            text.contains(
                "  busyness       gamma, cv 0.15 (one factor per replication on every rate)\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("mean patience 2m (120 s); 40% of those who abandon try again after a mean 10m (600 s)"),
            "{text}"
        );
        let plain = crate::scenario::render_summary(&load("", "").unwrap());
        assert!(
            !plain.contains("busyness") && !plain.contains("try again"),
            "{plain}"
        );
    }

    #[test]
    fn a_retrial_needs_a_probability_a_delay_above_zero_and_patience() {
        let patience = "patience = \"2m\"\n";
        let s = load(
            "",
            &format!("{patience}retrial = {{ probability = 0.4, delay = {{ dist = \"exponential\", mean = \"10m\" }} }}"),
        )
        .unwrap();
        assert_eq!(
            s.arrivals[0].retrial,
            Some(Retrial {
                probability: 0.4,
                delay: Distribution::Exponential { mean: 600.0 }
            })
        );
        let e = load("", &format!("{patience}retrial = {{ delay = \"10m\" }}")).unwrap_err();
        assert_eq!(e.key_path(), Some("arrivals[0].retrial.probability"));
        let e = load("", &format!("{patience}retrial = {{ probability = 0.4 }}")).unwrap_err();
        assert_eq!(e.key_path(), Some("arrivals[0].retrial.delay"));
        let e = load(
            "",
            &format!("{patience}retrial = {{ probability = 0.4, delay = 0 }}"),
        )
        .unwrap_err();
        assert!(e.message().contains("averages 0 seconds"), "{e}");
        let e = load(
            "",
            &format!("{patience}retrial = {{ probability = 0.4, delay = {{ dist = \"exponential\", mean = -1 }} }}"),
        )
        .unwrap_err();
        assert_eq!(e.key_path(), Some("arrivals[0].retrial.delay.mean"));
    }
}
