//! Two studies side by side (`accounting::compare`, `coreduce compare`):
//! a hand-worked change of one activity value, a facility in one study only,
//! the CSV and JSON written by the command.

use crate::common::{coreduce_command, libs, Book, Cell};
use coreduce::accounting::{compare, Comparison, Inventory};
use coreduce::units::Unit;
use coreduce::workbook::run_workbook;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::path::Path;

/// A study of tobacco barns: (facility id, year, t of raw coal burnt), each
/// curing 10 t of leaf in a coal-fired bulk barn.
fn barns(path: &Path, barns: &[(&str, i32, f64)]) {
    let facilities: Vec<Vec<Cell<'_>>> = barns
        .iter()
        .map(|(id, _, _)| row![*id, "tobacco", "coal_bulk_barn"])
        .collect();
    let activity: Vec<Vec<Cell<'_>>> = barns
        .iter()
        .flat_map(|(id, year, coal)| {
            [
                row![*id, *year, "output", 10, "t"],
                row![*id, *year, "fuel.raw_coal", *coal, "t"],
            ]
        })
        .collect();
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector", "technology"],
            &facilities,
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &activity,
        )
        .save(path);
}

/// A workbook's base-year inventories, as `compare` reads them.
fn base_year(path: &Path) -> Vec<Inventory> {
    let (f, s) = libs();
    run_workbook(path, &f, &s)
        .unwrap_or_else(|e| panic!("{e}"))
        .base_year_only()
        .inventories
}

fn row<'a>(
    c: &'a Comparison,
    facility: &str,
    source: &str,
    substance: &str,
) -> &'a coreduce::accounting::CompareRow {
    c.rows
        .iter()
        .find(|r| r.facility_id == facility && r.source == source && r.substance == substance)
        .unwrap_or_else(|| panic!("no {facility} {source} {substance} in {:?}", c.rows))
}

/// A factor of the embedded library in `unit`.
fn factor(id: &str, unit: &str) -> Decimal {
    let (f, _) = libs();
    f.get(id)
        .unwrap_or_else(|e| panic!("{e}"))
        .value_in(&Unit::parse(unit).unwrap())
        .unwrap()
}

#[test]
fn twenty_more_tonnes_of_coal_add_twenty_tonnes_times_the_factor_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    barns(&pa, &[("TB-01", 2022, 100.0)]);
    barns(&pb, &[("TB-01", 2022, 120.0)]);
    let (a, b) = (base_year(&pa), base_year(&pb));
    let c = compare(&a, &b).unwrap();

    // Raw coal in a tobacco barn (ndrc2015 has no raw coal; the defaults
    // come from the GB/T 2589 table, as the run's warning says):
    // CO2 per t = NCV × CC × OF × 44/12.
    let ids = [
        "fuel.gbt2589.raw_coal.ncv",
        "fuel.gbt2589.raw_coal.cc",
        "fuel.gbt2589.raw_coal.of",
    ];
    let co2_row = a[0]
        .rows
        .iter()
        .find(|r| r.source == "curing_combustion" && r.substance == "CO2")
        .unwrap();
    for id in ids {
        assert!(co2_row.factor_ids.contains(&id.to_string()), "{co2_row:?}");
    }
    let ncv = factor(ids[0], "GJ/t"); // 20.908 GJ/t
    let cc = factor(ids[1], "tC/GJ"); // 26.37 tC/TJ = 0.02637 tC/GJ
    let of = factor(ids[2], "fraction"); // 0.94
    let co2_per_t = ncv * cc * of * dec!(44) / dec!(12);
    let expected = dec!(20) * co2_per_t; // 38.005976976 t CO2, exact
    let co2 = row(&c, "TB-01", "curing_combustion", "CO2");
    assert_eq!(co2.amounts.change, expected, "{co2:?}");
    assert_eq!(
        co2.amounts.b.unwrap() - co2.amounts.a.unwrap(),
        co2.amounts.change
    );
    assert_eq!(
        co2.amounts.change_pct,
        Some(dec!(20.00)),
        "20 t more than 100 t is 20 %"
    );
    assert_eq!((co2.a_year, co2.b_year), (Some(2022), Some(2022)));
    assert_eq!(co2.sector, "tobacco");
    assert_eq!(co2.unit, "t");

    // The sources coal does not feed change by exactly 0.
    let others: Vec<_> = c
        .rows
        .iter()
        .filter(|r| r.source != "curing_combustion")
        .collect();
    assert!(others.iter().any(|r| r.source == "field_n2o"), "{others:?}");
    for r in &others {
        assert_eq!(r.amounts.change, Decimal::ZERO, "{r:?}");
        assert_eq!(r.amounts.a, r.amounts.b, "{r:?}");
    }
    // The facility's totals are the view's totals of each study.
    for t in c
        .facility_totals
        .iter()
        .filter(|t| t.facility_id == "TB-01")
    {
        assert_eq!(
            t.amounts.a,
            a[0].totals.by_substance.get(t.substance.as_str()).copied()
        );
        assert_eq!(
            t.amounts.b,
            b[0].totals.by_substance.get(t.substance.as_str()).copied()
        );
    }
    let co2e = c
        .facility_totals
        .iter()
        .find(|t| t.substance == "CO2e")
        .unwrap();
    assert_eq!(co2e.amounts.a, Some(a[0].totals.co2e));
    assert_eq!(co2e.amounts.b, Some(b[0].totals.co2e));
    // One facility: the totals over all facilities are its totals.
    assert_eq!(c.totals.len(), c.facility_totals.len());
    assert!(c.notes.is_empty(), "{:?}", c.notes);
}

