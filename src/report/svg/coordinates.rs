//! The co-control coordinate system: a scatter of the measures on
//! symmetric-log axes, quadrants named, points numbered and keyed.

use super::layout::{place, text_width, truncate_to, LabelBox};
use super::{esc, f, frame, nice, COLORS};
use rust_decimal::Decimal;
use std::fmt::Write;

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
