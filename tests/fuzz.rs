//! Fuzzing on stable Rust (issue 18): proptest generates workbooks with
//! rust_xlsxwriter — random sheets (settings, facilities, activity, factors,
//! measures), random cell types (numbers huge, tiny, negative; text that looks
//! like a number, NaN or infinity; long and non-Latin strings; booleans;
//! empty cells) and random sizes — and runs each through the entry points the
//! CLI uses: `validate`/`inventory` (`run_workbook`), then `measures`,
//! `roadmap` (some cases) and `uncertainty` (2 runs) on the results.
//!
//! Asserted: no panic (proptest reports and shrinks one), bounded time, and
//! either a result or an error that names its place.
//!
//! Runs 64 cases by default (well under a minute in a debug build); run longer
//! with `PROPTEST_CASES=10000 cargo test --release --test fuzz`.

use coreduce::graph::SectorLibrary;
use coreduce::measures::MeasureLibrary;
use coreduce::workbook::{run_workbook, WorkbookError};
use coreduce::{Error, FactorLibrary, Location};
use proptest::prelude::*;
use rust_xlsxwriter::Workbook;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn libs() -> &'static (FactorLibrary, SectorLibrary, MeasureLibrary) {
    static L: OnceLock<(FactorLibrary, SectorLibrary, MeasureLibrary)> = OnceLock::new();
    L.get_or_init(|| {
        let f = FactorLibrary::embedded().unwrap();
        let s = SectorLibrary::embedded(&f).unwrap();
        let m = MeasureLibrary::embedded(&s).unwrap();
        (f, s, m)
    })
}

#[derive(Debug, Clone)]
enum Cell {
    Empty,
    Num(f64),
    Text(String),
    Bool(bool),
}

/// Text from a vocabulary (so that cases get past the first checks) or
/// arbitrary: long, unicode, control characters, number-like.
fn text(words: &'static [&'static str]) -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(words).prop_map(str::to_string),
        1 => proptest::sample::select(&[
            "NaN", "nan", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e15", "1e16",
            "79228162514264337593543950335", "79228162514264337593543950336",
            "-79228162514264337593543950335", "0.0000000000000000000000000001",
            "1,234.5", "1 234,5", "1,2", ",5", "1.234,5", "--1", "+5", "5%", "150%",
            "=1+1", "@SUM(A1)", "", " ", "\t", "０", "一", "١٢", "e5", ".", "-", "1e-30",
        ][..]).prop_map(str::to_string),
        1 => "\\PC{0,40}",
        1 => "[a-z:/\\\\?*\\[\\]]{0,12}",
        1 => (1usize..40_000).prop_map(|n| "长".repeat(n)),
    ]
}

fn number() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0f64..1e6,
        1 => -1e6f64..0.0,
        1 => proptest::sample::select(&[
            0.0, -0.0, 1e15, 1e16, 1e20, 1e27, 1e28, 7.9e28, 1e30, 1e300, -1e300, 1e-30,
            5e-324, f64::MAX, f64::MIN, 0.5, 1.0, 2.0, 100.0, 2022.0, 1900.0, 99999.0,
        ][..]),
        1 => any::<f64>().prop_filter("finite", |x| x.is_finite()),
    ]
}

fn cell(words: &'static [&'static str]) -> impl Strategy<Value = Cell> {
    prop_oneof![
        1 => Just(Cell::Empty),
        3 => number().prop_map(Cell::Num),
        4 => text(words).prop_map(Cell::Text),
        1 => any::<bool>().prop_map(Cell::Bool),
    ]
}

const KEYS: &[&str] = &[
    "study",
    "base_year",
    "gwp",
    "grid_factor",
    "view",
    "language",
    "lambda",
    "discount_rate",
    "heat_factor",
    "edition.aluminium",
    "edition.baijiu",
    "AR5",
    "AR6",
    "footprint",
    "compliance",
    "grid.sc.avg",
    "tCO2/MWh",
    "en",
    "zh",
];
const FACILITY: &[&str] = &[
    "AL-01",
    "BJ-01",
    "TB-01",
    "CE-01",
    "aluminium",
    "baijiu",
    "tobacco",
    "ceramics",
    "cwpb",
    "gas_boiler",
    "coal_bulk_barn",
    "roller_kiln_coal_spray",
    "electric_kiln",
    "leshan",
    "chengdu",
    "t",
    "万t",
];
const ACTIVITY: &[&str] = &[
    "AL-01",
    "BJ-01",
    "TB-01",
    "CE-01",
    "output",
    "electricity.purchased",
    "electricity.exported",
    "heat.purchased",
    "fuel.natural_gas",
    "fuel.raw_coal",
    "fuel.diesel",
    "anode.net_consumption",
    "anode.sulfur",
    "anode.ash",
    "pfc.aem",
    "limestone",
    "wastewater.cod_removed",
    "biogas.ch4_recovered",
    "fertiliser.n",
    "discharge.cod",
    "emission.CO2",
    "stack.flow",
    "stack.SO2.concentration",
    "control.SO2.efficiency",
    "fuel.raw_coal.ncv",
    "fuel.raw_coal.oxidation",
    "t",
    "MWh",
    "kWh",
    "10^4 Nm3",
    "GJ",
    "AEM",
    "%",
    "kg",
    "m2",
    "t/t",
    "mg/m3",
    "Nm3",
    "2022",
    "2023",
];
const FACTORS: &[&str] = &[
    "grid.sc.avg.2022",
    "gwp.ar5.cf4",
    "pev.air.so2",
    "fuel.gb.natural_gas.ncv",
    "heat.default",
    "const.tce.electricity_equivalent",
    "tCO2/MWh",
    "t/t",
    "kg/eq",
    "GJ/10^4 Nm3",
    "fraction",
    "source",
];
const MEASURES: &[&str] = &[
    "M1",
    "M2",
    "tobacco",
    "aluminium",
    "scale",
    "switch",
    "control",
    "capex",
    "om_change",
    "lifetime",
    "green_power",
    "set_factor",
    "curing_barn",
    "fuel.*",
    "electricity.purchased",
    "CNY/t",
    "CNY",
    "",
];

