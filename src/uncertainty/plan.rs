//! The compiled plan a Monte Carlo run replays instead of the exact engine.
//!
//! The guideline formulas are products of their inputs and of sums of them:
//! `AD × NCV × CC × OF × 44/12`, `NC × P × (1 − S − Ash) × 44/12`,
//! `G × (1 − capture × removal)`, `N × EF × 44/28`. Each row of a
//! facility-year is therefore, input by input, affine in the input (`a +
//! b·x`) or, where the engine divides by it (a yield in the graph solve), in
//! its inverse (`a + b/x`); and inputs that meet inside one sum or one
//! `1 − …` term interact, the rest multiply.
//!
//! The plan is read off the exact engine. The one-at-a-time pass (Approach 1
//! and the tornado) already moves each input to four values: a row's shape
//! in an input is the one that fits all five points. Each pair of inputs of
//! a row is then moved together: where the row at the pair is not the
//! product of its two single moves, the two inputs form one group, whose
//! response is interpolated multilinearly between the engine's values at
//! the group's corners (each input central or moved). A row is replayed in
//! `f64` as its central amount times its groups' responses.
//!
//! A facility-year is compiled only when all of that holds and is seen to
//! hold: every row fits a shape, no group has more than [`MAX_GROUP`]
//! inputs, its rows add up to its exact totals, and the plan matches the
//! exact engine on [`PROBES`] joint draws of every input at once (a
//! threshold, a factor the rows do not name: each makes the plan miss a
//! joint draw). Every other facility-year goes through the exact engine
//! every run, as before; so does a compiled one in a run whose draws it
//! cannot take: a 0 that a row divides by, or a row that would change sign
//! where the engine clamps it at 0 (recovered methane above the methane
//! generated), the clamped points having been left out of the fit.

use super::Slots;
use crate::accounting::Inventory;
use rust_decimal::prelude::ToPrimitive;
use std::collections::BTreeMap;

/// Joint draws on which every compiled facility-year is checked against the
/// exact engine before any run replays it.
pub(super) const PROBES: usize = 3;

/// The most inputs one group of a row may have: its corners are 2^n
/// engine runs.
pub(super) const MAX_GROUP: usize = 6;

/// Relative agreement asked of a fit and of a probe: far above `f64`
/// rounding (about 1e-16 per operation), far below any change a formula
/// makes.
const TOLERANCE: f64 = 1e-9;

fn close(a: f64, b: f64, scale: f64) -> bool {
    (a - b).abs() <= TOLERANCE * scale.max(f64::MIN_POSITIVE)
}

/// Where an input's value sits between its central value (0) and its moved
/// one (1), on the axis a row is affine in: the value, or its inverse.
#[derive(Debug, Clone, Copy)]
struct Axis {
    input: usize,
    inverse: bool,
    origin: f64,
    span: f64,
}

impl Axis {
    fn new(input: usize, inverse: bool, central: f64, moved: f64) -> Option<Axis> {
        let phi = |x: f64| if inverse { 1.0 / x } else { x };
        let span = phi(moved) - phi(central);
        (span != 0.0 && span.is_finite()).then_some(Axis {
            input,
            inverse,
            origin: phi(central),
            span,
        })
    }

    /// `None` at a draw of 0 on an inverse axis.
    fn at(&self, x: f64) -> Option<f64> {
        if self.inverse {
            (x != 0.0).then(|| (1.0 / x - self.origin) / self.span)
        } else {
            Some((x - self.origin) / self.span)
        }
    }
}

/// A row's response to one input, every other central: its axis, and the
/// row's amount with the input at its moved value.
#[derive(Debug, Clone, Copy)]
pub(super) struct Response {
    axis: Axis,
    /// the input's moved value its corners use
    far: f64,
    /// the row's amount there
    moved: f64,
}

/// Inputs of a row that interact, with the row's amount at each corner
/// (bit i of the index: input i moved), divided by its central amount.
#[derive(Debug, Clone)]
struct Group {
    axes: Vec<Axis>,
    corners: Vec<f64>,
}

impl Group {
    /// The group's factor on the row at draws `x`: the multilinear
    /// interpolation of its corners.
    fn factor(&self, x: &[f64]) -> Option<f64> {
        let mut t = [0.0; MAX_GROUP];
        for (ti, a) in t.iter_mut().zip(&self.axes) {
            *ti = a.at(x[a.input])?;
        }
        if let [c0, c1] = self.corners[..] {
            return Some(c0 + t[0] * (c1 - c0));
        }
        let mut sum = 0.0;
        for (mask, c) in self.corners.iter().enumerate() {
            let mut w = *c;
            for (i, ti) in t.iter().take(self.axes.len()).enumerate() {
                w *= if mask >> i & 1 == 1 { *ti } else { 1.0 - ti };
            }
            sum += w;
        }
        Some(sum)
    }
}

