//! Monte Carlo uncertainty (IPCC 2006 Vol. 1 Ch. 3, Approach 2, with Approach 1
//! and a tornado beside it in `propagation`): factors and
//! activity values with a spread are sampled, and each sample is computed by
//! the same exact engine as the inventory (one implementation of the
//! formulas): each facility-year replayed in `f64` from the plan compiled
//! from the engine's own runs (`plan`), or, where no plan holds, through the
//! engine itself with the draws passed as decimals. Run r draws from its own
//! generator seeded by (seed, r), so the numbers do not depend on the thread
//! count. Results: mean, median and the 2.5/97.5
//! percentiles per facility, sector and province, and a sensitivity ranking
//! by Spearman rank correlation with the province CO2e.

mod outcome;
mod plan;
mod propagation;
pub mod roadmap;
pub use propagation::{spread_of, TornadoBar};

use crate::accounting::{inventory, Inventory};
use crate::error::{DataError, Error, Location};
use crate::factors::{FactorLibrary, Uncertainty};
use crate::graph::SectorLibrary;
use crate::study::{FacilityYear, Settings};
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::Quantity;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Normal, Triangular, Uniform};
use rayon::prelude::*;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The most inputs ranked by rank correlation: those with the widest
/// tornado bars.
pub const MAX_RANKED_INPUTS: usize = 100;

/// One uncertain input.
#[derive(Debug, Clone)]
pub struct Input {
    /// `factor:<id>` or `activity:<facility>:<item>`
    pub name: String,
    pub value: f64,
    pub dist: Uncertainty,
    pub location: Location,
    target: Target,
}

