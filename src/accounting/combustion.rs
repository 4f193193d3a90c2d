//! Fuel combustion: CO2 = FC × NCV × CC × OF × 44/12 by fuel and node, with
//! measured properties raising the tier; SO2 by sulfur balance; combustion
//! pollutants by factor with controls; biogenic CO2 as a memo.

use super::*;

impl<'a> Work<'a> {
    pub(super) fn run_sources(&mut self, settings: &Settings) -> crate::Result<()> {
        self.combustion(settings)?;
        self.electricity_and_heat(settings)?;
        let sector = self.sector;
        for src in &sector.sources {
            match src.method {
                Method::Anode => self.anode(settings, src)?,
                Method::Pfc => self.pfc(settings, src)?,
                Method::Carbonate => self.carbonate(settings, src)?,
                Method::WastewaterCh4 => self.wastewater(settings, src)?,
                Method::FertiliserN2o => self.fertiliser(settings, src)?,
                Method::Factor => self.factor_source(settings, src)?,
                Method::Discharge => self.discharge(settings, src)?,
                Method::Combustion | Method::Electricity | Method::Heat => {}
            }
        }
        Ok(())
    }

    /// Fuel property: measured (node, then facility) or the edition's tables.
    pub(super) fn fuel_prop(
        &self,
        fuel: &str,
        prop: &str,
        node: &str,
        unit: &str,
    ) -> crate::Result<(Decimal, Option<String>, Option<String>)> {
        let item = format!("fuel.{fuel}.{prop}");
        let target = Unit::parse(unit)?;
        if let Some((v, at)) = self.prop(&item, node) {
            let v = self.canonical_unit(&item).convert(v, &target)?;
            return Ok((v, None, Some(at)));
        }
        let edition = &self.sector.editions[self.ctx.edition];
        // Library ids abbreviate the properties as in the guideline tables.
        let short = match prop {
            "carbon_content" => "cc",
            "oxidation" => "of",
            other => other,
        };
        for table in &edition.fuel_tables {
            let id = format!("fuel.{table}.{fuel}.{short}");
            if let Some(f) = self.lib.find(&id) {
                let v = f.unit.convert(f.value, &target).map_err(|e| {
                    Error::Data(DataError::new(
                        self.here(),
                        factor_problem(&id, &Text::from(&e)),
                    ))
                })?;
                return Ok((v, Some(id), None));
            }
        }
        let (ed, tables) = (self.ctx.edition, edition.fuel_tables.join(", "));
        Err(Error::Data(DataError::new(
            self.here(),
            tr!(
                "no default {prop} for fuel '{fuel}' in the {ed} tables ({tables}): give '{item}'",
                "{ed} 版本的燃料表（{tables}）中没有燃料“{fuel}”的 {prop} 缺省值：请填写“{item}”"
            ),
        )))
    }

    pub(super) fn combustion(&mut self, settings: &Settings) -> crate::Result<()> {
        let fuel_entries: Vec<((String, String), Entry)> = self
            .amounts
            .iter()
            .filter(|((i, _), _)| default_group(i) == "fuel")
            .map(|(k, e)| (k.clone(), e.clone()))
            .collect();
        let mut warned_solid = false;
        for ((item, node), entry) in fuel_entries {
            let fuel_id = &item["fuel.".len()..];
            let fuel = self.sectors.fuel(fuel_id).cloned().ok_or_else(|| {
                Error::Data(DataError::new(
                    self.here(),
                    tr!("unknown fuel '{fuel_id}'", "未知燃料“{fuel_id}”"),
                ))
            })?;
            let src = self.recipe(Method::Combustion, &node)?;
            let burnt = self.fuel_co2(settings, src, &fuel, item, node, entry)?;
            if fuel.state == FuelState::Solid
                && !fuel.biogenic
                && !burnt.ncv_measured
                && !warned_solid
            {
                warned_solid = true;
                self.warn_default_solid_ncv(&fuel.id);
            }
            // SO2 by sulfur balance for solid and liquid fuels.
            if fuel.state != FuelState::Gas {
                self.fuel_so2(settings, src, &fuel, &burnt)?;
            }
            self.fuel_pollutants(settings, src, &fuel, &burnt)?;
        }
        Ok(())
    }

