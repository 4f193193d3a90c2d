//! A facility listed without any activity row would be in no total, and the
//! user would not see why: a study with no activity rows at all is a finding
//! at the activity sheet (or the `activity_file` setting), since there is
//! nothing to compute; a facility without rows among others that have them
//! is a notice naming its cell in the facilities sheet, and the others are
//! computed as before.

use crate::common::{libs, Book};
use coreduce::workbook::{read, run_workbook};
use std::path::Path;

const ACTIVITY: [&str; 5] = ["facility_id", "year", "item", "value", "unit"];

/// Three distilleries on facilities rows 2–4 (BJ-1, BJ-2, BJ-3).
fn facilities(book: Book) -> Book {
    book.sheet(
        "facilities",
        &["facility_id", "name", "sector", "city"],
        &[
            row!["BJ-1", "一厂", "baijiu", "Yibin"],
            row!["BJ-2", "二厂", "baijiu", "Yibin"],
            row!["BJ-3", "三厂", "baijiu", "Luzhou"],
        ],
    )
}

fn findings(path: &Path) -> String {
    let (f, s) = libs();
    read(path, &f, &s).expect_err("a finding").to_string()
}

#[test]
fn a_facility_without_rows_is_named_at_its_cell_and_the_others_are_computed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.xlsx");
    // BJ-2's rows were left out
    facilities(Book::new().settings())
        .sheet(
            "activity",
            &ACTIVITY,
            &[
                row!["BJ-1", 2023, "output", 100, "t"],
                row!["BJ-1", 2023, "electricity.purchased", 50, "MWh"],
                row!["BJ-3", 2023, "output", 80, "t"],
            ],
        )
        .save(&path);
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let computed: Vec<&str> = run
        .inventories
        .iter()
        .map(|i| i.facility_id.as_str())
        .collect();
    assert_eq!(computed, ["BJ-1", "BJ-3"]);
    let notes: Vec<&str> = run.study.notices.iter().map(|n| n.en.as_str()).collect();
    let about: Vec<&&str> = notes.iter().filter(|n| n.contains("BJ-")).collect();
    assert_eq!(about.len(), 1, "{notes:?}");
    assert!(
        about[0]
            .starts_with("facilities!A3: facility BJ-2 has no activity rows, so it is in no total"),
        "{notes:?}"
    );
    let zh: Vec<&str> = run
        .study
        .notices
        .iter()
        .map(|n| n.get(coreduce::text::Lang::Zh))
        .collect();
    assert!(
        zh.iter()
            .any(|n| n.starts_with("facilities!A3：设施 BJ-2 没有活动数据行")),
        "{zh:?}"
    );
}

#[test]
fn many_facilities_without_rows_are_named_ten_then_counted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("many.xlsx");
    let ids: Vec<String> = (1..=25).map(|k| format!("BJ-{k:02}")).collect();
    let rows: Vec<_> = ids.iter().map(|id| row![id.as_str(), "baijiu"]).collect();
    Book::new()
        .settings()
        .sheet("facilities", &["facility_id", "sector"], &rows)
        .sheet(
            "activity",
            &ACTIVITY,
            &[row!["BJ-01", 2023, "output", 100, "t"]],
        )
        .save(&path);
    let (f, s) = libs();
    let study = read(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let notes: Vec<&str> = study
        .notices
        .iter()
        .map(|n| n.en.as_str())
        .filter(|n| n.contains("no activity rows"))
        .collect();
    // 24 without rows: BJ-02 … BJ-11 named (facilities rows 3 … 12), 14 counted
    assert_eq!(notes.len(), 11, "{notes:?}");
    assert!(
        notes[0].starts_with("facilities!A3: facility BJ-02 "),
        "{notes:?}"
    );
    assert!(
        notes[9].starts_with("facilities!A12: facility BJ-11 "),
        "{notes:?}"
    );
    assert!(
        notes[10].starts_with("14 more facilities of the facilities sheet have no activity rows"),
        "{notes:?}"
    );
}

#[test]
fn an_activity_sheet_with_only_its_header_is_a_finding_at_the_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("empty.xlsx");
    facilities(Book::new().settings())
        .sheet("activity", &ACTIVITY, &[])
        .save(&path);
    let err = findings(&path);
    assert!(
        err.contains("sheet 'activity': no activity: the facilities sheet lists 3 facilities (BJ-1, …) but the activity sheet has no rows below its header"),
        "{err}"
    );
    // one finding, not one per facility
    assert_eq!(err.matches("no activity").count(), 1, "{err}");
}

#[test]
fn an_activity_file_with_only_its_header_is_a_finding_at_the_setting() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("activity.csv"),
        "facility_id,year,item,value,unit\r\n",
    )
    .unwrap();
    let path = dir.path().join("study.xlsx");
    facilities(Book::new())
        .sheet(
            "settings",
            &["key", "value"],
            &[row!["gwp", "AR5"], row!["activity_file", "activity.csv"]],
        )
        .save(&path);
    let err = findings(&path);
    assert!(
        err.contains("settings!A3: no activity: the facilities sheet lists 3 facilities (BJ-1, …) but the activity_file 'activity.csv' has no rows below its header"),
        "{err}"
    );
}

/// The report says it too, above the warnings, in the report's language and
/// escaped; a study without notes gets no such heading.
#[test]
fn the_report_lists_the_note_above_the_warnings() {
    use coreduce::report::{render, Lang, ReportInput};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.xlsx");
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector"],
            &[row!["BJ-1", "baijiu"], row!["BJ<2>", "baijiu"]],
        )
        .sheet(
            "activity",
            &ACTIVITY,
            &[row!["BJ-1", 2023, "output", 100, "t"]],
        )
        .save(&path);
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let html = |lang, notes| {
        render(&ReportInput {
            title: "study".into(),
            lang,
            inventories: &run.inventories,
            measures: None,
            roadmap: None,
            roadmap_odds: None,
            uncertainty: None,
            factors: &run.factors,
            sectors: &s,
            factors_used: None,
            notes,
        })
    };
    let en = html(Lang::En, &run.study.notices);
    let heading = en
        .find("<h3>Notes on reading the workbook</h3>")
        .expect("the notes' heading");
    let note = en
        .find("<li>facilities!A3: facility BJ&lt;2&gt; has no activity rows")
        .expect("the note, escaped");
    let warnings = en.find("id=\"warnings\"").expect("the warnings section");
    assert!(warnings < heading && heading < note, "{en}");
    let zh = html(Lang::Zh, &run.study.notices);
    assert!(zh.contains("<h3>读取工作簿时的说明</h3>"));
    assert!(zh.contains("<li>facilities!A3：设施 BJ&lt;2&gt; 没有活动数据行"));
    let without = html(Lang::En, &[]);
    assert!(!without.contains("Notes on reading the workbook"));
}
