//! Roadmaps to 2030/2035/2060: scenarios (activity growth, capacity caps, the
//! grid-factor trajectory, measure deployment explicit or by S-curve), the
//! per-year inventories they give, aggregation by facility, sector, city and
//! economic region, reductions against BAU, peak year and plateau, target
//! attainment, and the least-cost deployment for joint targets (`optimise`).
//!
//! Every year's inventory is the exact engine run on the projected activity
//! with the scenario's edits; only the least-cost choice of penetrations is
//! an `f64` linear programme, whose deployment is then re-run exactly.

pub mod optimise;
pub mod scurve;

use crate::accounting::{inventory_with_edits, Inventory};
use crate::error::{did_you_mean, DataError, Error, Location};
use crate::factors::FactorLibrary;
use crate::graph::items::{item_spec, split_node, ItemKind};
use crate::graph::SectorLibrary;
use crate::measures::{Measure, MetricSettings, Metrics, Totals2};
use crate::study::{FacilityYear, GridFactor, Settings};
use crate::study::{ScenarioRow, Study};
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{Quantity, Unit};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use scurve::SCurve;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Which facilities a row applies to.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Scope {
    All,
    Sector(String),
    City(String),
    /// A county-level division, by its official name (夹江县), a level below the city.
    County(String),
    Region(String),
    Facility(String),
}

impl Scope {
    fn parse(text: Option<&str>, sectors: &SectorLibrary) -> Result<Scope, Text> {
        let t = text.unwrap_or("all").trim();
        if t.is_empty() || t.eq_ignore_ascii_case("all") || t == "province" || t == "全省" {
            return Ok(Scope::All);
        }
        let (kind, id) = t.split_once(':').ok_or_else(|| {
            tr!(
                "scope '{t}' must read all, sector:<id>, city:<id>, county:<name>, region:<id> or facility:<id>",
                "范围“{t}”应写为 all、sector:<id>、city:<id>、county:<name>、region:<id> 或 facility:<id>"
            )
        })?;
        let id = id.trim();
        Ok(match kind.trim() {
            "sector" => Scope::Sector(sectors.get(id)?.id.clone()),
            "city" => Scope::City(sectors.city(id)?.id.clone()),
            "county" => {
                let place = sectors.place(id)?;
                let city = &place.city.id;
                let county = place.county.ok_or_else(|| {
                    tr!(
                        "'{id}' names the city {city}, not a county-level division; write city:{id} for the whole city",
                        "“{id}”是市（州）{city}，不是县级行政区；如指全市，请写 city:{id}"
                    )
                })?;
                Scope::County(county.name.clone())
            }
            "region" => {
                let r = sectors
                    .regions
                    .iter()
                    .find(|r| r.id == id || r.name_zh == id || r.name_en.eq_ignore_ascii_case(id))
                    .ok_or_else(|| {
                        let hint = did_you_mean(id, sectors.regions.iter().map(|r| r.id.as_str()))
                            .map(Text::from);
                        let (hint_en, hint_zh) = hint.map_or_else(Default::default, |h| {
                            (format!(" ({})", h.en), format!("（{}）", h.get(Lang::Zh)))
                        });
                        Text::new(
                            format!("unknown region '{id}'{hint_en}"),
                            format!("未知经济区“{id}”{hint_zh}"),
                        )
                    })?;
                Scope::Region(r.id.clone())
            }
            "facility" => Scope::Facility(id.to_string()),
            other => {
                return Err(tr!(
                    "unknown scope kind '{other}' (sector, city, county, region, facility)",
                    "未知范围类型“{other}”（可用 sector、city、county、region、facility）"
                ))
            }
        })
    }

    /// True when the facility-year is inside the scope.
    pub fn contains(&self, fy: &FacilityYear, sectors: &SectorLibrary) -> bool {
        match self {
            Scope::All => true,
            Scope::Sector(s) => &fy.sector == s,
            Scope::City(c) => fy.city.as_deref() == Some(c),
            Scope::County(c) => fy.county.as_deref() == Some(c),
            Scope::Region(r) => fy
                .city
                .as_deref()
                .and_then(|c| sectors.region_of(c))
                .is_some_and(|x| &x.id == r),
            Scope::Facility(f) => &fy.facility_id == f,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Scope::All => 0,
            Scope::Sector(_) => 1,
            Scope::Region(_) => 2,
            Scope::City(_) => 3,
            Scope::County(_) => 4,
            Scope::Facility(_) => 5,
        }
    }

    /// A label for tables.
    pub fn label(&self) -> String {
        match self {
            Scope::All => "province".into(),
            Scope::Sector(s) => format!("sector:{s}"),
            Scope::City(c) => format!("city:{c}"),
            Scope::County(c) => format!("county:{c}"),
            Scope::Region(r) => format!("region:{r}"),
            Scope::Facility(f) => format!("facility:{f}"),
        }
    }

    /// The scope for people: `province` / `全省`; the others as
    /// [`Scope::label`] writes them (the form the scenarios sheet takes).
    pub fn name(&self) -> Text {
        match self {
            Scope::All => tr!("province", "全省"),
            other => Text::neutral(other.label()),
        }
    }
}

/// How a measure is deployed over the years.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deployment {
    /// Penetration given per year, linear in between, held after the last.
    Explicit {
        #[serde(serialize_with = "ser_points")]
        points: BTreeMap<i32, Decimal>,
    },
    /// A logistic S-curve through two anchors.
    SCurve(SCurve),
}

fn ser_points<S: serde::Serializer>(
    p: &BTreeMap<i32, Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(p.len()))?;
    for (k, v) in p {
        m.serialize_entry(k, &v.to_string())?;
    }
    m.end()
}

