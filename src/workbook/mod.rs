//! Workbook v1 in: reading a study from xlsx, xlsm, xls or ods (calamine)
//! into typed settings, facilities and facility-years, with every problem
//! collected and named by sheet and cell (`activity!D7`). No arithmetic here
//! beyond turning cell text into exact decimals.
//!
//! Numbers stored by a spreadsheet as binary doubles are read through their
//! shortest round-trip decimal text, which is the text the file holds (`0.1`
//! stays 0.1); numbers written as text (`1,234.5`, `2%`, full-width digits)
//! are parsed from the text. A cell with a percent number format (Excel's
//! `2%`, stored as 0.02) is a fraction whatever its unit column says; where
//! the formats cannot be read (xls), a value ≤ 1 in a `%` row is a
//! question, not a number: an error naming the cell with both readings.
//!
//! What people write is read: capacities per year (`t/a`, `万吨/年`), places
//! at county level (`乐山市夹江县`, `Jiajiang`, resolved to the prefecture and
//! kept as the county), technologies in words (`roller kiln`, `密集烤房`; an
//! unrecognised one is inferred from the fuels with a notice, and is an error
//! only where the edition's formulas need it), and item units such as
//! `min/cell-day` or `万千瓦时`. A rate per year given for an annual amount item
//! is read as the amount of one year. The `settings` sheet is required; a
//! missing key takes its documented default, said once in [`Study::notices`].

mod activity;
mod archive;
mod cells;
mod facilities;
pub mod formats;
mod grid;
mod rows;
use grid::{Grid, GridBuilder};
mod run;
mod settings;
mod streamed;
pub mod template;
mod text_activity;

use activity::*;
use cells::*;
pub use cells::{MAX_CELLS, MAX_CELL_CHARS, MAX_COLS};
use facilities::*;
use rows::*;
use settings::*;

pub use run::{check_workbook, run_workbook, WorkbookRun};

use crate::error::{did_you_mean, DataError, Location};
use crate::factors::FactorLibrary;
use crate::graph::items::{item_examples, item_spec, split_node, ItemKind};
use crate::graph::SectorLibrary;
use crate::study::{Activity, FacilityYear, GridFactor, GwpSet, Settings, View};
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{parse_decimal, Quantity, Unit};
use calamine::{Data, Range, Reader};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Largest workbook file accepted (bytes).
pub const MAX_FILE_BYTES: u64 = 200 * 1024 * 1024;
/// Largest total decompressed size of an xlsx/ods archive (bytes), counted
/// while inflating before calamine reads anything: a guard against zip bombs
/// that keeps a run under 1 GiB. Excel's largest sheet (1,048,576 rows of
/// seven columns) inflates to about 320 MB; the 100k facility-year province
/// to 273 MB.
pub const MAX_UNZIPPED_BYTES: u64 = 1024 * 1024 * 1024;
/// Most rows read from one sheet.
pub const MAX_ROWS: usize = 2_000_000;

/// Why a file of `size` bytes is refused under a limit of `limit` bytes
/// (the command line's message, and the server's for an upload).
pub fn too_large(size: u64, limit: u64) -> Text {
    let mb = limit / 1_048_576;
    tr!(
        "the file is {size} bytes; the limit is {limit} bytes ({mb} MB)",
        "文件大小为 {size} 字节；上限为 {limit} 字节（{mb} MB）"
    )
}

/// Size bounds for reading a workbook, and where its other inputs may be.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub file_bytes: u64,
    pub unzipped_bytes: u64,
    pub rows: usize,
    /// Files the workbook names (`activity_file`) must lie inside the
    /// workbook's own folder: a server's study folder holds only what was
    /// uploaded, and a workbook must not read anything else on the machine.
    pub inputs_in_workbook_folder: bool,
}

