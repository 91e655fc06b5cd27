//! `omnisim validate`: the simulator against Erlang C / Erlang A, and
//! blended work against the throughput of the agents' idle time.

use super::CliError;
use crate::output::{split_file_path, write_atomically};
use crate::validation::blended::{blended_cases, render_blended_markdown, run_blended};
use crate::validation::{cases, render_markdown, run_case, MetricCheck};
use clap::Args;
use std::path::PathBuf;

/// Run the validation suite: Erlang-equivalent centres simulated and
/// compared with the analytic figures (99% confidence intervals), and
/// blended centres whose email throughput must be that of the agents'
/// time free of chats.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim validate\n  \
    omnisim validate --markdown docs/VALIDATION.md")]
pub(super) struct ValidateArgs {
    /// Base seed.
    #[arg(long, default_value_t = 2026)]
    seed: u64,
    /// Replications run in parallel (default: the number of cores).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
    jobs: Option<u32>,
    /// Only cases whose name contains this text.
    #[arg(long)]
    case: Option<String>,
    /// Also write the table as Markdown to this file (atomically).
    #[arg(long)]
    markdown: Option<PathBuf>,
    #[command(flatten)]
    output: super::OutputArgs,
}

pub(super) fn validate(args: ValidateArgs) -> Result<(), CliError> {
    let jobs = args
        .jobs
        .map(|j| j as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let chosen = |name: &str| args.case.as_ref().is_none_or(|n| name.contains(n.as_str()));
    let mut results = Vec::new();
    for case in cases().iter().filter(|c| chosen(&c.name)) {
        let r = run_case(case, args.seed, jobs)
            .map_err(|e| CliError::failure(format!("case `{}`: {e}", case.name)))?;
        if args.output.text() {
            print_checks(&r.case.name, r.passed(), &r.checks);
        }
        results.push(r);
    }
    let mut blended = Vec::new();
    for case in blended_cases().iter().filter(|c| chosen(&c.name)) {
        let r = run_blended(case, args.seed, jobs)
            .map_err(|e| CliError::failure(format!("case `{}`: {e}", case.name)))?;
        if args.output.text() {
            print_checks(&r.case.name, r.passed(), &r.checks);
        }
        blended.push(r);
    }
    if let Some(path) = &args.markdown {
        let command = format!(
            "cargo run --release -- validate --seed {} --markdown {}",
            args.seed,
            path.display()
        );
        let mut text = render_markdown(&results, args.seed, &command);
        text.push_str(&crate::plan::erlang_day::render_markdown(
            &crate::plan::erlang_day::compare(args.seed, jobs),
        ));
        text.push_str(&render_blended_markdown(&blended));
        let (dir, name) = split_file_path(path)
            .ok_or_else(|| CliError::invalid("--markdown needs a file name"))?;
        write_atomically(dir, name, text.as_bytes())
            .map_err(|e| CliError::failure(format!("cannot write `{}`: {e}", path.display())))?;
        if args.output.text() {
            println!("wrote {}", path.display());
        }
    }
    if args.output.json {
        super::print_json(&serde_json::json!({
            "seed": args.seed,
            "passed": results.iter().all(|r| r.passed()) && blended.iter().all(|r| r.passed()),
            "cases": results,
            "blended": blended,
            "markdown": args.markdown.as_ref().map(|p| p.display().to_string()),
        }))?;
    }
    let failed = results.iter().filter(|r| !r.passed()).count()
        + blended.iter().filter(|r| !r.passed()).count();
    if failed > 0 {
        return Err(CliError::failure(format!(
            "{failed} validation case(s) failed"
        )));
    }
    Ok(())
}

/// One case's line and one line per figure.
fn print_checks(name: &str, passed: bool, checks: &[MetricCheck]) {
    println!("{name}  [{}]", if passed { "pass" } else { "FAIL" });
    for k in checks {
        println!(
            "    {:<19} analytic {:>10.5}  simulated {:>10.5}  99% CI [{:.5}, {:.5}]  {:+.2}%{}",
            k.metric,
            k.analytic,
            k.mean,
            k.low,
            k.high,
            100.0 * k.relative_error,
            if k.passed { "" } else { "  <-- outside" }
        );
    }
}
