//! `coreduce template`: a study workbook (workbook v1) to fill in, in English
//! or Chinese: an instructions sheet that lists every accepted item name,
//! header notes, drop-downs (sector, city, technology, item, unit) whose
//! `lists` sheet shows each label beside its code, example rows that read back
//! cleanly, an `uncertainty` column, and the optional measures, scenarios and
//! targets sheets with examples of each field.
//!
//! A Chinese template is written the way a Chinese user writes: sectors,
//! technologies, cities and items by their Chinese names, Chinese units
//! (万千瓦时, 万立方米, 万平方米) and Chinese notes; the reader maps them back
//! to the codes every output shows.

use crate::error::{Error, Result};
use crate::graph::items::item_examples;
use crate::graph::SectorLibrary;
use crate::tr;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, Format, Formula, Note, Workbook, Worksheet, XlsxError,
};
use serde::Deserialize;
use std::path::Path;

/// The language of sheet names, headers and instructions.
pub use crate::text::Lang;

fn xl(e: XlsxError) -> Error {
    Error::request(tr!("cannot write the workbook: {e}", "无法写入工作簿：{e}"))
}

/// The columns and example rows of every sheet (`sectors/template/workbook.toml`).
const SPEC: &str = include_str!("../../sectors/template/workbook.toml");

/// A text in English and Chinese.
#[derive(Deserialize, Default, Clone)]
struct Both {
    #[serde(default)]
    en: String,
    #[serde(default)]
    zh: String,
}

impl Both {
    fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }
}

#[derive(Deserialize)]
struct Spec {
    column: Vec<ColumnSpec>,
    setting: Vec<SettingSpec>,
    facility: Vec<FacilitySpec>,
    activity: Vec<ActivitySpec>,
    measure: Vec<MeasureSpec>,
    scenario: Vec<ScenarioSpec>,
    target: Vec<TargetSpec>,
}

#[derive(Deserialize)]
struct ColumnSpec {
    sheet: String,
    en: String,
    zh: String,
    width: f64,
    #[serde(default)]
    note: Both,
}

#[derive(Deserialize)]
struct SettingSpec {
    key: String,
    value: Both,
}

/// An example facility; sector, technology and city are codes, written by
/// their Chinese names in a Chinese template.
#[derive(Deserialize)]
struct FacilitySpec {
    id: String,
    name: Both,
    sector: String,
    technology: String,
    city: String,
}

#[derive(Deserialize)]
struct Amount {
    value: String,
    unit: String,
}

/// An example activity row: the amount in English units and as a Chinese
/// user writes it (MWh and 万千瓦时).
#[derive(Deserialize)]
struct ActivitySpec {
    facility: String,
    item: String,
    en: Amount,
    zh: Amount,
    #[serde(default)]
    note: Both,
    #[serde(default)]
    uncertainty: String,
}

#[derive(Deserialize)]
struct MeasureSpec {
    id: String,
    sector: String,
    #[serde(default)]
    name: Both,
    field: String,
    #[serde(default)]
    node: String,
    #[serde(default)]
    target: String,
    value: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    note: Both,
}

#[derive(Deserialize)]
struct ScenarioSpec {
    scenario: String,
    #[serde(default)]
    kind: String,
    field: String,
    #[serde(default)]
    scope: String,
    #[serde(default)]
    target: String,
    /// the sector the row belongs to (not a column): `template --sector`
    /// keeps rows of no sector and of its own
    #[serde(default)]
    sector: String,
    year: Option<i32>,
    value: String,
    #[serde(default)]
    unit: String,
    #[serde(default)]
    note: Both,
}

#[derive(Deserialize)]
struct TargetSpec {
    id: String,
    year: i32,
    substance: String,
    #[serde(default)]
    scope: String,
    cap: String,
    unit: Both,
    #[serde(default)]
    note: Both,
}

