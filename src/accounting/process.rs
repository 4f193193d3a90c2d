//! Process emissions: aluminium anode CO2 = P·NC·(1−S−A)·44/12 and anode
//! SO2, PFCs by default factors, slope (AEM) or IPCC Tier 1, and carbonate
//! decomposition Σ M·EF (aluminium limestone, ceramics raw materials).

use super::*;

impl<'a> Work<'a> {
    pub(super) fn anode(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let p = self.node_activity(&src.node);
        let ed = self.ctx.edition;
        let source = &src.id;
        let param = |name: &str| {
            src.param(name, ed).ok_or_else(|| {
                Error::Data(DataError::new(
                    src.location.clone(),
                    tr!(
                        "source '{source}' needs parameter '{name}'",
                        "排放源“{source}”缺少参数“{name}”"
                    ),
                ))
            })
        };
        let mut inputs = Vec::new();
        let mut ids = Vec::new();
        let (nc_total, measured, given) = match self.total_of("anode.net_consumption")? {
            Some((v, used)) => {
                let m = used.origin == InputOrigin::Measured;
                inputs.push(used);
                (v, m, true)
            }
            None => {
                let (nc, id) = self.factor_in(param("nc")?, "t/t")?;
                ids.push(id);
                inputs.push(InputUsed {
                    item: format!("{} output", src.node),
                    value: p,
                    unit: self.sector.output_unit.symbol().into(),
                    origin: InputOrigin::Default,
                    from: "flow solve".into(),
                });
                (
                    self.mul("anode net consumption = output × NC", p, nc)?,
                    false,
                    false,
                )
            }
        };
        let mut fraction =
            |item: &str, key: &str, ids: &mut Vec<String>| -> crate::Result<Decimal> {
                match self.prop(item, &src.node) {
                    Some((v, at)) => {
                        inputs.push(InputUsed {
                            item: item.into(),
                            value: v,
                            unit: "fraction".into(),
                            origin: InputOrigin::Measured,
                            from: at,
                        });
                        Ok(v)
                    }
                    None => {
                        let (v, id) = self.factor_in(param(key)?, "fraction")?;
                        ids.push(id);
                        Ok(v)
                    }
                }
            };
        let s = fraction("anode.sulfur", "sulfur", &mut ids)?;
        let a = fraction("anode.ash", "ash", &mut ids)?;
        let tier = if measured { 2 } else { 1 };
        let subs = if src.substances.is_empty() {
            vec![Substance::Co2, Substance::So2]
        } else {
            src.substances.clone()
        };
        for sub in subs {
            match sub {
                // An edition with a Tier 1 CO2 factor per tonne of metal (IPCC
                // 2006 Table 4.10) uses it when no consumption is given: it
                // also covers the baking furnace, which the formula leaves out.
                Substance::Co2 if !given && src.param("t1_co2", ed).is_some() => {
                    let (ef, id) = self.factor_in(param("t1_co2")?, "t/t")?;
                    let co2 = self.mul("anode CO2 (Tier 1) = output × EF", p, ef)?;
                    let used = InputUsed {
                        item: format!("{} output", src.node),
                        value: p,
                        unit: self.sector.output_unit.symbol().into(),
                        origin: InputOrigin::Default,
                        from: "flow solve".into(),
                    };
                    self.push(settings, src, &src.node, sub, co2, 1, vec![id], vec![used]);
                }
                Substance::Co2 => {
                    let what = "anode CO2 = NC × (1 − S − A) × 44/12";
                    let carbon = self.mul(what, nc_total, Decimal::ONE - s - a)?;
                    let co2 = self.ratio(what, carbon, CO2_PER_C)?;
                    self.push(
                        settings,
                        src,
                        &src.node,
                        sub,
                        co2,
                        tier,
                        ids.clone(),
                        inputs.clone(),
                    );
                }
                Substance::So2 => {
                    let mut inp = inputs.clone();
                    let so2 = self.product("anode SO2 = 2 × NC × S", &[SO2_PER_S, nc_total, s])?;
                    let mut so2_ids = ids.clone();
                    let so2 = self.controlled(so2, sub, &src.node, &mut inp, &mut so2_ids)?;
                    self.push(settings, src, &src.node, sub, so2, tier, so2_ids, inp);
                }
                other => {
                    return Err(Error::Data(DataError::new(
                        src.location.clone(),
                        tr!(
                            "the anode method gives CO2 and SO2, not {other}",
                            "阳极法只计算 CO2 和 SO2，不计算 {other}"
                        ),
                    )))
                }
            }
        }
        Ok(())
    }

    pub(super) fn pfc(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let p = self.node_activity(&src.node);
        let ed = self.ctx.edition;
        let source = &src.id;
        let param = |name: &str| {
            src.param(name, ed).ok_or_else(|| {
                Error::Data(DataError::new(
                    src.location.clone(),
                    tr!(
                        "source '{source}' needs parameter '{name}'",
                        "排放源“{source}”缺少参数“{name}”"
                    ),
                ))
            })
        };
        let mut inputs = vec![InputUsed {
            item: format!("{} output", src.node),
            value: p,
            unit: self.sector.output_unit.symbol().into(),
            origin: InputOrigin::Default,
            from: "flow solve".into(),
        }];
        let (cf4, c2f6, ids, tier) = match self.prop("pfc.aem", &src.node) {
            Some((aem, at)) => {
                inputs.push(InputUsed {
                    item: "pfc.aem".into(),
                    value: aem,
                    unit: "AEM".into(),
                    origin: InputOrigin::Measured,
                    from: at,
                });
                let (slope, sid) = self.factor_in(param("cf4_slope")?, "t/t/AEM")?;
                let (r, rid) = self.factor_in(param("c2f6_ratio")?, "fraction")?;
                let cf4 = self.product("PFC CF4 = slope × AEM × output", &[slope, aem, p])?;
                let c2f6 = self.mul("PFC C2F6 = CF4 × ratio", cf4, r)?;
                (cf4, c2f6, vec![sid, rid], 2)
            }
            None => {
                let (f1, id1) = self.factor_in(param("cf4")?, "t/t")?;
                let (f2, id2) = self.factor_in(param("c2f6")?, "t/t")?;
                (
                    self.mul("PFC CF4 = factor × output", f1, p)?,
                    self.mul("PFC C2F6 = factor × output", f2, p)?,
                    vec![id1, id2],
                    1,
                )
            }
        };
        self.push(
            settings,
            src,
            &src.node,
            Substance::Cf4,
            cf4,
            tier,
            ids.clone(),
            inputs.clone(),
        );
        self.push(
            settings,
            src,
            &src.node,
            Substance::C2f6,
            c2f6,
            tier,
            ids,
            inputs,
        );
        Ok(())
    }

    pub(super) fn carbonate(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        for item in src.items.keys() {
            let Some(template) = src.item_factor(item, self.ctx.edition) else {
                continue;
            };
            let Some((mass, used)) = self.total_of(item)? else {
                continue;
            };
            let (ef, id) = self.factor_in(template, "t/t")?;
            let tier = if used.origin == InputOrigin::Measured {
                2
            } else {
                1
            };
            let mut ids: Vec<String> = self
                .entries(item)
                .into_iter()
                .flat_map(|(_, e)| e.factor_ids)
                .collect();
            ids.push(id);
            let co2 = self.mul(format_args!("carbonate CO2 of '{item}' = M × EF"), mass, ef)?;
            self.push(
                settings,
                src,
                &src.node,
                Substance::Co2,
                co2,
                tier,
                ids,
                vec![used],
            );
        }
        Ok(())
    }
}