/// One row of a compiled facility-year.
#[derive(Debug, Clone)]
struct PlanRow {
    central: f64,
    slots: [usize; 3],
    groups: Vec<Group>,
}

/// A compiled facility-year: the rows that move, and the sum of the rows
/// that do not, by slot.
#[derive(Debug, Clone)]
pub(super) struct FacilityPlan {
    pub fy: usize,
    rows: Vec<PlanRow>,
    constant: Vec<(usize, f64)>,
}

impl FacilityPlan {
    /// Adds this facility-year's totals at the draws `x` into `out`
    /// (`scratch`: room for its rows' values); false, with nothing added,
    /// where the draws leave what the plan can take: a draw of 0 that a row
    /// divides by, or a row of one sign at the centre that changes sign,
    /// where the engine clamps it (recovered methane above the methane
    /// generated: 0, not a negative emission).
    pub fn add(&self, x: &[f64], out: &mut [f64], scratch: &mut Vec<f64>) -> bool {
        scratch.clear();
        for row in &self.rows {
            let mut v = row.central;
            for g in &row.groups {
                match g.factor(x) {
                    Some(f) => v *= f,
                    None => return false,
                }
            }
            if v * row.central < 0.0 || !v.is_finite() {
                return false;
            }
            scratch.push(v);
        }
        for (row, v) in self.rows.iter().zip(scratch.iter()) {
            for &s in &row.slots {
                out[s] += v;
            }
        }
        for &(s, v) in &self.constant {
            out[s] += v;
        }
        true
    }
}

/// The rows' identities, which a moved run must keep.
fn signature(inv: &Inventory) -> Vec<(&str, &str, &str, bool)> {
    inv.rows
        .iter()
        .map(|r| {
            (
                r.node.as_str(),
                r.source.as_str(),
                r.substance.as_str(),
                r.in_view,
            )
        })
        .collect()
}

/// The row amounts of a moved run, if it kept the base rows.
pub(super) fn amounts(base: &Inventory, moved: &Inventory) -> Option<Vec<f64>> {
    if signature(moved) != signature(base) {
        return None;
    }
    moved.rows.iter().map(|r| r.amount.to_f64()).collect()
}

/// The shape of one row's response to one input from its points (x, y),
/// the first the central one: `Ok(None)` when the row does not move,
/// `Ok(Some(inverse))` for `a + b/x` or `a + b·x`, `Err(())` when no shape
/// fits every point. A point at 0 where the line is at or below 0 fits too:
/// the engine clamps there (recovered methane above the methane generated),
/// and a run that goes there is left to the engine (see
/// [`FacilityPlan::add`]).
fn fit(points: &[(f64, f64)]) -> Result<Option<bool>, ()> {
    let scale = points.iter().map(|p| p.1.abs()).fold(0.0, f64::max);
    let y0 = points[0].1;
    if points.iter().all(|p| close(p.1, y0, scale)) {
        return Ok(None);
    }
    for inverse in [false, true] {
        if inverse && points.iter().any(|p| p.0 == 0.0) {
            continue;
        }
        let phi = |x: f64| if inverse { 1.0 / x } else { x };
        for drop_zeros in [false, true] {
            // Two points define a line; a third must confirm it.
            let on_line: Vec<&(f64, f64)> = points
                .iter()
                .filter(|p| !(drop_zeros && p.1 == 0.0 && y0 != 0.0))
                .collect();
            let mut xs: Vec<f64> = on_line.iter().map(|p| p.0).collect();
            xs.sort_by(f64::total_cmp);
            xs.dedup();
            if xs.len() < 3 {
                continue;
            }
            let by_phi = |a: &&&(f64, f64), b: &&&(f64, f64)| phi(a.0).total_cmp(&phi(b.0));
            let (Some(lo), Some(hi)) =
                (on_line.iter().min_by(by_phi), on_line.iter().max_by(by_phi))
            else {
                continue;
            };
            let span = phi(hi.0) - phi(lo.0);
            if span == 0.0 || !span.is_finite() {
                continue;
            }
            let b = (hi.1 - lo.1) / span;
            let a = lo.1 - b * phi(lo.0);
            let line = |x: f64| a + b * phi(x);
            let fits = points.iter().all(|p| {
                close(line(p.0), p.1, scale)
                    || (drop_zeros && p.1 == 0.0 && line(p.0) * y0.signum() <= TOLERANCE * scale)
            });
            if fits {
                return Ok(Some(inverse));
            }
        }
    }
    Err(())
}

