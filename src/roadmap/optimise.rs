//! Least-cost deployment for joint targets: choose each candidate measure's
//! penetration x(m, y) per year to meet every CO2e and pollutant cap at the
//! least annualised cost, within the measure's maximum penetration and a
//! yearly ramp, never withdrawing a measure once deployed. Effects and costs
//! are linear in penetration for one measure (the engine is run exactly at
//! full penetration per measure, year and facility); interactions between
//! measures are ignored by the LP and appear when the chosen deployment is
//! re-run exactly, which the attainment table then reports.
//!
//! Solved with good_lp's pure-Rust Clarabel backend, which also gives the
//! dual price (marginal cost, CNY per t) of each target.

use super::{sum, Deployment, Projected, Projector, Roadmap, Scenario, Scope, Target};
use crate::error::Error;
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::measures::{Measure, MetricSettings};
use crate::study::Study;
use crate::text::{Lang, Text};
use crate::tr;
use good_lp::{
    clarabel, constraint, solvers::DualValues, variable, variables, Expression, ResolutionError,
    Solution, SolutionWithDual, SolverModel, Variable,
};
use rust_decimal::prelude::{FromPrimitive, ToPrimitive};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The dual price of one target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetPrice {
    pub target: String,
    pub year: i32,
    pub substance: String,
    /// The marginal abatement cost: CNY per t (per equivalent for APeq/WPeq)
    /// abated in each year the tightening holds (the target year up to the
    /// next binding target of the same substance and scope, or the horizon),
    /// comparable with the measures' unit costs: the shadow price below
    /// divided by the present value of one tonne a year over those years.
    #[serde(with = "rust_decimal::serde::str")]
    pub marginal_cost: Decimal,
    /// The LP's dual: the present value (base-year CNY) of the extra cost of
    /// tightening the cap by one unit in its year, over the whole horizon.
    #[serde(with = "rust_decimal::serde::str")]
    pub shadow_price_pv: Decimal,
    /// The last year the tightening holds.
    pub holds_until: i32,
    pub binding: bool,
    /// The candidates' unit costs (CNY per t of this substance in the target
    /// year) over the measures that cut it: the range the marginal cost is
    /// read against.
    #[serde(with = "rust_decimal::serde::str_option")]
    pub unit_cost_low: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub unit_cost_high: Option<Decimal>,
    /// Why the marginal cost falls outside that range, where it does.
    pub note: Text,
}

/// The least-cost result.
#[derive(Debug, Clone, Serialize)]
pub struct LeastCost {
    pub scenario: String,
    /// solved, infeasible or no_targets
    pub status: String,
    /// measure → year → penetration
    pub deployment: BTreeMap<String, BTreeMap<i32, String>>,
    #[serde(skip)]
    pub points: BTreeMap<String, BTreeMap<i32, Decimal>>,
    pub prices: Vec<TargetPrice>,
    /// The net present value (base-year CNY, at the study's discount rate)
    /// of the annualised costs over the horizon (LP objective)
    #[serde(with = "rust_decimal::serde::str")]
    pub total_cost: Decimal,
    /// plain explanations when the targets cannot be met
    pub explanations: Vec<Text>,
    pub method: String,
    /// The method in the reader's language (English as `method`).
    #[serde(skip)]
    pub method_text: Text,
}

impl LeastCost {
    /// The status for people, in either language.
    pub fn status_name(&self) -> Text {
        match self.status.as_str() {
            "solved" => tr!("solved", "已求解"),
            "infeasible" => tr!(
                "infeasible: the targets cannot all be met",
                "无可行解：各目标无法同时达成"
            ),
            "no_targets" => tr!(
                "no targets to meet, or no candidate measures",
                "没有需要达成的目标，或没有候选措施"
            ),
            other => Text::neutral(other),
        }
    }

    /// The chosen deployment as explicit deployments for a scenario run.
    pub fn deployments(&self) -> Vec<(String, Scope, Deployment)> {
        self.points
            .iter()
            .map(|(m, p)| {
                (
                    m.clone(),
                    Scope::All,
                    Deployment::Explicit { points: p.clone() },
                )
            })
            .collect()
    }
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn d(x: f64) -> Decimal {
    Decimal::from_f64(x).unwrap_or_default().round_dp(6)
}

/// Effect of one measure at full penetration: (year, target index) → t reduced; and year → cost.
struct Effect {
    reduction: BTreeMap<(i32, usize), Decimal>,
    cost: BTreeMap<i32, Decimal>,
}

/// A candidate measure with its upper bound (its x_max within the
/// measure's maximum penetration) and yearly ramp.
type Candidate<'m> = (&'m Measure, Decimal, Decimal);