/// Units offered in the unit drop-down, each with its Chinese spelling where
/// one exists (the reader takes both).
const UNITS: &[(&str, &str)] = &[
    ("t", "吨"),
    ("kg", "千克"),
    ("万t", "万吨"),
    ("m2", "平方米"),
    ("万m2", "万平方米"),
    ("MWh", "兆瓦时"),
    ("kWh", "千瓦时"),
    ("万kWh", "万千瓦时"),
    ("GJ", "吉焦"),
    ("tce", "吨标准煤"),
    ("Nm3", "Nm3"),
    ("10^4 Nm3", "万立方米"),
    ("%", "%"),
    ("fraction", "fraction"),
    ("AEM", "分钟/槽·日"),
    ("GJ/t", "GJ/t"),
    ("GJ/10^4 Nm3", "GJ/10^4 Nm3"),
    ("tC/TJ", "tC/TJ"),
    ("t/t", "吨/吨"),
    ("kL", "kL"),
];

/// A cell of an example row.
enum Cell<'a> {
    Text(&'a str),
    Year(i32),
    /// a number where the text is one (`0.9`), else the text (`80%`, `±2%`)
    Value(&'a str),
}

/// Writes the template to `path` (atomically; an existing file is not replaced
/// unless `force`).
pub fn write_template(
    path: &Path,
    lang: Lang,
    sector: Option<&str>,
    sectors: &SectorLibrary,
    force: bool,
) -> Result<()> {
    if path.exists() && !force {
        let shown = path.display();
        return Err(Error::request(tr!(
            "'{shown}' exists: choose another --out, or pass --force to replace it",
            "“{shown}”已存在：请另选 --out，或加上 --force 以替换该文件"
        )));
    }
    let sector = match sector {
        Some(s) => Some(sectors.get(s).map_err(Error::request)?.id.clone()),
        None => None,
    };
    let spec: Spec = toml::from_str(SPEC).map_err(|e| {
        Error::request(tr!(
            "the built-in template sectors/template/workbook.toml is invalid: {e}",
            "内置模板 sectors/template/workbook.toml 无效：{e}"
        ))
    })?;
    crate::output::atomic_write(path, &[], |tmp| {
        build(tmp, lang, sector.as_deref(), sectors, &spec).map_err(xl)
    })
}

/// What the template writes, in one language.
struct Template<'a> {
    lang: Lang,
    sectors: &'a SectorLibrary,
    spec: &'a Spec,
    /// the sector the user asked for (`--sector`), or every sector
    only: Option<&'a str>,
    lists: Lists,
    bold: Format,
    wrap: Format,
}

fn build(
    path: &Path,
    lang: Lang,
    only: Option<&str>,
    sectors: &SectorLibrary,
    spec: &Spec,
) -> std::result::Result<(), XlsxError> {
    let t = Template {
        lang,
        sectors,
        spec,
        only,
        lists: Lists::of(sectors, lang),
        bold: Format::new().set_bold(),
        wrap: Format::new().set_text_wrap(),
    };
    let mut wb = Workbook::new();
    t.instructions_sheet(wb.add_worksheet())?;
    t.settings_sheet(wb.add_worksheet())?;
    t.facilities_sheet(wb.add_worksheet())?;
    t.activity_sheet(wb.add_worksheet())?;
    t.sheet(wb.add_worksheet(), "factors", "因子")?;
    t.measures_sheet(wb.add_worksheet())?;
    t.scenarios_sheet(wb.add_worksheet())?;
    t.targets_sheet(wb.add_worksheet())?;
    t.lists_sheet(wb.add_worksheet())?;
    wb.save(path)
}

/// The drop-down lists: each entry's code and its label in the template's
/// language (the Chinese name, or the code where there is none). The
/// drop-downs offer the labels, which the reader maps back to the codes.
struct Lists {
    columns: Vec<(ListTitle, Vec<(String, String)>)>,
}

/// A list's title on the `lists` sheet: (English, Chinese).
type ListTitle = (&'static str, &'static str);

/// Where each list sits on the `lists` sheet.
const SECTOR_LIST: usize = 0;
const CITY_LIST: usize = 1;
const TECHNOLOGY_LIST: usize = 2;
const UNIT_LIST: usize = 3;
const ITEM_LIST: usize = 4;

