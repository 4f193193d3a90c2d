//! `validate FILE --json`: one JSON object on one line of stdout, with the
//! same checks and exit codes as the text (0 clean, 1 findings, 2
//! unreadable), every text in English and Chinese, for a program that runs
//! coreduce as a child process.

use crate::common::{coreduce_command, Book};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn validate_json(file: &Path, dir: &Path) -> (Output, Value) {
    let o = coreduce_command()
        .args(["validate", file.to_str().unwrap(), "--json"])
        .current_dir(dir)
        .output()
        .unwrap();
    let out = String::from_utf8(o.stdout.clone()).unwrap();
    // one object on one line, nothing else on stdout
    assert_eq!(out.lines().count(), 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["format"], "coreduce-validate-v1", "{v}");
    (o, v)
}

fn sample() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/sichuan-sample.xlsx")
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

#[test]
fn a_clean_workbook_says_clean_with_its_counts_and_warning_groups() {
    let dir = tempfile::tempdir().unwrap();
    let (o, v) = validate_json(&sample(), dir.path());
    assert_eq!(o.status.code(), Some(0), "{v}");
    assert_eq!(v["status"], "clean");
    assert_eq!(v["file"], sample().display().to_string());
    assert_eq!(v["language"], "en");
    assert_eq!(v["facility_years"], 4);
    assert_eq!(v["findings"], serde_json::json!([]));
    let groups = v["warning_groups"].as_array().unwrap();
    let counted: u64 = groups.iter().map(|g| g["count"].as_u64().unwrap()).sum();
    assert_eq!(v["warnings"].as_u64(), Some(counted), "{v}");
    let raw_coal = groups
        .iter()
        .find(|g| {
            g["message"]["en"]
                .as_str()
                .unwrap()
                .starts_with("default NCV used for solid fuel 'raw_coal'")
        })
        .unwrap_or_else(|| panic!("{v}"));
    assert!(
        raw_coal["message"]["zh"]
            .as_str()
            .unwrap()
            .starts_with("固体燃料“raw_coal”采用缺省低位发热量"),
        "{raw_coal}"
    );
    assert_eq!(raw_coal["first"], serde_json::json!(["TB-LS-01 2022"]));
    assert!(v["notes"].is_array());
}

#[test]
fn a_bad_cell_is_a_finding_at_that_cell_in_both_languages() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    // ceramics output is an area, not a mass: a finding at activity!D2
    crate::common::ceramics_output_in_tonnes(&path);
    let (o, v) = validate_json(Path::new("bad.xlsx"), dir.path());
    assert_eq!(o.status.code(), Some(1), "{v}");
    assert_eq!(v["status"], "findings");
    assert_eq!(v["file"], "bad.xlsx");
    assert_eq!(v["language"], "en");
    assert_eq!(v["facility_years"], Value::Null);
    assert_eq!(v["warnings"], Value::Null);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v}");
    let f = &findings[0];
    assert_eq!(f["where"]["en"], "activity!D2");
    assert_eq!(f["where"]["zh"], "activity!D2");
    assert_eq!(
        f["message"]["en"],
        "output is in 't' (mass), but ceramics output is measured in 'm2' (area)"
    );
    assert!(has_chinese(f["message"]["zh"].as_str().unwrap()), "{f}");
    assert!(f["hint"].is_null() || f["hint"]["en"].is_string(), "{f}");
    // The text says the same finding.
    let o = coreduce_command()
        .args(["validate", "bad.xlsx"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!(
            "activity!D2: {}",
            f["message"]["en"].as_str().unwrap()
        )),
        "{text}"
    );
}

#[test]
fn a_bad_measures_sheet_is_a_finding_as_in_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.xlsx");
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector", "technology"],
            &[row!["TB-01", "tobacco", "coal_bulk_barn"]],
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &[row!["TB-01", 2022, "output", 100, "t"]],
        )
        .sheet(
            "measures",
            &[
                "measure_id",
                "sector",
                "name",
                "field",
                "node",
                "target",
                "value",
                "unit",
            ],
            &[row!["M1", "tobacco", "", "green_power", "", "", 5, ""]],
        )
        .save(&path);
    let (o, v) = validate_json(Path::new("m.xlsx"), dir.path());
    assert_eq!(o.status.code(), Some(1), "{v}");
    assert_eq!(v["status"], "findings");
    let f = &v["findings"][0];
    assert_eq!(f["where"]["en"], "measures!G2", "{v}");
    assert!(
        f["message"]["en"]
            .as_str()
            .unwrap()
            .starts_with("a green power share must lie between 0 and 1"),
        "{f}"
    );
    assert!(has_chinese(f["message"]["zh"].as_str().unwrap()), "{f}");
    // the inventory ran, so its counts are known
    assert_eq!(v["facility_years"], 1, "{v}");
}

#[test]
fn a_file_that_is_not_a_workbook_is_unreadable_with_exit_2_and_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.xlsx"), "hello").unwrap();
    let (o, v) = validate_json(Path::new("notes.xlsx"), dir.path());
    assert_eq!(o.status.code(), Some(2), "{v}");
    assert_eq!(v["status"], "unreadable");
    assert_eq!(v["language"], Value::Null);
    assert_eq!(v["facility_years"], Value::Null);
    assert_eq!(v["warnings"], Value::Null);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{v}");
    assert_eq!(findings[0]["where"]["en"], "notes.xlsx");
    assert!(!findings[0]["message"]["en"].as_str().unwrap().is_empty());
    assert!(
        has_chinese(findings[0]["message"]["zh"].as_str().unwrap()),
        "{v}"
    );
    // a file that is not there is unreadable too
    let (o, v) = validate_json(Path::new("missing.xlsx"), dir.path());
    assert_eq!(o.status.code(), Some(2), "{v}");
    assert_eq!(v["status"], "unreadable");
    assert_eq!(v["findings"][0]["where"]["en"], "missing.xlsx");
}
