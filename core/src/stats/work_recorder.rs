//! [`WorkRecorder`]: one CSV row per work item, streamed.

use super::integral::Window;
use crate::events::{EventKind, EventSink, ItemRecord, SimEvent};
use crate::omni::SkillId;
use crate::scenario::Scenario;
use crate::time::{SimTime, MICROS_PER_SEC};
use std::fmt::Write as _;
use std::io;

/// Columns of `work.csv`, in order (see `docs/results-format.md`).
/// Columns added later go at the end, so a reader that counts positions
/// keeps working.
pub const WORK_CSV_HEADER: [&str; 20] = [
    "replication",
    "item",
    "queue",
    "arrival_s",
    "first_push_s",
    "accept_s",
    "close_s",
    "abandon_s",
    "agent",
    "final_status",
    "declines",
    "push_timeouts",
    "measured",
    "skills_requested",
    "skills_dropped",
    "transfers",
    "attempt",
    "customer",
    "transfer_wait_s",
    "interrupted_s",
];

/// Separator of the skill names in `skills_requested` and
/// `skills_dropped`: not the CSV separator, so the cells need no quoting.
pub const SKILL_SEPARATOR: char = ';';

/// Streams one row per work item to a writer as items become final.
///
/// A row is written from the item's [`ItemRecord`] when the event that
/// ends the item carries it (closed, abandoned or ended with no agent);
/// the items still in flight at the end (`in_progress` or `waiting`) come
/// through [`EventSink::in_flight`], in item-id order. The recorder keeps
/// no item of its own: the engine's one record per item in flight is all
/// the memory a row needs, so a run of a million items holds the few
/// hundred open at any moment, not the file. Rows cover every item of the
/// run, warm-up arrivals included; the `measured` column says whether the
/// item counts in the metrics.
///
/// [`EventSink`] cannot return errors, so the first I/O error is kept,
/// writing stops, and [`WorkRecorder::into_inner`] reports it.
#[derive(Debug)]
pub struct WorkRecorder<W: io::Write> {
    out: csv::Writer<W>,
    replication: String,
    queue_names: Vec<String>,
    /// Skill names by `SkillId`, for the skill columns.
    skill_names: Vec<String>,
    window: Window,
    error: Option<io::Error>,
    /// Reused for every row so formatting does not allocate per field.
    fields: [String; 20],
}

/// How an item ended (the `final_status` column).
#[derive(Copy, Clone, Debug)]
enum FinalStatus {
    Closed,
    Abandoned,
    EndedNoAgent,
    InProgress,
    Waiting,
}

impl FinalStatus {
    fn as_str(self) -> &'static str {
        match self {
            FinalStatus::Closed => "closed",
            FinalStatus::Abandoned => "abandoned",
            FinalStatus::EndedNoAgent => "ended_no_agent",
            FinalStatus::InProgress => "in_progress",
            FinalStatus::Waiting => "waiting",
        }
    }
}

/// Writes microseconds as seconds with exactly six decimals, by integer
/// arithmetic so no float rounding can differ between machines.
fn push_secs(buf: &mut String, t: SimTime) {
    let _ = write!(buf, "{}.{:06}", t.0 / MICROS_PER_SEC, t.0 % MICROS_PER_SEC);
}

/// Writes skill names joined by [`SKILL_SEPARATOR`]; nothing for none.
fn push_skills(buf: &mut String, skills: &[SkillId], names: &[String]) {
    for (k, skill) in skills.iter().enumerate() {
        if k > 0 {
            buf.push(SKILL_SEPARATOR);
        }
        buf.push_str(names.get(skill.index()).map_or("", String::as_str));
    }
}

/// The CSV writer of `work.csv`, in one place so that the header every
/// part is checked against when the parts are joined
/// ([`work_csv_header_line`]) is the one the recorder writes.
fn work_csv_writer<W: io::Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out)
}

/// The header line of `work.csv` as [`WorkRecorder`] writes it, line end
/// included: joining the parts keeps one and checks every part begins
/// with it.
pub(crate) fn work_csv_header_line() -> Vec<u8> {
    let mut w = work_csv_writer(Vec::new());
    let _ = w.write_record(WORK_CSV_HEADER);
    w.into_inner().unwrap_or_default()
}

