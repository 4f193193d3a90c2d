//! Pollutants by factor per unit of node activity, with end-of-pipe controls,
//! and water discharges (COD, NH3-N, TN, TP) from measured discharge amounts.

use super::*;

impl<'a> Work<'a> {
    pub(super) fn factor_source(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let node = self.sector.node(&src.node).ok_or_else(|| {
            let node = &src.node;
            Error::Data(DataError::new(
                src.location.clone(),
                tr!("unknown node '{node}'", "未知节点“{node}”"),
            ))
        })?;
        let basis = Quantity::new(self.node_activity(&src.node), node.unit.clone());
        let ed = self.ctx.edition;
        let Some(template) = src.param("factor", ed) else {
            let source = &src.id;
            return Err(Error::Data(DataError::new(
                src.location.clone(),
                tr!(
                    "source '{source}' needs parameter 'factor'",
                    "排放源“{source}”缺少参数“factor”"
                ),
            )));
        };
        let (v, u, id) = self.factor(template)?;
        let generated = basis
            .mul(&Quantity::new(v, u))?
            .value_in(&Unit::parse("t")?)
            .map_err(|e| {
                Error::Data(DataError::new(
                    src.location.clone(),
                    factor_problem(&id, &Text::from(&e)),
                ))
            })?;
        let mut ids = vec![id];
        let inputs_base = vec![InputUsed {
            item: format!("{} activity", src.node),
            value: basis.value,
            unit: node.unit.symbol().into(),
            origin: InputOrigin::Default,
            from: "flow solve".into(),
        }];
        for sub in &src.substances {
            let mut inputs = inputs_base.clone();
            // A user control efficiency is the source's overall efficiency: it
            // replaces the default capture × removal (so 1 removes it all).
            let mut ctl_ids = Vec::new();
            let factor = match self.control(*sub, &src.node) {
                Some((eta, used, default)) => {
                    inputs.push(used);
                    ctl_ids.extend(default);
                    self.note_removal(*sub, &src.node, generated)?;
                    Decimal::ONE - eta
                }
                None => match src.param("removal", ed) {
                    Some(t) => {
                        let (eta, id) = self.factor_in(t, "fraction")?;
                        ids.push(id);
                        let cap = match src.param("capture", ed) {
                            Some(t) => {
                                let (v, id) = self.factor_in(t, "fraction")?;
                                ids.push(id);
                                v
                            }
                            None => Decimal::ONE,
                        };
                        cap * (Decimal::ONE - eta) + (Decimal::ONE - cap)
                    }
                    None => Decimal::ONE,
                },
            };
            let amount = self.mul(
                format_args!(
                    "{} of source '{}' = generated × (1 − control)",
                    sub.code(),
                    src.id
                ),
                generated,
                factor,
            )?;
            self.push(
                settings,
                src,
                &src.node,
                *sub,
                amount,
                1,
                ids.iter().cloned().chain(ctl_ids).collect(),
                inputs,
            );
        }
        Ok(())
    }

    pub(super) fn discharge(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        for (item, sub) in [
            ("discharge.cod", Substance::Cod),
            ("discharge.nh3n", Substance::Nh3n),
            ("discharge.tn", Substance::Tn),
            ("discharge.tp", Substance::Tp),
        ] {
            for (node, e) in self.entries(item) {
                let used = InputUsed {
                    item: item.into(),
                    value: e.value,
                    unit: "t".into(),
                    origin: e.origin.clone(),
                    from: e.from.clone(),
                };
                let tier = if e.origin == InputOrigin::Measured {
                    3
                } else {
                    1
                };
                self.push(
                    settings,
                    src,
                    &node,
                    sub,
                    e.value,
                    tier,
                    e.factor_ids.clone(),
                    vec![used],
                );
            }
        }
        Ok(())
    }
}
