//! The factor library: loading and validating `factors/`, looking factors up by
//! id, and layering user factors and overrides over the embedded defaults.
//!
//! Each factor keeps its exact value (read from text, never through `f64`), its
//! unit, source, edition and confidence. Overrides never replace silently: a
//! factor that came from a user folder or a workbook carries an [`Origin`] that
//! every output shows.

mod load;

pub use load::{load_dataset_files, EMBEDDED_FACTORS, MAX_DATASET_FILE_BYTES};

use crate::error::{did_you_mean, DataError, Error, Location, Result};
use crate::substance::Substance;
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::Unit;
use rust_decimal::Decimal;
use rustc_hash::FxHashMap as HashMap;
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

/// How far a factor's value can be trusted (the marks of `notes/README.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// Seen in the official text.
    Verified,
    /// Seen in two or more independent secondary sources, or one faithful copy.
    Secondary,
    /// Sources disagree; the preferred value is kept and the alternative named.
    Conflicting,
    /// Arithmetic from marked inputs.
    Derived,
    /// One secondary source, or memory.
    Unverified,
    /// Ours, with a reason.
    Assumption,
}

impl Confidence {
    /// Parses the mark used in `factors.csv`.
    pub fn parse(text: &str) -> Option<Confidence> {
        Some(match text.trim() {
            "verified" => Confidence::Verified,
            "secondary" => Confidence::Secondary,
            "conflicting" => Confidence::Conflicting,
            "derived" => Confidence::Derived,
            "unverified" => Confidence::Unverified,
            "assumption" => Confidence::Assumption,
            _ => return None,
        })
    }
    /// The mark as written in files.
    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Verified => "verified",
            Confidence::Secondary => "secondary",
            Confidence::Conflicting => "conflicting",
            Confidence::Derived => "derived",
            Confidence::Unverified => "unverified",
            Confidence::Assumption => "assumption",
        }
    }
}

impl Confidence {
    /// The mark for people, in either language (`unverified`, `未核实`).
    pub fn name(self) -> Text {
        match self {
            Confidence::Verified => tr!("verified", "已核实"),
            Confidence::Secondary => tr!("secondary", "二手来源印证"),
            Confidence::Conflicting => tr!("conflicting", "来源不一致"),
            Confidence::Derived => tr!("derived", "推导值"),
            Confidence::Unverified => tr!("unverified", "未核实"),
            Confidence::Assumption => tr!("assumption", "假设"),
        }
    }
}

impl fmt::Display for Confidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document a factor comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Source {
    pub title: String,
    #[serde(default)]
    pub publisher: String,
    #[serde(default)]
    pub year: String,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub note: String,
    /// How the document was seen: `official` (the original text was read),
    /// `faithful_copy` (a complete copy of it, e.g. a wikisource page), or
    /// `secondary` (a transcription, a report, code that cites it: the
    /// default).
    #[serde(default)]
    pub seen: Seen,
    /// How many independent secondary sources show the same values (1 by
    /// default); two or more support the mark `secondary`.
    #[serde(default = "one_source")]
    pub independent: u32,
}

fn one_source() -> u32 {
    1
}

/// How a source document was seen (see [`Source::seen`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seen {
    Official,
    FaithfulCopy,
    #[default]
    Secondary,
}

impl Source {
    /// Why this source cannot support `mark`, or None: `verified` needs the
    /// official text read; `secondary` needs a faithful copy or two
    /// independent secondary sources (the rules of the reference notes).
    pub fn cannot_support(&self, mark: Confidence) -> Option<Text> {
        match mark {
            Confidence::Verified if self.seen != Seen::Official => Some(match self.seen {
                Seen::FaithfulCopy => tr!(
                    "marked verified, but the official text was not read (a faithful copy was)",
                    "标为 verified，但未查阅官方原文（查阅的是忠实副本）"
                ),
                _ => tr!(
                    "marked verified, but the official text was not read (one secondary source was)",
                    "标为 verified，但未查阅官方原文（查阅的是一份二手来源）"
                ),
            }),
            Confidence::Secondary if self.seen == Seen::Secondary && self.independent < 2 => {
                Some(tr!(
                    "marked secondary, but it rests on one secondary source (a transcription, report or code), which supports unverified only",
                    "标为 secondary，但仅依据一份二手来源（转录件、报告或代码），只能支持 unverified"
                ))
            }
            _ => None,
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.title)?;
        if !self.publisher.is_empty() {
            write!(f, ", {}", self.publisher)?;
        }
        if !self.year.is_empty() {
            write!(f, ", {}", self.year)?;
        }
        if !self.url.is_empty() {
            write!(f, " <{}>", self.url)?;
        }
        Ok(())
    }
}

