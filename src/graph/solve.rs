//! A sector's graph at work: nodes, flows and inputs by technology, the exact
//! flow solve for a facility's output (Gaussian elimination in `Decimal`, so
//! loops such as baijiu's biogas to the boiler stay), and amounts evaluated
//! from factor chains.

use super::library::hint_suffix;
use super::*;
use crate::text::Text;
use crate::tr;

impl Sector {
    /// The node with this id.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|n| n.id == id)
    }

    /// Resolves a technology by id, name or alias, English or Chinese
    /// (`cwpb`, `CWPB prebake cells`, `roller kiln`, `密集烤房`), after folding
    /// case, spaces and punctuation. Free text that is no name maps to the
    /// technology whose longest name it contains (`strong-aroma solid-state,
    /// gas boiler` → `gas_boiler`), when that is one technology only.
    pub fn technology(&self, name: &str) -> std::result::Result<&Technology, Text> {
        let t = name.trim();
        // The engine passes ids (the workbook reader stores the id it
        // matched), and no other technology answers to a technology's id
        // (checked when the sector is compiled): the common case without
        // folding every name of every technology.
        if let Some(x) = self.technologies.iter().find(|x| x.id == t) {
            return Ok(x);
        }
        let f = fold_name(t);
        let names = |x: &'_ Technology| {
            let mut v = vec![
                fold_name(&x.id),
                fold_name(&x.name_en),
                fold_name(&x.name_zh),
            ];
            v.extend(x.aliases.iter().map(|a| fold_name(a)));
            v.retain(|n| !n.is_empty());
            v
        };
        if let Some(x) = self.technologies.iter().find(|x| names(x).contains(&f)) {
            return Ok(x);
        }
        // the longest name contained in the text, if it belongs to one technology
        let mut best: Option<(usize, Vec<&Technology>)> = None;
        if !f.is_empty() {
            for x in &self.technologies {
                for n in names(x) {
                    // short words ("gas", "coal") only count as whole text
                    if n.chars().count() < 4 && n.is_ascii() {
                        continue;
                    }
                    if !f.contains(&n) {
                        continue;
                    }
                    let len = n.chars().count();
                    match &mut best {
                        Some((l, v)) if *l == len => {
                            if !v.iter().any(|y| y.id == x.id) {
                                v.push(x)
                            }
                        }
                        Some((l, _)) if *l > len => {}
                        _ => best = Some((len, vec![x])),
                    }
                }
            }
        }
        if let Some((_, v)) = &best {
            if let [one] = v.as_slice() {
                return Ok(one);
            }
        }
        let (hint_en, hint_zh) = hint_suffix(did_you_mean(
            t,
            self.technologies.iter().map(|x| x.id.as_str()),
        ));
        let (ambiguous_en, ambiguous_zh) = match &best {
            Some((_, v)) if v.len() > 1 => {
                let ids = v.iter().map(|x| x.id.as_str()).collect::<Vec<_>>();
                (
                    format!(" (it could be {})", ids.join(" or ")),
                    format!("（可能是 {}）", ids.join(" 或 ")),
                )
            }
            _ => (String::new(), String::new()),
        };
        let sector = &self.id;
        let known = self
            .technologies
            .iter()
            .map(|x| x.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        Err(Text::new(
            format!("unknown technology '{t}' for sector {sector}{ambiguous_en}{hint_en}; known: {known}"),
            format!("行业 {sector} 没有技术“{t}”{ambiguous_zh}{hint_zh}；可选技术：{known}"),
        ))
    }

    /// The technology indicated by the fuels a facility uses (the first
    /// technology, in the sector file's order, one of whose `infer_from_fuels`
    /// appears), with the fuel that decided it.
    pub fn infer_technology<'a>(
        &'a self,
        fuels: &BTreeSet<String>,
    ) -> Option<(&'a Technology, &'a str)> {
        self.technologies.iter().find_map(|t| {
            t.infer_from_fuels
                .iter()
                .find(|f| fuels.contains(f.as_str()))
                .map(|f| (t, f.as_str()))
        })
    }

    /// True when the edition's formulas depend on the technology (a source
    /// parameter of that edition names `{cell}`, `{anode}` or `{technology}`,
    /// as the IPCC 2006 aluminium PFC and Tier 1 CO2 factors do by cell type).
    pub fn method_needs_technology(&self, edition: &str) -> bool {
        self.sources.iter().any(|s| {
            s.params_by_edition
                .get(edition)
                .into_iter()
                .flat_map(|p| p.values())
                .chain(s.params.values())
                .any(|v| {
                    ["{cell}", "{anode}", "{technology}"]
                        .iter()
                        .any(|p| v.contains(p))
                })
        })
    }

    /// Every factor id this sector names, for all editions and technologies
    /// (templates expanded).
    pub fn factor_ids(&self) -> BTreeSet<String> {
        let mut templates: Vec<&str> = Vec::new();
        for f in &self.flows {
            templates.extend(f.amount.factors.iter().map(String::as_str));
            templates.extend(f.amount.divide_by.iter().map(String::as_str));
        }
        for i in &self.inputs {
            templates.extend(i.amount.factors.iter().map(String::as_str));
            templates.extend(i.amount.divide_by.iter().map(String::as_str));
        }
        for c in &self.default_controls {
            templates.push(c.efficiency.as_str());
            templates.extend(c.limit.as_deref());
        }
        for s in &self.sources {
            templates.extend(s.params.values().map(String::as_str));
            templates.extend(
                s.params_by_edition
                    .values()
                    .flat_map(|p| p.values().map(String::as_str)),
            );
            templates.extend(s.items.values().map(String::as_str));
            templates.extend(
                s.items_by_edition
                    .values()
                    .flat_map(|p| p.values().map(String::as_str)),
            );
            templates.extend(
                s.pollutants
                    .values()
                    .flat_map(|t| t.values().map(String::as_str)),
            );
            templates.extend(
                s.pollutants_by_node
                    .values()
                    .flat_map(|n| n.values())
                    .flat_map(|t| t.values().map(String::as_str)),
            );
        }
        let mut out = BTreeSet::new();
        for e in self.editions.keys() {
            for t in &self.technologies {
                let ctx = Context {
                    edition: e,
                    technology: &t.id,
                };
                out.extend(templates.iter().map(|x| expand(x, self, ctx)));
            }
        }
        out
    }

    /// Evaluates an amount to an exact quantity.
    pub fn eval_amount(
        &self,
        a: &Amount,
        ctx: Context<'_>,
        lib: &FactorLibrary,
        used: &mut Vec<String>,
    ) -> std::result::Result<Quantity, DataError> {
        if let Some(v) = a.value {
            let unit = Unit::parse(a.unit.as_deref().unwrap_or("1"))
                .map_err(|e| DataError::new(a.location.clone(), Text::from(&e)))?;
            return Ok(Quantity::new(v, unit));
        }
        let mut q: Option<Quantity> = None;
        let located = |e: DataError| DataError {
            location: a.location.clone(),
            ..e
        };
        for id in &a.factors {
            let id = expand(id, self, ctx);
            let f = match lib.find(&id) {
                Some(f) => f,
                None => lib.get(&id).map_err(located)?,
            };
            used.push(id);
            let next = Quantity::new(f.value, f.unit.clone());
            q = Some(match q {
                None => next,
                Some(q) => q
                    .mul(&next)
                    .map_err(|e| DataError::new(a.location.clone(), Text::from(&e)))?,
            });
        }
        let mut q = q.unwrap_or_else(|| Quantity::new(Decimal::ONE, Unit::one()));
        for id in &a.divide_by {
            let id = expand(id, self, ctx);
            let f = match lib.find(&id) {
                Some(f) => f,
                None => lib.get(&id).map_err(located)?,
            };
            used.push(id);
            q = q
                .div(&Quantity::new(f.value, f.unit.clone()))
                .map_err(|e| DataError::new(a.location.clone(), Text::from(&e)))?;
        }
        Ok(q)
    }

    pub(super) fn applies(list: &[String], technology: &str) -> bool {
        list.is_empty() || list.iter().any(|t| t == technology)
    }

    /// True when a list of technologies (empty: all) includes `technology`.
    pub fn applies_to(list: &[String], technology: &str) -> bool {
        Sector::applies(list, technology)
    }

    /// Flows that apply to a technology.
    pub fn flows_for<'a>(&'a self, technology: &'a str) -> impl Iterator<Item = &'a Flow> + 'a {
        self.flows
            .iter()
            .filter(move |f| Sector::applies(&f.technology, technology))
    }

    /// Inputs that apply to a technology.
    pub fn inputs_for<'a>(&'a self, technology: &'a str) -> impl Iterator<Item = &'a Input> + 'a {
        self.inputs
            .iter()
            .filter(move |i| Sector::applies(&i.technology, technology))
    }

    /// Solves the flow system for `output` units of the reference product:
    /// (I − A + C)·s = f, where A holds inputs per unit of each consumer and C
    /// co-products. Gaussian elimination with partial pivoting on exact
    /// decimals; a singular system (a loop that feeds itself one-for-one) is an
    /// error naming the nodes involved.
    pub fn solve(
        &self,
        output: Decimal,
        ctx: Context<'_>,
        lib: &FactorLibrary,
        used: &mut Vec<String>,
    ) -> std::result::Result<BTreeMap<String, Decimal>, DataError> {
        let m = self.flow_matrix(ctx, lib, used)?;
        let sector = &self.id;
        let s = gauss(m, self.right_hand_side(output)).map_err(|e| match e {
            Gauss::Singular => DataError::new(
                Location::file(&self.path),
                tr!(
                    "the flow system of sector '{sector}' is singular: a loop supplies itself one-for-one",
                    "行业“{sector}”的物料流方程组奇异：存在一个按 1:1 自我供给的循环"
                ),
            ),
            Gauss::Overflow => DataError::new(
                Location::api(tr!("sector '{sector}' flow solve", "行业“{sector}”物料流求解")),
                tr!(
                    "solving the flows of sector '{sector}' for an output of {output} is out of range (larger than about 7.9e28): check the output and the factor values",
                    "按产量 {output} 求解行业“{sector}”的物料流时超出数值范围（大于约 7.9e28）：请核对产量和因子值"
                ),
            ),
        })?;
        Ok(self.nodes.iter().map(|x| x.id.clone()).zip(s).collect())
    }

    /// The flow system's matrix for `ctx` over `lib` (see [`Sector::solve`]),
    /// the factor ids its amounts used added to `used`.
    fn flow_matrix(
        &self,
        ctx: Context<'_>,
        lib: &FactorLibrary,
        used: &mut Vec<String>,
    ) -> std::result::Result<Vec<Vec<Decimal>>, DataError> {
        let n = self.nodes.len();
        let index: BTreeMap<&str, usize> = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let mut m = vec![vec![Decimal::ZERO; n]; n];
        for (i, row) in m.iter_mut().enumerate() {
            row[i] = Decimal::ONE;
        }
        for f in self.flows_for(ctx.technology) {
            let (from, to) = (index[f.from.as_str()], index[f.to.as_str()]);
            let q = self.eval_amount(&f.amount, ctx, lib, used)?;
            let (num, den, row, col, sign) = match f.kind {
                FlowKind::Supply | FlowKind::Waste => (from, to, from, to, -Decimal::ONE),
                FlowKind::Coproduct => (to, from, to, from, Decimal::ONE),
            };
            let want = self.nodes[num]
                .unit
                .div(&self.nodes[den].unit)
                .map_err(|e| DataError::new(f.amount.location.clone(), Text::from(&e)))?;
            let coeff = q.value_in(&want).map_err(|_| {
                let (from, to) = (&f.from, &f.to);
                let (unit, dims) = (&q.unit, q.unit.dims());
                let dims_zh = dims.zh();
                let (num_unit, den_unit) = (&self.nodes[num].unit, &self.nodes[den].unit);
                DataError::new(
                    f.amount.location.clone(),
                    tr!(
                        "unit mismatch along the edge {from} → {to}: the amount is in '{unit}' ({dims}), but the edge needs '{num_unit}' per '{den_unit}'",
                        "流向 {from} → {to} 的单位不一致：数量的单位为“{unit}”（{dims_zh}），而该流向需要每“{den_unit}”对应的“{num_unit}”"
                    ),
                )
            })?;
            m[row][col] = coeff
                .checked_mul(sign)
                .and_then(|c| m[row][col].checked_add(c))
                .ok_or_else(|| {
                    let (from, to) = (&f.from, &f.to);
                    DataError::new(
                        f.amount.location.clone(),
                        tr!(
                            "the flow {from} → {to} of {coeff} is out of range: check the factor values it uses",
                            "流向 {from} → {to} 的数量 {coeff} 超出数值范围：请核对其所用的因子值"
                        ),
                    )
                })?;
        }
        Ok(m)
    }

    /// `output` units of the reference product, nothing else.
    fn right_hand_side(&self, output: Decimal) -> Vec<Decimal> {
        let mut rhs = vec![Decimal::ZERO; self.nodes.len()];
        if let Some(r) = self.nodes.iter().position(|x| x.id == self.reference_node) {
            rhs[r] = output;
        }
        rhs
    }

    /// The flow system for `ctx` over `lib`, eliminated once, to be solved
    /// for any number of outputs ([`FlowSystem::solve`]); `None` where
    /// [`Sector::solve`] would fail, which names why.
    pub fn flow_system(&self, ctx: Context<'_>, lib: &FactorLibrary) -> Option<FlowSystem> {
        let mut used = Vec::new();
        let m = self.flow_matrix(ctx, lib, &mut used).ok()?;
        let (steps, diagonal) = eliminate(m);
        Some(FlowSystem {
            steps,
            diagonal: diagonal.ok()?,
            used,
        })
    }

    /// Checks the sector against the factor library for every edition and
    /// technology: every factor id exists, units agree along every edge, every
    /// node is connected to the reference node, the flow system solves.
    pub fn check(&self, lib: &FactorLibrary) -> Vec<DataError> {
        let mut out = BTreeSet::new();
        // Connectivity (undirected) to the reference node.
        let reference = self.nodes.iter().position(|n| n.id == self.reference_node);
        if let Some(r) = reference {
            let und = petgraph::algo::kosaraju_scc(&{
                let mut g = self.graph.clone();
                for e in self.graph.edge_indices() {
                    if let Some((a, b)) = self.graph.edge_endpoints(e) {
                        g.add_edge(b, a, usize::MAX);
                    }
                }
                g
            });
            let comp = und
                .iter()
                .find(|c| c.iter().any(|ix| self.graph[*ix] == r))
                .cloned()
                .unwrap_or_default();
            for ix in self.graph.node_indices() {
                if !comp.contains(&ix) {
                    let node = &self.nodes[self.graph[ix]];
                    let (node, reference) = (&node.id, &self.reference_node);
                    out.insert(DataError::new(
                        Location::file(&self.path),
                        tr!(
                            "node '{node}' is dangling: no flow connects it to the reference node '{reference}'",
                            "节点“{node}”孤立：没有任何流向将其与基准节点“{reference}”相连"
                        ),
                    ));
                }
            }
        }
        for edition in self.editions.keys() {
            for tech in &self.technologies {
                let ctx = Context {
                    edition,
                    technology: &tech.id,
                };
                let mut used = Vec::new();
                if let Err(e) = self.solve(Decimal::ONE, ctx, lib, &mut used) {
                    out.insert(e);
                }
                for input in self.inputs_for(&tech.id) {
                    if let Err(e) = self.eval_amount(&input.amount, ctx, lib, &mut used) {
                        out.insert(e);
                    }
                }
                for s in &self.sources {
                    let mut params: BTreeMap<&str, &str> = s
                        .params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect();
                    if let Some(p) = s.params_by_edition.get(edition.as_str()) {
                        params.extend(p.iter().map(|(k, v)| (k.as_str(), v.as_str())));
                    }
                    let items = s
                        .items
                        .keys()
                        .filter_map(|i| s.item_factor(i, edition.as_str()));
                    let ids = params.into_values().chain(items).chain(
                        s.pollutants
                            .values()
                            .flat_map(|t| t.values().map(String::as_str)),
                    );
                    for id in ids {
                        let full = expand(id, self, ctx);
                        if !lib.contains(&full) {
                            let (source, technology) = (&s.id, &tech.id);
                            out.insert(
                                DataError::new(
                                    s.location.clone(),
                                    tr!(
                                        "unknown factor '{full}' (source '{source}', edition {edition}, technology {technology})",
                                        "未知因子“{full}”（排放源“{source}”，版本 {edition}，技术 {technology}）"
                                    ),
                                )
                                .with_hint(did_you_mean(&full, lib.ids())),
                            );
                        }
                    }
                }
                for c in self
                    .default_controls
                    .iter()
                    .filter(|c| Sector::applies(&c.technology, &tech.id))
                {
                    for id in std::iter::once(&c.efficiency).chain(c.limit.as_ref()) {
                        let full = expand(id, self, ctx);
                        if !lib.contains(&full) {
                            let (code, technology) = (c.substance.code(), &tech.id);
                            out.insert(
                                DataError::new(
                                    c.location.clone(),
                                    tr!(
                                        "unknown factor '{full}' (default control of {code}, technology {technology})",
                                        "未知因子“{full}”（{code} 的缺省治理设施，技术 {technology}）"
                                    ),
                                )
                                .with_hint(did_you_mean(&full, lib.ids())),
                            );
                        }
                    }
                }
                for table in self.editions[edition].fuel_tables.iter() {
                    let prefix = format!("fuel.{table}.");
                    if !lib.ids().any(|id| id.starts_with(&prefix)) {
                        out.insert(DataError::new(
                            Location::file(&self.path),
                            tr!(
                                "edition {edition} names fuel table '{table}', which has no factors",
                                "版本 {edition} 指定的燃料表“{table}”中没有任何因子"
                            ),
                        ));
                    }
                }
            }
        }
        out.into_iter().collect()
    }
}