/// What the linear programme is built from: the targets inside the
/// horizon, the candidates and their effects, the years and their discount
/// factors, and the scenario's baseline per target.
struct Problem<'a> {
    targets: Vec<&'a Target>,
    candidates: Vec<Candidate<'a>>,
    effects: Vec<Effect>,
    years: Vec<i32>,
    discount: BTreeMap<i32, f64>,
    baseline: BTreeMap<usize, Decimal>,
}

/// Solves the least-cost deployment of the scenario's candidates.
#[allow(clippy::too_many_arguments)]
pub fn least_cost(
    s: &Scenario,
    study: &Study,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    measures: &[Measure],
    rm: &Roadmap,
    ms: &MetricSettings,
) -> crate::Result<LeastCost> {
    let mut unsolved = LeastCost {
        scenario: s.id.clone(),
        status: "no_targets".into(),
        deployment: BTreeMap::new(),
        points: BTreeMap::new(),
        prices: Vec::new(),
        total_cost: Decimal::ZERO,
        explanations: Vec::new(),
        method: method(rm, ms).en,
        method_text: method(rm, ms),
    };
    let targets: Vec<&Target> = rm
        .targets
        .iter()
        .filter(|t| t.year > rm.base_year && t.year <= rm.end_year)
        .collect();
    if targets.is_empty() || s.candidates.is_empty() {
        return Ok(unsolved);
    }
    let projector = Projector::new(s, &[], study, lib, sectors, measures, rm);
    let problem = problem(&projector, targets, s, measures, rm, ms)?;
    let explanations = unreachable(&problem, rm.base_year);
    if !explanations.is_empty() {
        unsolved.status = "infeasible".into();
        unsolved.explanations = explanations;
        return Ok(unsolved);
    }
    let ((points, total_cost, prices), iterations) =
        match solve_until_exact(&problem, &projector, sectors)? {
            Ok(solved) => solved,
            Err(explanation) => {
                unsolved.status = "infeasible".into();
                unsolved.explanations = vec![explanation];
                return Ok(unsolved);
            }
        };
    Ok(LeastCost {
        scenario: s.id.clone(),
        status: "solved".into(),
        deployment: points
            .iter()
            .map(|(m, p)| {
                (
                    m.clone(),
                    p.iter().map(|(y, v)| (*y, v.to_string())).collect(),
                )
            })
            .collect(),
        points,
        prices,
        total_cost,
        explanations: Vec::new(),
        method: format!("{} ({iterations} pass(es))", unsolved.method),
        method_text: {
            let (en, zh) = (&unsolved.method_text.en, unsolved.method_text.get(Lang::Zh));
            Text::new(
                format!("{en} ({iterations} pass(es))"),
                format!("{zh}（迭代 {iterations} 轮）"),
            )
        },
    })
}

/// The method in words, with the base year, discount rate and horizon.
fn method(rm: &Roadmap, ms: &MetricSettings) -> Text {
    let (base, rate, end) = (rm.base_year, ms.discount_rate.normalize(), rm.end_year);
    tr!(
        "linear programme (good_lp + Clarabel, pure Rust): minimise the net present value Σ_y Σ_m x(m,y)·C(m,y)/(1+r)^(y−{base}) at the discount rate r = {rate} over every year to the horizon {end} (C: the annualised cost, capex through the capital recovery factor over the measure's lifetime plus O&M and energy costs of that year; costs after the horizon are not counted, which the annuity makes a salvage of the capital still unrecovered) subject to Σ_m x(m,y)·ER(m,p,y) ≥ baseline − cap for every target, 0 ≤ x ≤ x_max, 0 ≤ x(m,y) − x(m,y−1) ≤ ramp (never withdrawn); effects at full penetration per measure, linear in x; interactions appear in the exact re-run. Marginal cost: the target's dual divided by the present value of one tonne a year from the target year to the next binding target of the same substance and scope (or the horizon), so that it reads in CNY per t like a measure's unit cost",
        "线性规划（good_lp + Clarabel，纯 Rust 实现）：在折现率 r = {rate} 下，最小化至规划期末 {end} 年各年成本的净现值 Σ_y Σ_m x(m,y)·C(m,y)/(1+r)^(y−{base})（C 为年化成本：投资按措施寿命以资本回收系数折算，加上当年的运维和能源成本；规划期末之后的成本不计，年金法相当于把尚未回收的投资作为残值）；约束为每个目标 Σ_m x(m,y)·ER(m,p,y) ≥ 基线 − 上限，0 ≤ x ≤ x_max，0 ≤ x(m,y) − x(m,y−1) ≤ ramp（部署不撤回）；各措施的效果按完全渗透时的数值线性计入，措施间的相互作用在精确重算中体现。边际成本：目标的对偶值除以自目标年份至同一物质和范围下一个紧约束目标（或规划期末）每年一吨的现值，因而与措施的单位成本一样以元/吨计"
    )
}

