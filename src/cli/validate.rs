//! `omnisim validate`: the simulator against Erlang C / Erlang A.

use super::CliError;
use crate::output::{split_file_path, write_atomically};
use crate::validation::{cases, render_markdown, run_case};
use clap::Args;
use std::path::PathBuf;

/// Run the validation suite: Erlang-equivalent centres simulated and
/// compared with the analytic figures (99% confidence intervals).
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
    let mut results = Vec::new();
    for case in cases().iter().filter(|c| {
        args.case
            .as_ref()
            .is_none_or(|n| c.name.contains(n.as_str()))
    }) {
        let r = run_case(case, args.seed, jobs)
            .map_err(|e| CliError::failure(format!("case `{}`: {e}", case.name)))?;
        if !args.output.text() {
            results.push(r);
            continue;
        }
        println!(
            "{}  [{}]",
            r.case.name,
            if r.passed() { "pass" } else { "FAIL" }
        );
        for k in &r.checks {
            println!(
                "    {:<14} analytic {:>10.5}  simulated {:>10.5}  99% CI [{:.5}, {:.5}]  {:+.2}%{}",
                k.metric,
                k.analytic,
                k.mean,
                k.low,
                k.high,
                100.0 * k.relative_error,
                if k.passed { "" } else { "  <-- outside" }
            );
        }
        results.push(r);
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
            "passed": results.iter().all(|r| r.passed()),
            "cases": results,
            "markdown": args.markdown.as_ref().map(|p| p.display().to_string()),
        }))?;
    }
    let failed = results.iter().filter(|r| !r.passed()).count();
    if failed > 0 {
        return Err(CliError::failure(format!(
            "{failed} validation case(s) failed"
        )));
    }
    Ok(())
}
