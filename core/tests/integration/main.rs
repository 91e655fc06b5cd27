//! Integration tests of the model, one file per behaviour: the engine
//! through its public API, the parser and validator on good and bad
//! files, the result files. One test binary, so the crate links once.

mod util;

mod agent_streams;
mod busyness;
mod declined_by_everyone;
mod determinism;
mod effort;
mod effort_check;
mod erlang_analytic;
mod erlang_smoke;
mod forecast;
mod generated_scenarios;
mod invariants;
mod messages;
mod occupancy;
mod output_files;
mod panics;
mod retrials;
mod roster_csv;
mod rosters;
mod scenario_errors;
mod shift_end;
mod stall;
mod timers;
mod toolkit_api;
mod transfers;
mod who_takes_what;
