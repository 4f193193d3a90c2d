//! How likely each target is: the roadmap's scenarios projected again for
//! every Monte Carlo run, with the library's factors and the study's activity
//! drawn as in the inventory's Monte Carlo (a factor once per run for every
//! facility, activity per facility), the plan held fixed (each scenario's
//! deployments; the least-cost scenario with the deployments found for the
//! central values). Per scenario and target: the share of runs in which the
//! cap holds in its year; per scenario, substance and year: the fan (2.5, 25,
//! 50, 75 and 97.5th percentiles) of the province totals.

use super::{draw_into, f, inputs, percentile};
use crate::accounting::inventory;
use crate::error::Error;
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::measures::Measure;
use crate::roadmap::{self, optimise::LeastCost, Roadmap, Scope};
use crate::study::Study;
use crate::tr;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use rand_distr::Distribution;
use rayon::prelude::*;
use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The substances whose fans are drawn.
pub const FAN_SUBSTANCES: [&str; 4] = ["CO2e", "SO2", "NOx", "PM"];

/// The probability that one target is met in one scenario.
#[derive(Debug, Clone, Serialize)]
pub struct TargetOdds {
    pub scenario: String,
    pub target: String,
    pub substance: String,
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub cap: Decimal,
    /// share of runs with the scenario's value in the target year at or
    /// below the cap
    pub probability: f64,
    /// the median value in the target year across runs
    pub median: f64,
}

/// One year of a scenario's fan for one substance (province totals, t).
#[derive(Debug, Clone, Serialize)]
pub struct FanPoint {
    pub scenario: String,
    pub substance: String,
    pub year: i32,
    pub p2_5: f64,
    pub p25: f64,
    pub p50: f64,
    pub p75: f64,
    pub p97_5: f64,
}

/// The roadmap's Monte Carlo.
#[derive(Debug, Clone, Serialize)]
pub struct RoadmapOdds {
    pub runs: usize,
    pub seed: u64,
    pub method: String,
    pub odds: Vec<TargetOdds>,
    pub fans: Vec<FanPoint>,
}

/// The spreads of a scenario's own assumptions (`spread.roadmap.*` in
/// `factors/uncertainty-defaults`), as standard deviations.
#[derive(Debug, Clone, Copy, Default)]
pub struct PathSpreads {
    /// of the offset added to every annual growth rate of one sector
    pub growth_sd: f64,
    /// of the offset added to every point of a scenario's grid path, tCO2/MWh
    pub grid_sd: f64,
}

impl PathSpreads {
    /// Reads the 95 % half-widths from the library; a missing factor or 0 is
    /// no spread, a negative one an error at the factor's file and line.
    pub fn from_library(lib: &FactorLibrary) -> crate::Result<Self> {
        let sd = |id: &str, scale: f64| -> crate::Result<f64> {
            match lib.find(id) {
                None => Ok(0.0),
                Some(x) if x.value < Decimal::ZERO => {
                    let value = x.value;
                    Err(Error::Data(crate::error::DataError::new(
                        x.location.clone(),
                        tr!(
                            "{id} = {value}: a spread cannot be negative; give 0 for none",
                            "{id} = {value}：分布范围不能为负；无分布时填 0"
                        ),
                    )))
                }
                Some(x) => Ok(f(x.value) * scale / 1.96),
            }
        };
        Ok(PathSpreads {
            growth_sd: sd("spread.roadmap.growth", 0.01)?,
            grid_sd: sd("spread.roadmap.grid", 1.0)?,
        })
    }

    /// The roadmap with run `r`'s draws: one growth offset per sector and
    /// one grid offset, each shared by every scenario and year of the run
    /// (a wet decade or a slow market moves every plan alike), so the
    /// scenarios' differences stay those of their plans. Grid points after
    /// the base year move; none falls below zero.
    pub fn apply(&self, rm: &Roadmap, sector_ids: &[String], seed: u64, r: usize) -> Roadmap {
        let mut out = rm.clone();
        if self.growth_sd == 0.0 && self.grid_sd == 0.0 {
            return out;
        }
        // A stream of its own, so adding these draws leaves the factor and
        // activity draws of run r unchanged.
        let mut rng = ChaCha8Rng::seed_from_u64(
            seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
                .wrapping_add(r as u64)
                ^ 0x05EE_D0F9_A7B5,
        );
        let normal = |sd: f64, rng: &mut ChaCha8Rng| -> Decimal {
            let z: f64 = rand_distr::StandardNormal.sample(rng);
            Decimal::from_f64(z * sd).unwrap_or_default().round_dp(6)
        };
        let growth: BTreeMap<String, Decimal> = sector_ids
            .iter()
            .map(|s| (s.clone(), normal(self.growth_sd, &mut rng)))
            .collect();
        let grid = normal(self.grid_sd, &mut rng);
        for s in &mut out.scenarios {
            s.growth_offset = growth.clone();
            for (y, v) in s.grid.iter_mut() {
                if *y > rm.base_year {
                    *v = (*v + grid).max(Decimal::ZERO);
                }
            }
        }
        out
    }
}