    /// The CO2 row of one fuel entry, CO2 = FC × NCV × CC × OF × 44/12 (the
    /// tier from what is measured), with the energy use counted.
    fn fuel_co2(
        &mut self,
        settings: &Settings,
        src: &Source,
        fuel: &crate::graph::FuelDef,
        item: String,
        node: String,
        entry: Entry,
    ) -> crate::Result<Burnt> {
        let fc = entry.value; // in the fuel's unit (t or 10^4 Nm3)
        let per = if fuel.state == FuelState::Gas {
            "GJ/10^4 Nm3"
        } else {
            "GJ/t"
        };
        let fc_unit = Unit::parse(&fuel.unit)?;
        let (ncv_raw, ncv_id, ncv_at) = self.fuel_prop(&fuel.id, "ncv", &node, per)?;
        // NCV per the fuel's own unit.
        let ncv = Unit::parse(per)?.convert(ncv_raw, &Unit::parse("GJ")?.div(&fc_unit)?)?;
        let (cc, cc_id, cc_at) = self.fuel_prop(&fuel.id, "carbon_content", &node, "tC/GJ")?;
        let (of, of_id, of_at) = self.fuel_prop(&fuel.id, "oxidation", &node, "fraction")?;
        let what = format!("combustion of {item} at '{node}'");
        let energy_gj = self.mul(format_args!("{what}, energy FC × NCV"), fc, ncv)?;
        let tce = self.div(&what, energy_gj, crate::units::GJ_PER_TCE)?;
        self.energy_tce = self.add(format_args!("{what}, energy use"), self.energy_tce, tce)?;
        let carbon = self.product(
            format_args!("{what}, CO2 = FC × NCV × CC × OF × 44/12"),
            &[energy_gj, cc, of],
        )?;
        let co2 = self.ratio(
            format_args!("{what}, CO2 = FC × NCV × CC × OF × 44/12"),
            carbon,
            CO2_PER_C,
        )?;
        let measured_fc = entry.origin == InputOrigin::Measured;
        let measured_params = ncv_at.is_some() && cc_at.is_some();
        let tier = match (measured_fc, measured_params) {
            (false, _) => 1,
            (true, false) => 2,
            (true, true) => 3,
        };
        let ncv_measured = ncv_at.is_some();
        let mut inputs = vec![InputUsed {
            item,
            value: fc,
            unit: fuel.unit.clone(),
            origin: entry.origin.clone(),
            from: entry.from.clone(),
        }];
        for (p, v, unit, at) in [
            ("ncv", ncv_raw, per, &ncv_at),
            ("carbon_content", cc, "tC/GJ", &cc_at),
            ("oxidation", of, "fraction", &of_at),
        ] {
            if let Some(at) = at {
                inputs.push(InputUsed {
                    item: format!("fuel.{}.{p}", fuel.id),
                    value: v,
                    unit: unit.into(),
                    origin: InputOrigin::Measured,
                    from: at.clone(),
                });
            }
        }
        let mut ids: Vec<String> = entry.factor_ids.clone();
        // (a fuel given in energy units already names the NCV it was converted by)
        for id in [ncv_id, cc_id, of_id].into_iter().flatten() {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let sub = if fuel.biogenic {
            Substance::Co2Bio
        } else {
            Substance::Co2
        };
        self.push(settings, src, &node, sub, co2, tier, ids, inputs.clone());
        Ok(Burnt {
            node,
            entry,
            fc_unit,
            what,
            tier,
            inputs,
            ncv_measured,
        })
    }

    /// Warns (once per facility-year) that a solid fuel's NCV is a default.
    fn warn_default_solid_ncv(&mut self, fuel_id: &str) {
        self.warnings.push(Warning::new(
            self.here(),
            tr!(
                "default NCV used for solid fuel '{fuel_id}': solid-fuel defaults differ by up to ±13 % between guideline tables; give the measured fuel.{fuel_id}.ncv",
                "固体燃料“{fuel_id}”采用缺省低位发热量：各指南表中固体燃料缺省值相差可达 ±13 %；请填写实测的 fuel.{fuel_id}.ncv"
            ),
        ));
    }

    /// The SO2 row of a solid or liquid fuel by sulfur balance,
    /// SO2 = 2 × FC × S × (1 − retention), after any control; none where the
    /// sulfur is neither given nor defaulted above zero.
    fn fuel_so2(
        &mut self,
        settings: &Settings,
        src: &Source,
        fuel: &crate::graph::FuelDef,
        burnt: &Burnt,
    ) -> crate::Result<()> {
        let (node, fc, what) = (&burnt.node, burnt.entry.value, &burnt.what);
        let (s, s_ids, s_inputs) = match self.prop(&format!("fuel.{}.sulfur", fuel.id), node) {
            Some((v, at)) => (
                v,
                vec![],
                vec![InputUsed {
                    item: format!("fuel.{}.sulfur", fuel.id),
                    value: v,
                    unit: "fraction".into(),
                    origin: InputOrigin::Measured,
                    from: at,
                }],
            ),
            None => {
                let id = format!("fuel.sulfur_default.{}", fuel.id);
                match self.lib.find(&id) {
                    Some(f) => (f.unit.convert(f.value, &Unit::one())?, vec![id], vec![]),
                    None => (Decimal::ZERO, vec![], vec![]),
                }
            }
        };
        if s.is_zero() && s_inputs.is_empty() {
            return Ok(());
        }
        let key = if fuel.state == FuelState::Solid {
            "so2_retention_solid"
        } else {
            "so2_retention_liquid"
        };
        let (retention, ret_id) = match src.param(key, self.ctx.edition) {
            Some(t) => {
                let (v, id) = self.factor_in(t, "fraction")?;
                (v, Some(id))
            }
            None => (Decimal::ZERO, None),
        };
        let mass_t = Unit::parse(&fuel.unit)?.convert(fc, &Unit::parse("t")?)?;
        let mut inp = vec![burnt.inputs[0].clone()];
        inp.extend(s_inputs);
        let so2 = self.product(
            format_args!("{what}, SO2 = 2 × FC × S × (1 − retention)"),
            &[SO2_PER_S, mass_t, s, Decimal::ONE - retention],
        )?;
        let mut ids = burnt.entry.factor_ids.clone();
        let so2 = self.controlled(so2, Substance::So2, node, &mut inp, &mut ids)?;
        ids.extend(s_ids);
        ids.extend(ret_id);
        self.push(
            settings,
            src,
            node,
            Substance::So2,
            so2,
            burnt.tier.min(2),
            ids,
            inp,
        );
        Ok(())
    }

    /// The other pollutants of a fuel by factor (per t or per 10^4 Nm3 of
    /// fuel), after any control; SO2 here only for gases.
    fn fuel_pollutants(
        &mut self,
        settings: &Settings,
        src: &Source,
        fuel: &crate::graph::FuelDef,
        burnt: &Burnt,
    ) -> crate::Result<()> {
        let (node, fc) = (&burnt.node, burnt.entry.value);
        let table = src.pollutants_at(node, &fuel.id);
        for (sub, template) in table {
            if sub == Substance::So2 && fuel.state != FuelState::Gas {
                continue;
            }
            let (v, u, id) = self.factor(template)?;
            let ef = Quantity::new(v, u);
            let amount = Quantity::new(fc, burnt.fc_unit.clone())
                .mul(&ef)
                .and_then(|q| q.value_in(&Unit::parse("t")?))
                .map_err(|e| {
                    Error::Data(DataError::new(
                        self.here(),
                        factor_problem(&id, &Text::from(&e)),
                    ))
                })?;
            let mut inp = vec![burnt.inputs[0].clone()];
            let mut ids = burnt.entry.factor_ids.clone();
            ids.push(id);
            let amount = self.controlled(amount, sub, node, &mut inp, &mut ids)?;
            self.push(
                settings,
                src,
                node,
                sub,
                amount,
                burnt.tier.min(2),
                ids,
                inp,
            );
        }
        Ok(())
    }
}

/// One fuel entry after its CO2 row: what its SO2 and pollutant rows share.
struct Burnt {
    node: String,
    /// the fuel's amount (FC, in the fuel's unit), origin and factor ids
    entry: Entry,
    fc_unit: Unit,
    /// the operation named in an overflow error
    what: String,
    tier: u8,
    /// the fuel amount first, then its measured properties
    inputs: Vec<InputUsed>,
    ncv_measured: bool,
}
