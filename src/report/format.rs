//! The report's building blocks shared by its sections: the language helper,
//! numbers as the report writes them, tables, and names of sectors,
//! elasticity classes and quadrants in the report's language.

use super::{esc, Lang};
use crate::graph::SectorLibrary;
use rust_decimal::Decimal;
use std::fmt::Write;

/// The report's language, for choosing between an English and a Chinese
/// text.
pub(super) struct T {
    pub(super) zh: bool,
}

impl T {
    pub(super) fn lang(&self) -> Lang {
        if self.zh {
            Lang::Zh
        } else {
            Lang::En
        }
    }

    pub(super) fn s<'a>(&self, en: &'a str, zh: &'a str) -> &'a str {
        if self.zh {
            zh
        } else {
            en
        }
    }
}

pub(super) fn num(d: Decimal) -> String {
    let r = if d.abs() >= Decimal::from(100) {
        d.round_dp(0)
    } else {
        d.round_dp(4)
    };
    let s = r.normalize().to_string();
    // thousands separators for the integer part
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) => (i.to_string(), format!(".{f}")),
        None => (s.clone(), String::new()),
    };
    let neg = int.starts_with('-');
    let digits: Vec<char> = int.trim_start_matches('-').chars().collect();
    let mut out = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(*c);
    }
    format!("{}{out}{frac}", if neg { "-" } else { "" })
}

pub(super) fn opt(d: Option<Decimal>, t: &T) -> String {
    d.map(num)
        .unwrap_or_else(|| t.s("undefined", "无定义").to_string())
}

/// Rows shown per table; larger studies point to the results files.
pub(super) const MAX_ROWS: usize = 300;

pub(super) fn table(t: &T, o: &mut String, stamp: &str, head: &[&str], rows: &[Vec<String>]) {
    table_of(t, o, stamp, head, rows, rows.len());
}

/// A table of `total` rows of which the first (at most [`MAX_ROWS`]) are
/// given: large studies build only the rows shown.
pub(super) fn table_of(
    t: &T,
    o: &mut String,
    stamp: &str,
    head: &[&str],
    rows: &[Vec<String>],
    total: usize,
) {
    let more = total.saturating_sub(MAX_ROWS.min(rows.len()));
    let rows = &rows[..rows.len().min(MAX_ROWS)];
    o.push_str("<table><thead><tr>");
    for h in head {
        let _ = write!(o, "<th>{}</th>", esc(h));
    }
    o.push_str("</tr></thead><tbody>");
    for r in rows {
        o.push_str("<tr>");
        for c in r {
            let _ = write!(o, "<td>{}</td>", esc(c));
        }
        o.push_str("</tr>");
    }
    if more > 0 {
        let note = if t.zh {
            format!("… 另有 {more} 行，见结果文件")
        } else {
            format!("… {more} more rows in the results file")
        };
        let _ = write!(o, "<tr><td colspan=\"{}\">{note}</td></tr>", head.len());
    }
    let _ = write!(o, "</tbody></table><p class=\"stamp\">{}</p>", esc(stamp));
}

/// A sector's name in the report's language; its id where the library has
/// none.
pub(super) fn sector_name(sectors: &SectorLibrary, id: &str, t: &T) -> String {
    sectors.sector_name(id, t.lang())
}

/// What an elasticity class means, in the report's language.
pub(super) fn class_name(c: crate::measures::metrics::ElasticityClass, t: &T) -> String {
    c.name().get(t.lang()).to_string()
}

/// A quadrant of the co-control coordinate system, in the report's language.
pub(super) fn quadrant_name(q: crate::measures::metrics::Quadrant, t: &T) -> String {
    q.name().get(t.lang()).to_string()
}

/// A sampled value shown as a table number (f64 from the sampler, drawing
/// only).
pub(super) fn decimal_of(v: f64) -> Decimal {
    use rust_decimal::prelude::FromPrimitive;
    Decimal::from_f64(v).unwrap_or_default()
}

pub(super) fn f64_of(d: Decimal) -> f64 {
    rust_decimal::prelude::ToPrimitive::to_f64(&d).unwrap_or(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table cut at [`MAX_ROWS`] says how many rows the results file
    /// holds beyond it, in the report's language.
    #[test]
    fn a_cut_table_counts_the_rest_in_the_report_s_language() {
        let rows: Vec<Vec<String>> = (0..MAX_ROWS).map(|i| vec![i.to_string()]).collect();
        let cut = |zh: bool| {
            let mut o = String::new();
            table_of(&T { zh }, &mut o, "stamp", &["n"], &rows, MAX_ROWS + 5);
            o
        };
        let (zh, en) = (cut(true), cut(false));
        assert!(zh.contains("… 另有 5 行，见结果文件"), "{zh}");
        assert!(!zh.contains("more rows"));
        assert!(en.contains("… 5 more rows in the results file"));
        assert_eq!(en.matches("<tr><td>").count(), MAX_ROWS);
        // a whole table says nothing more
        let mut o = String::new();
        table(&T { zh: true }, &mut o, "stamp", &["n"], &rows);
        assert!(!o.contains("另有"));
    }
}
