//! The charts, drawn with plotters into SVG strings.
//!
//! plotters' SVG backend writes text as `<text>` elements (the browser
//! picks the font), so no font files are needed and the output is pure
//! arithmetic on the data: the same data gives the same bytes.
//!
//! Every chart is drawn at a fixed pixel size and scaled by CSS to the
//! page width (the SVG keeps its `viewBox`), so sizes here are design
//! sizes for a ~1060 px wide column.

use super::ReportError;
use plotters::coord::Shift;
use plotters::prelude::*;
use std::fmt::Display;

/// Font family of every chart text: the browser's default sans-serif.
const FONT: &str = "sans-serif";
/// plotters divides font sizes by 1.24 when writing SVG, so these give
/// about 16 px titles and 12 px labels.
const TITLE_SIZE: f64 = 20.0;
const LABEL_SIZE: f64 = 15.0;
const GRID: RGBColor = RGBColor(232, 235, 240);
const AXIS: RGBColor = RGBColor(90, 98, 112);
const TEXT: RGBColor = RGBColor(40, 46, 56);

/// Queue colours: the Okabe–Ito palette (distinguishable with the common
/// colour-vision deficiencies), without its yellow, which is unreadable
/// as a line on white.
const PALETTE: [RGBColor; 7] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(120, 94, 240),
];
/// Colour of the whole-centre (`ALL`) series.
pub(crate) const ALL_COLOUR: RGBColor = RGBColor(30, 30, 30);

/// The colour of queue number `q`.
pub(crate) fn queue_colour(q: usize) -> RGBColor {
    PALETTE[q % PALETTE.len()]
}

/// `#rrggbb` for HTML legends.
pub(crate) fn css_colour(c: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

/// Turns any plotters error into a report error naming the chart.
fn chart_err<E: Display>(title: &str) -> impl Fn(E) -> ReportError + '_ {
    move |e| ReportError::Chart {
        chart: title.to_string(),
        message: e.to_string(),
    }
}

/// A number for an axis tick: at most `decimals` decimals, trailing zeros
/// and a negative zero removed, so ticks read `0.5`, `2`, `1500`.
pub(crate) fn tick(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    };
    if s == "-0" {
        "0".into()
    } else {
        s
    }
}

/// Draws on a fresh SVG canvas and returns the document. `draw` gets the
/// whole area, already filled white.
fn svg<F>(title: &str, size: (u32, u32), draw: F) -> Result<String, ReportError>
where
    F: FnOnce(&DrawingArea<SVGBackend<'_>, Shift>) -> Result<(), ReportError>,
{
    let mut buf = String::new();
    {
        let root = SVGBackend::with_string(&mut buf, size).into_drawing_area();
        root.fill(&WHITE).map_err(chart_err(title))?;
        draw(&root)?;
        root.present().map_err(chart_err(title))?;
    }
    Ok(label_svg(&buf, title))
}

/// Gives the SVG an accessible name (screen readers announce `<svg>`
/// otherwise as an unnamed graphic) and drops the trailing newline.
fn label_svg(svg: &str, title: &str) -> String {
    let label = super::html::escape(title);
    let body = svg.trim_end();
    match body.strip_prefix("<svg ") {
        Some(rest) => format!("<svg role=\"img\" aria-label=\"{label}\" {rest}"),
        None => body.to_string(),
    }
}

/// A tick on a clock-time axis: hours of the day as `08:30` (to the
/// minute; seconds would only show rounding), past 24 the next day.
pub(crate) fn clock_tick(hours: f64) -> String {
    crate::clock::day_seconds_label(((hours * 60.0).round() * 60.0) as i64)
}

/// A y-axis range from 0 to a little above `max` (the data, or 1 when
/// everything is 0, so the axis still has ticks).
fn y_top(max: f64) -> f64 {
    if max > 0.0 && max.is_finite() {
        max * 1.08
    } else {
        1.0
    }
}

/// One line of a line chart.
#[derive(Clone, Debug)]
pub(crate) struct Series {
    /// Line colour.
    pub colour: RGBColor,
    /// `(x, y)`; `None` where the value is undefined, which breaks the line.
    pub points: Vec<(f64, Option<f64>)>,
}

/// The fixed parts of a line chart.
#[derive(Clone, Debug)]
pub(crate) struct LineSpec<'a> {
    pub title: &'a str,
    pub x_desc: &'a str,
    /// x is hours of the day's clock, ticked as clock times (`08:30`);
    /// otherwise plain numbers.
    pub x_clock: bool,
    pub y_desc: &'a str,
    pub size: (u32, u32),
    pub x_range: (f64, f64),
    /// Fixed y range; otherwise 0 to a little above the largest value.
    pub y_range: Option<(f64, f64)>,
    /// Decimals of y ticks.
    pub y_decimals: usize,
    /// Draw a dot at every point (for per-interval values, to show that
    /// they are samples, and so a lone defined value is still visible).
    pub markers: bool,
    /// Horizontal reference lines (a queue's target): height, colour and
    /// a short label drawn at their right end.
    pub references: &'a [(f64, RGBColor, String)],
}

