//! One view in every output: summing the rows of the CSV, of the xlsx's
//! by-process sheet, or of the JSON by facility-year and substance gives the
//! totals the same file shows (summary, by-facility sheet, JSON totals), under
//! both views. Rows outside the view (memo items; purchased power under the
//! compliance view) stay visible in a column of their own.

use calamine::{open_workbook_auto, Data, Reader};
use coreduce::accounting::{compute, View};
use coreduce::graph::SectorLibrary;
use coreduce::FactorLibrary;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

type Key = (String, i32, String);

fn sample_in(view: View) -> coreduce::accounting::ComputedStudy {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sichuan-sample.xlsx");
    let mut study = coreduce::workbook::read(&path, &f, &s).unwrap();
    study.settings.view = view;
    compute(study, &f, &s).unwrap()
}

/// The view's totals as the engine holds them: (facility, year, substance) → t.
fn engine_totals(run: &coreduce::accounting::ComputedStudy) -> BTreeMap<Key, Decimal> {
    let mut m = BTreeMap::new();
    for inv in &run.inventories {
        for (s, v) in &inv.totals.by_substance {
            m.insert((inv.facility_id.clone(), inv.year, s.to_string()), *v);
        }
        // the view's CO2e is the substance CO2e of the view's rows
        assert_eq!(inv.totals.by_substance.get("CO2e"), Some(&inv.totals.co2e));
    }
    m
}

fn csv_sums(path: &Path) -> BTreeMap<Key, Decimal> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |n: &str| h.iter().position(|x| x == n).unwrap();
    let (f, y, s, a) = (
        col("facility_id"),
        col("year"),
        col("substance"),
        col("amount"),
    );
    let mut m: BTreeMap<Key, Decimal> = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        if rec[a].is_empty() {
            continue; // outside the view: its amount is in amount_outside_view
        }
        *m.entry((
            rec[f].to_string(),
            rec[y].parse().unwrap(),
            rec[s].to_string(),
        ))
        .or_default() += Decimal::from_str(&rec[a]).unwrap();
    }
    m
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-6 * a.abs().max(b.abs()).max(1.0)
}

fn check_view(view: View) {
    let run = sample_in(view);
    let engine = engine_totals(&run);
    let dir = tempfile::tempdir().unwrap();

    // CSV: the rows' `amount` sums to the view's totals, to the written digit.
    let csv = dir.path().join("r.csv");
    coreduce::export::write_results(&csv, &run.inventories, &run.factors, &[]).unwrap();
    let sums = csv_sums(&csv);
    assert_eq!(
        sums.keys().collect::<Vec<_>>(),
        engine.keys().collect::<Vec<_>>()
    );
    for (k, v) in &engine {
        let diff = (sums[k] - *v).abs();
        // each row is written to 15 significant digits
        assert!(
            diff <= v.abs() * Decimal::new(1, 13),
            "{k:?}: {} vs {v}",
            sums[k]
        );
    }

    // JSON: rows counted in the view sum to the JSON's own totals.
    let json = dir.path().join("r.json");
    coreduce::export::write_results(&json, &run.inventories, &run.factors, &[]).unwrap();
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    for inv in doc["inventories"].as_array().unwrap() {
        let mut by: BTreeMap<String, Decimal> = BTreeMap::new();
        for r in inv["rows"].as_array().unwrap() {
            if r["in_view"].as_bool().unwrap() {
                *by.entry(r["substance"].as_str().unwrap().to_string())
                    .or_default() += Decimal::from_str(r["amount"].as_str().unwrap()).unwrap();
            }
        }
        for (s, v) in inv["totals"]["by_substance"].as_object().unwrap() {
            let total = Decimal::from_str(v.as_str().unwrap()).unwrap();
            assert!(
                (by[s] - total).abs() <= total.abs() * Decimal::new(1, 13),
                "{s}: {} vs {total}",
                by[s]
            );
        }
    }

    // xlsx: the by-process sheet's amount column, summed, gives the
    // by-facility sheet and the summary's CO2e.
    let xlsx = dir.path().join("r.xlsx");
    coreduce::export::write_results(&xlsx, &run.inventories, &run.factors, &[]).unwrap();
    let mut wb = open_workbook_auto(&xlsx).unwrap();
    let rows = wb.worksheet_range("by-process").unwrap();
    let head: Vec<String> = rows
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |n: &str| head.iter().position(|x| x == n).unwrap();
    let (f, y, s, a) = (
        col("facility_id"),
        col("year"),
        col("substance"),
        col("amount"),
    );
    let mut pivot: BTreeMap<Key, f64> = BTreeMap::new();
    for r in rows.rows().skip(1) {
        if let Data::Float(v) = r[a] {
            let year = match r[y] {
                Data::Float(x) => x as i32,
                Data::Int(x) => x as i32,
                _ => panic!("year"),
            };
            *pivot
                .entry((r[f].to_string(), year, r[s].to_string()))
                .or_default() += v;
        }
    }
    let by_fac = wb.worksheet_range("by-facility").unwrap();
    let fhead: Vec<String> = by_fac
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let mut checked = 0;
    for r in by_fac.rows().skip(1) {
        let fid = r[0].to_string();
        let year = match r[1] {
            Data::Float(x) => x as i32,
            Data::Int(x) => x as i32,
            _ => panic!("year"),
        };
        for (c, h) in fhead.iter().enumerate().skip(2) {
            if h.contains("outside view") {
                continue;
            }
            let sub = h.trim_end_matches(" (t)").to_string();
            if let Data::Float(v) = r[c] {
                let p = pivot
                    .get(&(fid.clone(), year, sub.clone()))
                    .copied()
                    .unwrap_or(0.0);
                assert!(close(p, v), "{fid} {year} {sub}: pivot {p} vs sheet {v}");
                checked += 1;
            }
        }
    }
    assert!(checked > 20, "{checked}");
    let summary = wb.worksheet_range("summary").unwrap();
    let shead: Vec<String> = summary
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let co2e = shead
        .iter()
        .position(|h| h.starts_with("CO2e (t, view)"))
        .unwrap();
    for r in summary.rows().skip(1) {
        let fid = r[0].to_string();
        let year = match r[6] {
            Data::Float(x) => x as i32,
            Data::Int(x) => x as i32,
            _ => panic!("year"),
        };
        let Data::Float(v) = r[co2e] else {
            panic!("CO2e")
        };
        let p = pivot[&(fid, year, "CO2e".to_string())];
        assert!(close(p, v), "summary CO2e {v} vs pivot {p}");
    }
}

