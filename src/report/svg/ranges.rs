//! Range charts: error bars of the Monte Carlo intervals and tornado bars.

use super::{esc, frame, value_ticks, COLORS};
use std::fmt::Write;

/// One row of a range chart: its label, the low and high ends, and the
/// central value.
#[derive(Debug, Clone)]
pub struct RangeRow {
    pub label: String,
    pub low: f64,
    pub mid: f64,
    pub high: f64,
}

/// How a range chart draws its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RangeStyle {
    /// an error bar: a whisker from low to high with a dot at the centre
    Whisker,
    /// a tornado bar: below the centre in blue, above it in red
    Bar,
}

/// Horizontal ranges, one row each, on a common axis with round ticks and
/// a line at `centre` (the exact value, or 0 %): error bars and tornadoes.
pub fn ranges(
    title: &str,
    stamp: &str,
    rows: &[RangeRow],
    centre: f64,
    x_label: &str,
    style: RangeStyle,
    show: &dyn Fn(f64) -> String,
) -> String {
    let (w, l, r, t, b, row_h) = (1040.0, 330.0, 150.0, 40.0, 58.0, 22.0);
    let h = t + b + row_h * rows.len().max(1) as f64;
    let mut o = frame(w, h, title, stamp);
    let lo = rows.iter().map(|x| x.low).fold(centre, f64::min);
    let hi = rows.iter().map(|x| x.high).fold(centre, f64::max);
    let ticks = value_ticks(lo, hi);
    let (x0, x1) = (
        ticks.first().copied().unwrap_or(lo).min(lo),
        ticks.last().copied().unwrap_or(hi).max(hi),
    );
    let span = (x1 - x0).max(1e-12);
    let x = |v: f64| l + (v - x0) / span * (w - l - r);
    let bottom = h - b;
    for tv in &ticks {
        let _ = write!(
            o,
            "<line x1=\"{0:.1}\" y1=\"{t}\" x2=\"{0:.1}\" y2=\"{bottom}\" stroke=\"#eee\"/><text x=\"{0:.1}\" y=\"{1:.1}\" text-anchor=\"middle\" font-size=\"10\">{2}</text>",
            x(*tv),
            bottom + 14.0,
            esc(&show(*tv))
        );
    }
    let _ = write!(
        o,
        "<line x1=\"{0:.1}\" y1=\"{t}\" x2=\"{0:.1}\" y2=\"{bottom}\" stroke=\"#000\"/><text x=\"{1:.1}\" y=\"{2:.1}\" text-anchor=\"middle\" font-size=\"11\">{3}</text>",
        x(centre),
        l + (w - l - r) / 2.0,
        bottom + 32.0,
        esc(x_label)
    );
    for (i, row) in rows.iter().enumerate() {
        let y = t + row_h * (i as f64 + 0.5);
        let label: String = if row.label.chars().count() > 52 {
            row.label.chars().take(51).chain(['…']).collect()
        } else {
            row.label.clone()
        };
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{}</text>",
            l - 8.0,
            y + 4.0,
            esc(&label)
        );
        match style {
            RangeStyle::Whisker => {
                let _ = write!(
                    o,
                    "<line x1=\"{0:.1}\" y1=\"{y:.1}\" x2=\"{1:.1}\" y2=\"{y:.1}\" stroke=\"{c}\" stroke-width=\"2\"/><line x1=\"{0:.1}\" y1=\"{2:.1}\" x2=\"{0:.1}\" y2=\"{3:.1}\" stroke=\"{c}\" stroke-width=\"2\"/><line x1=\"{1:.1}\" y1=\"{2:.1}\" x2=\"{1:.1}\" y2=\"{3:.1}\" stroke=\"{c}\" stroke-width=\"2\"/><circle cx=\"{4:.1}\" cy=\"{y:.1}\" r=\"3.5\" fill=\"{c}\"/>",
                    x(row.low),
                    x(row.high),
                    y - 5.0,
                    y + 5.0,
                    x(row.mid),
                    c = COLORS[0]
                );
            }
            RangeStyle::Bar => {
                let c = x(centre);
                let (a, z) = (x(row.low.min(centre)), x(row.high.max(centre)));
                let _ = write!(
                    o,
                    "<rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{}\"/><rect x=\"{c:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"14\" fill=\"{}\"/>",
                    y - 7.0,
                    (c - a).max(0.0),
                    COLORS[0],
                    y - 7.0,
                    (z - c).max(0.0),
                    COLORS[1]
                );
            }
        }
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" fill=\"#444\">{} … {}</text>",
            x(row.high.max(row.mid)) + 6.0,
            y + 4.0,
            esc(&show(row.low)),
            esc(&show(row.high))
        );
    }
    o.push_str("</svg>");
    o
}