impl<W: io::Write> WorkRecorder<W> {
    /// A recorder for replication `replication` (0-based) of `scenario`,
    /// writing the header row at once.
    ///
    /// Give it a buffered writer: rows are written one by one.
    pub fn new(out: W, scenario: &Scenario, replication: u32) -> io::Result<WorkRecorder<W>> {
        let mut out = work_csv_writer(out);
        out.write_record(WORK_CSV_HEADER)?;
        Ok(WorkRecorder {
            out,
            replication: replication.to_string(),
            queue_names: scenario.queues.iter().map(|q| q.name.clone()).collect(),
            skill_names: scenario.skills.iter().map(|s| s.name.clone()).collect(),
            window: Window::of(scenario),
            error: None,
            fields: Default::default(),
        })
    }

    /// The first write error, if any; writing stopped there.
    pub fn error(&self) -> Option<&io::Error> {
        self.error.as_ref()
    }

    /// Flushes and returns the writer, or the first error met while writing.
    ///
    /// End the run first ([`crate::events::ItemBook::finish`], which the
    /// engine calls), or in-flight items get no row.
    pub fn into_inner(mut self) -> io::Result<W> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        self.out
            .into_inner()
            .map_err(csv::IntoInnerError::into_error)
    }

    fn write_row(&mut self, row: &ItemRecord, status: FinalStatus, end: Option<SimTime>) {
        if self.error.is_some() {
            return;
        }
        for f in &mut self.fields {
            f.clear();
        }
        let [rep, id, queue, arrival, push, accept, closed, abandoned, agent, fin, declines, timeouts, measured, requested, dropped, transfers, attempt, customer, transfer_wait, interrupted] =
            &mut self.fields;
        // The end time goes to the column of the way the item ended; an
        // item ended with no agent was closed by the centre, not left.
        let (close, abandon) = match status {
            FinalStatus::Abandoned => (None, end),
            _ => (end, None),
        };
        rep.push_str(&self.replication);
        let _ = write!(id, "{}", row.item.0);
        let q = row.queue.index();
        queue.push_str(self.queue_names.get(q).map_or("", String::as_str));
        push_secs(arrival, row.arrived_at);
        for (buf, t) in [
            (push, row.first_push),
            (accept, row.answered_at),
            (closed, close),
            (abandoned, abandon),
        ] {
            if let Some(t) = t {
                push_secs(buf, t);
            }
        }
        if let Some(a) = row.agent {
            let _ = write!(agent, "{}", a.0);
        }
        fin.push_str(status.as_str());
        let _ = write!(declines, "{}", row.declines);
        let _ = write!(timeouts, "{}", row.push_timeouts);
        measured.push_str(if self.window.contains(row.arrived_at) {
            "true"
        } else {
            "false"
        });
        push_skills(requested, &row.skills, &self.skill_names);
        push_skills(dropped, &row.dropped, &self.skill_names);
        let _ = write!(transfers, "{}", row.transfers);
        let _ = write!(attempt, "{}", row.attempt());
        let _ = write!(customer, "{}", row.customer().0);
        if let Some(w) = row.transfer_wait() {
            push_secs(transfer_wait, SimTime::ZERO + w);
        }
        if row.interrupted > crate::time::SimDuration::ZERO {
            push_secs(interrupted, SimTime::ZERO + row.interrupted);
        }
        if let Err(e) = self.out.write_record(&self.fields) {
            self.error = Some(e.into());
        }
    }
}

impl<W: io::Write> EventSink for WorkRecorder<W> {
    fn on_event(&mut self, event: &SimEvent) {
        let t = Some(event.time);
        match &event.kind {
            EventKind::WorkClosed {
                record: Some(r), ..
            } => self.write_row(r, FinalStatus::Closed, t),
            EventKind::WorkAbandoned {
                record: Some(r), ..
            } => self.write_row(r, FinalStatus::Abandoned, t),
            EventKind::WorkEndedNoAgent {
                record: Some(r), ..
            } => self.write_row(r, FinalStatus::EndedNoAgent, t),
            _ => {}
        }
    }

