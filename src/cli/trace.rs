//! `omnisim trace`: narrate one replication, event by event.

use super::CliError;
use crate::clock::DayClock;
use crate::engine::{run_replication, RunOptions};
use crate::events::{EventKind, EventSink, SimEvent};
use crate::omni::{AgentId, AgentWorkId, QueueId, WorkItemId};
use crate::scenario::Scenario;
use crate::time::SimTime;
use crate::trace::{Narrator, Tone, TraceFilter, TraceLine};
use clap::{Args, ValueEnum};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// Output format.
#[derive(Copy, Clone, Debug, PartialEq, Eq, ValueEnum)]
enum Format {
    /// One narrated line per event.
    Text,
    /// One JSON object per event: the event plus its narration in `text`.
    Jsonl,
}

/// Narrate one replication event by event: arrivals, every routing
/// decision with the eligible agents and the rule that picked one, pushes,
/// answers, push timeouts, status changes, re-queues, abandonment.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    omnisim trace scenarios/push_timeout_cascade.toml\n  \
    omnisim trace scenarios/quickstart.toml --from 12:00 --until 12:10 --queue Chat\n  \
    omnisim trace scenarios/push_timeout_cascade.toml --from 1h --until 1h10m\n  \
    omnisim trace scenarios/push_timeout_cascade.toml --work 500000000000042 --limit 0\n  \
    omnisim trace scenarios/support_centre.toml --agent 3 --format jsonl > agent3.jsonl\n\n\
    Agents are numbered from 0 across groups in scenario order, as in agents.csv.\n\
    Times are clock times of the simulated day ([simulation] start, 00:00 without one);\n\
    the warm-up runs before start. --from and --until take a clock time (12:00), any time\n\
    the trace prints, or a duration from start (1h30m; -10m is in the warm-up).")]
pub(super) struct TraceArgs {
    /// The scenario file (TOML).
    file: PathBuf,
    /// Narrate from this time on: a clock time (`12:00`) or a duration
    /// from the start of the day (`1h30m`, `5400`).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    from: Option<String>,
    /// Narrate up to this time (the same forms); the simulation stops
    /// there.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    until: Option<String>,
    /// Only events about this agent (its number in agents.csv, from 0).
    #[arg(long, value_name = "N")]
    agent: Option<u32>,
    /// Only events about this queue.
    #[arg(long, value_name = "NAME")]
    queue: Option<String>,
    /// Only one item's story: its work item id (500…) or the AgentWork id
    /// (0Bz…) of one of its pushes.
    #[arg(long, value_name = "ID")]
    work: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Base seed (overrides [simulation] seed).
    #[arg(long)]
    seed: Option<u64>,
    /// Which replication to narrate (0 = the first one `run` simulates).
    #[arg(long, default_value_t = 0, value_name = "N")]
    replication: u32,
    /// Stop after this many lines; 0 = no limit.
    #[arg(long, default_value_t = 500, value_name = "N")]
    limit: usize,
    #[command(flatten)]
    limits: super::limits::LimitArgs,
}

/// A `--work` argument.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
enum WorkRef {
    Item(WorkItemId),
    Push(AgentWorkId),
}

fn parse_work(text: &str) -> Result<WorkRef, String> {
    let t = text.trim();
    if let Some(w) = AgentWorkId::parse(t) {
        return Ok(WorkRef::Push(w));
    }
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        // The printed form is `500` + 12 digits; a shorter number is taken
        // as the item's arrival number.
        let digits = if t.len() == 15 && t.starts_with("500") {
            &t[3..]
        } else {
            t
        };
        if let Ok(n) = digits.parse() {
            return Ok(WorkRef::Item(WorkItemId(n)));
        }
    }
    Err(format!(
        "--work `{t}` is neither a work item id (like 500000000000042) nor an AgentWork id \
         (like 0Bz000000000042)"
    ))
}

/// A `--from`/`--until` argument: what [`DayClock::parse_instant`] reads.
fn parse_time(clock: &DayClock, flag: &str, text: &str) -> Result<SimTime, CliError> {
    clock
        .parse_instant(text)
        .map_err(|e| CliError::invalid(format!("{flag} `{text}`: {e}")))
}

