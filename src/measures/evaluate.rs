//! Evaluating measures against the inventories: the summed baseline and
//! changed totals ([`Totals2`]), the metrics computed from them
//! ([`Metrics`]) and the evaluation of one measure or a package at facility,
//! sector and province level ([`Evaluation`]).

use super::metrics::{relative, unit_cost, Elasticity, Quadrant};
use super::{out_of_range, Measure, MetricSettings};
use crate::accounting::{inventory_with_edits, Inventory};
use crate::error::Location;
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::study::{FacilityYear, Settings};
use crate::text::Text;
use crate::tr;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// `a + b`, `a − b`, `a × b` of the metrics, an overflow named by `what`.
fn checked(v: Option<Decimal>, what: impl FnOnce() -> Text) -> crate::Result<Decimal> {
    v.ok_or_else(|| out_of_range(Location::api(tr!("measure metrics", "措施指标")), what()))
}

/// Baseline and changed totals of a set of facility-years.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals2 {
    /// substance → (baseline, with measure) in t; plus CO2e, APeq, WPeq
    #[serde(serialize_with = "ser_pairs")]
    pub pairs: BTreeMap<String, (Decimal, Decimal)>,
    #[serde(with = "rust_decimal::serde::str")]
    pub cost: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub output: Decimal,
}

fn ser_pairs<S: serde::Serializer>(
    m: &BTreeMap<String, (Decimal, Decimal)>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, (a, b)) in m {
        map.serialize_entry(k, &[a.normalize().to_string(), b.normalize().to_string()])?;
    }
    map.end()
}

impl Totals2 {
    fn add(&mut self, base: &Inventory, with: &Inventory, cost: Decimal) -> crate::Result<()> {
        let (facility, year) = (&base.facility_id, base.year);
        let total = |k: &str| {
            tr!(
                "the totals up to facility '{facility}' year {year} of {k}",
                "累计至设施“{facility}”（{year} 年）的 {k} 合计"
            )
        };
        let mut put = |k: &str, a: Decimal, b: Decimal| -> crate::Result<()> {
            let e = self.pairs.entry(k.to_string()).or_default();
            e.0 = checked(e.0.checked_add(a), || total(k))?;
            e.1 = checked(e.1.checked_add(b), || total(k))?;
            Ok(())
        };
        let keys: std::collections::BTreeSet<&str> = base
            .totals
            .by_substance
            .keys()
            .chain(with.totals.by_substance.keys())
            .map(|k| &**k)
            .collect();
        for k in keys {
            if k == "CO2e" {
                continue;
            }
            put(
                k,
                base.totals.by_substance.get(k).copied().unwrap_or_default(),
                with.totals.by_substance.get(k).copied().unwrap_or_default(),
            )?;
        }
        put("CO2e", base.totals.co2e, with.totals.co2e)?;
        put("APeq", base.totals.apeq, with.totals.apeq)?;
        put("WPeq", base.totals.wpeq, with.totals.wpeq)?;
        put("energy_tce", base.totals.energy_tce, with.totals.energy_tce)?;
        self.cost = checked(self.cost.checked_add(cost), || {
            tr!(
                "the totals up to facility '{facility}' year {year} of cost",
                "累计至设施“{facility}”（{year} 年）的成本合计"
            )
        })?;
        self.output = checked(self.output.checked_add(base.output), || {
            tr!(
                "the totals up to facility '{facility}' year {year} of output",
                "累计至设施“{facility}”（{year} 年）的产量合计"
            )
        })?;
        Ok(())
    }
}

/// The metrics of one measure or package over a set of facility-years.
#[derive(Debug, Clone, Serialize)]
pub struct Metrics {
    /// ER_p = Q_p − Q'_p (t; equivalents for APeq/WPeq; tce for energy)
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub reduction: BTreeMap<String, Decimal>,
    /// r_p = ER_p / Q_p where Q_p ≠ 0
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub relative: BTreeMap<String, Decimal>,
    pub pollutant: String,
    pub quadrant: Quadrant,
    pub elasticity: Elasticity,
    /// EReq = ΔAPeq + λ·ΔCO2e
    #[serde(with = "rust_decimal::serde::str")]
    pub ereq: Decimal,
    /// annualised cost, CNY/a
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_cost: Decimal,
    /// CNY per t CO2e; None where the reduction is ≤ 0
    #[serde(with = "rust_decimal::serde::str_option")]
    pub cost_per_t_co2e: Option<Decimal>,
    /// CNY per air pollution equivalent
    #[serde(with = "rust_decimal::serde::str_option")]
    pub cost_per_apeq: Option<Decimal>,
    /// Σ V_p·ER_p, CNY/a
    #[serde(with = "rust_decimal::serde::str")]
    pub co_benefit_value: Decimal,
    /// (C − Σ V_p·ER_p) / ER_CO2e
    #[serde(with = "rust_decimal::serde::str_option")]
    pub mac_adjusted: Option<Decimal>,
    /// the tool's co-reduction degree (协同度) index, not an official formula
    #[serde(with = "rust_decimal::serde::str_option")]
    pub degree_index: Option<Decimal>,
}