#[derive(Debug, Clone)]
enum Target {
    Factor(String),
    Activity(usize, usize),
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// Draws one value; quantities are never negative (a draw below zero is 0).
/// The error is the distribution's own message (English) or a [`Text`].
pub fn draw(u: &Uncertainty, value: f64, rng: &mut impl Rng) -> Result<f64, Text> {
    let v = match u {
        Uncertainty::Pct95 { half_width_pct } => {
            let sd = value.abs() * f(*half_width_pct) / 100.0 / 1.96;
            Normal::new(value, sd)
                .map_err(|e| Text::from(e.to_string()))?
                .sample(rng)
        }
        Uncertainty::Normal { sd } => Normal::new(value, f(*sd))
            .map_err(|e| Text::from(e.to_string()))?
            .sample(rng),
        Uncertainty::Lognormal { gsd } => {
            if value <= 0.0 {
                return Err(tr!(
                    "a lognormal needs a positive value",
                    "对数正态分布要求数值为正"
                ));
            }
            LogNormal::new(value.ln(), f(*gsd).ln())
                .map_err(|e| Text::from(e.to_string()))?
                .sample(rng)
        }
        Uncertainty::Uniform { low, high } => {
            let (a, b) = (f(*low), f(*high));
            if a == b {
                a
            } else {
                Uniform::new(a, b)
                    .map_err(|e| Text::from(e.to_string()))?
                    .sample(rng)
            }
        }
        Uncertainty::Triangular { low, mode, high } => {
            let (a, m, b) = (f(*low), f(*mode), f(*high));
            if a == b {
                a
            } else {
                Triangular::new(a, b, m)
                    .map_err(|e| Text::from(e.to_string()))?
                    .sample(rng)
            }
        }
    };
    Ok(v.max(0.0))
}

/// The uncertain inputs of a study: factors the inventories use that carry
/// a spread, and activity values with an `uncertainty`.
pub fn inputs(base: &[Inventory], fys: &[FacilityYear], lib: &FactorLibrary) -> Vec<Input> {
    let used: BTreeSet<String> = base.iter().flat_map(|i| i.factor_ids()).collect();
    let mut out = Vec::new();
    for id in used {
        if let Some(fac) = lib.find(&id) {
            if let Some(u) = &fac.uncertainty {
                out.push(Input {
                    name: format!("factor:{id}"),
                    value: f(fac.value),
                    dist: u.clone(),
                    location: fac.location.clone(),
                    target: Target::Factor(id.clone()),
                });
            }
        }
    }
    for (fi, fy) in fys.iter().enumerate() {
        for (ai, a) in fy.activity.iter().enumerate() {
            let dist = match &a.uncertainty {
                Some(u) => Some((**u).clone()),
                None if a.quantity.value.is_zero() => None,
                // a tier word: the library's spread for it (fractions stay
                // exact, as below: a percentage spread ignores their bound)
                None if a.tier.is_some()
                    && !a.item.starts_with("control.")
                    && !matches!(a.quantity.unit.symbol(), "%" | "fraction" | "1") =>
                {
                    tier_spread(a.tier, &a.item, lib)
                }
                // A fraction (a control efficiency, an oxidation factor, a
                // share) is bounded by 1, which a normal spread ignores: it
                // is drawn only where the workbook gives its spread.
                None if a.item.starts_with("control.")
                    || matches!(a.quantity.unit.symbol(), "%" | "fraction" | "1") =>
                {
                    None
                }
                None => default_activity_spread(&a.item, lib),
            };
            if let Some(dist) = dist {
                out.push(Input {
                    name: format!("activity:{}:{}", fy.facility_id, a.item),
                    value: f(a.quantity.value),
                    dist,
                    location: a.location.clone(),
                    target: Target::Activity(fi, ai),
                });
            }
        }
    }
    out
}

/// The spread of an activity value the workbook says was obtained by this
/// tier: measured takes the default of its kind, metered and estimated the
/// library's factor for the tier.
fn tier_spread(
    tier: Option<crate::factors::ActivityTier>,
    item: &str,
    lib: &FactorLibrary,
) -> Option<Uncertainty> {
    match tier.and_then(|t| t.spread_id()) {
        None => default_activity_spread(item, lib),
        Some(id) => lib.find(id).map(|f| Uncertainty::Pct95 {
            half_width_pct: f.value,
        }),
    }
}

/// The library's default spread for a measured activity value of this item
/// (`spread.activity.<kind>` in `factors/uncertainty-defaults`): each
/// facility's activity is its own input, drawn independently of the others.
fn default_activity_spread(item: &str, lib: &FactorLibrary) -> Option<Uncertainty> {
    let item = item.split_once('@').map_or(item, |(i, _)| i);
    let kind = if item == "output" {
        "output"
    } else if item.starts_with("emission.") {
        "cems"
    } else if item.starts_with("stack.") {
        "stack"
    } else if let Some(rest) = item.strip_prefix("fuel.") {
        if rest.contains('.') {
            "fuel_property"
        } else {
            "energy"
        }
    } else if item.starts_with("electricity.") || item.starts_with("heat.") {
        "energy"
    } else {
        "process"
    };
    let spread = lib.find(&format!("spread.activity.{kind}"))?;
    Some(Uncertainty::Pct95 {
        half_width_pct: spread.value,
    })
}

/// Percentile summary of one output.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub level: String,
    pub key: String,
    pub substance: String,
    pub mean: f64,
    pub median: f64,
    pub p2_5: f64,
    pub p97_5: f64,
    /// IPCC Approach 1: the 95 % half-width (1.96 σ) from first-order error
    /// propagation through the same engine, beside the Monte Carlo interval
    pub approach1_half_width: f64,
    /// the exact (deterministic) inventory value
    #[serde(with = "rust_decimal::serde::str")]
    pub exact: Decimal,
}

/// One input's influence on the province CO2e.
#[derive(Debug, Clone, Serialize)]
pub struct Sensitivity {
    pub input: String,
    /// Spearman rank correlation with the province CO2e
    pub rank_correlation: f64,
    /// ρ² normalised over all inputs: an approximate share of the variance
    pub variance_share: f64,
}

/// The Monte Carlo result.
#[derive(Debug, Clone, Serialize)]
pub struct McReport {
    pub runs: usize,
    pub seed: u64,
    pub inputs: usize,
    /// facility-years the runs replayed from their compiled plan; the rest
    /// went through the exact engine every run
    pub compiled: usize,
    pub summaries: Vec<Summary>,
    /// rank correlations with the province CO2e, for the inputs with the
    /// widest tornado bars (at most [`MAX_RANKED_INPUTS`])
    pub sensitivity: Vec<Sensitivity>,
    /// the province CO2e with each input at its 2.5th and 97.5th
    /// percentile, the rest central; largest swing first
    pub tornado: Vec<TornadoBar>,
    /// facility id → the tornado of its CO2e (its widest bars, at most
    /// [`propagation::FACILITY_TORNADO_BARS`])
    pub facility_tornado: BTreeMap<String, Vec<TornadoBar>>,
    pub method: String,
}

/// (level, key, substance) of one reported total.
type Key = (String, String, String);

/// One run: the drawn inputs, the totals by output slot, and any total no
/// base inventory has (a substance a draw brings in), by key.
type Sample = (Vec<f64>, Vec<f64>, BTreeMap<Key, f64>);