fn find_queue(scenario: &Scenario, name: &str) -> Result<QueueId, CliError> {
    if let Some(i) = scenario.queues.iter().position(|q| q.name == name) {
        return Ok(QueueId(i as u32));
    }
    let names: Vec<&str> = scenario.queues.iter().map(|q| q.name.as_str()).collect();
    let nearest = names
        .iter()
        .map(|n| {
            (
                strsim::levenshtein(&n.to_lowercase(), &name.to_lowercase()),
                *n,
            )
        })
        .min()
        .filter(|(d, _)| *d <= 3)
        .map(|(_, n)| format!("did you mean `{n}`? "))
        .unwrap_or_default();
    Err(CliError::invalid(format!(
        "--queue: no queue `{name}`; {nearest}queues: {}",
        names.join(", ")
    )))
}

/// Finds the item an AgentWork belongs to by simulating until it is
/// created: runs are deterministic, so the trace run meets the same push.
struct FindPush {
    target: AgentWorkId,
    found: Option<(WorkItemId, SimTime)>,
    pushes: u64,
    stop: Arc<AtomicBool>,
}

impl EventSink for FindPush {
    fn on_event(&mut self, event: &SimEvent) {
        if let EventKind::WorkAssigned { work, item, .. } = &event.kind {
            self.pushes += 1;
            if *work == self.target && self.found.is_none() {
                self.found = Some((*item, event.time));
                self.stop.store(true, Ordering::Relaxed);
            }
        }
    }
}

fn item_of_push(
    scenario: &Arc<Scenario>,
    replication: u32,
    target: AgentWorkId,
) -> Result<(WorkItemId, SimTime), CliError> {
    let stop = Arc::new(AtomicBool::new(false));
    let mut finder = FindPush {
        target,
        found: None,
        pushes: 0,
        stop: stop.clone(),
    };
    run_replication(
        scenario.clone(),
        &mut [&mut finder],
        RunOptions {
            replication,
            stop: Some(stop),
            ..Default::default()
        },
    );
    finder.found.ok_or_else(|| {
        CliError::invalid(format!(
            "--work: AgentWork {target} is never created in replication {replication} \
             (seed {}): the run makes {} pushes",
            scenario.simulation.seed, finder.pushes
        ))
    })
}

const RESET: &str = "\x1b[0m";
const DIM: &str = "\x1b[2m";

fn colour_of(tone: Tone) -> &'static str {
    match tone {
        Tone::Routing => "\x1b[1;36m",
        Tone::Push => "\x1b[36m",
        Tone::Done => "\x1b[32m",
        Tone::Miss => "\x1b[33m",
        Tone::Loss => "\x1b[31m",
        Tone::Presence => "\x1b[35m",
        Tone::Flag => "\x1b[34m",
        Tone::Queue => "",
    }
}

/// Narrates into the output and stops the run once the limit or `--until`
/// is passed, so tracing the start of a huge scenario stays fast.
struct Printer<W: Write> {
    narrator: Narrator,
    /// Names for the JSONL form.
    names: super::trace_jsonl::Names,
    /// Labels each line with its clock time.
    clock: DayClock,
    out: W,
    format: Format,
    colour: bool,
    limit: usize,
    until: Option<SimTime>,
    stop: Arc<AtomicBool>,
    shown: usize,
    /// A line beyond the limit exists.
    more: bool,
    /// The run was stopped at `--until`.
    reached_until: bool,
    /// The item `--work` follows, and whether its story has ended (closed
    /// or abandoned): nothing more can match, so the run stops there.
    story: Option<WorkItemId>,
    story_over: bool,
    last: Option<SimTime>,
    error: Option<io::Error>,
}

