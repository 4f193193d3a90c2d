//! Tier 1 defaults from the solved sector graph, measured values laid over
//! them (the measures' activity edits are in `edits`), and the lookups every
//! method uses (factors by template, amounts and properties by node,
//! controls, rows).

use super::*;

impl<'a> Work<'a> {
    pub(super) fn factor(&self, template: &str) -> crate::Result<(Decimal, Unit, String)> {
        let id = expand(template, self.sector, self.ctx);
        if let Some(f) = self.lib.find(&id) {
            return Ok((f.value, f.unit.clone(), id));
        }
        let f = self.lib.get(&id).map_err(|e| {
            Error::Data(DataError {
                location: self.here(),
                ..e
            })
        })?;
        Ok((f.value, f.unit.clone(), id))
    }

    /// A factor's value converted to `unit` (an error naming both units otherwise).
    pub(super) fn factor_in(&self, template: &str, unit: &str) -> crate::Result<(Decimal, String)> {
        let (v, u, id) = self.factor(template)?;
        let target = Unit::parse(unit)?;
        let value = u.convert(v, &target).map_err(|e| {
            Error::Data(DataError::new(
                self.here(),
                factor_problem(&id, &unit_text(&e)),
            ))
        })?;
        Ok((value, id))
    }

    pub(super) fn home_node(&self, item: &str) -> String {
        if item.starts_with("fuel.") {
            return self.sector.default_node.clone();
        }
        if let Some(m) = consuming_method(item) {
            if let Some(src) =
                self.sector.sources.iter().find(|s| {
                    s.method == m && (m != Method::Carbonate || s.items.contains_key(item))
                })
            {
                return src.node.clone();
            }
        }
        self.sector.default_node.clone()
    }

    /// Tier 1 defaults from the graph, then the measured values over them.
    pub(super) fn defaults(&mut self, output: Decimal) -> crate::Result<()> {
        let mut used = Vec::new();
        let kept = self
            .flow_systems
            .and_then(|systems| systems.get(self.sector, self.ctx, self.lib))
            .and_then(|system| system.solve(self.sector, output, &mut used));
        let activity = match kept {
            Some(activity) => activity,
            None => self
                .sector
                .solve(output, self.ctx, self.lib, &mut used)
                .map_err(Error::Data)?,
        };
        let defaults = self.graph_defaults(&activity)?;
        self.activity = activity;
        // Measured groups replace their defaults; the replaced defaults are
        // the shares a measured total is split by over the nodes (only a
        // measured item's own defaults are ever read for that, so the rest
        // need no copy).
        let measured_groups: BTreeSet<String> = self
            .measured
            .iter()
            .map(|(i, _, _, _, _)| default_group(i).to_string())
            .collect();
        let (shares, kept): (BTreeMap<_, _>, BTreeMap<_, _>) = defaults
            .into_iter()
            .partition(|((item, _), _)| measured_groups.contains(default_group(item)));
        self.amounts = kept;
        let measured = std::mem::take(&mut self.measured);
        self.lay_measured(&measured, &shares)?;
        self.warn_without_energy();
        Ok(())
    }