/// Where each facility-year's totals go: one slot per (level, key,
/// substance) of the base inventories, so a run adds into a vector instead
/// of building string keys per total.
struct Slots {
    keys: Vec<Key>,
    /// per facility-year: substance → its facility, sector and province slots
    of_fy: Vec<BTreeMap<String, [usize; 3]>>,
}

impl Slots {
    fn new(base: &[Inventory], sector_of: &[(String, String)]) -> Slots {
        let mut index: BTreeMap<Key, usize> = BTreeMap::new();
        let mut keys = Vec::new();
        let mut slot = |k: Key| {
            *index.entry(k.clone()).or_insert_with(|| {
                keys.push(k);
                keys.len() - 1
            })
        };
        let mut of_fy = Vec::with_capacity(base.len());
        for (inv, (fid, sector)) in base.iter().zip(sector_of) {
            let mut m = BTreeMap::new();
            for sub in inv.totals.by_substance.keys() {
                m.insert(sub.to_string(), Self::three(&mut slot, fid, sector, sub));
            }
            of_fy.push(m);
        }
        Slots { keys, of_fy }
    }

    fn three(
        slot: &mut impl FnMut(Key) -> usize,
        fid: &str,
        sector: &str,
        sub: &str,
    ) -> [usize; 3] {
        [
            slot(("facility".into(), fid.into(), sub.into())),
            slot(("sector".into(), sector.into(), sub.into())),
            slot(("province".into(), "Sichuan".into(), sub.into())),
        ]
    }
}

/// How the runs compute each facility-year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replay {
    /// Each facility-year's compiled plan (see `plan`), replayed in `f64`,
    /// where it is compiled and checked; the exact engine for the rest.
    Compiled,
    /// Every facility-year of every run through the exact engine: slower,
    /// for checking the compiled plans.
    Exact,
}

/// What every run shares: the inputs, the engine's arguments and how each
/// facility-year is computed.
struct Runner<'a> {
    ins: &'a [Input],
    settings: &'a Settings,
    lib: &'a FactorLibrary,
    sectors: &'a SectorLibrary,
    fys: &'a [FacilityYear],
    sector_of: &'a [(String, String)],
    slots: &'a Slots,
    tracked: &'a [bool],
    plans: Vec<plan::FacilityPlan>,
    /// facility-years through the exact engine every run, in study order
    exact: Vec<usize>,
}

/// A thread's working copies of the library and the activity, made when a
/// run first needs the exact engine.
type Copies = Option<(FactorLibrary, Vec<FacilityYear>)>;

