//! The inventory workbook read back: continuation sheets, and the streamed
//! by-process rows against rust_xlsxwriter's own.

use super::*;
use crate::export::fit_cell;
use crate::graph::SectorLibrary;
use calamine::{open_workbook_auto, Data, Reader};

/// The first column of a sheet and its continuations, in order, with how
/// many data rows each part holds.
fn first_column(
    book: &mut calamine::Sheets<std::io::BufReader<std::fs::File>>,
    name: &str,
) -> (Vec<String>, Vec<usize>) {
    let (mut ids, mut parts) = (Vec::new(), Vec::new());
    for sheet in book.sheet_names() {
        if sheet != name && !sheet.starts_with(&format!("{name} (")) {
            continue;
        }
        let range = book.worksheet_range(&sheet).unwrap();
        let rows: Vec<String> = range
            .rows()
            .skip(1)
            .map(|r| match &r[0] {
                Data::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect();
        parts.push(rows.len());
        ids.extend(rows);
    }
    (ids, parts)
}

/// The summary, warnings and by-process rows are XML of our own, the
/// by-facility sheet rust_xlsxwriter's: a facility id, city and county with
/// everything that needs escaping (markup, control characters, a literal
/// `_xHHHH_`, edge spaces, a formula-like start, text past the cell limit)
/// read back the same from all of them, and as the text given; the amounts
/// read back as the `f64` of their decimals.
#[test]
fn streamed_rows_read_back_as_written_and_as_rust_xlsxwriter_writes_them() {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sichuan-sample.xlsx");
    let run = crate::workbook::run_workbook(&sample, &f, &s).unwrap();
    let mut invs = run.inventories.clone();
    let awkward = [
        "A&B <厂> \"一\"",
        " 前后空格 ",
        "tab\tnew\nline\rcr\u{1}\u{1F}",
        "id_x0041_ and _x00_ and _xZZZZ_",
        "=HYPERLINK(\"x\")",
        "\u{FFFE}，、。",
    ];
    let long = "厂".repeat(40_000);
    for (i, inv) in invs.iter_mut().enumerate() {
        inv.facility_id = awkward[i % awkward.len()].to_string();
        inv.county = Some(if i == 0 {
            long.clone()
        } else {
            awkward[(i + 1) % awkward.len()].to_string()
        });
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inventory.xlsx");
    let mut writer = XlsxWriter::create(&out, &run.factors, Lang::En, Names::default()).unwrap();
    writer.write(&invs).unwrap();
    let ids: BTreeSet<String> = invs.iter().flat_map(|i| i.factor_ids()).collect();
    Box::new(writer)
        .finish(&RunSummary {
            inventories: &invs,
            factor_ids: &ids,
            lib: &run.factors,
        })
        .unwrap();

    let mut book = open_workbook_auto(&out).unwrap();
    let text = |d: &Data| match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("not text: {other:?}"),
    };
    // the summary's facility ids (rust_xlsxwriter), one per facility-year
    let summary = book.worksheet_range("summary").unwrap();
    let summary_ids: Vec<String> = summary.rows().skip(1).map(|r| text(&r[0])).collect();
    assert_eq!(summary_ids.len(), invs.len());
    let by_facility = book.worksheet_range("by-facility").unwrap();
    let rust_ids: Vec<String> = by_facility.rows().skip(1).map(|r| text(&r[0])).collect();
    assert_eq!(summary_ids, rust_ids);
    let warnings = book.worksheet_range("warnings").unwrap();
    let warned: BTreeSet<String> = warnings.rows().skip(1).map(|r| text(&r[0])).collect();
    let expected: BTreeSet<String> = invs
        .iter()
        .filter(|i| !i.warnings.is_empty())
        .map(|i| neutralise(&i.facility_id))
        .collect();
    assert_eq!(warned, expected);
    let by_process = book.worksheet_range("by-process").unwrap();
    let mut rows = by_process.rows().skip(1);
    for (inv, summary_id) in invs.iter().zip(&summary_ids) {
        assert_eq!(summary_id, &neutralise(&inv.facility_id));
        for row in &inv.rows {
            let got = rows.next().expect("a by-process row per row");
            assert_eq!(&text(&got[0]), summary_id);
            assert_eq!(got[1], Data::Float(f64::from(inv.year)));
            let county = text(&got[14]);
            let expected = neutralise(inv.county.as_deref().unwrap());
            assert_eq!(county, fit_cell(&expected));
            let amount = if row.in_view { &got[6] } else { &got[7] };
            assert_eq!(amount, &Data::Float(num(row.amount)));
            assert_eq!(got[12], Data::Bool(row.in_view));
            assert_eq!(got[9], Data::Float(f64::from(row.tier)));
            assert_eq!(text(&got[10]), row.factor_ids.join(";"));
        }
    }
    assert!(rows.next().is_none());
    // the header, bold in the workbook's styles (checked at the merge)
    let header: Vec<String> = by_process.rows().next().unwrap().iter().map(text).collect();
    assert_eq!(header, CSV_COLUMNS.map(String::from));
}

#[test]
fn every_sheet_continues_past_the_last_row_in_order() {
    let f = FactorLibrary::embedded().unwrap();
    let s = SectorLibrary::embedded(&f).unwrap();
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sichuan-sample.xlsx");
    let run = crate::workbook::run_workbook(&sample, &f, &s).unwrap();
    let invs = &run.inventories;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inventory.xlsx");
    // three data rows per sheet
    let mut writer =
        XlsxWriter::with_last_row(&out, &run.factors, Lang::En, Names::default(), 3).unwrap();
    writer.write(invs).unwrap();
    let ids: BTreeSet<String> = invs.iter().flat_map(|i| i.factor_ids()).collect();
    Box::new(writer)
        .finish(&RunSummary {
            inventories: invs,
            factor_ids: &ids,
            lib: &run.factors,
        })
        .unwrap();

    // One selected tab (the first summary sheet): two would open grouped.
    let mut zip = zip::ZipArchive::new(std::fs::File::open(&out).unwrap()).unwrap();
    let sheets: Vec<String> = zip
        .file_names()
        .filter(|n| n.starts_with("xl/worksheets/sheet"))
        .map(String::from)
        .collect();
    assert!(sheets.len() > 5, "continuation sheets: {sheets:?}");
    let selected: Vec<&String> = sheets
        .iter()
        .filter(|name| {
            let mut xml = String::new();
            zip.by_name(name).unwrap().read_to_string(&mut xml).unwrap();
            xml.contains("tabSelected=\"1\"")
        })
        .collect();
    assert_eq!(selected, ["xl/worksheets/sheet1.xml"]);
    let mut book = open_workbook_auto(&out).unwrap();
    let part_sizes = |n: usize| {
        let mut sizes = vec![3; n / 3];
        if n % 3 > 0 {
            sizes.push(n % 3);
        }
        sizes
    };
    let facility_years: Vec<String> = invs.iter().map(|i| i.facility_id.clone()).collect();
    assert!(
        facility_years.len() > 3,
        "the sample needs a second summary sheet"
    );
    for name in ["summary", "by-facility"] {
        let (got, parts) = first_column(&mut book, name);
        assert_eq!(got, facility_years, "{name}");
        assert_eq!(parts, part_sizes(facility_years.len()), "{name}");
    }
    let rows: Vec<String> = invs
        .iter()
        .flat_map(|i| i.rows.iter().map(|_| i.facility_id.clone()))
        .collect();
    let (got, parts) = first_column(&mut book, "by-process");
    assert_eq!(got, rows);
    assert_eq!(parts, part_sizes(rows.len()));
    let warnings: Vec<String> = invs
        .iter()
        .flat_map(|i| {
            let distinct: BTreeSet<&str> = i.warnings.iter().map(|w| &*w.message).collect();
            vec![i.facility_id.clone(); distinct.len()]
        })
        .collect();
    assert!(
        warnings.len() > 3,
        "the sample needs a second warnings sheet"
    );
    let (got, parts) = first_column(&mut book, "warnings");
    assert_eq!(got, warnings);
    assert_eq!(parts, part_sizes(warnings.len()));
}
