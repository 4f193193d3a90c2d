//! Issue 18: no panic on any input, time bounded by input size, no silent
//! wrong number. Each test here failed before its fix.

use calamine::{Data, Reader};
use coreduce::graph::SectorLibrary;
use coreduce::workbook::run_workbook;
use coreduce::FactorLibrary;
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sample() -> PathBuf {
    root().join("examples/sichuan-sample.xlsx")
}

fn coreduce(args: &[&str], dir: &Path) -> Output {
    crate::common::coreduce_command()
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap()
}

fn text(o: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

/// A cell to add: (sheet, row, column, text or number).
enum Add<'a> {
    /// a row appended after the sheet's last row
    Row(&'a str, Vec<Cell<'a>>),
    /// one cell at (row, column), zero-based
    At(&'a str, u32, u16, Cell<'a>),
    /// replace the first cell whose text equals `from` in this sheet
    Replace(&'a str, &'a str, Cell<'a>),
}

#[derive(Clone)]
enum Cell<'a> {
    S(&'a str),
    N(f64),
}

fn put(ws: &mut rust_xlsxwriter::Worksheet, r: u32, c: u16, cell: &Cell<'_>) {
    match cell {
        Cell::S(s) => {
            ws.write_string(r, c, *s).unwrap();
        }
        Cell::N(n) => {
            ws.write_number(r, c, *n).unwrap();
        }
    }
}

/// The sample workbook copied cell by cell, with changes.
fn sample_with(dir: &Path, name: &str, adds: &[Add<'_>]) -> PathBuf {
    let mut src = calamine::open_workbook_auto(sample()).unwrap();
    let mut wb = Workbook::new();
    for sheet in src.sheet_names().to_vec() {
        let range = src.worksheet_range(&sheet).unwrap();
        let ws = wb.add_worksheet().set_name(&sheet).unwrap();
        let mut last = 0;
        let start = range.start().unwrap_or((0, 0));
        for (r, c, d) in range.used_cells() {
            let (r, c) = (start.0 + r as u32, (start.1 + c as u32) as u16);
            last = last.max(r);
            let replaced = adds.iter().find_map(|a| match a {
                Add::Replace(s, from, to) if *s == sheet && *d == **from => Some(to),
                _ => None,
            });
            if let Some(to) = replaced {
                put(ws, r, c, to);
                continue;
            }
            match d {
                Data::String(s) => {
                    ws.write_string(r, c, s).unwrap();
                }
                Data::Float(f) => {
                    ws.write_number(r, c, *f).unwrap();
                }
                Data::Int(i) => {
                    ws.write_number(r, c, *i as f64).unwrap();
                }
                Data::Bool(b) => {
                    ws.write_boolean(r, c, *b).unwrap();
                }
                Data::Empty => {}
                other => {
                    ws.write_string(r, c, other.to_string()).unwrap();
                }
            }
        }
        for a in adds {
            match a {
                Add::Row(s, cells) if *s == sheet => {
                    last += 1;
                    for (c, cell) in cells.iter().enumerate() {
                        put(ws, last, c as u16, cell);
                    }
                }
                Add::At(s, r, c, cell) if *s == sheet => put(ws, *r, *c, cell),
                _ => {}
            }
        }
    }
    let path = dir.join(name);
    wb.save(&path).unwrap();
    path
}

/// Replaces `from` by `to` in every XML part of a saved xlsx.
fn patch_xlsx(path: &Path, from: &str, to: &str) {
    use std::io::{Read, Write};
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut parts = Vec::new();
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if f.name().ends_with(".xml") {
            let text = String::from_utf8(bytes).unwrap().replace(from, to);
            bytes = text.into_bytes();
        }
        parts.push((f.name().to_string(), bytes));
    }
    drop(archive);
    let mut w = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    for (name, bytes) in parts {
        w.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(&bytes).unwrap();
    }
    w.finish().unwrap();
}

fn libs() -> (FactorLibrary, SectorLibrary) {
    let lib = FactorLibrary::embedded().unwrap();
    let sectors = SectorLibrary::embedded(&lib).unwrap();
    (lib, sectors)
}

/// (scope 2, CO2e) of AL-GY-01 2022.
fn aluminium_totals(path: &Path) -> (Decimal, Decimal) {
    let (lib, sectors) = libs();
    let run = run_workbook(path, &lib, &sectors).unwrap();
    let i = run
        .inventories
        .iter()
        .find(|i| i.facility_id == "AL-GY-01")
        .unwrap();
    (i.totals.co2e_scope2, i.totals.co2e)
}

// 3. Measured emissions (CEMS) replace direct emissions only.
#[test]
fn measured_co2_keeps_scope_2_electricity() {
    let dir = tempfile::tempdir().unwrap();
    let (s2_before, _) = aluminium_totals(&sample());
    assert_eq!(s2_before.round(), Decimal::from(374_868));
    let path = sample_with(
        dir.path(),
        "cems.xlsx",
        &[Add::Row(
            "activity",
            vec![
                Cell::S("AL-GY-01"),
                Cell::N(2022.0),
                Cell::S("emission.CO2"),
                Cell::N(30000.0),
                Cell::S("t"),
            ],
        )],
    );
    let (s2, co2e) = aluminium_totals(&path);
    assert_eq!(s2.round(), Decimal::from(374_868), "scope 2 must stay");
    // The direct CO2 is replaced by 30,000 t; scope 2 stays in the total
    // (738,692 t before; 63,205 t when the bug also removed scope 2).
    assert!(co2e > s2 + Decimal::from(30_000), "{co2e}");
}

/// A one-facility tobacco workbook with one user measure.
fn tobacco_with_measure(dir: &Path, id: &str, name: &str) -> PathBuf {
    let path = dir.join("m.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet().set_name("settings").unwrap();
    ws.write_string(0, 0, "key").unwrap();
    ws.write_string(0, 1, "value").unwrap();
    ws.write_string(1, 0, "gwp").unwrap();
    ws.write_string(1, 1, "AR5").unwrap();
    let ws = wb.add_worksheet().set_name("facilities").unwrap();
    for (c, h) in ["facility_id", "sector", "technology"].iter().enumerate() {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "TB-01").unwrap();
    ws.write_string(1, 1, "tobacco").unwrap();
    ws.write_string(1, 2, "coal_bulk_barn").unwrap();
    let ws = wb.add_worksheet().set_name("activity").unwrap();
    for (c, h) in ["facility_id", "year", "item", "value", "unit"]
        .iter()
        .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    ws.write_string(1, 0, "TB-01").unwrap();
    ws.write_number(1, 1, 2022).unwrap();
    ws.write_string(1, 2, "output").unwrap();
    ws.write_number(1, 3, 100).unwrap();
    ws.write_string(1, 4, "t").unwrap();
    let ws = wb.add_worksheet().set_name("measures").unwrap();
    for (c, h) in [
        "measure_id",
        "sector",
        "name",
        "field",
        "node",
        "target",
        "value",
        "unit",
    ]
    .iter()
    .enumerate()
    {
        ws.write_string(0, c as u16, *h).unwrap();
    }
    let rows: [(&str, &str, &str, f64, &str); 3] = [
        ("scale", "curing_barn", "fuel.*", 0.5, ""),
        ("capex", "", "", 1000.0, "CNY/t"),
        ("lifetime", "", "", 10.0, ""),
    ];
    for (r, (field, node, target, value, unit)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        ws.write_string(r, 0, id).unwrap();
        ws.write_string(r, 1, "tobacco").unwrap();
        ws.write_string(r, 2, name).unwrap();
        ws.write_string(r, 3, *field).unwrap();
        ws.write_string(r, 4, *node).unwrap();
        ws.write_string(r, 5, *target).unwrap();
        ws.write_number(r, 6, *value).unwrap();
        ws.write_string(r, 7, *unit).unwrap();
    }
    wb.save(&path).unwrap();
    path
}

// 8. CSV injection in `measures --out m.csv`.
#[test]
fn measures_csv_neutralises_ids_and_names_from_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    tobacco_with_measure(dir.path(), "@M1", "=cmd|'/c calc'!A1");
    let o = coreduce(&["measures", "m.xlsx", "--out", "m.csv"], dir.path());
    assert!(o.status.success(), "{}", text(&o).1);
    let csv = std::fs::read_to_string(dir.path().join("m.csv")).unwrap();
    let mut r = csv::Reader::from_reader(csv.as_bytes());
    let mut seen = 0;
    for rec in r.records() {
        let rec = rec.unwrap();
        for field in rec.iter() {
            assert!(
                !field.starts_with(['=', '@', '+']),
                "raw formula text in the CSV: {field}"
            );
        }
        if rec.get(0) == Some("'@M1") {
            seen += 1;
            assert_eq!(rec.get(1), Some("'=cmd|'/c calc'!A1"));
        }
    }
    assert!(seen > 0, "{csv}");
}

// 6. Number text: only unambiguous forms, the rest refused with the cell.
#[test]
fn ambiguous_number_text_is_refused_with_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let (lib, sectors) = libs();
    for (bad, ok_value) in [
        ("1,2", None),
        (",5", None),
        ("1.234,5", None),
        ("1,2,3", None),
    ]
    .into_iter()
    .chain([("2,232", Some(2232)), ("2 232", Some(2232))])
    {
        let path = sample_with(
            dir.path(),
            "n.xlsx",
            &[Add::Row("settings", vec![Cell::S("lambda"), Cell::S(bad)])],
        );
        let r = run_workbook(&path, &lib, &sectors);
        match ok_value {
            None => {
                let e = r
                    .err()
                    .unwrap_or_else(|| panic!("'{bad}' was accepted"))
                    .to_string();
                assert!(e.contains(&format!("'{bad}' is not a number")), "{e}");
                assert!(e.contains("settings!B"), "{e}");
                assert!(e.contains("e.g. 1234.5 or 1,234.5"), "{e}");
            }
            Some(v) => {
                let run = r.unwrap_or_else(|e| panic!("'{bad}': {e}"));
                assert_eq!(run.study.metric.lambda, Some(Decimal::from(v)));
            }
        }
    }
}