/// The problem of a least-cost scenario: its targets inside the horizon,
/// its candidates, and what each candidate does at full penetration over
/// the scenario's own deployments.
fn problem<'a>(
    projector: &Projector,
    targets: Vec<&'a Target>,
    s: &Scenario,
    measures: &'a [Measure],
    rm: &Roadmap,
    ms: &MetricSettings,
) -> crate::Result<Problem<'a>> {
    // Every year to the horizon: a measure deployed for a target keeps
    // costing after it (it is never withdrawn).
    let years: Vec<i32> = (rm.base_year + 1..=rm.end_year).collect();
    let discount: BTreeMap<i32, f64> = years
        .iter()
        .map(|&y| {
            let r = f(ms.discount_rate);
            (y, (1.0 + r).powi(-(y - rm.base_year)))
        })
        .collect();
    let candidates: Vec<(&Measure, Decimal, Decimal)> = s
        .candidates
        .iter()
        .filter_map(|(id, (ub, ramp))| {
            measures
                .iter()
                .find(|m| &m.id == id)
                .map(|m| (m, (*ub).min(m.max_penetration), *ramp))
        })
        .collect();
    let (baseline, effects) = effects(projector, &targets, &candidates, &years, ms)?;
    Ok(Problem {
        targets,
        candidates,
        effects,
        years,
        discount,
        baseline,
    })
}

/// The scenario's baseline per target (its own non-candidate deployments)
/// and each candidate's effect at full penetration: its cost in every year
/// and its reduction of each target in the target's year.
fn effects(
    projector: &Projector,
    targets: &[&Target],
    candidates: &[Candidate],
    years: &[i32],
    ms: &MetricSettings,
) -> crate::Result<(BTreeMap<usize, Decimal>, Vec<Effect>)> {
    let mut baseline: BTreeMap<usize, Decimal> = BTreeMap::new();
    let mut effects: Vec<Effect> = candidates
        .iter()
        .map(|_| Effect {
            reduction: BTreeMap::new(),
            cost: BTreeMap::new(),
        })
        .collect();
    projector.each(
        years.iter().copied(),
        |_| true,
        |at| {
            let year = at.year;
            for (mi, (m, _, _)) in candidates.iter().enumerate() {
                if !at.takes(m) {
                    continue;
                }
                let c = effects[mi].cost.entry(year).or_default();
                *c = sum(
                    *c,
                    m.annual_cost(at.output, Decimal::ONE, ms.discount_rate)?,
                    "cost",
                    year,
                )?;
                *c = sum(*c, at.energy_cost(m, Decimal::ONE)?, "cost", year)?;
            }
            // Emissions matter in the targets' years only.
            let relevant: Vec<usize> = targets
                .iter()
                .enumerate()
                .filter(|(_, t)| t.year == year && at.inside(&t.scope))
                .map(|(i, _)| i)
                .collect();
            if relevant.is_empty() {
                return Ok(());
            }
            let base_edits = at.deployed(None)?.edits;
            let base = at.totals(&base_edits)?;
            for &ti in &relevant {
                *baseline.entry(ti).or_default() += base
                    .get(&targets[ti].substance)
                    .copied()
                    .unwrap_or_default();
            }
            for (mi, (m, _, _)) in candidates.iter().enumerate() {
                if !at.takes(m) {
                    continue;
                }
                let mut edits = base_edits.clone();
                edits.extend(m.edits_at(Decimal::ONE));
                let with = at.totals(&edits)?;
                for &ti in &relevant {
                    let key = &targets[ti].substance;
                    let er = base.get(key).copied().unwrap_or_default()
                        - with.get(key).copied().unwrap_or_default();
                    *effects[mi].reduction.entry((year, ti)).or_default() += er;
                }
            }
            Ok(())
        },
    )?;
    Ok((baseline, effects))
}