#[test]
fn footprint_view_agrees_in_every_output() {
    check_view(View::Footprint);
}

#[test]
fn compliance_view_agrees_in_every_output() {
    check_view(View::Compliance);
}

#[test]
fn compliance_leaves_aluminium_power_outside_but_visible() {
    let foot = sample_in(View::Footprint);
    let comp = sample_in(View::Compliance);
    let al = |run: &coreduce::accounting::ComputedStudy| {
        run.inventories
            .iter()
            .find(|i| i.sector == "aluminium")
            .unwrap()
            .totals
            .clone()
    };
    let (f, c) = (al(&foot), al(&comp));
    // MEE 2024 aluminium: the official total leaves purchased power out, so the
    // view's CO2e is the footprint less scope 2, and the scope-2 CO2 is kept
    // outside the view.
    assert_eq!(c.co2e, f.co2e - f.co2e_scope2);
    assert!(c
        .outside_view
        .get("CO2")
        .is_some_and(|v| *v > Decimal::ZERO));
    assert_eq!(
        c.by_substance["CO2"] + c.outside_view["CO2"],
        f.by_substance["CO2"]
    );
}

#[test]
fn a_format_added_in_the_adapters_alone_holds_the_same_rows() {
    // TSV was added as an example of a new output format: a variant of
    // export::Format and its extension, nothing in the engine or the binary.
    let run = sample_in(View::Footprint);
    let dir = tempfile::tempdir().unwrap();
    let (csv, tsv) = (dir.path().join("r.csv"), dir.path().join("r.tsv"));
    for p in [&csv, &tsv] {
        coreduce::export::write_results(p, &run.inventories, &run.factors, &[]).unwrap();
    }
    let csv = std::fs::read_to_string(csv).unwrap();
    let tsv = std::fs::read_to_string(tsv).unwrap();
    assert_eq!(csv.lines().count(), tsv.lines().count());
    let first_csv: Vec<&str> = csv.lines().nth(1).unwrap().split(',').collect();
    let first_tsv: Vec<&str> = tsv.lines().nth(1).unwrap().split('\t').collect();
    assert_eq!(first_csv, first_tsv);
}