type Sheet = (String, Vec<String>, Vec<Vec<Cell>>);

/// A sheet: maybe absent, header usually right, 0..8 rows of random cells.
fn sheet(
    name: &'static str,
    header: &'static [&'static str],
    words: &'static [&'static str],
) -> impl Strategy<Value = Option<Sheet>> {
    let width = header.len();
    let rows = proptest::collection::vec(proptest::collection::vec(cell(words), width), 0..8);
    let head = prop_oneof![
        8 => Just(header.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        1 => proptest::collection::vec(text(words), width),
    ];
    proptest::option::weighted(
        0.85,
        (head, rows).prop_map(move |(h, r)| (name.to_string(), h, r)),
    )
}

fn workbook() -> impl Strategy<Value = (Vec<Sheet>, bool)> {
    (
        sheet("settings", &["key", "value", "unit"], KEYS),
        sheet(
            "facilities",
            &[
                "facility_id",
                "name",
                "sector",
                "technology",
                "city",
                "capacity",
                "capacity_unit",
            ],
            FACILITY,
        ),
        sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit", "note"],
            ACTIVITY,
        ),
        sheet(
            "factors",
            &["factor_id", "value", "unit", "source"],
            FACTORS,
        ),
        sheet(
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
            MEASURES,
        ),
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(a, b, c, d, e, roadmap)| {
            ([a, b, c, d, e].into_iter().flatten().collect(), roadmap)
        })
}

fn write(path: &std::path::Path, sheets: &[Sheet]) {
    let mut wb = Workbook::new();
    for (name, head, rows) in sheets {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        for (c, h) in head.iter().enumerate() {
            // Headers longer than a cell holds are cut (the generator's limit, not the engine's).
            let h: String = h.chars().take(32_000).collect();
            ws.write_string(0, c as u16, &h).unwrap();
        }
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, x) in row.iter().enumerate() {
                let c = c as u16;
                match x {
                    Cell::Empty => {}
                    Cell::Num(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    Cell::Text(t) => {
                        let t: String = t.chars().take(32_000).collect();
                        ws.write_string(r, c, &t).unwrap();
                    }
                    Cell::Bool(b) => {
                        ws.write_boolean(r, c, *b).unwrap();
                    }
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// An error must say where: a cell, a sheet, a file line or the facility-year.
fn located_error(e: &Error) -> Result<(), String> {
    match e {
        Error::Data(d) => located(&d.location, &d.to_string()),
        Error::Invalid(ds) => ds
            .iter()
            .try_for_each(|d| located(&d.location, &d.to_string())),
        // Messages about a request (a measure or scenario setting) name it.
        Error::Request(m) if !m.is_empty() => Ok(()),
        other => Err(format!("an error without a place: {other:?}")),
    }
}

fn located(l: &Location, text: &str) -> Result<(), String> {
    match l {
        Location::Api { what } if what.is_empty() => Err(format!("empty place: {text}")),
        Location::File { path, .. } if path.is_empty() => Err(format!("empty place: {text}")),
        _ => Ok(()),
    }
}

fn run_case(sheets: &[Sheet], roadmap: bool) -> Result<(), String> {
    let (lib, sectors, library) = libs();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("fuzz.xlsx");
    write(&path, sheets);
    let run = match run_workbook(&path, lib, sectors) {
        Ok(run) => run,
        Err(WorkbookError::Invalid { findings, .. }) => {
            if findings.is_empty() {
                return Err("an invalid workbook with no finding".into());
            }
            for f in &findings {
                located(&f.location, &f.to_string())?;
            }
            return Ok(());
        }
        Err(WorkbookError::Unreadable { path, reason }) => {
            return if path.is_empty() || reason.is_empty() {
                Err("unreadable without a reason".into())
            } else {
                Ok(())
            };
        }
    };
    let ms = coreduce::measures::settings_for(&run.study, &run.factors);
    if let Err(e) = coreduce::measures::report(&run, sectors, library, &ms) {
        return located_error(&e);
    }
    if roadmap {
        match coreduce::measures::all_measures(&run.study, sectors, library) {
            Err(e) => located_error(&e)?,
            Ok(measures) => {
                if let Err(e) =
                    coreduce::roadmap::run(&run.study, &run.factors, sectors, &measures, &ms)
                {
                    located_error(&e)?;
                }
            }
        }
    }
    if let Err(e) = coreduce::uncertainty::monte_carlo(
        &run.study.settings,
        &run.factors,
        sectors,
        &run.study.facility_years,
        &run.inventories,
        2,
        7,
        &|| {},
    ) {
        located_error(&e)?;
    }
    Ok(())
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(64)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(),
        max_shrink_iters: 2000,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_workbooks_give_a_result_or_a_located_error((sheets, roadmap) in workbook()) {
        let started = Instant::now();
        let r = run_case(&sheets, roadmap);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        // Bounded time: generous for a debug build on a busy machine.
        prop_assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    }
}
