//! Trajectory charts over the years: lines by scenario (with fans and
//! target marks) and stacked areas, on one pair of axes.

use super::{esc, f, frame, value_ticks, Magnitudes, COLORS};
use rust_decimal::Decimal;
use std::fmt::Write;

/// Year ticks of a trajectory: the first year and the milestones of the
/// plans (2030, 2060, 2025, 2035, then 2050, 2040, …) that fall in range,
/// at least two years apart so the labels never touch.
pub fn year_ticks(x0: i32, x1: i32) -> Vec<i32> {
    let mut out: Vec<i32> = Vec::new();
    for y in [x0, 2030, 2060, 2025, 2035, 2050, 2040, 2045, 2055, x1] {
        if (x0..=x1).contains(&y) && out.iter().all(|t| (t - y).abs() >= 2) {
            out.push(y);
        }
    }
    out.sort_unstable();
    out
}

/// A target on a trajectory chart: its year, cap and label.
pub type TargetMark = (i32, Decimal, String);

/// A fan under a series (same index): per year the 2.5, 25, 75 and 97.5th
/// percentiles.
pub type Band = (usize, Vec<(i32, [f64; 4])>);

/// Lines (one per series) over years, ticks on the plans' milestone years,
/// round values (万 in Chinese), and the targets marked.
pub fn lines(
    title: &str,
    stamp: &str,
    series: &[(String, Vec<(i32, Decimal)>)],
    y_label: &str,
    targets: &[TargetMark],
    bands: &[Band],
    magnitudes: Magnitudes,
) -> String {
    let (w, h, l, r, t, b) = TRAJECTORY;
    let mut o = frame(w, h, title, stamp);
    let pts: Vec<(i32, f64)> = series
        .iter()
        .flat_map(|(_, s)| s.iter().map(|(y, v)| (*y, f(*v))))
        .chain(targets.iter().map(|(y, v, _)| (*y, f(*v))))
        .chain(
            bands
                .iter()
                .flat_map(|(_, b)| b.iter().flat_map(|(y, q)| [(*y, q[0]), (*y, q[3])])),
        )
        .collect();
    if pts.is_empty() {
        o.push_str("</svg>");
        return o;
    }
    let (x0, x1) = (
        pts.iter().map(|p| p.0).min().unwrap_or(0),
        pts.iter().map(|p| p.0).max().unwrap_or(1),
    );
    let ticks = value_ticks(
        pts.iter().map(|p| p.1).fold(0.0_f64, f64::min),
        pts.iter().map(|p| p.1).fold(0.0_f64, f64::max),
    );
    let plot = Trajectory::draw(
        &mut o,
        (w, h, l, r, t, b),
        (x0, x1),
        &ticks,
        y_label,
        magnitudes,
    );
    let (sx, sy) = (|x| plot.sx(x), |y| plot.sy(y));
    // Fans first, under the lines: the 95 % band light, the 50 % band darker.
    for (i, band) in bands {
        let c = COLORS[i % COLORS.len()];
        for (lo, hi, opacity) in [(0, 3, 0.12), (1, 2, 0.25)] {
            let up: Vec<String> = band
                .iter()
                .map(|(x, q)| format!("{:.1},{:.1}", sx(*x), sy(q[hi])))
                .collect();
            let down: Vec<String> = band
                .iter()
                .rev()
                .map(|(x, q)| format!("{:.1},{:.1}", sx(*x), sy(q[lo])))
                .collect();
            let _ = write!(
                o,
                "<polygon fill=\"{c}\" fill-opacity=\"{opacity}\" stroke=\"none\" points=\"{} {}\"/>",
                up.join(" "),
                down.join(" ")
            );
        }
    }
    for (i, (name, s)) in series.iter().enumerate() {
        let c = COLORS[i % COLORS.len()];
        let path: Vec<String> = s
            .iter()
            .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(f(*y))))
            .collect();
        let _ = write!(
            o,
            "<polyline fill=\"none\" stroke=\"{c}\" stroke-width=\"2\" points=\"{}\"/>",
            path.join(" ")
        );
        let _ = write!(o, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"3\" fill=\"{c}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>", w - r + 10.0, t + 10.0 + i as f64 * 18.0, w - r + 26.0, t + 15.0 + i as f64 * 18.0, esc(name));
    }
    for (year, cap, label) in targets {
        let (x, y) = (sx(*year), sy(f(*cap)));
        let _ = write!(o, "<path d=\"M{x:.1},{:.1}l6,6l-6,6l-6,-6z\" fill=\"#fff\" stroke=\"#000\" stroke-width=\"1.5\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\">{} {}</text>", y - 6.0, x + 9.0, y + 4.0, esc(label), magnitudes.show(f(*cap)));
    }
    o.push_str("</svg>");
    o
}

/// The size and margins of a trajectory chart: width, height, left, right,
/// top and bottom.
const TRAJECTORY: (f64, f64, f64, f64, f64, f64) = (1040.0, 360.0, 76.0, 170.0, 34.0, 40.0);