/// Linear interpolation through points, held flat outside them.
pub fn interpolate(points: &BTreeMap<i32, Decimal>, year: i32) -> Option<Decimal> {
    let before = points.range(..=year).next_back();
    let after = points.range(year..).next();
    match (before, after) {
        (Some((&y0, &v0)), Some((&y1, &v1))) if y1 != y0 => {
            Some(v0 + (v1 - v0) * Decimal::from(year - y0) / Decimal::from(y1 - y0))
        }
        (Some((_, &v)), _) | (None, Some((_, &v))) => Some(v),
        (None, None) => None,
    }
}

impl Deployment {
    /// Penetration in `year` (0 before an explicit first point).
    pub fn at(&self, year: i32) -> Decimal {
        match self {
            Deployment::Explicit { points } => {
                if points.keys().next().is_some_and(|first| year < *first) {
                    Decimal::ZERO
                } else {
                    interpolate(points, year).unwrap_or(Decimal::ZERO)
                }
            }
            Deployment::SCurve(s) => s.at(year),
        }
    }
}

/// One scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    pub id: String,
    /// bau, policy, enhanced, least_cost, or another word
    pub kind: String,
    /// (scope, from year, annual rate)
    pub growth: Vec<(Scope, i32, Decimal)>,
    /// scope → year → output index relative to the base year
    pub output_index: Vec<(Scope, BTreeMap<i32, Decimal>)>,
    /// scope → cap on output in the sector's output unit
    pub caps: Vec<(Scope, Decimal)>,
    /// year → grid factor, tCO2/MWh
    #[serde(serialize_with = "ser_points")]
    pub grid: BTreeMap<i32, Decimal>,
    /// measure id → (scope, deployment)
    pub deployments: Vec<(String, Scope, Deployment)>,
    /// least-cost candidates: measure id → (upper bound, yearly ramp)
    pub candidates: BTreeMap<String, (Decimal, Decimal)>,
    /// sector → a run's offset on every annual growth rate (Monte Carlo
    /// only; empty in a central projection)
    #[serde(skip)]
    pub growth_offset: BTreeMap<String, Decimal>,
}

/// One target: in `year`, the `substance` total over `scope` at most `cap` t.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub id: String,
    pub year: i32,
    /// CO2e, a substance code, APeq or WPeq
    pub substance: String,
    pub scope: Scope,
    #[serde(with = "rust_decimal::serde::str")]
    pub cap: Decimal,
    #[serde(skip)]
    pub location: Location,
}

/// A study ready for a roadmap.
#[derive(Debug, Clone)]
pub struct Roadmap {
    pub base_year: i32,
    pub end_year: i32,
    pub scenarios: Vec<Scenario>,
    pub targets: Vec<Target>,
    /// (measure, facility) pairs of the right sector and technology where the
    /// measure changes nothing (coal-to-gas at a gas-fired plant): deployment
    /// skips them, so they cost nothing ([`Roadmap::find_inert`])
    pub inert: BTreeSet<(String, String)>,
}

impl Roadmap {
    /// True when the measure changes nothing at the facility.
    pub fn is_inert(&self, measure: &str, facility: &str) -> bool {
        !self.inert.is_empty()
            && self
                .inert
                .contains(&(measure.to_string(), facility.to_string()))
    }

    /// Finds the measures that change nothing at a facility: every year of
    /// the facility's activity is computed with the measure at its maximum
    /// penetration, and a pair is inert when no year changes.
    pub fn find_inert(
        &mut self,
        study: &Study,
        lib: &FactorLibrary,
        sectors: &SectorLibrary,
        measures: &[Measure],
    ) -> crate::Result<()> {
        let mut acted: BTreeSet<(String, String)> = BTreeSet::new();
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        for fy in &study.facility_years {
            let tech = technology_of(fy, sectors);
            let base = crate::accounting::inventory(&study.settings, lib, sectors, fy)?;
            for m in measures.iter().filter(|m| m.applies(&fy.sector, &tech)) {
                let key = (m.id.clone(), fy.facility_id.clone());
                seen.insert(key.clone());
                if acted.contains(&key) {
                    continue;
                }
                let edits = m.edits_at(m.max_penetration);
                let with = inventory_with_edits(&study.settings, lib, sectors, fy, &edits)?;
                if !crate::measures::unchanged(&base, &with) {
                    acted.insert(key);
                }
            }
        }
        self.inert = seen.difference(&acted).cloned().collect();
        Ok(())
    }
}

fn unit_value(v: Decimal, unit: Option<&str>, want: &str) -> Result<Decimal, Text> {
    use crate::measures::unit_error_text;
    match unit {
        None | Some("") | Some("fraction") => Ok(v),
        Some(u) => {
            let from = Unit::parse(u).map_err(|e| unit_error_text(&e))?;
            let to = Unit::parse(want).map_err(|e| unit_error_text(&e))?;
            from.convert(v, &to).map_err(|e| unit_error_text(&e))
        }
    }
}

