//! `--salesforce`, `--date` and `--timezone`: the flags that write a
//! simulated day as Salesforce export files (see
//! [`crate::salesforce::export`]), shared by the commands that can.

use super::CliError;
use crate::salesforce::when::{parse_zone, DayPlacement};
use crate::scenario::Scenario;
use clap::Args;

/// The export flags.
#[derive(Debug, Clone, Args)]
pub(super) struct SalesforceArgs {
    /// Also write the first replication's day as Salesforce export files
    /// (AgentWork.csv, UserServicePresence.csv, … as `sf data export bulk`
    /// writes them) into a `salesforce` folder of the output folder.
    #[arg(long)]
    salesforce: bool,
    /// The date of the simulated day in the export (YYYY-MM-DD); default
    /// the date of `[simulation] start`.
    #[arg(long, requires = "salesforce", value_name = "YYYY-MM-DD")]
    date: Option<String>,
    /// The time zone of the day's clock times (an IANA name such as
    /// Europe/Paris); the export's datetimes are in UTC, as Salesforce's.
    #[arg(
        long,
        requires = "salesforce",
        default_value = "UTC",
        value_name = "ZONE"
    )]
    timezone: String,
}

impl SalesforceArgs {
    /// Where the day falls, when the export is asked for.
    pub(super) fn placement(&self, scenario: &Scenario) -> Result<Option<DayPlacement>, CliError> {
        if !self.salesforce {
            return Ok(None);
        }
        let zone = parse_zone(&self.timezone)
            .map_err(|e| CliError::invalid(format!("--timezone: {e}")))?;
        let date =
            match (&self.date, scenario.simulation.start_date) {
                (Some(d), _) => {
                    chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(|_| {
                        CliError::invalid(format!(
                            "--date {d}: expected a date such as 2026-11-30 (YYYY-MM-DD)"
                        ))
                    })?
                }
                (None, Some(d)) => d,
                (None, None) => return Err(CliError::invalid(
                    "--salesforce needs the date of the day: give --date YYYY-MM-DD, or a date in \
                     [simulation] start (start = \"2026-11-30 08:00\")",
                )),
            };
        DayPlacement::new(date, zone, &scenario.simulation.clock())
            .map(Some)
            .map_err(|e| CliError::invalid(format!("--date/--timezone: {e}")))
    }
}
