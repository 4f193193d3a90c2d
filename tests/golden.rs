//! Every amount in every output stays what it was before the engine's redesign.
//!
//! `tests/golden/` holds outputs recorded with the release binary of commit
//! 91eca88 (before the fast path and the house moved the row type and the
//! factor lookup): the tidy inventory CSV of the sample and fixture workbooks
//! and of a 400 facility-year synthetic province, their JSON totals, the
//! measures CSV of the sample and the built-in study's IAMC table. The test
//! runs today's binary on the same inputs and compares every amount as an
//! exact decimal, keyed by what it describes (the layout of the files may
//! change; the amounts may not).

use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn run(args: &[&str]) {
    let out = Command::new(env!("CARGO_BIN_EXE_coreduce"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "coreduce {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn dec(s: &str) -> Decimal {
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .unwrap_or_else(|_| panic!("not a decimal: {s}"))
}

/// Reads a CSV into key → amount, summing rows with the same key (a source
/// may appear once per fuel).
fn keyed(path: &Path, key_cols: &[&str], value_cols: &[&str]) -> BTreeMap<String, Decimal> {
    let mut r = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let headers = r.headers().unwrap().clone();
    let idx = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("{path:?} has no column {name}"))
    };
    let keys: Vec<usize> = key_cols.iter().map(|c| idx(c)).collect();
    let values: Vec<(String, usize)> = value_cols.iter().map(|c| (c.to_string(), idx(c))).collect();
    let mut out = BTreeMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        let key: Vec<&str> = keys.iter().map(|&i| &rec[i]).collect();
        for (name, i) in &values {
            let v = &rec[*i];
            if v.is_empty() || v == "undefined" {
                continue;
            }
            let Ok(d) = Decimal::from_str(v).or_else(|_| Decimal::from_scientific(v)) else {
                continue; // a text column such as a quadrant
            };
            *out.entry(format!("{}|{name}", key.join("|")))
                .or_insert(Decimal::ZERO) += d;
        }
    }
    out
}

fn assert_same(what: &str, golden: &BTreeMap<String, Decimal>, now: &BTreeMap<String, Decimal>) {
    let mut diffs = Vec::new();
    for (k, g) in golden {
        match now.get(k) {
            Some(n) if n.normalize() == g.normalize() => {}
            Some(n) => diffs.push(format!("{k}: was {g}, now {n}")),
            None => diffs.push(format!("{k}: was {g}, now missing")),
        }
    }
    for k in now.keys() {
        if !golden.contains_key(k) && !now[k].is_zero() {
            diffs.push(format!("{k}: new, {}", now[k]));
        }
    }
    assert!(
        diffs.is_empty(),
        "{what}: {} amount(s) changed:\n{}",
        diffs.len(),
        diffs[..diffs.len().min(20)].join("\n")
    );
}

const INVENTORY_KEY: [&str; 5] = ["facility_id", "year", "process", "source", "substance"];

fn inventory_matches(input: &str, golden: &str) {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("results.csv");
    run(&["inventory", input, "--out", csv.to_str().unwrap()]);
    let golden_rows = keyed(
        &root().join("tests/golden").join(golden),
        &INVENTORY_KEY,
        &["amount"],
    );
    assert!(!golden_rows.is_empty());
    assert_same(
        input,
        &golden_rows,
        &keyed(&csv, &INVENTORY_KEY, &["amount"]),
    );
}

#[test]
fn sample_inventory_amounts_are_unchanged() {
    inventory_matches(
        "examples/sichuan-sample.xlsx",
        "sichuan-sample.inventory.csv",
    );
}

#[test]
fn fixture_inventories_are_unchanged() {
    inventory_matches(
        "tests/fixtures/openpyxl_study.xlsx",
        "openpyxl_study.inventory.csv",
    );
    inventory_matches(
        "tests/fixtures/libreoffice_study.ods",
        "libreoffice_study.inventory.csv",
    );
    inventory_matches(
        "tests/fixtures/libreoffice_formula.xlsx",
        "libreoffice_formula.inventory.csv",
    );
}

#[test]
fn synthetic_province_inventory_is_unchanged() {
    inventory_matches(
        "tests/golden/province-400-codes.xlsx",
        "province-400-codes.inventory.csv",
    );
}

/// The JSON output's totals (view total, scopes, energy, pollution equivalents,
/// per substance) for every facility-year.
fn json_totals_match(input: &str, golden: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("results.json");
    run(&["inventory", input, "--out", path.to_str().unwrap()]);
    let now: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let golden: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/golden").join(golden)).unwrap(),
    )
    .unwrap();
    let flatten = |items: Vec<(String, &serde_json::Value)>| {
        let mut m = BTreeMap::new();
        for (key, t) in items {
            for field in [
                "co2e",
                "co2e_scope1",
                "co2e_scope2",
                "energy_tce",
                "apeq",
                "wpeq",
            ] {
                m.insert(format!("{key}|{field}"), dec(t[field].as_str().unwrap()));
            }
            for (s, v) in t["by_substance"].as_object().unwrap() {
                m.insert(format!("{key}|{s}"), dec(v.as_str().unwrap()));
            }
        }
        m
    };
    let golden_items = golden
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (format!("{}|{}", t["facility_id"], t["year"]), t))
        .collect();
    let now_items = now["inventories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (format!("{}|{}", i["facility_id"], i["year"]), &i["totals"]))
        .collect();
    assert_same(input, &flatten(golden_items), &flatten(now_items));
}

#[test]
fn json_totals_are_unchanged() {
    json_totals_match("examples/sichuan-sample.xlsx", "sichuan-sample.totals.json");
    json_totals_match(
        "tests/golden/province-400-codes.xlsx",
        "province-400-codes.totals.json",
    );
}

#[test]
fn measure_metrics_are_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.csv");
    run(&[
        "measures",
        "examples/sichuan-sample.xlsx",
        "--out",
        path.to_str().unwrap(),
    ]);
    let key = ["measure", "level", "key", "pollutant"];
    let values = [
        "delta_co2e_t",
        "r_co2e",
        "delta_pollutant",
        "delta_apeq",
        "delta_wpeq",
        "elasticity",
        "annual_cost_cny",
        "cny_per_t_co2e",
        "cny_per_apeq",
        "co_benefit_value_cny",
        "mac_adjusted_cny_per_t",
        "degree_index",
    ];
    assert_same(
        "measures",
        &keyed(
            &root().join("tests/golden/sichuan-sample.measures.csv"),
            &key,
            &values,
        ),
        &keyed(&path, &key, &values),
    );
}

#[test]
fn builtin_roadmap_is_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    run(&["roadmap", "--out", dir.path().to_str().unwrap()]);
    let key = ["Scenario", "Region", "Variable", "Unit"];
    let years: Vec<String> = (2023..=2060).map(|y| y.to_string()).collect();
    let years: Vec<&str> = years.iter().map(String::as_str).collect();
    assert_same(
        "roadmap IAMC",
        &keyed(&root().join("tests/golden/builtin.iamc.csv"), &key, &years),
        &keyed(&dir.path().join("iamc.csv"), &key, &years),
    );
}