#[test]
fn a_facility_in_one_study_only_has_none_on_the_other_side() {
    let dir = tempfile::tempdir().unwrap();
    let (pa, pb) = (dir.path().join("a.xlsx"), dir.path().join("b.xlsx"));
    // Different years: rows are matched by facility, node, source and
    // substance, not by year.
    barns(&pa, &[("TB-01", 2022, 100.0)]);
    barns(&pb, &[("TB-01", 2023, 100.0), ("TB-02", 2023, 50.0)]);
    let (a, b) = (base_year(&pa), base_year(&pb));
    let c = compare(&a, &b).unwrap();
    let shared = row(&c, "TB-01", "curing_combustion", "CO2");
    assert_eq!((shared.a_year, shared.b_year), (Some(2022), Some(2023)));
    assert_eq!(
        shared.amounts.change,
        Decimal::ZERO,
        "same coal, same factors"
    );
    let new = row(&c, "TB-02", "curing_combustion", "CO2");
    assert_eq!(new.amounts.a, None);
    assert_eq!(new.a_year, None);
    assert_eq!(new.b_year, Some(2023));
    assert_eq!(Some(new.amounts.change), new.amounts.b);
    assert_eq!(new.amounts.change_pct, None);
    assert!(c
        .rows
        .iter()
        .filter(|r| r.facility_id == "TB-02")
        .all(|r| r.amounts.a.is_none() && r.amounts.b.is_some()));
    let total = c
        .facility_totals
        .iter()
        .find(|t| t.facility_id == "TB-02" && t.substance == "CO2e")
        .unwrap();
    assert_eq!((total.amounts.a, total.a_year), (None, None));
    assert_eq!(total.amounts.b, Some(b[1].totals.co2e));
    // over all facilities: A has TB-01 only, B both
    let co2e = c.totals.iter().find(|t| t.substance == "CO2e").unwrap();
    assert_eq!(co2e.amounts.a, Some(a[0].totals.co2e));
    assert_eq!(co2e.amounts.b, Some(b[0].totals.co2e + b[1].totals.co2e));
    // the grid factor of the two years differs, and the comparison says so
    assert!(
        c.notes.iter().any(|n| n.en.contains("grid factors differ")),
        "{:?}",
        c.notes
    );
    // Sorted: by facility, node, source, substance.
    let keys: Vec<_> = c
        .rows
        .iter()
        .map(|r| (&r.facility_id, &r.node, &r.source, &r.substance))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}

