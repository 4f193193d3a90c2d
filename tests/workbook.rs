//! Workbook v1: one test per error kind (the message, with its cell, held in
//! an insta snapshot), the template round trip, and the engine's reference
//! cases given through a workbook.
//!
//! Workbooks are built here with rust_xlsxwriter from small cell tables, so
//! each case shows exactly what the user typed.

use coreduce::accounting::{inventory, FacilityYear};
use coreduce::workbook::run_workbook;
use coreduce::workbook::{read_with_limits, Limits, WorkbookError};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use rust_xlsxwriter::{Formula, Workbook};
use std::path::{Path, PathBuf};

#[derive(Clone)]
enum C {
    S(&'static str),
    N(f64),
    F(&'static str, &'static str),
    Blank,
}
use C::*;

type Sheet = (&'static str, Vec<Vec<C>>);

/// Writes the sheets, with a `settings` sheet (gwp AR5) first when the
/// workbook is a study (it has a facilities or activity sheet) without one:
/// the settings sheet is required.
fn write(dir: &Path, name: &str, sheets: &[Sheet]) -> PathBuf {
    let is_study = sheets
        .iter()
        .any(|(n, _)| ["facilities", "activity", "设施", "活动数据"].contains(n));
    let has_settings = sheets.iter().any(|(n, _)| ["settings", "设置"].contains(n));
    if is_study && !has_settings {
        let mut all = vec![(
            "settings",
            vec![vec![S("key"), S("value")], vec![S("gwp"), S("AR5")]],
        )];
        all.extend(sheets.iter().cloned());
        return write_as_given(dir, name, &all);
    }
    write_as_given(dir, name, sheets)
}

/// Writes exactly the sheets given.
fn write_as_given(dir: &Path, name: &str, sheets: &[Sheet]) -> PathBuf {
    let path = dir.join(name);
    let mut wb = Workbook::new();
    for (sheet, rows) in sheets {
        let ws = wb.add_worksheet().set_name(*sheet).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match cell {
                    S(s) => {
                        ws.write_string(r, c, *s).unwrap();
                    }
                    N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    F(f, result) => {
                        ws.write_formula(r, c, Formula::new(*f).set_result(*result))
                            .unwrap();
                    }
                    Blank => {}
                }
            }
        }
    }
    wb.save(&path).unwrap();
    path
}

fn facilities() -> Sheet {
    (
        "facilities",
        vec![
            vec![
                S("facility_id"),
                S("name"),
                S("sector"),
                S("technology"),
                S("city"),
            ],
            vec![
                S("TB-01"),
                S("Liangshan station"),
                S("tobacco"),
                S("coal_bulk_barn"),
                S("liangshan"),
            ],
        ],
    )
}

fn activity(rows: Vec<Vec<C>>) -> Sheet {
    let mut all = vec![vec![
        S("facility_id"),
        S("year"),
        S("item"),
        S("value"),
        S("unit"),
        S("note"),
    ]];
    all.extend(rows);
    ("activity", all)
}

fn output_row() -> Vec<C> {
    vec![S("TB-01"), N(2022.0), S("output"), N(100.0), S("t")]
}

use crate::common;
use common::libs;

/// The findings (or the one-line error) of running a workbook, without its path.
fn problems(sheets: &[Sheet]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "study.xlsx", sheets);
    problems_at(&path)
}

fn problems_at(path: &Path) -> String {
    let (f, s) = libs();
    match run_workbook(path, &f, &s) {
        Ok(_) => "clean".into(),
        Err(WorkbookError::Invalid { findings, .. }) => findings
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(WorkbookError::Unreadable { reason, .. }) => format!("unreadable: {reason}"),
    }
}

#[test]
fn error_cell() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![
                S("TB-01"),
                N(2022.0),
                S("fuel.raw_coal"),
                F("=1/0", "#DIV/0!"),
                S("t"),
            ],
        ]),
    ]);
    insta::assert_snapshot!(p, @"activity!D3: the cell holds the error value #DIV/0!: fix the formula or type the value");
}

#[test]
fn text_in_a_numeric_column() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![S("TB-01"), N(2022.0), S("fuel.raw_coal"), S("lots"), S("t")],
        ]),
    ]);
    insta::assert_snapshot!(p, @"activity!D3: 'lots' is not a number");
}