/// Why a flow system has no solution in exact decimals.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Gauss {
    /// A zero pivot: a loop that feeds itself one-for-one.
    Singular,
    /// A step left the range of a `Decimal`.
    Overflow,
}

/// One column of an elimination: the row swapped into the pivot's place,
/// and the multiple of the pivot row taken from each other row.
type Step = (usize, Vec<(usize, Decimal)>);

/// A sector's flow system for one edition and technology over one factor
/// library, eliminated: the matrix does not depend on the output, so a run
/// solves it once and replays the steps on each facility-year's output. The
/// replay does the very operations [`gauss`] does on the right-hand side, so
/// its decimals are the same to the last digit.
#[derive(Debug, Clone)]
pub struct FlowSystem {
    steps: Vec<Step>,
    diagonal: Vec<Decimal>,
    /// the factor ids the amounts used, in [`Sector::solve`]'s order
    used: Vec<String>,
}

impl FlowSystem {
    /// What [`Sector::solve`] gives for `output` (its factor ids added to
    /// `used`); `None` where a step leaves the range of a `Decimal`, which
    /// [`Sector::solve`] names.
    pub fn solve(
        &self,
        sector: &Sector,
        output: Decimal,
        used: &mut Vec<String>,
    ) -> Option<BTreeMap<String, Decimal>> {
        let rhs = replay(&self.steps, sector.right_hand_side(output)).ok()?;
        let s = back_substitute(rhs, &self.diagonal).ok()?;
        used.extend(self.used.iter().cloned());
        Some(sector.nodes.iter().map(|x| x.id.clone()).zip(s).collect())
    }
}