/// A factor's spread, for Monte Carlo work (sampled in `f64`, never on the
/// exact accounting path).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Uncertainty {
    /// IPCC form: ± this percentage is the half-width of the 95 % interval.
    Pct95 { half_width_pct: Decimal },
    /// Normal with this standard deviation (in the factor's unit).
    Normal { sd: Decimal },
    /// Lognormal with this geometric standard deviation.
    Lognormal { gsd: Decimal },
    /// Uniform between two bounds.
    Uniform { low: Decimal, high: Decimal },
    /// Triangular with low, mode and high.
    Triangular {
        low: Decimal,
        mode: Decimal,
        high: Decimal,
    },
}

/// How an activity value was obtained, which a workbook may write in its
/// `uncertainty` column instead of a distribution. Its spread is then the
/// library's default for that tier (`spread.activity.*` in
/// `factors/uncertainty-defaults`, each a stated assumption): measured, the
/// default of the item's kind (as a blank cell); metered or invoiced, the
/// meters' ±2 %; estimated (a rule of thumb, partial records), ±20 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActivityTier {
    Measured,
    Metered,
    Estimated,
}

impl ActivityTier {
    /// The tier a user's word names, in English or Chinese (`estimated`,
    /// `估算`, `metered`, `计量`, `measured`, `实测` …).
    pub fn parse(text: &str) -> Option<ActivityTier> {
        let t = text.trim().to_lowercase();
        match t.as_str() {
            "measured" | "measurement" | "实测" | "监测" | "测量" | "实测值" => {
                Some(ActivityTier::Measured)
            }
            "metered" | "meter" | "invoiced" | "invoice" | "计量" | "仪表计量" | "计量值"
            | "发票" | "票据" => Some(ActivityTier::Metered),
            "estimated" | "estimate" | "估算" | "估计" | "推算" | "估算值" | "经验值" => {
                Some(ActivityTier::Estimated)
            }
            _ => None,
        }
    }

    /// The library factor holding this tier's spread; `None` for measured,
    /// whose spread follows the item's kind.
    pub fn spread_id(self) -> Option<&'static str> {
        match self {
            ActivityTier::Measured => None,
            ActivityTier::Metered => Some("spread.activity.energy"),
            ActivityTier::Estimated => Some("spread.activity.estimated"),
        }
    }
}