/// What the one-at-a-time runs of one input say about each facility-year it
/// moved: its rows' responses (row, response), or `None` when it cannot be
/// compiled.
pub(super) type Responses = Vec<(usize, Option<Vec<(usize, Response)>>)>;

/// The responses of the facility-years one input moved, from the
/// inventories at each of its four moved values (`moved`: value →
/// (facility-year, inventory)); `central` is its central value.
pub(super) fn responses(
    input: usize,
    central: f64,
    base: &[Inventory],
    moved: &[(f64, Vec<(usize, Inventory)>)],
) -> Responses {
    let mut fys: Vec<usize> = moved
        .iter()
        .flat_map(|(_, invs)| invs.iter().map(|(i, _)| *i))
        .collect();
    fys.sort_unstable();
    fys.dedup();
    fys.into_iter()
        .map(|fy| {
            let at: Option<Vec<(f64, Vec<f64>)>> = moved
                .iter()
                .map(|(x, invs)| {
                    let inv = invs.iter().find(|(i, _)| *i == fy)?;
                    Some((*x, amounts(&base[fy], &inv.1)?))
                })
                .collect();
            let rows = at.and_then(|at| row_responses(input, central, &base[fy], &at));
            (fy, rows)
        })
        .collect()
}

fn row_responses(
    input: usize,
    central: f64,
    base: &Inventory,
    at: &[(f64, Vec<f64>)],
) -> Option<Vec<(usize, Response)>> {
    // The corners move the input to its value farthest from the centre
    // where no row is at 0 that is not at the centre (where the engine may
    // clamp); the farthest, since a line is best read over its widest span.
    let unclamped = |ys: &Vec<f64>| {
        base.rows
            .iter()
            .zip(ys)
            .all(|(r, y)| !r.in_view || *y != 0.0 || r.amount.is_zero())
    };
    let far_at = (0..at.len())
        .filter(|&i| at[i].0 != central && unclamped(&at[i].1))
        .max_by(|&i, &j| {
            (at[i].0 - central)
                .abs()
                .total_cmp(&(at[j].0 - central).abs())
        });
    let mut out = Vec::new();
    for (k, row) in base.rows.iter().enumerate() {
        if !row.in_view {
            continue;
        }
        let y0 = row.amount.to_f64()?;
        let mut points = vec![(central, y0)];
        points.extend(at.iter().map(|(x, ys)| (*x, ys[k])));
        match fit(&points).ok()? {
            None => {}
            // A row that is zero at the centre but moves has no central
            // amount to scale.
            Some(_) if y0 == 0.0 => return None,
            Some(inverse) => {
                let (far, ys) = &at[far_at?];
                out.push((
                    k,
                    Response {
                        axis: Axis::new(input, inverse, central, *far)?,
                        far: *far,
                        moved: ys[k],
                    },
                ))
            }
        }
    }
    Some(out)
}

/// The row amounts of a facility-year with a set of inputs at the values
/// given, the others central (`None` where the engine fails or the rows
/// change).
pub(super) type Corner<'a> = dyn FnMut(usize, &[(usize, f64)]) -> Option<Vec<f64>> + 'a;

/// Compiles one facility-year from its rows' responses (`deps`: (row,
/// response)), asking `corner` for the runs its groups need; `None` when
/// it cannot be compiled.
pub(super) fn compile(
    fy: usize,
    inv: &Inventory,
    slots: &Slots,
    mut deps: Vec<(usize, Response)>,
    corner: &mut Corner<'_>,
) -> Option<FacilityPlan> {
    deps.sort_by_key(|(row, r)| (*row, r.axis.input));
    let of = &slots.of_fy[fy];
    // The rows must make the totals the runs report (a facility-year
    // without CO2e puts a zero outside the slots: the engine takes it).
    if !of.contains_key("CO2e") || inv.totals.by_substance.get("CO2e") != Some(&inv.totals.co2e) {
        return None;
    }
    // Each set of moved inputs is one engine run, whichever rows ask for it.
    let mut runs: BTreeMap<Vec<(usize, u64)>, Option<Vec<f64>>> = BTreeMap::new();
    let mut run = |moved: Vec<(usize, f64)>| -> Option<Vec<f64>> {
        let key = moved.iter().map(|(i, x)| (*i, x.to_bits())).collect();
        runs.entry(key)
            .or_insert_with(|| corner(fy, &moved))
            .clone()
    };
    let mut rows = Vec::new();
    let mut constant = BTreeMap::<usize, f64>::new();
    let mut check = vec![0.0; slots.keys.len()];
    for (k, row) in inv.rows.iter().enumerate() {
        if !row.in_view {
            continue;
        }
        let three = *of.get(row.substance.as_str())?;
        let central = row.amount.to_f64()?;
        check[three[0]] += central;
        let start = deps.partition_point(|(r, _)| *r < k);
        let end = deps.partition_point(|(r, _)| *r <= k);
        if start == end {
            for s in three {
                *constant.entry(s).or_default() += central;
            }
            continue;
        }
        let responses: Vec<Response> = deps[start..end].iter().map(|(_, r)| *r).collect();
        let groups = groups_of(k, central, &responses, &mut run)?;
        rows.push(PlanRow {
            central,
            slots: three,
            groups,
        });
    }
    for (sub, v) in &inv.totals.by_substance {
        let v = v.to_f64()?;
        if !close(check[of.get(&**sub)?[0]], v, v.abs()) {
            return None;
        }
    }
    Some(FacilityPlan {
        fy,
        rows,
        constant: constant.into_iter().collect(),
    })
}