/// A line chart, one line per series; undefined values leave gaps.
pub(crate) fn line_chart(spec: &LineSpec<'_>, series: &[Series]) -> Result<String, ReportError> {
    let err = chart_err(spec.title);
    let max = series
        .iter()
        .flat_map(|s| s.points.iter().filter_map(|p| p.1))
        .fold(0.0_f64, f64::max);
    let max = spec.references.iter().fold(max, |m, r| m.max(r.0));
    let (y0, y1) = spec.y_range.unwrap_or((0.0, y_top(max)));
    svg(spec.title, spec.size, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(spec.title, (FONT, TITLE_SIZE).into_font().color(&TEXT))
            .margin(10)
            .margin_right(18)
            .x_label_area_size(46)
            .y_label_area_size(62)
            .build_cartesian_2d(spec.x_range.0..spec.x_range.1, y0..y1)
            .map_err(&err)?;
        let x_fmt = |v: &f64| {
            if spec.x_clock {
                clock_tick(*v)
            } else {
                tick(*v, 2)
            }
        };
        let y_fmt = |v: &f64| tick(*v, spec.y_decimals);
        chart
            .configure_mesh()
            .x_desc(spec.x_desc)
            .y_desc(spec.y_desc)
            .x_labels(10)
            .y_labels(6)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .label_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .draw()
            .map_err(&err)?;
        for (y, colour, label) in spec.references {
            let (x0, x1) = spec.x_range;
            chart
                .draw_series(LineSeries::new(
                    [(x0, *y), (x1, *y)],
                    colour.mix(0.6).stroke_width(1),
                ))
                .map_err(&err)?;
            let style = (FONT, LABEL_SIZE).into_font().color(colour);
            chart
                .draw_series(std::iter::once(Text::new(
                    label.clone(),
                    (x0 + (x1 - x0) * 0.01, *y),
                    style,
                )))
                .map_err(&err)?;
        }
        for s in series {
            let style = s.colour.stroke_width(2);
            for run in defined_runs(&s.points) {
                chart
                    .draw_series(LineSeries::new(run.iter().copied(), style))
                    .map_err(&err)?;
                if spec.markers || run.len() == 1 {
                    chart
                        .draw_series(run.iter().map(|&p| Circle::new(p, 3, s.colour.filled())))
                        .map_err(&err)?;
                }
            }
        }
        Ok(())
    })
}

/// The maximal runs of consecutive defined points.
fn defined_runs(points: &[(f64, Option<f64>)]) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![];
    let mut run = vec![];
    for &(x, y) in points {
        match y {
            Some(y) => run.push((x, y)),
            None if !run.is_empty() => runs.push(std::mem::take(&mut run)),
            None => {}
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs
}

/// A stacked histogram: `counts[s][b]` is the height of series `s` in bin
/// `b`, bins `[b·width, (b+1)·width)` from 0; a vertical marker at each
/// `markers[k].0` labelled `markers[k].1` (labels stepped down so that
/// close markers stay legible).
#[derive(Clone, Debug)]
pub(crate) struct HistogramSpec<'a> {
    pub title: &'a str,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub size: (u32, u32),
    pub width: f64,
    pub markers: Vec<(f64, String)>,
}