#[test]
fn unknown_unit() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![S("TB-01"), N(2022.0), S("fuel.raw_coal"), N(5.0), S("tonn")],
        ]),
    ]);
    insta::assert_snapshot!(p, @"activity!E3: unknown unit 'tonn' (did you mean 'tonne'?)");
}

#[test]
fn unit_of_the_wrong_dimension() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![S("TB-01"), N(2022.0), S("fuel.raw_coal"), N(5.0), S("m2")],
        ]),
    ]);
    // (coal in an energy unit, MWh or 吨标准煤, is converted through its NCV:
    // tests/zh_path.rs)
    insta::assert_snapshot!(p, @"activity!D3: 'fuel.raw_coal' is in 'm2' (area), which cannot be converted to 't' (mass)");
}

#[test]
fn unknown_sector_with_suggestion() {
    let mut f = facilities();
    f.1[1][2] = S("tobaco");
    let p = problems(&[f, activity(vec![output_row()])]);
    // one finding, at the facility's row: its activity row is not also
    // reported as a facility missing from the sheet
    insta::assert_snapshot!(p, @r"
    facilities!C2: unknown sector 'tobaco' (did you mean 'tobacco'?); known: aluminium, baijiu, ceramics, tobacco
    ");
}

#[test]
fn unknown_fuel_and_item_with_suggestion() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![S("TB-01"), N(2022.0), S("fuel.raw_cole"), N(5.0), S("t")],
            vec![
                S("TB-01"),
                N(2022.0),
                S("electricity.purchase"),
                N(5.0),
                S("MWh"),
            ],
        ]),
    ]);
    insta::assert_snapshot!(p, @r"
    activity!C3: unknown item 'fuel.raw_cole' (did you mean 'fuel.raw_coal'?)
    activity!C4: unknown item 'electricity.purchase' (did you mean 'electricity.purchased'?)
    ");
}

#[test]
fn duplicate_rows_are_errors_not_sums() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![S("TB-01"), N(2022.0), S("fuel.raw_coal"), N(5.0), S("t")],
            vec![S("TB-01"), N(2022.0), S("fuel.raw_coal"), N(6.0), S("t")],
        ]),
    ]);
    insta::assert_snapshot!(p, @"activity!C4: 'fuel.raw_coal' for TB-01 in 2022 is repeated (first at activity!C3); rows are not summed");
}

/// Rows of one facility-year need not be together, nor facilities in id
/// order: the study holds the facility-years by id, then year, each with its
/// rows in the sheet's order, and a repeat far from its first row is still
/// found.
#[test]
fn scattered_rows_are_gathered_by_facility_and_year() {
    let dir = tempfile::tempdir().unwrap();
    let mut fac = facilities();
    fac.1.push(vec![
        S("TB-00"),
        S("Xichang station"),
        S("tobacco"),
        S("coal_bulk_barn"),
        S("liangshan"),
    ]);
    let row = |id: &'static str, year: f64, item: &'static str, value: f64| {
        vec![S(id), N(year), S(item), N(value), S("t")]
    };
    let path = write(
        dir.path(),
        "study.xlsx",
        &[
            fac.clone(),
            activity(vec![
                row("TB-01", 2023.0, "output", 120.0),
                row("TB-01", 2022.0, "output", 100.0),
                row("TB-00", 2022.0, "output", 50.0),
                row("TB-01", 2023.0, "fuel.raw_coal", 7.0),
                row("TB-00", 2022.0, "fuel.raw_coal", 3.0),
                row("TB-01", 2022.0, "fuel.raw_coal", 5.0),
            ]),
        ],
    );
    let (f, s) = libs();
    let study = coreduce::workbook::read(&path, &f, &s).unwrap();
    // (facility, year, [(item, value)])
    type Gathered = (String, i32, Vec<(String, Decimal)>);
    let got: Vec<Gathered> = study
        .facility_years
        .iter()
        .map(|fy| {
            let rows = fy
                .activity
                .iter()
                .map(|a| (a.item.to_string(), a.quantity.value))
                .collect();
            (fy.facility_id.clone(), fy.year, rows)
        })
        .collect();
    let rows =
        |o: Decimal, c: Decimal| vec![("output".to_string(), o), ("fuel.raw_coal".to_string(), c)];
    assert_eq!(
        got,
        vec![
            ("TB-00".to_string(), 2022, rows(dec!(50), dec!(3))),
            ("TB-01".to_string(), 2022, rows(dec!(100), dec!(5))),
            ("TB-01".to_string(), 2023, rows(dec!(120), dec!(7))),
        ]
    );
    let p = problems(&[
        fac,
        activity(vec![
            row("TB-01", 2022.0, "output", 100.0),
            row("TB-01", 2022.0, "fuel.raw_coal", 5.0),
            row("TB-00", 2022.0, "output", 50.0),
            row("TB-01", 2022.0, "fuel.raw_coal", 6.0),
        ]),
    ]);
    insta::assert_snapshot!(p, @"activity!C5: 'fuel.raw_coal' for TB-01 in 2022 is repeated (first at activity!C3); rows are not summed");
}

