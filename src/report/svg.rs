//! Small SVG charts written directly (line, stacked area, scatter with
//! quadrants, paired bars, process graph), legible with Chinese text. Values
//! are converted to screen coordinates in `f64`: drawing only, never accounting.

use super::esc;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::fmt::Write;

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

/// A symmetric log scale: linear within ±`lin`, logarithmic beyond, so that
/// small measures separate from large ones on one chart. Returns a position
/// in −1..1 for |v| ≤ `max`.
fn symlog(v: f64, lin: f64, max: f64) -> f64 {
    let t = |x: f64| x.signum() * (1.0 + x.abs() / lin).ln();
    t(v) / t(max).max(1e-12)
}

/// Round numbers for the ticks of a symmetric log axis up to `max`: 0 and
/// ±1, 2, 5 × 10^k from `lin` upward, thinned to fit.
fn symlog_ticks(lin: f64, max: f64) -> Vec<f64> {
    let mut out = vec![0.0];
    let mut k = lin.log10().floor() as i32;
    while 10f64.powi(k) <= max * 1.0001 {
        for m in [1.0, 2.0, 5.0] {
            let v = m * 10f64.powi(k);
            if v >= lin && v <= max * 1.0001 {
                out.push(v);
                out.push(-v);
            }
        }
        k += 1;
    }
    out
}

/// The width a text takes at `size` px, near enough to keep labels apart:
/// CJK characters are square, Latin ones about 0.6 of the size.
fn text_width(text: &str, size: f64) -> f64 {
    text.chars()
        .map(|c| {
            if (c as u32) >= 0x2E80 {
                size
            } else {
                0.62 * size
            }
        })
        .sum()
}