impl Uncertainty {
    /// Parses `pct95:10`, `normal:0.5`, `lognormal:1.2`, `uniform:1;2`,
    /// `triangular:1;1.5;2`, checking that the parameters make sense for `value`.
    ///
    /// A plain percentage (`5%`, `±5%`, `± 5 %`, `+/-5%`) is the IPCC way of
    /// writing a spread: the half-width of the 95 % interval, i.e. `pct95:5`.
    pub fn parse(text: &str, value: Decimal) -> std::result::Result<Uncertainty, Text> {
        if let Some(pct) = plain_percentage(text) {
            return Uncertainty::parse(&format!("pct95:{pct}"), value);
        }
        let (kind, params) = text.split_once(':').ok_or_else(|| {
            tr!(
                "uncertainty '{text}' is not of the form kind:parameters (e.g. pct95:5) or a percentage (±5%)",
                "不确定性“{text}”的格式应为 类型:参数（如 pct95:5）或百分数（如 ±5%）"
            )
        })?;
        let nums: Vec<Decimal> = params
            .split(';')
            .map(|p| {
                crate::units::parse_decimal(p).ok_or_else(|| {
                    tr!(
                        "uncertainty parameter '{p}' is not a number",
                        "不确定性参数“{p}”不是数字"
                    )
                })
            })
            .collect::<std::result::Result<_, _>>()?;
        let want = |n: usize| {
            let got = nums.len();
            if got == n {
                Ok(())
            } else {
                Err(tr!(
                    "uncertainty '{kind}' takes {n} parameter(s), got {got}",
                    "不确定性类型“{kind}”需要 {n} 个参数，实际给出 {got} 个"
                ))
            }
        };
        let u = match kind {
            "pct95" => {
                want(1)?;
                if nums[0] < Decimal::ZERO {
                    return Err(tr!("a negative spread is not allowed", "不确定性范围不能为负"));
                }
                Uncertainty::Pct95 {
                    half_width_pct: nums[0],
                }
            }
            "normal" => {
                want(1)?;
                if nums[0] < Decimal::ZERO {
                    return Err(tr!("a negative standard deviation is not allowed", "标准差不能为负"));
                }
                Uncertainty::Normal { sd: nums[0] }
            }
            "lognormal" => {
                want(1)?;
                if nums[0] < Decimal::ONE {
                    return Err(tr!("a geometric standard deviation must be at least 1", "几何标准差不能小于 1"));
                }
                if value <= Decimal::ZERO {
                    return Err(tr!("a lognormal needs a positive value", "对数正态分布要求数值为正"));
                }
                Uncertainty::Lognormal { gsd: nums[0] }
            }
            "uniform" => {
                want(2)?;
                if nums[0] > nums[1] {
                    return Err(tr!("uniform bounds are reversed", "均匀分布的上下限颠倒"));
                }
                Uncertainty::Uniform {
                    low: nums[0],
                    high: nums[1],
                }
            }
            "triangular" => {
                want(3)?;
                if !(nums[0] <= nums[1] && nums[1] <= nums[2]) {
                    return Err(tr!("triangular needs low ≤ mode ≤ high", "三角分布须满足 low ≤ mode ≤ high"));
                }
                Uncertainty::Triangular {
                    low: nums[0],
                    mode: nums[1],
                    high: nums[2],
                }
            }
            other => {
                return Err(tr!(
                    "unknown uncertainty kind '{other}' (pct95, normal, lognormal, uniform, triangular)",
                    "未知的不确定性类型“{other}”（可用 pct95、normal、lognormal、uniform、triangular）"
                ))
            }
        };
        Ok(u)
    }
}

/// Where a factor's value came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Origin {
    /// The library embedded in the binary (or the folder given as the library).
    Library,
    /// A user factor folder laid over the library.
    UserFolder { path: String },
    /// An override from a workbook's `factors` sheet or from code.
    Override { location: String },
}

impl Origin {
    /// True for anything but the library default.
    pub fn is_override(&self) -> bool {
        !matches!(self, Origin::Library)
    }
}

/// One emission factor or parameter with its provenance.
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    pub id: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    #[serde(serialize_with = "ser_unit")]
    pub unit: Unit,
    pub substance: Option<Substance>,
    pub edition: String,
    pub geography: String,
    pub confidence: Confidence,
    pub dataset: String,
    pub source_key: String,
    pub source: Source,
    pub locator: String,
    pub alternative: String,
    pub note: String,
    pub uncertainty: Option<Uncertainty>,
    /// The file and line (or sheet and cell) it was read from.
    #[serde(serialize_with = "ser_display")]
    pub location: Location,
    pub origin: Origin,
    /// The library value this factor replaced, when it is an override.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub replaced_value: Option<Decimal>,
}

fn ser_unit<S: serde::Serializer>(u: &Unit, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(u.symbol())
}
fn ser_display<S: serde::Serializer, T: fmt::Display>(
    v: &T,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(&v.to_string())
}

impl Factor {
    /// The value converted into `unit` (an error naming both units on a mismatch).
    pub fn value_in(&self, unit: &Unit) -> std::result::Result<Decimal, crate::units::UnitError> {
        self.unit.convert(self.value, unit)
    }
}

/// Metadata of one dataset folder.
#[derive(Debug, Clone, Serialize)]
pub struct Dataset {
    pub id: String,
    pub title: String,
    pub description: String,
    pub sources: BTreeMap<String, Source>,
    pub path: String,
}