#[test]
fn negative_output() {
    let p = problems(&[
        facilities(),
        activity(vec![vec![
            S("TB-01"),
            N(2022.0),
            S("output"),
            N(-1.0),
            S("t"),
        ]]),
    ]);
    insta::assert_snapshot!(p, @"activity!D2: output is negative (-1 t)");
}

#[test]
fn percentage_outside_0_to_100() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![
                S("TB-01"),
                N(2022.0),
                S("control.SO2.efficiency"),
                S("120%"),
                Blank,
            ],
        ]),
    ]);
    insta::assert_snapshot!(p, @"activity!D3: a percentage must lie between 0 and 100, got 120 %");
}

#[test]
fn efficiency_outside_0_to_1() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![
                S("TB-01"),
                N(2022.0),
                S("control.SO2.efficiency"),
                N(1.5),
                S("fraction"),
            ],
        ]),
    ]);
    insta::assert_snapshot!(p, @"activity!D3: 'control.SO2.efficiency' must lie between 0 and 1 (0–100 %), got 1.5 fraction");
}

#[test]
fn activity_for_an_unlisted_facility() {
    let p = problems(&[
        facilities(),
        activity(vec![
            output_row(),
            vec![S("TB-02"), N(2022.0), S("output"), N(1.0), S("t")],
        ]),
    ]);
    insta::assert_snapshot!(p, @"activity!A3: facility 'TB-02' is not listed in the facilities sheet (did you mean 'TB-01'?)");
}

#[test]
fn missing_sheet() {
    let p = problems(&[facilities()]);
    insta::assert_snapshot!(p, @"study.xlsx: missing sheet 'activity' (or '活动数据')");
}

#[test]
fn missing_column() {
    let p = problems(&[
        facilities(),
        (
            "activity",
            vec![
                vec![S("facility_id"), S("year"), S("item"), S("value")],
                vec![S("TB-01"), N(2022.0), S("output"), N(1.0)],
            ],
        ),
    ]);
    insta::assert_snapshot!(p, @"activity!A1: missing column 'unit' (or '单位') in the header row");
}

#[test]
fn empty_workbook() {
    let p = problems(&[("Sheet1", vec![])]);
    insta::assert_snapshot!(p, @"study.xlsx: the workbook has no study sheets (found: Sheet1); expected 'facilities' and 'activity' (设施, 活动数据): run `coreduce template` for a blank one");
}

#[test]
fn not_a_workbook_and_corrupt_files() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.xlsx");
    std::fs::write(&text, "just some text, not a spreadsheet\n").unwrap();
    insta::assert_snapshot!(problems_at(&text), @"unreadable: not a workbook: the file is not an xlsx, xlsm, xls or ods spreadsheet (save it from Excel, WPS or LibreOffice in one of those formats)");
    let good = write(
        dir.path(),
        "good.xlsx",
        &[facilities(), activity(vec![output_row()])],
    );
    let bytes = std::fs::read(&good).unwrap();
    let corrupt = dir.path().join("corrupt.xlsx");
    std::fs::write(&corrupt, &bytes[..bytes.len() / 2]).unwrap();
    let p = problems_at(&corrupt);
    assert!(p.starts_with("unreadable: "), "{p}");
    assert_eq!(p.lines().count(), 1, "{p}");
}