/// Plain explanations for targets that no deployment can meet on its own:
/// the baseline less the cap exceeds what every candidate can cut by the
/// target year within its bound and ramp.
fn unreachable(p: &Problem, base_year: i32) -> Vec<Text> {
    let Problem {
        targets,
        candidates,
        effects,
        baseline,
        ..
    } = p;
    let mut explanations = Vec::new();
    for (ti, t) in targets.iter().enumerate() {
        let base = baseline.get(&ti).copied().unwrap_or_default();
        let need = base - t.cap;
        if need <= Decimal::ZERO {
            continue;
        }
        let reach: Decimal = candidates
            .iter()
            .enumerate()
            .map(|(mi, (_, ub, ramp))| {
                let x = (*ub).min(*ramp * Decimal::from(t.year - base_year));
                x * effects[mi]
                    .reduction
                    .get(&(t.year, ti))
                    .copied()
                    .unwrap_or_default()
                    .max(Decimal::ZERO)
            })
            .sum();
        if reach < need {
            let (id, substance, year) = (&t.id, &t.substance, t.year);
            let scope = t.scope.name();
            let (scope, scope_zh) = (&scope.en, scope.get(crate::text::Lang::Zh));
            let cap = t.cap.round_dp(3).normalize();
            let (base, most, short) = (
                base.round_dp(3).normalize(),
                reach.round_dp(3).normalize(),
                (need - reach).round_dp(3).normalize(),
            );
            explanations.push(tr!(
                "target '{id}' ({substance} ≤ {cap} in {year}, {scope}) cannot be met: the baseline is {base} and the candidate measures can cut at most {most} by then (within their maximum penetration and ramp), short by {short}",
                "目标“{id}”（{year} 年 {substance} ≤ {cap}，{scope_zh}）无法达成：基线为 {base}，候选措施到该年最多可削减 {most}（在其最大普及率和爬坡速度之内），仍差 {short}"
            ));
        }
    }
    explanations
}

/// Solves the programme, re-runs the chosen deployment exactly, and solves
/// again with the needs raised where the exact run falls short (measures on
/// one source compose on the residual), at most 8 passes: the last solution
/// and the number of passes, or why the targets cannot all be met together.
#[allow(clippy::type_complexity)]
fn solve_until_exact(
    p: &Problem,
    projector: &Projector,
    sectors: &SectorLibrary,
) -> crate::Result<Result<(Solved, usize), Text>> {
    let Problem {
        targets,
        candidates,
        effects,
        years,
        discount,
        baseline,
    } = p;
    // Needs per target (baseline − cap); raised where the exact re-run of a
    // solution falls short because measures on one source compose on the residual.
    let mut needs: BTreeMap<usize, Decimal> = targets
        .iter()
        .enumerate()
        .map(|(ti, t)| (ti, baseline.get(&ti).copied().unwrap_or_default() - t.cap))
        .collect();
    let mut iterations = 0;
    let solved = loop {
        iterations += 1;
        let solved = match solve_lp(candidates, effects, targets, years, &needs, discount) {
            Ok(x) => x,
            Err(ResolutionError::Infeasible) => {
                let list = targets
                    .iter()
                    .map(|t| format!("'{}' ({} {})", t.id, t.substance, t.year))
                    .collect::<Vec<_>>()
                    .join(", ");
                return Ok(Err(tr!(
                    "each target can be met on its own, but not all together within the maximum penetrations and ramp limits: {list}",
                    "各目标单独均可达成，但在最大普及率和爬坡速度限制内无法同时达成：{list}"
                )));
            }
            Err(e) => {
                return Err(Error::request(tr!(
                    "the least-cost solver failed: {e}",
                    "最低成本求解器运行失败：{e}"
                )))
            }
        };
        // Exact check of every target with the chosen deployment.
        let achieved = exact_reductions(projector, sectors, targets, candidates, &solved.0)?;
        let mut raised = false;
        for (ti, t) in targets.iter().enumerate() {
            let want = baseline.get(&ti).copied().unwrap_or_default() - t.cap;
            let got = achieved.get(&ti).copied().unwrap_or_default();
            if want > Decimal::ZERO
                && got < want * (Decimal::ONE - Decimal::new(1, 9))
                && got > Decimal::ZERO
            {
                let need = needs[&ti];
                needs.insert(ti, need * want / got * Decimal::new(1_000_001, 6));
                raised = true;
            }
        }
        if !raised || iterations >= 8 {
            break solved;
        }
    };
    Ok(Ok((solved, iterations)))
}