/// The plotting area of a trajectory chart (lines or stacked areas): years
/// across, values up, the axes drawn once for both kinds of chart.
struct Trajectory {
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
    years: (i32, i32),
    values: (f64, f64),
}

impl Trajectory {
    /// Draws both axes (value ticks `ticks`, year ticks on the milestones)
    /// and returns the area for placing the data.
    fn draw(
        o: &mut String,
        (w, h, l, r, t, b): (f64, f64, f64, f64, f64, f64),
        years: (i32, i32),
        ticks: &[f64],
        y_label: &str,
        magnitudes: Magnitudes,
    ) -> Trajectory {
        let plot = Trajectory {
            left: l,
            right: w - r,
            top: t,
            bottom: h - b,
            years,
            values: (ticks[0], ticks.last().copied().unwrap_or(1.0)),
        };
        let (l, r, t, b) = (plot.left, plot.right, plot.top, plot.bottom);
        let _ = write!(o, "<line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#333\"/><line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\" stroke=\"#333\"/>");
        for v in ticks {
            let y = plot.sy(*v);
            let _ = write!(o, "<line x1=\"{l}\" y1=\"{y:.1}\" x2=\"{r}\" y2=\"{y:.1}\" stroke=\"#eee\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>", l - 4.0, y + 4.0, magnitudes.show(*v));
        }
        let _ = write!(o, "<text x=\"14\" y=\"{:.1}\" transform=\"rotate(-90 14 {:.1})\" text-anchor=\"middle\">{}</text>", (t + b) / 2.0, (t + b) / 2.0, esc(y_label));
        for x in year_ticks(years.0, years.1) {
            // The first year starts at the axis, clear of the value 0 to its left.
            let anchor = if x == years.0 { "start" } else { "middle" };
            let _ = write!(
                o,
                "<line x1=\"{0:.1}\" y1=\"{b}\" x2=\"{0:.1}\" y2=\"{1}\" stroke=\"#333\"/><text x=\"{0:.1}\" y=\"{2:.1}\" text-anchor=\"{anchor}\">{x}</text>",
                plot.sx(x),
                b + 4.0,
                b + 17.0
            );
        }
        plot
    }

    fn sx(&self, x: i32) -> f64 {
        let (x0, x1) = self.years;
        self.left + (x - x0) as f64 / ((x1 - x0).max(1)) as f64 * (self.right - self.left)
    }

    fn sy(&self, y: f64) -> f64 {
        let (lo, hi) = self.values;
        self.top + (1.0 - (y - lo) / (hi - lo).max(1e-9)) * (self.bottom - self.top)
    }
}

/// Stacked areas (e.g. CO2e by sector) over years, on the same axes as
/// [`lines`].
pub fn stacked(
    title: &str,
    stamp: &str,
    layers: &[(String, Vec<(i32, Decimal)>)],
    y_label: &str,
    magnitudes: Magnitudes,
) -> String {
    let (w, h, l, r, t, b) = TRAJECTORY;
    let mut o = frame(w, h, title, stamp);
    let years: Vec<i32> = layers
        .first()
        .map(|(_, s)| s.iter().map(|p| p.0).collect())
        .unwrap_or_default();
    if years.is_empty() {
        o.push_str("</svg>");
        return o;
    }
    let mut cum = vec![0.0_f64; years.len()];
    let tops: Vec<Vec<f64>> = layers
        .iter()
        .map(|(_, s)| {
            for (i, (_, v)) in s.iter().enumerate() {
                cum[i] += f(*v).max(0.0);
            }
            cum.clone()
        })
        .collect();
    let ticks = value_ticks(0.0, cum.iter().cloned().fold(0.0, f64::max));
    let (x0, x1) = (years[0], *years.last().unwrap_or(&years[0]));
    let plot = Trajectory::draw(
        &mut o,
        (w, h, l, r, t, b),
        (x0, x1),
        &ticks,
        y_label,
        magnitudes,
    );
    let (sx, sy) = (|x| plot.sx(x), |y| plot.sy(y));
    for (i, (name, _)) in layers.iter().enumerate() {
        let c = COLORS[i % COLORS.len()];
        let upper: Vec<String> = years
            .iter()
            .zip(&tops[i])
            .map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y)))
            .collect();
        let lower: Vec<String> = years
            .iter()
            .enumerate()
            .rev()
            .map(|(k, x)| {
                format!(
                    "{:.1},{:.1}",
                    sx(*x),
                    sy(if i == 0 { 0.0 } else { tops[i - 1][k] })
                )
            })
            .collect();
        let _ = write!(
            o,
            "<polygon fill=\"{c}\" fill-opacity=\"0.75\" stroke=\"{c}\" points=\"{} {}\"/>",
            upper.join(" "),
            lower.join(" ")
        );
        let _ = write!(o, "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"12\" height=\"12\" fill=\"{c}\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text>", w - r + 10.0, t + 5.0 + i as f64 * 18.0, w - r + 26.0, t + 15.0 + i as f64 * 18.0, esc(name));
    }
    o.push_str("</svg>");
    o
}