/// The wording printed with the degree index wherever it appears.
pub const DEGREE_INDEX_NOTE: &str = "co-reduction degree (协同度) index of coreduce, not an official formula: the weighted mean of the relative reductions of CO2e, air pollution equivalents and water pollution equivalents (weights published with the results; components with a zero baseline are left out and the weights renormalised)";
/// [`DEGREE_INDEX_NOTE`] in Chinese, for the Chinese report.
pub const DEGREE_INDEX_NOTE_ZH: &str = "协同度指数为 coreduce 自定义指标，并非官方公式：CO2e、大气污染当量与水污染当量相对减排率的加权平均（权重随结果公布；基线为零的分量不计入，其余权重重新归一）";

impl Metrics {
    /// Computes the metrics from summed baseline/with totals.
    /// Every sum and product is checked: totals near the range of a
    /// `Decimal` give an error naming the metric, never a panic.
    pub fn from_totals(t: &Totals2, ms: &MetricSettings) -> crate::Result<Metrics> {
        let mut reduction = BTreeMap::new();
        let mut rel = BTreeMap::new();
        for (k, (a, b)) in &t.pairs {
            let er = checked(a.checked_sub(*b), || {
                tr!("the reduction of {k}", "{k} 的减排量")
            })?;
            reduction.insert(k.clone(), er);
            if let Some(r) = relative(er, *a) {
                rel.insert(k.clone(), r);
            }
        }
        let er = |k: &str| reduction.get(k).copied().unwrap_or_default();
        let er_co2e = er("CO2e");
        let er_poll = er(&ms.pollutant);
        let quadrant = Quadrant::of(er_co2e, er_poll);
        let elasticity = Elasticity::of(rel.get(&ms.pollutant).copied(), rel.get("CO2e").copied());
        let ereq = checked(
            ms.lambda
                .checked_mul(er_co2e)
                .and_then(|v| v.checked_add(er("APeq"))),
            || {
                tr!(
                    "EReq = ΔAPeq + λ·ΔCO2e",
                    "综合减排当量 EReq = ΔAPeq + λ·ΔCO2e"
                )
            },
        )?;
        // Co-benefit value: shadow prices where the user set them, else the
        // avoided environmental tax on the pollution equivalents.
        let priced = std::iter::once(("APeq", ms.value_air_eq))
            .chain(std::iter::once(("WPeq", ms.value_water_eq)))
            .chain(ms.shadow_prices.iter().map(|(k, p)| (k.as_str(), *p)));
        let mut value = Decimal::ZERO;
        for (sub, price) in priced {
            value = checked(
                er(sub)
                    .checked_mul(price)
                    .and_then(|v| v.checked_add(value)),
                || tr!("the co-benefit value of {sub}", "{sub} 的协同效益价值"),
            )?;
        }
        let weights = ms.index_weights;
        let comps = [
            (rel.get("CO2e"), weights[0]),
            (rel.get("APeq"), weights[1]),
            (rel.get("WPeq"), weights[2]),
        ];
        let wsum: Decimal = comps
            .iter()
            .filter(|(r, _)| r.is_some())
            .map(|(_, w)| *w)
            .sum();
        let mut weighted = Decimal::ZERO;
        for (r, w) in comps.iter().filter_map(|(r, w)| r.map(|r| (*r, *w))) {
            weighted = checked(
                r.checked_mul(w).and_then(|v| v.checked_add(weighted)),
                || tr!("the degree index", "协同度指数"),
            )?;
        }
        let degree_index = (!wsum.is_zero()).then(|| weighted / wsum);
        let net_cost = checked(t.cost.checked_sub(value), || {
            tr!("the cost net of co-benefits", "扣除协同效益后的净成本")
        })?;
        Ok(Metrics {
            pollutant: ms.pollutant.clone(),
            quadrant,
            elasticity,
            ereq,
            annual_cost: t.cost,
            cost_per_t_co2e: unit_cost(t.cost, er_co2e),
            cost_per_apeq: unit_cost(t.cost, er("APeq")),
            co_benefit_value: value,
            mac_adjusted: unit_cost(net_cost, er_co2e).filter(|_| er_co2e > Decimal::ZERO),
            degree_index,
            reduction,
            relative: rel,
        })
    }
}

