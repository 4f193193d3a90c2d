//! A sector's process graph: nodes in layers by their longest supply path,
//! flows drawn by kind.

use super::{esc, frame};
use std::fmt::Write;

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
        let label = if zh && !fl.label_zh.is_empty() {
            &fl.label_zh
        } else {
            &fl.label
        };
        let _ = write!(o, "<path d=\"M {x1:.1} {y1:.1} C {:.1} {y1:.1}, {:.1} {y2:.1}, {x2:.1} {y2:.1}\" fill=\"none\" stroke=\"#777\"{dash} marker-end=\"url(#arrow)\"><title>{}</title></path>", (x1 + x2) / 2.0, (x1 + x2) / 2.0, esc(label));
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
