//! The inputs of a study: settings (GWP set, grid factor, view, editions) and
//! facility-years of activity, with the facilities, factor overrides and the
//! rows of measures, scenarios and targets. The workbook reader fills these;
//! [`builtin`] reads the built-in studies from TOML; library users build them
//! in code; the engine (accounting, measures, roadmap, uncertainty) consumes
//! them and never asks where they came from.

pub mod builtin;

use crate::error::{DataError, Location};
use crate::factors::FactorLibrary;
use crate::text::Text;
use crate::tr;
use crate::units::{Quantity, Unit};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The GWP100 set a study uses for every CO2e figure (sets are never mixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum GwpSet {
    /// IPCC Second Assessment Report (NDRC 2013/2015 guidelines).
    Sar,
    /// Fourth Assessment Report.
    Ar4,
    /// Fifth Assessment Report (MEE 2024 aluminium guideline).
    Ar5,
    /// Sixth Assessment Report.
    Ar6,
}

impl GwpSet {
    /// Parses SAR, AR4, AR5 or AR6 (any case).
    pub fn parse(s: &str) -> Option<GwpSet> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "sar" | "ar2" => GwpSet::Sar,
            "ar4" => GwpSet::Ar4,
            "ar5" => GwpSet::Ar5,
            "ar6" => GwpSet::Ar6,
            _ => return None,
        })
    }
    /// The id segment in `gwp.<set>.<gas>`.
    pub fn key(self) -> &'static str {
        match self {
            GwpSet::Sar => "sar",
            GwpSet::Ar4 => "ar4",
            GwpSet::Ar5 => "ar5",
            GwpSet::Ar6 => "ar6",
        }
    }
}

/// How the grid factor is chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum GridFactor {
    /// A factor id, or a series prefix resolved per year (`grid.sc.avg` →
    /// `grid.sc.avg.2022`).
    Factor(String),
    /// A number with its unit, for every year of the study.
    Value(Quantity),
}

/// Which total is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Scope 1 and scope 2: everything.
    Footprint,
    /// The official reporting total (aluminium MEE 2024: fuel + anode + PFC +
    /// carbonate; other sectors: the guideline total incl. net electricity and heat).
    Compliance,
}

/// How purchased electricity's CO2 enters the view's total (GHG Protocol
/// Scope 2 Guidance). Both are always reported in the totals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope2Method {
    /// Net purchased electricity × the grid's average factor (the official
    /// Chinese methods' rule). Green-power contracts do not change it.
    #[default]
    Location,
    /// The share covered by green-power contracts or certificates at 0, the
    /// rest at the residual factor (the grid average without the non-fossil
    /// power sold by contract).
    Market,
}

/// Study-wide settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub gwp: GwpSet,
    pub grid: GridFactor,
    /// Which scope 2 figure the view's total uses.
    pub scope2: Scope2Method,
    /// The residual factor of market-based scope 2 (the grid without the
    /// non-fossil power sold by contract).
    pub residual_grid: GridFactor,
    pub view: View,
    /// sector id → edition id (the sector's default where absent)
    pub editions: BTreeMap<String, String>,
    /// factor id of the purchased-heat factor
    pub heat_factor: String,
}

impl Default for Settings {
    /// AR5 (the GWP set of the newest official guideline, MEE 2024, and of
    /// China's recent national inventories), the Sichuan average grid factor of
    /// the facility's year, the footprint view.
    fn default() -> Self {
        Settings {
            gwp: GwpSet::Ar5,
            grid: GridFactor::Factor("grid.sc.avg".into()),
            scope2: Scope2Method::Location,
            residual_grid: GridFactor::Factor("grid.cn.avg_excl_market_nonfossil".into()),
            view: View::Footprint,
            editions: BTreeMap::new(),
            heat_factor: "heat.default".into(),
        }
    }
}

/// One activity value, as given (a workbook row or a code call).
#[derive(Debug, Clone)]
pub struct Activity {
    /// `fuel.raw_coal`, `electricity.purchased`, `fuel.natural_gas@kiln`, …
    /// Shared: a study of a million rows names a few dozen items, so the
    /// workbook reader hands every row of one item the same text.
    pub item: std::sync::Arc<str>,
    pub quantity: Quantity,
    pub location: Location,
    /// The value's spread for Monte Carlo work (the workbook's `uncertainty`
    /// column); boxed, since most rows have none and a study may hold
    /// millions of rows.
    pub uncertainty: Option<Box<crate::factors::Uncertainty>>,
    /// How the value was obtained, where the `uncertainty` column names a
    /// tier (`estimated`, `估算` …) instead of a distribution.
    pub tier: Option<crate::factors::ActivityTier>,
}

