//! Text, Graphviz dot and Mermaid views of a sector graph, for
//! `coreduce graph <sector>`.

use super::{FlowKind, Sector};
use std::fmt::Write;

fn amount_text(a: &super::Amount) -> String {
    if let Some(v) = a.value {
        format!("{} {}", v, a.unit.as_deref().unwrap_or(""))
    } else {
        let mut s = a.factors.join(" × ");
        if !a.divide_by.is_empty() {
            write!(s, " ÷ {}", a.divide_by.join(" ÷ ")).ok();
        }
        s
    }
}

fn tech_text(t: &[String]) -> String {
    if t.is_empty() {
        String::new()
    } else {
        format!(" [{}]", t.join(", "))
    }
}

/// A plain-text listing: nodes, flows with their amounts, Tier 1 inputs and sources.
pub fn text(s: &Sector) -> String {
    let mut o = String::new();
    writeln!(
        o,
        "sector {} ({} / {}), output in {} ({}); reference node: {}",
        s.id, s.name_en, s.name_zh, s.output_unit, s.output_label, s.reference_node
    )
    .ok();
    writeln!(o, "\nnodes:").ok();
    for n in &s.nodes {
        writeln!(
            o,
            "  {:<20} {} / {} — product: {} [{}]",
            n.id, n.name_en, n.name_zh, n.product, n.unit
        )
        .ok();
    }
    writeln!(o, "\nflows (per unit of the consumer's product):").ok();
    for f in &s.flows {
        let arrow = match f.kind {
            FlowKind::Supply => format!("{} → {}", f.from, f.to),
            FlowKind::Waste => format!("{} → {} (treated by {})", f.to, f.from, f.from),
            FlowKind::Coproduct => format!("{} ⇢ {} (co-product)", f.from, f.to),
        };
        writeln!(
            o,
            "  {arrow}: {} = {}{}",
            f.label,
            amount_text(&f.amount),
            tech_text(&f.technology)
        )
        .ok();
    }
    writeln!(o, "\nTier 1 inputs (per unit of the node's product):").ok();
    for i in &s.inputs {
        writeln!(
            o,
            "  {:<16} {} = {}{}",
            i.node,
            i.item,
            amount_text(&i.amount),
            tech_text(&i.technology)
        )
        .ok();
    }
    writeln!(o, "\nemission sources:").ok();
    for src in &s.sources {
        let subs: Vec<_> = src.substances.iter().map(|x| x.code()).collect();
        writeln!(
            o,
            "  {:<16} {:<22} {:?}{} — {} / {}{}",
            src.node,
            src.id,
            src.method,
            if subs.is_empty() {
                String::new()
            } else {
                format!(" ({})", subs.join(", "))
            },
            src.name_en,
            src.name_zh,
            if src.in_compliance {
                ""
            } else {
                " [outside the compliance total]"
            }
        )
        .ok();
    }
    o
}

fn esc(s: &str) -> String {
    s.replace('"', "'")
}

/// Graphviz dot.
pub fn dot(s: &Sector) -> String {
    let mut o = format!("digraph \"{}\" {{\n  rankdir=LR;\n", s.id);
    for n in &s.nodes {
        let srcs: Vec<_> = s
            .sources
            .iter()
            .filter(|x| x.node == n.id)
            .map(|x| x.id.as_str())
            .collect();
        writeln!(
            o,
            "  \"{}\" [shape=box, label=\"{}\\n{}{}\"];",
            n.id,
            esc(&n.name_en),
            esc(&n.name_zh),
            if srcs.is_empty() {
                String::new()
            } else {
                format!("\\nsources: {}", srcs.join(", "))
            }
        )
        .ok();
    }
    for f in &s.flows {
        let (a, b, style) = match f.kind {
            FlowKind::Supply => (&f.from, &f.to, ""),
            FlowKind::Waste => (&f.to, &f.from, ", style=dashed"),
            FlowKind::Coproduct => (&f.from, &f.to, ", style=dotted"),
        };
        writeln!(
            o,
            "  \"{a}\" -> \"{b}\" [label=\"{}\"{style}];",
            esc(&f.label)
        )
        .ok();
    }
    o.push_str("}\n");
    o
}

/// Mermaid flowchart.
pub fn mermaid(s: &Sector) -> String {
    let mut o = String::from("flowchart LR\n");
    for n in &s.nodes {
        writeln!(
            o,
            "  {}[\"{}<br/>{}\"]",
            n.id,
            esc(&n.name_en),
            esc(&n.name_zh)
        )
        .ok();
    }
    for f in &s.flows {
        let (a, b, arrow) = match f.kind {
            FlowKind::Supply => (&f.from, &f.to, "-->"),
            FlowKind::Waste => (&f.to, &f.from, "-.->"),
            FlowKind::Coproduct => (&f.from, &f.to, "==>"),
        };
        writeln!(o, "  {a} {arrow}|\"{}\"| {b}", esc(&f.label)).ok();
    }
    o
}