    /// The Tier 1 amount of every input of the technology, from the solved
    /// graph's node activity, summed by (item, node).
    fn graph_defaults(
        &self,
        activity: &BTreeMap<String, Decimal>,
    ) -> crate::Result<BTreeMap<(String, String), Entry>> {
        let mut defaults: BTreeMap<(String, String), Entry> = BTreeMap::new();
        for input in self.sector.inputs_for(self.ctx.technology) {
            let node = self.sector.node(&input.node).ok_or_else(|| {
                let n = &input.node;
                Error::Data(DataError::new(
                    self.here(),
                    tr!("unknown node '{n}'", "未知节点“{n}”"),
                ))
            })?;
            let mut ids = Vec::new();
            let per = self
                .sector
                .eval_amount(&input.amount, self.ctx, self.lib, &mut ids)
                .map_err(Error::Data)?;
            let s = Quantity::new(activity[&input.node], node.unit.clone());
            let canonical = self.canonical_unit(&input.item);
            let item = &input.item;
            let value = s.mul(&per)?.value_in(&canonical).map_err(|e| {
                Error::Data(DataError::new(
                    input.amount.location.clone(),
                    Text::new(
                        format!("default input '{item}': {e}"),
                        format!("缺省输入“{item}”：{}", e.text(Lang::Zh)),
                    ),
                ))
            })?;
            let from = if ids.is_empty() {
                input.amount.note.clone()
            } else {
                ids.join(" × ")
            };
            let key = (input.item.clone(), input.node.clone());
            match defaults.get_mut(&key) {
                Some(e) => {
                    let old = e.value;
                    e.value = old.checked_add(value).ok_or_else(|| {
                        Error::Data(DataError::new(
                            input.amount.location.clone(),
                            tr!(
                                "default input '{item}': {old} + {value} is out of range",
                                "缺省输入“{item}”：{old} + {value} 超出数值范围"
                            ),
                        ))
                    })?
                }
                None => {
                    defaults.insert(
                        key,
                        Entry {
                            value,
                            origin: InputOrigin::Default,
                            from,
                            factor_ids: ids,
                        },
                    );
                }
            }
        }
        Ok(defaults)
    }

    /// Lays the measured amounts over the defaults: at their node where one
    /// is given, else split over the nodes by the default shares.
    fn lay_measured(
        &mut self,
        measured: &[Measured],
        shares: &BTreeMap<(String, String), Entry>,
    ) -> crate::Result<()> {
        let facility_level: BTreeSet<&str> = measured
            .iter()
            .filter(|(_, n, _, _, _)| n.is_none())
            .map(|(i, _, _, _, _)| i.as_str())
            .collect();
        for (item, node, total, loc, conversion) in measured {
            if node.is_some() && facility_level.contains(item.as_str()) {
                return Err(Error::Data(DataError::new(
                    loc.clone(),
                    tr!(
                        "'{item}' is given both for the facility and for a node: give one or the other",
                        "“{item}”同时按设施和按节点填写：请只填写其中之一"
                    ),
                )));
            }
            // A fuel given in energy units says so, with the NCV's factor id.
            let (from, factor_ids) = match conversion {
                Some(c) => (
                    format!("{loc} ({})", c.note),
                    c.ncv_id.iter().cloned().collect(),
                ),
                None => (loc.to_string(), Vec::new()),
            };
            let entry = |value| Entry {
                value,
                origin: InputOrigin::Measured,
                from: from.clone(),
                factor_ids: factor_ids.clone(),
            };
            if item.starts_with("emission.") {
                self.amounts.insert(
                    (item.clone(), node.clone().unwrap_or_default()),
                    entry(*total),
                );
                continue;
            }
            if let Some(n) = node {
                self.amounts
                    .insert((item.clone(), n.clone()), entry(*total));
                continue;
            }
            self.split_by_shares(item, *total, shares, entry)?;
        }
        Ok(())
    }

    /// A facility-level measured amount spread over the nodes in proportion
    /// to the item's default amounts (all at one node when there is at most
    /// one, or the defaults sum to zero).
    fn split_by_shares(
        &mut self,
        item: &str,
        total: Decimal,
        shares: &BTreeMap<(String, String), Entry>,
        entry: impl Fn(Decimal) -> Entry,
    ) -> crate::Result<()> {
        let parts: Vec<(&String, Decimal)> = shares
            .iter()
            .filter(|((i, _), e)| i == item && e.value > Decimal::ZERO)
            .map(|((_, n), e)| (n, e.value))
            .collect();
        let mut sum = Decimal::ZERO;
        for (_, v) in &parts {
            sum = self.add(format_args!("default shares of '{item}'"), sum, *v)?;
        }
        if parts.len() <= 1 || sum.is_zero() {
            let n = parts
                .first()
                .map(|(n, _)| (*n).clone())
                .unwrap_or_else(|| self.home_node(item));
            self.amounts.insert((item.to_string(), n), entry(total));
        } else {
            // Split by the default shares; the last part takes the
            // remainder so that the parts sum to the total exactly.
            let mut left = total;
            for (k, (n, v)) in parts.iter().enumerate() {
                let part = if k + 1 == parts.len() {
                    left
                } else {
                    let what = format!("'{item}' split by the default shares");
                    self.div(&what, self.mul(&what, total, *v)?, sum)?
                };
                left = self.sub(
                    format_args!("'{item}' split by the default shares"),
                    left,
                    part,
                )?;
                self.amounts
                    .insert((item.to_string(), (*n).clone()), entry(part));
            }
        }
        Ok(())
    }

