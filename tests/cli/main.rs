//! The `omnisim` command end to end: each module runs the binary as a user
//! would and checks what it prints, writes and exits with. One test binary,
//! so the tests link once.

mod bench_cli;
mod bounds_cli;
mod bounds_everywhere;
mod commands;
mod deploy_manifests;
mod doc_commands;
mod docs_pinned;
mod json_output;
mod load_cli;
mod plan_cli;
mod precision_cli;
mod report;
mod result_set_cli;
mod salesforce_cli;
mod schedule_cli;
mod sweep_cli;
mod trace_cli;
mod who_takes_what_cli;
mod workbook;
