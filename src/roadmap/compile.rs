//! Compiles a study's `scenarios` and `targets` sheets into a [`Roadmap`]:
//! the horizon, the rows of each scenario (common `*` rows first), explicit
//! and S-curve deployments, least-cost candidates, and the targets; every
//! problem is collected as a finding so that one pass reports them all.

use super::scenario::{Deployment, Roadmap, Scenario, Target};
use super::scurve::SCurve;
use super::Scope;
use crate::error::{did_you_mean, DataError, Error, Location};
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::measures::Measure;
use crate::study::{ScenarioRow, Study};
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::Unit;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::{BTreeMap, BTreeSet};

/// The fields a scenario row may name.
const FIELDS: [&str; 9] = [
    "growth", "output", "cap", "grid", "deploy", "x_max", "anchor", "ramp", "horizon",
];

/// `v` in `unit` converted to `want` (a bare number or a fraction as it is).
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
    let end_year = horizon(study, base_year, &mut errs);
    let ctx = RowContext {
        base_year,
        sectors,
        measures,
    };
    let scenarios = scenario_rows(study)
        .into_iter()
        .map(|(id, rows)| compile_scenario(&id, &rows, &ctx, &mut errs))
        .collect();
    let targets = compile_targets(study, sectors, &mut errs);
    if errs.is_empty() {
        Ok(Roadmap {
            base_year,
            end_year,
            scenarios,
            targets,
            inert: BTreeSet::new(),
            inert_why: Default::default(),
            energy_per_output: Default::default(),
        })
    } else {
        Err(errs)
    }
}

/// The last year of the projection: the `horizon` rows (the last valid one
/// wins), else 2060.
fn horizon(study: &Study, base_year: i32, errs: &mut Vec<DataError>) -> i32 {
    let mut end_year = 2060;
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
    end_year
}

/// The rows of each scenario in the order the sheet first names them, the
/// rows of scenario `*` (or `all`) first in every one; a `bau` scenario is
/// added (with the common rows only) when the sheet has none.
fn scenario_rows(study: &Study) -> Vec<(String, Vec<&ScenarioRow>)> {
    let mut order: Vec<String> = Vec::new();
    let mut by_id: BTreeMap<String, Vec<&ScenarioRow>> = BTreeMap::new();
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
    order
        .into_iter()
        .map(|id| {
            let rows: Vec<&ScenarioRow> = common
                .iter()
                .copied()
                .chain(by_id[&id].iter().copied())
                .collect();
            (id, rows)
        })
        .collect()
}

/// What the rows of one scenario compile against.
struct RowContext<'a> {
    base_year: i32,
    sectors: &'a SectorLibrary,
    measures: &'a [Measure],
}

/// The deployment rows of one scenario, gathered per measure before they
/// become deployments (an S-curve needs its x_max and both anchors).
#[derive(Default)]
struct DeploymentRows {
    xmax: BTreeMap<String, (Decimal, Location)>,
    anchors: BTreeMap<String, Vec<(i32, Decimal)>>,
    explicit: BTreeMap<String, BTreeMap<i32, Decimal>>,
    ramps: BTreeMap<String, Decimal>,
    scopes: BTreeMap<String, Scope>,
}

/// One scenario from its rows: the rows read one by one, then the
/// deployments built from them, then (least-cost) the candidates.
fn compile_scenario(
    id: &str,
    rows: &[&ScenarioRow],
    ctx: &RowContext,
    errs: &mut Vec<DataError>,
) -> Scenario {
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
        id: id.to_string(),
        kind: kind.clone(),
        growth: Vec::new(),
        output_index: Vec::new(),
        caps: Vec::new(),
        grid: BTreeMap::new(),
        deployments: Vec::new(),
        candidates: BTreeMap::new(),
        growth_offset: BTreeMap::new(),
    };
    let mut d = DeploymentRows::default();
    for r in rows {
        read_row(r, &mut s, &mut d, ctx, errs);
    }
    explicit_deployments(&mut s, &mut d, ctx.base_year, errs);
    scurve_deployments(&mut s, &mut d, errs);
    if kind == "least_cost" {
        least_cost_candidates(&mut s, &d);
    }
    s
}

