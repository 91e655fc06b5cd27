//! Partials: what one shard of a sweep leaves for the merge.
//!
//! A partial is self-describing — it carries the whole [`SweepHeader`] and
//! the shard it was — and keeps every tabulated value of every pair it
//! ran, so the merge recomputes the estimates exactly as an unsharded run
//! does (JSON numbers written shortest-round-trip and read back exactly).
//!
//! The first line is a small JSON object with the format, version and the
//! SHA-256 and length of the rest; the rest is the JSON body. A truncated
//! or altered file fails the check and is named, never half-merged.

use super::grid::Shard;
use super::table::{PairResult, SweepHeader};
use crate::stats::{MetricDef, MetricKind, QUEUE_METRICS};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The first line's format name.
const PARTIAL_FORMAT: &str = "omnisim-sweep-partial";

/// The body of a partial.
#[derive(Debug, Serialize, Deserialize)]
pub struct Partial {
    /// The sweep it belongs to.
    pub header: SweepHeader,
    /// Which shard of which layout.
    pub shard: Shard,
    /// One entry per pair the shard ran, in (point, replication) order.
    pub results: Vec<PairResult>,
}

#[derive(Serialize, Deserialize)]
struct FirstLine {
    format: String,
    version: u32,
    sha256: String,
    bytes: u64,
}

/// The file name of shard `i` of `n`: `partial-0003-of-0016.json`, padded
/// so the files list in shard order.
pub fn file_name(shard: Shard) -> String {
    let width = shard.count.to_string().len().max(4);
    format!(
        "partial-{:0width$}-of-{:0width$}.json",
        shard.index, shard.count
    )
}

impl Partial {
    /// The file's bytes: first line, then the body.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut body = serde_json::to_vec(self).expect("plain data serialises");
        body.push(b'\n');
        let first = FirstLine {
            format: PARTIAL_FORMAT.into(),
            version: 1,
            sha256: super::hex(&Sha256::digest(&body)),
            bytes: body.len() as u64,
        };
        let mut out = serde_json::to_vec(&first).expect("plain data serialises");
        out.push(b'\n');
        out.extend_from_slice(&body);
        out
    }

    /// Reads and checks a partial; the error says what is wrong with it.
    pub fn from_bytes(bytes: &[u8]) -> Result<Partial, String> {
        let not = "not a sweep partial (its first line is not omnisim's partial header)";
        let nl = bytes.iter().position(|&b| b == b'\n').ok_or(not)?;
        let first: FirstLine = serde_json::from_slice(&bytes[..nl]).map_err(|_| not)?;
        if first.format != PARTIAL_FORMAT {
            return Err(not.into());
        }
        if first.version != 1 {
            return Err(format!(
                "partial format version {} is not one this omnisim reads (1)",
                first.version
            ));
        }
        let body = &bytes[nl + 1..];
        if body.len() as u64 != first.bytes {
            return Err(format!(
                "truncated or extended: the body is {} bytes, its header says {}; rerun its shard",
                body.len(),
                first.bytes
            ));
        }
        if super::hex(&Sha256::digest(body)) != first.sha256 {
            return Err(
                "corrupted: its checksum does not match its content; rerun its shard".into(),
            );
        }
        serde_json::from_slice(body).map_err(|e| format!("unreadable body: {e}; rerun its shard"))
    }
}

/// What a sweep's `--out` folder may hold ([`crate::output::Holds`]):
/// `sweep.csv`, `sweep.json`, partials and the `points` folder. Any other
/// entry is someone else's, and the folder is refused, as `run` refuses
/// one of its own.
pub fn sweep_folder(name: &str, is_folder: bool) -> bool {
    if is_folder {
        return name == "points";
    }
    matches!(name, "sweep.csv" | "sweep.json")
        || (name.starts_with("partial-") && name.ends_with(".json"))
}

