//! IPCC Approach 1 beside the Monte Carlo (Approach 2), and the tornado.
//!
//! Both move one uncertain input at a time through the exact engine, every
//! other input at its central value. Approach 1 combines the first-order
//! effects of ±1 σ of each input in quadrature: for sums and products of
//! independent inputs this is Vol. 1 Eq. 3.1 and 3.2, here applied to
//! whatever formulas the engine uses, with a library factor shared by many
//! facilities moved for all of them at once (so shared factors add up, as in
//! the Monte Carlo). The tornado puts each input at its 2.5th and 97.5th
//! percentile and records the province CO2e.

use super::{plan, Input, Slots, Target};
use crate::accounting::{inventory, Inventory};
use crate::error::{DataError, Error};
use crate::factors::{FactorLibrary, Uncertainty};
use crate::graph::SectorLibrary;
use crate::study::{FacilityYear, Settings};
use crate::tr;
use crate::units::Quantity;
use rayon::prelude::*;
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// One input's bar of the tornado: the province CO2e with the input at its
/// 2.5th and at its 97.5th percentile, everything else central.
#[derive(Debug, Clone, Serialize)]
pub struct TornadoBar {
    pub input: String,
    pub low: f64,
    pub high: f64,
    /// the input's position among the study's uncertain inputs
    #[serde(skip)]
    pub index: usize,
}

/// A distribution's standard deviation and 2.5th and 97.5th percentiles for
/// a central value `v`, as [`super::draw`] draws it (never below zero).
pub fn spread_of(dist: &Uncertainty, v: f64) -> (f64, f64, f64) {
    let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let (sd, lo, hi) = match dist {
        Uncertainty::Pct95 { half_width_pct } => {
            let sd = v.abs() * f(*half_width_pct) / 196.0;
            (sd, v - 1.96 * sd, v + 1.96 * sd)
        }
        Uncertainty::Normal { sd } => {
            let sd = f(*sd);
            (sd, v - 1.96 * sd, v + 1.96 * sd)
        }
        Uncertainty::Lognormal { gsd } => {
            let s = f(*gsd).ln();
            let e = (s * s).exp();
            (
                v * (e * (e - 1.0)).sqrt(),
                v / f(*gsd).powf(1.96),
                v * f(*gsd).powf(1.96),
            )
        }
        Uncertainty::Uniform { low, high } => {
            let (a, b) = (f(*low), f(*high));
            (
                (b - a) / 12f64.sqrt(),
                a + 0.025 * (b - a),
                a + 0.975 * (b - a),
            )
        }
        Uncertainty::Triangular { low, mode, high } => {
            let (a, c, b) = (f(*low), f(*mode), f(*high));
            let var = (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0;
            let inverse = |u: f64| {
                if b == a {
                    a
                } else if u < (c - a) / (b - a) {
                    a + (u * (b - a) * (c - a)).sqrt()
                } else {
                    b - ((1.0 - u) * (b - a) * (b - c)).sqrt()
                }
            };
            (var.max(0.0).sqrt(), inverse(0.025), inverse(0.975))
        }
    };
    (sd, lo.max(0.0), hi.max(0.0))
}

/// The slots a facility-year's totals go to, with their values.
fn slot_totals(inv: &Inventory, slots: &Slots, i: usize) -> Vec<(usize, f64)> {
    let f = |d: Decimal| d.to_f64().unwrap_or(0.0);
    let mut out = Vec::new();
    let mut put = |sub: &str, v: Decimal| {
        if let Some(three) = slots.of_fy[i].get(sub) {
            out.extend(three.iter().map(|&s| (s, f(v))));
        }
    };
    for (k, v) in &inv.totals.by_substance {
        if &**k != "CO2e" {
            put(k, *v);
        }
    }
    put("CO2e", inv.totals.co2e);
    out
}

/// What moving one input to `value` changes, by slot.
struct Mover<'a> {
    settings: &'a Settings,
    lib: &'a FactorLibrary,
    sectors: &'a SectorLibrary,
    fys: &'a [FacilityYear],
    base: &'a [Inventory],
    slots: &'a Slots,
    /// factor id → the facility-years whose inventories use it
    users: HashMap<String, Vec<usize>>,
}