#[test]
fn the_command_prints_the_totals_and_writes_csv_and_json() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    barns(&p.join("a.xlsx"), &[("TB-01", 2022, 100.0)]);
    barns(
        &p.join("b.xlsx"),
        &[("TB-01", 2022, 120.0), ("TB-02", 2022, 50.0)],
    );
    let run = |args: &[&str]| {
        let o = coreduce_command()
            .args(args)
            .current_dir(p)
            .output()
            .unwrap();
        let out = String::from_utf8_lossy(&o.stdout).to_string();
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        (o.status.code(), out, err)
    };
    let (code, out, err) = run(&["compare", "a.xlsx", "b.xlsx"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(
        out.starts_with("A: a.xlsx (2022)\nB: b.xlsx (2022)\n"),
        "{out}"
    );
    assert!(out.contains("change %"), "{out}");
    let tb01_co2 = out
        .lines()
        .find(|l| l.starts_with("TB-01 ") && l.split_whitespace().nth(1) == Some("CO2"))
        .unwrap_or_else(|| panic!("{out}"));
    // the facility's CO2 includes its purchased power's, which is unchanged:
    // up, by less than the barn's 20 %
    let pct: Decimal = tb01_co2.split_whitespace().nth(5).unwrap().parse().unwrap();
    assert!(pct > dec!(0) && pct < dec!(20), "{tb01_co2}");
    // TB-02 is new in B: no A, no percentage
    let tb02_co2 = out
        .lines()
        .find(|l| l.starts_with("TB-02 ") && l.split_whitespace().nth(1) == Some("CO2"))
        .unwrap_or_else(|| panic!("{out}"));
    assert_eq!(tb02_co2.split_whitespace().nth(2), Some("–"), "{tb02_co2}");
    assert!(out.contains("all facilities CO2e"), "{out}");

    let (code, out, err) = run(&["compare", "a.xlsx", "b.xlsx", "--out", "c.csv"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let csv = std::fs::read_to_string(p.join("c.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("facility_id,facility_name,sector,node,source,substance,unit,a,b,change,change_pct,a_year,b_year")
    );
    assert!(
        lines.clone().any(|l| l
            .starts_with("TB-01,TB-01,tobacco,curing_barn,curing_combustion,CO2,t,")
            && l.ends_with(",20,2022,2022")),
        "{csv}"
    );
    assert!(
        lines.any(
            |l| l.starts_with("TB-02,TB-02,tobacco,curing_barn,curing_combustion,CO2,t,,")
                && l.ends_with(",,2022")
        ),
        "{csv}"
    );

    let (code, out, err) = run(&["compare", "a.xlsx", "b.xlsx", "--out", "c.json"]);
    assert_eq!(code, Some(0), "{out}{err}");
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(p.join("c.json")).unwrap()).unwrap();
    assert_eq!(v["format"], "coreduce-compare-v1");
    assert_eq!(
        v["a"],
        serde_json::json!({"file": "a.xlsx", "study": null, "year": 2022})
    );
    assert_eq!(v["b"]["file"], "b.xlsx");
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), csv.lines().count() - 1);
    let tb02 = rows
        .iter()
        .find(|r| r["facility_id"] == "TB-02" && r["substance"] == "CO2")
        .unwrap();
    assert_eq!(tb02["a"], serde_json::Value::Null);
    assert_eq!(tb02["a_year"], serde_json::Value::Null);
    assert!(tb02["b"].is_string(), "amounts are written as text: {tb02}");
    assert!(v["facility_totals"].as_array().unwrap().len() > 1);
    assert!(v["totals"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["substance"] == "CO2e"));

    // An output that is not .csv or .json is refused; nothing is written.
    let (code, out, err) = run(&["compare", "a.xlsx", "b.xlsx", "--out", "c.txt"]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        out.is_empty(),
        "refused before the studies are computed: {out}"
    );
    assert!(err.contains("unknown output format '.txt'"), "{err}");
    assert!(!p.join("c.txt").exists());
}

#[test]
fn a_workbook_with_findings_is_refused_as_by_the_other_commands() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    barns(&p.join("a.xlsx"), &[("TB-01", 2022, 100.0)]);
    // ceramics output is an area: a finding at activity!D2
    crate::common::ceramics_output_in_tonnes(&p.join("bad.xlsx"));
    let said = |args: &[&str]| {
        let o = coreduce_command()
            .args(args)
            .current_dir(p)
            .output()
            .unwrap();
        (
            o.status.code(),
            String::from_utf8_lossy(&o.stderr).to_string(),
        )
    };
    let (code, compare_err) = said(&["compare", "a.xlsx", "bad.xlsx"]);
    assert_eq!(code, Some(2), "{compare_err}");
    let (_, inventory_err) = said(&["inventory", "bad.xlsx"]);
    // after the notes of a.xlsx, read first: the error as `inventory` says it
    let error = |err: &str| err[err.find("error: ").unwrap()..].to_string();
    assert_eq!(error(&compare_err), error(&inventory_err));
    assert!(
        error(&compare_err).starts_with("error: bad.xlsx: "),
        "{compare_err}"
    );
    assert!(compare_err.contains("activity!D2: "), "{compare_err}");
}