/// Compiles the `scenarios` and `targets` rows of a study.
pub fn compile(
    study: &Study,
    sectors: &SectorLibrary,
    measures: &[Measure],
) -> Result<Roadmap, Vec<DataError>> {
    let mut errs = Vec::new();
    let base_year = study
        .base_year
        .or_else(|| study.facility_years.iter().map(|f| f.year).max())
        .unwrap_or(2023);
    let mut end_year = 2060;
    let mut order: Vec<String> = Vec::new();
    let mut by_id: BTreeMap<String, Vec<&ScenarioRow>> = BTreeMap::new();
    for r in study.scenario_rows.iter().filter(|r| r.field == "horizon") {
        use rust_decimal::prelude::ToPrimitive;
        match r
            .value
            .filter(|v| v.fract().is_zero())
            .and_then(|v| v.to_i32())
        {
            Some(y) if (base_year + 1..=2100).contains(&y) => end_year = y,
            _ => errs.push(DataError::new(
                r.value_location.clone(),
                match r.value {
                    Some(v) => tr!(
                        "horizon {v} must be a year after the base year {base_year}, up to 2100",
                        "horizon {v} 须为基准年 {base_year} 之后、不晚于 2100 年的年份"
                    ),
                    None => tr!(
                        "horizon (empty) must be a year after the base year {base_year}, up to 2100",
                        "horizon 为空，须填写基准年 {base_year} 之后、不晚于 2100 年的年份"
                    ),
                },
            )),
        }
    }
    // Rows of scenario "*" (or "all") belong to every scenario.
    let common: Vec<&ScenarioRow> = study
        .scenario_rows
        .iter()
        .filter(|r| r.scenario == "*" || r.scenario.eq_ignore_ascii_case("all"))
        .filter(|r| r.field != "horizon")
        .collect();
    for r in study
        .scenario_rows
        .iter()
        .filter(|r| r.scenario != "*" && !r.scenario.eq_ignore_ascii_case("all"))
    {
        if r.field == "horizon" {
            continue;
        }
        if !by_id.contains_key(&r.scenario) {
            order.push(r.scenario.clone());
        }
        by_id.entry(r.scenario.clone()).or_default().push(r);
    }
    if !by_id.keys().any(|k| k.eq_ignore_ascii_case("bau")) {
        order.insert(0, "bau".into());
        by_id.insert("bau".into(), Vec::new());
    }
    const FIELDS: [&str; 9] = [
        "growth", "output", "cap", "grid", "deploy", "x_max", "anchor", "ramp", "horizon",
    ];
    let mut scenarios = Vec::new();
    for id in order {
        let rows: Vec<&ScenarioRow> = common
            .iter()
            .copied()
            .chain(by_id[&id].iter().copied())
            .collect();
        let kind = rows
            .iter()
            .find(|r| !r.kind.is_empty())
            .map(|r| r.kind.clone())
            .unwrap_or_else(|| {
                if id.eq_ignore_ascii_case("bau") {
                    "bau".into()
                } else {
                    "policy".into()
                }
            });
        let mut s = Scenario {
            id: id.clone(),
            kind: kind.clone(),
            growth: Vec::new(),
            output_index: Vec::new(),
            caps: Vec::new(),
            grid: BTreeMap::new(),
            deployments: Vec::new(),
            candidates: BTreeMap::new(),
            growth_offset: BTreeMap::new(),
        };
        let mut xmax: BTreeMap<String, (Decimal, Location)> = BTreeMap::new();
        let mut anchors: BTreeMap<String, Vec<(i32, Decimal)>> = BTreeMap::new();
        let mut explicit: BTreeMap<String, BTreeMap<i32, Decimal>> = BTreeMap::new();
        let mut ramps: BTreeMap<String, Decimal> = BTreeMap::new();
        let mut scopes: BTreeMap<String, Scope> = BTreeMap::new();
        for r in rows {
            let at = r.location.clone();
            let field = &r.field;
            let scope = match Scope::parse(r.scope.as_deref(), sectors) {
                Ok(x) => x,
                Err(m) => {
                    errs.push(DataError::new(at, m));
                    continue;
                }
            };
            let need_value = |errs: &mut Vec<DataError>| {
                r.value.ok_or_else(|| {
                    errs.push(DataError::new(
                        r.value_location.clone(),
                        tr!("'{field}' needs a value", "“{field}”需要填写数值"),
                    ))
                })
            };
            let need_year = |errs: &mut Vec<DataError>| {
                r.year.ok_or_else(|| {
                    errs.push(DataError::new(
                        at.clone(),
                        tr!("'{field}' needs a year", "“{field}”需要填写年份"),
                    ))
                })
            };
            let measure = |errs: &mut Vec<DataError>| -> Option<String> {
                let Some(t) = &r.target else {
                    errs.push(DataError::new(
                        at.clone(),
                        tr!(
                            "'{field}' needs a measure id in target",
                            "“{field}”需要在 target 中填写措施 id"
                        ),
                    ));
                    return None;
                };
                if measures.iter().any(|m| &m.id == t) {
                    Some(t.clone())
                } else {
                    errs.push(
                        DataError::new(at.clone(), tr!("unknown measure '{t}'", "未知措施“{t}”"))
                            .with_hint(did_you_mean(t, measures.iter().map(|m| m.id.as_str()))),
                    );
                    None
                }
            };
            match r.field.as_str() {
                "growth" => {
                    if let Ok(v) = need_value(&mut errs) {
                        s.growth.push((scope, r.year.unwrap_or(base_year + 1), v));
                    }
                }
                "output" => {
                    if let (Ok(y), Ok(v)) = (need_year(&mut errs), need_value(&mut errs)) {
                        match s.output_index.iter_mut().find(|(sc, _)| *sc == scope) {
                            Some((_, p)) => {
                                p.insert(y, v);
                            }
                            None => s.output_index.push((scope, BTreeMap::from([(y, v)]))),
                        }
                    }
                }
                "cap" => {
                    if let Ok(v) = need_value(&mut errs) {
                        s.caps.push((scope, v));
                    }
                }
                "grid" => {
                    if let (Ok(y), Ok(v)) = (need_year(&mut errs), need_value(&mut errs)) {
                        match unit_value(v, r.unit.as_deref(), "tCO2/MWh") {
                            Ok(v) => {
                                s.grid.insert(y, v);
                            }
                            Err(m) => errs.push(DataError::new(r.value_location.clone(), m)),
                        }
                    }
                }
                "deploy" => {
                    if let (Some(m), Ok(y), Ok(v)) = (
                        measure(&mut errs),
                        need_year(&mut errs),
                        need_value(&mut errs),
                    ) {
                        explicit.entry(m.clone()).or_default().insert(y, v);
                        scopes.insert(m, scope);
                    }
                }
                "x_max" => {
                    if let (Some(m), Ok(v)) = (measure(&mut errs), need_value(&mut errs)) {
                        xmax.insert(m.clone(), (v, r.value_location.clone()));
                        scopes.insert(m, scope);
                    }
                }
                "anchor" => {
                    if let (Some(m), Ok(y), Ok(v)) = (
                        measure(&mut errs),
                        need_year(&mut errs),
                        need_value(&mut errs),
                    ) {
                        anchors.entry(m).or_default().push((y, v));
                    }
                }
                "ramp" => {
                    if let (Some(m), Ok(v)) = (measure(&mut errs), need_value(&mut errs)) {
                        ramps.insert(m, v);
                    }
                }
                other => errs.push(
                    DataError::new(
                        at,
                        tr!("unknown scenario field '{other}'", "未知情景字段“{other}”"),
                    )
                    .with_hint(did_you_mean(other, FIELDS)),
                ),
            }
        }
        for (m, points) in explicit {
            if points
                .values()
                .any(|v| *v < Decimal::ZERO || *v > Decimal::ONE)
            {
                errs.push(DataError::new(
                    Location::Sheet {
                        sheet: "scenarios".into(),
                    },
                    tr!(
                        "penetrations of '{m}' in scenario '{id}' must lie in 0–1",
                        "情景“{id}”中措施“{m}”的普及率须在 0–1 之间"
                    ),
                ));
            }
            // A deployment grows from nothing in the base year to its first
            // point, linearly: a jump from 0 to the first value in one year
            // (and a peak year made by it) is an artefact of the anchors, not
            // a plan. A user who means a step writes the 0 the year before
            // (2024: 0, 2025: 1).
            let mut points = points;
            if let Some((&first, &v)) = points.iter().next() {
                if v > Decimal::ZERO && first > base_year + 1 {
                    points.insert(base_year, Decimal::ZERO);
                }
            }
            let scope = scopes.get(&m).cloned().unwrap_or(Scope::All);
            s.deployments
                .push((m, scope, Deployment::Explicit { points }));
        }
        for (m, list) in anchors {
            let Some((x_max, at)) = xmax.get(&m).cloned() else {
                errs.push(DataError::new(
                    Location::Sheet {
                        sheet: "scenarios".into(),
                    },
                    tr!(
                        "S-curve of '{m}' in scenario '{id}' needs an x_max row",
                        "情景“{id}”中措施“{m}”的 S 曲线缺少 x_max 行"
                    ),
                ));
                continue;
            };
            let mut list = list;
            list.sort();
            if list.len() != 2 {
                let found = list.len();
                errs.push(DataError::new(
                    at,
                    tr!(
                        "S-curve of '{m}' in scenario '{id}' needs exactly two anchors, found {found}",
                        "情景“{id}”中措施“{m}”的 S 曲线须有且仅有两个锚点（anchor），现有 {found} 个"
                    ),
                ));
                continue;
            }
            match SCurve::fit(x_max, list[0], list[1]) {
                Ok(c) => {
                    let scope = scopes.get(&m).cloned().unwrap_or(Scope::All);
                    s.deployments.push((m, scope, Deployment::SCurve(c)));
                }
                Err(e) => errs.push(DataError::new(
                    at,
                    Text::new(
                        format!("'{m}' in scenario '{id}': {}", e.en),
                        format!("情景“{id}”中的措施“{m}”：{}", e.get(Lang::Zh)),
                    ),
                )),
            }
        }
        if kind == "least_cost" {
            for (m, (x, _)) in &xmax {
                let ramp = ramps.get(m).copied().unwrap_or(dec!(0.2));
                s.candidates.insert(m.clone(), (*x, ramp));
            }
            s.deployments
                .retain(|(m, _, _)| !s.candidates.contains_key(m));
        }
        scenarios.push(s);
    }
    let mut targets = Vec::new();
    for t in &study.target_rows {
        let scope = match Scope::parse(Some(&t.scope), sectors) {
            Ok(s) => s,
            Err(m) => {
                errs.push(DataError::new(t.scope_location.clone(), m));
                continue;
            }
        };
        let substance = match t.substance.trim() {
            s if s.eq_ignore_ascii_case("co2e") => "CO2e".to_string(),
            s if s.eq_ignore_ascii_case("apeq") => "APeq".to_string(),
            s if s.eq_ignore_ascii_case("wpeq") => "WPeq".to_string(),
            s => match crate::substance::Substance::parse(s) {
                Some(x) => x.code().to_string(),
                None => {
                    errs.push(DataError::new(
                        t.substance_location.clone(),
                        tr!(
                            "unknown substance '{s}' (CO2e, APeq, WPeq or a substance code)",
                            "未知物质“{s}”（可用 CO2e、APeq、WPeq 或物质代码）"
                        ),
                    ));
                    continue;
                }
            },
        };
        let cap = if substance == "APeq" || substance == "WPeq" {
            Ok(t.cap)
        } else {
            unit_value(t.cap, Some(&t.unit), "t")
        };
        match cap {
            Ok(cap) => targets.push(Target {
                id: t.id.clone(),
                year: t.year,
                substance,
                scope,
                cap,
                location: t.location.clone(),
            }),
            Err(m) => errs.push(DataError::new(t.location.clone(), m)),
        }
    }
    if errs.is_empty() {
        Ok(Roadmap {
            base_year,
            end_year,
            scenarios,
            targets,
            inert: BTreeSet::new(),
        })
    } else {
        Err(errs)
    }
}

