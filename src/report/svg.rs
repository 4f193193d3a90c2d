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

/// Lines (one per series) over years.
pub fn lines(
    title: &str,
    stamp: &str,
    series: &[(String, Vec<(i32, Decimal)>)],
    y_label: &str,
) -> String {
    let (w, h, l, r, t, b) = (760.0, 340.0, 70.0, 150.0, 30.0, 40.0);
    let mut o = frame(w, h, title, stamp);
    let pts: Vec<(i32, f64)> = series
        .iter()
        .flat_map(|(_, s)| s.iter().map(|(y, v)| (*y, f(*v))))
        .collect();
    if pts.is_empty() {
        o.push_str("</svg>");
        return o;
    }
    let (x0, x1) = (
        pts.iter().map(|p| p.0).min().unwrap_or(0),
        pts.iter().map(|p| p.0).max().unwrap_or(1),
    );
    let ymax = pts.iter().map(|p| p.1).fold(0.0_f64, f64::max).max(1e-9) * 1.05;
    let ymin = pts.iter().map(|p| p.1).fold(0.0_f64, f64::min);
    let sx = |x: i32| l + (x - x0) as f64 / ((x1 - x0).max(1)) as f64 * (w - l - r);
    let sy = |y: f64| t + (1.0 - (y - ymin) / (ymax - ymin)) * (h - t - b);
    axes(&mut o, l, t, w - r, h - b, ymin, ymax, &sy, y_label);
    for k in 0..=4 {
        let x = x0 + (x1 - x0) * k / 4;
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{x}</text>",
            sx(x),
            h - b + 16.0
        );
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
    o.push_str("</svg>");
    o
}

#[allow(clippy::too_many_arguments)]
fn axes(
    o: &mut String,
    l: f64,
    t: f64,
    r: f64,
    b: f64,
    ymin: f64,
    ymax: f64,
    sy: &dyn Fn(f64) -> f64,
    y_label: &str,
) {
    let _ = write!(o, "<line x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\" stroke=\"#333\"/><line x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\" stroke=\"#333\"/>");
    for k in 0..=4 {
        let v = ymin + (ymax - ymin) * k as f64 / 4.0;
        let y = sy(v);
        let _ = write!(o, "<line x1=\"{l}\" y1=\"{y:.1}\" x2=\"{r}\" y2=\"{y:.1}\" stroke=\"#eee\"/><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}</text>", l - 4.0, y + 4.0, nice(v));
    }
    let _ = write!(o, "<text x=\"14\" y=\"{:.1}\" transform=\"rotate(-90 14 {:.1})\" text-anchor=\"middle\">{}</text>", (t + b) / 2.0, (t + b) / 2.0, esc(y_label));
}

/// Stacked areas (e.g. CO2e by sector) over years.
pub fn stacked(
    title: &str,
    stamp: &str,
    layers: &[(String, Vec<(i32, Decimal)>)],
    y_label: &str,
) -> String {
    let (w, h, l, r, t, b) = (760.0, 340.0, 70.0, 150.0, 30.0, 40.0);
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
    let ymax = cum.iter().cloned().fold(0.0, f64::max).max(1e-9) * 1.05;
    let (x0, x1) = (years[0], *years.last().unwrap_or(&years[0]));
    let sx = |x: i32| l + (x - x0) as f64 / ((x1 - x0).max(1)) as f64 * (w - l - r);
    let sy = |y: f64| t + (1.0 - y / ymax) * (h - t - b);
    axes(&mut o, l, t, w - r, h - b, 0.0, ymax, &sy, y_label);
    for k in 0..=4 {
        let x = x0 + (x1 - x0) * k / 4;
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">{x}</text>",
            sx(x),
            h - b + 16.0
        );
    }
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