/// Reads one row into the scenario (growth, output, cap, grid) or into the
/// deployment rows; a bad row leaves a finding and changes nothing.
fn read_row(
    r: &ScenarioRow,
    s: &mut Scenario,
    d: &mut DeploymentRows,
    ctx: &RowContext,
    errs: &mut Vec<DataError>,
) {
    let (base_year, sectors, measures) = (ctx.base_year, ctx.sectors, ctx.measures);
    let DeploymentRows {
        xmax,
        anchors,
        explicit,
        ramps,
        scopes,
    } = d;
    let at = r.location.clone();
    let field = &r.field;
    let scope = match Scope::parse(r.scope.as_deref(), sectors) {
        Ok(x) => x,
        Err(m) => {
            errs.push(DataError::new(at, m));
            return;
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
            if let Ok(v) = need_value(errs) {
                s.growth.push((scope, r.year.unwrap_or(base_year + 1), v));
            }
        }
        "output" => {
            if let (Ok(y), Ok(v)) = (need_year(errs), need_value(errs)) {
                match s.output_index.iter_mut().find(|(sc, _)| *sc == scope) {
                    Some((_, p)) => {
                        p.insert(y, v);
                    }
                    None => s.output_index.push((scope, BTreeMap::from([(y, v)]))),
                }
            }
        }
        "cap" => {
            if let Ok(v) = need_value(errs) {
                s.caps.push((scope, v));
            }
        }
        "grid" => {
            if let (Ok(y), Ok(v)) = (need_year(errs), need_value(errs)) {
                match unit_value(v, r.unit.as_deref(), "tCO2/MWh") {
                    Ok(v) => {
                        s.grid.insert(y, v);
                    }
                    Err(m) => errs.push(DataError::new(r.value_location.clone(), m)),
                }
            }
        }
        "deploy" => {
            if let (Some(m), Ok(y), Ok(v)) = (measure(errs), need_year(errs), need_value(errs)) {
                explicit.entry(m.clone()).or_default().insert(y, v);
                scopes.insert(m, scope);
            }
        }
        "x_max" => {
            if let (Some(m), Ok(v)) = (measure(errs), need_value(errs)) {
                xmax.insert(m.clone(), (v, r.value_location.clone()));
                scopes.insert(m, scope);
            }
        }
        "anchor" => {
            if let (Some(m), Ok(y), Ok(v)) = (measure(errs), need_year(errs), need_value(errs)) {
                anchors.entry(m).or_default().push((y, v));
            }
        }
        "ramp" => {
            if let (Some(m), Ok(v)) = (measure(errs), need_value(errs)) {
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

/// The explicit deployments (`deploy` rows), each from nothing in the base
/// year to its first point.
fn explicit_deployments(
    s: &mut Scenario,
    d: &mut DeploymentRows,
    base_year: i32,
    errs: &mut Vec<DataError>,
) {
    let id = s.id.clone();
    for (m, points) in std::mem::take(&mut d.explicit) {
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
        let scope = d.scopes.get(&m).cloned().unwrap_or(Scope::All);
        s.deployments
            .push((m, scope, Deployment::Explicit { points }));
    }
}

/// The S-curve deployments: two `anchor` rows and an `x_max` row each.
fn scurve_deployments(s: &mut Scenario, d: &mut DeploymentRows, errs: &mut Vec<DataError>) {
    let id = s.id.clone();
    for (m, list) in std::mem::take(&mut d.anchors) {
        let Some((x_max, at)) = d.xmax.get(&m).cloned() else {
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
                let scope = d.scopes.get(&m).cloned().unwrap_or(Scope::All);
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
}

/// A least-cost scenario's candidates (its `x_max` rows with their ramps,
/// 0.2 a year by default): the optimiser chooses their deployment, so they
/// leave the scenario's fixed deployments.
fn least_cost_candidates(s: &mut Scenario, d: &DeploymentRows) {
    for (m, (x, _)) in &d.xmax {
        let ramp = d.ramps.get(m).copied().unwrap_or(dec!(0.2));
        s.candidates.insert(m.clone(), (*x, ramp));
    }
    s.deployments
        .retain(|(m, _, _)| !s.candidates.contains_key(m));
}

/// The `targets` rows: scope, substance (CO2e, APeq, WPeq or a substance
/// code) and cap in t.
fn compile_targets(
    study: &Study,
    sectors: &SectorLibrary,
    errs: &mut Vec<DataError>,
) -> Vec<Target> {
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
    targets
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