/// Eliminates `m` (partial pivoting): the steps done, and the diagonal left,
/// or why it stopped (the steps are those before the failing column).
fn eliminate(mut m: Vec<Vec<Decimal>>) -> (Vec<Step>, Result<Vec<Decimal>, Gauss>) {
    let n = m.len();
    let mut steps = Vec::with_capacity(n);
    for col in 0..n {
        let pivot = match (col..n).max_by_key(|&r| m[r][col].abs()) {
            Some(p) if !m[p][col].is_zero() => p,
            _ => return (steps, Err(Gauss::Singular)),
        };
        m.swap(col, pivot);
        let mut taken = Vec::new();
        for r in 0..n {
            if r != col && !m[r][col].is_zero() {
                let Some(f) = m[r][col].checked_div(m[col][col]) else {
                    return (steps, Err(Gauss::Overflow));
                };
                let pivot_row = m[col].clone();
                for (cell, p) in m[r].iter_mut().zip(pivot_row).skip(col) {
                    match f.checked_mul(p).and_then(|x| cell.checked_sub(x)) {
                        Some(v) => *cell = v,
                        None => return (steps, Err(Gauss::Overflow)),
                    }
                }
                taken.push((r, f));
            }
        }
        steps.push((pivot, taken));
    }
    let diagonal = (0..n).map(|i| m[i][i]).collect();
    (steps, Ok(diagonal))
}