#[test]
fn size_limits_give_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "big.xlsx",
        &[facilities(), activity(vec![output_row()])],
    );
    let (f, s) = libs();
    let tiny = Limits {
        file_bytes: 100,
        ..Limits::default()
    };
    let err = read_with_limits(&path, &f, &s, &tiny)
        .unwrap_err()
        .to_string();
    assert!(err.contains("the limit is 100 bytes"), "{err}");
    let unzip = Limits {
        unzipped_bytes: 100,
        ..Limits::default()
    };
    let err = read_with_limits(&path, &f, &s, &unzip)
        .unwrap_err()
        .to_string();
    assert!(err.contains("zip bombs"), "{err}");
    let rows = Limits {
        rows: 1,
        ..Limits::default()
    };
    let err = read_with_limits(&path, &f, &s, &rows)
        .unwrap_err()
        .to_string();
    assert!(err.contains("at most 1 are read"), "{err}");
}

#[test]
fn all_findings_are_collected_in_one_run() {
    let p = problems(&[
        facilities(),
        activity(vec![
            vec![S("TB-01"), N(2022.0), S("output"), S("x"), S("t")],
            vec![S("TB-01"), N(2022.0), S("fuel.coal"), N(1.0), S("t")],
            vec![S("TB-09"), N(2022.0), S("output"), N(1.0), S("t")],
        ]),
    ]);
    assert_eq!(p.lines().count(), 3, "{p}");
}

#[test]
fn text_numbers_percent_and_full_width_digits() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "text.xlsx",
        &[
            facilities(),
            activity(vec![
                vec![S("TB-01"), N(2022.0), S("output"), S("1,000"), S("t")],
                vec![
                    S("TB-01"),
                    N(2022.0),
                    S("fuel.raw_coal"),
                    S("１７５０"),
                    S("t"),
                ],
                vec![
                    S("TB-01"),
                    N(2022.0),
                    S("fuel.raw_coal.sulfur"),
                    S("2%"),
                    Blank,
                ],
                vec![
                    S("TB-01"),
                    N(2022.0),
                    S("electricity.purchased"),
                    F("=200*2", "400"),
                    S("MWh"),
                ],
            ]),
        ],
    );
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let inv = &run.inventories[0];
    assert_eq!(inv.output, dec!(1000));
    // SO2 = 2 × 1750 t × 0.02 × (1 − 0.2) = 56 t
    assert_eq!(inv.source_total("curing_combustion", "SO2"), dec!(56.00));
    // formula cell cached value 400 MWh × 0.1404 = 56.16 t
    assert_eq!(inv.source_total("electricity", "CO2"), dec!(56.16));
}

#[test]
fn overrides_are_applied_and_marked() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "ovr.xlsx",
        &[
            facilities(),
            activity(vec![
                output_row(),
                vec![S("TB-01"), N(2022.0), S("fuel.raw_coal"), N(100.0), S("t")],
            ]),
            (
                "factors",
                vec![
                    vec![S("factor_id"), S("value"), S("unit"), S("source")],
                    vec![
                        S("so2.retention.stoker"),
                        N(0.5),
                        S("fraction"),
                        S("plant test 2022"),
                    ],
                ],
            ),
        ],
    );
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap();
    // SO2 = 2 × 100 × 1.5 % × (1 − 0.5) = 1.5 t
    assert_eq!(
        run.inventories[0].source_total("curing_combustion", "SO2"),
        dec!(1.5)
    );
    let fac = run.factors.get("so2.retention.stoker").unwrap();
    assert!(fac.origin.is_override());
    assert_eq!(fac.replaced_value, Some(dec!(0.2)));
    assert_eq!(fac.location.to_string(), "factors!B2");
}

#[test]
fn template_round_trip_equals_the_engine_called_directly() {
    let dir = tempfile::tempdir().unwrap();
    let (f, s) = libs();
    let path = dir.path().join("template.xlsx");
    coreduce::workbook::template::write_template(
        &path,
        coreduce::workbook::template::Lang::Zh,
        None,
        &s,
        false,
    )
    .unwrap();
    let run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.inventories.len(), 4);
    for inv in &run.inventories {
        let fy = run
            .study
            .facility_years
            .iter()
            .find(|x| x.facility_id == inv.facility_id)
            .unwrap();
        // The same facility-year built in code, from the same numbers.
        let mut direct = FacilityYear::new(&fy.facility_id, &fy.sector, fy.year);
        direct.technology = fy.technology.clone();
        direct.name = fy.name.clone();
        direct.city = fy.city.clone();
        for a in &fy.activity {
            direct = direct
                .with(&a.item, a.quantity.value, a.quantity.unit.symbol())
                .unwrap();
        }
        let again = inventory(&run.study.settings, &f, &s, &direct).unwrap();
        assert_eq!(again.totals.co2e, inv.totals.co2e, "{}", inv.facility_id);
        assert_eq!(again.rows.len(), inv.rows.len());
        for (a, b) in again.rows.iter().zip(&inv.rows) {
            assert_eq!((a.amount, &a.substance), (b.amount, &b.substance));
        }
    }
}

