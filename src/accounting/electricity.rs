//! Purchased and exported electricity and heat (scope 2): net amounts × the
//! grid factor (a factor id, a series resolved per year, or a number) or the
//! heat factor. Electricity is reported both ways of the GHG Protocol Scope 2
//! Guidance: location-based (the grid average) and market-based (the share
//! covered by green-power contracts, `electricity.green` and the measures'
//! green-power share, at 0; the rest at the residual factor); the setting
//! `scope2` chooses which one the row and the view's total carry.

use super::*;

impl<'a> Work<'a> {
    /// The grid factor for the facility's year, in tCO2/MWh, with its id;
    /// `warn` says when the nearest year of a series stands in (only for the
    /// figure the view uses: the other is a memo).
    pub(super) fn grid(
        &mut self,
        grid: &GridFactor,
        warn: bool,
    ) -> crate::Result<(Decimal, String)> {
        match grid {
            GridFactor::Value(q) => {
                let bad = |m: Text| {
                    Error::Data(DataError::new(
                        self.here(),
                        Text::new(
                            format!("settings grid_factor {q}: {}", m.en),
                            format!("settings 工作表 grid_factor {q}：{}", m.get(Lang::Zh)),
                        ),
                    ))
                };
                let v = q
                    .value_in(&Unit::parse("tCO2/MWh")?)
                    .map_err(|e| bad(Text::from(&e)))?;
                if let Some(m) = crate::units::magnitude_problem(v, "tCO2/MWh") {
                    return Err(bad(m));
                }
                Ok((v, format!("{} (study setting)", q)))
            }
            GridFactor::Factor(id) => {
                if self.lib.contains(id) {
                    let (v, id) = self.factor_in(id, "tCO2/MWh")?;
                    return Ok((v, id));
                }
                let year_id = format!("{id}.{}", self.fy.year);
                if self.lib.contains(&year_id) {
                    let (v, id) = self.factor_in(&year_id, "tCO2/MWh")?;
                    return Ok((v, id));
                }
                // Nearest year of the series, earlier years first (sorted
                // below, so the ids need not come sorted).
                let prefix = format!("{id}.");
                let mut years: Vec<(i32, String)> = self
                    .lib
                    .ids_starting_with(&prefix)
                    .filter_map(|x| {
                        x.strip_prefix(&prefix)
                            .and_then(|y| y.parse::<i32>().ok())
                            .map(|y| (y, x.to_string()))
                    })
                    .collect();
                // the id last, so the choice never depends on the library's order
                years.sort_by(|(a, a_id), (b, b_id)| {
                    let key = |y: i32| ((y - self.fy.year).abs(), y > self.fy.year);
                    key(*a).cmp(&key(*b)).then_with(|| a_id.cmp(b_id))
                });
                let Some((y, chosen)) = years.first().cloned() else {
                    return Err(Error::Data(
                        DataError::new(
                            self.here(),
                            tr!(
                                "unknown grid factor '{id}' (neither a factor nor a series with years)",
                                "未知电网排放因子“{id}”（既不是因子，也不是按年份的因子序列）"
                            ),
                        )
                        .with_hint(did_you_mean(id, self.lib.ids())),
                    ));
                };
                if warn {
                    self.warnings.push(Warning::new(
                        self.here(),
                        tr!(
                            "no grid factor '{year_id}': the nearest year {y} ('{chosen}') is used",
                            "没有电网排放因子“{year_id}”：采用最近年份 {y} 的因子（“{chosen}”）"
                        ),
                    ));
                }
                let (v, id) = self.factor_in(&chosen, "tCO2/MWh")?;
                Ok((v, id))
            }
        }
    }

    pub(super) fn grid_text(&self, settings: &Settings) -> String {
        self.rows
            .iter()
            .find(|r| r.method == "electricity")
            .and_then(|r| r.factor_ids.last().cloned())
            .unwrap_or_else(|| match &settings.grid {
                GridFactor::Factor(id) => id.clone(),
                GridFactor::Value(q) => q.to_string(),
            })
    }