/// Set once by a process that reads workbooks it did not choose (the
/// server's runs): every [`Limits::default`] then confines inputs.
static CONFINE_INPUTS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// From now on, this process reads no file a workbook names outside that
/// workbook's folder ([`Limits::inputs_in_workbook_folder`]). There is no way
/// back: a process that serves uploads stays confined.
pub fn confine_inputs_to_workbook_folder() {
    CONFINE_INPUTS.store(true, std::sync::atomic::Ordering::SeqCst);
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            file_bytes: MAX_FILE_BYTES,
            unzipped_bytes: MAX_UNZIPPED_BYTES,
            rows: MAX_ROWS,
            inputs_in_workbook_folder: CONFINE_INPUTS.load(std::sync::atomic::Ordering::SeqCst),
        }
    }
}

/// The path of a file the workbook at `workbook` names, or why it may not
/// be read: with `confined`, it must resolve (links followed) inside the
/// workbook's folder.
fn named_input(workbook: &Path, file: &str, confined: bool) -> Result<std::path::PathBuf, Text> {
    let folder = match workbook.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let path = folder.join(file);
    if !confined {
        return Ok(path);
    }
    let outside = || {
        tr!(
            "activity_file '{file}' is outside the workbook's folder, which this run may not read: upload the CSV together with the workbook and give its file name",
            "activity_file“{file}”不在工作簿所在文件夹内，本次运行不能读取：请将 CSV 与工作簿一同上传，并只填写其文件名"
        )
    };
    let escapes = Path::new(file).components().any(|c| {
        !matches!(
            c,
            std::path::Component::Normal(_) | std::path::Component::CurDir
        )
    });
    if escapes {
        return Err(outside());
    }
    // A link inside the folder may still point out of it.
    match (path.canonicalize(), folder.canonicalize()) {
        (Ok(real), Ok(root)) if real.starts_with(&root) => Ok(path),
        // a file that is not there: opening it says so, at the setting's cell
        (Err(_), _) => Ok(path),
        _ => Err(outside()),
    }
}

/// Why a workbook could not be used. `Display` is English; [`WorkbookError::text`]
/// gives either language, and [`WorkbookError::language`] the workbook's own.
#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The file cannot be opened as a workbook at all.
    #[error("{path}: {reason}")]
    Unreadable { path: String, reason: Text },
    /// The workbook was read, and these problems were found (all of them).
    #[error("{path}: {}", crate::error::findings_text(.findings, Lang::En))]
    Invalid {
        path: String,
        findings: Vec<DataError>,
        /// The workbook's language: its `language` setting, else Chinese
        /// where its sheets are named in Chinese (the zh template's are)
        language: Lang,
    },
}

impl WorkbookError {
    /// The error in `lang`, with the same places.
    pub fn text(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (WorkbookError::Unreadable { path, reason }, Lang::Zh) => {
                format!("{path}：{}", reason.get(lang))
            }
            (WorkbookError::Invalid { path, findings, .. }, Lang::Zh) => {
                format!("{path}：{}", crate::error::findings_text(findings, lang))
            }
        }
    }

    /// The language the workbook is written in, where it says or shows one.
    pub fn language(&self) -> Option<Lang> {
        match self {
            WorkbookError::Invalid { language, .. } => Some(*language),
            WorkbookError::Unreadable { .. } => None,
        }
    }
}

/// A workbook's language: its `language` setting where given, else Chinese
/// where a sheet name is Chinese.
fn workbook_language(setting: Option<&str>, sheet_names: &[String]) -> Lang {
    if let Some(language) = setting {
        Lang::of_setting(language)
    } else if sheet_names
        .iter()
        .any(|n| n.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)))
    {
        Lang::Zh
    } else {
        Lang::En
    }
}