#[test]
fn reference_cases_through_a_workbook() {
    // Aluminium, NDRC 2013, SAR: anode 1 000 t × 0.42 × 0.976 × 44/12 = 1 503.04 t;
    // PFC (0.034 × 6500 + 0.0034 × 9200) × 1 000 / 1000 = 252.28 t CO2e.
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "al.xlsx",
        &[
            (
                "settings",
                vec![
                    vec![S("key"), S("value"), S("unit")],
                    vec![S("gwp"), S("SAR")],
                    vec![S("edition.aluminium"), S("ndrc2013")],
                ],
            ),
            (
                "facilities",
                vec![
                    vec![S("facility_id"), S("sector"), S("technology")],
                    vec![S("AL-1"), S("电解铝"), S("CWPB prebake cells")],
                ],
            ),
            activity(vec![vec![
                S("AL-1"),
                N(2022.0),
                S("output"),
                N(1000.0),
                S("t"),
            ]]),
        ],
    );
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let inv = &run.inventories[0];
    assert_eq!(inv.source_total("anode_co2", "CO2"), dec!(1503.04));
    assert_eq!(inv.source_total("pfc", "CO2e"), dec!(252.28));
    let co2e_sum: Decimal = inv
        .rows
        .iter()
        .filter(|r| r.substance == "CO2e" && r.in_view)
        .map(|r| r.amount)
        .sum();
    assert_eq!(co2e_sum, inv.totals.co2e);
}

fn facility_row(sector: &'static str, technology: &'static str, city: &'static str) -> Sheet {
    (
        "facilities",
        vec![
            vec![
                S("facility_id"),
                S("name"),
                S("sector"),
                S("technology"),
                S("city"),
            ],
            vec![S("F-01"), S("plant"), S(sector), S(technology), S(city)],
        ],
    )
}

fn f01(item: &'static str, value: f64, unit: &'static str) -> Vec<C> {
    vec![S("F-01"), N(2022.0), S(item), N(value), S(unit)]
}

#[test]
fn ambiguous_county_lists_its_prefectures() {
    let p = problems(&[
        facility_row("tobacco", "coal_bulk_barn", "市中区"),
        activity(vec![f01("output", 100.0, "t")]),
    ]);
    insta::assert_snapshot!("ambiguous_county", p);
}

#[test]
fn unknown_technology_where_the_method_needs_it() {
    let p = problems(&[
        (
            "settings",
            vec![
                vec![S("key"), S("value")],
                vec![S("edition.aluminium"), S("ipcc2006")],
            ],
        ),
        facility_row("aluminium", "magic cells", "guangyuan"),
        activity(vec![
            f01("output", 1000.0, "t"),
            f01("pfc.aem", 0.2, "min/cell-day"),
        ]),
    ]);
    insta::assert_snapshot!("unknown_technology_method_needs_it", p);
}

#[test]
fn unknown_technology_elsewhere_is_inferred_from_the_fuels_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "study.xlsx",
        &[
            facility_row("baijiu", "old chain-grate thing", "Gulin"),
            activity(vec![
                f01("output", 1000.0, "t"),
                f01("fuel.raw_coal", 1400.0, "t"),
            ]),
        ],
    );
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap();
    assert_eq!(run.inventories[0].technology, "coal_boiler");
    assert_eq!(run.inventories[0].city.as_deref(), Some("luzhou"));
    assert_eq!(run.inventories[0].county.as_deref(), Some("古蔺县"));
    let notice = run
        .study
        .notices
        .iter()
        .find(|n| n.en.contains("technology"))
        .unwrap();
    assert_eq!(
        notice.en,
        "facilities!D2: technology 'old chain-grate thing' of F-01 is not one baijiu knows; 'coal_boiler' is used, inferred from its fuel.raw_coal"
    );
    assert_eq!(
        notice.get(coreduce::Lang::Zh),
        "facilities!D2：设施 F-01 的技术“old chain-grate thing”不在 baijiu 行业的技术列表中；采用“coal_boiler”，由其燃料 fuel.raw_coal 推断"
    );
}

