//! Example: writes generated scenario files for `scripts/fuzz-check.sh`.
//!
//! Each file is a seed-corpus scenario (`tests/fuzz-corpus/`) with one to
//! three structured mutations (the same ones `tests/generated_scenarios.rs`
//! drives with proptest), drawn from a seeded generator so a failing file
//! is reproduced by its seed and number.
//!
//! ```text
//! cargo run --release --example generate_scenarios -- OUT_DIR [COUNT] [SEED]
//! ```
//!
//! The first line of each file, a comment, names its base and mutations.

#[path = "../tests/fuzz/mutate.rs"]
mod mutate;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::path::{Path, PathBuf};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(out) = args.first().map(PathBuf::from) else {
        eprintln!("usage: generate_scenarios OUT_DIR [COUNT] [SEED]");
        std::process::exit(1);
    };
    let count: usize = args.get(1).map_or(300, |c| c.parse().expect("COUNT"));
    let seed: u64 = args.get(2).map_or(1, |s| s.parse().expect("SEED"));
    let corpus_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-corpus");
    let mut corpus: Vec<PathBuf> = std::fs::read_dir(&corpus_dir)
        .expect("tests/fuzz-corpus")
        .map(|e| e.expect("corpus entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    corpus.sort();
    std::fs::create_dir_all(&out).expect("OUT_DIR");
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    for n in 0..count {
        let base = &corpus[rng.gen_range(0..corpus.len())];
        let choices: Vec<u64> = (0..rng.gen_range(1..=3)).map(|_| rng.gen()).collect();
        let text = std::fs::read(base).expect("corpus file");
        let mut bytes = format!(
            "# generated: base {}, mutations {choices:?}\n",
            base.file_name().unwrap().to_string_lossy()
        )
        .into_bytes();
        bytes.extend(mutate::mutate(&text, &choices));
        std::fs::write(out.join(format!("g{n:04}.toml")), bytes).expect("write");
    }
    println!("{count} scenarios in {}", out.display());
}
