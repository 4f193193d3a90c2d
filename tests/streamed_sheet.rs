//! An xlsx activity sheet is read in chunks of 8,192 rows as its cells
//! stream in (`workbook::streamed`). These sheets are long enough to cross
//! two chunk boundaries, with facility-years whose rows straddle them and
//! findings planted on both sides: every row is read once, every finding
//! names its own cell, and a sheet a chunk cannot place (a cell left of the
//! table further down) is read whole, as before.

use coreduce::workbook::{read, WorkbookError};
use rust_decimal::Decimal;
use rust_xlsxwriter::Workbook;
use std::path::Path;

/// Baijiu facilities, each with two activity rows (output, then purchased
/// electricity): facility k (from 0) is on Excel rows 2k + 2 and 2k + 3, so
/// rows 8,192 and 8,193 (the last of the first chunk and the first of the
/// second) are facility 4,095's second row and facility 4,096's first row.
/// The table starts at column `col0`; `bad_units` are the Excel rows whose
/// unit is misspelt; `note_at` puts a note left of the table on that row.
fn write(path: &Path, facilities: u32, col0: u16, bad_units: &[u32], note_at: Option<u32>) {
    write_columns(path, facilities, col0, bad_units, note_at, 5)
}

/// [`write`] with only the table's first `columns` columns (5: all).
fn write_columns(
    path: &Path,
    facilities: u32,
    col0: u16,
    bad_units: &[u32],
    note_at: Option<u32>,
    columns: usize,
) {
    let mut wb = Workbook::new();
    let s = wb.add_worksheet().set_name("settings").unwrap();
    s.write_string(0, 0, "key").unwrap();
    s.write_string(0, 1, "value").unwrap();
    s.write_string(1, 0, "gwp").unwrap();
    s.write_string(1, 1, "AR5").unwrap();
    let f = wb.add_worksheet().set_name("facilities").unwrap();
    f.write_string(0, 0, "facility_id").unwrap();
    f.write_string(0, 1, "sector").unwrap();
    for k in 0..facilities {
        f.write_string(k + 1, 0, format!("BJ{k:05}")).unwrap();
        f.write_string(k + 1, 1, "baijiu").unwrap();
    }
    let a = wb.add_worksheet().set_name("activity").unwrap();
    for (c, h) in ["facility_id", "year", "item", "value", "unit"]
        .iter()
        .take(columns)
        .enumerate()
    {
        a.write_string(0, col0 + c as u16, *h).unwrap();
    }
    for k in 0..facilities {
        for (i, (item, value, unit)) in [
            ("output", 100.0, "kL"),
            ("electricity.purchased", 50.0, "MWh"),
        ]
        .into_iter()
        .enumerate()
        {
            // zero-based row; Excel's row number is one more
            let r = 2 * k + 1 + i as u32;
            let unit = if bad_units.contains(&(r + 1)) {
                "MWhh"
            } else {
                unit
            };
            a.write_string(r, col0, format!("BJ{k:05}")).unwrap();
            a.write_number(r, col0 + 1, 2023).unwrap();
            a.write_string(r, col0 + 2, item).unwrap();
            a.write_number(r, col0 + 3, value).unwrap();
            if columns > 4 {
                a.write_string(r, col0 + 4, unit).unwrap();
            }
        }
    }
    if let Some(row) = note_at {
        a.write_string(row - 1, 0, "checked").unwrap();
    }
    wb.save(path).unwrap();
}

#[test]
fn rows_across_chunk_boundaries_are_each_read_once() {
    let (factors, sectors) = crate::common::libs();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.xlsx");
    // 9,000 facilities: rows 2 to 18,001, past the boundaries after Excel
    // rows 8,192 and 16,384
    write(&path, 9000, 0, &[], None);
    let study = read(&path, &factors, &sectors).unwrap();
    assert_eq!(study.facility_years.len(), 9000);
    // each facility-year whole, its two rows in sheet order
    for fy in &study.facility_years {
        let items: Vec<&str> = fy.activity.iter().map(|a| &*a.item).collect();
        assert_eq!(
            items,
            ["output", "electricity.purchased"],
            "{}",
            fy.facility_id
        );
    }
    // facility 4,095 straddles the first boundary: its electricity on row 8,193
    let straddling = study
        .facility_years
        .iter()
        .find(|fy| fy.facility_id == "BJ04095")
        .unwrap();
    assert_eq!(
        straddling.activity[1].location.to_string(),
        "activity!D8193"
    );
    // 9,000 × 50 MWh
    let electricity: Decimal = study
        .facility_years
        .iter()
        .flat_map(|fy| &fy.activity)
        .filter(|a| &*a.item == "electricity.purchased")
        .map(|a| a.quantity.value)
        .sum();
    assert_eq!(electricity, Decimal::from(450_000));
}