    /// Warns where a fuel-using sector ends with neither fuel nor purchased
    /// power: its technology has no Tier 1 energy default.
    fn warn_without_energy(&mut self) {
        let has_fuel = self.amounts.keys().any(|(i, _)| default_group(i) == "fuel");
        let sector_uses_fuel = self
            .sector
            .inputs
            .iter()
            .any(|i| default_group(&i.item) == "fuel");
        let has_power = self
            .amounts
            .keys()
            .any(|(i, _)| i == "electricity.purchased");
        if sector_uses_fuel && !has_fuel && !has_power {
            let technology = self.ctx.technology;
            self.warnings.push(Warning::new(
                self.here(),
                tr!(
                    "technology '{technology}' has no Tier 1 energy default: give the measured fuel (fuel.<f>) and electricity",
                    "技术“{technology}”没有 Tier 1 能耗缺省值：请填写实测燃料（fuel.<f>）和电力"
                ),
            ));
        }
    }

    pub(super) fn entries(&self, item: &str) -> Vec<(String, Entry)> {
        self.amounts
            .iter()
            .filter(|((i, _), _)| i == item)
            .map(|((_, n), e)| (n.clone(), e.clone()))
            .collect()
    }

    pub(super) fn total_of(&self, item: &str) -> crate::Result<Option<(Decimal, InputUsed)>> {
        let es = self.entries(item);
        if es.is_empty() {
            return Ok(None);
        }
        let mut value = Decimal::ZERO;
        for (_, e) in &es {
            value = self.add(format_args!("total of '{item}'"), value, e.value)?;
        }
        let measured = es.iter().any(|(_, e)| e.origin == InputOrigin::Measured);
        let from = es
            .iter()
            .map(|(_, e)| e.from.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect::<Vec<_>>()
            .join("; ");
        Ok(Some((
            value,
            InputUsed {
                item: item.to_string(),
                value,
                unit: self.canonical_unit(item).symbol().to_string(),
                origin: if measured {
                    InputOrigin::Measured
                } else {
                    InputOrigin::Default
                },
                from,
            },
        )))
    }

    pub(super) fn prop(&self, item: &str, node: &str) -> Option<(Decimal, String)> {
        self.props
            .get(&(item.to_string(), node.to_string()))
            .or_else(|| self.props.get(&(item.to_string(), String::new())))
            .cloned()
    }

    /// The control efficiency of `sub` at `node` (the node's, else the
    /// facility's), as an input of the rows it reduces, with the factor id
    /// of a default control.
    pub(super) fn control(
        &self,
        sub: Substance,
        node: &str,
    ) -> Option<(Decimal, InputUsed, Option<String>)> {
        let item = format!("control.{}.efficiency", sub.code());
        let default = self
            .default_controls
            .get(&(item.clone(), node.to_string()))
            .cloned();
        self.prop(&item, node).map(|(v, at)| {
            (
                v,
                InputUsed {
                    item,
                    value: v,
                    unit: "fraction".into(),
                    origin: if default.is_some() {
                        InputOrigin::Default
                    } else {
                        InputOrigin::Measured
                    },
                    from: at,
                },
                default,
            )
        })
    }

    /// Puts the sector's default controls in place where the workbook gives
    /// no control for the pollutant at the node (nor for the facility), and
    /// says so once per facility-year: a Tier 1 figure with a default control
    /// is an estimate of a controlled plant, not a measured one.
    pub(super) fn default_controls(&mut self) -> crate::Result<()> {
        let mut said = Vec::new();
        for c in self
            .sector
            .default_controls
            .iter()
            .filter(|c| crate::graph::Sector::applies_to(&c.technology, self.ctx.technology))
        {
            let item = format!("control.{}.efficiency", c.substance.code());
            if self.prop(&item, &c.node).is_some() {
                continue;
            }
            let (eta, id) = self.factor_in(&c.efficiency, "fraction")?;
            let confidence = self
                .lib
                .find(&id)
                .map(|f| f.confidence.as_str())
                .unwrap_or("assumption");
            self.props.insert(
                (item.clone(), c.node.clone()),
                (eta, format!("default control {id} ({confidence})")),
            );
            self.default_controls
                .insert((item, c.node.clone()), id.clone());
            let (code, node) = (c.substance.code(), &c.node);
            let percent = (eta * Decimal::ONE_HUNDRED).normalize();
            said.push(tr!(
                "{code} at {node} {percent} %",
                "{node} 处 {code} {percent} %"
            ));
        }
        if !said.is_empty() {
            let join = |lang: Lang, sep: &str| {
                said.iter()
                    .map(|t| t.get(lang))
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            let (said, said_zh) = (join(Lang::En, ", "), join(Lang::Zh, "，"));
            self.warnings.push(Warning::new(
                self.here(),
                Text::new(
                    format!("no control given, so the sector's default controls are assumed ({said}): the pollutant figures are those of a typically controlled plant; give control.<SUBSTANCE>.efficiency (0 % for none) where the plant differs"),
                    format!("未填写治理设施，按行业缺省治理水平计（{said_zh}）：污染物数据为典型治理水平工厂的数值；如本厂不同，请填写 control.<SUBSTANCE>.efficiency（无治理填 0 %）"),
                ),
            ));
        }
        Ok(())
    }

    pub(super) fn recipe(&self, method: Method, node: &str) -> crate::Result<&'a Source> {
        let sector = self.sector;
        sector
            .sources
            .iter()
            .find(|s| s.method == method && s.node == node)
            .or_else(|| sector.sources.iter().find(|s| s.method == method))
            .ok_or_else(|| {
                let id = &sector.id;
                Error::Data(DataError::new(
                    Location::file(&sector.path),
                    tr!(
                        "sector {id} has no {method:?} source for node '{node}'",
                        "行业 {id} 在节点“{node}”没有 {method:?} 排放源"
                    ),
                ))
            })
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn push(
        &mut self,
        settings: &Settings,
        src: &Source,
        node: &str,
        sub: Substance,
        amount: Decimal,
        tier: u8,
        factor_ids: Vec<String>,
        inputs: Vec<InputUsed>,
    ) {
        let memo = sub.category() == Category::Memo;
        self.rows.push(Row {
            node: node.to_string(),
            source: src.id.clone(),
            method: format!("{:?}", src.method).to_lowercase(),
            substance: sub.code().to_string(),
            amount,
            unit: "t".into(),
            tier,
            scope: if memo { 0 } else { src.scope },
            in_view: !memo && (settings.view == View::Footprint || src.in_compliance),
            factor_ids,
            inputs,
        });
    }

    /// Applies the end-of-pipe control efficiency of `sub` at `node`.
    pub(super) fn controlled(
        &self,
        amount: Decimal,
        sub: Substance,
        node: &str,
        inputs: &mut Vec<InputUsed>,
        ids: &mut Vec<String>,
    ) -> crate::Result<Decimal> {
        match self.control(sub, node) {
            Some((eta, used, default)) => {
                inputs.push(used);
                ids.extend(default);
                self.note_removal(sub, node, amount)?;
                self.mul(
                    format_args!("{} after control = amount × (1 − efficiency)", sub.code()),
                    amount,
                    Decimal::ONE - eta,
                )
            }
            None => Ok(amount),
        }
    }
}