/// An empty required cell that holds a formula was written by a program
/// that never computed it (openpyxl, pandas, a script): the file has the
/// formula but no value. Say so, and how to get the value, instead of "the
/// value is empty". Formulas are read only for sheets with such a finding.
fn explain_uncomputed_formulas<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    findings: &mut [DataError],
) {
    let mut formulas: BTreeMap<String, Option<Range<String>>> = BTreeMap::new();
    for f in findings.iter_mut() {
        let Location::Cell { sheet, row0, col0 } = &f.location else {
            continue;
        };
        if !f.message.ends_with(" is empty") {
            continue;
        }
        let range = formulas
            .entry(sheet.to_string())
            .or_insert_with(|| wb.worksheet_formula(sheet).ok());
        let formula = range
            .as_ref()
            .and_then(|r| r.get_value((*row0, *col0)))
            .filter(|t| !t.trim().is_empty());
        if let Some(formula) = formula {
            let shown: String = formula.chars().take(60).collect();
            let message = tr!(
                "the cell holds the formula ={shown} but no computed value (the program that wrote the file did not calculate it): open the workbook in Excel, WPS or LibreOffice and save it, or type the value",
                "该单元格含公式 ={shown}，但没有计算结果（写入该文件的程序未进行计算）：请在 Excel、WPS 或 LibreOffice 中打开该工作簿并保存，或直接填写数值"
            );
            f.set_message(message);
        }
    }
}

// The study's domain types (facilities, overrides, scenario, target and
// measure rows) live in `crate::study`; re-exported for the reader's callers.
pub use crate::study::{
    Facility, MeasureRow, MetricInputs, Override, ScenarioRow, Study, TargetRow,
};

/// Checks size limits before any parsing: the file, and for zip-based formats
/// the total decompressed size declared by the archive.
fn check_size(path: &Path, limits: &Limits) -> Result<(), Text> {
    let os = |e: std::io::Error| Text::from(e.to_string());
    let meta = std::fs::metadata(path).map_err(os)?;
    if !meta.is_file() {
        return Err(tr!("not a file", "不是文件"));
    }
    if meta.len() > limits.file_bytes {
        return Err(too_large(meta.len(), limits.file_bytes));
    }
    let mut head = [0u8; 4];
    let mut f = std::fs::File::open(path).map_err(os)?;
    let n = f.read(&mut head).map_err(os)?;
    let is_zip = n == 4 && head == *b"PK\x03\x04";
    let is_ole = n == 4 && head == [0xD0, 0xCF, 0x11, 0xE0];
    if !is_zip && !is_ole {
        return Err(tr!(
            "not a workbook: the file is not an xlsx, xlsm, xls or ods spreadsheet (save it from Excel, WPS or LibreOffice in one of those formats)",
            "不是工作簿：该文件不是 xlsx、xlsm、xls 或 ods 电子表格（请用 Excel、WPS 或 LibreOffice 另存为其中一种格式）"
        ));
    }
    if is_zip {
        archive::check_zip(path, limits)?;
    }
    Ok(())
}