/// One evaluated measure (or package) at facility, sector and province level.
#[derive(Debug, Clone, Serialize)]
pub struct Evaluation {
    pub measure: String,
    pub name_en: String,
    pub name_zh: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub penetration: Decimal,
    /// the facility-years (for a package: measure at facility-year) of the
    /// right sector and technology where the measure changes nothing (its
    /// edits touch nothing the facility has): not applicable there, no cost
    pub not_applicable: Vec<String>,
    /// place in `not_applicable` → why, where a need of the measure failed
    /// (a fuel, an existing control, a measured value); places without a
    /// reason here are those where the edits change nothing (JSON: the
    /// English)
    pub why_not_applicable: BTreeMap<String, Text>,
    /// "measure (facility year)" → a caveat on the result there (a saving
    /// that scales a default factor the facility has not measured; JSON:
    /// the English)
    pub notes: BTreeMap<String, Text>,
    /// facility id → metrics
    pub by_facility: BTreeMap<String, Metrics>,
    pub by_sector: BTreeMap<String, Metrics>,
    pub province: Metrics,
    #[serde(skip)]
    pub totals: Totals2,
}

/// True when an inventory with edits equals the baseline in every total.
/// Why measures whose edits change nothing at a facility do so, where
/// there is more to say than that: a green-power contract lowers only the
/// market-based scope 2, and the study counts the location-based one.
fn why_unchanged(measures: &[&Measure], settings: &Settings) -> Option<Text> {
    let contract = measures.iter().any(|m| {
        m.edits
            .iter()
            .any(|e| matches!(e, crate::study::Edit::GreenPower { .. }))
    });
    (contract && settings.scope2 == crate::study::Scope2Method::Location).then(|| {
        tr!(
            "not applicable: a green-power contract lowers the market-based scope 2 only, and the study counts the location-based one (set scope2 = market in the settings sheet to count it)",
            "不适用：绿电合同只降低基于市场法的范围二排放，而本研究按基于位置法计算（在 settings 工作表中设 scope2 = market 即可计入）"
        )
    })
}

pub(crate) fn unchanged(base: &Inventory, with: &Inventory) -> bool {
    let (a, b) = (&base.totals, &with.totals);
    a.by_substance == b.by_substance
        && a.outside_view == b.outside_view
        && a.co2e == b.co2e
        && a.energy_tce == b.energy_tce
}

/// The energy cost of the measures priced from the energy-price table at
/// one facility-year: each priced measure's step, from the inventory with
/// the measures before it to the one with it as well, so a package counts
/// every change once. One measure alone is `with` against `base`.
fn priced_energy(
    used: &[(&Measure, Vec<crate::study::Edit>)],
    base: &Inventory,
    with: &Inventory,
    run: (&Settings, &FactorLibrary, &SectorLibrary, &FacilityYear),
) -> crate::Result<Decimal> {
    let (settings, lib, sectors, fy) = run;
    if !used.iter().any(|(m, _)| m.energy_from_prices) {
        return Ok(Decimal::ZERO);
    }
    let mut total = Decimal::ZERO;
    let mut prev = base.clone();
    let mut edits = Vec::new();
    for (i, (m, own)) in used.iter().enumerate() {
        edits.extend(own.iter().cloned());
        let cur = if i + 1 == used.len() {
            with.clone()
        } else {
            inventory_with_edits(settings, lib, sectors, fy, &edits)?
        };
        if m.energy_from_prices {
            let c = super::prices::energy_cost(m, lib, sectors, &prev, &cur)?;
            let id = &m.id;
            total = checked(total.checked_add(c), || {
                tr!("the energy cost of '{id}'", "措施“{id}”的能源成本")
            })?;
        }
        prev = cur;
    }
    Ok(total)
}