impl Runner<'_> {
    fn one_run(&self, r: usize, seed: u64, copies: &mut Copies) -> crate::Result<Sample> {
        let x = draw_values(r, seed, self.ins)?;
        let mut out = vec![0.0; self.slots.keys.len()];
        let mut extra: BTreeMap<Key, f64> = BTreeMap::new();
        let mut engine = self.exact.clone();
        let mut scratch = Vec::new();
        for p in &self.plans {
            if !p.add(&x, &mut out, &mut scratch) {
                engine.push(p.fy);
            }
        }
        if !engine.is_empty() {
            // Every run overwrites every uncertain value it draws (the same
            // set each run), so no value of an earlier run survives into
            // the next, and the numbers stay those of (seed, run) on any
            // number of threads.
            let (lib, fys) = copies.get_or_insert_with(|| (self.lib.clone(), self.fys.to_vec()));
            apply_draws(self.ins, &x, lib, fys)?;
            for i in engine {
                let inv = inventory(self.settings, lib, self.sectors, &fys[i])?;
                self.put(i, &inv, &mut out, &mut extra);
            }
        }
        Ok((tracked_draws(&x, self.tracked), out, extra))
    }

    /// Adds an exact inventory's totals into a run's slots (or, for a
    /// substance the base inventory lacks, into `extra` by key).
    fn put(&self, i: usize, inv: &Inventory, out: &mut [f64], extra: &mut BTreeMap<Key, f64>) {
        let (fid, sector) = &self.sector_of[i];
        let mut put = |sub: &str, v: Decimal| {
            let v = f(v);
            match self.slots.of_fy[i].get(sub) {
                Some(three) => three.iter().for_each(|&s| out[s] += v),
                None => {
                    for k in [
                        ("facility".to_string(), fid.clone(), sub.to_string()),
                        ("sector".into(), sector.clone(), sub.into()),
                        ("province".into(), "Sichuan".into(), sub.into()),
                    ] {
                        *extra.entry(k).or_default() += v;
                    }
                }
            }
        };
        for (k, v) in &inv.totals.by_substance {
            if &**k != "CO2e" {
                put(k, *v);
            }
        }
        put("CO2e", inv.totals.co2e);
    }

    /// Keeps the compiled plans that match the exact engine on
    /// [`plan::PROBES`] joint draws; the others join the exact
    /// facility-years. A draw a plan leaves to the engine checks nothing, so
    /// a few more are tried.
    fn probe(&mut self, seed: u64) {
        let mut checked = vec![0usize; self.plans.len()];
        let mut failed = vec![false; self.plans.len()];
        for k in 0..4 * plan::PROBES {
            let open: Vec<usize> = (0..self.plans.len())
                .filter(|&p| !failed[p] && checked[p] < plan::PROBES)
                .collect();
            if open.is_empty() {
                break;
            }
            // Run numbers no run uses; a probe the engine cannot take
            // leaves the runs to the engine.
            let r = usize::MAX - k;
            let mut lib = self.lib.clone();
            let mut fys = self.fys.to_vec();
            let drawn = draw_values(r, seed, self.ins)
                .and_then(|x| apply_draws(self.ins, &x, &mut lib, &mut fys).map(|()| x));
            let Ok(x) = drawn else {
                open.iter().for_each(|&p| failed[p] = true);
                break;
            };
            let verdicts: Vec<Option<bool>> = open
                .par_iter()
                .map(|&p| {
                    let p = &self.plans[p];
                    match inventory(self.settings, &lib, self.sectors, &fys[p.fy]) {
                        Ok(inv) => plan::agrees(p, &x, &inv, self.slots),
                        Err(_) => Some(false),
                    }
                })
                .collect();
            for (&p, verdict) in open.iter().zip(verdicts) {
                match verdict {
                    Some(true) => checked[p] += 1,
                    Some(false) => failed[p] = true,
                    None => {}
                }
            }
        }
        let mut i = 0;
        let exact = &mut self.exact;
        self.plans.retain(|p| {
            let keep = !failed[i] && checked[i] >= plan::PROBES;
            i += 1;
            if !keep {
                exact.push(p.fy);
            }
            keep
        });
        self.exact.sort_unstable();
    }
}

/// Draws run `r`'s value of every input (its own ChaCha8 generator seeded
/// by (seed, r)), in input order. A draw beyond the input bound (a wide
/// spread on a large value) is an error at the input, not a silent zero.
pub(crate) fn draw_values(r: usize, seed: u64, ins: &[Input]) -> crate::Result<Vec<f64>> {
    let mut rng = ChaCha8Rng::seed_from_u64(
        seed.wrapping_mul(0x9E37_79B9_7F4A_7C15)
            .wrapping_add(r as u64),
    );
    let bound = f(crate::units::MAX_MAGNITUDE);
    ins.iter()
        .map(|i| {
            let v = draw(&i.dist, i.value, &mut rng).map_err(|m| {
                let name = &i.name;
                Error::Data(DataError::new(
                    i.location.clone(),
                    Text::new(
                        format!("{name}: {}", m.en),
                        format!("{name}：{}", m.get(Lang::Zh)),
                    ),
                ))
            })?;
            // a NaN is out of range too
            if v.is_nan() || v.abs() > bound {
                let name = &i.name;
                return Err(Error::Data(DataError::new(
                    i.location.clone(),
                    tr!(
                        "{name}: a Monte Carlo draw of {v:e} is out of range (values are limited to ±1e15): narrow the spread",
                        "{name}：蒙特卡洛抽样值 {v:e} 超出范围（数值上限为 ±1e15），请缩小分布范围"
                    ),
                )));
            }
            Ok(v)
        })
        .collect()
}

/// Puts drawn values into the working copies of the library and the
/// activity, as the exact engine reads them.
fn apply_draws(
    ins: &[Input],
    x: &[f64],
    lib: &mut FactorLibrary,
    fys: &mut [FacilityYear],
) -> crate::Result<()> {
    for (i, &v) in ins.iter().zip(x) {
        let d = Decimal::from_f64(v).ok_or_else(|| {
            let name = &i.name;
            Error::Data(DataError::new(
                i.location.clone(),
                tr!(
                    "{name}: a Monte Carlo draw of {v:e} is out of range (values are limited to ±1e15): narrow the spread",
                    "{name}：蒙特卡洛抽样值 {v:e} 超出范围（数值上限为 ±1e15），请缩小分布范围"
                ),
            ))
        })?;
        match &i.target {
            Target::Factor(id) => lib.set_value(id, d),
            Target::Activity(fi, ai) => {
                let a = &mut fys[*fi].activity[*ai];
                a.quantity = Quantity::new(d, a.quantity.unit.clone());
            }
        }
    }
    Ok(())
}