/// Reads a study workbook. Every data problem is collected; a file that is
/// not a workbook gets one line.
pub fn read(
    path: &Path,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> Result<Study, WorkbookError> {
    read_with_limits(path, factors, sectors, &Limits::default())
}

/// [`read`] with explicit size bounds.
pub fn read_with_limits(
    path: &Path,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
    limits: &Limits,
) -> Result<Study, WorkbookError> {
    let shown = path.display().to_string();
    // Workbook-wide findings name the file; the error header carries the full path.
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| shown.clone());
    let unreadable = |reason: Text| WorkbookError::Unreadable {
        path: shown.clone(),
        reason,
    };
    check_size(path, limits).map_err(&unreadable)?;
    let mut wb = calamine::open_workbook_auto(path).map_err(|e| {
        let reason = first_line(&e.to_string());
        unreadable(tr!(
            "not a readable workbook (xlsx, xlsm, xls or ods): {reason}",
            "不是可读取的工作簿（xlsx、xlsm、xls 或 ods）：{reason}"
        ))
    })?;
    let names = wb.sheet_names().to_vec();
    let mut findings = Vec::new();
    let (ranges, other_sheets) = read_study_ranges(&mut wb, &names, limits, &mut findings);
    if names.is_empty() || (ranges.is_empty() && other_sheets.is_empty()) {
        return Err(no_study_sheets(shown, &file_name, &names));
    }
    let mut study = empty_study(shown.clone(), other_sheets);
    let seen_settings = read_study_sheets(
        &mut wb,
        &ranges,
        path,
        &mut study,
        (factors, sectors),
        limits,
        &mut findings,
    );
    // an activity_file stands in for the activity sheet
    report_missing_sheets(
        &ranges,
        &names,
        &file_name,
        study.activity_file.is_some(),
        &mut findings,
    );
    check_base_year_has_activity(&study, &seen_settings, &mut findings);
    if findings.is_empty() {
        let activity_at = match seen_settings.get("activity_file") {
            Some(at) if study.activity_file.is_some() => at.clone(),
            _ => Location::Sheet {
                sheet: ranges
                    .get("activity")
                    .map_or_else(|| "activity".into(), |x| x.0.clone()),
            },
        };
        check_facilities_have_activity(&mut study, activity_at, &mut findings);
    }
    if ranges.contains_key("settings") {
        default_notices(&mut study, &seen_settings);
    }
    if study.facilities.is_empty() && findings.is_empty() {
        findings.push(DataError::new(
            Location::Sheet {
                sheet: ranges
                    .get("facilities")
                    .map(|x| x.0.clone())
                    .unwrap_or_default(),
            },
            tr!("no facilities listed", "未列出任何设施"),
        ));
    }
    if findings.is_empty() {
        Ok(study)
    } else {
        explain_uncomputed_formulas(&mut wb, &mut findings);
        findings.sort_by_key(|a| sort_key(&a.location));
        findings.dedup();
        Err(WorkbookError::Invalid {
            path: shown,
            findings,
            language: workbook_language(
                seen_settings
                    .contains_key("language")
                    .then_some(study.language.as_str()),
                &names,
            ),
        })
    }
}

/// The study's sheets by kind (`settings`, `activity` …): each sheet's name
/// as written and its cells.
type StudyRanges = BTreeMap<&'static str, (String, Grid)>;

/// Reads every sheet the study knows by name (a second sheet of a kind is a
/// finding); the instructions sheet is kept by name only, among the other
/// sheets. An xlsx or xlsb activity sheet is left to be streamed once the
/// sheets it depends on are read (see [`streamed`]): its entry holds no
/// cells.
fn read_study_ranges<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    names: &[String],
    limits: &Limits,
    findings: &mut Vec<DataError>,
) -> (StudyRanges, Vec<String>) {
    let mut ranges: StudyRanges = BTreeMap::new();
    let mut other_sheets = Vec::new();
    for name in names {
        let Some(kind) = sheet_kind(name) else {
            continue;
        };
        if ranges.contains_key(kind) {
            findings.push(DataError::new(
                Location::Sheet {
                    sheet: name.clone(),
                },
                tr!(
                    "a second '{kind}' sheet: keep one",
                    "第二个“{kind}”工作表：只保留一个"
                ),
            ));
            continue;
        }
        if kind == "instructions" {
            other_sheets.push(name.clone());
            continue;
        }
        if kind == "activity" && streams(wb) {
            ranges.insert(kind, (name.clone(), Grid::empty()));
            continue;
        }
        match read_sheet(wb, name, limits, findings) {
            Ok(r) => {
                ranges.insert(kind, (name.clone(), r));
            }
            Err(e) => findings.push(e),
        }
    }
    (ranges, other_sheets)
}

/// True for the formats whose sheets are read cell by cell (xlsx, xlsb).
fn streams<RS>(wb: &calamine::Sheets<RS>) -> bool {
    matches!(wb, calamine::Sheets::Xlsx(_) | calamine::Sheets::Xlsb(_))
}

