//! `omnisim erlang`: analytic Erlang C / Erlang A figures and staffing.

use super::{parse_secs, CliError};
use crate::analytic::{evaluate, required_agents, ErlangFigures, ErlangInput, StaffingTarget};
use clap::Args;

/// Analytic Erlang C (M/M/c) or, with --patience, Erlang A (M/M/c+M)
/// figures; with --target-sl instead of --agents, the smallest staffing
/// that meets the targets.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim erlang --agents 20 --rate 200 --aht 300 --threshold 20s\n  \
    omnisim erlang --agents 10 --rate 100 --aht 5m --patience 2m\n  \
    omnisim erlang --rate 100 --aht 300 --target-sl 0.8 --max-abandon 0.05 --patience 2m")]
pub(super) struct ErlangArgs {
    /// Number of agents (servers). Omit it with --target-sl to search.
    #[arg(
        long,
        required_unless_present = "target_sl",
        conflicts_with = "target_sl"
    )]
    agents: Option<u32>,
    /// Arrivals per hour.
    #[arg(long)]
    rate: f64,
    /// Mean handle time: seconds or a duration (`300`, `5m`).
    #[arg(long, value_parser = parse_secs)]
    aht: f64,
    /// Service-level threshold (`20s`).
    #[arg(long, value_parser = parse_secs, default_value = "20s")]
    threshold: f64,
    /// Mean patience (exponential); selects Erlang A.
    #[arg(long, value_parser = parse_secs)]
    patience: Option<f64>,
    /// Staffing target: service level to reach, e.g. 0.8 for 80/20.
    #[arg(long)]
    target_sl: Option<f64>,
    /// Staffing target: highest acceptable abandonment probability.
    #[arg(long, requires = "target_sl")]
    max_abandon: Option<f64>,
    /// Staffing target: highest acceptable average speed of answer.
    #[arg(long, requires = "target_sl", value_parser = parse_secs)]
    max_asa: Option<f64>,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

pub(super) fn erlang(args: ErlangArgs) -> Result<(), CliError> {
    let input = ErlangInput {
        agents: args.agents.unwrap_or(1),
        arrival_rate_per_hour: args.rate,
        mean_handle_time_s: args.aht,
        service_level_threshold_s: args.threshold,
        mean_patience_s: args.patience,
    };
    let (figures, agents) = match args.target_sl {
        Some(sl) => {
            let target = StaffingTarget {
                service_level: sl,
                max_p_abandon: args.max_abandon,
                max_asa_s: args.max_asa,
            };
            let r = required_agents(&input, target).map_err(CliError::invalid)?;
            (r.figures, r.agents)
        }
        None => (evaluate(&input).map_err(CliError::invalid)?, input.agents),
    };
    if args.json {
        // The input as evaluated: with targets, the staffing found, not the
        // placeholder the search started from.
        let evaluated = ErlangInput { agents, ..input };
        let targets = args.target_sl.map(|sl| {
            serde_json::json!({
                "service_level": sl,
                "max_p_abandon": args.max_abandon,
                "max_asa_s": args.max_asa,
            })
        });
        let out = serde_json::json!({
            "model": if input.mean_patience_s.is_some() { "erlang_a" } else { "erlang_c" },
            "mode": if targets.is_some() { "staffing" } else { "figures" },
            "agents": agents,
            "targets": targets,
            "input": evaluated,
            "figures": figures,
        });
        super::print_json(&out)?;
    } else {
        print!(
            "{}",
            render(agents, &input, &figures, args.target_sl.is_some())
        );
    }
    Ok(())
}

fn render(agents: u32, input: &ErlangInput, f: &ErlangFigures, staffing: bool) -> String {
    let mut s = String::new();
    let model = if input.mean_patience_s.is_some() {
        "Erlang A (M/M/c+M)"
    } else {
        "Erlang C (M/M/c)"
    };
    s.push_str(&format!("{model}\n"));
    if staffing {
        s.push_str(&format!("  agents needed          {agents}\n"));
    } else {
        s.push_str(&format!("  agents                 {agents}\n"));
    }
    s.push_str(&format!(
        "  arrivals               {} /hour\n",
        input.arrival_rate_per_hour
    ));
    s.push_str(&format!(
        "  mean handle time       {} s\n",
        input.mean_handle_time_s
    ));
    if let Some(p) = input.mean_patience_s {
        s.push_str(&format!("  mean patience          {p} s\n"));
    }
    s.push_str(&format!(
        "  offered load           {:.4} Erlangs\n",
        f.offered_load_erlangs
    ));
    if !f.stable {
        s.push_str("  unstable: offered load >= agents, the queue grows without bound\n");
        return s;
    }
    let t = input.service_level_threshold_s;
    s.push_str(&format!("  P(wait)                {}\n", sig5(f.p_wait)));
    s.push_str(&format!("  ASA                    {} s\n", sig5(f.asa_s)));
    s.push_str(&format!(
        "  service level ({t} s)   {}\n",
        sig5(f.service_level)
    ));
    if input.mean_patience_s.is_some() {
        s.push_str(&format!("  P(abandon)             {}\n", sig5(f.p_abandon)));
    }
    s.push_str(&format!("  occupancy              {}\n", sig5(f.occupancy)));
    s.push_str(&format!(
        "  mean queue length      {}\n",
        sig5(f.mean_queue_length)
    ));
    s
}

/// Five significant figures, the precision queueing tables quote.
fn sig5(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (4 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    use super::sig5;

    #[test]
    fn five_significant_figures() {
        assert_eq!(sig5(87.76996), "87.770");
        assert_eq!(sig5(0.0851049), "0.085105");
        assert_eq!(sig5(0.48761), "0.48761");
        assert_eq!(sig5(12345.67), "12346");
    }
}
