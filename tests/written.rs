//! Numbers as people read them: the arithmetic is exact, and every output
//! writes an amount exactly where it terminates within 15 significant digits,
//! otherwise rounded to 15 (half away from zero).

use coreduce::units::written;
use rust_decimal::Decimal;
use std::str::FromStr;

fn w(s: &str) -> String {
    written(Decimal::from_str(s).unwrap()).to_string()
}

#[test]
fn residues_of_exact_division_read_as_people_expect() {
    // the two amounts the CSV held before (NH3-N and TP of the sample)
    assert_eq!(w("2.0000000000000000000000000009"), "2");
    assert_eq!(w("0.1999999999999999999999999873"), "0.2");
    // 1/3: fifteen threes
    assert_eq!(
        written(Decimal::ONE / Decimal::from(3)).to_string(),
        "0.333333333333333"
    );
    // 16 significant digits round to 15, half away from zero
    assert_eq!(w("123456.7890123455"), "123456.789012346");
    assert_eq!(w("-123456.7890123455"), "-123456.789012346");
    // terminating values stay exact, without trailing zeros
    assert_eq!(w("12.500"), "12.5");
    assert_eq!(w("374868.0000"), "374868");
    assert_eq!(w("0"), "0");
}

#[test]
fn no_amount_in_the_csv_has_more_than_15_significant_digits() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("r.csv");
    let out = crate::common::coreduce_command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["inventory", "examples/sichuan-sample.xlsx", "--out"])
        .arg(&csv)
        .output()
        .unwrap();
    assert!(out.status.success());
    let mut r = csv::Reader::from_path(&csv).unwrap();
    let col = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "amount")
        .unwrap();
    let mut n = 0;
    for rec in r.records() {
        let a = rec.unwrap()[col].to_string();
        let digits = a
            .trim_start_matches('-')
            .replace('.', "")
            .trim_start_matches('0')
            .len();
        assert!(digits <= 15, "{a}");
        n += 1;
    }
    assert!(n > 40);
}

#[test]
fn spreads_and_rates_are_read_as_people_write_them() {
    use coreduce::factors::Uncertainty;
    let ten = Decimal::from(10);
    let ipcc = Uncertainty::parse("pct95:5", ten).unwrap();
    for text in ["5%", "±5%", "± 5 %", "+/-5%", "５％"] {
        assert_eq!(
            format!("{:?}", Uncertainty::parse(text, ten).unwrap()),
            format!("{ipcc:?}"),
            "{text}"
        );
    }
    assert!(Uncertainty::parse("±-5%", ten).is_err());
    // --discount-rate 8% is the 0.08 of the workbook's settings.
    let run = |rate: &str| {
        let out = crate::common::coreduce_command()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args([
                "measures",
                "examples/sichuan-sample.xlsx",
                "--discount-rate",
                rate,
            ])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    assert_eq!(run("8%"), run("0.08"));
    assert_ne!(run("8%"), run("0.05"));
}

#[test]
fn the_macc_sheet_holds_costs_as_numbers() {
    use calamine::{open_workbook_auto, Data, Reader};
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.xlsx");
    let status = crate::common::coreduce_command()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["measures", "examples/sichuan-sample.xlsx", "--out"])
        .arg(&out)
        .output()
        .unwrap()
        .status;
    assert!(status.success());
    let mut wb = open_workbook_auto(&out).unwrap();
    let macc = wb.worksheet_range("macc").unwrap();
    let mut numbers = 0;
    for row in macc.rows().skip(1) {
        for c in [6, 7] {
            match &row[c] {
                Data::Float(_) => numbers += 1,
                Data::String(s) => assert_eq!(s, "undefined"),
                other => panic!("unexpected cell {other:?}"),
            }
        }
    }
    assert!(numbers > 10, "{numbers}");
}