impl Scenario {
    /// Output index of a facility in `year` (1 in the base year).
    pub fn index(
        &self,
        fy: &FacilityYear,
        base_year: i32,
        year: i32,
        sectors: &SectorLibrary,
    ) -> Decimal {
        let best = |list: &mut dyn Iterator<Item = (&Scope, i32)>| {
            list.filter(|(s, _)| s.contains(fy, sectors))
                .max_by_key(|(s, _)| s.rank())
                .map(|(s, y)| (s.clone(), y))
        };
        let offset = self
            .growth_offset
            .get(&fy.sector)
            .copied()
            .unwrap_or_default();
        if let Some((scope, _)) = best(&mut self.output_index.iter().map(|(s, _)| (s, 0))) {
            if let Some((_, points)) = self.output_index.iter().find(|(s, _)| *s == scope) {
                let mut p = points.clone();
                p.entry(base_year).or_insert(Decimal::ONE);
                let mut index = interpolate(&p, year).unwrap_or(Decimal::ONE);
                for _ in base_year + 1..=year {
                    index *= Decimal::ONE + offset;
                }
                return index;
            }
        }
        let mut index = Decimal::ONE;
        for y in base_year + 1..=year {
            // The most specific scope with a rate in force this year.
            let rate = self
                .growth
                .iter()
                .filter(|(s, from, _)| s.contains(fy, sectors) && *from <= y)
                .max_by_key(|(s, from, _)| (s.rank(), *from))
                .map(|(_, _, r)| *r)
                .unwrap_or_default();
            index *= Decimal::ONE + rate + offset;
        }
        index
    }