/// A facility and one year of its activity.
#[derive(Debug, Clone)]
pub struct FacilityYear {
    pub facility_id: String,
    pub name: String,
    pub sector: String,
    pub technology: Option<String>,
    pub city: Option<String>,
    /// The county-level division, where the workbook named one (夹江县).
    pub county: Option<String>,
    pub year: i32,
    pub activity: Vec<Activity>,
}

impl FacilityYear {
    /// A facility-year with no activity yet.
    pub fn new(facility_id: &str, sector: &str, year: i32) -> Self {
        FacilityYear {
            facility_id: facility_id.into(),
            name: facility_id.into(),
            sector: sector.into(),
            technology: None,
            city: None,
            county: None,
            year,
            activity: Vec::new(),
        }
    }
    /// Adds an activity value (builder style); panics on a bad unit only in
    /// the sense of returning the error: use `try_with` in fallible code.
    pub fn with(mut self, item: &str, value: Decimal, unit: &str) -> crate::Result<Self> {
        self.activity.push(Activity {
            item: item.into(),
            quantity: Quantity::parse(value, unit)?,
            location: Location::api(format!("{} {} {item}", self.facility_id, self.year)),
            uncertainty: None,
            tier: None,
        });
        Ok(self)
    }
    /// Sets the technology.
    pub fn technology(mut self, t: &str) -> Self {
        self.technology = Some(t.into());
        self
    }
}

/// One edit of a facility's sector graph and activity: the vocabulary that
/// co-reduction measures are written in. Edits act on the resolved activity
/// (measured values and Tier 1 defaults alike) and on factor values, never on
/// results, so every formula runs as usual afterwards.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Multiply an item (exact id, or a prefix ending in `*` such as `fuel.*`)
    /// at a node (or every node). Works on amounts and properties.
    Scale {
        item: String,
        node: Option<String>,
        multiplier: Decimal,
    },
    /// Move `share` of a fuel's amount at a node to another item; `ratio` is
    /// the new item's amount per unit of the old (e.g. MWh per t coal), or an
    /// energy ratio (GJ/GJ, MWh/GJ) applied through the fuels' NCVs.
    Switch {
        from: String,
        to: String,
        node: Option<String>,
        share: Decimal,
        ratio: Quantity,
    },
    /// Add an end-of-pipe control; it composes on the residual
    /// (1 − η) = (1 − η_old)(1 − η_new).
    Control {
        substance: crate::substance::Substance,
        node: Option<String>,
        efficiency: Decimal,
        /// A reagent the control consumes in proportion to what it removes
        /// (limestone in wet FGD), or None.
        sorbent: Option<Sorbent>,
    },
    /// This share of net purchased electricity comes from zero-carbon sources
    /// (market-based scope 2); shares compose on the residual.
    GreenPower { share: Decimal },
    /// Add an input per unit of output at a node (e.g. a control's power or
    /// limestone use).
    Add {
        item: String,
        node: String,
        per_output: Quantity,
    },
    /// Multiply a factor (a graph coefficient or a formula parameter); ids may
    /// use `{edition}` and `{technology}`. An id that the facility's edition
    /// does not define has no effect (and a warning says so).
    ScaleFactor { id: String, multiplier: Decimal },
    /// Move a factor toward a value: base + weight × (value − base); weight 1
    /// sets it, weight 0 leaves it.
    SetFactor {
        id: String,
        value: Decimal,
        weight: Decimal,
    },
}

/// A reagent consumed in proportion to the pollutant a control removes:
/// amount = removed × stoichiometric mass ratio (`factor`, e.g. CaCO3 per SO2
/// = 100/64) × `ratio` (the molar feed ratio, e.g. Ca/S 1.03). Limestone in
/// wet FGD is the case: its CO2 follows the SO2 removed, not the output.
#[derive(Debug, Clone, PartialEq)]
pub struct Sorbent {
    /// The item consumed (`limestone`, `carbonate.caco3`); its CO2 is that
    /// of the sector's carbonate source for the item.
    pub item: String,
    /// The factor id of the stoichiometric mass ratio (t reagent per t removed).
    pub factor: String,
    /// The molar feed ratio (Ca/S), 1 or more.
    pub ratio: Decimal,
}

