//! `run --xlsx` and `plan --xlsx` (`schedule --xlsx` in schedule_cli): results.xlsx read back with calamine,
//! one sheet per table, the same header and values as the CSV files.

use assert_cmd::Command;
use calamine::{open_workbook, Data, DataType, Reader, Xlsx};
use std::path::Path;

fn omnisim() -> Command {
    Command::cargo_bin("omnisim").expect("binary built")
}

/// The CSV's header and rows.
fn csv_table(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header = r.headers().unwrap().iter().map(String::from).collect();
    let rows = r
        .records()
        .map(|x| x.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

/// The first row of a sheet, as text.
fn header_row(range: &calamine::Range<Data>) -> Vec<String> {
    range
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect()
}

/// Checks that `sheet` of `book` holds the table of `csv` cell for cell.
pub(crate) fn same_as_csv(
    book: &mut Xlsx<std::io::BufReader<std::fs::File>>,
    sheet: &str,
    csv: &Path,
) {
    let range = book.worksheet_range(sheet).unwrap();
    let (header, rows) = csv_table(csv);
    assert_eq!(header_row(&range), header, "{sheet}");
    assert_eq!(range.height(), rows.len() + 1, "{sheet}");
    for (row, want) in range.rows().skip(1).zip(&rows) {
        for (cell, w) in row.iter().zip(want) {
            match cell {
                Data::Float(v) => assert_eq!(*v, w.parse::<f64>().unwrap(), "{sheet}: {w}"),
                Data::Int(v) => assert_eq!(*v as f64, w.parse::<f64>().unwrap(), "{sheet}"),
                Data::String(s) => assert_eq!(s, w, "{sheet}"),
                Data::Empty => assert!(w.is_empty(), "{sheet}: {w}"),
                other => panic!("{sheet}: {other:?}"),
            }
        }
    }
}

#[test]
fn a_run_workbook_has_a_sheet_per_table() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("quick");
    omnisim()
        .args([
            "run",
            "scenarios/quickstart.toml",
            "--replications",
            "2",
            "--xlsx",
            "--quiet",
        ])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["summary", "intervals", "agents", "work"]
    );
    for t in ["intervals", "agents", "work"] {
        same_as_csv(&mut book, t, &out.join(format!("{t}.csv")));
    }
    // The summary: a row per queue and ALL, the summary.json means.
    let summary = book.worksheet_range("summary").unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let header = header_row(&summary);
    let col = header.iter().position(|h| h == "service_level").unwrap();
    let chat = summary.rows().nth(1).unwrap();
    assert_eq!(chat[0].to_string(), "Chat");
    assert_eq!(
        chat[col].as_f64().unwrap(),
        json["queues"]["Chat"]["service_level"]["mean"]
            .as_f64()
            .unwrap()
    );
    assert_eq!(summary.rows().next_back().unwrap()[0].to_string(), "ALL");
}

#[test]
fn a_plan_workbook_holds_the_staffing_table() {
    let tmp = tempfile::tempdir().unwrap();
    let file = tmp.path().join("desk.toml");
    std::fs::write(
        &file,
        "[simulation]\nname = \"desk\"\nduration = \"1h\"\nseed = 5\nreplications = 2\n\
         interval = \"30m\"\n[[channels]]\nname = \"calls\"\n[[statuses]]\nname = \"Available\"\n\
         channels = [\"calls\"]\n[[presence_configs]]\nname = \"Phone\"\ncapacity = 1\n\
         auto_accept = true\n[[queues]]\nname = \"Sales\"\nchannel = \"calls\"\n\
         routing_model = \"most_available\"\ncapacity_weight = 1\ntarget_service_level = 0.8\n\
         [[arrivals]]\nqueue = \"Sales\"\nrate_per_hour = 40\n\
         handle_time = { dist = \"exponential\", mean = \"4m\" }\n[[agents]]\ngroup = \"Team\"\n\
         count = 4\npresence_config = \"Phone\"\nstatus = \"Available\"\n",
    )
    .unwrap();
    let out = tmp.path().join("plan");
    omnisim()
        .arg("plan")
        .arg(&file)
        .args(["--replications", "2", "--xlsx", "--quiet", "--out"])
        .arg(&out)
        .assert()
        .success();
    let mut book: Xlsx<_> = open_workbook(out.join("results.xlsx")).unwrap();
    assert_eq!(book.sheet_names(), ["staffing"]);
    same_as_csv(&mut book, "staffing", &out.join("staffing.csv"));
}