/// `text` cut to fit `max_w` px at `size`, with an ellipsis where cut.
fn truncate_to(text: &str, size: f64, max_w: f64) -> String {
    if text_width(text, size) <= max_w {
        return text.to_string();
    }
    let mut out = String::new();
    for c in text.chars() {
        if text_width(&out, size) + text_width(&c.to_string(), size) + size > max_w {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` broken into lines of at most `max_w` px at `size`, at spaces
/// (and anywhere in CJK text).
fn wrap(text: &str, size: f64, max_w: f64) -> Vec<String> {
    let mut lines = vec![String::new()];
    for c in text.chars() {
        let line = lines.last_mut().expect("one line at least");
        if text_width(line, size) + text_width(&c.to_string(), size) > max_w {
            // Break at the last space of a Latin line where there is one.
            let carry = match line.rfind(' ') {
                Some(i) if (c as u32) < 0x2E80 && i > 0 => {
                    let rest = line[i + 1..].to_string();
                    line.truncate(i);
                    rest
                }
                _ => String::new(),
            };
            lines.push(carry);
        }
        let line = lines.last_mut().expect("one line at least");
        if !(line.is_empty() && c == ' ') {
            line.push(c);
        }
    }
    lines
}

/// A label's box on the chart: (x, y) of its top-left corner, width, height.
pub type LabelBox = (f64, f64, f64, f64);

fn overlaps(a: &LabelBox, b: &LabelBox) -> bool {
    a.0 < b.0 + b.2 && b.0 < a.0 + a.2 && a.1 < b.1 + b.3 && b.1 < a.1 + a.3
}

/// Places a label of `w × h` near (px, py) where it overlaps no label placed
/// before and no point marker: the first free spot among rings of candidate
/// offsets, drawn with a leader line when it sits away from its point.
fn place(px: f64, py: f64, w: f64, h: f64, taken: &[LabelBox], marks: &[LabelBox]) -> LabelBox {
    let mut fallback = (px + 7.0, py - h, w, h);
    for ring in 1..=12 {
        let d = 7.0 + 9.0 * (ring - 1) as f64;
        for (dx, dy) in [
            (d, -h),
            (d, 0.0),
            (-d - w, -h),
            (-d - w, 0.0),
            (-w / 2.0, -d - h),
            (-w / 2.0, d),
            (d, d),
            (-d - w, d),
            (d, -d - h),
            (-d - w, -d - h),
        ] {
            let b = (px + dx, py + dy, w, h);
            if !taken.iter().chain(marks).any(|t| overlaps(&b, t)) {
                return b;
            }
            if ring == 1 && dx > 0.0 && dy < 0.0 {
                fallback = b;
            }
        }
    }
    fallback
}

/// The co-control coordinate system: x = GHG reduction, y = pollutant
/// reduction, quadrants labelled. Both axes are symmetric-log (stated on the
/// chart) so that small measures separate from large ones; points are
/// numbered and keyed beside the chart, numbers placed without overlap.
/// Returns the SVG and the boxes of the point labels (for the overlap check).
pub fn quadrants(
    title: &str,
    stamp: &str,
    points: &[(String, Decimal, Decimal)],
    x_label: &str,
    y_label: &str,
    labels: [&str; 4],
    scale_note: &str,
) -> (String, Vec<LabelBox>) {
    let (pw, ph, m): (f64, f64, f64) = (560.0, 480.0, 64.0);
    // The key as wide as its longest line, up to the page's width; longer
    // names are cut (the elasticity table has them whole).
    let key_line = |i: usize, (name, x, y): &(String, Decimal, Decimal)| {
        (
            format!("{} ", i + 1),
            name.clone(),
            format!(" ({}, {})", nice(f(*x)), nice(f(*y))),
        )
    };
    let key_w: f64 = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (a, b, c) = key_line(i, p);
            text_width(&format!("{a}{b}{c}"), 10.0) + 12.0
        })
        .fold(300.0, f64::max)
        .min(480.0);
    let w = pw + key_w;
    // The scale note sits under the plot, the stamp under the note.
    let h = (ph + 16.0).max(70.0 + 15.0 * points.len() as f64);
    let mut o = frame(w, h, title, stamp);
    let max_abs = |g: &dyn Fn(&(String, Decimal, Decimal)) -> f64| {
        points.iter().map(g).fold(0.0, f64::max).max(1e-9)
    };
    let xm = max_abs(&|p| f(p.1).abs());
    let ym = max_abs(&|p| f(p.2).abs());
    // Linear within a hundredth of the largest value: the rest is log.
    let (xl, yl) = (xm / 100.0, ym / 100.0);
    let (cx, cy) = (pw / 2.0, ph / 2.0);
    let (hx, hy) = (pw / 2.0 - m, ph / 2.0 - m);
    let sx = |x: f64| cx + symlog(x, xl, xm) * hx;
    let sy = |y: f64| cy - symlog(y, yl, ym) * hy;
    let _ = write!(
        o,
        "<rect x=\"{cx}\" y=\"{m}\" width=\"{hx}\" height=\"{hy}\" fill=\"#e8f5e9\"/><rect x=\"{m}\" y=\"{cy}\" width=\"{hx}\" height=\"{hy}\" fill=\"#ffebee\"/>"
    );
    let _ = write!(o, "<line x1=\"{m}\" y1=\"{cy}\" x2=\"{}\" y2=\"{cy}\" stroke=\"#333\"/><line x1=\"{cx}\" y1=\"{m}\" x2=\"{cx}\" y2=\"{}\" stroke=\"#333\"/>", pw - m, ph - m);
    // Ticks with values on both axes.
    for v in symlog_ticks(xl, xm) {
        let x = sx(v);
        let _ = write!(o, "<line x1=\"{x:.1}\" y1=\"{cy}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#333\"/><text x=\"{x:.1}\" y=\"{}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#444\">{}</text>", cy + 4.0, ph - m + 14.0, nice(v));
        let _ = write!(o, "<line x1=\"{x:.1}\" y1=\"{m}\" x2=\"{x:.1}\" y2=\"{}\" stroke=\"#000\" stroke-opacity=\"0.06\"/>", ph - m);
    }
    for v in symlog_ticks(yl, ym) {
        let y = sy(v);
        let _ = write!(o, "<line x1=\"{}\" y1=\"{y:.1}\" x2=\"{cx}\" y2=\"{y:.1}\" stroke=\"#333\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"end\" fill=\"#444\">{}</text>", cx - 4.0, m - 4.0, y + 3.0, nice(v));
        let _ = write!(o, "<line x1=\"{m}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#000\" stroke-opacity=\"0.06\"/>", pw - m);
    }
    // The quadrants' names; their boxes are obstacles for the point numbers.
    let mut name_boxes: Vec<LabelBox> = Vec::new();
    for (i, (x, y)) in [
        (pw - m - 6.0, m + 14.0),
        (m + 6.0, m + 14.0),
        (m + 6.0, ph - m - 8.0),
        (pw - m - 6.0, ph - m - 8.0),
    ]
    .iter()
    .enumerate()
    {
        let anchor = if i == 0 || i == 3 { "end" } else { "start" };
        let _ = write!(o, "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" fill=\"#555\" font-weight=\"bold\">{}</text>", esc(labels[i]));
        let width = text_width(labels[i], 12.0) + 4.0;
        let left = if anchor == "end" { x - width } else { *x - 2.0 };
        name_boxes.push((left, y - 13.0, width, 17.0));
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} →</text><text x=\"{}\" y=\"{}\">↑ {}</text><text x=\"{m}\" y=\"{}\" font-size=\"10\" fill=\"#666\">{}</text>",
        pw - m,
        ph - m + 30.0,
        esc(x_label),
        m,
        m - 22.0,
        esc(y_label),
        ph - 14.0,
        esc(scale_note)
    );
    // Points first (their markers are obstacles), then numbers around them.
    let coords: Vec<(f64, f64)> = points
        .iter()
        .map(|(_, x, y)| (sx(f(*x)), sy(f(*y))))
        .collect();
    let marks: Vec<LabelBox> = coords
        .iter()
        .map(|(px, py)| (px - 5.0, py - 5.0, 10.0, 10.0))
        .chain(name_boxes)
        .collect();
    let mut boxes: Vec<LabelBox> = Vec::new();
    for (i, (px, py)) in coords.iter().enumerate() {
        let c = COLORS[i % COLORS.len()];
        let _ = write!(
            o,
            "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"4.5\" fill=\"{c}\" fill-opacity=\"0.85\"/>"
        );
    }
    for (i, (px, py)) in coords.iter().enumerate() {
        let label = (i + 1).to_string();
        let (bw, bh) = (7.0 * label.len() as f64 + 4.0, 12.0);
        let b = place(*px, *py, bw, bh, &boxes, &marks);
        let (lx, ly) = (b.0 + bw / 2.0, b.1 + bh / 2.0);
        if (lx - px).hypot(ly - py) > 16.0 {
            let _ = write!(o, "<line x1=\"{px:.1}\" y1=\"{py:.1}\" x2=\"{lx:.1}\" y2=\"{ly:.1}\" stroke=\"#999\" stroke-width=\"0.7\"/>");
        }
        let _ = write!(
            o,
            "<text class=\"pt\" x=\"{lx:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\" font-weight=\"bold\">{label}</text>",
            b.1 + bh - 2.0
        );
        boxes.push(b);
    }
    // The key: number, name, and the two reductions.
    for (i, p) in points.iter().enumerate() {
        let ky = 50.0 + 15.0 * i as f64;
        let (number, name, values) = key_line(i, p);
        let name = truncate_to(
            &name,
            10.0,
            key_w - 12.0 - text_width(&format!("{number}{values}"), 10.0),
        );
        let _ = write!(
            o,
            "<text x=\"{}\" y=\"{ky:.1}\" font-size=\"10\"><tspan font-weight=\"bold\" fill=\"{}\">{}</tspan>{}{}</text>",
            pw + 4.0,
            COLORS[i % COLORS.len()],
            esc(&number),
            esc(&name),
            esc(&values)
        );
    }
    o.push_str("</svg>");
    (o, boxes)
}

/// One step of a MACC chart: name, abatement (t CO2e/yr, the step's width),
/// plain and co-benefit-adjusted unit cost (CNY/t CO2e, its height).
pub type MaccBar = (String, Decimal, Option<Decimal>, Option<Decimal>);

/// The marginal abatement cost curve as drawn by convention: each measure a
/// step whose width is its abatement and whose height is its unit cost,
/// sorted by cost; the co-benefit-adjusted curve drawn over it as a dashed
/// line on the same widths. Costs beyond the axis (outliers that would
/// flatten the rest) are clipped with their value written on the step.
/// Steps without a positive abatement cannot have a width: they are listed
/// under the chart. Returns the SVG and the total drawn width (t CO2e/yr).
pub fn macc(
    title: &str,
    stamp: &str,
    bars: &[MaccBar],
    legend: [&str; 2],
    x_label: &str,
    not_drawn_label: &str,
) -> (String, f64) {
    let mut steps: Vec<(&MaccBar, f64, f64)> = bars
        .iter()
        .filter_map(|b| {
            let width = f(b.1);
            let cost = f(b.2?);
            (width > 0.0).then_some((b, width, cost))
        })
        .collect();
    steps.sort_by(|a, b| a.2.total_cmp(&b.2));
    let not_drawn: Vec<&str> = bars
        .iter()
        .filter(|b| !(f(b.1) > 0.0 && b.2.is_some()))
        .map(|b| b.0.as_str())
        .collect();
    let (w, l, r, t, plot_h) = (860.0, 70.0, 20.0, 56.0, 300.0);
    let key_rows = steps.len().div_ceil(2);
    let not_drawn_lines = if not_drawn.is_empty() {
        Vec::new()
    } else {
        wrap(
            &format!("{not_drawn_label}: {}", not_drawn.join(", ")),
            10.0,
            w - l - r,
        )
    };
    let h = t + plot_h + 50.0 + 14.0 * key_rows as f64 + 14.0 * not_drawn_lines.len() as f64 + 20.0;
    let mut o = frame(w, h, title, stamp);
    let total: f64 = steps.iter().map(|s| s.1).sum();
    // The axis: robust to outliers. Heights beyond 3 × the 90th percentile
    // of the absolute costs (plain and adjusted) are clipped, their value
    // written on the step.
    let mut mags: Vec<f64> = steps
        .iter()
        .flat_map(|(b, _, c)| [Some(*c), b.3.map(f)])
        .flatten()
        .map(f64::abs)
        .collect();
    mags.sort_by(f64::total_cmp);
    let p90 = mags
        .get(((mags.len() as f64 - 1.0) * 0.9).round() as usize)
        .copied()
        .unwrap_or(1.0);
    let cap = mags
        .iter()
        .copied()
        .filter(|m| *m <= 3.0 * p90)
        .fold(0.0, f64::max)
        .max(1e-9);
    let all: Vec<f64> = steps
        .iter()
        .flat_map(|(b, _, c)| [Some(*c), b.3.map(f)])
        .flatten()
        .collect();
    let top = all.iter().cloned().fold(0.0, f64::max).min(cap);
    let bottom = all.iter().cloned().fold(0.0, f64::min).max(-cap);
    let span = (top - bottom).max(1e-9);
    let sy = |v: f64| t + (top - v.clamp(bottom, top)) / span * plot_h;
    let sx = |x: f64| l + x / total.max(1e-9) * (w - l - r);
    // y axis: ticks at round values, and the zero line
    let step = {
        let raw = span / 5.0;
        let p = 10f64.powf(raw.log10().floor());
        [1.0, 2.0, 5.0, 10.0]
            .iter()
            .map(|m| m * p)
            .find(|s| *s >= raw)
            .unwrap_or(raw)
    };
    let mut v = (bottom / step).ceil() * step;
    while v <= top + 1e-9 {
        let y = sy(v);
        let _ = write!(o, "<line x1=\"{l}\" y1=\"{y:.1}\" x2=\"{}\" y2=\"{y:.1}\" stroke=\"#000\" stroke-opacity=\"{}\"/><text x=\"{}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"end\">{}</text>", w - r, if v == 0.0 { "0.8" } else { "0.1" }, l - 4.0, y + 3.0, nice(v));
        v += step;
    }
    let _ = write!(
        o,
        "<text x=\"{l}\" y=\"{}\" font-size=\"10\">{}</text>",
        t - 8.0,
        esc(legend[0])
    );
    // steps
    let mut x0 = 0.0;
    let mut dashed = String::new();
    for (i, (b, width, cost)) in steps.iter().enumerate() {
        let (xa, xb) = (sx(x0), sx(x0 + width));
        let (y0, yc) = (sy(0.0), sy(*cost));
        let c = COLORS[i % COLORS.len()];
        let _ = write!(o, "<rect x=\"{xa:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{c}\" fill-opacity=\"0.75\" stroke=\"#fff\" stroke-width=\"0.5\"/>", y0.min(yc), (xb - xa).max(0.5), (y0 - yc).abs());
        if (xb - xa) >= 12.0 {
            let _ = write!(o, "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\" fill=\"#fff\" font-weight=\"bold\">{}</text>", (xa + xb) / 2.0, if *cost >= 0.0 { yc + 11.0 } else { yc - 3.0 }, i + 1);
        }
        if *cost > top || *cost < bottom {
            let _ = write!(o, "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"9\" text-anchor=\"middle\">{} ✂ {}</text>", (xa + xb) / 2.0, if *cost > top { t - 2.0 } else { t + plot_h + 10.0 }, i + 1, nice(*cost));
        }
        if let Some(adj) = b.3.map(f) {
            let ya = sy(adj);
            let _ = write!(dashed, "M{xa:.1},{ya:.1}H{xb:.1}");
        }
        x0 += width;
    }
    let _ = write!(o, "<path d=\"{dashed}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\" stroke-dasharray=\"5 3\"/>", COLORS[2]);
    let _ = write!(o, "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"{}\" stroke-width=\"2.5\" stroke-dasharray=\"5 3\"/><text x=\"{}\" y=\"{}\" font-size=\"10\">{}</text>", l + 330.0, t - 11.0, l + 360.0, t - 11.0, COLORS[2], l + 366.0, t - 8.0, esc(legend[1]));
    // x axis: cumulative abatement
    let base = t + plot_h;
    for k in 0..=5 {
        let xv = total * k as f64 / 5.0;
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
            sx(xv),
            base + 14.0,
            nice(xv)
        );
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{} →</text>",
        w - r,
        base + 30.0,
        esc(x_label)
    );
    // key
    for (i, (b, width, cost)) in steps.iter().enumerate() {
        let (col, row) = (i % 2, i / 2);
        let tail = format!(" ({} t, {})", nice(*width), nice(*cost));
        let name = truncate_to(
            &b.0,
            10.0,
            390.0 - text_width(&format!("{} {tail}", i + 1), 10.0),
        );
        let _ = write!(o, "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\"><tspan font-weight=\"bold\" fill=\"{}\">{}</tspan> {}{}</text>", l + col as f64 * 400.0, base + 50.0 + 14.0 * row as f64, COLORS[i % COLORS.len()], i + 1, esc(&name), esc(&tail));
    }
    for (i, line) in not_drawn_lines.iter().enumerate() {
        let _ = write!(
            o,
            "<text x=\"{l}\" y=\"{:.1}\" font-size=\"10\" fill=\"#666\">{}</text>",
            base + 50.0 + 14.0 * (key_rows + i) as f64 + 4.0,
            esc(line)
        );
    }
    o.push_str("</svg>");
    (o, total)
}

/// A process graph in layers (longest supply path from sources).
pub fn graph(title: &str, stamp: &str, s: &crate::graph::Sector, zh: bool) -> String {
    use crate::graph::FlowKind;
    let n = s.nodes.len();
    let mut depth = vec![0usize; n];
    let idx = |id: &str| s.nodes.iter().position(|x| x.id == id).unwrap_or(0);
    for _ in 0..n {
        for fl in &s.flows {
            let (a, b) = match fl.kind {
                FlowKind::Supply | FlowKind::Coproduct => (idx(&fl.from), idx(&fl.to)),
                FlowKind::Waste => (idx(&fl.to), idx(&fl.from)),
            };
            if fl.kind != FlowKind::Coproduct && depth[b] < depth[a] + 1 && depth[a] + 1 < n {
                depth[b] = depth[a] + 1;
            }
        }
    }
    let cols = depth.iter().max().copied().unwrap_or(0) + 1;
    let mut rows = vec![0usize; cols];
    let mut pos = vec![(0.0, 0.0); n];
    let (bw, bh, gx, gy) = (150.0, 44.0, 40.0, 22.0);
    for i in 0..n {
        let c = depth[i];
        pos[i] = (
            20.0 + c as f64 * (bw + gx),
            40.0 + rows[c] as f64 * (bh + gy),
        );
        rows[c] += 1;
    }
    let w = 40.0 + cols as f64 * (bw + gx);
    let h = 70.0 + rows.iter().max().copied().unwrap_or(1) as f64 * (bh + gy);
    let mut o = frame(w, h, title, stamp);
    o.push_str("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#555\"/></marker></defs>");
    for fl in &s.flows {
        let (a, b) = match fl.kind {
            FlowKind::Waste => (idx(&fl.to), idx(&fl.from)),
            _ => (idx(&fl.from), idx(&fl.to)),
        };
        let (x1, y1) = (pos[a].0 + bw, pos[a].1 + bh / 2.0);
        let (x2, y2) = (pos[b].0, pos[b].1 + bh / 2.0);
        let dash = match fl.kind {
            FlowKind::Supply => "",
            FlowKind::Waste => " stroke-dasharray=\"5 3\"",
            FlowKind::Coproduct => " stroke-dasharray=\"2 2\"",
        };
        let _ = write!(o, "<path d=\"M {x1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {x2:.1} {y2:.1}\" fill=\"none\" stroke=\"#777\"{dash} marker-end=\"url(#arrow)\"><title>{}</title></path>", (x1 + x2) / 2.0, (x1 + x2) / 2.0, esc(&fl.label));
    }
    for (i, node) in s.nodes.iter().enumerate() {
        let (x, y) = pos[i];
        let has_source = s.sources.iter().any(|src| src.node == node.id);
        let fill = if has_source { "#fff3e0" } else { "#e3f2fd" };
        let name = if zh { &node.name_zh } else { &node.name_en };
        let short: String = name.chars().take(22).collect();
        let _ = write!(o, "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bw}\" height=\"{bh}\" rx=\"6\" fill=\"{fill}\" stroke=\"#555\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"11\">{}</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"9\" fill=\"#666\">{}</text>", x + bw / 2.0, y + 18.0, esc(&short), x + bw / 2.0, y + 34.0, esc(&node.id));
    }
    o.push_str("</svg>");
    o
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

#[cfg(test)]
mod layout_tests {
    use super::*;

    #[test]
    fn text_widths_count_cjk_as_square() {
        // 2 CJK at 10 px = 20; 4 Latin at 0.62 × 10 = 24.8
        assert!((text_width("电解", 10.0) - 20.0).abs() < 1e-9);
        assert!((text_width("abcd", 10.0) - 24.8).abs() < 1e-9);
    }

    #[test]
    fn truncation_fits_and_marks_the_cut() {
        let long = "Biogas recovery from the anaerobic reactor, burnt in the boiler";
        let cut = truncate_to(long, 10.0, 120.0);
        assert!(
            cut.ends_with('…') && text_width(&cut, 10.0) <= 120.0,
            "{cut}"
        );
        assert_eq!(truncate_to("short", 10.0, 120.0), "short");
    }

    #[test]
    fn wrapping_breaks_latin_at_spaces_and_keeps_every_character() {
        let text = "not drawn: Coal barn, Electric heating plates, Hydro green power sourcing";
        let lines = wrap(text, 10.0, 150.0);
        assert!(lines.len() > 1);
        for l in &lines {
            assert!(text_width(l, 10.0) <= 150.0, "{l}");
            assert!(!l.starts_with(' ') && !l.ends_with(' '), "{l:?}");
        }
        assert_eq!(lines.join(" "), text);
        // CJK breaks anywhere: 30 characters at 10 px in 100 px = 3 lines.
        let zh = "未".repeat(30);
        assert_eq!(wrap(&zh, 10.0, 100.0).len(), 3);
    }
}