/// A row's inputs in groups: two inputs join one group where the row with
/// both moved is not the product of its single moves; each group carries
/// its corners.
fn groups_of(
    k: usize,
    central: f64,
    responses: &[Response],
    run: &mut impl FnMut(Vec<(usize, f64)>) -> Option<Vec<f64>>,
) -> Option<Vec<Group>> {
    let n = responses.len();
    let mut group_of: Vec<usize> = (0..n).collect();
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&responses[i], &responses[j]);
            let both = run(vec![(a.axis.input, a.far), (b.axis.input, b.far)])?[k];
            // a pair moved to where the engine clamps says nothing of the line
            if both == 0.0 {
                return None;
            }
            let product = responses[i].moved * responses[j].moved / central;
            let scale = both.abs().max(product.abs()).max(central.abs());
            if !close(both, product, scale) {
                let (from, to) = (group_of[j], group_of[i]);
                group_of
                    .iter_mut()
                    .filter(|g| **g == from)
                    .for_each(|g| *g = to);
            }
        }
    }
    let mut ids = group_of.clone();
    ids.sort_unstable();
    ids.dedup();
    ids.into_iter()
        .map(|id| {
            let members: Vec<&Response> = responses
                .iter()
                .zip(&group_of)
                .filter(|(_, g)| **g == id)
                .map(|(r, _)| r)
                .collect();
            if members.len() > MAX_GROUP {
                return None;
            }
            let corners = (0..1usize << members.len())
                .map(|mask| {
                    let moved: Vec<(usize, f64)> = members
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| mask >> i & 1 == 1)
                        .map(|(_, r)| (r.axis.input, r.far))
                        .collect();
                    let y = match moved.len() {
                        0 => central,
                        1 => members[mask.trailing_zeros() as usize].moved,
                        _ => run(moved)?[k],
                    };
                    if y == 0.0 {
                        return None;
                    }
                    Some(y / central)
                })
                .collect::<Option<Vec<f64>>>()?;
            Some(Group {
                axes: members.iter().map(|r| r.axis).collect(),
                corners,
            })
        })
        .collect()
}

/// Whether a compiled facility-year's totals at draws `x` match the exact
/// engine's inventory at the same draws; `None` where the plan leaves the
/// draws to the engine.
pub(super) fn agrees(
    plan: &FacilityPlan,
    x: &[f64],
    exact: &Inventory,
    slots: &Slots,
) -> Option<bool> {
    let mut out = vec![0.0; slots.keys.len()];
    if !plan.add(x, &mut out, &mut Vec::new()) {
        return None;
    }
    Some(matches(plan, &out, exact, slots))
}