const FACTORS_HEADER: &str =
    "id,value,unit,substance,edition,geography,confidence,source,locator,alternative,note,uncertainty\n";

fn dataset(dir: &Path, id: &str, rows: &str) {
    let d = dir.join(id);
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(
        d.join("dataset.toml"),
        format!("id = \"{id}\"\ntitle = \"t\"\n[sources.s]\ntitle = \"x\"\n"),
    )
    .unwrap();
    std::fs::write(d.join("factors.csv"), format!("{FACTORS_HEADER}{rows}")).unwrap();
}

// 4. A zero pollution-equivalent value is an error where it enters, not a panic.
#[test]
fn zero_pollution_equivalent_in_the_factors_sheet_is_a_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_with(
        dir.path(),
        "pev0.xlsx",
        &[Add::Row(
            "factors",
            vec![Cell::S("pev.air.so2"), Cell::N(0.0), Cell::S("kg/eq")],
        )],
    );
    for cmd in ["validate", "inventory"] {
        let o = coreduce(&[cmd, path.to_str().unwrap()], dir.path());
        let (out, err) = text(&o);
        assert!(
            matches!(o.status.code(), Some(1) | Some(2)),
            "{cmd}: {out}{err}"
        );
        let all = format!("{out}{err}");
        assert!(all.contains("factors!"), "{all}");
        assert!(all.contains("greater than 0"), "{all}");
    }
}

