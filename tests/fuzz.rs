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
//! with `PROPTEST_CASES=10000 cargo test --release --test suite fuzz::`.

// FUZZ_VERBOSE=1 reports each case on stderr.
#![allow(clippy::print_stderr)]

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

/// Words per column: settings.
const SETTINGS: &[&[&str]] = &[
    &[
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
        "edition.tobacco",
    ],
    &[
        "AR5",
        "AR6",
        "SAR",
        "footprint",
        "compliance",
        "grid.sc.avg",
        "heat.default",
        "en",
        "zh",
        "2022",
        "0.5",
        "0.08",
        "1e15",
        "1e16",
        "79228162514264337593543950335",
    ],
    &["tCO2/MWh", "kgCO2/kWh", "t/t", "", "%"],
];
const FACILITIES: &[&[&str]] = &[
    &["AL-01", "BJ-01", "TB-01", "CE-01", "XX-01"],
    &["a plant", "厂", ""],
    &["aluminium", "baijiu", "tobacco", "ceramics", "steel"],
    &[
        "cwpb",
        "vss",
        "gas_boiler",
        "coal_boiler",
        "coal_bulk_barn",
        "roller_kiln_coal_spray",
        "electric_kiln",
        "gasifier_kiln",
        "",
    ],
    &["leshan", "chengdu", "yibin", ""],
    &["100", "0", "-5"],
    &["t", "万t", "m2", ""],
];
const ACTIVITY: &[&[&str]] = &[
    &["AL-01", "BJ-01", "TB-01", "CE-01"],
    &["2022", "2022", "2023"],
    &[
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
        "carbonate.caco3",
        "wastewater.cod_removed",
        "wastewater.cod_sludge",
        "biogas.ch4_recovered",
        "fertiliser.n",
        "discharge.cod",
        "emission.CO2",
        "emission.SO2",
        "stack.flow",
        "stack.SO2.concentration",
        "stack.o2",
        "stack.o2_ref",
        "control.SO2.efficiency",
        "fuel.raw_coal.ncv",
        "fuel.raw_coal.oxidation",
        "fuel.natural_gas@kiln",
        "electricity.purchased@electrolysis",
    ],
    &[
        "1", "100", "0.5", "0", "2670000", "1e6", "1e15", "1e16", "1e27", "12.5", "0.99",
    ],
    &[
        "t", "MWh", "kWh", "万kWh", "10^4 Nm3", "Nm3", "GJ", "AEM", "%", "kg", "m2", "t/t",
        "mg/m3", "fraction", "GJ/t", "tC/TJ", "MWh/t",
    ],
    &["note", ""],
];
const FACTORS: &[&[&str]] = &[
    &[
        "grid.sc.avg.2022",
        "gwp.ar5.cf4",
        "gwp.ar5.ch4",
        "pev.air.so2",
        "pev.water.cod",
        "heat.default",
        "const.tce.electricity_equivalent",
        "fuel.gb.raw_coal.of",
    ],
    &["0.5", "1", "0", "1e15", "1e16", "0.0000001", "25000"],
    &["tCO2/MWh", "t/t", "kg/eq", "tCO2/GJ", "fraction", "tce/MWh"],
    &["source", ""],
];
const MEASURES: &[&[&str]] = &[
    &["M1", "M2", "@M3"],
    &["tobacco", "aluminium", "baijiu", "ceramics"],
    &["a measure", "=cmd"],
    &[
        "scale",
        "switch",
        "control",
        "capex",
        "om_change",
        "lifetime",
        "green_power",
        "set_factor",
        "scale_factor",
        "add",
    ],
    &["curing_barn", "electrolysis", ""],
    &[
        "fuel.*",
        "electricity.purchased",
        "SO2",
        "fuel.raw_coal",
        "grid.sc.avg.2022",
        "",
    ],
    &[
        "0.5", "1000", "10", "0", "1", "2", "-5", "900", "1e15", "1e27",
    ],
    &["CNY/t", "CNY", "", "fraction", "t/t"],
];