/// The co-control coordinate system: x = GHG reduction, y = pollutant
/// reduction, quadrants labelled.
pub fn quadrants(
    title: &str,
    stamp: &str,
    points: &[(String, Decimal, Decimal)],
    x_label: &str,
    y_label: &str,
    labels: [&str; 4],
) -> String {
    let (w, h, m) = (760.0, 520.0, 60.0);
    let mut o = frame(w, h, title, stamp);
    let xm = points
        .iter()
        .map(|p| f(p.1).abs())
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.1;
    let ym = points
        .iter()
        .map(|p| f(p.2).abs())
        .fold(0.0, f64::max)
        .max(1e-9)
        * 1.1;
    let cx = w / 2.0;
    let cy = h / 2.0;
    let sx = |x: f64| cx + x / xm * (w / 2.0 - m);
    let sy = |y: f64| cy - y / ym * (h / 2.0 - m);
    let _ = write!(
        o,
        "<rect x=\"{cx}\" y=\"{m}\" width=\"{}\" height=\"{}\" fill=\"#e8f5e9\"/>",
        w / 2.0 - m,
        h / 2.0 - m
    );
    let _ = write!(
        o,
        "<rect x=\"{m}\" y=\"{cy}\" width=\"{}\" height=\"{}\" fill=\"#ffebee\"/>",
        w / 2.0 - m,
        h / 2.0 - m
    );
    let _ = write!(o, "<line x1=\"{m}\" y1=\"{cy}\" x2=\"{}\" y2=\"{cy}\" stroke=\"#333\"/><line x1=\"{cx}\" y1=\"{m}\" x2=\"{cx}\" y2=\"{}\" stroke=\"#333\"/>", w - m, h - m);
    for (i, (x, y)) in [
        (w - m - 6.0, m + 16.0),
        (m + 6.0, m + 16.0),
        (m + 6.0, h - m - 8.0),
        (w - m - 6.0, h - m - 8.0),
    ]
    .iter()
    .enumerate()
    {
        let anchor = if i == 0 || i == 3 { "end" } else { "start" };
        let _ = write!(o, "<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" fill=\"#555\" font-weight=\"bold\">{}</text>", esc(labels[i]));
    }
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{} →</text>",
        w - m,
        cy + 16.0,
        esc(x_label)
    );
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\">↑ {}</text>",
        cx + 6.0,
        m - 6.0,
        esc(y_label)
    );
    let _ = write!(
        o,
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#666\">±{}</text>",
        w - m,
        cy - 4.0,
        nice(xm)
    );
    for (i, (name, x, y)) in points.iter().enumerate() {
        let (px, py) = (sx(f(*x)), sy(f(*y)));
        let c = COLORS[i % COLORS.len()];
        let _ = write!(o, "<circle cx=\"{px:.1}\" cy=\"{py:.1}\" r=\"5\" fill=\"{c}\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\">{}</text>", px + 7.0, py - 5.0, esc(name));
    }
    o.push_str("</svg>");
    o
}

/// Paired horizontal bars (plain and co-benefit-adjusted MAC) in MACC order.
pub fn macc(
    title: &str,
    stamp: &str,
    bars: &[(String, Decimal, Option<Decimal>, Option<Decimal>)],
    legend: [&str; 2],
) -> String {
    let row = 26.0;
    let (w, l, r, t) = (760.0, 230.0, 30.0, 50.0);
    let h = t + row * bars.len().max(1) as f64 + 40.0;
    let mut o = frame(w, h, title, stamp);
    let vals: Vec<f64> = bars
        .iter()
        .flat_map(|b| [b.2, b.3])
        .flatten()
        .map(f)
        .collect();
    let vmax = vals.iter().cloned().fold(0.0, f64::max).max(1e-9);
    let vmin = vals.iter().cloned().fold(0.0, f64::min);
    let span = (vmax - vmin).max(1e-9);
    let sx = |v: f64| l + (v - vmin) / span * (w - l - r);
    let zero = sx(0.0);
    let _ = write!(
        o,
        "<line x1=\"{zero:.1}\" y1=\"{t}\" x2=\"{zero:.1}\" y2=\"{:.1}\" stroke=\"#333\"/>",
        h - 40.0
    );
    let _ = write!(o, "<rect x=\"{l}\" y=\"28\" width=\"12\" height=\"8\" fill=\"{}\"/><text x=\"{}\" y=\"36\">{}</text><rect x=\"{}\" y=\"28\" width=\"12\" height=\"8\" fill=\"{}\"/><text x=\"{}\" y=\"36\">{}</text>", COLORS[0], l + 16.0, esc(legend[0]), l + 220.0, COLORS[2], l + 236.0, esc(legend[1]));
    for (i, (name, width, plain, adj)) in bars.iter().enumerate() {
        let y = t + row * i as f64;
        let _ = write!(
            o,
            "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\" font-size=\"11\">{} ({} t)</text>",
            l - 6.0,
            y + 15.0,
            esc(name),
            nice(f(*width))
        );
        for (k, v) in [plain, adj].iter().enumerate() {
            if let Some(v) = v {
                let x = sx(f(*v));
                let (a, bw) = if x >= zero {
                    (zero, x - zero)
                } else {
                    (x, zero - x)
                };
                let _ = write!(
                    o,
                    "<rect x=\"{a:.1}\" y=\"{:.1}\" width=\"{bw:.1}\" height=\"10\" fill=\"{}\"/>",
                    y + 3.0 + k as f64 * 11.0,
                    COLORS[if k == 0 { 0 } else { 2 }]
                );
            }
        }
    }
    let _ = write!(o, "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"middle\">0</text><text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{} CNY/t</text>", zero, h - 24.0, w - r, h - 24.0, nice(vmax));
    o.push_str("</svg>");
    o
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