#[test]
fn out_of_range_factors_in_a_factors_folder_are_findings() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra");
    dataset(
        &extra,
        "mine",
        "fuel.mine.of,1.5,fraction,,e,CN,unverified,s,,,,\n\
         grid.mine.avg,-0.5,tCO2/MWh,,e,CN,unverified,s,,,,\n\
         pev.air.so2,0,kg/eq,SO2,e,CN,unverified,s,,,,\n",
    );
    let o = coreduce(&["--factors", "extra", "factors", "check"], dir.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("factors.csv:2") && out.contains("between 0 and 1"),
        "{out}"
    );
    assert!(
        out.contains("factors.csv:3") && out.contains("cannot be negative"),
        "{out}"
    );
    assert!(
        out.contains("factors.csv:4") && out.contains("greater than 0"),
        "{out}"
    );
    // Every other command refuses the folder instead of panicking.
    let o = coreduce(
        &["--factors", "extra", "validate", sample().to_str().unwrap()],
        dir.path(),
    );
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    assert!(text(&o).1.contains("greater than 0"), "{:?}", text(&o));
}

#[test]
fn the_same_factor_in_two_datasets_of_a_folder_names_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("extra");
    dataset(
        &extra,
        "one",
        "grid.sc.avg.2022,0.2,tCO2/MWh,,e,CN,unverified,s,,,,\n",
    );
    dataset(
        &extra,
        "two",
        "grid.sc.avg.2022,0.3,tCO2/MWh,,e,CN,unverified,s,,,,\n",
    );
    let o = coreduce(&["--factors", "extra", "factors", "check"], dir.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("one/factors.csv:2") && out.contains("two/factors.csv:2"),
        "{out}"
    );
    assert!(out.contains("defined twice"), "{out}");
}

#[test]
fn negative_grid_factor_in_settings_names_the_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_with(
        dir.path(),
        "grid.xlsx",
        &[
            Add::Replace("settings", "grid.sc.avg", Cell::N(-0.5)),
            Add::At("settings", 4, 2, Cell::S("tCO2/MWh")),
        ],
    );
    let o = coreduce(&["validate", path.to_str().unwrap()], dir.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("settings!B5: grid_factor -0.5 cannot be negative"),
        "{out}"
    );
}

