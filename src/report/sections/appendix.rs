//! The closing sections: each sector's process graph, the factors used
//! (with their sources) and the warnings.

use super::super::format::{table, table_of, MAX_ROWS};
use super::super::page::Ctx;
use super::super::svg;
use std::collections::BTreeSet;
use std::fmt::Write;

/// The process graph of each sector in the study (of every sector where the
/// study has none).
pub(in crate::report) fn graphs(o: &mut String, cx: &Ctx<'_>) {
    let (t, input) = (&cx.t, cx.input);
    let sectors_present = cx.sectors_present();
    cx.h2(o, "graphs");
    let shown: Vec<&str> = if sectors_present.is_empty() {
        input.sectors.sectors.keys().map(String::as_str).collect()
    } else {
        sectors_present.iter().copied().collect()
    };
    for id in shown {
        if let Some(s) = input.sectors.sectors.get(id) {
            let name = if t.zh { &s.name_zh } else { &s.name_en };
            o.push_str(&svg::graph(
                name,
                &format!(
                    "sectors/{id}.toml · {}",
                    t.s(
                        "orange: emission sources; dashed: waste treatment; dotted: co-product",
                        "橙色：排放源；虚线：废物处理；点线：副产品"
                    )
                ),
                s,
                t.zh,
            ));
        }
    }
    o.push_str("</section>");
}

/// The factors the inventories used: value, unit, edition, confidence,
/// source, and whether the user overrode them.
pub(in crate::report) fn factors(o: &mut String, cx: &Ctx<'_>) {
    let (t, input) = (&cx.t, cx.input);
    let stamp = |s: &str| cx.stamp(s);
    cx.h2(o, "factors");
    let ids: BTreeSet<String> = match input.factors_used {
        Some(ids) => ids.clone(),
        None => input
            .inventories
            .iter()
            .flat_map(|i| i.factor_ids())
            .collect(),
    };
    let rows: Vec<Vec<String>> = ids
        .iter()
        .filter_map(|id| input.factors.find(id))
        .map(|f| {
            vec![
                f.id.clone(),
                f.value.to_string(),
                f.unit.symbol().to_string(),
                f.edition.clone(),
                f.confidence.name().get(input.lang).to_string(),
                f.source.to_string(),
                if f.origin.is_override() {
                    t.s("override", "覆盖").to_string()
                } else {
                    String::new()
                },
            ]
        })
        .collect();
    table(
        t,
        o,
        &stamp(t.s("base year", "基准年")),
        &[
            t.s("factor", "因子"),
            t.s("value", "数值"),
            t.s("unit", "单位"),
            t.s("edition", "版本"),
            t.s("confidence", "置信度"),
            t.s("source", "来源"),
            t.s("origin", "来源类型"),
        ],
        &rows,
    );
    o.push_str("</section>");
}

/// The reader's notes on the workbook, where it made any: they apply to
/// the study, not to one facility-year, so they come before the table.
fn notes(o: &mut String, cx: &Ctx<'_>) {
    let (t, input) = (&cx.t, cx.input);
    if input.notes.is_empty() {
        return;
    }
    let _ = write!(
        o,
        "<h3>{}</h3><ul class=\"notes\">",
        t.s("Notes on reading the workbook", "读取工作簿时的说明")
    );
    for note in input.notes.iter().take(MAX_ROWS) {
        let _ = write!(o, "<li>{}</li>", super::super::esc(note.get(input.lang)));
    }
    o.push_str("</ul>");
}

/// The warnings of every facility-year (the first [`MAX_ROWS`]).
pub(in crate::report) fn warnings(o: &mut String, cx: &Ctx<'_>) {
    let (t, input) = (&cx.t, cx.input);
    let stamp = |s: &str| cx.stamp(s);
    cx.h2(o, "warnings");
    notes(o, cx);
    let warnings = input.inventories.iter().map(|i| i.warnings.len()).sum();
    let rows: Vec<Vec<String>> = input
        .inventories
        .iter()
        .flat_map(|i| {
            i.warnings.iter().map(move |w| {
                vec![
                    i.facility_id.clone(),
                    i.year.to_string(),
                    w.message_in(input.lang).to_string(),
                ]
            })
        })
        .take(MAX_ROWS)
        .collect();
    if rows.is_empty() {
        let _ = write!(o, "<p>{}</p>", t.s("none", "无"));
    } else {
        table_of(
            t,
            o,
            &stamp(t.s("base year", "基准年")),
            &[
                t.s("facility", "设施"),
                t.s("year", "年份"),
                t.s("warning", "提示"),
            ],
            &rows,
            warnings,
        );
    }
    o.push_str("</section>");
}
