//! Small SVG charts written directly (line, stacked area, scatter with
//! quadrants, paired bars, ranges, process graph), legible with Chinese
//! text. Values are converted to screen coordinates in `f64`: drawing only,
//! never accounting. This module holds what every chart shares (colours,
//! the frame, round numbers and ticks); each kind of chart has its file.

mod coordinates;
mod graph;
mod layout;
mod macc;
mod ranges;
mod trajectory;

pub use coordinates::quadrants;
pub use graph::graph;
pub use layout::LabelBox;
pub use macc::{macc, MaccBar};
pub use ranges::{ranges, RangeRow, RangeStyle};
pub use trajectory::{lines, stacked, year_ticks, Band, TargetMark};

use super::esc;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

pub const COLORS: [&str; 8] = [
    "#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2",
];
const FONT: &str =
    "font-family=\"'Noto Sans CJK SC','Noto Sans SC','Microsoft YaHei','PingFang SC',sans-serif\"";

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn nice(v: f64) -> String {
    let a = v.abs();
    if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e3 {
        format!("{:.0}k", v / 1e3)
    } else if a >= 1.0 || a == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

fn frame(w: f64, h: f64, title: &str, stamp: &str) -> String {
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" {FONT} font-size=\"12\" role=\"img\"><title>{}</title><rect width=\"{w}\" height=\"{h}\" fill=\"#fff\"/><text x=\"10\" y=\"18\" font-size=\"14\" font-weight=\"bold\">{}</text><text x=\"10\" y=\"{}\" font-size=\"10\" fill=\"#666\">{}</text>",
        esc(title),
        esc(title),
        h - 6.0,
        esc(stamp)
    )
}

/// How a trajectory chart writes its values: plain (k, M) in English, with
/// 万 and 亿 in Chinese.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Magnitudes {
    Plain,
    Chinese,
}

impl Magnitudes {
    pub(crate) fn show(self, v: f64) -> String {
        let a = v.abs();
        match self {
            Magnitudes::Plain => nice(v),
            Magnitudes::Chinese if a >= 1e8 => format!("{:.1}亿", v / 1e8),
            Magnitudes::Chinese if a >= 1e5 => format!("{:.0}万", v / 1e4),
            Magnitudes::Chinese if a >= 1e4 => format!("{:.1}万", v / 1e4),
            Magnitudes::Chinese => nice(v),
        }
    }
}

/// Round value ticks from 0 (or the lowest value) to the highest: steps of
/// 1, 2 or 5 × 10^k, about five of them. Returns the ticks; the last is the
/// top of the axis.
fn value_ticks(lo: f64, hi: f64) -> Vec<f64> {
    let span = (hi - lo).max(1e-9);
    let raw = span / 5.0;
    let p = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|s| *s >= raw)
        .unwrap_or(raw);
    let mut v = (lo / step).floor() * step;
    let mut out = vec![v];
    while v < hi - 1e-9 * span {
        v += step;
        out.push(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn year_ticks_fall_on_the_plans_milestones() {
        // base year 2023 to 2060: the milestones, none closer than two years
        assert_eq!(
            year_ticks(2023, 2060),
            vec![2023, 2025, 2030, 2035, 2040, 2045, 2050, 2055, 2060]
        );
        // base year 2024: 2025 is one year away and is left out
        assert_eq!(year_ticks(2024, 2035), vec![2024, 2030, 2035]);
    }

    #[test]
    fn values_read_in_the_report_s_magnitudes() {
        assert_eq!(Magnitudes::Chinese.show(7_300_000.0), "730万");
        assert_eq!(Magnitudes::Chinese.show(15_000.0), "1.5万");
        assert_eq!(Magnitudes::Chinese.show(250_000_000.0), "2.5亿");
        assert_eq!(Magnitudes::Plain.show(7_300_000.0), "7.3M");
        // round ticks: 0 to 8.6 M in steps of 2 M
        assert_eq!(
            value_ticks(0.0, 8_600_000.0),
            vec![0.0, 2e6, 4e6, 6e6, 8e6, 1e7]
        );
    }
}