// 7. Command-line bounds.
#[test]
fn runs_have_a_ceiling_and_negative_rates_reach_the_validation() {
    let dir = tempfile::tempdir().unwrap();
    let s = sample();
    let s = s.to_str().unwrap();
    for runs in ["18446744073709551615", "1000001", "0", "-5"] {
        let o = coreduce(&["uncertainty", s, "--runs", runs], dir.path());
        let (_, err) = text(&o);
        assert_eq!(o.status.code(), Some(2), "{runs}: {err}");
        assert!(err.contains("1,000,000"), "{runs}: {err}");
    }
    let o = coreduce(&["measures", s, "--discount-rate", "-100"], dir.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("--discount-rate -100 cannot be negative"),
        "{err}"
    );
    let o = coreduce(&["measures", s, "--lambda", "-1"], dir.path());
    assert!(
        text(&o).1.contains("--lambda -1 cannot be negative"),
        "{:?}",
        text(&o)
    );
    let o = coreduce(&["measures", s, "--discount-rate", "8"], dir.path());
    assert!(text(&o).1.contains("0.08 for 8 %"), "{:?}", text(&o));
}

// 2. A failed write to standard output is a failed run.
#[test]
fn a_full_standard_output_exits_non_zero() {
    let Ok(full) = std::fs::OpenOptions::new().write(true).open("/dev/full") else {
        return; // not Linux
    };
    let o = crate::common::coreduce_command()
        .args(["factors", "list"])
        .stdout(full)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot write to standard output"));
}

// 1. A value in the last cell of a sheet: a located error, no abort.
#[test]
fn a_value_at_xfd1048576_is_a_located_error_not_an_abort() {
    let dir = tempfile::tempdir().unwrap();
    for sheet in ["activity", "settings", "factors"] {
        let path = sample_with(
            dir.path(),
            &format!("far-{sheet}.xlsx"),
            &[Add::At(sheet, 1_048_575, 16_383, Cell::N(1.0))],
        );
        let o = coreduce(&["validate", path.to_str().unwrap()], dir.path());
        let (out, err) = text(&o);
        assert_eq!(o.status.code(), Some(1), "{sheet}: {out}{err}");
        assert!(out.contains(&format!("{sheet}!XFD1048576")), "{out}");
        assert!(out.contains("stray cells"), "{out}");
    }
    // A stray cell at ZZ100000 (702 columns) is refused the same way.
    let path = sample_with(
        dir.path(),
        "zz.xlsx",
        &[Add::At("activity", 99_999, 701, Cell::S("x"))],
    );
    let o = coreduce(&["validate", path.to_str().unwrap()], dir.path());
    assert!(text(&o).0.contains("activity!ZZ100000"), "{:?}", text(&o));
}

#[test]
fn a_stray_value_far_down_a_table_column_is_located() {
    // 1,048,576 rows by 7 columns is within the bounds: the sheet is read,
    // and the stray row is a finding with its cell.
    let dir = tempfile::tempdir().unwrap();
    let path = sample_with(
        dir.path(),
        "tall.xlsx",
        &[Add::At("activity", 1_048_575, 5, Cell::S("a note"))],
    );
    let o = coreduce(&["validate", path.to_str().unwrap()], dir.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(out.contains("activity!A1048576"), "{out}");
}

// 5. A 1 MB cell: refused with its cell, quickly (the did-you-mean search
// over it took 26 s before).
#[test]
fn a_one_megabyte_item_cell_is_refused_with_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let path = sample_with(
        dir.path(),
        "big.xlsx",
        &[Add::Row(
            "activity",
            vec![
                Cell::S("TB-LS-01"),
                Cell::N(2022.0),
                Cell::S("PLACEHOLDER-ITEM"),
                Cell::N(1.0),
                Cell::S("t"),
            ],
        )],
    );
    // rust_xlsxwriter keeps to Excel's limit: write the 1 MB text into the
    // shared strings of the saved file.
    patch_xlsx(&path, "PLACEHOLDER-ITEM", &"q".repeat(1024 * 1024));
    let o = coreduce(&["validate", path.to_str().unwrap()], dir.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(out.contains("activity!C"), "{out}");
    assert!(out.contains("more than Excel's limit of 32,767"), "{out}");
    assert!(out.len() < 10_000, "the message repeats the text");
}

// 2. A run that writes several files lands all of them or none.
#[test]
fn inventory_and_its_report_land_together_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("report.html"), "<html>someone else's report</html>").unwrap();
    let s = sample();
    let o = coreduce(
        &["inventory", s.to_str().unwrap(), "--out", "results.csv"],
        p,
    );
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("was not written by coreduce"), "{err}");
    assert!(err.contains("nothing was written"), "{err}");
    assert!(
        err.contains("results.csv") && err.contains("report.html"),
        "{err}"
    );
    assert!(!p.join("results.csv").exists(), "results.csv landed alone");
    let names: Vec<String> = std::fs::read_dir(p)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        names,
        vec!["report.html".to_string()],
        "temporary files left"
    );
    // The roadmap: none of its five files.
    let o = coreduce(&["roadmap", "--out", "."], p);
    assert_eq!(o.status.code(), Some(2), "{:?}", text(&o));
    assert!(!p.join("iamc.csv").exists() && !p.join("roadmap.json").exists());
    assert_eq!(std::fs::read_dir(p).unwrap().count(), 1);
}

