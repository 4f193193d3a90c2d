//! The marginal abatement cost curve: steps by unit cost, the
//! co-benefit-adjusted curve over them, outliers clipped.

use super::layout::{text_width, truncate_to, wrap};
use super::{esc, f, frame, nice, COLORS};
use rust_decimal::Decimal;
use std::fmt::Write;

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
    let mut steps: Vec<Step<'_>> = bars
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
    let (top, bottom) = cost_range(&steps);
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
    key(&mut o, &steps, l, base);
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

/// A step as drawn: its bar, width (abatement) and height (unit cost).
type Step<'a> = (&'a MaccBar, f64, f64);

/// The top and bottom of the cost axis, robust to outliers: heights beyond
/// 3 × the 90th percentile of the absolute costs (plain and adjusted) are
/// clipped, their value written on the step.
fn cost_range(steps: &[Step<'_>]) -> (f64, f64) {
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
    (top, bottom)
}

/// The key under the chart, two columns: each step's number, name (cut to
/// fit) and its abatement and cost.
fn key(o: &mut String, steps: &[Step<'_>], l: f64, base: f64) {
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
}