    /// The facility-year projected to `year`: amounts scaled by the output
    /// index (capped), properties kept.
    pub fn project(
        &self,
        fy: &FacilityYear,
        base_year: i32,
        year: i32,
        sectors: &SectorLibrary,
    ) -> FacilityYear {
        let mut index = self.index(fy, base_year, year, sectors);
        let base_output = fy
            .activity
            .iter()
            .find(|a| a.item == "output")
            .map(|a| a.quantity.value);
        if let Some(out) = base_output.filter(|o| !o.is_zero()) {
            for (scope, cap) in &self.caps {
                if scope.contains(fy, sectors) && out * index > *cap {
                    index = *cap / out;
                }
            }
        }
        let fuels = sectors.fuel_ids();
        let mut p = fy.clone();
        p.year = year;
        for a in &mut p.activity {
            let (item, _) = split_node(&a.item);
            let amount = item == "output"
                || item_spec(item, &fuels).is_some_and(|s| s.kind == ItemKind::Amount);
            if amount {
                a.quantity = Quantity::new(a.quantity.value * index, a.quantity.unit.clone());
            }
        }
        p
    }

    /// The study settings for `year` (the scenario's grid factor where it gives one).
    pub fn settings(&self, base: &Settings, year: i32) -> Settings {
        let mut s = base.clone();
        if let Some(v) = interpolate(&self.grid, year) {
            if let Ok(u) = Unit::parse("tCO2/MWh") {
                s.grid = GridFactor::Value(Quantity::new(v, u));
            }
        }
        s
    }
}

/// Totals of one scenario-year for one facility.
#[derive(Debug, Clone, Serialize)]
pub struct Point {
    pub facility: String,
    pub sector: String,
    pub city: String,
    /// The county-level division where the study named one (empty otherwise).
    pub county: String,
    pub region: String,
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub output: Decimal,
    /// substance (and CO2e, APeq, WPeq, energy_tce) → amount
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub totals: BTreeMap<String, Decimal>,
    /// annualised cost of the deployed measures, CNY
    #[serde(with = "rust_decimal::serde::str")]
    pub cost: Decimal,
    /// measure → penetration in force
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub penetration: BTreeMap<String, Decimal>,
    /// The split the IAMC common definitions ask for, t: `Kyoto` (direct
    /// CO2e), `CO2|Energy` (fuel combustion), `CO2|Process` (other direct
    /// CO2), `CO2|Indirect` and `CO2e|Indirect` (purchased electricity and
    /// heat, kept out of the direct totals so that a merge with a power-sector
    /// scenario does not count them twice).
    #[serde(skip)]
    pub split: BTreeMap<String, Decimal>,
}

/// The direct/indirect and energy/process split of one inventory (see
/// [`Point::split`]).
fn split_of(inv: &Inventory) -> BTreeMap<String, Decimal> {
    let mut m: BTreeMap<String, Decimal> = BTreeMap::new();
    for r in inv.rows.iter().filter(|r| r.in_view) {
        let key = match (r.substance.as_str(), r.scope) {
            ("CO2e", 1) => "Kyoto",
            ("CO2e", 2) => "CO2e|Indirect",
            ("CO2", 2) => "CO2|Indirect",
            ("CO2", 1) if r.method == "combustion" => "CO2|Energy",
            ("CO2", 1) => "CO2|Process",
            _ => continue,
        };
        *m.entry(key.to_string()).or_default() += r.amount;
    }
    m
}

fn totals_of(inv: &Inventory) -> BTreeMap<String, Decimal> {
    // The view's substances, and memo items (biogenic CO2) as series of their
    // own; never rows the view leaves out of a counted substance.
    let memo = |k: &str| {
        crate::substance::Substance::parse(k)
            .is_some_and(|s| s.category() == crate::substance::Category::Memo)
    };
    let mut t: BTreeMap<String, Decimal> = inv
        .totals
        .by_substance
        .iter()
        .chain(inv.totals.outside_view.iter().filter(|(k, _)| memo(k)))
        .filter(|(k, _)| k.as_str() != "CO2e")
        .map(|(k, v)| (k.clone(), *v))
        .collect();
    t.insert("CO2e".into(), inv.totals.co2e);
    t.insert("APeq".into(), inv.totals.apeq);
    t.insert("WPeq".into(), inv.totals.wpeq);
    t.insert("energy_tce".into(), inv.totals.energy_tce);
    t
}