// 2. SIGTERM while the output is being written leaves no temporary file.
#[cfg(unix)]
#[test]
fn a_termination_signal_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let province = root().join("tests/golden/province-400-codes.xlsx");
    let mut child = crate::common::coreduce_command()
        .args(["inventory", province.to_str().unwrap(), "--out", "r.xlsx"])
        .current_dir(p)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let has_temp = || {
        std::fs::read_dir(p)
            .unwrap()
            .any(|e| e.unwrap().file_name().to_string_lossy().ends_with(".tmp"))
    };
    let started = std::time::Instant::now();
    let mut signalled = false;
    while child.try_wait().unwrap().is_none() && started.elapsed().as_secs() < 120 {
        if has_temp() {
            Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status()
                .unwrap();
            signalled = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let status = child.wait().unwrap();
    if signalled {
        // Interrupted: exit 130 and no output. Under load the run may finish
        // (its rename done) between the temporary file being seen and the
        // signal arriving: then it exits 0 with the whole output.
        match status.code() {
            Some(130) => assert!(!p.join("r.xlsx").exists()),
            Some(0) => assert!(p.join("r.xlsx").exists()),
            other => panic!("unexpected exit {other:?}"),
        }
    }
    assert!(!has_temp(), "a temporary file was left");
}

#[test]
fn factor_value_rules_by_kind() {
    use coreduce::factors::value_problem;
    use coreduce::units::Unit;
    let u = |s: &str| Unit::parse(s).unwrap();
    let d = |s: &str| s.parse::<Decimal>().unwrap();
    assert!(value_problem("pev.air.so2", d("0"), &u("kg/eq")).is_some());
    assert!(value_problem("pev.air.so2", d("0.95"), &u("kg/eq")).is_none());
    assert!(value_problem("fuel.x.of", d("98"), &u("%")).is_none());
    assert!(value_problem("fuel.x.of", d("120"), &u("%")).is_some());
    assert!(value_problem("fuel.x.of", d("-0.1"), &u("fraction")).is_some());
    assert!(value_problem("fuel.x.ncv", d("-1"), &u("GJ/t")).is_some());
    assert!(value_problem("fuel.x.cc", d("-1"), &u("tC/TJ")).is_some());
    // A user's grid factor under its own id is known by its unit.
    assert!(value_problem("mygrid.2022", d("-0.5"), &u("tCO2/MWh")).is_some());
    assert!(value_problem("mygrid.2022", d("0"), &u("tCO2/MWh")).is_none());
}

/// A one-facility tobacco study (100 t of leaf in 2022) with extra sheets of
/// text cells: (sheet, header, rows). Rows given for `settings`,
/// `facilities` or `activity` are added to the base sheet's rows.
/// A sheet of text cells: (name, header, rows).
type TextSheet<'a> = (&'a str, &'a [&'a str], &'a [&'a [&'a str]]);

fn tobacco_study(dir: &Path, name: &str, sheets: &[TextSheet<'_>]) -> PathBuf {
    let path = dir.join(name);
    let mut wb = Workbook::new();
    let base: [TextSheet<'_>; 3] = [
        ("settings", &["key", "value"], &[&["gwp", "AR5"]]),
        (
            "facilities",
            &[
                "facility_id",
                "sector",
                "technology",
                "capacity",
                "capacity_unit",
            ],
            &[&["TB-01", "tobacco", "coal_bulk_barn", "100", "t/a"]],
        ),
        (
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &[&["TB-01", "2022", "output", "100", "t"]],
        ),
    ];
    let extra = sheets
        .iter()
        .filter(|(n, _, _)| !base.iter().any(|(b, _, _)| b == n))
        .map(|(n, h, rows)| (*n, *h, rows.iter().collect::<Vec<_>>()));
    let all = base
        .iter()
        .map(|(n, h, rows)| {
            let added = sheets
                .iter()
                .filter(|(x, _, _)| x == n)
                .flat_map(|(_, _, r)| r.iter());
            (*n, *h, rows.iter().chain(added).collect::<Vec<_>>())
        })
        .chain(extra);
    for (sheet, header, rows) in all {
        let ws = wb.add_worksheet().set_name(sheet).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                if !v.is_empty() {
                    ws.write_string(r as u32 + 1, c as u16, *v).unwrap();
                }
            }
        }
    }
    wb.save(&path).unwrap();
    path
}

const MEASURE_HEADER: &[&str] = &[
    "measure_id",
    "sector",
    "name",
    "field",
    "node",
    "target",
    "value",
    "unit",
];