/// A valid study that random rows are added to, so that cases get past the
/// first checks and reach the engine.
const BASE_FACILITIES: &[&[&str]] = &[
    &["AL-01", "AL", "aluminium", "cwpb"],
    &["BJ-01", "BJ", "baijiu", "gas_boiler"],
    &["TB-01", "TB", "tobacco", "coal_bulk_barn"],
    &["CE-01", "CE", "ceramics", "roller_kiln_coal_spray"],
];
const BASE_ACTIVITY: &[&[&str]] = &[
    &["AL-01", "2022", "output", "200000", "t"],
    &["BJ-01", "2022", "output", "10000", "t"],
    &["TB-01", "2022", "output", "500", "t"],
    &["CE-01", "2022", "output", "1000000", "m2"],
];

type Sheet = (String, Vec<String>, Vec<Vec<Cell>>);

fn base_cell(t: &str) -> Cell {
    match t.parse::<f64>() {
        Ok(n) => Cell::Num(n),
        Err(_) => Cell::Text(t.to_string()),
    }
}

/// A sheet: maybe absent, header usually right, the base rows (usually) and
/// 0..8 random rows, each column from its words or any cell.
fn sheet(
    name: &'static str,
    header: &'static [&'static str],
    words: &'static [&'static [&'static str]],
    base: &'static [&'static [&'static str]],
) -> impl Strategy<Value = Option<Sheet>> {
    // Mostly words of the column (so that a case is often valid as a whole
    // and reaches the engine), sometimes any cell.
    let row = words
        .iter()
        .map(|w| {
            let w: &'static [&'static str] = w;
            prop_oneof![
                10 => proptest::sample::select(w).prop_map(base_cell),
                1 => cell(w),
            ]
            .boxed()
        })
        .collect::<Vec<_>>();
    let rows = proptest::collection::vec(row, 0..6);
    let all: Vec<&'static str> = words.iter().flat_map(|w| w.iter().copied()).collect();
    let all: &'static [&'static str] = Box::leak(all.into_boxed_slice());
    let head = prop_oneof![
        8 => Just(header.iter().map(|s| s.to_string()).collect::<Vec<_>>()),
        1 => proptest::collection::vec(text(all), header.len()),
    ];
    let with_base = proptest::bool::weighted(0.8);
    proptest::option::weighted(
        0.9,
        (head, rows, with_base).prop_map(move |(h, r, b)| {
            let mut all_rows: Vec<Vec<Cell>> = Vec::new();
            if b {
                all_rows.extend(
                    base.iter()
                        .map(|row| row.iter().map(|t| base_cell(t)).collect()),
                );
            }
            all_rows.extend(r);
            (name.to_string(), h, all_rows)
        }),
    )
}

fn workbook() -> impl Strategy<Value = (Vec<Sheet>, bool)> {
    (
        sheet("settings", &["key", "value", "unit"], SETTINGS, &[]),
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
            FACILITIES,
            BASE_FACILITIES,
        ),
        sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit", "note"],
            ACTIVITY,
            BASE_ACTIVITY,
        ),
        sheet(
            "factors",
            &["factor_id", "value", "unit", "source"],
            FACTORS,
            &[],
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
            &[],
        ),
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(a, b, c, d, e, roadmap)| {
            ([a, b, c, d, e].into_iter().flatten().collect(), roadmap)
        })
}

/// A value: mostly plausible, sometimes extreme or text.
fn value() -> impl Strategy<Value = Cell> {
    prop_oneof![
        6 => (0.0f64..1e6).prop_map(Cell::Num),
        3 => number().prop_map(Cell::Num),
        1 => text(&["1e15", "1e16", "79228162514264337593543950335", "0", "-1"]).prop_map(Cell::Text),
    ]
}

fn t(s: &str) -> Cell {
    Cell::Text(s.to_string())
}

