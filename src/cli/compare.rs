//! `compare A B`: two studies' base years side by side (last year's study
//! against this year's, measured data against Tier 1 defaults): the totals
//! by facility and substance on the terminal, every source with `--out`.

use super::*;
use coreduce::accounting::{Amounts, Comparison, FacilityTotal, SubstanceTotal};
use coreduce::export::ComparedStudy;
use rust_decimal::Decimal;

/// The substances of the terminal table, in this order, where present; the
/// others are in the `--out` file.
const SHOWN: [&str; 7] = ["CO2e", "CO2", "CH4", "SO2", "NOx", "PM", "COD"];

/// The side of a comparison the JSON names: file, study name, base year.
fn side(path: &Path, run: &coreduce::workbook::WorkbookRun) -> ComparedStudy {
    ComparedStudy {
        file: path.display().to_string(),
        study: Some(run.study.name.clone()).filter(|n| !n.is_empty()),
        year: run.study.chosen_base_year(),
    }
}

pub(crate) fn compare_cmd(
    a: &Path,
    b: &Path,
    out: Option<PathBuf>,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
) -> anyhow::Result<ExitCode> {
    // An output it cannot write is said before the studies are computed.
    if let Some(out) = &out {
        let ext = out
            .extension()
            .map(|e| e.to_string_lossy().to_lowercase())
            .unwrap_or_default();
        if ext != "csv" && ext != "json" {
            return Err(coreduce::Error::UnknownFormat {
                path: out.display().to_string(),
                extension: ext,
                supported: ".csv or .json",
            }
            .into());
        }
    }
    let ra = base_year_run(a, lib, sectors)?;
    let rb = base_year_run(b, lib, sectors)?;
    // The messages in study A's language (unless --lang said one).
    study_lang(&ra.study.language);
    let cmp = coreduce::accounting::compare(&ra.inventories, &rb.inventories)?;
    for n in &cmp.notes {
        let text = n.get(message_lang());
        eprintln!("{}", say(tr!("note: {text}", "提示：{text}")));
    }
    let (sa, sb) = (side(a, &ra), side(b, &rb));
    print_comparison(&cmp, (&sa, &sb));
    if let Some(out) = out {
        let inputs: Vec<PathBuf> = ra
            .study
            .input_files()
            .into_iter()
            .chain(rb.study.input_files())
            .collect();
        let protected: Vec<&Path> = inputs.iter().map(|p| p.as_path()).collect();
        coreduce::export::write_comparison(&out, &cmp, (&sa, &sb), &protected)?;
        out!("{}", say(tr!("wrote {}", "已写入 {}", out.display())));
    }
    Ok(ExitCode::SUCCESS)
}

/// `file (study, year)` for the table's head.
fn described(s: &ComparedStudy) -> String {
    let file = &s.file;
    let year = s.year.map(|y| y.to_string()).unwrap_or_default();
    say(match &s.study {
        Some(name) => tr!("{file} ({name}, {year})", "{file}（{name}，{year} 年）"),
        None => tr!("{file} ({year})", "{file}（{year} 年）"),
    })
}

fn amount(d: Option<Decimal>) -> String {
    d.map(|d| d.round_dp(3).normalize().to_string())
        .unwrap_or_else(|| "–".into())
}

fn percent(d: Option<Decimal>) -> String {
    d.map(|d| format!("{d:.2}")).unwrap_or_else(|| "–".into())
}

/// One line of the table: facility, substance, A, B, change, change %.
fn line(width: usize, cells: [String; 6]) -> String {
    let widths = [width, 9, 16, 16, 16, 10];
    let mut row = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        if i > 0 {
            row.push(' ');
        }
        row.push_str(&if i < 2 { left(cell, w) } else { right(cell, w) });
    }
    row.trim_end().to_string()
}

/// A table line: the label (facility or "all"), the substance and its amounts.
fn cells(label: &str, substance: &str, t: &Amounts) -> [String; 6] {
    [
        label.to_string(),
        substance.to_string(),
        amount(t.a),
        amount(t.b),
        amount(Some(t.change)),
        percent(t.change_pct),
    ]
}

/// The totals by facility, then over all facilities, of the substances in
/// [`SHOWN`], in t.
fn print_comparison(cmp: &Comparison, (a, b): (&ComparedStudy, &ComparedStudy)) {
    let (da, db) = (described(a), described(b));
    out!("{}", say(tr!("A: {da}", "研究 A：{da}")));
    out!("{}", say(tr!("B: {db}", "研究 B：{db}")));
    let all = say(tr!("all facilities", "全部设施"));
    let width = cmp
        .facility_totals
        .iter()
        .map(|t| unicode_width::UnicodeWidthStr::width(t.facility_id.as_str()))
        .chain([unicode_width::UnicodeWidthStr::width(all.as_str())])
        .max()
        .unwrap_or(0)
        .max(10);
    out!(
        "{}",
        line(
            width,
            [
                say(tr!("facility", "设施")),
                say(tr!("substance", "物质")),
                say(tr!("A t", "A 吨")),
                say(tr!("B t", "B 吨")),
                say(tr!("change t", "变化 吨")),
                say(tr!("change %", "变化 %")),
            ]
        )
    );
    let rank = |s: &str| SHOWN.iter().position(|x| *x == s);
    let mut facility: Vec<&FacilityTotal> = cmp
        .facility_totals
        .iter()
        .filter(|t| rank(&t.substance).is_some())
        .collect();
    facility.sort_by_key(|t| (t.facility_id.as_str(), rank(&t.substance)));
    for t in facility {
        out!(
            "{}",
            line(width, cells(&t.facility_id, &t.substance, &t.amounts))
        );
    }
    let mut totals: Vec<&SubstanceTotal> = cmp
        .totals
        .iter()
        .filter(|t| rank(&t.substance).is_some())
        .collect();
    totals.sort_by_key(|t| rank(&t.substance));
    if !totals.is_empty() {
        out!();
    }
    for t in totals {
        out!("{}", line(width, cells(&all, &t.substance, &t.amounts)));
    }
    let others: Vec<&str> = cmp
        .totals
        .iter()
        .map(|t| t.substance.as_str())
        .filter(|s| rank(s).is_none())
        .collect();
    if !others.is_empty() {
        let others = others.join(", ");
        out!(
            "{}",
            say(tr!(
                "also compared: {others}; every source and substance with --out compare.csv or compare.json",
                "另有：{others}；全部排放源和物质见 --out compare.csv 或 compare.json"
            ))
        );
    }
}
