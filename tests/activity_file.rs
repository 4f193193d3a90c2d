//! The activity table as a CSV beside the workbook (setting `activity_file`,
//! issue 12): the same rows give the same inventory as the activity sheet,
//! whether the file is UTF-8 with CRLF line ends (Excel on Windows) or GBK
//! with Chinese headers (Excel or WPS on a Chinese system); every finding
//! names the file, the line and the column.

use crate::common::{libs, Book};
use coreduce::workbook::run_workbook;
use rust_decimal_macros::dec;
use std::path::Path;

const HEADER: [&str; 7] = [
    "facility_id",
    "year",
    "item",
    "value",
    "unit",
    "note",
    "uncertainty",
];

/// Two facilities: a heat-pump tobacco barn and a gas-fired distillery.
fn facilities(book: Book) -> Book {
    book.sheet(
        "facilities",
        &["facility_id", "name", "sector", "technology", "city"],
        &[
            row!["TB-1", "Barn", "tobacco", "heat_pump_barn", "Liangshan"],
            row!["BJ-1", "Distillery", "baijiu", "gas_boiler", "Yibin"],
        ],
    )
}

/// The activity rows, as a spreadsheet would hold them.
fn rows() -> Vec<[&'static str; 7]> {
    vec![
        ["TB-1", "2022", "output", "10", "t", "", ""],
        [
            "TB-1",
            "2022",
            "electricity.purchased",
            "21.9",
            "MWh",
            "",
            "metered",
        ],
        ["BJ-1", "2022", "output", "1000", "t", "65% vol", ""],
        [
            "BJ-1",
            "2022",
            "fuel.natural_gas",
            "58.4",
            "10^4 Nm3",
            "",
            "±3%",
        ],
        [
            "BJ-1",
            "2022",
            "electricity.purchased",
            "350",
            "MWh",
            "",
            "",
        ],
    ]
}

/// The settings with `activity_file` pointing at `file`.
fn with_file(book: Book, file: &str) -> Book {
    book.sheet(
        "settings",
        &["key", "value"],
        &[row!["gwp", "AR5"], row!["activity_file", file]],
    )
}

fn csv_text(header: &[&str], rows: &[[&str; 7]], eol: &str) -> String {
    let mut s = header.join(",") + eol;
    for r in rows {
        s += &r.join(",");
        s += eol;
    }
    s
}

fn totals(path: &Path) -> Vec<(String, i32, String, rust_decimal::Decimal)> {
    let (f, s) = libs();
    let run = run_workbook(path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let mut out = Vec::new();
    for inv in &run.inventories {
        for sub in ["CO2", "CO2e", "CH4", "NOx", "SO2", "PM", "COD"] {
            out.push((
                inv.facility_id.clone(),
                inv.year,
                sub.to_string(),
                inv.total(sub),
            ));
        }
    }
    out
}

fn findings(path: &Path) -> String {
    let (f, s) = libs();
    run_workbook(path, &f, &s)
        .err()
        .expect("findings")
        .to_string()
}

#[test]
fn a_csv_beside_the_workbook_gives_the_sheet_s_inventory() {
    let dir = tempfile::tempdir().unwrap();
    // the same rows in the activity sheet
    let in_sheet = dir.path().join("sheet.xlsx");
    let cells: Vec<_> = rows()
        .iter()
        .map(|r| r.iter().map(|&c| crate::common::Cell::from(c)).collect())
        .collect();
    facilities(Book::new().settings())
        .sheet("activity", &HEADER, &cells)
        .save(&in_sheet);
    // and in a CSV with CRLF line ends, beside a workbook without the sheet
    std::fs::write(
        dir.path().join("activity.csv"),
        csv_text(&HEADER, &rows(), "\r\n"),
    )
    .unwrap();
    let beside = dir.path().join("study.xlsx");
    facilities(with_file(Book::new(), "activity.csv")).save(&beside);
    let (a, b) = (totals(&in_sheet), totals(&beside));
    assert_eq!(a, b);
    // worked by hand: the barn's location-based scope 2 is 21.9 MWh × the
    // Sichuan 2022 grid factor 0.1404 t/MWh = 3.07476 t CO2
    let (f, s) = libs();
    let run = run_workbook(&beside, &f, &s).unwrap();
    let barn = run
        .inventories
        .iter()
        .find(|i| i.facility_id == "TB-1")
        .unwrap();
    assert_eq!(barn.totals.scope2_location_co2, dec!(3.07476));
    // the tier word in the file reaches the activity value
    let fy = run
        .study
        .facility_years
        .iter()
        .find(|f| f.facility_id == "TB-1")
        .unwrap();
    let power = fy
        .activity
        .iter()
        .find(|a| &*a.item == "electricity.purchased")
        .unwrap();
    assert_eq!(power.tier, Some(coreduce::factors::ActivityTier::Metered));
    assert_eq!(power.location.to_string(), "activity.csv:3 (column D)");
}

#[test]
fn a_gbk_file_with_chinese_headers_and_tabs_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("activity.csv"),
        csv_text(&HEADER, &rows(), "\n"),
    )
    .unwrap();
    let utf8 = dir.path().join("utf8.xlsx");
    facilities(with_file(Book::new(), "activity.csv")).save(&utf8);
    // 设施编号 年份 项目 数值 单位 备注 不确定性, tab-separated, in GBK; the
    // distillery's power written as its Chinese name and in 万千瓦时
    let zh_header = [
        "设施编号",
        "年份",
        "项目",
        "数值",
        "单位",
        "备注",
        "不确定性",
    ];
    let mut zh_rows = rows();
    zh_rows[4] = ["BJ-1", "2022年", "外购电力", "35", "万千瓦时", "", "计量"];
    let text = csv_text(&zh_header, &zh_rows, "\r\n").replace(',', "\t");
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    std::fs::write(dir.path().join("活动数据.txt"), &gbk[..]).unwrap();
    let zh = dir.path().join("zh.xlsx");
    facilities(with_file(Book::new(), "活动数据.txt")).save(&zh);
    assert_eq!(totals(&utf8), totals(&zh));
}