/// A facility row of the `facilities` sheet.
#[derive(Debug, Clone)]
pub struct Facility {
    pub id: String,
    pub name: String,
    pub sector: String,
    pub technology: Option<String>,
    pub city: Option<String>,
    /// The county-level division, where one was named (夹江县).
    pub county: Option<String>,
    /// The capacity; a rate per year (`t/a`) is kept as one year's amount.
    pub capacity: Option<Quantity>,
    pub location: Location,
}

/// One factor override from the `factors` sheet.
#[derive(Debug, Clone)]
pub struct Override {
    pub factor_id: String,
    pub value: Decimal,
    pub unit: Unit,
    pub source: String,
    pub location: Location,
}

/// A study read from a workbook.
#[derive(Debug, Clone)]
pub struct Study {
    pub path: String,
    pub name: String,
    pub base_year: Option<i32>,
    pub language: String,
    pub settings: Settings,
    pub facilities: Vec<Facility>,
    pub facility_years: Vec<FacilityYear>,
    pub overrides: Vec<Override>,
    /// Sheets accepted but used by later commands (scenarios, targets).
    pub other_sheets: Vec<String>,
    /// Rows of the `measures` sheet (user measures), compiled by `measures`.
    pub measure_rows: Vec<MeasureRow>,
    /// Metric settings from the `settings` sheet (None: the defaults).
    pub metric: MetricInputs,
    /// Rows of the `scenarios` sheet, compiled by `roadmap`.
    pub scenario_rows: Vec<ScenarioRow>,
    /// Rows of the `targets` sheet, compiled by `roadmap`.
    pub target_rows: Vec<TargetRow>,
    /// Things the reader assumed, each said once (a setting left to its
    /// default, a technology inferred from the fuels).
    pub notices: Vec<Text>,
    /// The `activity_file` setting: a delimited text file beside the
    /// workbook holding the activity table (for studies past a sheet's
    /// row limit), as written.
    pub activity_file: Option<String>,
    /// What the facilities cover of their region, where the study says
    /// (the built-in study does; a workbook does not).
    pub coverage: Option<Coverage>,
}

/// What a study's facilities cover, by sector: every output of a roadmap
/// states it so that the study's totals are not read as the region's.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    /// the region the IAMC tables give the study's total (its cities and
    /// economic regions below it)
    pub region: String,
    pub note: String,
    pub note_zh: String,
    pub sectors: Vec<SectorCoverage>,
}

/// One sector's coverage: its share of the region where known, the
/// statement in both languages, its source and confidence.
#[derive(Debug, Clone, Serialize)]
pub struct SectorCoverage {
    pub sector: String,
    /// share of the region's sector, %, where a total is known
    #[serde(with = "rust_decimal::serde::str_option")]
    pub share_percent: Option<Decimal>,
    pub confidence: String,
    pub note: String,
    pub note_zh: String,
    pub source: String,
}

impl Coverage {
    /// The statement in `lang`: the note, then each sector's.
    pub fn lines(&self, lang: crate::text::Lang) -> Vec<String> {
        let pick = |en: &str, zh: &str| match lang {
            crate::text::Lang::Zh if !zh.is_empty() => zh.to_string(),
            _ => en.to_string(),
        };
        std::iter::once(pick(&self.note, &self.note_zh))
            .chain(self.sectors.iter().map(|s| pick(&s.note, &s.note_zh)))
            .collect()
    }
}

/// One row of the `scenarios` sheet: scenario | kind | field | scope | target |
/// year | value | unit | note.
#[derive(Debug, Clone)]
pub struct ScenarioRow {
    pub scenario: String,
    pub kind: String,
    pub field: String,
    pub scope: Option<String>,
    pub target: Option<String>,
    pub year: Option<i32>,
    /// the value, a percentage already divided by 100
    pub value: Option<Decimal>,
    pub unit: Option<String>,
    pub note: String,
    /// the note in Chinese, where the built-in templates give one; empty for
    /// a workbook's own rows
    pub note_zh: String,
    pub location: Location,
    pub value_location: Location,
}

/// One row of the `targets` sheet: target_id | year | substance | scope | cap | unit | note.
#[derive(Debug, Clone)]
pub struct TargetRow {
    pub id: String,
    pub year: i32,
    pub substance: String,
    pub scope: String,
    pub cap: Decimal,
    pub unit: String,
    pub note: String,
    /// the cap's cell (or the target's line)
    pub location: Location,
    /// the substance's and the scope's cells, for findings about them
    pub substance_location: Location,
    pub scope_location: Location,
}

/// The largest `lambda`, pollution-equivalent value or index weight a study
/// may set: 10^6. Published values are below 10^2 (Sichuan's tax is 3.9 CNY
/// per air equivalent); the bound keeps their products with reductions in the
/// range of a `Decimal`.
pub const MAX_METRIC_WEIGHT: Decimal = rust_decimal_macros::dec!(1_000_000);

