//! CO2e rows after every GHG row (the study's GWP set), and the totals of a
//! facility-year: the view's CO2e, scopes, energy (tce), pollution
//! equivalents, biogenic memo, intensities per unit of output.

use super::*;
use std::sync::Arc;

impl<'a> Work<'a> {
    pub(super) fn add_co2e_rows(&mut self, settings: &Settings) -> crate::Result<()> {
        let mut extra = Vec::new();
        for r in &self.rows {
            let Some(sub) = Substance::parse(&r.substance) else {
                continue;
            };
            if !sub.is_ghg() {
                continue;
            }
            let id = format!("gwp.{}.{}", settings.gwp.key(), sub.code().to_lowercase());
            let (gwp, id) = self.factor_in(&id, "t/t")?;
            let mut row = r.clone();
            row.substance = "CO2e".into();
            row.amount = self.mul(
                format_args!(
                    "CO2e of {} from source '{}' = amount × GWP",
                    r.substance, r.source
                ),
                r.amount,
                gwp,
            )?;
            row.factor_ids.push(id);
            extra.push(row);
        }
        // Keep each CO2e row right after its gas row.
        let mut out = Vec::with_capacity(self.rows.len() + extra.len());
        let mut extra = extra.into_iter().peekable();
        for r in std::mem::take(&mut self.rows) {
            let is_ghg = Substance::parse(&r.substance).is_some_and(|s| s.is_ghg());
            out.push(r);
            if is_ghg {
                if let Some(x) = extra.next() {
                    out.push(x);
                }
            }
        }
        self.rows = out;
        Ok(())
    }

    /// The pollution-equivalent category of a PM row (EP Tax Law annex 2):
    /// `soot` (烟尘) where the PM comes from burning fuel (a combustion
    /// source, or a stack measurement at a node that burns fuel), else
    /// `general_dust` (一般性粉尘). A facility-level measurement takes the
    /// category of the sector's PM sources where they share one.
    fn pm_category(&self, r: &Row) -> &'static str {
        let burns = |node: &str| {
            self.sector
                .sources
                .iter()
                .any(|s| s.node == node && s.method == Method::Combustion)
        };
        let soot = match r.method.as_str() {
            "combustion" => true,
            "measured" if r.node == "facility" => {
                let mut pm_sources = self.sector.sources.iter().filter(|s| {
                    s.method == Method::Combustion || s.substances.contains(&Substance::Pm)
                });
                pm_sources.clone().next().is_some()
                    && pm_sources.all(|s| s.method == Method::Combustion)
            }
            "measured" | "concentration" => burns(&r.node),
            _ => false,
        };
        if soot {
            "soot"
        } else {
            "general_dust"
        }
    }

    pub(super) fn totals(&mut self, output: Decimal) -> crate::Result<Totals> {
        let mut t = Totals::default();
        for r in &self.rows {
            // The view's totals hold the rows counted in the view; the rest
            // (memo items, purchased power under the compliance view) are
            // kept beside them, so no output can add the two by accident.
            let into = if r.in_view {
                &mut t.by_substance
            } else {
                &mut t.outside_view
            };
            let sum = into.entry(Arc::from(r.substance.as_str())).or_default();
            // Checked without formatting on the way: the name is built only
            // for the error.
            *sum = match sum.checked_add(r.amount) {
                Some(v) => v,
                None => {
                    return Err(self.out_of_range(
                        format_args!("total {}", r.substance),
                        format!("{sum} + {}", r.amount),
                    ))
                }
            };
            if r.substance == "CO2e" {
                if r.in_view {
                    t.co2e = self.add("total CO2e", t.co2e, r.amount)?;
                }
                match r.scope {
                    1 => t.co2e_scope1 = self.add("scope 1 CO2e", t.co2e_scope1, r.amount)?,
                    2 => t.co2e_scope2 = self.add("scope 2 CO2e", t.co2e_scope2, r.amount)?,
                    _ => {}
                }
            }
            if r.substance == Substance::Co2Bio.code() {
                t.co2_biogenic_memo = self.add("biogenic CO2", t.co2_biogenic_memo, r.amount)?;
            }
        }
        t.energy_tce = self.energy_tce;
        for ((item, _), e) in &self.amounts {
            if default_group(item) == "fuel"
                || item.starts_with("electricity.")
                || item.starts_with("heat.")
            {
                let sum = t.energy_use.entry(item.clone()).or_default();
                *sum = self.add("energy use by item", *sum, e.value)?;
            }
        }
        t.scope2_location_co2 = self.scope2_location;
        t.scope2_market_co2 = self.scope2_market;
        let air = [
            (Substance::So2, "pev.air.so2"),
            (Substance::Nox, "pev.air.nox"),
            (Substance::Co, "pev.air.co"),
            (Substance::Fluoride, "pev.air.fluoride"),
            (Substance::Nh3, "pev.air.nh3"),
            (Substance::PitchFume, "pev.air.pitch_fume"),
            (Substance::Bap, "pev.air.bap"),
            (Substance::Vocs, "pev.air.vocs"),
        ];
        let water = [
            (Substance::Cod, "pev.water.cod"),
            (Substance::Nh3n, "pev.water.nh3n"),
            (Substance::Tp, "pev.water.tp"),
        ];
        // PM is weighted by the category of its source, not as one substance:
        // combustion PM is 烟尘 (soot), process dust 一般性粉尘 (general dust).
        for r in self
            .rows
            .iter()
            .filter(|r| r.in_view && r.substance == "PM")
        {
            let sum = t
                .pm_by_category
                .entry(self.pm_category(r).into())
                .or_insert(Decimal::ZERO);
            *sum = self.add("PM by pollution-equivalent category", *sum, r.amount)?;
        }
        for (category, amount) in &t.pm_by_category {
            let (pev, _) = self.factor_in(&format!("pev.air.{category}"), "t/eq")?;
            // named only if it fails: formatting the name on every
            // facility-year cost more than the sum
            let eq = self.div(
                format_args!("pollution equivalents of PM as {category} = amount / PEV"),
                *amount,
                pev,
            )?;
            t.apeq = self.add(
                format_args!("pollution equivalents of PM as {category} = amount / PEV"),
                t.apeq,
                eq,
            )?;
        }
        for (list, acc) in [(&air[..], &mut t.apeq), (&water[..], &mut t.wpeq)] {
            for (sub, id) in list {
                if let Some(amount) = t.by_substance.get(sub.code()) {
                    let (pev, _) = self.factor_in(id, "t/eq")?;
                    let code = sub.code();
                    let eq = self.div(
                        format_args!("pollution equivalents of {code} = amount / PEV"),
                        *amount,
                        pev,
                    )?;
                    *acc = self.add(
                        format_args!("pollution equivalents of {code} = amount / PEV"),
                        *acc,
                        eq,
                    )?;
                }
            }
        }
        t.pollution_equivalent_weighting = super::types::POLLUTION_EQUIVALENT_WEIGHTING;
        t.co2e_per_output = if output.is_zero() {
            None
        } else {
            Some(self.div("CO2e per unit of output", t.co2e, output)?)
        };
        if !output.is_zero() {
            t.per_output = t
                .by_substance
                .iter()
                .map(|(k, v)| {
                    Ok((
                        Arc::clone(k),
                        self.div(format_args!("{k} per unit of output"), *v, output)?,
                    ))
                })
                .collect::<crate::Result<_>>()?;
        }
        Ok(t)
    }
}