impl<W: Write> Printer<W> {
    fn write_line(&mut self, event: &SimEvent, line: &TraceLine) -> io::Result<()> {
        match self.format {
            Format::Jsonl => {
                let mut value = serde_json::to_value(event).map_err(io::Error::other)?;
                if let Some(obj) = value.as_object_mut() {
                    self.names.rewrite(obj);
                    if let Some(decision) = &line.decision {
                        let mut facts = serde_json::to_value(decision).map_err(io::Error::other)?;
                        if let Some(candidates) = facts["candidates"].as_array_mut() {
                            for c in candidates.iter_mut().filter_map(|c| c.as_object_mut()) {
                                self.names.rewrite(c);
                            }
                        }
                        obj.insert("eligible".into(), facts["eligible"].take());
                        obj.insert("candidates".into(), facts["candidates"].take());
                        obj.insert("rule".into(), facts["rule"].take());
                    }
                    obj.insert("clock".into(), self.clock.label_ms(line.time).into());
                    obj.insert("text".into(), line.text.clone().into());
                }
                serde_json::to_writer(&mut self.out, &value).map_err(io::Error::other)?;
                writeln!(self.out)
            }
            Format::Text if self.colour => {
                let c = colour_of(line.tone);
                let end = if c.is_empty() { "" } else { RESET };
                let time = self.clock.label_ms(line.time);
                writeln!(self.out, "{DIM}{time}{RESET}  {c}{}{end}", line.text)
            }
            Format::Text => {
                let time = self.clock.label_ms(line.time);
                writeln!(self.out, "{time}  {}", line.text)
            }
        }
    }
}

impl<W: Write> EventSink for Printer<W> {
    fn on_event(&mut self, event: &SimEvent) {
        if self.stop.load(Ordering::Relaxed) {
            return;
        }
        if self.until.is_some_and(|u| event.time > u) {
            self.reached_until = true;
            self.stop.store(true, Ordering::Relaxed);
            return;
        }
        let Some(line) = self.narrator.narrate(event) else {
            return;
        };
        if self.limit != 0 && self.shown >= self.limit {
            self.more = true;
            self.stop.store(true, Ordering::Relaxed);
            return;
        }
        match self.write_line(event, &line) {
            Ok(()) => {
                self.shown += 1;
                self.last = Some(event.time);
                let ends = matches!(
                    event.kind,
                    EventKind::WorkClosed { item, .. } | EventKind::WorkAbandoned { item, .. }
                        if Some(item) == self.story
                );
                if ends {
                    self.story_over = true;
                    self.stop.store(true, Ordering::Relaxed);
                }
            }
            Err(e) => {
                self.error = Some(e);
                self.stop.store(true, Ordering::Relaxed);
            }
        }
    }
}