    pub(super) fn electricity_and_heat(&mut self, settings: &Settings) -> crate::Result<()> {
        let nodes: BTreeSet<String> = self
            .amounts
            .keys()
            .filter(|(i, _)| i.starts_with("electricity.") || i.starts_with("heat."))
            .map(|(_, n)| n.clone())
            .collect();
        let coverage = self.contract_coverage()?;
        for node in nodes {
            for (kind, method) in [("electricity", Method::Electricity), ("heat", Method::Heat)] {
                let get = |w: &Self, which: &str| {
                    w.amounts
                        .get(&(format!("{kind}.{which}"), node.clone()))
                        .cloned()
                };
                let (bought, sold) = (get(self, "purchased"), get(self, "exported"));
                if bought.is_none() && sold.is_none() {
                    continue;
                }
                let src = self.recipe(method, &node)?;
                let what = format!("{kind} at '{node}'");
                let net = self.sub(
                    format_args!("{what}, net = purchased − exported"),
                    bought.as_ref().map(|e| e.value).unwrap_or_default(),
                    sold.as_ref().map(|e| e.value).unwrap_or_default(),
                )?;
                let (ef, id) = if method == Method::Electricity {
                    self.grid(&settings.grid, settings.scope2 == Scope2Method::Location)?
                } else {
                    self.factor_in(&settings.heat_factor, "tCO2/GJ")?
                };
                let unit = if method == Method::Electricity {
                    "MWh"
                } else {
                    "GJ"
                };
                let mut inputs = Vec::new();
                let mut ids = Vec::new();
                let mut measured = false;
                for (which, e) in [("purchased", &bought), ("exported", &sold)] {
                    if let Some(e) = e {
                        measured |= e.origin == InputOrigin::Measured;
                        ids.extend(e.factor_ids.clone());
                        inputs.push(InputUsed {
                            item: format!("{kind}.{which}"),
                            value: e.value,
                            unit: unit.into(),
                            origin: e.origin.clone(),
                            from: e.from.clone(),
                        });
                    }
                }
                ids.push(id);
                if method == Method::Electricity {
                    // Energy use at the calorific equivalent of electricity.
                    let (eq, _) = self.factor_in("const.tce.electricity_equivalent", "tce/MWh")?;
                    let tce = self.mul(format_args!("{what}, energy use"), net, eq)?;
                    self.energy_tce =
                        self.add(format_args!("{what}, energy use"), self.energy_tce, tce)?;
                } else {
                    let tce = self.div(
                        format_args!("{what}, energy use"),
                        net,
                        crate::units::GJ_PER_TCE,
                    )?;
                    self.energy_tce =
                        self.add(format_args!("{what}, energy use"), self.energy_tce, tce)?;
                }
                let tier = if measured { 2 } else { 1 };
                let location = self.mul(format_args!("{what}, CO2 = net × factor"), net, ef)?;
                let co2 = if method == Method::Electricity {
                    let market = self.market_based(settings, &node, net, &coverage, &mut inputs)?;
                    self.scope2_location =
                        self.add("scope 2, location-based", self.scope2_location, location)?;
                    self.scope2_market =
                        self.add("scope 2, market-based", self.scope2_market, market.0)?;
                    if settings.scope2 == Scope2Method::Market {
                        ids.pop();
                        ids.extend(market.1);
                        market.0
                    } else {
                        location
                    }
                } else {
                    self.scope2_location =
                        self.add("scope 2, location-based", self.scope2_location, location)?;
                    self.scope2_market =
                        self.add("scope 2, market-based", self.scope2_market, location)?;
                    location
                };
                self.push(settings, src, &node, Substance::Co2, co2, tier, ids, inputs);
            }
        }
        Ok(())
    }

    /// The share of the facility's net purchased electricity covered by
    /// green-power contracts or certificates (`electricity.green`, MWh,
    /// wherever given, at most the net), with the input it rests on.
    fn contract_coverage(&self) -> crate::Result<(Decimal, Option<InputUsed>)> {
        let total = |item: &str| -> crate::Result<Decimal> {
            self.amounts
                .iter()
                .filter(|((i, _), _)| i == item)
                .try_fold(Decimal::ZERO, |acc, (_, e)| self.add(item, acc, e.value))
        };
        let green = total("electricity.green")?;
        if green.is_zero() {
            return Ok((Decimal::ZERO, None));
        }
        let net = self.sub(
            "net purchased electricity",
            total("electricity.purchased")?,
            total("electricity.exported")?,
        )?;
        let share = if net <= Decimal::ZERO {
            Decimal::ZERO
        } else {
            self.div(
                "green-power coverage = contracted MWh / net MWh",
                green.min(net),
                net,
            )?
        };
        let used = InputUsed {
            item: "electricity.green".into(),
            value: green,
            unit: "MWh".into(),
            origin: InputOrigin::Measured,
            from: format!(
                "covers {} of the net purchase",
                share.round_dp(6).normalize()
            ),
        };
        Ok((share, Some(used)))
    }

    /// Market-based CO2 of `net` MWh at `node`: the contracts' share and the
    /// measures' green-power share of the rest at 0, the rest × the residual
    /// factor. Returns the CO2 and the factor ids it rests on.
    fn market_based(
        &mut self,
        settings: &Settings,
        node: &str,
        net: Decimal,
        coverage: &(Decimal, Option<InputUsed>),
        inputs: &mut Vec<InputUsed>,
    ) -> crate::Result<(Decimal, Vec<String>)> {
        let what = format!("electricity at '{node}', market-based");
        let uncovered = self.product(
            format_args!("{what}, uncovered = net × (1 − contracts) × (1 − green share)"),
            &[
                net.max(Decimal::ZERO),
                Decimal::ONE - coverage.0,
                Decimal::ONE - self.green_share,
            ],
        )?;
        if settings.scope2 == Scope2Method::Market {
            inputs.extend(coverage.1.clone());
            if !self.green_share.is_zero() {
                inputs.push(InputUsed {
                    item: "green_power_share".into(),
                    value: self.green_share,
                    unit: "fraction".into(),
                    origin: InputOrigin::Measured,
                    from: "measure".into(),
                });
            }
        }
        if uncovered.is_zero() {
            return Ok((Decimal::ZERO, Vec::new()));
        }
        let warn = settings.scope2 == Scope2Method::Market;
        let (residual, id) = self.grid(&settings.residual_grid, warn)?;
        let co2 = self.mul(
            format_args!("{what}, CO2 = uncovered × residual factor"),
            uncovered,
            residual,
        )?;
        Ok((co2, vec![id]))
    }

    pub(super) fn node_activity(&self, node: &str) -> Decimal {
        self.activity.get(node).copied().unwrap_or_default()
    }
}