/// Partials read from files, with where each came from.
#[derive(Debug)]
pub struct Merged {
    /// The sweep they belong to.
    pub header: SweepHeader,
    /// Every pair's result, each exactly once.
    pub results: Vec<PairResult>,
    /// The files read.
    pub files: Vec<PathBuf>,
}

/// The partial files named by `inputs`: a file as itself, a folder as the
/// `partial-*.json` files in it, in name order.
pub fn find_partials(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            let mut found: Vec<PathBuf> = std::fs::read_dir(input)
                .map_err(|e| format!("cannot read `{}`: {e}", input.display()))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with("partial-") && n.ends_with(".json"))
                })
                .collect();
            if found.is_empty() {
                return Err(format!(
                    "`{}` holds no partial-*.json file; expected the --out folder of `omnisim sweep --shard`",
                    input.display()
                ));
            }
            found.sort();
            files.extend(found);
        } else if input.exists() {
            // Whatever it is; reading it says if it is no regular file.
            files.push(input.clone());
        } else {
            return Err(format!(
                "`{}` does not exist; expected a folder of partials or a partial file",
                input.display()
            ));
        }
    }
    Ok(files)
}

/// Reads every partial, checks that they are of one sweep and together
/// hold every (point, replication) pair exactly once.
pub fn merge(files: &[PathBuf]) -> Result<Merged, String> {
    let mut header: Option<(SweepHeader, PathBuf)> = None;
    let mut owner: BTreeMap<(u64, u32), usize> = BTreeMap::new();
    let mut results = Vec::new();
    let mut shards: Vec<Shard> = Vec::new();
    for (k, path) in files.iter().enumerate() {
        let bytes = read(path)?;
        let partial =
            Partial::from_bytes(&bytes).map_err(|e| format!("`{}`: {e}", path.display()))?;
        match &header {
            None => header = Some((partial.header.clone(), path.clone())),
            Some((h, first)) if *h != partial.header => {
                return Err(format!(
                    "`{}` and `{}` belong to different sweeps (sweep sha256 {} vs {}); \
                     merge only the partials of one sweep file and base scenario",
                    first.display(),
                    path.display(),
                    short(&h.sweep_sha256),
                    short(&partial.header.sweep_sha256)
                ))
            }
            Some(_) => {}
        }
        let h = &header.as_ref().expect("set above").0;
        for r in partial.results {
            let shape_ok = r.point < h.points
                && r.replication < h.replications
                && r.values.len() == h.queues.len()
                && r.values.iter().all(|v| v.len() == h.metrics.len());
            if !shape_ok {
                return Err(format!(
                    "`{}`: a result (point {}, replication {}) does not fit the sweep's grid; rerun its shard",
                    path.display(),
                    r.point,
                    r.replication
                ));
            }
            check_values(h, &r).map_err(|e| {
                format!(
                    "`{}`: point {} replication {}, {e}; rerun its shard",
                    path.display(),
                    r.point,
                    r.replication
                )
            })?;
            if let Some(&other) = owner.get(&(r.point, r.replication)) {
                return Err(format!(
                    "point {} replication {} is in both `{}` and `{}`; merge each shard once, \
                     and only partials of one shard layout",
                    r.point,
                    r.replication,
                    files[other].display(),
                    path.display()
                ));
            }
            owner.insert((r.point, r.replication), k);
            results.push(r);
        }
        shards.push(partial.shard);
    }
    let (header, _) = header.ok_or("no partial to merge")?;
    if results.len() as u64 != header.pairs() {
        return Err(missing(&header, &shards, &owner));
    }
    Ok(Merged {
        header,
        results,
        files: files.to_vec(),
    })
}