/// Runs a scenario over every year for every facility.
#[allow(clippy::too_many_arguments)]
pub fn run_scenario(
    scenario: &Scenario,
    extra: &[(String, Scope, Deployment)],
    study: &Study,
    base_settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    measures: &[Measure],
    rm: &Roadmap,
    rate: Decimal,
) -> crate::Result<Vec<Point>> {
    let mut out = Vec::new();
    let deployments: Vec<&(String, Scope, Deployment)> =
        scenario.deployments.iter().chain(extra.iter()).collect();
    for year in rm.base_year..=rm.end_year {
        let settings = scenario.settings(base_settings, year);
        for fy in &study.facility_years {
            let projected = scenario.project(fy, rm.base_year, year, sectors);
            let output = projected
                .activity
                .iter()
                .find(|a| a.item == "output")
                .map(|a| a.quantity.value)
                .unwrap_or_default();
            let (edits, cost, pen) = deployed(
                &deployments,
                measures,
                fy,
                sectors,
                year,
                rm,
                Some((output, rate)),
            )?;
            let inv = inventory_with_edits(&settings, lib, sectors, &projected, &edits)?;
            let city = fy.city.clone().unwrap_or_default();
            out.push(Point {
                facility: fy.facility_id.clone(),
                sector: fy.sector.clone(),
                region: sectors
                    .region_of(&city)
                    .map(|r| r.id.clone())
                    .unwrap_or_default(),
                city,
                county: fy.county.clone().unwrap_or_default(),
                year,
                output,
                totals: totals_of(&inv),
                split: split_of(&inv),
                cost,
                penetration: pen,
            });
        }
    }
    Ok(out)
}

/// A facility's technology, or its sector's default.
pub(crate) fn technology_of(fy: &FacilityYear, sectors: &SectorLibrary) -> String {
    fy.technology.clone().unwrap_or_else(|| {
        sectors
            .get(&fy.sector)
            .map(|s| s.default_technology.clone())
            .unwrap_or_default()
    })
}

/// The edits, annual cost (when `costing` gives output and discount rate) and
/// penetrations of the deployments that reach a facility in `year`. The base
/// year is as measured: deployment starts after it.
pub(crate) fn deployed(
    deployments: &[&(String, Scope, Deployment)],
    measures: &[Measure],
    fy: &FacilityYear,
    sectors: &SectorLibrary,
    year: i32,
    rm: &Roadmap,
    costing: Option<(Decimal, Decimal)>,
) -> crate::Result<(Vec<crate::study::Edit>, Decimal, BTreeMap<String, Decimal>)> {
    let tech = technology_of(fy, sectors);
    let mut edits = Vec::new();
    let mut cost = Decimal::ZERO;
    let mut pen = BTreeMap::new();
    if year <= rm.base_year {
        return Ok((edits, cost, pen));
    }
    for (mid, scope, dep) in deployments {
        let Some(m) = measures.iter().find(|m| &m.id == mid) else {
            continue;
        };
        if !m.applies(&fy.sector, &tech)
            || !scope.contains(fy, sectors)
            || rm.is_inert(&m.id, &fy.facility_id)
        {
            continue;
        }
        let x = dep.at(year).min(m.max_penetration).max(Decimal::ZERO);
        if x.is_zero() {
            continue;
        }
        edits.extend(m.edits_at(x));
        if let Some((output, rate)) = costing {
            cost = sum(cost, m.annual_cost(output, x, rate)?, "cost", year)?;
        }
        pen.insert(m.id.clone(), x);
    }
    Ok((edits, cost, pen))
}

/// The peak of a trajectory: its year and value, and the plateau after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peak {
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// last year of the plateau: values stay within the tolerance below the peak
    pub plateau_until: i32,
    /// false when the highest value is the last year (still rising)
    pub peaked: bool,
}

/// Finds the peak (the first year of the maximum) and the plateau that
/// follows: consecutive years within `tolerance` (a fraction) below it. A
/// plateau may fluctuate but never exceeds the peak (CAEP's definition).
pub fn peak(series: &[(i32, Decimal)], tolerance: Decimal) -> Option<Peak> {
    let (year, value) =
        series
            .iter()
            .copied()
            .fold(None, |best: Option<(i32, Decimal)>, (y, v)| match best {
                Some((_, bv)) if bv >= v => best,
                _ => Some((y, v)),
            })?;
    let floor = value * (Decimal::ONE - tolerance);
    let plateau_until = series
        .iter()
        .filter(|(y, _)| *y >= year)
        .take_while(|(_, v)| *v >= floor)
        .map(|(y, _)| *y)
        .last()
        .unwrap_or(year);
    let last = series.last().map(|(y, _)| *y).unwrap_or(year);
    Some(Peak {
        year,
        value,
        plateau_until,
        peaked: plateau_until < last,
    })
}

/// Whether and when a target is met in a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Attainment {
    pub target: String,
    pub scenario: String,
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub cap: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub value_in_year: Decimal,
    pub met_in_year: bool,
    /// first year from which the cap holds through the horizon
    pub met_from: Option<i32>,
}

/// Sums one quantity over a scope for each year.
pub fn series(
    points: &[Point],
    key: &str,
    scope: &Scope,
    study: &Study,
    sectors: &SectorLibrary,
) -> Vec<(i32, Decimal)> {
    let inside: BTreeSet<&str> = study
        .facility_years
        .iter()
        .filter(|f| scope.contains(f, sectors))
        .map(|f| f.facility_id.as_str())
        .collect();
    let mut by_year: BTreeMap<i32, Decimal> = BTreeMap::new();
    for p in points
        .iter()
        .filter(|p| inside.contains(p.facility.as_str()))
    {
        *by_year.entry(p.year).or_default() += p.totals.get(key).copied().unwrap_or_default();
    }
    by_year.into_iter().collect()
}

/// Province totals of one quantity per year.
pub fn series_of(points: &[Point], key: &str) -> BTreeMap<i32, Decimal> {
    let mut by_year = BTreeMap::new();
    for p in points {
        *by_year.entry(p.year).or_default() += p.totals.get(key).copied().unwrap_or_default();
    }
    by_year
}