type Solved = (
    BTreeMap<String, BTreeMap<i32, Decimal>>,
    Decimal,
    Vec<TargetPrice>,
);

/// One linear programme with the given needs per target.
fn solve_lp(
    candidates: &[(&Measure, Decimal, Decimal)],
    effects: &[Effect],
    targets: &[&Target],
    years: &[i32],
    needs: &BTreeMap<usize, Decimal>,
    discount: &BTreeMap<i32, f64>,
) -> Result<Solved, ResolutionError> {
    // Scaled: costs in millions of CNY, each target row divided by its need.
    let mut vars = variables!();
    let mut x: BTreeMap<(usize, i32), Variable> = BTreeMap::new();
    for (mi, (_, ub, _)) in candidates.iter().enumerate() {
        for &y in years {
            x.insert((mi, y), vars.add(variable().min(0.0).max(f(*ub))));
        }
    }
    let mut objective = Expression::from(0.0);
    for (mi, e) in effects.iter().enumerate() {
        for &y in years {
            let c = f(e.cost.get(&y).copied().unwrap_or_default()) * discount[&y] / 1.0e6;
            objective += c * x[&(mi, y)];
        }
    }
    let mut model = vars.minimise(objective.clone()).using(clarabel);
    for (mi, (_, _, ramp)) in candidates.iter().enumerate() {
        let mut prev: Option<Variable> = None;
        for &y in years {
            let v = x[&(mi, y)];
            match prev {
                None => {
                    model = model.with(constraint!(v <= f(*ramp)));
                }
                Some(p) => {
                    model = model.with(constraint!(v - p <= f(*ramp)));
                    model = model.with(constraint!(v - p >= 0.0));
                }
            }
            prev = Some(v);
        }
    }
    let mut refs = Vec::new();
    for (ti, t) in targets.iter().enumerate() {
        let need = needs.get(&ti).copied().unwrap_or_default();
        if need <= Decimal::ZERO {
            refs.push((ti, None, need));
            continue;
        }
        let mut lhs = Expression::from(0.0);
        for (mi, e) in effects.iter().enumerate() {
            let er = e.reduction.get(&(t.year, ti)).copied().unwrap_or_default();
            lhs += f(er / need) * x[&(mi, t.year)];
        }
        let r = model.add_constraint(constraint!(lhs >= 1.0));
        refs.push((ti, Some(r), need));
    }
    let mut solution = model.solve()?;
    let mut points: BTreeMap<String, BTreeMap<i32, Decimal>> = BTreeMap::new();
    for ((mi, y), v) in &x {
        let val = d(solution.value(*v)).max(Decimal::ZERO);
        points
            .entry(candidates[*mi].0.id.clone())
            .or_default()
            .insert(*y, val);
    }
    let total_cost = d(solution.eval(&objective) * 1.0e6);
    let duals = solution.compute_dual();
    // The duals first: present value, CNY per t.
    let pv: Vec<f64> = refs
        .iter()
        .map(|(_, r, need)| match r {
            // d(objective in M CNY)/d(rhs of the scaled row) → CNY per t.
            Some(r) => duals.dual(r.clone()).abs() * 1.0e6 / f(*need),
            None => 0.0,
        })
        .collect();
    let binding = |i: usize| pv[i] > 1e-6 * (1.0 + pv.iter().fold(0.0, |a: f64, b| a.max(*b)));
    let end = years.last().copied().unwrap_or_default();
    let mut prices = Vec::new();
    for (i, (ti, _, _)) in refs.iter().enumerate() {
        let t = targets[*ti];
        // The tightening holds until the next binding target of the same
        // substance and scope takes over, or to the horizon.
        let until = refs
            .iter()
            .enumerate()
            .filter(|(j, (tj, _, _))| {
                let o = targets[*tj];
                binding(*j) && o.substance == t.substance && o.scope == t.scope && o.year > t.year
            })
            .map(|(_, (tj, _, _))| targets[*tj].year - 1)
            .min()
            .unwrap_or(end);
        let tonne_years: f64 = (t.year..=until).filter_map(|y| discount.get(&y)).sum();
        let mac = if binding(i) && tonne_years > 0.0 {
            pv[i] / tonne_years
        } else {
            0.0
        };
        let (low, high) = unit_cost_range(candidates, effects, *ti, t.year);
        let note = price_note(binding(i), mac, low, high);
        prices.push(TargetPrice {
            target: t.id.clone(),
            year: t.year,
            substance: t.substance.clone(),
            marginal_cost: d(mac),
            shadow_price_pv: d(pv[i]),
            holds_until: until,
            binding: binding(i),
            unit_cost_low: low.map(d),
            unit_cost_high: high.map(d),
            note,
        });
    }
    Ok((points, total_cost, prices))
}