impl Mover<'_> {
    /// The inventories of the facility-years `input` moves, with it at `value`.
    fn inventories_at(&self, input: &Input, value: f64) -> crate::Result<Vec<(usize, Inventory)>> {
        let d = Decimal::from_f64(value)
            .filter(|d| d.abs() <= crate::units::MAX_MAGNITUDE)
            .ok_or_else(|| {
                let name = &input.name;
                Error::Data(DataError::new(
                    input.location.clone(),
                    tr!(
                        "{name}: {value:e} is out of range (values are limited to ±1e15): narrow the spread",
                        "{name}：{value:e} 超出范围（数值上限为 ±1e15），请缩小分布范围"
                    ),
                ))
            })?;
        match &input.target {
            Target::Activity(fi, ai) => {
                let mut fy = self.fys[*fi].clone();
                let a = &mut fy.activity[*ai];
                a.quantity = Quantity::new(d, a.quantity.unit.clone());
                Ok(vec![(
                    *fi,
                    inventory(self.settings, self.lib, self.sectors, &fy)?,
                )])
            }
            Target::Factor(id) => {
                let mut lib = self.lib.clone();
                lib.set_value(id, d);
                self.users
                    .get(id)
                    .map(Vec::as_slice)
                    .unwrap_or(&[])
                    .iter()
                    .map(|&i| {
                        Ok((
                            i,
                            inventory(self.settings, &lib, self.sectors, &self.fys[i])?,
                        ))
                    })
                    .collect()
            }
        }
    }

    /// The row amounts of facility-year `fy` with `inputs` at the values
    /// given, the rest central, on the working copy `lib` (left as it
    /// was found); `None` where the engine fails or the rows change.
    fn corner(
        &self,
        ins: &[Input],
        fy: usize,
        inputs: &[(usize, f64)],
        lib: &mut FactorLibrary,
    ) -> Option<Vec<f64>> {
        let mut moved = self.fys[fy].clone();
        let mut factors = Vec::new();
        for &(i, x) in inputs {
            let d = Decimal::from_f64(x)?;
            match &ins[i].target {
                Target::Factor(id) => factors.push((id.as_str(), d)),
                Target::Activity(fi, ai) if *fi == fy => {
                    let a = &mut moved.activity[*ai];
                    a.quantity = Quantity::new(d, a.quantity.unit.clone());
                }
                Target::Activity(..) => return None,
            }
        }
        for (id, d) in &factors {
            lib.set_value(id, *d);
        }
        let inv = inventory(self.settings, lib, self.sectors, &moved);
        for (id, _) in &factors {
            if let Some(f) = self.lib.find(id) {
                lib.set_value(id, f.value);
            }
        }
        plan::amounts(&self.base[fy], &inv.ok()?)
    }

    /// Compiles each facility-year whose rows all fit (`by_fy`: its rows'
    /// responses; `unfit`: some input's runs fit no shape), on a working
    /// copy of the library per job for the runs of its groups: the plans,
    /// and the facility-years left to the exact engine.
    fn compile_plans(
        &self,
        ins: &[Input],
        by_fy: Vec<Vec<(usize, plan::Response)>>,
        unfit: &[bool],
    ) -> (Vec<plan::FacilityPlan>, Vec<usize>) {
        let compiled: Vec<Option<plan::FacilityPlan>> = by_fy
            .into_par_iter()
            .enumerate()
            .with_min_len(16)
            .map_init(
                || self.lib.clone(),
                |scratch, (fy, deps)| {
                    if unfit[fy] {
                        return None;
                    }
                    let mut corner =
                        |fy: usize, inputs: &[(usize, f64)]| self.corner(ins, fy, inputs, scratch);
                    plan::compile(fy, &self.base[fy], self.slots, deps, &mut corner)
                },
            )
            .collect();
        let (mut plans, mut exact) = (Vec::new(), Vec::new());
        for (fy, p) in compiled.into_iter().enumerate() {
            match p {
                Some(p) => plans.push(p),
                None => exact.push(fy),
            }
        }
        (plans, exact)
    }

    /// What the moved inventories change, by slot.
    fn change(&self, moved: &[(usize, Inventory)]) -> Vec<(usize, f64)> {
        let mut delta = Vec::new();
        for (i, inv) in moved {
            delta.extend(slot_totals(inv, self.slots, *i));
            delta.extend(
                slot_totals(&self.base[*i], self.slots, *i)
                    .into_iter()
                    .map(|(s, v)| (s, -v)),
            );
        }
        delta
    }
}