/// The one finding of a workbook with no study sheet at all.
fn no_study_sheets(shown: String, file_name: &str, names: &[String]) -> WorkbookError {
    let found = if names.is_empty() {
        tr!("none", "无")
    } else {
        Text::from(names.join(", "))
    };
    WorkbookError::Invalid {
        path: shown,
        findings: vec![DataError::new(
            Location::file(file_name),
            Text::new(
                format!(
                    "the workbook has no study sheets (found: {}); expected 'facilities' and 'activity' (设施, 活动数据): run `coreduce template` for a blank one",
                    found.en
                ),
                format!(
                    "工作簿中没有研究所需的工作表（现有：{}）；应有“facilities”和“activity”（设施、活动数据）：运行 `coreduce template` 可得到空白工作簿",
                    found.get(Lang::Zh)
                ),
            ),
        )],
        language: workbook_language(None, names),
    }
}

/// A finding for each required sheet (settings, facilities, activity) not
/// present, naming its other-language name and the nearest sheet name.
fn report_missing_sheets(
    ranges: &StudyRanges,
    names: &[String],
    file_name: &str,
    activity_file: bool,
    findings: &mut Vec<DataError>,
) {
    for required in ["settings", "facilities", "activity"] {
        if required == "activity" && activity_file {
            continue;
        }
        if !ranges.contains_key(required) {
            let alt = SHEETS
                .iter()
                .find(|(k, _)| *k == required)
                .map(|(_, n)| n[1])
                .unwrap_or("");
            findings.push(
                DataError::new(
                    Location::file(file_name),
                    tr!(
                        "missing sheet '{required}' (or '{alt}')",
                        "缺少工作表“{required}”（或“{alt}”）"
                    ),
                )
                .with_hint(did_you_mean(required, names.iter().map(String::as_str))),
            );
        }
    }
}

/// A study with nothing read yet, in English until its settings say.
fn empty_study(path: String, other_sheets: Vec<String>) -> Study {
    Study {
        path,
        name: String::new(),
        base_year: None,
        language: "en".into(),
        settings: Settings::default(),
        facilities: Vec::new(),
        facility_years: Vec::new(),
        overrides: Vec::new(),
        other_sheets,
        measure_rows: Vec::new(),
        metric: MetricInputs::default(),
        scenario_rows: Vec::new(),
        target_rows: Vec::new(),
        notices: Vec::new(),
        activity_file: None,
        coverage: None,
    }
}