// 5 and 9. Values accepted without a check: `validate` now reads the measures
// sheet with the compiler `measures` and `roadmap` use, and every value is
// checked against its range (each of these passed as clean before).
#[test]
fn measure_values_out_of_range_are_findings_of_validate_with_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    let rows: &[&[&str]] = &[
        &[
            "M1",
            "tobacco",
            "",
            "scale",
            "curing_barn",
            "fuel.*",
            "-5",
            "",
        ],
        &["M2", "tobacco", "", "green_power", "", "", "5", ""],
        &[
            "M3",
            "tobacco",
            "",
            "switch",
            "",
            "fuel.raw_coal>fuel.raw_coal",
            "1",
            "GJ/GJ",
        ],
        &[
            "M4",
            "tobacco",
            "",
            "scale",
            "",
            "electricity.purchased",
            "0.9",
            "",
        ],
        &["M4", "tobacco", "", "lifetime", "", "", "900", ""],
        &[
            "M5",
            "tobacco",
            "",
            "set_factor",
            "",
            "tb.no_such_factor",
            "0.5",
            "",
        ],
        &[
            "M6",
            "tobacco",
            "",
            "scale",
            "",
            "electricity.purchased",
            "0.9",
            "",
        ],
        &["M6", "tobacco", "", "capex", "", "", "1e20", "CNY/t"],
        &["M7", "tobacco", "", "green_power", "", "", "-3", ""],
    ];
    let path = tobacco_study(dir.path(), "m.xlsx", &[("measures", MEASURE_HEADER, rows)]);
    let o = coreduce(&["validate", "m.xlsx"], dir.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    for expected in [
        "measures!G2: a scale multiplier cannot be negative (-5)",
        "measures!G3: a green power share must lie between 0 and 1 (0–100 %), not 5",
        "measures!G4: the switch turns 'fuel.raw_coal' into itself",
        "measures!G6: lifetime must be a whole number of years from 1 to 100, not 900",
        "measures!G9: capex 100000000000000000000 per unit of output is out of range",
        "measures!G10: a green power share must lie between 0 and 1 (0–100 %), not -3",
    ] {
        assert!(out.contains(expected), "missing «{expected}» in\n{out}");
    }
    // The unknown factor is found once the values are right.
    let rows: &[&[&str]] = &[&[
        "M5",
        "tobacco",
        "",
        "set_factor",
        "",
        "tb.no_such_factor",
        "0.5",
        "",
    ]];
    tobacco_study(dir.path(), "f.xlsx", &[("measures", MEASURE_HEADER, rows)]);
    let o = coreduce(&["validate", "f.xlsx"], dir.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("measures!D2: measure 'M5' edits factor 'tb.no_such_factor', which the factor library does not have"),
        "{out}"
    );
    // `measures` refuses the same workbook with the same words.
    let o = coreduce(&["measures", "f.xlsx"], dir.path());
    let (_, err) = text(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("edits factor 'tb.no_such_factor'"), "{err}");
    drop(path);
}

// 5. `validate` said clean for bad scenarios and targets sheets.
#[test]
fn validate_reads_the_scenarios_and_targets_sheets() {
    let dir = tempfile::tempdir().unwrap();
    tobacco_study(
        dir.path(),
        "s.xlsx",
        &[
            (
                "scenarios",
                &[
                    "scenario", "kind", "field", "scope", "target", "year", "value", "unit",
                ],
                &[&["policy", "policy", "horizon", "", "", "", "1900", ""]],
            ),
            (
                "targets",
                &["target_id", "year", "substance", "scope", "cap", "unit"],
                &[&["T1", "2030", "XYZ", "all", "100", "t"]],
            ),
        ],
    );
    let o = coreduce(&["validate", "s.xlsx"], dir.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("scenarios!G2: horizon 1900 must be a year after the base year 2022"),
        "{out}"
    );
    assert!(out.contains("targets!C2: unknown substance 'XYZ'"), "{out}");
}

// 9. Metric settings out of range: a discount rate of 500 %, a lambda that
// overflowed the metrics (1e15), both refused with their cells.
#[test]
fn metric_settings_out_of_range_name_their_cells() {
    let dir = tempfile::tempdir().unwrap();
    tobacco_study(
        dir.path(),
        "r.xlsx",
        &[(
            "settings",
            &["key", "value"],
            &[&["discount_rate", "5"], &["lambda", "1000000000000000"]],
        )],
    );
    let o = coreduce(&["validate", "r.xlsx"], dir.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("settings!B3: discount_rate 5 is out of range: give the rate as a fraction between 0 and 1"),
        "{out}"
    );
    assert!(
        out.contains("settings!B4: lambda 1000000000000000 is out of range: at most 1,000,000"),
        "{out}"
    );
    let sample = sample();
    let args = ["measures", sample.to_str().unwrap(), "--lambda", "2000000"];
    let o = coreduce(&args, dir.path());
    assert!(
        text(&o).1.contains("--lambda 2000000 is out of range"),
        "{:?}",
        text(&o)
    );
}