/// The sign and range a factor's value must have, by kind: a
/// pollution-equivalent value (`pev.*`, a divisor) is greater than 0; grid
/// and heat factors (`grid.*`, `heat.*`, or any mass per energy), net
/// calorific values (`*.ncv`) and carbon contents (`*.cc`) are at least 0;
/// an oxidation fraction (`*.of`) is between 0 and 1; every value lies
/// within ±10^15 in base units ([`crate::units::MAX_MAGNITUDE`]).
/// Checked wherever a value enters: dataset files, a workbook's `factors`
/// sheet, and `factors check`. None when the value is in range.
pub fn value_problem(id: &str, value: Decimal, unit: &crate::units::Unit) -> Option<Text> {
    // Every factor is bounded in its base unit (see `units::MAX_MAGNITUDE`).
    let in_base = value.checked_mul(unit.scale());
    if in_base.is_none_or(|v| v.abs() > crate::units::MAX_MAGNITUDE) {
        return Some(tr!(
            "'{id}' is {value} {unit}: out of range (factor values are limited to ±1e15 in base units, far above any real factor)",
            "“{id}”为 {value} {unit}：超出取值范围（排放因子数值按基本单位计限于 ±1e15，远高于任何实际排放因子）"
        ));
    }
    let last = id.rsplit('.').next().unwrap_or(id);
    if id.starts_with("pev.") {
        if value <= Decimal::ZERO {
            return Some(tr!(
                "'{id}' is {value} {unit}: a pollution-equivalent value must be greater than 0 (emissions are divided by it)",
                "“{id}”为 {value} {unit}：污染当量值须大于 0（排放量要除以该值）"
            ));
        }
    } else if last == "of" {
        let fraction = crate::units::Unit::parse("fraction")
            .ok()
            .and_then(|f| unit.convert(value, &f).ok())
            .unwrap_or(value);
        if fraction < Decimal::ZERO || fraction > Decimal::ONE {
            return Some(tr!(
                "'{id}' is {value} {unit}: an oxidation fraction must be between 0 and 1 (0 % and 100 %)",
                "“{id}”为 {value} {unit}：碳氧化率须在 0 与 1 之间（0 % 至 100 %）"
            ));
        }
    } else if (id.starts_with("grid.")
        || id.starts_with("heat.")
        || last == "ncv"
        || last == "cc"
        || crate::units::Unit::parse("tCO2/MWh").is_ok_and(|u| u.compatible(unit)))
        && value < Decimal::ZERO
    {
        return Some(if last == "ncv" {
            tr!(
                "'{id}' is {value} {unit}: a net calorific value cannot be negative",
                "“{id}”为 {value} {unit}：低位发热量不能为负"
            )
        } else if last == "cc" {
            tr!(
                "'{id}' is {value} {unit}: a carbon content cannot be negative",
                "“{id}”为 {value} {unit}：含碳量不能为负"
            )
        } else if id.starts_with("grid.") || id.starts_with("heat.") {
            tr!(
                "'{id}' is {value} {unit}: a grid or heat emission factor cannot be negative",
                "“{id}”为 {value} {unit}：电网或热力排放因子不能为负"
            )
        } else {
            tr!(
                "'{id}' is {value} {unit}: an emission factor per unit of energy cannot be negative",
                "“{id}”为 {value} {unit}：单位能量的排放因子不能为负"
            )
        });
    }
    None
}

/// The set of factors a study uses: the embedded library plus user layers.
#[derive(Debug, Clone, Default)]
pub struct FactorLibrary {
    /// By id. Hashed, not sorted: every row of every facility-year (and every
    /// Monte Carlo draw) looks factors up, and sorted ids share long prefixes
    /// (`fuel.gbt32151_2024.…`) that a tree compares again at every level.
    /// Listings sort on the way out.
    factors: HashMap<String, Factor>,
    datasets: BTreeMap<String, Dataset>,
}

impl FactorLibrary {
    /// The library shipped in the binary (the repository's `factors/`).
    pub fn embedded() -> Result<FactorLibrary> {
        let files = load::embedded_files();
        FactorLibrary::from_files(files, &Origin::Library)
    }

    /// A library read from a folder laid out like `factors/`.
    pub fn from_dir(dir: &Path) -> Result<FactorLibrary> {
        let files = load::dir_files(dir)?;
        FactorLibrary::from_files(files, &Origin::Library)
    }