pub(super) fn trace(args: TraceArgs) -> Result<(), CliError> {
    let mut scenario =
        Scenario::from_path_within(&args.file, &args.limits.limits()).map_err(CliError::invalid)?;
    // One replication, simulated whole even when --until cuts the story.
    let one = crate::scenario::bounds::RunShape {
        replications: 1,
        parallel: 1,
        replications_from_flag: false,
    };
    args.limits.enforce(&scenario, &args.file, one)?;
    if let Some(seed) = args.seed {
        scenario.simulation.seed = seed;
    }
    let scenario = Arc::new(scenario);
    let clock = scenario.simulation.clock();
    let from = args
        .from
        .as_deref()
        .map(|t| parse_time(&clock, "--from", t))
        .transpose()?;
    let until = args
        .until
        .as_deref()
        .map(|t| parse_time(&clock, "--until", t))
        .transpose()?;
    if let (Some(f), Some(u)) = (from, until) {
        if u < f {
            return Err(CliError::invalid(format!(
                "--until {} is before --from {}",
                clock.label_ms(u),
                clock.label_ms(f)
            )));
        }
    }
    let agents = scenario.agent_count();
    if let Some(a) = args.agent {
        if a as usize >= agents {
            return Err(CliError::invalid(format!(
                "--agent {a}: the scenario has {agents} agents, numbered 0 to {}",
                agents.saturating_sub(1)
            )));
        }
    }
    let queue = args
        .queue
        .as_deref()
        .map(|q| find_queue(&scenario, q))
        .transpose()?;
    let work = args
        .work
        .as_deref()
        .map(parse_work)
        .transpose()
        .map_err(CliError::invalid)?;
    let mut note = None;
    let item = match work {
        None => None,
        Some(WorkRef::Item(i)) => Some(i),
        Some(WorkRef::Push(w)) => {
            let (item, at) = item_of_push(&scenario, args.replication, w)?;
            note = Some(format!(
                "AgentWork {w} is the push of item {item} at {}: following that item",
                clock.label_ms(at)
            ));
            Some(item)
        }
    };
    let filter = TraceFilter {
        from,
        until,
        agent: args.agent.map(AgentId),
        queue,
        item,
    };
    let filtered = filter != TraceFilter::default();

    let stdout = io::stdout();
    let colour = args.format == Format::Text
        && stdout.is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let stop = Arc::new(AtomicBool::new(false));
    let mut printer = Printer {
        narrator: Narrator::new(scenario.clone()).with_filter(filter),
        names: super::trace_jsonl::Names::new(&scenario),
        clock,
        out: BufWriter::new(stdout.lock()),
        format: args.format,
        colour,
        limit: args.limit,
        until,
        stop: stop.clone(),
        shown: 0,
        more: false,
        reached_until: false,
        story: item,
        story_over: false,
        last: None,
        error: None,
    };
    let sim = &scenario.simulation;
    let mut head = Vec::new();
    if args.format == Format::Text {
        head.push(format!(
            "trace of \"{}\", replication {}, seed {}: {agents} agents numbered 0 to {} across \
             groups, as in agents.csv",
            sim.name,
            args.replication,
            sim.seed,
            agents.saturating_sub(1)
        ));
        head.push(format!(
            "clock times: the measured day runs {}–{}{}",
            clock.label(clock.measured_start()),
            clock.label(clock.instant(sim.duration)),
            if sim.warmup.is_zero() {
                String::new()
            } else {
                format!(", after a warm-up from {}", clock.label(SimTime::ZERO))
            }
        ));
        head.extend(note);
    }
    for line in &head {
        if let Err(e) = writeln!(printer.out, "{line}") {
            return quiet_on_broken_pipe(e);
        }
    }
    let outcome = run_replication(
        scenario.clone(),
        &mut [&mut printer],
        RunOptions {
            replication: args.replication,
            stop: Some(stop),
            // The narrator words the router's own candidates.
            record_decisions: true,
            ..Default::default()
        },
    );
    if let Some(e) = printer.error.take() {
        return quiet_on_broken_pipe(e);
    }

    let shown = printer.shown;
    let lines = if shown == 1 { "line" } else { "lines" };
    let mut foot = if printer.more {
        format!(
            "— {shown} {lines} shown, up to {}; more follow: raise --limit (0 = no limit), or \
             narrow with --from/--until, --agent, --queue or --work",
            clock.label_ms(printer.last.unwrap_or(SimTime::ZERO))
        )
    } else if let (true, Some(i)) = (printer.story_over, item) {
        format!(
            "— {shown} {lines} shown; item {i} is done at {}",
            clock.label_ms(printer.last.unwrap_or(outcome.end))
        )
    } else if printer.reached_until {
        format!(
            "— {shown} {lines} shown, up to --until {}",
            clock.label_ms(until.unwrap_or(outcome.end))
        )
    } else {
        format!(
            "— {shown} {lines} shown; the run ended at {}",
            clock.label_ms(outcome.end)
        )
    };
    if shown == 0 && filtered {
        foot.push_str("; no event matched the filters");
    }
    let written = match args.format {
        Format::Text => writeln!(printer.out, "{foot}").and_then(|()| printer.out.flush()),
        Format::Jsonl => printer.out.flush().map(|()| eprintln!("{foot}")),
    };
    if let Err(e) = written {
        return quiet_on_broken_pipe(e);
    }
    if let Some(t) = outcome.stalled_at {
        return Err(CliError::failure(format!(
            "the run stopped at {}: simulated time no longer advances (over a million events \
             at one instant); agents are probably answering pushes with zero response time in a \
             decline loop; give them a response_time",
            clock.label_ms(t)
        )));
    }
    Ok(())
}

/// A closed pipe (`omnisim trace … | head`) is the reader being done, not
/// a failure.
fn quiet_on_broken_pipe(e: io::Error) -> Result<(), CliError> {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Ok(())
    } else {
        Err(CliError::failure(format!("cannot write the trace: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn work_ids_parse_in_both_printed_forms() {
        assert_eq!(
            parse_work("500000000000042"),
            Ok(WorkRef::Item(WorkItemId(42)))
        );
        assert_eq!(parse_work("42"), Ok(WorkRef::Item(WorkItemId(42))));
        assert_eq!(
            parse_work("0Bz000000000007"),
            Ok(WorkRef::Push(AgentWorkId(7)))
        );
        assert!(parse_work("chat-1").is_err());
    }
}