/// Approach 1's 95 % half-width (1.96 σ) per slot, the tornado of the
/// province CO2e (`target`: its slot) and of each facility's CO2e, largest
/// swing first; with `compile`, the facility-years' plans read from the same
/// runs.
#[allow(clippy::too_many_arguments)]
pub(super) fn one_at_a_time(
    ins: &[Input],
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &[FacilityYear],
    base: &[Inventory],
    slots: &Slots,
    target: Option<usize>,
    compile: bool,
) -> crate::Result<OneAtATime> {
    let mut users: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, inv) in base.iter().enumerate() {
        for id in inv.factor_ids() {
            users.entry(id).or_default().push(i);
        }
    }
    let mover = Mover {
        settings,
        lib,
        sectors,
        fys,
        base,
        slots,
        users,
    };
    // Every slot's central value, and which slots are a facility's CO2e.
    let mut central_of = vec![0.0; slots.keys.len()];
    for (i, inv) in base.iter().enumerate() {
        for (s, v) in slot_totals(inv, slots, i) {
            central_of[s] += v;
        }
    }
    let central = target.map(|t| central_of[t]).unwrap_or(0.0);
    let facility_co2e: Vec<bool> = slots
        .keys
        .iter()
        .map(|(level, _, sub)| level == "facility" && sub == "CO2e")
        .collect();
    type PerInput = (
        Vec<(usize, f64)>,
        TornadoBar,
        Vec<(usize, f64, f64)>,
        plan::Responses,
    );
    let per_input: Vec<PerInput> = ins
        .par_iter()
        .enumerate()
        .map(|(index, input)| {
            let (sd, p_lo, p_hi) = spread_of(&input.dist, input.value);
            // The input at ±1 σ and at each end, through the exact engine.
            let moved: Vec<(f64, Vec<(usize, Inventory)>)> =
                [input.value + sd, (input.value - sd).max(0.0), p_lo, p_hi]
                    .into_iter()
                    .map(|v| Ok((v, mover.inventories_at(input, v)?)))
                    .collect::<crate::Result<_>>()?;
            let responses = if compile {
                plan::responses(index, input.value, base, &moved)
            } else {
                Vec::new()
            };
            let up = mover.change(&moved[0].1);
            let down = mover.change(&moved[1].1);
            // First-order effect of one σ: half the difference of ±σ.
            let mut effect: HashMap<usize, f64> = HashMap::new();
            for (s, v) in up {
                *effect.entry(s).or_default() += v / 2.0;
            }
            for (s, v) in down {
                *effect.entry(s).or_default() -= v / 2.0;
            }
            // The change of every slot with the input at each end.
            let by_slot = |moved: &[(usize, Inventory)]| {
                let mut m: HashMap<usize, f64> = HashMap::new();
                for (s, v) in mover.change(moved) {
                    *m.entry(s).or_default() += v;
                }
                m
            };
            let (low, high) = (by_slot(&moved[2].1), by_slot(&moved[3].1));
            let of = |m: &HashMap<usize, f64>, s: Option<usize>| {
                s.and_then(|s| m.get(&s)).copied().unwrap_or(0.0)
            };
            let bar = TornadoBar {
                input: input.name.clone(),
                low: central + of(&low, target),
                high: central + of(&high, target),
                index,
            };
            // The facilities' CO2e this input moves: (slot, low, high) changes.
            let mut moved_co2e: Vec<(usize, f64, f64)> = low
                .keys()
                .chain(high.keys())
                .filter(|s| facility_co2e[**s])
                .map(|&s| (s, of(&low, Some(s)), of(&high, Some(s))))
                .filter(|(_, l, h)| *l != 0.0 || *h != 0.0)
                .collect();
            moved_co2e.sort_by_key(|m| m.0);
            moved_co2e.dedup_by_key(|m| m.0);
            Ok((effect.into_iter().collect(), bar, moved_co2e, responses))
        })
        .collect::<crate::Result<_>>()?;
    let mut variance = vec![0.0; slots.keys.len()];
    let mut tornado = Vec::with_capacity(per_input.len());
    // facility slot → (input, low change, high change); names are attached
    // to the bars kept only, since a shared factor moves every facility.
    let mut by_facility: BTreeMap<usize, Vec<(usize, f64, f64)>> = BTreeMap::new();
    // Each facility-year's rows' responses, and whether any input's runs
    // left one that no shape fits.
    let mut by_fy: Vec<Vec<(usize, plan::Response)>> = vec![Vec::new(); base.len()];
    let mut unfit = vec![false; base.len()];
    for (effect, bar, moved, responses) in per_input {
        for (fy, rows) in responses {
            match rows {
                Some(rows) => by_fy[fy].extend(rows),
                None => unfit[fy] = true,
            }
        }
        for (s, e) in effect {
            variance[s] += e * e;
        }
        for (s, l, h) in moved {
            by_facility.entry(s).or_default().push((bar.index, l, h));
        }
        tornado.push(bar);
    }
    tornado.sort_by(widest_first);
    let facility_tornado = facility_tornadoes(by_facility, &central_of, ins, slots);
    let (plans, exact) = if compile {
        mover.compile_plans(ins, by_fy, &unfit)
    } else {
        (Vec::new(), (0..base.len()).collect())
    };
    Ok(OneAtATime {
        approach1: variance.into_iter().map(|v| 1.96 * v.sqrt()).collect(),
        tornado,
        facility_tornado,
        plans,
        exact,
    })
}