/// One run: per scenario, each target's value in its year, and the fan
/// substances' province series.
type RunResult = BTreeMap<String, (Vec<f64>, BTreeMap<(String, i32), f64>)>;

/// Runs `runs` projections of every scenario with drawn inputs (in
/// parallel), calling `progress` after each run.
#[allow(clippy::too_many_arguments)]
pub fn roadmap_odds(
    study: &Study,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    measures: &[Measure],
    rate: Decimal,
    least_cost: Option<&LeastCost>,
    runs: usize,
    seed: u64,
    progress: &(dyn Fn() + Sync),
) -> crate::Result<RoadmapOdds> {
    if runs == 0 {
        return Err(Error::request(tr!(
            "--runs must be at least 1",
            "--runs 至少为 1"
        )));
    }
    let mut rm = roadmap::compile(study, sectors, measures).map_err(Error::from_findings)?;
    rm.find_inert(study, lib, sectors, measures)?;
    let base: Vec<_> = study
        .facility_years
        .iter()
        .map(|fy| inventory(&study.settings, lib, sectors, fy))
        .collect::<crate::Result<_>>()?;
    let ins = inputs(&base, &study.facility_years, lib);
    let tracked = vec![false; ins.len()];
    let years: Vec<i32> = (rm.base_year..=rm.end_year).collect();
    let paths = PathSpreads::from_library(lib)?;
    let sector_ids: Vec<String> = sectors.sectors.keys().cloned().collect();
    let one = |r: usize, lib: &mut FactorLibrary, st: &mut Study| -> crate::Result<RunResult> {
        draw_into(r, seed, &ins, lib, &mut st.facility_years, &tracked)?;
        let drawn_rm = paths.apply(&rm, &sector_ids, seed, r);
        let mut out = RunResult::new();
        for (scenario, points) in
            roadmap::project(st, lib, sectors, measures, &drawn_rm, least_cost, rate)?
        {
            let values = rm
                .targets
                .iter()
                .map(|t| {
                    roadmap::series(&points, &t.substance, &t.scope, st, sectors)
                        .iter()
                        .find(|(y, _)| *y == t.year)
                        .map(|(_, v)| f(*v))
                        .unwrap_or(f64::NAN)
                })
                .collect();
            let mut fan = BTreeMap::new();
            for sub in FAN_SUBSTANCES {
                for (y, v) in roadmap::series(&points, sub, &Scope::All, st, sectors) {
                    fan.insert((sub.to_string(), y), f(v));
                }
            }
            out.insert(scenario, (values, fan));
        }
        Ok(out)
    };
    let results: Vec<RunResult> = (0..runs)
        .into_par_iter()
        .with_min_len(4)
        .map_init(
            || (lib.clone(), study.clone()),
            |(l, s), r| {
                let result = one(r, l, s);
                progress();
                result
            },
        )
        .collect::<crate::Result<_>>()?;
    let mut odds = Vec::new();
    let mut fans = Vec::new();
    for s in &rm.scenarios {
        for (i, t) in rm.targets.iter().enumerate() {
            let mut v: Vec<f64> = results
                .iter()
                .filter_map(|r| r.get(&s.id).map(|x| x.0[i]))
                .filter(|x| x.is_finite())
                .collect();
            if v.is_empty() {
                continue;
            }
            let cap = f(t.cap);
            let met = v.iter().filter(|x| **x <= cap).count();
            v.sort_by(f64::total_cmp);
            odds.push(TargetOdds {
                scenario: s.id.clone(),
                target: t.id.clone(),
                substance: t.substance.clone(),
                year: t.year,
                cap: t.cap,
                probability: met as f64 / v.len() as f64,
                median: percentile(&v, 0.5),
            });
        }
        for sub in FAN_SUBSTANCES {
            for &y in &years {
                let mut v: Vec<f64> = results
                    .iter()
                    .filter_map(|r| r.get(&s.id).and_then(|x| x.1.get(&(sub.to_string(), y))))
                    .copied()
                    .collect();
                if v.is_empty() {
                    continue;
                }
                v.sort_by(f64::total_cmp);
                fans.push(FanPoint {
                    scenario: s.id.clone(),
                    substance: sub.to_string(),
                    year: y,
                    p2_5: percentile(&v, 0.025),
                    p25: percentile(&v, 0.25),
                    p50: percentile(&v, 0.5),
                    p75: percentile(&v, 0.75),
                    p97_5: percentile(&v, 0.975),
                });
            }
        }
    }
    Ok(RoadmapOdds {
        runs,
        seed,
        method: "Each run draws every library factor with a spread once (shared by all facilities) and every activity value with a spread per facility, as the inventory's Monte Carlo does, then projects every scenario with its deployments held fixed (least cost: the deployments found for the central values); each run also draws one offset on every annual growth rate per sector (normal, 95 % half-width spread.roadmap.growth, an assumption) and one offset on every point of each grid path after the base year (spread.roadmap.grid, an assumption), shared by every scenario and year of the run; measure effects carry the spreads of the library factors they use (control efficiencies, fuel factors) and none where a measure states a literal scale. Run r uses its own ChaCha8 generator seeded by (seed, r), so the numbers do not depend on the thread count.".into(),
        odds,
        fans,
    })
}