#[test]
fn missing_settings_sheet_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_as_given(
        dir.path(),
        "study.xlsx",
        &[facilities(), activity(vec![output_row()])],
    );
    insta::assert_snapshot!("missing_settings_sheet", problems_at(&path));
}

#[test]
fn missing_settings_keys_fall_back_to_defaults_said_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "study.xlsx",
        &[
            facilities(),
            activity(vec![
                output_row(),
                vec![S("TB-01"), N(2021.0), S("output"), N(90.0), S("t")],
            ]),
        ],
    );
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap();
    // gwp is given by the helper's settings sheet; the others are defaults
    assert_eq!(
        run.study.notices.iter().map(|n| n.en.as_str()).collect::<Vec<_>>(),
        vec![
            "settings: no 'grid_factor'; the default grid.sc.avg (Sichuan's average grid factor of each year) is used",
            "settings: no 'view'; the default footprint (scope 1 + 2) is used",
            "settings: no 'base_year'; the latest year of the activity sheet, 2022, is the base year of roadmap, measures and uncertainty (the other years are not added to it)",
        ]
    );
    let base = run.base_year_only();
    assert_eq!(base.inventories.len(), 1);
    assert_eq!(base.inventories[0].year, 2022);
    // said once: restricting to the base year adds no second notice
    assert_eq!(base.study.notices.len(), 3, "{:?}", base.study.notices);
}

#[test]
fn annual_rates_and_percent_formats_in_activity() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "study.xlsx",
        &[
            facility_row("tobacco", "密集烤房", "凉山州会理市"),
            activity(vec![
                f01("output", 0.05, "万吨/年"),
                f01("fuel.raw_coal", 875.0, "t/a"),
                f01("fuel.raw_coal.sulfur", 1.5, "%"),
            ]),
        ],
    );
    let (f, s) = libs();
    let run = run_workbook(&path, &f, &s).unwrap();
    let inv = &run.inventories[0];
    assert_eq!(inv.output, dec!(500));
    assert_eq!(inv.technology, "coal_bulk_barn");
    assert_eq!(inv.county.as_deref(), Some("会理市"));
    // SO2 = 2 × 875 × 1.5 % × (1 − 0.2) = 21 t
    assert_eq!(
        inv.source_total("curing_combustion", "SO2").normalize(),
        dec!(21)
    );
}

#[test]
fn base_year_without_activity_is_an_error() {
    let p = problems(&[
        (
            "settings",
            vec![vec![S("key"), S("value")], vec![S("base_year"), N(2019.0)]],
        ),
        facilities(),
        activity(vec![output_row()]),
    ]);
    insta::assert_snapshot!(p, @"settings!A2: base_year 2019 has no activity rows (the activity sheet has 2022): roadmap, measures and uncertainty start from the base year's activity");
}

/// A facility whose own row is refused (an unknown sector) is one finding,
/// at that row: its activity rows are not each reported as a facility
/// missing from the facilities sheet, which it is not.
#[test]
fn a_facility_with_a_bad_sector_is_one_finding_not_one_per_activity_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("study.xlsx");
    crate::common::Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "name", "sector", "technology", "city"],
            &[
                row!["AL-1", "Smelter", "alumnium", "cwpb", "Guangyuan"],
                row!["TB-1", "Barn", "tobacco", "heat_pump_barn", "Liangshan"],
            ],
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &[
                row!["AL-1", 2022, "output", 1000, "t"],
                row!["AL-1", 2022, "electricity.purchased", 13500, "MWh"],
                row!["TB-1", 2022, "output", 10, "t"],
                row!["TB-9", 2022, "output", 10, "t"],
            ],
        )
        .save(&path);
    let (f, s) = crate::common::libs();
    let err = coreduce::workbook::read(&path, &f, &s)
        .unwrap_err()
        .to_string();
    assert!(err.contains("2 problems found"), "{err}");
    assert!(
        err.contains("facilities!C2: unknown sector 'alumnium'"),
        "{err}"
    );
    assert!(
        err.contains("activity!A5: facility 'TB-9' is not listed"),
        "{err}"
    );
    assert!(!err.contains("'AL-1' is not listed"), "{err}");
}