/// Draws run `r`'s value of every input into the working copies of the
/// library and the activity; returns the draws of the tracked inputs.
pub(crate) fn draw_into(
    r: usize,
    seed: u64,
    ins: &[Input],
    lib: &mut FactorLibrary,
    fys: &mut [FacilityYear],
    tracked: &[bool],
) -> crate::Result<Vec<f64>> {
    let x = draw_values(r, seed, ins)?;
    apply_draws(ins, &x, lib, fys)?;
    Ok(tracked_draws(&x, tracked))
}

fn tracked_draws(x: &[f64], tracked: &[bool]) -> Vec<f64> {
    x.iter()
        .zip(tracked)
        .filter(|(_, t)| **t)
        .map(|(v, _)| *v)
        .collect()
}

pub(crate) fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let pos = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn ranks(v: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..v.len()).collect();
    idx.sort_by(|a, b| v[*a].total_cmp(&v[*b]));
    let mut r = vec![0.0; v.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && v[idx[j + 1]] == v[idx[i]] {
            j += 1;
        }
        let avg = (i + j) as f64 / 2.0;
        for k in &idx[i..=j] {
            r[*k] = avg;
        }
        i = j + 1;
    }
    r
}

fn pearson(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len() as f64;
    let (ma, mb) = (a.iter().sum::<f64>() / n, b.iter().sum::<f64>() / n);
    let (mut c, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in a.iter().zip(b) {
        c += (x - ma) * (y - mb);
        va += (x - ma).powi(2);
        vb += (y - mb).powi(2);
    }
    if va == 0.0 || vb == 0.0 {
        0.0
    } else {
        c / (va * vb).sqrt()
    }
}

/// Runs `runs` Monte Carlo samples (in parallel), calling `progress` after
/// each: each facility-year replayed from its compiled plan where it has
/// one (see [`Replay`]).
#[allow(clippy::too_many_arguments)]
pub fn monte_carlo(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &[FacilityYear],
    base: &[Inventory],
    runs: usize,
    seed: u64,
    progress: &(dyn Fn() + Sync),
) -> crate::Result<McReport> {
    monte_carlo_with(
        settings,
        lib,
        sectors,
        fys,
        base,
        runs,
        seed,
        Replay::Compiled,
        progress,
    )
}

/// [`monte_carlo`], choosing how the runs compute each facility-year: the
/// same seed draws the same values either way.
#[allow(clippy::too_many_arguments)]
pub fn monte_carlo_with(
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &[FacilityYear],
    base: &[Inventory],
    runs: usize,
    seed: u64,
    replay: Replay,
    progress: &(dyn Fn() + Sync),
) -> crate::Result<McReport> {
    if runs == 0 {
        return Err(Error::request(tr!(
            "--runs must be at least 1",
            "--runs 至少为 1"
        )));
    }
    let ins = inputs(base, fys, lib);
    let sector_of: Vec<(String, String)> = fys
        .iter()
        .map(|f| (f.facility_id.clone(), f.sector.clone()))
        .collect();
    let slots = Slots::new(base, &sector_of);
    let target_key = (
        "province".to_string(),
        "Sichuan".to_string(),
        "CO2e".to_string(),
    );
    let propagation::OneAtATime {
        approach1,
        tornado,
        facility_tornado,
        plans,
        exact,
    } = propagation::one_at_a_time(
        &ins,
        settings,
        lib,
        sectors,
        fys,
        base,
        &slots,
        slots.keys.iter().position(|k| *k == target_key),
        replay == Replay::Compiled,
    )?;
    // Rank correlations need every run's draw of an input: they are kept for
    // the inputs with the widest tornado bars only, so that memory does not
    // grow with inputs × runs (a study of 10,000 facility-years has about
    // 70,000 activity inputs).
    let mut tracked = vec![false; ins.len()];
    for bar in tornado.iter().take(MAX_RANKED_INPUTS) {
        tracked[bar.index] = true;
    }
    let mut runner = Runner {
        ins: &ins,
        settings,
        lib,
        sectors,
        fys,
        sector_of: &sector_of,
        slots: &slots,
        tracked: &tracked,
        plans,
        exact,
    };
    if replay == Replay::Compiled {
        runner.probe(seed);
    }
    let compiled = runner.plans.len();
    let samples: Vec<Sample> = (0..runs)
        .into_par_iter()
        // rayon calls the init below once per split job, not per thread:
        // runs in jobs of at least 32 keep the copies few.
        .with_min_len(32)
        .map_init(
            || None,
            |copies, r| {
                let s = runner.one_run(r, seed, copies);
                progress();
                s
            },
        )
        .collect::<crate::Result<_>>()?;
    let exact = outcome::exact_totals(base, &sector_of)?;
    let keys = outcome::all_totals(&slots, &samples);
    let summaries = outcome::summaries(&keys, &samples, &approach1, &exact);
    // Sensitivity of the province CO2e.
    let target_slot = keys.get(&target_key).copied().flatten();
    let y: Vec<f64> = samples
        .iter()
        .map(|s| outcome::value(s, &target_key, target_slot))
        .collect();
    let sens = outcome::sensitivity(&ins, &tracked, &samples, &y);
    Ok(McReport {
        runs,
        seed,
        inputs: ins.len(),
        compiled,
        summaries,
        sensitivity: sens,
        tornado,
        facility_tornado,
        method: format!("IPCC Approach 2 Monte Carlo, with Approach 1 (first-order error propagation of ±1 σ of each input, one at a time through the same engine, combined in quadrature) and a tornado (each input at its 2.5th and 97.5th percentile) beside it: every factor with a spread in the library is drawn once per run and shared by every facility that uses it (a province total is not made more certain by having more plants); every activity value is drawn independently per facility, with the workbook's `uncertainty` where given and otherwise the library's default for its kind (spread.activity.*: output ±1 %, metered energy ±2 %, process items and fuel properties ±5 %, CEMS ±10 %, stack tests ±20 %, all assumptions), or, where the `uncertainty` cell names how the value was obtained, the spread of that tier (measured: its kind's default; metered: ±2 %; estimated: ±20 %, an assumption); pct95 as a normal with sd = value × pct/196, draws below zero set to 0; run r uses its own ChaCha8 generator seeded by (seed, r); each run computes every facility-year by the exact engine's formulas, {how}", how = match replay {
            Replay::Exact => "every facility-year of every run through the exact inventory engine".to_string(),
            Replay::Compiled => format!("{compiled} of {} facility-years replayed in f64 from their compiled plan (each row's central amount times its response to each input that moves it, a + b·x or a + b/x, read from the one-at-a-time runs and fitting all five of their points; kept only where the plan matches the exact engine on {} joint draws), the rest through the exact inventory engine", fys.len(), plan::PROBES),
        }),
    })
}

/// [`monte_carlo`] of a computed study: its settings, factors,
/// facility-years and exact inventories.
pub fn monte_carlo_of(
    run: &crate::accounting::ComputedStudy,
    sectors: &SectorLibrary,
    runs: usize,
    seed: u64,
    tick: &(dyn Fn() + Sync),
) -> crate::Result<McReport> {
    monte_carlo_of_with(run, sectors, runs, seed, Replay::Compiled, tick)
}

/// [`monte_carlo_of`], choosing how the runs compute each facility-year.
pub fn monte_carlo_of_with(
    run: &crate::accounting::ComputedStudy,
    sectors: &SectorLibrary,
    runs: usize,
    seed: u64,
    replay: Replay,
    tick: &(dyn Fn() + Sync),
) -> crate::Result<McReport> {
    monte_carlo_with(
        &run.study.settings,
        &run.factors,
        sectors,
        &run.study.facility_years,
        &run.inventories,
        runs,
        seed,
        replay,
        tick,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spearman_of_monotone_data_is_one() {
        let a = [1.0, 2.0, 3.0, 4.0];
        let b = [10.0, 20.0, 25.0, 100.0];
        assert!((pearson(&ranks(&a), &ranks(&b)) - 1.0).abs() < 1e-12);
        assert!((pearson(&ranks(&a), &ranks(&[4.0, 3.0, 2.0, 1.0])) + 1.0).abs() < 1e-12);
    }

    #[test]
    fn percentiles_interpolate() {
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert_eq!(percentile(&v, 0.5), 3.0);
        assert_eq!(percentile(&v, 0.25), 2.0);
        assert_eq!(percentile(&v, 0.1), 1.4);
    }
}