impl Lists {
    fn of(sectors: &SectorLibrary, lang: Lang) -> Lists {
        let label = |code: &str, zh: &str| match lang {
            Lang::Zh if !zh.is_empty() => zh.to_string(),
            _ => code.to_string(),
        };
        let sector_list = sectors
            .sectors
            .values()
            .map(|s| (s.id.clone(), label(&s.id, &s.name_zh)))
            .collect();
        let city_list = sectors
            .cities
            .iter()
            .map(|c| (c.id.clone(), label(&c.id, &c.name_zh)))
            .collect();
        let tech_list = sectors
            .sectors
            .values()
            .flat_map(|s| s.technologies.iter())
            .map(|t| (t.id.clone(), label(&t.id, &t.name_zh)))
            .collect();
        let unit_list = UNITS
            .iter()
            .map(|(en, zh)| (en.to_string(), label(en, zh)))
            .collect();
        let fuels = sectors.fuel_ids();
        let item_list = item_examples(&fuels)
            .into_iter()
            .map(|code| {
                let zh = item_name_zh(sectors, &code).unwrap_or_default();
                let shown = label(&code, &zh);
                (code, shown)
            })
            .collect();
        Lists {
            columns: vec![
                (("sector", "行业"), sector_list),
                (("city", "城市"), city_list),
                (("technology", "技术"), tech_list),
                (("unit", "单位"), unit_list),
                (("item", "项目"), item_list),
            ],
        }
    }

    /// The range of labels of list `i` on the `lists` sheet, for a drop-down.
    fn labels_ref(&self, i: usize) -> Formula {
        let col = (b'A' + 2 * i as u8 + 1) as char;
        let len = self.columns[i].1.len();
        Formula::new(format!("=lists!${col}$2:${col}${}", len + 1))
    }

    /// A code as the template's language writes it: its label where the
    /// list has it, else the code.
    fn label(&self, list: usize, code: &str) -> String {
        self.columns[list]
            .1
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, label)| label.clone())
            .unwrap_or_else(|| code.to_string())
    }
}

/// An item's Chinese name: its own (`外购电力`), or its fuel's for `fuel.<f>`
/// (`原煤`); None for codes that have none (fuel properties, controls).
fn item_name_zh(sectors: &SectorLibrary, code: &str) -> Option<String> {
    if let Some(i) = sectors.items.iter().find(|i| i.id == code) {
        return Some(i.name_zh.clone()).filter(|n| !n.is_empty());
    }
    let fuel = code.strip_prefix("fuel.")?;
    sectors
        .fuel(fuel)
        .map(|f| f.name_zh.clone())
        .filter(|n| !n.is_empty())
}

/// A drop-down that warns but does not stop: the reader accepts names,
/// synonyms and counties beyond the list.
fn dropdown(formula: Formula) -> DataValidation {
    DataValidation::new()
        .allow_list_formula(formula)
        .set_error_style(DataValidationErrorStyle::Warning)
}

