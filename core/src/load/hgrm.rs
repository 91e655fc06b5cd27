//! HdrHistogram's percentile-distribution text format (`.hgrm`), the one
//! Java's `Histogram.outputPercentileDistribution` prints and that
//! HdrHistogram's plotter (`plotFiles.html`) and HistogramLogAnalyzer read.
//!
//! The Rust crate serialises histograms only in binary forms, so the text
//! form is written here, line for line as the Java reference does: five
//! percentile ticks per half distance, values divided by a unit scaling
//! ratio, the last line (100%) without its `1/(1-Percentile)` column, and
//! the `#[Mean …]`, `#[Max …]`, `#[Buckets …]` footer.

use hdrhistogram::Histogram;
use std::fmt::Write as _;

/// Percentile ticks per half distance to 100%, as the Java default.
const TICKS_PER_HALF_DISTANCE: u32 = 5;

/// The `.hgrm` text of `h`, its values divided by `scale` (1,000 turns
/// recorded nanoseconds into microseconds).
pub fn percentile_distribution(h: &Histogram<u64>, scale: f64) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "{:>12} {:>14} {:>10} {:>14}\n\n",
        "Value", "Percentile", "TotalCount", "1/(1-Percentile)"
    );
    let mut total = 0u64;
    for v in h.iter_quantiles(TICKS_PER_HALF_DISTANCE) {
        total += v.count_since_last_iteration();
        let value = v.value_iterated_to() as f64 / scale;
        let q = v.quantile_iterated_to();
        if q < 1.0 {
            let _ = writeln!(
                out,
                "{value:12.3} {q:2.12} {total:10} {:14.2}",
                1.0 / (1.0 - q)
            );
        } else {
            let _ = writeln!(out, "{value:12.3} {q:2.12} {total:10}");
        }
    }
    let (mean, stdev) = if h.is_empty() {
        (0.0, 0.0)
    } else {
        (h.mean() / scale, h.stdev() / scale)
    };
    let _ = writeln!(
        out,
        "#[Mean    = {mean:12.3}, StdDeviation   = {stdev:12.3}]"
    );
    let _ = writeln!(
        out,
        "#[Max     = {:12.3}, Total count    = {:12}]",
        h.max() as f64 / scale,
        h.len()
    );
    let _ = writeln!(
        out,
        "#[Buckets = {:12}, SubBuckets     = {:12}]",
        h.buckets(),
        sub_bucket_count(h.sigfig())
    );
    out
}

/// Sub-buckets per bucket for `sigfig` significant digits: the smallest
/// power of two of at least 2·10^sigfig (hdrhistogram keeps it private).
fn sub_bucket_count(sigfig: u8) -> u64 {
    let largest = 2 * 10u64.pow(u32::from(sigfig));
    largest.next_power_of_two()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_rows(text: &str) -> Vec<(f64, f64, u64)> {
        text.lines()
            .skip(2)
            .take_while(|l| !l.starts_with('#'))
            .map(|l| {
                let c: Vec<&str> = l.split_whitespace().collect();
                assert!(c.len() == 3 || c.len() == 4, "row {l:?}");
                (
                    c[0].parse().unwrap(),
                    c[1].parse().unwrap(),
                    c[2].parse().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn layout_matches_the_java_reference() {
        let mut h = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3).unwrap();
        for v in 1..=10_000u64 {
            h.record(v * 1_000).unwrap(); // 1 µs .. 10 ms in ns
        }
        let text = percentile_distribution(&h, 1_000.0);
        let mut lines = text.lines();
        assert_eq!(
            lines.next().unwrap(),
            "       Value     Percentile TotalCount 1/(1-Percentile)"
        );
        assert_eq!(lines.next().unwrap(), "");
        let rows = parse_rows(&text);
        assert!(rows.len() > 20);
        // Columns grow, the count ends at the total, the last line is 100%.
        for w in rows.windows(2) {
            assert!(w[1].0 >= w[0].0 && w[1].1 >= w[0].1 && w[1].2 >= w[0].2);
        }
        let last = rows.last().unwrap();
        assert_eq!(last.1, 1.0);
        assert_eq!(last.2, 10_000);
        assert!((last.0 - 10_000.0).abs() / 10_000.0 < 0.001, "{last:?}");
        // The median row is about 5,000 µs.
        let median = rows.iter().find(|r| r.1 >= 0.5).unwrap();
        assert!((median.0 - 5_000.0).abs() < 10.0, "{median:?}");
        let footer: Vec<&str> = text.lines().filter(|l| l.starts_with("#[")).collect();
        assert_eq!(footer.len(), 3);
        assert!(
            footer[0].starts_with("#[Mean    =     5000.5"),
            "{}",
            footer[0]
        );
        assert!(footer[1].ends_with("Total count    =        10000]"));
        assert!(footer[2].ends_with("SubBuckets     =         2048]"));
    }

    #[test]
    fn an_empty_histogram_still_has_header_and_footer() {
        let h = Histogram::<u64>::new_with_bounds(1, 1_000, 3).unwrap();
        let text = percentile_distribution(&h, 1.0);
        assert!(text.starts_with("       Value"));
        assert!(text.contains("Total count    =            0]"));
    }
}