/// Reads each present sheet into the study, in the order the later sheets
/// need (settings and factors first; activity after facilities; the
/// technologies resolved last, from the fuels); returns the settings given,
/// with their cells.
fn read_study_sheets<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    ranges: &StudyRanges,
    path: &Path,
    study: &mut Study,
    (factors, sectors): (&FactorLibrary, &SectorLibrary),
    limits: &Limits,
    findings: &mut Vec<DataError>,
) -> BTreeMap<String, Location> {
    let sheet_names: Vec<String> = ranges.values().map(|(n, _)| n.clone()).collect();
    let percent = formats::percent_cells(path, &sheet_names);
    let fmt = |name: &String| percent.as_ref().and_then(|p| p.get(name));
    let mut seen_settings = BTreeMap::new();
    if let Some((name, range)) = ranges.get("settings") {
        if let Some(t) = table("settings", name, range, fmt(name), limits, findings) {
            seen_settings = read_settings(&t, study, factors, sectors, findings);
        }
    }
    if let Some((name, range)) = ranges.get("factors") {
        if let Some(t) = table("factors", name, range, fmt(name), limits, findings) {
            read_factors(&t, study, factors, findings);
        }
    }
    let mut pending = Vec::new();
    let mut unusable = std::collections::BTreeSet::new();
    if let Some((name, range)) = ranges.get("facilities") {
        if let Some(t) = table("facilities", name, range, fmt(name), limits, findings) {
            let read = read_facilities(&t, study, sectors, findings);
            (pending, unusable) = (read.pending, read.unusable);
        }
    }
    if let Some((name, range)) = ranges.get("measures") {
        if let Some(t) = table("measures", name, range, fmt(name), limits, findings) {
            read_measures(&t, study, findings);
        }
    }
    if let Some((name, range)) = ranges.get("scenarios") {
        if let Some(t) = table("scenarios", name, range, fmt(name), limits, findings) {
            read_scenarios(&t, study, findings);
        }
    }
    if let Some((name, range)) = ranges.get("targets") {
        if let Some(t) = table("targets", name, range, fmt(name), limits, findings) {
            read_targets(&t, study, findings);
        }
    }
    match (study.activity_file.clone(), ranges.get("activity")) {
        (Some(file), sheet) => {
            let at = seen_settings
                .get("activity_file")
                .cloned()
                .unwrap_or_else(|| Location::file(path.display().to_string()));
            // a streamed sheet is read whole here, to see whether it has rows
            let whole = match sheet {
                Some((name, _)) if streams(wb) => read_sheet(wb, name, limits, findings).ok(),
                _ => None,
            };
            let sheet = sheet.map(|(name, r)| (name, whole.as_ref().unwrap_or(r)));
            if let Some((name, _)) = sheet.filter(|(_, r)| has_rows_below_header(r)) {
                findings.push(DataError::new(
                    Location::Sheet {
                        sheet: name.clone(),
                    },
                    tr!(
                        "the activity sheet has rows and the settings name an activity_file ('{file}'): keep the rows in one place (empty the sheet, or remove the activity_file setting)",
                        "activity 工作表中有数据行，而设置中又指定了 activity_file（“{file}”）：请只在一处填写（清空该工作表，或删除 activity_file 设置）"
                    ),
                ));
            } else {
                match named_input(path, &file, limits.inputs_in_workbook_folder) {
                    Ok(csv) => text_activity::read_activity_file(
                        &csv, &at, study, sectors, &unusable, limits, findings,
                    ),
                    Err(why) => findings.push(DataError::new(at, why)),
                }
            }
        }
        (None, Some((name, range))) => read_activity_sheet(
            wb,
            (name, range),
            fmt(name),
            limits,
            study,
            (sectors, &unusable),
            findings,
        ),
        (None, None) => {}
    }
    resolve_technologies(study, pending, sectors, findings);
    seen_settings
}

/// The activity sheet: streamed where the format allows it (see
/// [`streamed`]), else, or when its cells come in an order chunks cannot
/// place, read as one table.
fn read_activity_sheet<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    (name, range): (&String, &Grid),
    percent: Option<&std::collections::HashSet<(u32, u32)>>,
    limits: &Limits,
    study: &mut Study,
    (sectors, unusable): (&SectorLibrary, &std::collections::BTreeSet<String>),
    findings: &mut Vec<DataError>,
) {
    let whole;
    let range = if streams(wb) {
        let streamed = streamed::stream_activity(
            wb, name, percent, limits, study, sectors, unusable, findings,
        );
        if let streamed::Streamed::Read = streamed {
            return;
        }
        match read_sheet(wb, name, limits, findings) {
            Ok(r) => {
                whole = r;
                &whole
            }
            Err(e) => return findings.push(e),
        }
    } else {
        range
    };
    if let Some(t) = table("activity", name, range, percent, limits, findings) {
        read_activity(&t, study, sectors, unusable, findings);
    }
}

/// True when a sheet holds anything below its first non-empty row (the
/// header).
fn has_rows_below_header(range: &Grid) -> bool {
    let filled =
        |r: usize| (0..range.width()).any(|c| range.get((r, c)).is_some_and(|d| text(d).is_some()));
    match (0..range.height()).find(|&r| filled(r)) {
        Some(header) => (header + 1..range.height()).any(filled),
        None => false,
    }
}