impl Template<'_> {
    fn zh(&self) -> bool {
        self.lang == Lang::Zh
    }

    /// Names the sheet and writes its header from the spec's columns (the
    /// note of each header cell says what goes in the column).
    fn sheet(&self, ws: &mut Worksheet, en: &str, zh: &str) -> std::result::Result<(), XlsxError> {
        ws.set_name(if self.zh() { zh } else { en })?;
        let columns = self.spec.column.iter().filter(|c| c.sheet == en);
        for (c, col) in columns.enumerate() {
            let name = if self.zh() { &col.zh } else { &col.en };
            ws.write_string_with_format(0, c as u16, name, &self.bold)?;
            ws.set_column_width(c as u16, col.width)?;
            let note = col.note.get(self.lang);
            if !note.is_empty() {
                ws.insert_note(0, c as u16, &Note::new(note).set_author("coreduce"))?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    }

    fn write_row(
        ws: &mut Worksheet,
        r: u32,
        cells: &[Cell<'_>],
    ) -> std::result::Result<(), XlsxError> {
        for (c, cell) in cells.iter().enumerate() {
            let c = c as u16;
            match cell {
                Cell::Text("") => {}
                Cell::Text(s) => {
                    ws.write_string(r, c, *s)?;
                }
                Cell::Year(y) => {
                    ws.write_number(r, c, *y)?;
                }
                Cell::Value(s) => match s.parse::<f64>() {
                    Ok(v) => {
                        ws.write_number(r, c, v)?;
                    }
                    Err(_) if s.is_empty() => {}
                    Err(_) => {
                        ws.write_string(r, c, *s)?;
                    }
                },
            }
        }
        Ok(())
    }

    /// The sector of the user's `--sector`, or every sector.
    fn wanted(&self, sector: &str) -> bool {
        self.only.is_none_or(|s| s == sector)
    }

    /// A row of no sector in particular, or of a wanted one.
    fn wanted_row(&self, sector: &str) -> bool {
        sector.is_empty() || self.wanted(sector)
    }

    fn instructions_sheet(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        ws.set_name(if self.zh() { "说明" } else { "instructions" })?;
        ws.set_column_width(0, 110)?;
        for (r, line) in instructions(self.lang, self.sectors).iter().enumerate() {
            let format = if r == 0 { &self.bold } else { &self.wrap };
            ws.write_string_with_format(r as u32, 0, line, format)?;
        }
        Ok(())
    }

    fn settings_sheet(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        self.sheet(ws, "settings", "设置")?;
        for (r, s) in self.spec.setting.iter().enumerate() {
            let cells = [Cell::Text(&s.key), Cell::Text(s.value.get(self.lang))];
            Self::write_row(ws, r as u32 + 1, &cells)?;
        }
        Ok(())
    }

    fn facilities_sheet(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        self.sheet(ws, "facilities", "设施")?;
        let mut r = 0;
        for f in self.spec.facility.iter().filter(|f| self.wanted(&f.sector)) {
            r += 1;
            let (sector, technology, city) = (
                self.lists.label(SECTOR_LIST, &f.sector),
                self.lists.label(TECHNOLOGY_LIST, &f.technology),
                self.lists.label(CITY_LIST, &f.city),
            );
            let cells = [
                Cell::Text(&f.id),
                Cell::Text(f.name.get(self.lang)),
                Cell::Text(&sector),
                Cell::Text(&technology),
                Cell::Text(&city),
            ];
            Self::write_row(ws, r, &cells)?;
        }
        ws.add_data_validation(1, 2, 1000, 2, &dropdown(self.lists.labels_ref(SECTOR_LIST)))?;
        ws.add_data_validation(
            1,
            3,
            1000,
            3,
            &dropdown(self.lists.labels_ref(TECHNOLOGY_LIST)),
        )?;
        ws.add_data_validation(1, 4, 1000, 4, &dropdown(self.lists.labels_ref(CITY_LIST)))?;
        ws.autofilter(0, 0, r.max(1), 6)?;
        Ok(())
    }

    fn activity_sheet(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        self.sheet(ws, "activity", "活动数据")?;
        let sector_of = |id: &str| {
            self.spec
                .facility
                .iter()
                .find(|f| f.id == id)
                .map(|f| f.sector.as_str())
        };
        let mut r = 0;
        for a in &self.spec.activity {
            if !sector_of(&a.facility).is_some_and(|s| self.wanted(s)) {
                continue;
            }
            r += 1;
            let amount = if self.zh() { &a.zh } else { &a.en };
            let item = self.item_shown(&a.item);
            let cells = [
                Cell::Text(&a.facility),
                Cell::Year(2022),
                Cell::Text(&item),
                Cell::Value(&amount.value),
                Cell::Text(&amount.unit),
                Cell::Text(a.note.get(self.lang)),
                Cell::Text(&a.uncertainty),
            ];
            Self::write_row(ws, r, &cells)?;
        }
        ws.add_data_validation(1, 2, 100000, 2, &dropdown(self.lists.labels_ref(ITEM_LIST)))?;
        ws.add_data_validation(1, 4, 100000, 4, &dropdown(self.lists.labels_ref(UNIT_LIST)))?;
        ws.autofilter(0, 0, r.max(1), 6)?;
        Ok(())
    }

    /// An item as the template's language writes it: `天然气@kiln` for
    /// `fuel.natural_gas@kiln` in Chinese (process ids stay codes).
    fn item_shown(&self, item: &str) -> String {
        let (code, node) = match item.split_once('@') {
            Some((c, n)) => (c, Some(n)),
            None => (item, None),
        };
        let name = self.lists.label(ITEM_LIST, code);
        match node {
            Some(n) => format!("{name}@{n}"),
            None => name,
        }
    }

    fn measures_sheet(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        self.sheet(ws, "measures", "措施")?;
        let mut r = 0;
        for m in self.spec.measure.iter().filter(|m| self.wanted(&m.sector)) {
            r += 1;
            let sector = self.lists.label(SECTOR_LIST, &m.sector);
            let cells = [
                Cell::Text(&m.id),
                Cell::Text(&sector),
                Cell::Text(m.name.get(self.lang)),
                Cell::Text(&m.field),
                Cell::Text(&m.node),
                Cell::Text(&m.target),
                Cell::Value(&m.value),
                Cell::Text(&m.unit),
                Cell::Text(m.note.get(self.lang)),
            ];
            Self::write_row(ws, r, &cells)?;
        }
        Ok(())
    }

    /// The scenario examples; with `--sector`, the rows of every sector and
    /// those of that sector.
    fn scenarios_sheet(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        self.sheet(ws, "scenarios", "情景")?;
        let mut r = 0;
        for s in self
            .spec
            .scenario
            .iter()
            .filter(|s| self.wanted_row(&s.sector))
        {
            r += 1;
            let year = s.year.map_or(Cell::Text(""), Cell::Year);
            let cells = [
                Cell::Text(&s.scenario),
                Cell::Text(&s.kind),
                Cell::Text(&s.field),
                Cell::Text(&s.scope),
                Cell::Text(&s.target),
                year,
                Cell::Value(&s.value),
                Cell::Text(&s.unit),
                Cell::Text(s.note.get(self.lang)),
            ];
            Self::write_row(ws, r, &cells)?;
        }
        Ok(())
    }

    fn targets_sheet(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        self.sheet(ws, "targets", "目标")?;
        if self.only.is_some() {
            // The example cap is the four example facilities'.
            return Ok(());
        }
        for (r, t) in self.spec.target.iter().enumerate() {
            let cells = [
                Cell::Text(&t.id),
                Cell::Year(t.year),
                Cell::Text(&t.substance),
                Cell::Text(&t.scope),
                Cell::Value(&t.cap),
                Cell::Text(t.unit.get(self.lang)),
                Cell::Text(t.note.get(self.lang)),
            ];
            Self::write_row(ws, r as u32 + 1, &cells)?;
        }
        Ok(())
    }

    /// Each drop-down's codes beside their labels, so a user sees what a
    /// Chinese label stands for.
    fn lists_sheet(&self, ws: &mut Worksheet) -> std::result::Result<(), XlsxError> {
        ws.set_name("lists")?;
        for (i, ((en, zh), entries)) in self.lists.columns.iter().enumerate() {
            let (code_col, label_col) = (2 * i as u16, 2 * i as u16 + 1);
            ws.write_string_with_format(0, code_col, *en, &self.bold)?;
            let label_title = if self.zh() { *zh } else { "label" };
            ws.write_string_with_format(0, label_col, label_title, &self.bold)?;
            ws.set_column_width(code_col, 24)?;
            ws.set_column_width(label_col, 20)?;
            for (r, (code, label)) in entries.iter().enumerate() {
                ws.write_string(r as u32 + 1, code_col, code)?;
                ws.write_string(r as u32 + 1, label_col, label)?;
            }
        }
        ws.set_freeze_panes(1, 0)?;
        Ok(())
    }
}

fn instructions(lang: Lang, sectors: &SectorLibrary) -> Vec<String> {
    let zh = lang == Lang::Zh;
    let mut v = vec![if zh {
        "coreduce 研究工作簿 v1 — 填表说明".to_string()
    } else {
        "coreduce study workbook v1 — how to fill it in".to_string()
    }];
    let en = [
        "Sheets: settings (key | value | unit), facilities (facility_id | name | sector | technology | city | capacity | capacity_unit), activity (facility_id | year | item | value | unit | note | uncertainty), factors (factor_id | value | unit | source, optional overrides); optional: measures (your own measures, one row per field), scenarios (growth, grid, deployment; none given: the built-in scenario templates run on your facilities), targets (caps by year, for least-cost scenarios and target checks). English or Chinese sheet and column names are accepted; the lists sheet shows each drop-down label beside its code.",
        "settings: gwp = SAR, AR4, AR5 or AR6 (default AR5: the set of the newest official guideline, MEE 2024); grid_factor = a factor id (grid.sc.avg resolves per year) or a number with its unit; scope2 = location (grid average, default: the official methods' rule) or market (green power bought by contract, item electricity.green, at 0; the rest at residual_grid_factor, default grid.cn.avg_excl_market_nonfossil); both are reported; view = footprint (scope 1 + 2, default) or compliance (the official reporting total); edition.<sector> = the guideline edition.",
        "activity: one row per facility, year and item. 'output' is required (aluminium t, ceramics m2, baijiu t of 65 % vol liquor, tobacco t cured leaf). Amount items may be given per unit of output (e.g. t/t). Fuels may be given in energy units (tce, GJ): they are converted through the fuel's NCV, shown as an input of the row.",
        "Measured values replace the Tier 1 defaults: any measured fuel replaces the whole default fuel mix; other items replace their own default. A repeated facility-year-item row is an error, not a sum.",
        "Percentages accept % or a fraction; control.<SUBSTANCE>.efficiency must lie in 0–100 % (0–1). Add @process to an item to attribute it to one process. uncertainty (optional): ±5% is the half-width of the 95 % interval; used by coreduce uncertainty and roadmap --runs.",
        "Every number the engine uses comes from the factor library (coreduce factors list) with its source and confidence; overrides in the factors sheet are shown as overrides in every output.",
        "The settings sheet is required; a missing key takes its default (said once). base_year chooses the year that roadmap, measures and uncertainty start from (default: the latest year); years are never added together.",
        "Places: a prefecture (乐山, 乐山市, Leshan, 凉山彝族自治州, 四川省乐山市) or any of Sichuan's 183 county-level divisions, alone or after its prefecture (夹江县, 夹江, 乐山市夹江县, 凉山州会理市, Jiajiang); the county is kept.",
        "Capacity units per year: t/a, t/yr, 万t/a, 吨/年, 万吨/年, m2/a, 万m2/a, 平方米/年, 万平方米/年, ㎡/a, 万㎡/年. A per-year rate given for an amount item (output, fuel, electricity …) is read as one year's amount.",
        "Unit spellings: 万kWh = 万千瓦时 = 10^4 kWh = 万度; 10^4 Nm3 = 万Nm3 = 万立方米 = 万方; t = 吨, 万t = 万吨; m2 = ㎡ = 平方米; tce = 吨标准煤; AEM = AE-min/cell-day = min/cell-day = 分钟/槽·日; % or fraction. A cell formatted as a percentage (2% typed in Excel) is a fraction whatever the unit column says.",
        "Technologies may be written in words, English or Chinese (the ids, names and synonyms below, case, spaces and punctuation ignored); an unrecognised one is inferred from the fuels with a note, and is an error only where the method needs it (aluminium under ipcc2006).",
    ];
    let zh_lines = [
        "工作表：设置（键|值|单位）、设施（设施编号|名称|行业|技术|城市|产能|产能单位）、活动数据（设施编号|年份|项目|数值|单位|备注|不确定性）、因子（因子编号|数值|单位|来源，可选，用于覆盖默认因子）；可选：措施（自定义措施，每个字段一行）、情景（增长、电网、部署；未填写时按内置情景模板计算您的设施）、目标（各年份上限，用于最低成本情景和目标核查）。中英文表名和列名均可；lists 表列出下拉选项的名称及其编号。",
        "设置：gwp 取 SAR、AR4、AR5 或 AR6（默认 AR5，即最新官方指南 MEE 2024 所用）；grid_factor 填因子编号（grid.sc.avg 按年份取值）或数值加单位；scope2 为 location（基于位置，电网平均因子，默认，官方方法的口径）或 market（基于市场：绿电交易电量 electricity.green 计为零，其余按 residual_grid_factor，默认 grid.cn.avg_excl_market_nonfossil），两者都会报告；view 为 footprint（范围一+二，默认）或 compliance（官方报告口径）。",
        "活动数据：每个设施、年份、项目一行。必须填写产量（output：电解铝 吨铝液，陶瓷 平方米，白酒 吨（65%vol 原酒），烤烟 吨干烟叶）。数量类项目可按单位产品填写（如 吨/吨）。燃料可按能量单位填写（吨标准煤、GJ），按该燃料的低位发热量换算，换算列为该行的输入。",
        "实测值替代 Tier 1 默认值：填写任一种燃料即替代全部默认燃料结构；其他项目替代各自默认值。同一设施-年份-项目重复出现视为错误，不会相加。",
        "百分比可写 % 或小数；control.<污染物>.efficiency 取 0–100%（0–1）。项目后加 @工序 可指定到某一工序。不确定性（可选）：±5% 表示 95% 置信区间的半宽；用于 coreduce uncertainty 和 roadmap --runs。",
        "所有因子均来自因子库（coreduce factors list），带来源与置信度；因子表中的覆盖值会在所有输出中标明。",
        "设置表必须有；缺少的键取默认值（提示一次）。base_year 指定路线图、措施与不确定性分析的基准年（默认：最新年份）；各年份不会相加。",
        "地点：市州（乐山、乐山市、Leshan、凉山彝族自治州、四川省乐山市）或四川 183 个县级行政区，可单写或前加市州（夹江县、夹江、乐山市夹江县、凉山州会理市、Jiajiang）；县级名称会保留。",
        "产能单位可带时间：t/a、t/yr、万t/a、吨/年、万吨/年、m2/a、万m2/a、平方米/年、万平方米/年、㎡/a、万㎡/年。数量类项目（产量、燃料、电力等）填写年速率时按一年的量读取。",
        "单位写法：万kWh = 万千瓦时 = 10^4 kWh = 万度；10^4 Nm3 = 万Nm3 = 万立方米 = 万方；t = 吨，万t = 万吨；m2 = ㎡ = 平方米；tce = 吨标准煤；AEM = AE-min/cell-day = min/cell-day = 分钟/槽·日；% 或小数。设为百分比格式的单元格（在 Excel 中输入 2%）按小数读取，与单位列无关。",
        "技术可用中英文文字填写（下列编号、名称和同义词，忽略大小写、空格与标点）；无法识别时按燃料推断并提示，仅在核算方法需要时（ipcc2006 版电解铝）报错。",
    ];
    for l in if zh { &zh_lines } else { &en } {
        v.push((*l).to_string());
    }
    v.push(String::new());
    v.push(if zh { "项目名称：" } else { "Item names:" }.to_string());
    for i in &sectors.items {
        let also = if i.aliases.is_empty() {
            String::new()
        } else {
            format!(
                "{}{}",
                if zh { "；同义词：" } else { "; also: " },
                i.aliases.join(", ")
            )
        };
        v.push(format!("{} = {} = {}{also}", i.id, i.name_zh, i.name_en));
    }
    v.push(
        if zh {
            "燃料：fuel.<编号>，或填燃料名称（下列中英文名称）："
        } else {
            "Fuels: fuel.<id>, or the fuel's name (below, English or Chinese):"
        }
        .to_string(),
    );
    v.push(
        sectors
            .fuels
            .iter()
            .map(|f| format!("fuel.{} = {} = {}", f.id, f.name_zh, f.name_en))
            .collect::<Vec<_>>()
            .join("; "),
    );
    v.push(String::new());
    v.push(
        if zh {
            "行业与技术："
        } else {
            "Sectors and technologies:"
        }
        .to_string(),
    );
    for s in sectors.sectors.values() {
        v.push(format!(
            "{} ({} / {}), {} {}: {}",
            s.id,
            s.name_en,
            s.name_zh,
            if zh { "产量单位" } else { "output in" },
            s.output_label,
            s.technologies
                .iter()
                .map(|t| {
                    let also = if t.aliases.is_empty() {
                        String::new()
                    } else {
                        format!(
                            "; {}{}",
                            if zh { "同义词：" } else { "also: " },
                            t.aliases.join(", ")
                        )
                    };
                    format!(
                        "{} ({}{also})",
                        t.id,
                        if zh { &t.name_zh } else { &t.name_en }
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    v
}