fn matches(plan: &FacilityPlan, out: &[f64], exact: &Inventory, slots: &Slots) -> bool {
    let of = &slots.of_fy[plan.fy];
    if exact.totals.by_substance.get("CO2e") != Some(&exact.totals.co2e) {
        return false;
    }
    let mut seen = 0;
    for (k, v) in &exact.totals.by_substance {
        // a substance the central run does not have
        let (Some(three), Some(v)) = (of.get(&**k), v.to_f64()) else {
            return false;
        };
        let planned = out[three[0]];
        if !close(planned, v, v.abs().max(planned.abs())) {
            return false;
        }
        seen += 1;
    }
    seen == of.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn points(f: impl Fn(f64) -> f64, xs: &[f64]) -> Vec<(f64, f64)> {
        xs.iter().map(|&x| (x, f(x))).collect()
    }

    /// The central value first, then ±σ and the 2.5th and 97.5th
    /// percentiles, as the one-at-a-time pass moves an input.
    const XS: [f64; 5] = [10.0, 11.0, 9.0, 8.04, 11.96];

    #[test]
    fn a_row_s_shape_in_one_input() {
        // AD × NCV × CC: a line through 0
        assert_eq!(fit(&points(|x| 2.5 * x, &XS)), Ok(Some(false)));
        // G × (1 − η): a line with an intercept
        assert_eq!(fit(&points(|x| 7.0 - 0.5 * x, &XS)), Ok(Some(false)));
        // output / yield in the graph solve: a line in 1/x
        assert_eq!(fit(&points(|x| 1.0 + 60.0 / x, &XS)), Ok(Some(true)));
        // not moved
        assert_eq!(fit(&points(|_| 4.0, &XS)), Ok(None));
        // no formula of the engine is a square: left to the engine
        assert_eq!(fit(&points(|x| x * x, &XS)), Err(()));
        // only two distinct values: nothing confirms a line
        assert_eq!(fit(&[(1.0, 1.0), (2.0, 3.0), (2.0, 3.0)]), Err(()));
    }

    #[test]
    fn a_row_clamped_at_zero_fits_where_its_line_is_below_zero() {
        // generated − recovered methane, 0 where recovery exceeds it
        let clamped = |x: f64| (50.0 * x - 450.0).max(0.0);
        assert_eq!(fit(&points(clamped, &XS)), Ok(Some(false)));
        // a 0 where the line is well above 0 is not a clamp
        let mut p = points(|x| 50.0 * x - 400.0, &XS);
        p[3].1 = 0.0;
        assert_eq!(fit(&p), Err(()));
    }

    fn axis(input: usize, central: f64, far: f64) -> Axis {
        Axis::new(input, false, central, far).unwrap()
    }

    #[test]
    fn a_group_interpolates_interacting_inputs_exactly() {
        // fluoride = G × (1 − capture × removal): capture and removal meet
        // in one term, so they form one group; its corners are the row at
        // each of (central, moved) × (central, moved).
        let row = |c: f64, r: f64| 1000.0 * (1.0 - c * r);
        let (c0, c1, r0, r1) = (0.98, 0.9, 0.99, 0.95);
        let y0 = row(c0, r0);
        let g = Group {
            axes: vec![axis(0, c0, c1), axis(1, r0, r1)],
            corners: vec![1.0, row(c1, r0) / y0, row(c0, r1) / y0, row(c1, r1) / y0],
        };
        for (c, r) in [(0.97, 0.985), (0.5, 0.2), (0.999, 0.9999)] {
            let planned = y0 * g.factor(&[c, r]).unwrap();
            assert!(
                (planned - row(c, r)).abs() < 1e-9 * row(c, r).abs(),
                "{c} {r}"
            );
        }
        // anode CO2 = NC × P × (1 − S − Ash): S and Ash in one sum
        let anode = |s: f64, a: f64| 0.34 * 100.0 * (1.0 - s - a) * 44.0 / 12.0;
        let (s0, s1, a0, a1) = (0.02, 0.025, 0.004, 0.006);
        let y0 = anode(s0, a0);
        let g = Group {
            axes: vec![axis(0, s0, s1), axis(1, a0, a1)],
            corners: vec![
                1.0,
                anode(s1, a0) / y0,
                anode(s0, a1) / y0,
                anode(s1, a1) / y0,
            ],
        };
        let planned = y0 * g.factor(&[0.031, 0.001]).unwrap();
        assert!((planned - anode(0.031, 0.001)).abs() < 1e-9 * planned);
    }

    #[test]
    fn a_draw_that_changes_a_row_s_sign_is_left_to_the_engine() {
        // CH4 = 50 × x − 450, clamped at 0 by the engine below x = 9
        let plan = FacilityPlan {
            fy: 0,
            rows: vec![PlanRow {
                central: 50.0,
                slots: [0, 1, 2],
                groups: vec![Group {
                    axes: vec![axis(0, 10.0, 12.0)],
                    corners: vec![1.0, 150.0 / 50.0],
                }],
            }],
            constant: vec![(0, 1.0)],
        };
        let (mut out, mut scratch) = (vec![0.0; 3], Vec::new());
        assert!(plan.add(&[11.0], &mut out, &mut scratch));
        assert_eq!(out, [101.0, 100.0, 100.0]);
        assert!(!plan.add(&[8.5], &mut out, &mut scratch));
        assert_eq!(out, [101.0, 100.0, 100.0], "nothing added");
    }
}