/// Projects every scenario of a compiled roadmap on a study, the
/// least-cost scenario with the deployments already found: uncertainty runs
/// redraw the inputs and factors and keep the plan.
#[allow(clippy::too_many_arguments)]
pub fn project(
    study: &Study,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    measures: &[Measure],
    rm: &Roadmap,
    least_cost: Option<&optimise::LeastCost>,
    rate: Decimal,
) -> crate::Result<Vec<(String, Vec<Point>)>> {
    rm.scenarios
        .iter()
        .map(|s| {
            let extra = match (s.kind.as_str(), least_cost) {
                ("least_cost", Some(lc)) => lc.deployments(),
                _ => Vec::new(),
            };
            let points = run_scenario(
                s,
                &extra,
                study,
                &study.settings,
                lib,
                sectors,
                measures,
                rm,
                rate,
            )?;
            Ok((s.id.clone(), points))
        })
        .collect()
}

/// Attainment of each target in a scenario.
pub fn attainment(
    targets: &[Target],
    scenario: &str,
    points: &[Point],
    study: &Study,
    sectors: &SectorLibrary,
) -> Vec<Attainment> {
    targets
        .iter()
        .map(|t| {
            let s = series(points, &t.substance, &t.scope, study, sectors);
            let value = s
                .iter()
                .find(|(y, _)| *y == t.year)
                .map(|(_, v)| *v)
                .unwrap_or_default();
            let met_from = s
                .iter()
                .rev()
                .take_while(|(_, v)| *v <= t.cap)
                .last()
                .map(|(y, _)| *y);
            Attainment {
                target: t.id.clone(),
                scenario: scenario.to_string(),
                year: t.year,
                cap: t.cap,
                value_in_year: value,
                met_in_year: value <= t.cap,
                met_from,
            }
        })
        .collect()
}

/// A scenario's name for people: the kind's name (`bau` → business as usual,
/// 基准情景) where the id is the kind, `id (name)` where the user named a
/// scenario of a known kind, else the id as the user wrote it.
pub fn scenario_name(id: &str, kind: &str) -> Text {
    let known = match kind {
        "bau" => Some(tr!("business as usual", "基准情景")),
        "policy" => Some(tr!("policy", "政策情景")),
        "enhanced" => Some(tr!("enhanced", "强化情景")),
        "least_cost" => Some(tr!("least cost", "最低成本情景")),
        _ => None,
    };
    match known {
        Some(name) if id == kind || id.eq_ignore_ascii_case("bau") => name,
        Some(name) => Text::new(
            format!("{id} ({})", name.en),
            format!("{id}（{}）", name.get(Lang::Zh)),
        ),
        None => Text::neutral(id),
    }
}

/// One scenario's results.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioResult {
    pub scenario: String,
    pub kind: String,
    pub points: Vec<Point>,
    pub peak: Option<Peak>,
    pub attainment: Vec<Attainment>,
    /// year → co-control metrics against BAU (province)
    pub metrics_vs_bau: BTreeMap<i32, Metrics>,
    /// cumulative reductions against BAU from the base year, t (CO2e, substances)
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub cumulative_reduction: BTreeMap<String, Decimal>,
}

/// The full roadmap report.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapReport {
    pub study: String,
    pub base_year: i32,
    pub end_year: i32,
    pub scenarios: Vec<ScenarioResult>,
    pub targets: Vec<Target>,
    pub least_cost: Option<optimise::LeastCost>,
    pub plateau_tolerance: String,
    /// (measure, facility) pairs where the measure changes nothing, so no
    /// deployment counts there (coal-to-gas at a gas-fired plant; a
    /// green-power contract under the location-based scope 2)
    pub inert: Vec<(String, String)>,
}

