//! Helpers shared by the integration tests: the embedded libraries, and
//! workbooks written cell by cell with rust_xlsxwriter (the way another
//! program writes them), so a test states its sheets as data.
#![allow(dead_code)] // each test file uses a part

use coreduce::graph::SectorLibrary;
use coreduce::FactorLibrary;
use rust_xlsxwriter::Workbook;
use std::path::Path;

/// The embedded factor library and sector graphs.
pub fn libs() -> (FactorLibrary, SectorLibrary) {
    let f = FactorLibrary::embedded().unwrap_or_else(|e| panic!("{e}"));
    let s = SectorLibrary::embedded(&f).unwrap_or_else(|e| panic!("{e}"));
    (f, s)
}

/// The embedded libraries with the measure library, built once for the
/// whole test binary.
pub struct Libs {
    pub f: FactorLibrary,
    pub s: SectorLibrary,
    pub m: coreduce::measures::MeasureLibrary,
}

pub fn shared_libs() -> &'static Libs {
    static L: std::sync::OnceLock<Libs> = std::sync::OnceLock::new();
    L.get_or_init(|| {
        let (f, s) = libs();
        let m = coreduce::measures::MeasureLibrary::embedded(&s).unwrap_or_else(|e| panic!("{e}"));
        Libs { f, s, m }
    })
}

/// The sample workbook (`examples/sichuan-sample.xlsx`) read and computed.
pub fn sample_run(f: &FactorLibrary, s: &SectorLibrary) -> coreduce::workbook::WorkbookRun {
    coreduce::workbook::run_workbook(
        std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/examples/sichuan-sample.xlsx"
        )),
        f,
        s,
    )
    .unwrap()
}

/// A measure of the embedded library.
pub fn library_measure(id: &str) -> &'static coreduce::measures::Measure {
    shared_libs()
        .m
        .get(id)
        .unwrap_or_else(|| panic!("no measure {id}"))
}

/// A library measure alone at its maximum penetration on one facility-year,
/// with the default metric settings (and `pollutant` on the co-control
/// axis where given).
pub fn evaluate_alone(
    id: &str,
    fy: &coreduce::accounting::FacilityYear,
    pollutant: Option<&str>,
) -> coreduce::measures::Evaluation {
    let l = shared_libs();
    let st = coreduce::accounting::Settings::default();
    let base = coreduce::accounting::inventory(&st, &l.f, &l.s, fy).unwrap();
    let mut ms = coreduce::measures::MetricSettings::defaults(&l.f);
    if let Some(p) = pollutant {
        ms.pollutant = p.into();
    }
    coreduce::measures::evaluate(
        (id, "", ""),
        &[library_measure(id)],
        None,
        &st,
        &l.f,
        &l.s,
        std::slice::from_ref(fy),
        &[base],
        &ms,
    )
    .unwrap()
}

/// One cell as a spreadsheet holds it.
#[derive(Debug, Clone, Copy)]
pub enum Cell<'a> {
    Text(&'a str),
    Number(f64),
    Empty,
}

impl<'a> From<&'a str> for Cell<'a> {
    fn from(s: &'a str) -> Self {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}
impl From<f64> for Cell<'_> {
    fn from(x: f64) -> Self {
        Cell::Number(x)
    }
}
impl From<i32> for Cell<'_> {
    fn from(x: i32) -> Self {
        Cell::Number(x.into())
    }
}

/// A row of cells: `row!["TB-01", 2022, "output", 100, "t"]`.
#[macro_export]
macro_rules! row {
    ($($x:expr),* $(,)?) => { vec![$($crate::common::Cell::from($x)),*] };
}

/// A workbook being written sheet by sheet.
pub struct Book(pub Workbook);

impl Book {
    pub fn new() -> Self {
        Book(Workbook::new())
    }

    /// A sheet: its header row, then the rows.
    pub fn sheet(mut self, name: &str, header: &[&str], rows: &[Vec<Cell<'_>>]) -> Self {
        let ws = self.0.add_worksheet().set_name(name).unwrap();
        for (c, h) in header.iter().enumerate() {
            ws.write_string(0, c as u16, *h).unwrap();
        }
        for (r, cells) in rows.iter().enumerate() {
            for (c, cell) in cells.iter().enumerate() {
                let (r, c) = (r as u32 + 1, c as u16);
                match cell {
                    Cell::Text(s) => ws.write_string(r, c, *s).map(|_| ()).unwrap(),
                    Cell::Number(x) => ws.write_number(r, c, *x).map(|_| ()).unwrap(),
                    Cell::Empty => {}
                }
            }
        }
        self
    }

    /// The `settings` sheet every study needs (AR5).
    pub fn settings(self) -> Self {
        self.sheet(
            "settings",
            &["key", "value"],
            &[vec![Cell::Text("gwp"), Cell::Text("AR5")]],
        )
    }

    pub fn save(mut self, path: &Path) {
        self.0.save(path).unwrap();
    }
}

/// A workbook with exactly one finding, at `activity!D2`: a tile plant's
/// output in t (ceramics output is an area).
pub fn ceramics_output_in_tonnes(path: &Path) {
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector"],
            &[row!["CE-01", "ceramics"]],
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &[row!["CE-01", 2022, "output", 1000, "t"]],
        )
        .save(path);
}

/// Every `.rs` file under `dir` (the source checks read them).
pub fn sources(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The `coreduce` binary under an English locale: what it prints follows the
/// terminal's language where neither `--lang` nor the workbook says one, and
/// the tests compare English text.
pub fn coreduce_command() -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_coreduce"));
    c.env("LANG", "C")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES");
    c
}