// 9. Negative capacity refused; output 0 accepted with a warning.
#[test]
fn negative_capacity_is_refused_and_zero_output_is_warned() {
    let dir = tempfile::tempdir().unwrap();
    let path = tobacco_study(
        dir.path(),
        "c.xlsx",
        &[(
            "facilities",
            &[
                "facility_id",
                "sector",
                "technology",
                "capacity",
                "capacity_unit",
            ],
            &[&["TB-02", "tobacco", "coal_bulk_barn", "-100", "t/a"]],
        )],
    );
    drop(path);
    let o = coreduce(&["validate", "c.xlsx"], dir.path());
    let (out, _) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(out.contains("capacity cannot be negative (-100)"), "{out}");

    let (f, s) = libs();
    let path = tobacco_study(
        dir.path(),
        "z.xlsx",
        &[
            (
                "facilities",
                &["facility_id", "sector", "technology"],
                &[&["TB-03", "tobacco", "coal_bulk_barn"]],
            ),
            (
                "activity",
                &["facility_id", "year", "item", "value", "unit"],
                &[&["TB-03", "2022", "output", "0", "t"]],
            ),
        ],
    );
    let run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let zero = run
        .inventories
        .iter()
        .find(|i| i.facility_id == "TB-03")
        .unwrap();
    assert!(
        zero.warnings
            .iter()
            .any(|w| w.location == "activity!D3" && w.message.starts_with("output is 0 t")),
        "{:?}",
        zero.warnings
    );
}

// 13. A formula cell without a cached value (as openpyxl or a script writes
// it) was called "the value is empty": say it is a formula never computed,
// and how to get its value.
#[test]
fn a_formula_without_a_computed_value_says_so_and_how_to_fix_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = tobacco_study(
        dir.path(),
        "f.xlsx",
        &[(
            "activity",
            &[],
            &[&["TB-01", "2022", "electricity.purchased", "SENTINEL", "MWh"]],
        )],
    );
    // Put a formula without a value where the sentinel text is, as a program
    // that never calculates writes it.
    let sheet_xml = {
        use std::io::Read;
        let mut a = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
        let mut s = String::new();
        a.by_name("xl/worksheets/sheet3.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    };
    let start = sheet_xml.find(r#"<c r="D3""#).unwrap();
    let end = start + sheet_xml[start..].find("</c>").unwrap() + "</c>".len();
    patch_xlsx(
        &path,
        &sheet_xml[start..end],
        r#"<c r="D3"><f>B2*0.5</f></c>"#,
    );
    let o = coreduce(&["validate", "f.xlsx"], dir.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert!(
        out.contains("activity!D3: the cell holds the formula =B2*0.5 but no computed value"),
        "{out}"
    );
    assert!(
        out.contains("open the workbook in Excel, WPS or LibreOffice and save it"),
        "{out}"
    );
}

// 6. No resource bounds on `--factors`: a FIFO named factors.csv hung, a link
// to /dev/zero read until memory ran out, a 200 MB file took 7.7 GB. And a
// duplicated id was reported as "rows must be sorted".
#[test]
fn a_factors_folder_is_read_within_bounds() {
    let dir = tempfile::tempdir().unwrap();
    let sample = sample();
    let run = |folder: &str| {
        let o = coreduce(
            &["--factors", folder, "validate", sample.to_str().unwrap()],
            dir.path(),
        );
        (o.status.code(), text(&o).1)
    };
    // a missing folder: the OS error said once (it was printed twice)
    let (code, err) = run("missing");
    assert_eq!(code, Some(2), "{err}");
    assert_eq!(err.matches("No such file or directory").count(), 1, "{err}");
    // a link to /dev/zero
    dataset(&dir.path().join("zero"), "z", "");
    let csv = dir.path().join("zero/z/factors.csv");
    std::fs::remove_file(&csv).unwrap();
    std::os::unix::fs::symlink("/dev/zero", &csv).unwrap();
    let (code, err) = run("zero");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("z/factors.csv") && err.contains("not a regular file"),
        "{err}"
    );
    // a FIFO (opening it would wait for a writer forever)
    dataset(&dir.path().join("fifo"), "f", "");
    let csv = dir.path().join("fifo/f/factors.csv");
    std::fs::remove_file(&csv).unwrap();
    assert!(Command::new("mkfifo").arg(&csv).status().unwrap().success());
    let (code, err) = run("fifo");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    // a file over the bound (sparse: no disk is used)
    dataset(&dir.path().join("big"), "b", "");
    let csv = dir.path().join("big/b/factors.csv");
    std::fs::File::options()
        .write(true)
        .open(&csv)
        .unwrap()
        .set_len(coreduce::factors::MAX_DATASET_FILE_BYTES + 1)
        .unwrap();
    let (code, err) = run("big");
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("larger than 16 MB"), "{err}");
    // the same id twice in one file
    dataset(
        &dir.path().join("dup"),
        "d",
        "grid.mine.avg,0.5,tCO2/MWh,,e,CN,unverified,s,,,,\n\
         grid.mine.avg,0.6,tCO2/MWh,,e,CN,unverified,s,,,,\n",
    );
    let (code, err) = run("dup");
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("d/factors.csv:3: factor id 'grid.mine.avg' is defined twice in this file (first on line 2)"),
        "{err}"
    );
}