/// A nearly valid study: the four sample facilities with their outputs, and
/// random rows whose words fit together (items with units of their kind,
/// factors with their units, whole measures) but whose values are random.
fn near_valid() -> impl Strategy<Value = (Vec<Sheet>, bool)> {
    const PAIRS: &[(&str, &str)] = &[
        ("electricity.purchased", "MWh"),
        ("electricity.purchased@electrolysis", "MWh"),
        ("electricity.exported", "MWh"),
        ("heat.purchased", "GJ"),
        ("fuel.natural_gas", "10^4 Nm3"),
        ("fuel.raw_coal", "t"),
        ("fuel.raw_coal", "t/t"),
        ("fuel.diesel", "t"),
        ("anode.net_consumption", "t"),
        ("anode.sulfur", "%"),
        ("pfc.aem", "AEM"),
        ("limestone", "t"),
        ("carbonate.caco3", "t"),
        ("wastewater.cod_removed", "t"),
        ("wastewater.cod_sludge", "t"),
        ("biogas.ch4_recovered", "t"),
        ("fertiliser.n", "t"),
        ("discharge.cod", "t"),
        ("emission.CO2", "t"),
        ("emission.SO2", "t"),
        ("stack.flow", "Nm3"),
        ("stack.SO2.concentration", "mg/m3"),
        ("control.SO2.efficiency", "%"),
        ("fuel.raw_coal.ncv", "GJ/t"),
        ("fuel.raw_coal.oxidation", "fraction"),
        ("fuel.raw_coal.sulfur", "fraction"),
    ];
    const FIDS: &[&str] = &["AL-01", "BJ-01", "TB-01", "CE-01"];
    const SET: &[(&str, &str, &str)] = &[
        ("gwp", "AR6", ""),
        ("view", "compliance", ""),
        ("grid_factor", "", "tCO2/MWh"),
        ("grid_factor", "grid.sc.avg", ""),
        ("lambda", "", ""),
        ("discount_rate", "", ""),
    ];
    const FAC: &[(&str, &str)] = &[
        ("grid.sc.avg.2022", "tCO2/MWh"),
        ("gwp.ar5.cf4", "t/t"),
        ("gwp.ar5.ch4", "t/t"),
        ("pev.air.so2", "kg/eq"),
        ("heat.default", "tCO2/GJ"),
        ("const.tce.electricity_equivalent", "tce/MWh"),
    ];
    const MEAS: &[(&str, &str, &str, &str)] = &[
        ("tobacco", "scale", "curing_barn", "fuel.*"),
        ("tobacco", "scale", "", "electricity.purchased"),
        ("aluminium", "scale", "", "electricity.purchased"),
        ("aluminium", "green_power", "", ""),
        ("baijiu", "scale", "", "fuel.*"),
        ("ceramics", "control", "", "SO2"),
    ];
    let activity = proptest::collection::vec(
        (
            proptest::sample::select(FIDS),
            proptest::sample::select(PAIRS),
            value(),
        ),
        0..6,
    );
    let settings = proptest::collection::vec((proptest::sample::select(SET), value()), 0..3);
    let factors = proptest::collection::vec((proptest::sample::select(FAC), value()), 0..2);
    let measures = proptest::collection::vec(
        (
            proptest::sample::select(MEAS),
            value(),
            value(),
            prop_oneof![
                4 => proptest::sample::select(&[1.0, 10.0, 20.0, 900.0][..]).prop_map(Cell::Num),
                1 => value(),
            ],
        ),
        0..3,
    );
    (
        activity,
        settings,
        factors,
        measures,
        proptest::bool::weighted(0.3),
    )
        .prop_map(|(activity, settings, factors, measures, roadmap)| {
            let head = |h: &[&str]| h.iter().map(|s| s.to_string()).collect::<Vec<_>>();
            let mut sheets = Vec::new();
            let rows = settings
                .into_iter()
                .map(|((k, v, u), x)| vec![t(k), if v.is_empty() { x } else { t(v) }, t(u)])
                .collect();
            sheets.push((
                "settings".to_string(),
                head(&["key", "value", "unit"]),
                rows,
            ));
            let rows = BASE_FACILITIES
                .iter()
                .map(|r| r.iter().map(|x| t(x)).collect())
                .collect();
            sheets.push((
                "facilities".to_string(),
                head(&["facility_id", "name", "sector", "technology"]),
                rows,
            ));
            let mut rows: Vec<Vec<Cell>> = BASE_ACTIVITY
                .iter()
                .map(|r| r.iter().map(|x| base_cell(x)).collect())
                .collect();
            rows.extend(
                activity
                    .into_iter()
                    .map(|(f, (i, u), v)| vec![t(f), Cell::Num(2022.0), t(i), v, t(u)]),
            );
            sheets.push((
                "activity".to_string(),
                head(&["facility_id", "year", "item", "value", "unit"]),
                rows,
            ));
            let rows = factors
                .into_iter()
                .map(|((id, u), v)| vec![t(id), v, t(u), t("fuzz")])
                .collect();
            sheets.push((
                "factors".to_string(),
                head(&["factor_id", "value", "unit", "source"]),
                rows,
            ));
            let mut rows = Vec::new();
            for (k, ((sector, field, node, target), v, capex, life)) in
                measures.into_iter().enumerate()
            {
                let id = format!("M{k}");
                rows.push(vec![
                    t(&id),
                    t(sector),
                    t("m"),
                    t(field),
                    t(node),
                    t(target),
                    v,
                    t(""),
                ]);
                rows.push(vec![
                    t(&id),
                    t(sector),
                    t("m"),
                    t("capex"),
                    t(""),
                    t(""),
                    capex,
                    t("CNY/t"),
                ]);
                rows.push(vec![
                    t(&id),
                    t(sector),
                    t("m"),
                    t("lifetime"),
                    t(""),
                    t(""),
                    life,
                    t(""),
                ]);
            }
            sheets.push((
                "measures".to_string(),
                head(&[
                    "measure_id",
                    "sector",
                    "name",
                    "field",
                    "node",
                    "target",
                    "value",
                    "unit",
                ]),
                rows,
            ));
            (sheets, roadmap)
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
        Error::Request(m) if !m.en.is_empty() => Ok(()),
        other => Err(format!("an error without a place: {other:?}")),
    }
}

fn located(l: &Location, text: &str) -> Result<(), String> {
    match l {
        Location::Api { what } if what.en.is_empty() => Err(format!("empty place: {text}")),
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
            verbose(&format!("invalid: {}", findings[0]));
            for f in &findings {
                located(&f.location, &f.to_string())?;
            }
            return Ok(());
        }
        Err(WorkbookError::Unreadable { path, reason }) => {
            return if path.is_empty() || reason.en.is_empty() {
                Err("unreadable without a reason".into())
            } else {
                Ok(())
            };
        }
    };
    verbose(&format!("computed {} inventories", run.inventories.len()));
    let ms = coreduce::measures::settings_for(&run.study, &run.factors);
    if let Err(e) = coreduce::measures::report(&run, sectors, library, &ms) {
        verbose(&format!("measures: {e}"));
        return located_error(&e);
    }
    if roadmap {
        match coreduce::measures::all_measures(&run.study, sectors, library, &run.factors) {
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

/// With `FUZZ_VERBOSE=1`, one line per case on how far it got.
fn verbose(what: &str) {
    if std::env::var_os("FUZZ_VERBOSE").is_some() {
        let line: String = what.chars().take(160).collect();
        eprintln!("fuzz: {}", line.replace('\n', " "));
    }
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
    fn random_workbooks_give_a_result_or_a_located_error(
        (sheets, roadmap) in prop_oneof![near_valid(), workbook()]
    ) {
        let started = Instant::now();
        let r = run_case(&sheets, roadmap);
        prop_assert!(r.is_ok(), "{}", r.unwrap_err());
        // Bounded time: generous for a debug build on a busy machine.
        prop_assert!(started.elapsed() < Duration::from_secs(60), "took {:?}", started.elapsed());
    }
}
