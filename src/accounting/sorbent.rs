//! Reagents consumed in proportion to what a control removes: limestone in
//! wet FGD binds the SO2 removed (CaCO3 = SO2 removed × 100/64 × Ca/S) and
//! releases its CO2 as a carbonate would. The CO2 follows the SO2 removed, so
//! a facility burning low-sulfur gas gets almost none, and a partial
//! deployment (η·x) gets its share.

use super::*;

/// A control with a reagent, as applied to one facility-year.
pub(super) struct SorbentUse {
    pub substance: Substance,
    /// The node the control covers; None covers every node.
    pub node: Option<String>,
    pub efficiency: Decimal,
    /// The residual (1 − η) of the controls already in place when this one
    /// was added, by node ("" for nodes without a control of their own): the
    /// control removes η of what those let through.
    pub residual_before: BTreeMap<String, Decimal>,
    pub sorbent: Sorbent,
    /// Tonnes of the substance removed by this control, by node.
    pub removed: BTreeMap<String, Decimal>,
}

impl Work<'_> {
    /// Records a control with a reagent at the moment the measure adds it.
    pub(super) fn add_sorbent_use(
        &mut self,
        substance: Substance,
        node: &Option<String>,
        efficiency: Decimal,
        sorbent: &Sorbent,
    ) {
        let item = format!("control.{}.efficiency", substance.code());
        let residual = |v: Option<Decimal>| Decimal::ONE - v.unwrap_or(Decimal::ZERO);
        let mut residual_before = BTreeMap::new();
        match node {
            Some(n) => {
                residual_before.insert(n.clone(), residual(self.prop(&item, n).map(|p| p.0)));
            }
            None => {
                for ((i, n), (v, _)) in &self.props {
                    if *i == item {
                        residual_before.insert(n.clone(), residual(Some(*v)));
                    }
                }
                residual_before.entry(String::new()).or_insert(Decimal::ONE);
            }
        }
        self.sorbents.borrow_mut().push(SorbentUse {
            substance,
            node: node.clone(),
            efficiency,
            residual_before,
            sorbent: sorbent.clone(),
            removed: BTreeMap::new(),
        });
    }

    /// Notes what each reagent-consuming control removes from `generated`
    /// (the amount before any control) of `sub` at `node`.
    pub(super) fn note_removal(
        &self,
        sub: Substance,
        node: &str,
        generated: Decimal,
    ) -> crate::Result<()> {
        let mut uses = self.sorbents.borrow_mut();
        for u in uses.iter_mut() {
            if u.substance != sub || u.node.as_deref().is_some_and(|n| n != node) {
                continue;
            }
            let residual = u
                .residual_before
                .get(node)
                .or_else(|| u.residual_before.get(""))
                .copied()
                .unwrap_or(Decimal::ONE);
            let removed = self.product(
                format_args!("{} removed = generated × (1 − η before) × η", sub.code()),
                &[generated, residual, u.efficiency],
            )?;
            let total = u.removed.entry(node.to_string()).or_default();
            *total = self.add("SO2 removed", *total, removed)?;
        }
        Ok(())
    }

    /// One CO2 row per reagent and node: reagent = removed × stoichiometric
    /// ratio × feed ratio, CO2 = reagent × the carbonate factor of the
    /// sector's carbonate source for the item.
    pub(super) fn sorbent_rows(&mut self, settings: &Settings) -> crate::Result<()> {
        let uses = std::mem::take(&mut *self.sorbents.borrow_mut());
        let sector = self.sector;
        for u in uses {
            let item = &u.sorbent.item;
            let edition = self.ctx.edition;
            let Some((src, template)) = sector.sources.iter().find_map(|s| {
                (s.method == Method::Carbonate)
                    .then(|| s.item_factor(item, edition).map(|t| (s, t)))
                    .flatten()
            }) else {
                let sector_id = &sector.id;
                return Err(Error::Data(DataError::new(
                    self.here(),
                    tr!(
                        "a control uses the reagent '{item}', but sector {sector_id} has no carbonate source for it",
                        "治理设施使用了脱硫剂“{item}”，但行业 {sector_id} 没有对应的碳酸盐排放源"
                    ),
                )));
            };
            let (stoich, stoich_id) = self.factor_in(&u.sorbent.factor, "t/t")?;
            let (ef, ef_id) = self.factor_in(template, "t/t")?;
            for (node, removed) in u.removed {
                if removed.is_zero() {
                    continue;
                }
                let mass = self.product(
                    format_args!(
                        "{item} = {} removed × stoichiometric ratio × feed ratio",
                        u.substance.code()
                    ),
                    &[removed, stoich, u.sorbent.ratio],
                )?;
                let co2 = self.mul(format_args!("carbonate CO2 of '{item}' = M × EF"), mass, ef)?;
                let inputs = vec![
                    InputUsed {
                        item: format!("{} removed", u.substance.code()),
                        value: removed,
                        unit: "t".into(),
                        origin: InputOrigin::Default,
                        from: format!("control at {node}, η {}", u.efficiency),
                    },
                    InputUsed {
                        item: item.clone(),
                        value: mass,
                        unit: "t".into(),
                        origin: InputOrigin::Default,
                        from: format!(
                            "{} removed × {stoich} × feed ratio {}",
                            u.substance.code(),
                            u.sorbent.ratio
                        ),
                    },
                ];
                self.push(
                    settings,
                    src,
                    &node,
                    Substance::Co2,
                    co2,
                    1,
                    vec![stoich_id.clone(), ef_id.clone()],
                    inputs,
                );
            }
        }
        Ok(())
    }
}