/// Draws the stacked histogram of [`HistogramSpec`].
pub(crate) fn stacked_histogram(
    spec: &HistogramSpec<'_>,
    colours: &[RGBColor],
    counts: &[Vec<f64>],
) -> Result<String, ReportError> {
    let err = chart_err(spec.title);
    let bins = counts.iter().map(Vec::len).max().unwrap_or(0);
    let totals: Vec<f64> = (0..bins)
        .map(|b| counts.iter().filter_map(|c| c.get(b)).sum())
        .collect();
    let max = totals.iter().copied().fold(0.0_f64, f64::max);
    let x1 = spec
        .markers
        .iter()
        .fold(bins as f64 * spec.width, |x, m| x.max(m.0 * 1.05))
        .max(1.0);
    svg(spec.title, spec.size, |root| {
        let mut chart = ChartBuilder::on(root)
            .caption(spec.title, (FONT, TITLE_SIZE).into_font().color(&TEXT))
            .margin(10)
            .margin_right(18)
            .x_label_area_size(46)
            .y_label_area_size(62)
            .build_cartesian_2d(0.0..x1, 0.0..y_top(max))
            .map_err(&err)?;
        let x_fmt = |v: &f64| tick(*v, 1);
        let y_fmt = |v: &f64| tick(*v, 2);
        chart
            .configure_mesh()
            .x_desc(spec.x_desc)
            .y_desc(spec.y_desc)
            .x_labels(12)
            .y_labels(6)
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .disable_x_mesh()
            .bold_line_style(GRID)
            .light_line_style(TRANSPARENT)
            .axis_style(AXIS)
            .label_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .draw()
            .map_err(&err)?;
        let mut base = vec![0.0; bins];
        for (s, c) in counts.iter().enumerate() {
            let colour = colours.get(s).copied().unwrap_or(ALL_COLOUR);
            let rects = c
                .iter()
                .enumerate()
                .filter(|(_, &h)| h > 0.0)
                .map(|(b, &h)| {
                    let x0 = b as f64 * spec.width;
                    let r = Rectangle::new(
                        [(x0, base[b]), (x0 + spec.width, base[b] + h)],
                        colour.mix(0.85).filled(),
                    );
                    base[b] += h;
                    r
                });
            chart.draw_series(rects).map_err(&err)?;
        }
        let top = y_top(max);
        let red = RGBColor(200, 30, 30);
        for (k, (x, label)) in spec.markers.iter().enumerate() {
            chart
                .draw_series(LineSeries::new([(*x, 0.0), (*x, top)], red.stroke_width(2)))
                .map_err(&err)?;
            let label_style = (FONT, LABEL_SIZE).into_font().color(&red);
            let y = top * (0.97 - 0.07 * (k % 8) as f64);
            chart
                .draw_series(std::iter::once(Text::new(
                    format!(" {label}"),
                    (*x, y),
                    label_style,
                )))
                .map_err(&err)?;
        }
        Ok(())
    })
}

/// A heat map: `values[r][c]` (`None`: no data, drawn grey) for row `r`
/// (drawn top to bottom) and column `c` spanning `columns[c]` on the x
/// axis, in hours of the day's clock (ticked as clock times); colours from
/// 0 to 1, values above 1 drawn as 1.
#[derive(Clone, Debug)]
pub(crate) struct HeatSpec<'a> {
    pub title: &'a str,
    pub x_desc: &'a str,
    pub y_desc: &'a str,
    pub scale_desc: &'a str,
    pub width: u32,
    pub row_labels: &'a [String],
    pub columns: &'a [(f64, f64)],
}

/// Height in pixels of a heat map with `rows` rows: enough for a label
/// per row up to ~30 rows, then denser rows with sparser labels.
pub(crate) fn heat_height(rows: usize) -> u32 {
    let per_row = if rows <= 30 { 22 } else { 10 };
    (110 + rows as u32 * per_row).clamp(220, 900)
}

/// Blues, from ColorBrewer: light for idle, dark for busy, readable in
/// grey-scale print too.
fn heat_colour(v: f64) -> RGBColor {
    const STOPS: [(f64, (f64, f64, f64)); 5] = [
        (0.0, (247.0, 251.0, 255.0)),
        (0.25, (198.0, 219.0, 239.0)),
        (0.5, (107.0, 174.0, 214.0)),
        (0.75, (33.0, 113.0, 181.0)),
        (1.0, (8.0, 48.0, 107.0)),
    ];
    let v = v.clamp(0.0, 1.0);
    let k = STOPS.iter().position(|s| s.0 >= v).unwrap_or(4).max(1);
    let (a, b) = (STOPS[k - 1], STOPS[k]);
    let f = (v - a.0) / (b.0 - a.0);
    let mix = |x: f64, y: f64| (x + (y - x) * f).round() as u8;
    RGBColor(
        mix(a.1 .0, b.1 .0),
        mix(a.1 .1, b.1 .1),
        mix(a.1 .2, b.1 .2),
    )
}