impl MetricInputs {
    /// Why a metric setting's value cannot be used, or None: the words
    /// follow the key and the value as the user typed them.
    pub fn problem(key: &str, v: Decimal) -> Option<Text> {
        if v < Decimal::ZERO {
            Some(tr!("cannot be negative", "不能为负数"))
        } else if key == "discount_rate" && v > Decimal::ONE {
            Some(tr!(
                "is out of range: give the rate as a fraction between 0 and 1 (0.08 for 8 %) or as a percentage (8%)",
                "超出范围：折现率应填 0 至 1 之间的小数（8 % 填 0.08）或百分数（8%）"
            ))
        } else if v > MAX_METRIC_WEIGHT {
            Some(tr!(
                "is out of range: at most 1,000,000",
                "超出范围：最大为 1,000,000"
            ))
        } else {
            None
        }
    }
}

/// Metric settings typed in the `settings` sheet.
#[derive(Debug, Clone, Default)]
pub struct MetricInputs {
    pub discount_rate: Option<Decimal>,
    pub lambda: Option<Decimal>,
    pub coordinate_pollutant: Option<String>,
    pub value_air_eq: Option<Decimal>,
    pub value_water_eq: Option<Decimal>,
    pub index_weights: Option<[Decimal; 3]>,
}

/// One row of the `measures` sheet: measure_id | sector | name | field | node |
/// target | value | unit | note.
#[derive(Debug, Clone)]
pub struct MeasureRow {
    pub measure_id: String,
    pub sector: String,
    pub name: String,
    pub field: String,
    pub node: Option<String>,
    pub target: Option<String>,
    /// the value, a percentage already divided by 100
    pub value: Option<Decimal>,
    pub unit: Option<String>,
    pub note: String,
    /// the row's `field` cell
    pub location: Location,
    /// the row's `value` cell
    pub value_location: Location,
}

impl Study {
    /// The base year of roadmap, measures and uncertainty: the `base_year`
    /// setting, else the latest year of the activity sheet.
    pub fn chosen_base_year(&self) -> Option<i32> {
        self.base_year
            .or_else(|| self.facility_years.iter().map(|f| f.year).max())
    }

    /// This study with the facility-years of its base year only (years are
    /// never added together), and a notice when the `base_year` setting set
    /// other years aside (without the setting, the reader has said which year
    /// is used).
    /// The files the study was read from, which no output may overwrite:
    /// the workbook and, where the settings name one, its activity file
    /// (resolved against the workbook's folder). Empty for a study built in
    /// code or the built-in study.
    pub fn input_files(&self) -> Vec<std::path::PathBuf> {
        if self.path.is_empty() {
            return Vec::new();
        }
        let workbook = std::path::PathBuf::from(&self.path);
        let mut files = vec![workbook.clone()];
        if let Some(f) = &self.activity_file {
            let dir = workbook.parent().unwrap_or(std::path::Path::new("."));
            files.push(dir.join(f));
        }
        files
    }

    pub fn base_year_only(&self) -> Study {
        let mut s = self.clone();
        let Some(y) = self.chosen_base_year() else {
            return s;
        };
        let before = s.facility_years.len();
        s.facility_years.retain(|f| f.year == y);
        let years: std::collections::BTreeSet<i32> =
            self.facility_years.iter().map(|f| f.year).collect();
        // without the setting, the reader has already said which year is used
        if s.facility_years.len() < before && self.base_year.is_some() {
            let count = years.len();
            let list = years
                .iter()
                .map(|y| y.to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let notice = tr!(
                "the activity sheet has {count} years ({list}); the base year {y} is used, the others are not added to it",
                "activity 工作表含 {count} 个年份（{list}）；采用基准年 {y}，其他年份不计入"
            );
            // `notices` holds English text (see `Study::notices`)
            s.notices.push(notice);
        }
        s
    }

    /// The factor library with this study's overrides applied.
    pub fn factors(&self, base: &FactorLibrary) -> Result<FactorLibrary, Vec<DataError>> {
        let mut lib = base.clone();
        let mut errors = Vec::new();
        for o in &self.overrides {
            if let Err(e) = lib.override_value(
                &o.factor_id,
                o.value,
                o.unit.clone(),
                &o.source,
                o.location.clone(),
            ) {
                errors.push(e);
            }
        }
        if errors.is_empty() {
            Ok(lib)
        } else {
            Err(errors)
        }
    }
}