/// Evaluates a set of measures (a single measure, or a package applied in
/// the order given) on the facility-years they apply to.
#[allow(clippy::too_many_arguments)]
pub fn evaluate(
    label: (&str, &str, &str),
    measures: &[&Measure],
    penetration: Option<Decimal>,
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &[FacilityYear],
    baselines: &[Inventory],
    ms: &MetricSettings,
) -> crate::Result<Evaluation> {
    let mut by_fac: BTreeMap<String, Totals2> = BTreeMap::new();
    let mut by_sector: BTreeMap<String, Totals2> = BTreeMap::new();
    let mut province = Totals2::default();
    let mut not_applicable = Vec::new();
    let mut why_not = BTreeMap::new();
    let mut notes = BTreeMap::new();
    for (fy, base) in fys.iter().zip(baselines) {
        let applicable: Vec<&&Measure> = measures
            .iter()
            .filter(|m| m.applies(&base.sector, &base.technology))
            .collect();
        if applicable.is_empty() {
            continue;
        }
        let here = format!("{} {}", base.facility_id, base.year);
        let mut used: Vec<(&Measure, Vec<crate::study::Edit>)> = Vec::new();
        let mut cost = Decimal::ZERO;
        for m in &applicable {
            let x = penetration
                .unwrap_or(m.max_penetration)
                .min(m.max_penetration);
            // A fuel it does not act on, a control already as good, a
            // default it cannot improve until measured: not applicable here.
            if let Some(why) = m.inapplicable(fy, base) {
                let place = if applicable.len() > 1 {
                    format!("{} ({here})", m.id)
                } else {
                    here.clone()
                };
                why_not.insert(place.clone(), why);
                not_applicable.push(place);
                continue;
            }
            if let Some(note) = m.unmeasured(fy) {
                notes.insert(format!("{} ({here})", m.id), note);
            }
            let own = m.edits_at(x);
            // In a package, a measure whose own edits change nothing here
            // (coal-to-gas at a gas-fired plant) does not apply here: no cost.
            if applicable.len() > 1 {
                let alone = inventory_with_edits(settings, lib, sectors, fy, &own)?;
                if unchanged(base, &alone) {
                    let place = format!("{} ({here})", m.id);
                    if let Some(why) = why_unchanged(&[m], settings) {
                        why_not.insert(place.clone(), why);
                    }
                    not_applicable.push(place);
                    continue;
                }
            }
            let c = m.annual_cost(base.output, x, ms.discount_rate)?;
            let id = &m.id;
            cost = checked(cost.checked_add(c), || {
                tr!("the cost of '{id}'", "措施“{id}”的成本")
            })?;
            used.push((m, own));
        }
        if used.is_empty() {
            continue;
        }
        let edits: Vec<crate::study::Edit> = used.iter().flat_map(|(_, e)| e.clone()).collect();
        let with = inventory_with_edits(settings, lib, sectors, fy, &edits)?;
        if applicable.len() == 1 && unchanged(base, &with) {
            let ms: Vec<&Measure> = used.iter().map(|(m, _)| *m).collect();
            if let Some(why) = why_unchanged(&ms, settings) {
                why_not.insert(here.clone(), why);
            }
            not_applicable.push(here);
            continue;
        }
        let energy = priced_energy(&used, base, &with, (settings, lib, sectors, fy))?;
        cost = checked(cost.checked_add(energy), || {
            tr!("the energy cost at {here}", "{here} 的能源成本")
        })?;
        by_fac
            .entry(format!("{} {}", base.facility_id, base.year))
            .or_default()
            .add(base, &with, cost)?;
        by_sector
            .entry(base.sector.clone())
            .or_default()
            .add(base, &with, cost)?;
        province.add(base, &with, cost)?;
    }
    Ok(Evaluation {
        measure: label.0.to_string(),
        name_en: label.1.to_string(),
        name_zh: label.2.to_string(),
        penetration: penetration.unwrap_or(Decimal::ONE),
        not_applicable,
        why_not_applicable: why_not,
        notes,
        by_facility: by_fac
            .iter()
            .map(|(k, t)| Ok((k.clone(), Metrics::from_totals(t, ms)?)))
            .collect::<crate::Result<_>>()?,
        by_sector: by_sector
            .iter()
            .map(|(k, t)| Ok((k.clone(), Metrics::from_totals(t, ms)?)))
            .collect::<crate::Result<_>>()?,
        province: Metrics::from_totals(&province, ms)?,
        totals: province,
    })
}