/// Every listed facility must have activity, or it is in no total without
/// the user seeing why: a study with no activity rows at all is a finding
/// (there is nothing to compute); a facility without rows among others
/// that have them is a notice naming its row (it may not have operated in
/// the study's years, or its rows may have been left out).
fn check_facilities_have_activity(
    study: &mut Study,
    activity_at: Location,
    findings: &mut Vec<DataError>,
) {
    if study.facilities.is_empty() {
        return; // "no facilities listed" is said instead
    }
    let listed = study.facilities.len();
    if study.facility_years.is_empty() {
        let first = &study.facilities[0].id;
        let no_rows = match &study.activity_file {
            Some(file) => tr!(
                "the activity_file '{file}' has no rows below its header",
                "activity_file“{file}”在表头下没有数据行"
            ),
            None => tr!(
                "the activity sheet has no rows below its header",
                "activity 工作表在表头下没有数据行"
            ),
        };
        let (no_rows, no_rows_zh) = (&no_rows.en, no_rows.get(Lang::Zh));
        let plural_ies = if listed == 1 { "y" } else { "ies" };
        findings.push(DataError::new(
            activity_at,
            tr!(
                "no activity: the facilities sheet lists {listed} facilit{plural_ies} ({first}, …) but {no_rows}, so there is nothing to compute; give one row per facility, year and item (facility_id, year, item, value, unit)",
                "没有活动数据：facilities 工作表列出了 {listed} 个设施（{first} 等），但{no_rows_zh}，无从计算；请按设施、年份和项目逐行填写（facility_id、year、item、value、unit）"
            ),
        ));
        return;
    }
    let with_rows: std::collections::HashSet<&str> = study
        .facility_years
        .iter()
        .map(|fy| fy.facility_id.as_str())
        .collect();
    let without: Vec<&Facility> = study
        .facilities
        .iter()
        .filter(|f| !with_rows.contains(f.id.as_str()))
        .collect();
    // each named at its row up to a screenful, then counted
    let mut notices = Vec::new();
    for facility in without.iter().take(NAMED_WITHOUT_ACTIVITY) {
        let (at, id) = (&facility.location, &facility.id);
        notices.push(tr!(
                "{at}: facility {id} has no activity rows, so it is in no total; give its rows in the activity table, or remove it from the facilities sheet if it did not operate in the study's years",
                "{at}：设施 {id} 没有活动数据行，因此不计入任何合计；请在活动数据表中填写其数据行；如该设施在研究年份内未运行，请将其从 facilities 工作表中删除"
        ));
    }
    if without.len() > NAMED_WITHOUT_ACTIVITY {
        let more = without.len() - NAMED_WITHOUT_ACTIVITY;
        notices.push(tr!(
            "{more} more facilities of the facilities sheet have no activity rows either, so they are in no total",
            "facilities 工作表中另有 {more} 个设施同样没有活动数据行，因此不计入任何合计"
        ));
    }
    for notice in notices {
        study.notices.push(notice);
    }
}

/// Facilities without activity named one by one before the rest are counted.
const NAMED_WITHOUT_ACTIVITY: usize = 10;

/// A base_year given in the settings must be a year of the activity sheet.
fn check_base_year_has_activity(
    study: &Study,
    seen_settings: &BTreeMap<String, Location>,
    findings: &mut Vec<DataError>,
) {
    if let (Some(y), Some(at)) = (study.base_year, seen_settings.get("base_year")) {
        let years: std::collections::BTreeSet<i32> =
            study.facility_years.iter().map(|f| f.year).collect();
        if !years.is_empty() && !years.contains(&y) {
            let listed = years
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            findings.push(DataError::new(
                at.clone(),
                tr!(
                    "base_year {y} has no activity rows (the activity sheet has {listed}): roadmap, measures and uncertainty start from the base year's activity",
                    "基准年 base_year {y} 没有活动数据行（activity 工作表中的年份为 {listed}）：路线图、措施和不确定性分析均以基准年的活动数据为起点"
                ),
            ));
        }
    }
}
