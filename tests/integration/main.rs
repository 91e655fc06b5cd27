//! Integration tests of the engine, one file per behaviour.

mod util;

mod determinism;
mod erlang_smoke;
mod invariants;
mod rosters;
mod shift_end;
mod stall;
mod toolkit_api;
mod transfers;
mod who_takes_what;