    fn in_flight(&mut self, record: &ItemRecord) {
        let status = if record.answered_at.is_some() {
            FinalStatus::InProgress
        } else {
            FinalStatus::Waiting
        };
        self.write_row(record, status, None);
    }

    fn finish(&mut self, _end: SimTime) {
        if self.error.is_none() {
            if let Err(e) = self.out.flush() {
                self.error = Some(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::omni::Skill;
    use crate::stats::test_support::{scenario, Script};

    #[test]
    fn writes_a_row_when_final_and_the_rest_at_finish_in_id_order() {
        let scn = scenario(10, 100, 100, 20, &["Chat, EN"], &[("g", 2, 1)]);
        let mut rec = WorkRecorder::new(Vec::new(), &scn, 3).unwrap();
        let mut s = Script::default();
        s.arrive(5.0, 1, 0) // warm-up arrival
            .assign(5.0, 1, 1, 0, 0, 1000)
            .decline(35.0, 1, 1, 0, 0, true)
            .assign(36.0, 2, 1, 0, 1, 1000)
            .decline(40.0, 2, 1, 0, 1, false)
            .assign(41.0, 3, 1, 0, 0, 1000)
            .accept(42.0, 3, 1, 0, 0)
            .arrive(20.0, 2, 0)
            .abandon(30.0, 2, 0)
            .arrive(21.0, 3, 0)
            .assign(22.0, 4, 3, 0, 1, 1000)
            .accept(23.5, 4, 3, 0, 1)
            .arrive(24.0, 4, 0)
            .close(100.5, 3, 1, 0, 0, 42.0);
        s.feed(&mut rec, 110.0);
        let text = String::from_utf8(rec.into_inner().unwrap()).unwrap();
        let expected = "\
replication,item,queue,arrival_s,first_push_s,accept_s,close_s,abandon_s,agent,final_status,declines,push_timeouts,measured,skills_requested,skills_dropped,transfers,attempt,customer,transfer_wait_s,interrupted_s
3,2,\"Chat, EN\",20.000000,,,,30.000000,,abandoned,0,0,true,,,0,1,2,,
3,1,\"Chat, EN\",5.000000,5.000000,42.000000,100.500000,,0,closed,1,1,false,,,0,1,1,,
3,3,\"Chat, EN\",21.000000,22.000000,23.500000,,,1,in_progress,0,0,true,,,0,1,3,,
3,4,\"Chat, EN\",24.000000,,,,,,waiting,0,0,true,,,0,1,4,,
";
        assert_eq!(text, expected);
    }

    #[test]
    fn a_row_tells_the_wait_after_each_transfer_and_the_time_set_aside() {
        let scn = scenario(0, 100, 100, 20, &["A", "B"], &[("g", 2, 1)]);
        let mut rec = WorkRecorder::new(Vec::new(), &scn, 0).unwrap();
        let mut s = Script::default();
        s.arrive(1.0, 1, 0)
            .accept(2.0, 1, 1, 0, 0)
            .interrupt(3.0, 1, 1, 0, 0, true)
            .interrupt(4.5, 1, 1, 0, 0, false)
            .transfer(10.0, 1, 1, 0, 1, 0, 2.0)
            .accept(12.25, 2, 1, 1, 1)
            .interrupt(13.0, 2, 1, 1, 1, true)
            .close(20.0, 2, 1, 1, 1, 12.25);
        s.feed(&mut rec, 100.0);
        let text = String::from_utf8(rec.into_inner().unwrap()).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        // Waited 2.25 s in B; set aside 1.5 s, then 7 s until the close.
        assert_eq!(
            rows,
            ["0,1,A,1.000000,,2.000000,20.000000,,1,closed,0,0,true,,,1,1,1,2.250000,8.500000"]
        );
    }

    #[test]
    fn each_attempt_names_its_customer_and_its_number() {
        let scn = scenario(0, 100, 100, 20, &["A"], &[("g", 1, 1)]);
        let mut rec = WorkRecorder::new(Vec::new(), &scn, 0).unwrap();
        let mut s = Script::default();
        s.arrive(1.0, 1, 0)
            .abandon(10.0, 1, 0)
            .arrive(2.0, 2, 0)
            .retry(40.0, 3, 0, 1, 2)
            .abandon(50.0, 3, 0)
            .retry(90.0, 4, 0, 1, 3);
        s.feed(&mut rec, 100.0);
        let text = String::from_utf8(rec.into_inner().unwrap()).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            rows,
            [
                "0,1,A,1.000000,,,,10.000000,,abandoned,0,0,true,,,0,1,1,,",
                "0,3,A,40.000000,,,,50.000000,,abandoned,0,0,true,,,0,2,1,,",
                "0,2,A,2.000000,,,,,,waiting,0,0,true,,,0,1,2,,",
                "0,4,A,90.000000,,,,,,waiting,0,0,true,,,0,3,1,,",
            ]
        );
    }

    #[test]
    fn skill_columns_hold_requested_and_still_dropped_skills() {
        let mut scn = scenario(0, 100, 100, 20, &["A"], &[("g", 1, 1)]);
        scn.skills = ["French", "Billing", "VIP"]
            .iter()
            .map(|n| Skill {
                name: n.to_string(),
            })
            .collect();
        let mut rec = WorkRecorder::new(Vec::new(), &scn, 0).unwrap();
        let mut s = Script::default();
        // Requirements in the order given, not in catalogue order.
        s.arrive_with_skills(1.0, 1, 0, &[2, 0, 1])
            .drop_skills(11.0, 1, 0, &[2])
            .drop_skills(21.0, 1, 0, &[1, 2])
            // Declined then ended: the dropped skills are still dropped.
            .end_no_agent(25.0, 1, 0)
            // Dropped, restored by a requeue, dropped again and closed.
            .arrive_with_skills(2.0, 2, 0, &[1, 2])
            .drop_skills(12.0, 2, 0, &[2])
            .requeue(13.0, 2, 0, true)
            .drop_skills(30.0, 2, 0, &[1])
            .requeue(31.0, 2, 0, false)
            .accept(40.0, 1, 2, 0, 0)
            .close(50.0, 1, 2, 0, 0, 40.0)
            // Dropped and restored: nothing dropped at the end.
            .arrive_with_skills(3.0, 3, 0, &[0])
            .drop_skills(13.0, 3, 0, &[0])
            .requeue(14.0, 3, 0, true)
            .arrive(4.0, 4, 0);
        s.feed(&mut rec, 100.0);
        let text = String::from_utf8(rec.into_inner().unwrap()).unwrap();
        let rows: Vec<&str> = text.lines().skip(1).collect();
        assert_eq!(
            rows,
            [
                "0,1,A,1.000000,,,25.000000,,,ended_no_agent,0,0,true,VIP;French;Billing,VIP;Billing,0,1,1,,",
                "0,2,A,2.000000,,40.000000,50.000000,,0,closed,0,0,true,Billing;VIP,Billing,0,1,2,,",
                "0,3,A,3.000000,,,,,,waiting,0,0,true,French,,0,1,3,,",
                "0,4,A,4.000000,,,,,,waiting,0,0,true,,,0,1,4,,",
            ]
        );
    }

    #[test]
    fn a_write_error_is_kept_and_reported() {
        #[derive(Debug)]
        struct Broken;
        impl io::Write for Broken {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::other("disk full"))
            }
            fn flush(&mut self) -> io::Result<()> {
                Err(io::Error::other("disk full"))
            }
        }
        let scn = scenario(0, 100, 100, 20, &["A"], &[("g", 1, 1)]);
        // The header sits in the csv buffer, so creation succeeds.
        let mut rec = WorkRecorder::new(Broken, &scn, 0).unwrap();
        let mut s = Script::default();
        s.arrive(1.0, 1, 0);
        s.feed(&mut rec, 100.0);
        assert!(rec.error().is_some());
        assert_eq!(rec.into_inner().unwrap_err().to_string(), "disk full");
    }
}