/// What is missing: the shards, when every partial is of one layout,
/// else the first pairs.
fn missing(header: &SweepHeader, shards: &[Shard], owner: &BTreeMap<(u64, u32), usize>) -> String {
    let total = header.pairs();
    let have = owner.len() as u64;
    if let Some(n) = shards.first().map(|s| s.count) {
        if shards.iter().all(|s| s.count == n) {
            let absent: Vec<String> = (0..n)
                .filter(|i| !shards.iter().any(|s| s.index == *i))
                .map(|i| format!("{i}/{n}"))
                .collect();
            if !absent.is_empty() {
                return format!(
                    "incomplete: {have} of {total} runs; missing shard{} {} (rerun with --shard)",
                    if absent.len() == 1 { "" } else { "s" },
                    absent.join(", ")
                );
            }
        }
    }
    let pairs: Vec<String> = (0..header.points)
        .flat_map(|p| (0..header.replications).map(move |r| (p, r)))
        .filter(|k| !owner.contains_key(k))
        .take(5)
        .map(|(p, r)| format!("point {p} replication {r}"))
        .collect();
    format!(
        "incomplete: {have} of {total} runs; missing {}{}",
        pairs.join(", "),
        if total - have > pairs.len() as u64 {
            ", …"
        } else {
            ""
        }
    )
}

/// Checks one result's figures as a run would have made them: a count
/// whole and not negative, a fraction within 0–1, a duration not
/// negative, and a service level defined wherever the result shows items
/// offered (`offered` above 0, or an answer time or handle time measured). A
/// partial whose seal was recomputed after an edit passes the checksum;
/// its figures must still be ones a run can give.
fn check_values(h: &SweepHeader, r: &PairResult) -> Result<(), String> {
    let defs: Vec<Option<&MetricDef>> = h
        .metrics
        .iter()
        .map(|m| QUEUE_METRICS.iter().find(|d| d.name == m))
        .collect();
    let at = |name: &str| h.metrics.iter().position(|m| m == name);
    let (offered_at, asa_at, aht_at) = (at("offered"), at("asa_s"), at("aht_s"));
    for (q, values) in r.values.iter().enumerate() {
        let queue = h.queues.get(q).map_or("?", String::as_str);
        let offered = offered_at.and_then(|k| values[k]).is_some_and(|o| o > 0.0)
            || asa_at.is_some_and(|k| values[k].is_some())
            || aht_at.is_some_and(|k| values[k].is_some());
        for ((name, def), value) in h.metrics.iter().zip(&defs).zip(values) {
            let Some(def) = def else {
                return Err(format!("metric `{name}` is not one omnisim measures"));
            };
            let bad = |expected: &str| {
                let found = value.map_or("null".to_owned(), |v| v.to_string());
                Err(format!(
                    "queue \"{}\": {name} is {found}; expected {expected}",
                    crate::scenario::error::printable(queue)
                ))
            };
            match (def.kind, *value) {
                (_, Some(v)) if !v.is_finite() => return bad("a finite number"),
                (MetricKind::Count, None) => return bad("a count"),
                (MetricKind::Count, Some(v)) if v < 0.0 || v.fract() != 0.0 => {
                    return bad("a whole number of 0 or more")
                }
                (MetricKind::Ratio, Some(v)) if !(0.0..=1.0).contains(&v) => {
                    return bad("a fraction between 0 and 1")
                }
                (MetricKind::Seconds, Some(v)) if v < 0.0 => {
                    return bad("a duration of 0 or more seconds")
                }
                (_, None) if name == "service_level" && offered => {
                    return bad("a fraction between 0 and 1, since items were offered")
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The bytes of a partial: only a regular file is read, so a pipe named
/// like a partial is refused rather than waited on.
fn read(path: &Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let fail = |e: std::io::Error| format!("cannot read `{}`: {e}", path.display());
    let mut bytes = Vec::new();
    crate::scenario::open_regular(path)
        .map_err(fail)?
        .read_to_end(&mut bytes)
        .map_err(fail)?;
    Ok(bytes)
}

fn short(hash: &str) -> &str {
    &hash[..hash.len().min(12)]
}
