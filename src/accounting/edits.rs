//! The measures' activity edits applied to a facility-year's amounts and
//! properties, one method per kind of edit (scale, switch, add, control,
//! green power), and the amount a fuel switch brings in. Factor edits are
//! applied to a copy of the library beforehand (`factor_edits`); here they
//! only warn where the edition has no such factor.

use super::*;

impl Work<'_> {
    /// Applies the activity edits (everything but factor edits) in order.
    pub(super) fn apply_edits(&mut self, edits: &[Edit], output: Decimal) -> crate::Result<()> {
        let here = self.here();
        for e in edits {
            match e {
                Edit::ScaleFactor { id, .. } | Edit::SetFactor { id, .. } => {
                    self.warn_factor_edit_without_effect(id)
                }
                Edit::Scale {
                    item,
                    node,
                    multiplier,
                } => self.scale_edit(&here, item, node, *multiplier)?,
                Edit::Switch {
                    from,
                    to,
                    node,
                    share,
                    ratio,
                } => self.switch_edit(&here, from, to, node, *share, ratio)?,
                Edit::Add {
                    item,
                    node,
                    per_output,
                } => self.add_edit(&here, item, node, per_output, output)?,
                Edit::Control {
                    substance,
                    node,
                    efficiency,
                    sorbent,
                } => self.control_edit(&here, *substance, node, *efficiency, sorbent)?,
                Edit::GreenPower { share } => {
                    let rest = self.mul(
                        "measure edit: green-power share",
                        Decimal::ONE - self.green_share,
                        Decimal::ONE - share,
                    )?;
                    self.green_share =
                        self.sub("measure edit: green-power share", Decimal::ONE, rest)?;
                }
            }
        }
        Ok(())
    }

    /// Factor edits are applied to the library copy (`factor_edits`); here
    /// only the warning for an id the facility's edition does not define.
    fn warn_factor_edit_without_effect(&mut self, id: &str) {
        let full = expand(id, self.sector, self.ctx);
        if !self.lib.contains(&full) {
            let edition = self.ctx.edition;
            self.warnings.push(Warning::new(
                self.here(),
                tr!(
                    "measure edit of '{full}' has no effect: the {edition} edition has no such factor",
                    "措施对“{full}”的修改不起作用：{edition} 版本没有该因子"
                ),
            ));
        }
    }

    /// `Edit::Scale`: multiplies the matching amounts and properties.
    fn scale_edit(
        &mut self,
        here: &Location,
        item: &str,
        node: &Option<String>,
        multiplier: Decimal,
    ) -> crate::Result<()> {
        let scaled = |v: Decimal, i: &str| {
            v.checked_mul(multiplier).ok_or_else(|| {
                Error::Data(DataError::new(
                    here.clone(),
                    tr!(
                        "measure edit: '{i}' {v} × {multiplier} is out of range",
                        "措施修改：“{i}” {v} × {multiplier} 超出数值范围"
                    ),
                ))
            })
        };
        for ((i, n), entry) in self.amounts.iter_mut() {
            if item_matches(item, i) && node.as_ref().is_none_or(|x| x == n) {
                entry.value = scaled(entry.value, i)?;
            }
        }
        for ((i, n), (v, _)) in self.props.iter_mut() {
            if item_matches(item, i) && node.as_ref().is_none_or(|x| x == n || n.is_empty()) {
                *v = scaled(*v, i)?;
            }
        }
        Ok(())
    }

    /// `Edit::Switch`: moves `share` of `from` at each matching node to `to`,
    /// converted by `ratio`.
    fn switch_edit(
        &mut self,
        here: &Location,
        from: &str,
        to: &str,
        node: &Option<String>,
        share: Decimal,
        ratio: &Quantity,
    ) -> crate::Result<()> {
        let keys: Vec<(String, String)> = self
            .amounts
            .keys()
            .filter(|(i, n)| i == from && node.as_ref().is_none_or(|x| x == n))
            .cloned()
            .collect();
        for key in keys {
            let Some(entry) = self.amounts.get_mut(&key) else {
                continue;
            };
            let old = entry.value;
            let Some(moved) = old.checked_mul(share) else {
                return Err(Error::Data(DataError::new(
                    here.clone(),
                    tr!(
                        "measure edit: switch {from} → {to}: {old} × {share} is out of range",
                        "措施修改：由 {from} 替代为 {to}：{old} × {share} 超出数值范围"
                    ),
                )));
            };
            if moved.is_zero() {
                continue;
            }
            let Some(left) = old.checked_sub(moved) else {
                return Err(Error::Data(DataError::new(
                    here.clone(),
                    tr!(
                        "measure edit: switch {from} → {to}: {old} − {moved} is out of range",
                        "措施修改：由 {from} 替代为 {to}：{old} − {moved} 超出数值范围"
                    ),
                )));
            };
            entry.value = left;
            let origin = entry.origin.clone();
            let added = self.switched_amount(from, to, &key.1, moved, ratio)?;
            let target = self
                .amounts
                .entry((to.to_string(), key.1.clone()))
                .or_insert_with(|| Entry {
                    value: Decimal::ZERO,
                    origin,
                    from: format!("switched from {from}"),
                    factor_ids: Vec::new(),
                });
            let before = target.value;
            let Some(sum) = before.checked_add(added) else {
                return Err(Error::Data(DataError::new(
                    here.clone(),
                    tr!(
                        "measure edit: switch {from} → {to}: {before} + {added} is out of range",
                        "措施修改：由 {from} 替代为 {to}：{before} + {added} 超出数值范围"
                    ),
                )));
            };
            target.value = sum;
        }
        Ok(())
    }

    /// `Edit::Add`: adds an amount per unit of output at a node.
    fn add_edit(
        &mut self,
        here: &Location,
        item: &str,
        node: &str,
        per_output: &Quantity,
        output: Decimal,
    ) -> crate::Result<()> {
        let unit = self.canonical_unit(item);
        let per = unit.div(&self.sector.output_unit)?;
        let value = per_output.value_in(&per).map_err(|e| {
            Error::Data(DataError::new(
                self.here(),
                Text::new(
                    format!("added {item}: {e}"),
                    format!("新增 {item}：{}", e.text(Lang::Zh)),
                ),
            ))
        })?;
        let value = self.mul(format_args!("measure edit: added {item}"), value, output)?;
        if value.is_zero() {
            return Ok(());
        }
        let entry = self
            .amounts
            .entry((item.to_string(), node.to_string()))
            .or_insert_with(|| Entry {
                value: Decimal::ZERO,
                origin: InputOrigin::Default,
                from: "measure".into(),
                factor_ids: Vec::new(),
            });
        let old = entry.value;
        let Some(sum) = old.checked_add(value) else {
            return Err(Error::Data(DataError::new(
                here.clone(),
                tr!(
                    "measure edit: added {item}: {old} + {value} is out of range",
                    "措施修改：新增 {item}：{old} + {value} 超出数值范围"
                ),
            )));
        };
        entry.value = sum;
        Ok(())
    }

    /// `Edit::Control`: composes a control efficiency on the residual at the
    /// node (or the facility and every node), noting any reagent it uses.
    fn control_edit(
        &mut self,
        here: &Location,
        substance: Substance,
        node: &Option<String>,
        efficiency: Decimal,
        sorbent: &Option<Sorbent>,
    ) -> crate::Result<()> {
        if let Some(s) = sorbent {
            self.add_sorbent_use(substance, node, efficiency, s);
        }
        let item = format!("control.{}.efficiency", substance.code());
        let key = (item.clone(), node.clone().unwrap_or_default());
        let old = self
            .prop(&item, &key.1)
            .map(|(v, _)| v)
            .unwrap_or(Decimal::ZERO);
        // 1 − (1 − old)(1 − η): combined efficiencies, checked.
        let combine = |old: Decimal| {
            (Decimal::ONE - old)
                .checked_mul(Decimal::ONE - efficiency)
                .and_then(|r| Decimal::ONE.checked_sub(r))
                .ok_or_else(|| {
                    Error::Data(DataError::new(
                        here.clone(),
                        tr!(
                            "measure edit: control efficiency {efficiency} of {item} is out of range",
                            "措施修改：{item} 的治理效率 {efficiency} 超出数值范围"
                        ),
                    ))
                })
        };
        let new = combine(old)?;
        self.props.insert(key, (new, "measure".into()));
        if node.is_none() {
            for ((i, n), (v, _)) in self.props.iter_mut() {
                if *i == item && !n.is_empty() {
                    *v = combine(*v)?;
                }
            }
        }
        Ok(())
    }

    /// The amount of `to` that replaces `moved` of `from`. A ratio per unit of
    /// energy goes through the NCV of `from`; a ratio giving energy for a fuel
    /// goes through the NCV of `to`.
    pub(super) fn switched_amount(
        &self,
        from: &str,
        to: &str,
        node: &str,
        moved: Decimal,
        ratio: &Quantity,
    ) -> crate::Result<Decimal> {
        let gj = Unit::parse("GJ")?;
        let fuel_of = |item: &str| {
            item.strip_prefix("fuel.")
                .filter(|f| !f.contains('.'))
                .and_then(|f| self.sectors.fuel(f))
                .cloned()
        };
        let ncv = |f: &crate::graph::FuelDef| -> crate::Result<Quantity> {
            let per = if f.state == FuelState::Gas {
                "GJ/10^4 Nm3"
            } else {
                "GJ/t"
            };
            let (v, _, _) = self.fuel_prop(&f.id, "ncv", node, per)?;
            Ok(Quantity::new(v, Unit::parse(per)?))
        };
        let from_q = Quantity::new(moved, self.canonical_unit(from));
        // Split the ratio's unit into numerator and denominator.
        let symbol = ratio.unit.symbol();
        let (num, den) = match symbol.rsplit_once('/') {
            Some((n, d)) => (Unit::parse(n)?, Unit::parse(d)?),
            None => (ratio.unit.clone(), Unit::one()),
        };
        let mut out = if den.compatible(&gj) {
            // Energy basis: the amount moved, as energy, times the ratio.
            let energy = if from_q.unit.compatible(&gj) {
                from_q
            } else {
                let f = fuel_of(from).ok_or_else(|| {
                    Error::Data(DataError::new(
                        self.here(),
                        tr!(
                            "switch from '{from}' on an energy basis needs a fuel",
                            "按能量基准由“{from}”替代时，“{from}”须为燃料"
                        ),
                    ))
                })?;
                from_q.mul(&ncv(&f)?)?
            };
            let e = energy.value_in(&den)?;
            Quantity::new(
                self.mul(format_args!("switch {from} → {to}"), e, ratio.value)?,
                num,
            )
        } else {
            from_q.mul(ratio)?
        };
        let to_unit = self.canonical_unit(to);
        if out.unit.compatible(&gj) && !to_unit.compatible(&gj) {
            if let Some(f) = fuel_of(to) {
                out = out.div(&ncv(&f)?)?;
            }
        }
        out.value_in(&to_unit).map_err(|e| {
            Error::Data(DataError::new(
                self.here(),
                Text::new(
                    format!("switch {from} → {to}: {e}"),
                    format!("由 {from} 替代为 {to}：{}", e.text(Lang::Zh)),
                ),
            ))
        })
    }
}