#[test]
fn findings_in_the_file_name_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let mut bad = rows();
    bad[1][0] = "TB-2"; // line 3: an unknown facility
    bad.push(["BJ-1", "2022", "output", "5", "t", "", ""]); // line 7: repeated
    std::fs::write(
        dir.path().join("activity.csv"),
        csv_text(&HEADER, &bad, "\r\n").replace("\"", ""),
    )
    .unwrap();
    let study = dir.path().join("study.xlsx");
    facilities(with_file(Book::new(), "activity.csv")).save(&study);
    let err = findings(&study);
    assert!(
        err.contains(
            "activity.csv:3 (column A): facility 'TB-2' is not listed in the facilities sheet"
        ),
        "{err}"
    );
    assert!(err.contains("did you mean 'TB-1'"), "{err}");
    assert!(
        err.contains("activity.csv:7 (column C): 'output' for BJ-1 in 2022 is repeated (first at activity.csv:4 (column C))"),
        "{err}"
    );
}

#[test]
fn the_header_the_file_and_the_sheet_are_questions_at_their_places() {
    let dir = tempfile::tempdir().unwrap();
    // no unit column
    std::fs::write(
        dir.path().join("activity.csv"),
        "facility_id,year,item,value\nTB-1,2022,output,10\n",
    )
    .unwrap();
    let study = dir.path().join("study.xlsx");
    facilities(with_file(Book::new(), "activity.csv")).save(&study);
    let err = findings(&study);
    assert!(
        err.contains(
            "activity.csv:1 (column A): missing column 'unit' (or '单位') in the header row"
        ),
        "{err}"
    );
    // a file that is not there: at the setting's row
    let missing = dir.path().join("missing.xlsx");
    facilities(with_file(Book::new(), "nowhere.csv")).save(&missing);
    let err = findings(&missing);
    assert!(
        err.contains("settings!A3: activity_file '") && err.contains("cannot be opened"),
        "{err}"
    );
    // rows in both places: which ones?
    std::fs::write(
        dir.path().join("activity.csv"),
        csv_text(&HEADER, &rows(), "\n"),
    )
    .unwrap();
    let both = dir.path().join("both.xlsx");
    facilities(with_file(Book::new(), "activity.csv"))
        .sheet(
            "activity",
            &HEADER,
            &[row!["TB-1", 2022, "output", 10, "t", "", ""]],
        )
        .save(&both);
    let err = findings(&both);
    assert!(
        err.contains("the activity sheet has rows and the settings name an activity_file"),
        "{err}"
    );
}

/// The activity file is an input like the workbook: no output overwrites it.
#[test]
fn no_output_overwrites_the_activity_file() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("activity.csv");
    let text = csv_text(&HEADER, &rows(), "\n");
    std::fs::write(&csv, &text).unwrap();
    let study = dir.path().join("study.xlsx");
    facilities(with_file(Book::new(), "activity.csv")).save(&study);
    for cmd in [
        &["inventory"][..],
        &["measures"][..],
        &["uncertainty", "--runs", "20"][..],
    ] {
        let out = crate::common::coreduce_command()
            .args(cmd)
            .arg(&study)
            .arg("--out")
            .arg(&csv)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{cmd:?}: {stderr}");
        assert!(
            stderr.contains("it is an input of this run"),
            "{cmd:?}: {stderr}"
        );
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), text, "{cmd:?}");
    }
}

/// A server's runs (`Limits::inputs_in_workbook_folder`) read only files
/// inside the uploaded workbook's folder: a workbook naming a path above it,
/// an absolute path or a link out of the folder gets a finding at the
/// setting's cell, and a plain file name beside it still works.
#[test]
fn a_confined_run_reads_no_file_outside_the_workbook_folder() {
    use coreduce::workbook::{read_with_limits, Limits};
    let outer = tempfile::tempdir().unwrap();
    let study_dir = outer.path().join("study");
    std::fs::create_dir(&study_dir).unwrap();
    let csv = csv_text(&HEADER, &rows(), "\n");
    std::fs::write(outer.path().join("secret.csv"), &csv).unwrap();
    std::fs::write(study_dir.join("activity.csv"), &csv).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(outer.path().join("secret.csv"), study_dir.join("link.csv"))
        .unwrap();
    let confined = Limits {
        inputs_in_workbook_folder: true,
        ..Limits::default()
    };
    let (f, s) = libs();
    let absolute = outer.path().join("secret.csv").display().to_string();
    let mut names = vec!["../secret.csv".to_string(), absolute];
    if cfg!(unix) {
        names.push("link.csv".to_string());
    }
    for name in &names {
        let path = study_dir.join("study.xlsx");
        facilities(with_file(Book::new(), name)).save(&path);
        let err = read_with_limits(&path, &f, &s, &confined)
            .err()
            .unwrap_or_else(|| panic!("{name} was read"))
            .to_string();
        assert!(
            err.contains("settings!A3") && err.contains("outside the workbook's folder"),
            "{name}: {err}"
        );
        // the same workbook, unconfined (the command line), reads it
        assert!(read_with_limits(&path, &f, &s, &Limits::default()).is_ok());
    }
    let path = study_dir.join("study.xlsx");
    facilities(with_file(Book::new(), "activity.csv")).save(&path);
    let study = read_with_limits(&path, &f, &s, &confined).unwrap();
    assert_eq!(study.facility_years.len(), 2);
}