    fn from_files(files: Vec<(String, String)>, origin: &Origin) -> Result<FactorLibrary> {
        let (datasets, factors, findings) = load::load_dataset_files(&files, origin);
        let mut lib = FactorLibrary::default();
        let mut findings = findings;
        for d in datasets {
            lib.datasets.insert(d.id.clone(), d);
        }
        for f in factors {
            if let Some(prev) = lib.factors.get(&f.id) {
                let id = &f.id;
                let (first, first_zh) = (&prev.location, prev.location.text(Lang::Zh));
                findings.push(DataError::new(
                    f.location.clone(),
                    Text::new(
                        format!("duplicate factor id '{id}' (first at {first})"),
                        format!("排放因子编号“{id}”重复（首次出现于 {first_zh}）"),
                    ),
                ));
                continue;
            }
            lib.factors.insert(f.id.clone(), f);
        }
        if findings.is_empty() {
            Ok(lib)
        } else {
            findings.sort();
            Err(Error::from_findings(findings))
        }
    }

    /// Lays a user folder (same layout) over this library: new ids are added,
    /// existing ids are replaced and marked as overrides.
    pub fn layer_dir(&mut self, dir: &Path) -> Result<()> {
        let files = load::dir_files(dir)?;
        let origin = Origin::UserFolder {
            path: dir.display().to_string(),
        };
        let (datasets, factors, mut findings) = load::load_dataset_files(&files, &origin);
        // The same id in two datasets of the folder: an error naming both,
        // never a silent last-wins.
        let mut first: BTreeMap<&str, &Location> = BTreeMap::new();
        for f in &factors {
            if let Some(prev) = first.insert(&f.id, &f.location) {
                let id = &f.id;
                let prev_zh = prev.text(Lang::Zh);
                findings.push(DataError::new(
                    f.location.clone(),
                    Text::new(
                        format!(
                            "factor '{id}' is defined twice in this folder (also at {prev}): keep one"
                        ),
                        format!("排放因子“{id}”在此文件夹中定义了两次（另见 {prev_zh}）：请只保留一个"),
                    ),
                ));
            }
        }
        if !findings.is_empty() {
            findings.sort();
            return Err(Error::from_findings(findings));
        }
        for d in datasets {
            self.datasets.entry(d.id.clone()).or_insert(d);
        }
        for mut f in factors {
            if let Some(prev) = self.factors.get(&f.id) {
                f.replaced_value = Some(prev.value);
            }
            self.factors.insert(f.id.clone(), f);
        }
        Ok(())
    }

    /// Overrides one factor's value (from a workbook's `factors` sheet or code).
    /// The unit must have the library factor's dimensions; the override keeps the
    /// library's metadata, takes the given source text, and is marked
    /// `assumption` unless the library mark was already weaker... it is the
    /// user's number, so its confidence is the user's: recorded as `assumption`.
    pub fn override_value(
        &mut self,
        id: &str,
        value: Decimal,
        unit: Unit,
        source_text: &str,
        location: Location,
    ) -> std::result::Result<(), DataError> {
        let base = self.get(id).map_err(|e| DataError {
            location: location.clone(),
            ..e
        })?;
        if !base.unit.compatible(&unit) {
            let (factor_unit, dims) = (&base.unit, base.unit.dims());
            let dims_zh = dims.zh();
            return Err(DataError::new(
                location,
                tr!(
                    "override of '{id}' is in '{unit}' but the factor is in '{factor_unit}' ({dims})",
                    "“{id}”的替换值单位为“{unit}”，但该排放因子的单位为“{factor_unit}”（{dims_zh}）"
                ),
            ));
        }
        if let Some(problem) = value_problem(id, value, &unit) {
            return Err(DataError::new(location, problem));
        }
        let mut f = base.clone();
        f.replaced_value = Some(base.value_in(&unit).unwrap_or(base.value));
        f.value = value;
        f.unit = unit;
        f.confidence = Confidence::Assumption;
        f.source = Source {
            title: if source_text.trim().is_empty() {
                "user override (no source given)".into()
            } else {
                source_text.trim().to_string()
            },
            publisher: String::new(),
            year: String::new(),
            url: String::new(),
            note: String::new(),
            seen: Seen::Secondary,
            independent: 1,
        };
        f.source_key = "user".into();
        f.origin = Origin::Override {
            location: location.to_string(),
        };
        f.location = location;
        f.uncertainty = None;
        self.factors.insert(id.to_string(), f);
        Ok(())
    }

    /// Replaces a factor's value in place, keeping its metadata (Monte Carlo
    /// samples; not an override a user made). Unknown ids are ignored.
    pub fn set_value(&mut self, id: &str, value: Decimal) {
        if let Some(f) = self.factors.get_mut(id) {
            f.value = value;
        }
    }