/// Facility slot → the tornado of its CO2e from (input, low change, high
/// change): its widest bars, named.
fn facility_tornadoes(
    by_facility: BTreeMap<usize, Vec<(usize, f64, f64)>>,
    central_of: &[f64],
    ins: &[Input],
    slots: &Slots,
) -> BTreeMap<String, Vec<TornadoBar>> {
    by_facility
        .into_iter()
        .map(|(s, moved)| {
            let mut bars: Vec<TornadoBar> = moved
                .into_iter()
                .map(|(index, l, h)| TornadoBar {
                    input: String::new(),
                    low: central_of[s] + l,
                    high: central_of[s] + h,
                    index,
                })
                .collect();
            bars.sort_by(|a, b| {
                (b.high - b.low)
                    .abs()
                    .total_cmp(&(a.high - a.low).abs())
                    .then_with(|| ins[a.index].name.cmp(&ins[b.index].name))
            });
            bars.truncate(FACILITY_TORNADO_BARS);
            for b in &mut bars {
                b.input = ins[b.index].name.clone();
            }
            (slots.keys[s].1.clone(), bars)
        })
        .collect()
}

/// Bars kept per facility: its widest.
pub const FACILITY_TORNADO_BARS: usize = 10;

fn widest_first(a: &TornadoBar, b: &TornadoBar) -> std::cmp::Ordering {
    (b.high - b.low)
        .abs()
        .total_cmp(&(a.high - a.low).abs())
        .then_with(|| a.input.cmp(&b.input))
}

/// What the one-at-a-time pass gives.
pub(super) struct OneAtATime {
    /// Approach 1's 95 % half-width (1.96 σ) per slot
    pub approach1: Vec<f64>,
    /// the province CO2e's tornado, widest first
    pub tornado: Vec<TornadoBar>,
    /// facility id → its CO2e's tornado, widest first, at most
    /// [`FACILITY_TORNADO_BARS`]
    pub facility_tornado: BTreeMap<String, Vec<TornadoBar>>,
    /// the facility-years compiled from these runs (before the joint probes)
    pub plans: Vec<plan::FacilityPlan>,
    /// the facility-years that go through the exact engine every run
    pub exact: Vec<usize>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn spreads_of_each_distribution() {
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9 * b.abs().max(1.0);
        // pct95:10 on 100: σ = 100 × 10/196, percentiles 100 ∓ 10
        let (sd, lo, hi) = spread_of(
            &Uncertainty::Pct95 {
                half_width_pct: dec!(10),
            },
            100.0,
        );
        assert!(close(sd, 1000.0 / 196.0) && close(lo, 90.0) && close(hi, 110.0));
        // uniform 0..12: σ = 12/√12 = √12, percentiles 0.3 and 11.7
        let u = Uncertainty::Uniform {
            low: dec!(0),
            high: dec!(12),
        };
        let (sd, lo, hi) = spread_of(&u, 6.0);
        assert!(close(sd, 12f64.sqrt()) && close(lo, 0.3) && close(hi, 11.7));
        // symmetric triangular 0,1,2: var = (0+4+1−0−0−2)/18 = 1/6;
        // p2.5 = √(0.025 × 2 × 1) = √0.05
        let t = Uncertainty::Triangular {
            low: dec!(0),
            mode: dec!(1),
            high: dec!(2),
        };
        let (sd, lo, hi) = spread_of(&t, 1.0);
        assert!(close(sd, (1.0f64 / 6.0).sqrt()) && close(lo, 0.05f64.sqrt()));
        assert!(close(hi, 2.0 - 0.05f64.sqrt()));
        // lognormal gsd 2 around a median of 10: percentiles 10 / 2^1.96, 10 × 2^1.96
        let l = Uncertainty::Lognormal { gsd: dec!(2) };
        let (_, lo, hi) = spread_of(&l, 10.0);
        assert!(close(lo, 10.0 / 2f64.powf(1.96)) && close(hi, 10.0 * 2f64.powf(1.96)));
    }
}
