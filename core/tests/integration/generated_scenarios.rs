//! Generated scenarios: structured mutations of the seed corpus
//! (`tests/fuzz-corpus/`) through the parser and validator. None may panic,
//! and every rejection must be located: a line in the file or a key path,
//! with a non-empty reason. `scripts/fuzz-check.sh` runs the same mutations
//! through `check` and `run` as separate processes.

#[path = "../../../tests/fuzz/mutate.rs"]
mod mutate;

use omnisim_core::scenario::Scenario;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/..")).join("tests/fuzz-corpus");
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect()
}

/// Loads `bytes` as a scenario file; `Err` describes an unlocated or
/// reasonless rejection.
fn check_located(dir: &Path, bytes: &[u8]) -> Result<(), String> {
    let path = dir.join("generated.toml");
    std::fs::write(&path, bytes).unwrap();
    match Scenario::from_path(&path) {
        Ok(_) => Ok(()),
        Err(e) => {
            let reason = e.message().trim_start_matches("invalid toml:").trim();
            if reason.is_empty() {
                return Err(format!("empty reason: {e}"));
            }
            if e.line().is_none() && e.key_path().is_none() {
                return Err(format!("no line and no key path: {e}"));
            }
            if e.to_string().chars().count() > 2_000 {
                return Err(format!("message of {} characters", e.to_string().len()));
            }
            Ok(())
        }
    }
}

#[test]
fn the_corpus_is_valid_as_it_stands() {
    let corpus = corpus();
    assert!(corpus.len() >= 3);
    for (name, text) in corpus {
        let text = String::from_utf8(text).unwrap();
        Scenario::from_toml_str(&text, &name).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn the_mutations_change_the_file() {
    let (_, text) = &corpus()[0];
    let changed = (0..10u64)
        .filter(|kind| mutate::mutate_once(text, kind + (7 << 8) + (3 << 32)) != *text)
        .count();
    assert!(
        changed >= 8,
        "only {changed} of 10 mutation kinds changed the file"
    );
}

proptest! {
    // A few hundred cases keep this to a few seconds; the script runs more.
    #![proptest_config(ProptestConfig { cases: 300, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn mutated_scenarios_never_panic_and_every_error_is_located(
        base in 0usize..64,
        choices in proptest::collection::vec(any::<u64>(), 1..4),
    ) {
        let corpus = corpus();
        let (_, text) = &corpus[base % corpus.len()];
        let bytes = mutate::mutate(text, &choices);
        let dir = tempfile::tempdir().unwrap();
        if let Err(why) = check_located(dir.path(), &bytes) {
            return Err(TestCaseError::fail(format!(
                "{why}\n--- file ---\n{}",
                String::from_utf8_lossy(&bytes)
            )));
        }
    }
}
