//! Roadmaps to 2030/2035/2060: scenarios (activity growth, capacity caps, the
//! grid-factor trajectory, measure deployment explicit or by S-curve), the
//! per-year inventories they give, aggregation by facility, sector, city and
//! economic region, reductions against BAU, peak year and plateau, target
//! attainment, and the least-cost deployment for joint targets (`optimise`).
//!
//! Every year's inventory is the exact engine run on the projected activity
//! with the scenario's edits; only the least-cost choice of penetrations is
//! an `f64` linear programme, whose deployment is then re-run exactly.
//!
//! The parts: `scope` (which facilities a row applies to), `scenario` (what
//! a compiled roadmap holds and how a scenario projects one facility-year),
//! `compile` (the sheets into a roadmap), `projection` (the one year-by-year
//! loop every run and the optimiser walk), `outcomes` (series, peak,
//! attainment), `optimise` (least cost); this file runs them into the report.

mod compile;
pub mod optimise;
mod outcomes;
mod projection;
mod scenario;
mod scope;
pub mod scurve;

pub use compile::{check_plans, compile};
pub use outcomes::{attainment, peak, series, series_of, Attainment, Peak, PLATEAU_TOLERANCE};
use projection::sum;
pub use projection::{project, run_scenario, Point};
use projection::{Projected, Projector};
pub use scenario::{interpolate, Deployment, Roadmap, Scenario, Target};
pub use scope::Scope;

use crate::error::Error;
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::measures::{Measure, MetricSettings, Metrics, Totals2};
use crate::study::Study;
use crate::text::{Lang, Text};
use crate::tr;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// A scenario's name for people: the kind's name (`bau` → business as usual,
/// 基准情景) where the id is the kind, `id (name)` where the user named a
/// scenario of a known kind, else the id as the user wrote it.
pub fn scenario_name(id: &str, kind: &str) -> Text {
    // The built-in study's grid sensitivities of BAU (sectors/study/sichuan.toml).
    match id {
        "bau_dry_year" => return tr!("BAU, dry-year grid", "基准情景（枯水年电网）"),
        "bau_flat_grid" => return tr!("BAU, flat grid", "基准情景（电网因子不变）"),
        _ => {}
    }
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
    /// The same in the reader's language (English as the field above).
    #[serde(skip)]
    pub plateau_tolerance_text: Text,
    /// (measure, facility) pairs where the measure changes nothing, so no
    /// deployment counts there (coal-to-gas at a gas-fired plant; a
    /// green-power contract under the location-based scope 2)
    pub inert: Vec<(String, String)>,
    /// What the study's facilities cover, where the study says (every
    /// output states it)
    pub coverage: Option<crate::study::Coverage>,
    /// measure → why it is not applicable at some of those facilities
    /// (fuel, existing control, a default not yet measured)
    #[serde(skip)]
    pub inert_why: BTreeMap<String, Text>,
}

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
        let (metrics, cumulative) = against_bau(&points, &bau_points, &rm, ms)?;
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
    let (plateau_tolerance, plateau_tolerance_text) = plateau_tolerance();
    Ok(RoadmapReport {
        study: study.name.clone(),
        base_year: rm.base_year,
        end_year: rm.end_year,
        scenarios: results,
        targets: rm.targets,
        least_cost,
        plateau_tolerance,
        plateau_tolerance_text,
        inert: rm.inert.iter().cloned().collect(),
        coverage: study.coverage.clone(),
        inert_why: rm.inert_why.clone(),
    })
}

/// A scenario's points against BAU's, facility by facility: the co-control
/// metrics of each year and the reductions summed from the base year.
#[allow(clippy::type_complexity)]
fn against_bau(
    points: &[Point],
    bau_points: &[Point],
    rm: &Roadmap,
    ms: &MetricSettings,
) -> crate::Result<(BTreeMap<i32, Metrics>, BTreeMap<String, Decimal>)> {
    let mut metrics = BTreeMap::new();
    let mut cumulative: BTreeMap<String, Decimal> = BTreeMap::new();
    for year in rm.base_year..=rm.end_year {
        let mut t = Totals2::default();
        for (p, b) in points
            .iter()
            .zip(bau_points)
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
    Ok((metrics, cumulative))
}

/// The plateau tolerance for people: the English of the JSON field (the
/// percentage as computed, `2.00 % below the peak`) and the text in both
/// languages (the Chinese with the percentage normalised, as the report
/// writes it).
fn plateau_tolerance() -> (String, Text) {
    let percent = PLATEAU_TOLERANCE * Decimal::ONE_HUNDRED;
    let en = format!("{percent} % below the peak");
    let percent_zh = percent.normalize();
    let text = tr!("{percent} % below the peak", "峰值以下 {percent_zh} % 以内");
    (en, text)
}