/// Draws the heat map of [`HeatSpec`] with a colour bar on the right.
pub(crate) fn heat_map(
    spec: &HeatSpec<'_>,
    values: &[Vec<Option<f64>>],
) -> Result<String, ReportError> {
    let err = chart_err(spec.title);
    let rows = values.len().max(1);
    let height = heat_height(rows);
    let x0 = spec.columns.first().map_or(0.0, |c| c.0);
    let x1 = spec.columns.last().map_or(1.0, |c| c.1);
    svg(spec.title, (spec.width, height), |root| {
        let root = root
            .titled(spec.title, (FONT, TITLE_SIZE).into_font().color(&TEXT))
            .map_err(&err)?;
        let (main, bar) = root.split_horizontally(spec.width - 110);
        // Row r occupies y in [rows-1-r - 0.5, rows-1-r + 0.5): integer
        // ticks then fall on row centres, and row 0 is at the top.
        let mut chart = ChartBuilder::on(&main)
            .margin(10)
            .x_label_area_size(46)
            .y_label_area_size(110)
            .build_cartesian_2d(x0..x1, -0.5..rows as f64 - 0.5)
            .map_err(&err)?;
        let x_fmt = |v: &f64| clock_tick(*v);
        let y_fmt = |v: &f64| {
            let r = v.round();
            if (v - r).abs() > 1e-6 || r < 0.0 || r >= rows as f64 {
                return String::new();
            }
            let row = rows - 1 - r as usize;
            spec.row_labels.get(row).cloned().unwrap_or_default()
        };
        chart
            .configure_mesh()
            .disable_mesh()
            .x_desc(spec.x_desc)
            .y_desc(spec.y_desc)
            .x_labels(10)
            .y_labels(rows.min(30))
            .x_label_formatter(&x_fmt)
            .y_label_formatter(&y_fmt)
            .axis_style(AXIS)
            .label_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .draw()
            .map_err(&err)?;
        let no_data = RGBColor(205, 205, 205);
        let cells = values.iter().enumerate().flat_map(|(r, row)| {
            let y = (rows - 1 - r) as f64;
            row.iter().zip(spec.columns).map(move |(v, &(c0, c1))| {
                let colour = v.map_or(no_data, heat_colour);
                Rectangle::new([(c0, y - 0.5), (c1, y + 0.5)], colour.filled())
            })
        });
        chart.draw_series(cells).map_err(&err)?;

        // Colour bar: 50 steps from 0 to 1.
        let mut scale = ChartBuilder::on(&bar)
            .margin_top(10)
            .margin_bottom(56)
            .margin_left(8)
            .right_y_label_area_size(56)
            .build_cartesian_2d(0.0..1.0, 0.0..1.0)
            .map_err(&err)?;
        let y_fmt = |v: &f64| tick(*v, 1);
        scale
            .configure_mesh()
            .disable_mesh()
            .disable_x_axis()
            .y_desc(spec.scale_desc)
            .y_labels(6)
            .y_label_formatter(&y_fmt)
            .axis_style(AXIS)
            .label_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .axis_desc_style((FONT, LABEL_SIZE).into_font().color(&TEXT))
            .draw()
            .map_err(&err)?;
        scale
            .draw_series((0..50).map(|i| {
                let (a, b) = (i as f64 / 50.0, (i + 1) as f64 / 50.0);
                Rectangle::new([(0.0, a), (1.0, b)], heat_colour((a + b) / 2.0).filled())
            }))
            .map_err(&err)?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_short() {
        assert_eq!(tick(0.5, 2), "0.5");
        assert_eq!(tick(2.0, 2), "2");
        assert_eq!(tick(0.30000000000000004, 2), "0.3");
        assert_eq!(tick(-0.0001, 2), "0");
        assert_eq!(tick(1500.0, 0), "1500");
    }

    #[test]
    fn gaps_split_lines() {
        let runs = defined_runs(&[
            (0.0, Some(1.0)),
            (1.0, None),
            (2.0, Some(2.0)),
            (3.0, Some(3.0)),
        ]);
        assert_eq!(runs, vec![vec![(0.0, 1.0)], vec![(2.0, 2.0), (3.0, 3.0)]]);
    }

    #[test]
    fn heat_colours_run_light_to_dark() {
        assert_eq!(heat_colour(0.0), RGBColor(247, 251, 255));
        assert_eq!(heat_colour(1.0), RGBColor(8, 48, 107));
        assert_eq!(heat_colour(7.0), heat_colour(1.0));
        let mid = heat_colour(0.5);
        assert_eq!(mid, RGBColor(107, 174, 214));
    }

    #[test]
    fn charts_are_labelled_svg() {
        let spec = LineSpec {
            title: "A <title>",
            x_desc: "x [h]",
            x_clock: false,
            y_desc: "y [s]",
            size: (400, 300),
            x_range: (0.0, 2.0),
            y_range: None,
            y_decimals: 1,
            markers: true,
            references: &[],
        };
        let s = Series {
            colour: queue_colour(0),
            points: vec![(0.5, Some(1.0)), (1.5, Some(3.0))],
        };
        let svg = line_chart(&spec, &[s]).unwrap();
        assert!(svg.starts_with("<svg role=\"img\" aria-label=\"A &lt;title&gt;\" "));
        assert!(svg.ends_with("</svg>"));
        assert!(svg.contains("<polyline"));
        assert!(svg.contains("y [s]"));
    }
}