#[test]
fn findings_on_both_sides_of_a_boundary_name_their_own_cells() {
    let (factors, sectors) = crate::common::libs();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.xlsx");
    // electricity rows are the odd Excel rows: 8,191 and 8,193 sit either
    // side of the first boundary, 16,385 just past the second
    write(&path, 9000, 0, &[8191, 8193, 16385], None);
    let Err(WorkbookError::Invalid { findings, .. }) = read(&path, &factors, &sectors) else {
        panic!("three misspelt units should be findings");
    };
    let places: Vec<String> = findings.iter().map(|f| f.location.to_string()).collect();
    assert_eq!(
        places,
        ["activity!E8191", "activity!E8193", "activity!E16385"]
    );
    assert!(
        findings.iter().all(|f| f.message.contains("MWhh")),
        "{findings:?}"
    );
}

#[test]
fn a_cell_left_of_the_table_further_down_reads_the_sheet_whole() {
    let (factors, sectors) = crate::common::libs();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("note.xlsx");
    // the table in columns B to F; a note in column A on row 9,000, in the
    // second chunk: read as a whole sheet, column A is outside the table
    write(&path, 9000, 1, &[], Some(9000));
    let study = read(&path, &factors, &sectors).unwrap();
    assert_eq!(study.facility_years.len(), 9000);
    let fy = &study.facility_years[4499];
    assert_eq!(fy.facility_id, "BJ04499");
    // facility 4,499's electricity is on row 9,001, in column E (value)
    assert_eq!(fy.activity[1].location.to_string(), "activity!E9001");
}

#[test]
fn a_long_sheet_without_a_unit_column_has_that_one_finding() {
    let (factors, sectors) = crate::common::libs();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no-unit.xlsx");
    // the reader of chunks stops at the header; the sheet is still parsed
    // to its end (its bounds are checked) and nothing else is said
    write_columns(&path, 9000, 0, &[], None, 4);
    let Err(WorkbookError::Invalid { findings, .. }) = read(&path, &factors, &sectors) else {
        panic!("a missing unit column should be a finding");
    };
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].location.to_string(), "activity!A1");
    assert!(
        findings[0].message.contains("missing column 'unit'"),
        "{}",
        findings[0].message
    );
}

#[test]
fn an_empty_or_blank_activity_sheet_asks_for_its_header() {
    let (factors, sectors) = crate::common::libs();
    let dir = tempfile::tempdir().unwrap();
    // no cell at all, and only a blank text: either way no header row
    for blank in [None, Some(" ")] {
        let path = dir.path().join("empty.xlsx");
        let mut wb = Workbook::new();
        let s = wb.add_worksheet().set_name("settings").unwrap();
        s.write_string(0, 0, "key").unwrap();
        s.write_string(0, 1, "value").unwrap();
        let f = wb.add_worksheet().set_name("facilities").unwrap();
        f.write_string(0, 0, "facility_id").unwrap();
        f.write_string(0, 1, "sector").unwrap();
        f.write_string(1, 0, "BJ00000").unwrap();
        f.write_string(1, 1, "baijiu").unwrap();
        let a = wb.add_worksheet().set_name("activity").unwrap();
        if let Some(text) = blank {
            a.write_string(0, 0, text).unwrap();
        }
        wb.save(&path).unwrap();
        let Err(WorkbookError::Invalid { findings, .. }) = read(&path, &factors, &sectors) else {
            panic!("an empty activity sheet should be a finding ({blank:?})");
        };
        assert_eq!(findings.len(), 1, "{findings:?}");
        assert_eq!(findings[0].location.to_string(), "sheet 'activity'");
        assert!(
            findings[0].message.contains("the sheet is empty"),
            "{}",
            findings[0].message
        );
    }
}
