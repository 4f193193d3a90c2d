//! Wastewater CH4 = (TOW − S)·B0·MCF − R (baijiu), with recovered biogas
//! burnt as a biogenic memo.

use super::*;

impl<'a> Work<'a> {
    pub(super) fn wastewater(&mut self, settings: &Settings, src: &Source) -> crate::Result<()> {
        let Some((removed, used)) = self.total_of("wastewater.cod_removed")? else {
            return Ok(());
        };
        let ed = self.ctx.edition;
        let b0_t = src.param("b0", ed).unwrap_or("ww.b0");
        let (b0, b0_id) = self.factor_in(b0_t, "t/t")?;
        let mut inputs = vec![used.clone()];
        let mut ids: Vec<String> = self
            .entries("wastewater.cod_removed")
            .into_iter()
            .flat_map(|(_, e)| e.factor_ids)
            .collect();
        ids.push(b0_id);
        let mcf = match self.prop("wastewater.mcf", &src.node) {
            Some((v, at)) => {
                inputs.push(InputUsed {
                    item: "wastewater.mcf".into(),
                    value: v,
                    unit: "fraction".into(),
                    origin: InputOrigin::Measured,
                    from: at,
                });
                v
            }
            None => {
                let (v, id) = self.factor_in(
                    src.param("mcf", ed).unwrap_or("ww.mcf.anaerobic_reactor"),
                    "fraction",
                )?;
                ids.push(id);
                v
            }
        };
        let sludge = match self.total_of("wastewater.cod_sludge")? {
            Some((v, u)) => {
                inputs.push(u);
                v
            }
            None => Decimal::ZERO,
        };
        let recovered = match self.total_of("biogas.ch4_recovered")? {
            Some((v, u)) => {
                ids.extend(
                    self.entries("biogas.ch4_recovered")
                        .into_iter()
                        .flat_map(|(_, e)| e.factor_ids),
                );
                inputs.push(u);
                v
            }
            None => Decimal::ZERO,
        };
        let what = "wastewater CH4 = (COD removed − sludge) × B0 × MCF − recovered";
        let net_cod = self.sub(what, removed, sludge)?.max(Decimal::ZERO);
        let generated = self.product(what, &[net_cod, b0, mcf])?;
        let mut ch4 = self.sub(what, generated, recovered)?;
        if ch4 < Decimal::ZERO {
            self.warnings.push(Warning::new(
                self.here(),
                tr!(
                    "recovered CH4 ({recovered} t) exceeds the CH4 generated ({generated} t): emission set to 0; check biogas.ch4_recovered",
                    "回收的 CH4（{recovered} t）超过产生的 CH4（{generated} t）：排放量按 0 计；请核对 biogas.ch4_recovered"
                ),
            ));
            ch4 = Decimal::ZERO;
        }
        let tier = if used.origin == InputOrigin::Measured {
            2
        } else {
            1
        };
        ids.sort();
        ids.dedup();
        self.push(
            settings,
            src,
            &src.node,
            Substance::Ch4,
            ch4,
            tier,
            ids.clone(),
            inputs.clone(),
        );
        // Recovered CH4 burnt gives biogenic CO2, counted once: here unless the
        // biogas is also reported as a fuel.
        let biogas_as_fuel = self.amounts.keys().any(|(i, _)| i == "fuel.biogas");
        if recovered > Decimal::ZERO && !biogas_as_fuel {
            let co2 = self.ratio(
                "burnt biogas CO2 = CH4 × 44/16",
                recovered.min(generated),
                CO2_PER_CH4,
            )?;
            self.push(
                settings,
                src,
                &src.node,
                Substance::Co2Bio,
                co2,
                tier,
                ids,
                inputs,
            );
        }
        Ok(())
    }
}
