//! `omnisim bench`: the scaling series, each size in a fresh process.

use super::CliError;
use crate::bench::{measure, run_des_baseline, BenchReport, Measurement};
use crate::output::{split_file_path, write_atomically};
use crate::workload::SEED;
use clap::Args;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Time one simulated day of an Erlang-equivalent centre (8 h, capacity 1,
/// exponential handle time 300 s, occupancy 0.9, Most Available,
/// auto-accept) at 100, 1,000 and 10,000 agents; print and write
/// bench.json and bench.csv with items/s, events/s, cost per item and peak
/// memory, and whether the performance targets are met.
///
/// Every size runs in its own child process, so its peak memory (VmHWM)
/// is not inflated by a bigger size run before it. Build with --release:
/// a debug build is many times slower.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    cargo run --release -- bench\n  \
    cargo run --release -- bench --sizes 100,1000 --out /tmp/bench\n  \
    cargo run --release -- bench --repeat 5\n  \
    cargo run --release -- bench --with-work-csv --chart docs/img/cost-per-item.svg")]
pub(super) struct BenchArgs {
    /// Agent counts to simulate, comma-separated; run in increasing order.
    // The default spelled as text so --help shows it with commas.
    #[arg(long, value_delimiter = ',', default_value = "100,1000,10000",
          value_parser = clap::value_parser!(u32).range(1..))]
    sizes: Vec<u32>,
    /// Folder for bench.json and bench.csv.
    #[arg(long, default_value = "results")]
    out: PathBuf,
    /// Also stream work.csv (to a temporary file, deleted afterwards), so
    /// its time and memory are measured as `omnisim run` would spend them.
    #[arg(long)]
    with_work_csv: bool,
    /// Also draw cost per item against agents as an SVG file.
    #[arg(long)]
    chart: Option<PathBuf>,
    /// Simulate each size this many times (in its one process) and report
    /// the median wall time: short days vary a lot from run to run.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    repeat: u32,
    /// Seed of the simulated day.
    #[arg(long, default_value_t = SEED)]
    seed: u64,
    /// The DES baseline's binary (a plain event loop of the same day):
    /// run it on each size side by side and print omnisim's time per item
    /// as a multiple of its. Default: $OMNISIM_DES_BASELINE, if set.
    #[arg(long, value_name = "BINARY", env = "OMNISIM_DES_BASELINE")]
    des_baseline: Option<PathBuf>,
    /// Internal: measure this one size and print it as JSON (what each
    /// child process does).
    #[arg(long, hide = true)]
    child: Option<u32>,
    #[command(flatten)]
    output: super::OutputArgs,
}

pub(super) fn bench(args: BenchArgs) -> Result<(), CliError> {
    if let Some(agents) = args.child {
        let m = measure(agents, args.seed, args.with_work_csv, args.repeat)
            .map_err(|e| CliError::failure(format!("cannot write the temporary work.csv: {e}")))?;
        let line = serde_json::to_string(&m).expect("a measurement is plain data");
        println!("{line}");
        return Ok(());
    }
    if cfg!(debug_assertions) {
        eprintln!(
            "warning: debug build; the figures say little. Use `cargo run --release -- bench`."
        );
    }
    let mut sizes = args.sizes.clone();
    sizes.sort_unstable();
    sizes.dedup();
    let exe = std::env::current_exe()
        .map_err(|e| CliError::failure(format!("cannot find the omnisim executable: {e}")))?;
    let mut measurements = Vec::with_capacity(sizes.len());
    let mut des = Vec::new();
    for &agents in &sizes {
        if !args.output.quiet {
            eprint!("{agents} agents … ");
        }
        let m = run_child(&exe, agents, &args)?;
        if !args.output.quiet {
            eprint!("{:.3} s", m.wall_s);
        }
        measurements.push(m);
        if let Some(binary) = &args.des_baseline {
            let p = run_des_baseline(binary, agents, args.seed, args.repeat)
                .map_err(CliError::failure)?;
            if !args.output.quiet {
                eprint!("; DES baseline {:.3} s", p.wall_s);
            }
            des.push(p);
        }
        if !args.output.quiet {
            eprintln!();
        }
    }
    let report = BenchReport::new(
        measurements,
        args.seed,
        args.with_work_csv,
        "VmHWM of a fresh process that simulated only this size",
    )
    .with_des(&des);
    if args.output.text() {
        print!("{}", report.render_text());
    }
    let mut written = report
        .write_files(&args.out)
        .map_err(|e| CliError::failure(format!("cannot write to `{}`: {e}", args.out.display())))?;
    if let Some(path) = &args.chart {
        let svg = report.render_chart().map_err(CliError::failure)?;
        write_chart(path, svg.as_bytes())?;
        written.push(path.clone());
    }
    if args.output.json {
        return super::print_json(&serde_json::json!({
            "report": report,
            "files": super::paths_json(&written),
        }));
    }
    if args.output.text() {
        for p in &written {
            println!("wrote {}", p.display());
        }
    }
    Ok(())
}

/// Runs `omnisim bench --child N` and reads its one JSON line.
fn run_child(exe: &Path, agents: u32, args: &BenchArgs) -> Result<Measurement, CliError> {
    let mut cmd = Command::new(exe);
    cmd.args([
        "bench",
        "--child",
        &agents.to_string(),
        "--seed",
        &args.seed.to_string(),
        "--repeat",
        &args.repeat.to_string(),
    ]);
    if args.with_work_csv {
        cmd.arg("--with-work-csv");
    }
    let out = cmd
        .stdin(Stdio::null())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| CliError::failure(format!("cannot start `{}`: {e}", exe.display())))?;
    if !out.status.success() {
        // Ctrl-C reaches the child too (same process group).
        if was_interrupted(&out.status) {
            return Err(CliError::interrupted(
                "interrupted; no result file was written",
            ));
        }
        return Err(CliError::failure(format!(
            "the {agents}-agent run failed ({})",
            out.status
        )));
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().last().unwrap_or_default();
    serde_json::from_str(line).map_err(|e| {
        CliError::failure(format!(
            "unexpected output of the {agents}-agent run ({e}): {line}"
        ))
    })
}

/// Whether the child stopped because of Ctrl-C (SIGINT, or our own exit
/// code for it).
fn was_interrupted(status: &std::process::ExitStatus) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if status.signal() == Some(2) {
            return true;
        }
    }
    status.code() == Some(super::EXIT_INTERRUPTED)
}

fn write_chart(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let fail =
        |e: std::io::Error| CliError::failure(format!("cannot write `{}`: {e}", path.display()));
    let (dir, name) =
        split_file_path(path).ok_or_else(|| CliError::invalid("--chart needs a file name"))?;
    std::fs::create_dir_all(dir).map_err(fail)?;
    write_atomically(dir, name, bytes).map_err(fail)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::BenchArgs;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrapper {
        #[command(flatten)]
        args: BenchArgs,
    }

    #[test]
    fn default_sizes_are_the_library_series() {
        let w = Wrapper::parse_from(["bench"]);
        assert_eq!(w.args.sizes, [100, 1_000, 10_000]);
        let w = Wrapper::parse_from(["bench", "--sizes", "1000,100"]);
        assert_eq!(w.args.sizes, [1000, 100]);
    }
}