/// The lowest and highest unit cost (annual cost over the target's
/// reduction, in the target year at full penetration) among the candidates
/// that cut the target's substance.
fn unit_cost_range(
    candidates: &[(&Measure, Decimal, Decimal)],
    effects: &[Effect],
    ti: usize,
    year: i32,
) -> (Option<f64>, Option<f64>) {
    let costs: Vec<f64> = candidates
        .iter()
        .zip(effects)
        .filter_map(|(_, e)| {
            let er = f(e.reduction.get(&(year, ti)).copied().unwrap_or_default());
            (er > 0.0).then(|| f(e.cost.get(&year).copied().unwrap_or_default()) / er)
        })
        .collect();
    (
        costs.iter().copied().reduce(f64::min),
        costs.iter().copied().reduce(f64::max),
    )
}

/// Why a marginal cost falls outside its measures' unit costs, in words.
fn price_note(binding: bool, mac: f64, low: Option<f64>, high: Option<f64>) -> Text {
    // Rounding of the solver: a thousandth of the range's scale.
    let tol = |v: f64| 1e-3 * v.abs().max(1.0);
    match (binding, low, high) {
        (false, _, _) => tr!(
            "not binding: met without further cuts (by the baseline or the measures chosen for the other targets)",
            "非紧约束：无需进一步削减即可达成（由基线或为其他目标所选的措施实现）"
        ),
        (true, Some(lo), Some(hi)) if mac < lo - tol(lo) => tr!(
            "below the candidates' unit costs ({lo:.1} … {hi:.1}): the measures that make the cut also serve another binding target, whose price pays part of their cost",
            "低于候选措施的单位成本（{lo:.1} … {hi:.1}）：实现削减的措施同时服务于另一个紧约束目标，其影子价格分担了部分成本"
        ),
        (true, Some(lo), Some(hi)) if mac > hi + tol(hi) => tr!(
            "above the candidates' unit costs ({lo:.1} … {hi:.1}): ramp limits force deployment before the target year, or measures overlapping on one source cut less together than alone (the need was raised to meet the cap exactly)",
            "高于候选措施的单位成本（{lo:.1} … {hi:.1}）：爬坡速度限制迫使措施在目标年之前部署，或作用于同一排放源的措施叠加后的削减小于各自单独的削减之和（已提高削减需求以恰好满足上限）"
        ),
        (true, Some(_), Some(_)) => Text::default(),
        _ => tr!(
            "no candidate cuts this substance in the target year",
            "目标年没有任何候选措施削减该物质"
        ),
    }
}

/// Exact reductions per target with a deployment (all candidates together).
fn exact_reductions(
    projector: &Projector,
    sectors: &SectorLibrary,
    targets: &[&Target],
    candidates: &[Candidate],
    points: &BTreeMap<String, BTreeMap<i32, Decimal>>,
) -> crate::Result<BTreeMap<usize, Decimal>> {
    let mut out = BTreeMap::new();
    for (ti, t) in targets.iter().enumerate() {
        projector.each(
            [t.year],
            |f| t.scope.contains(f, sectors),
            |at: &Projected| {
                let base_edits = at.deployed(None)?.edits;
                let base = at.totals(&base_edits)?;
                let mut edits = base_edits;
                for (m, _, _) in candidates {
                    if at.takes(m) {
                        let x = points
                            .get(&m.id)
                            .and_then(|p| p.get(&t.year))
                            .copied()
                            .unwrap_or_default();
                        edits.extend(m.edits_at(x));
                    }
                }
                let with = at.totals(&edits)?;
                *out.entry(ti).or_default() += base.get(&t.substance).copied().unwrap_or_default()
                    - with.get(&t.substance).copied().unwrap_or_default();
                Ok(())
            },
        )?;
    }
    Ok(out)
}
