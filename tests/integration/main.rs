//! Integration tests of the engine, one file per behaviour.

mod util;

mod busyness;
mod determinism;
mod erlang_smoke;
mod forecast;
mod invariants;
mod occupancy;
mod retrials;
mod rosters;
mod shift_end;
mod stall;
mod timers;
mod toolkit_api;
mod transfers;
mod who_takes_what;