    /// Adds a factor built in code (tests, library users).
    pub fn insert(&mut self, factor: Factor) {
        self.factors.insert(factor.id.clone(), factor);
    }

    /// The factor with this id, or an error with a did-you-mean.
    pub fn get(&self, id: &str) -> std::result::Result<&Factor, DataError> {
        self.factors.get(id).ok_or_else(|| {
            DataError::new(
                Location::api(tr!("factor library", "排放因子库")),
                tr!("unknown factor '{id}'", "未知排放因子“{id}”"),
            )
            .with_hint(did_you_mean(id, self.ids()))
        })
    }

    /// The factor with this id, if any (no suggestion work: for hot paths).
    pub fn find(&self, id: &str) -> Option<&Factor> {
        self.factors.get(id)
    }

    /// True when the id exists.
    pub fn contains(&self, id: &str) -> bool {
        self.factors.contains_key(id)
    }

    /// All factors, sorted by id.
    pub fn iter(&self) -> impl Iterator<Item = &Factor> {
        let mut all: Vec<&Factor> = self.factors.values().collect();
        all.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        all.into_iter()
    }

    /// The library factors whose mark their source cannot support, with why
    /// (`factors check` lists them; overrides are marked assumption anyway).
    pub fn unsupported_marks(&self) -> Vec<(&Factor, Text)> {
        self.iter()
            .filter(|f| !f.origin.is_override())
            .filter_map(|f| f.source.cannot_support(f.confidence).map(|why| (f, why)))
            .collect()
    }

    /// All ids, sorted.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        let mut all: Vec<&str> = self.factors.keys().map(String::as_str).collect();
        all.sort_unstable();
        all.into_iter()
    }

    /// The ids that start with `prefix`, in no particular order: for lookups
    /// on the per-facility-year path (a series of years), where sorting the
    /// whole library each time would cost more than the lookup.
    pub fn ids_starting_with<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a str> {
        self.factors
            .keys()
            .map(String::as_str)
            .filter(move |id| id.starts_with(prefix))
    }

    /// The datasets, sorted by id.
    pub fn datasets(&self) -> impl Iterator<Item = &Dataset> {
        self.datasets.values()
    }

    /// Number of factors.
    pub fn len(&self) -> usize {
        self.factors.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.factors.is_empty()
    }

    /// Checks the library's content rules and returns every finding:
    /// a `conflicting` factor must name its alternative; `derived` must show its
    /// arithmetic and `assumption` its reason in `note`; every source needs a title.
    pub fn check(&self) -> Vec<DataError> {
        let mut out = Vec::new();
        for f in self.iter() {
            let here = || f.location.clone();
            let id = &f.id;
            if f.confidence == Confidence::Conflicting && f.alternative.trim().is_empty() {
                out.push(DataError::new(
                    here(),
                    tr!(
                        "'{id}' is marked conflicting but names no alternative",
                        "“{id}”标为 conflicting，但未给出替代值（alternative）"
                    ),
                ));
            }
            if matches!(f.confidence, Confidence::Derived | Confidence::Assumption)
                && f.note.trim().is_empty()
            {
                out.push(DataError::new(here(), {
                    let mark = f.confidence;
                    tr!(
                        "'{id}' is marked {mark} but its note gives no arithmetic or reason",
                        "“{id}”标为 {mark}，但其 note 未给出计算过程或理由"
                    )
                }));
            }
            if let Some(problem) = value_problem(&f.id, f.value, &f.unit) {
                out.push(DataError::new(here(), problem));
            }
            if f.source.title.trim().is_empty() {
                out.push(DataError::new(
                    here(),
                    tr!("'{id}' has a source with no title", "“{id}”的来源没有标题"),
                ));
            }
        }
        out
    }
}

/// `5%`, `±5%`, `± 5 %`, `+/-5%`, `５％`: the number of a plain percentage.
fn plain_percentage(text: &str) -> Option<&str> {
    let t = text.trim();
    let t = t
        .strip_prefix('±')
        .or_else(|| t.strip_prefix("+/-"))
        .or_else(|| t.strip_prefix("+-"))
        .unwrap_or(t)
        .trim_start();
    let body = t.strip_suffix(['%', '％'])?.trim_end();
    (!body.is_empty() && !body.contains(':')).then_some(body)
}