/// The problems `measures` and `roadmap` would report in a study's own
/// `measures`, `scenarios` and `targets` sheets (empty when there are none):
/// `validate` runs this so that it checks every sheet the other commands read,
/// with the same compilers and the same words.
pub fn check_plans(
    study: &Study,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> Vec<DataError> {
    let findings_of = |e: Error| match e {
        Error::Data(d) => vec![d],
        Error::Invalid(ds) => ds,
        other => vec![DataError::new(
            Location::file(&study.path),
            Text::new(other.to_string(), other.text(Lang::Zh)),
        )],
    };
    let library = match crate::measures::MeasureLibrary::embedded(sectors) {
        Ok(l) => l,
        Err(e) => return findings_of(e),
    };
    let measures = match crate::measures::all_measures(study, sectors, &library, factors) {
        Ok(m) => m,
        Err(e) => return findings_of(e),
    };
    compile(study, sectors, &measures).err().unwrap_or_default()
}

/// `a + b` of the roadmap's sums over facilities and years; an overflow is
/// an error naming the quantity and year, never a panic.
fn sum(a: Decimal, b: Decimal, what: &str, year: i32) -> crate::Result<Decimal> {
    a.checked_add(b).ok_or_else(|| {
        let what_zh = if what == "cost" {
            "成本".to_string()
        } else {
            format!(" {what} ")
        };
        Error::request(Text::new(
            format!(
                "the roadmap's sum of {what} in {year} is out of range (larger than about 7.9e28): check the magnitudes and units of the inputs"
            ),
            format!(
                "路线图中 {year} 年{what_zh}的合计超出数值范围（大于约 7.9e28）：请检查输入值的数量级和单位"
            ),
        ))
    })
}

/// Tolerance below the peak that still counts as plateau (2 %, an assumption:
/// CAEP allows fluctuation but gives no number).
pub const PLATEAU_TOLERANCE: Decimal = dec!(0.02);

/// Runs every scenario of a study (and the least-cost one, if any).
pub fn run(
    study: &Study,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    measures: &[Measure],
    ms: &MetricSettings,
) -> crate::Result<RoadmapReport> {
    let mut rm = compile(study, sectors, measures).map_err(Error::from_findings)?;
    rm.find_inert(study, lib, sectors, measures)?;
    let mut results: Vec<ScenarioResult> = Vec::new();
    let mut least_cost = None;
    let bau = rm
        .scenarios
        .iter()
        .find(|s| s.kind == "bau" || s.id.eq_ignore_ascii_case("bau"))
        .cloned();
    let run = |s: &Scenario, extra: &[(String, Scope, Deployment)]| {
        run_scenario(
            s,
            extra,
            study,
            &study.settings,
            lib,
            sectors,
            measures,
            &rm,
            ms.discount_rate,
        )
    };
    let bau_points = match &bau {
        Some(b) => run(b, &[])?,
        None => Vec::new(),
    };
    for s in &rm.scenarios {
        let points = if Some(&s.id) == bau.as_ref().map(|b| &b.id) {
            bau_points.clone()
        } else if s.kind == "least_cost" {
            let lc = optimise::least_cost(s, study, lib, sectors, measures, &rm, ms)?;
            let pts = run(s, &lc.deployments())?;
            least_cost = Some(lc);
            pts
        } else {
            run(s, &[])?
        };
        let co2e = series(&points, "CO2e", &Scope::All, study, sectors);
        let mut metrics = BTreeMap::new();
        let mut cumulative: BTreeMap<String, Decimal> = BTreeMap::new();
        for year in rm.base_year..=rm.end_year {
            let mut t = Totals2::default();
            for (p, b) in points
                .iter()
                .zip(&bau_points)
                .filter(|(p, _)| p.year == year)
            {
                for (k, v) in &b.totals {
                    let e = t.pairs.entry(k.clone()).or_default();
                    e.0 = sum(e.0, *v, k, year)?;
                    e.1 = sum(e.1, p.totals.get(k).copied().unwrap_or_default(), k, year)?;
                }
                t.cost = sum(t.cost, p.cost, "cost", year)?;
            }
            for (k, (a, b)) in &t.pairs {
                let c = cumulative.entry(k.clone()).or_default();
                *c = sum(*c, sum(*a, -*b, k, year)?, k, year)?;
            }
            metrics.insert(year, Metrics::from_totals(&t, ms)?);
        }
        results.push(ScenarioResult {
            scenario: s.id.clone(),
            kind: s.kind.clone(),
            attainment: attainment(&rm.targets, &s.id, &points, study, sectors),
            peak: peak(&co2e, PLATEAU_TOLERANCE),
            metrics_vs_bau: metrics,
            cumulative_reduction: cumulative,
            points,
        });
    }
    Ok(RoadmapReport {
        study: study.name.clone(),
        base_year: rm.base_year,
        end_year: rm.end_year,
        scenarios: results,
        targets: rm.targets,
        least_cost,
        plateau_tolerance: format!(
            "{} % below the peak",
            PLATEAU_TOLERANCE * Decimal::ONE_HUNDRED
        ),
        inert: rm.inert.iter().cloned().collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[(i32, i64)]) -> Vec<(i32, Decimal)> {
        v.iter().map(|(y, x)| (*y, Decimal::from(*x))).collect()
    }

    #[test]
    fn a_county_scope_names_a_division_below_its_city() {
        let f = crate::FactorLibrary::embedded().unwrap();
        let sectors = SectorLibrary::embedded(&f).unwrap();
        for text in ["county:夹江", "county:乐山市夹江县", "county:Jiajiang"] {
            assert_eq!(
                Scope::parse(Some(text), &sectors),
                Ok(Scope::County("夹江县".into())),
                "{text}"
            );
        }
        let err = Scope::parse(Some("county:乐山"), &sectors).unwrap_err();
        assert!(err.en.contains("city:乐山"), "{err}");
        let err = Scope::parse(Some("county:市中区"), &sectors).unwrap_err();
        assert!(err.en.contains("ambiguous"), "{err}");
        // the county ranks between the city and the facility for overlapping rows
        assert!(Scope::City("leshan".into()).rank() < Scope::County("夹江县".into()).rank());
        assert!(Scope::County("夹江县".into()).rank() < Scope::Facility("x".into()).rank());
    }

    #[test]
    fn peak_of_a_rise_and_fall() {
        let p = peak(
            &s(&[(2023, 90), (2024, 95), (2025, 100), (2026, 97), (2027, 90)]),
            dec!(0.02),
        )
        .unwrap();
        assert_eq!(
            (p.year, p.value, p.plateau_until, p.peaked),
            (2025, dec!(100), 2025, true)
        );
    }

    #[test]
    fn plateau_within_tolerance_then_decline() {
        // 100 → 99 → 98.5 stay within 2 % of the peak; 97 falls below.
        let series = vec![
            (2028, dec!(100)),
            (2029, dec!(99)),
            (2030, dec!(98.5)),
            (2031, dec!(97)),
            (2032, dec!(90)),
        ];
        let p = peak(&series, dec!(0.02)).unwrap();
        assert_eq!((p.year, p.plateau_until, p.peaked), (2028, 2030, true));
    }

    #[test]
    fn still_rising_has_not_peaked() {
        let p = peak(&s(&[(2023, 1), (2024, 2), (2025, 3)]), dec!(0.02)).unwrap();
        assert_eq!((p.year, p.peaked), (2025, false));
    }

    #[test]
    fn equal_maxima_take_the_first_year() {
        let p = peak(&s(&[(2023, 5), (2024, 7), (2025, 7), (2026, 3)]), dec!(0)).unwrap();
        assert_eq!((p.year, p.plateau_until), (2024, 2025));
    }

    #[test]
    fn interpolation_is_linear_and_held() {
        let p = BTreeMap::from([(2025, dec!(0.2)), (2030, dec!(0.7))]);
        assert_eq!(interpolate(&p, 2027), Some(dec!(0.4)));
        assert_eq!(interpolate(&p, 2040), Some(dec!(0.7)));
        assert_eq!(interpolate(&p, 2020), Some(dec!(0.2)));
    }
}