/// The elimination's steps done on a right-hand side, in their order.
fn replay(steps: &[Step], mut rhs: Vec<Decimal>) -> Result<Vec<Decimal>, Gauss> {
    for (col, (pivot, taken)) in steps.iter().enumerate() {
        rhs.swap(col, *pivot);
        for &(r, f) in taken {
            rhs[r] = f
                .checked_mul(rhs[col])
                .and_then(|x| rhs[r].checked_sub(x))
                .ok_or(Gauss::Overflow)?;
        }
    }
    Ok(rhs)
}

fn back_substitute(rhs: Vec<Decimal>, diagonal: &[Decimal]) -> Result<Vec<Decimal>, Gauss> {
    rhs.iter()
        .zip(diagonal)
        .map(|(x, d)| x.checked_div(*d).ok_or(Gauss::Overflow))
        .collect()
}

/// Solves m·x = rhs exactly (Gaussian elimination, partial pivoting). A
/// right-hand side that leaves the range in a column before the one where
/// the matrix fails is the overflow, as when the two were eliminated side by
/// side.
pub(super) fn gauss(m: Vec<Vec<Decimal>>, rhs: Vec<Decimal>) -> Result<Vec<Decimal>, Gauss> {
    let (steps, diagonal) = eliminate(m);
    let rhs = replay(&steps, rhs)?;
    back_substitute(rhs, &diagonal?)
}