// 10. A duplicated `value` column: the first was used without a word. It is
// a question now; a bilingual pair of name columns is not.
#[test]
fn a_second_value_column_is_a_question_and_a_second_name_column_is_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v.xlsx");
    let mut wb = Workbook::new();
    let sheets: [TextSheet<'_>; 3] = [
        ("settings", &["key", "value"], &[&["gwp", "AR5"]]),
        (
            "facilities",
            &["facility_id", "name", "名称", "sector", "technology"],
            &[&["TB-01", "Barn one", "一号烤房", "tobacco", "coal_bulk_barn"]],
        ),
        (
            "activity",
            &["facility_id", "year", "item", "value", "unit", "数值"],
            &[&["TB-01", "2022", "output", "100", "t", "200"]],
        ),
    ];
    for (sheet, header, rows) in sheets {
        let ws = wb.add_worksheet().set_name(sheet).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in rows[0].iter().enumerate() {
            ws.write_string(1, c as u16, *v).unwrap();
        }
    }
    wb.save(&path).unwrap();
    let o = coreduce(&["validate", "v.xlsx"], dir.path());
    let (out, err) = text(&o);
    assert_eq!(o.status.code(), Some(1), "{out}{err}");
    assert_eq!(
        out.trim(),
        "v.xlsx: 1 problem found:\n  - activity!F1: a second 'value' column (the first is at activity!D1): keep one, or rename the other (e.g. to 'note')",
    );
}

/// `coreduce validate` on the tobacco study with these activity rows (the
/// sheet's usual header): its exit code and stdout.
fn validate_activity(rows: &[&[&str]]) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    tobacco_study(dir.path(), "n.xlsx", &[("activity", &[], rows)]);
    let o = coreduce(&["validate", "n.xlsx"], dir.path());
    (o.status.code(), text(&o).0)
}

// 13. The same 29-digit number was "not a number" as text and "out of range"
// as a number: both say out of range now.
#[test]
fn a_number_too_large_for_a_decimal_is_out_of_range_as_text_too() {
    let (code, out) = validate_activity(&[
        &[
            "TB-01",
            "2022",
            "electricity.purchased",
            "79228162514264337593543950336",
            "MWh",
        ],
        &["TB-01", "2022", "fuel.diesel", "1e40", "t"],
        &["TB-01", "2022", "fuel.lpg", "1,2", "t"],
    ]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("activity!D3: number 79228162514264337593543950336 is out of range"),
        "{out}"
    );
    assert!(
        out.contains("activity!D4: number 1e40 is out of range"),
        "{out}"
    );
    // text that is not a number keeps its explanation
    assert!(
        out.contains("activity!D5: '1,2' is not a number: a comma may only separate thousands"),
        "{out}"
    );
}

// 14. A letter typed for a digit ("3,OOO", "l5") is named, with the cell,
// instead of a reason about separators; a word stays "not a number".
#[test]
fn a_letter_typed_for_a_digit_is_named() {
    use coreduce::units::parse_decimal_explained;
    let why = |s: &str| parse_decimal_explained(s).unwrap_err();
    assert_eq!(
        why("3,OOO").en,
        ": 'O' is a letter, not the digit 0: type the digit"
    );
    assert_eq!(
        why("l5").get(coreduce::Lang::Zh),
        "：“l”是字母，不是数字 1，请改为数字"
    );
    assert_eq!(
        why("1O.5e2").en,
        ": 'O' is a letter, not the digit 0: type the digit"
    );
    // not a number even with digits for the letters: nothing to suggest
    assert_eq!(why("lots").en, "");
    assert_eq!(why("Oil").en, "");
    let (code, out) = validate_activity(&[&["TB-01", "2022", "fuel.diesel", "3,OOO", "t"]]);
    assert_eq!(code, Some(1), "{out}");
    assert!(
        out.contains("activity!D3: '3,OOO' is not a number: 'O' is a letter, not the digit 0: type the digit"),
        "{out}"
    );
}
