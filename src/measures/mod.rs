//! Co-reduction measures and the co-benefit metric suite.
//!
//! A measure is a set of [`Edit`]s of the sector graph and activity (fuel
//! switch, intensity change, control efficiency, green power, added inputs,
//! factor changes) with applicability, maximum penetration, costs, lifetime,
//! sources and confidence. At penetration x every edit is scaled toward "no
//! change" (a multiplier m becomes 1 − x(1 − m); a control η becomes x·η), so
//! 0 % changes nothing. Measures on the same source compose on the residual:
//! multipliers multiply and controls combine as 1 − Π(1 − η), so two 60 % cuts
//! give 84 %, never 120 %.
//!
//! Evaluation compares the inventory with and without a measure (or a
//! package) and reports the metrics of `metrics`, the annualised cost
//! C = I·CRF(r, n) + ΔO&M + Δenergy cost, unit costs, the co-benefit-adjusted
//! MAC and the tool's co-reduction degree index; MACCs put each measure's
//! potential on the residual left by those before it.

pub mod check;
mod def;
pub mod metrics;

use crate::accounting::{inventory_with_edits, Inventory};
use crate::error::{DataError, Error, Location};
use crate::factors::{Confidence, FactorLibrary};
use crate::graph::SectorLibrary;
use crate::study::{Edit, FacilityYear, Settings};
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{Quantity, UnitError};
use include_dir::{include_dir, Dir};
use metrics::{crf, relative, unit_cost, Elasticity, Quadrant};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;
use std::collections::BTreeMap;

/// `sectors/measures/`, embedded at build time.
pub static EMBEDDED_MEASURES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sectors/measures");

/// A cost per unit of output (CNY per t, per m2 …).
#[derive(Debug, Clone, Serialize)]
pub struct CostItem {
    #[serde(with = "rust_decimal::serde::str")]
    pub per_output: Decimal,
    pub note: String,
}

/// One co-reduction measure.
#[derive(Debug, Clone, Serialize)]
pub struct Measure {
    pub id: String,
    pub sector: String,
    pub name_en: String,
    pub name_zh: String,
    /// technologies it applies to (empty: all)
    pub applies_to: Vec<String>,
    #[serde(with = "rust_decimal::serde::str")]
    pub max_penetration: Decimal,
    pub lifetime: u32,
    /// investment per unit of annual output
    pub capex: CostItem,
    /// change in O&M per unit of output and year
    pub om_change: CostItem,
    /// change in energy cost per unit of output and year (negative: savings)
    pub energy_cost_change: CostItem,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    pub note: String,
    #[serde(skip)]
    pub edits: Vec<Edit>,
    #[serde(skip)]
    pub location: Location,
}

impl Measure {
    /// True when the measure applies to a facility of this sector and technology.
    pub fn applies(&self, sector: &str, technology: &str) -> bool {
        self.sector == sector
            && (self.applies_to.is_empty() || self.applies_to.iter().any(|t| t == technology))
    }

    /// The edits at penetration `x` (0 = no change, 1 = full effect).
    pub fn edits_at(&self, x: Decimal) -> Vec<Edit> {
        let toward = |m: Decimal| Decimal::ONE - x * (Decimal::ONE - m);
        self.edits
            .iter()
            .map(|e| match e {
                Edit::Scale {
                    item,
                    node,
                    multiplier,
                } => Edit::Scale {
                    item: item.clone(),
                    node: node.clone(),
                    multiplier: toward(*multiplier),
                },
                Edit::Switch {
                    from,
                    to,
                    node,
                    share,
                    ratio,
                } => Edit::Switch {
                    from: from.clone(),
                    to: to.clone(),
                    node: node.clone(),
                    share: *share * x,
                    ratio: ratio.clone(),
                },
                Edit::Control {
                    substance,
                    node,
                    efficiency,
                    sorbent,
                } => Edit::Control {
                    substance: *substance,
                    node: node.clone(),
                    efficiency: *efficiency * x,
                    // The reagent follows the SO2 removed, which scales with η·x.
                    sorbent: sorbent.clone(),
                },
                Edit::GreenPower { share } => Edit::GreenPower { share: *share * x },
                Edit::Add {
                    item,
                    node,
                    per_output,
                } => Edit::Add {
                    item: item.clone(),
                    node: node.clone(),
                    per_output: Quantity::new(per_output.value * x, per_output.unit.clone()),
                },
                Edit::ScaleFactor { id, multiplier } => Edit::ScaleFactor {
                    id: id.clone(),
                    multiplier: toward(*multiplier),
                },
                Edit::SetFactor { id, value, weight } => Edit::SetFactor {
                    id: id.clone(),
                    value: *value,
                    weight: *weight * x,
                },
            })
            .collect()
    }

    /// Annualised cost for `output` units at penetration `x` and discount rate `rate`:
    /// C = I·CRF(r, n) + ΔO&M + Δenergy cost (CNY per year).
    pub fn annual_cost(
        &self,
        output: Decimal,
        x: Decimal,
        rate: Decimal,
    ) -> crate::Result<Decimal> {
        let crf = crf(rate, self.lifetime).unwrap_or(Decimal::ZERO);
        self.capex
            .per_output
            .checked_mul(crf)
            .and_then(|c| c.checked_add(self.om_change.per_output))
            .and_then(|c| c.checked_add(self.energy_cost_change.per_output))
            .and_then(|c| c.checked_mul(output))
            .and_then(|c| c.checked_mul(x))
            .ok_or_else(|| {
                let id = &self.id;
                out_of_range(
                    self.location.clone(),
                    tr!(
                        "measure '{id}': its annual cost for an output of {output}",
                        "措施“{id}”：产量为 {output} 时的年化成本"
                    ),
                )
            })
    }
}

/// A unit error as a text in both languages.
pub(crate) fn unit_error_text(e: &UnitError) -> Text {
    Text::new(e.to_string(), e.text(Lang::Zh))
}

/// An overflow in the metrics: the place and what was being computed.
fn out_of_range(at: Location, what: Text) -> Error {
    Error::Data(DataError::new(
        at,
        Text::new(
            format!(
                "{} is out of range (larger than about 7.9e28): check the magnitudes and units of the values involved",
                what.en
            ),
            format!(
                "{}超出数值范围（大于约 7.9e28）：请检查相关数值的数量级和单位",
                what.get(Lang::Zh)
            ),
        ),
    ))
}

/// `a + b`, `a − b`, `a × b` of the metrics, an overflow named by `what`.
fn checked(v: Option<Decimal>, what: impl FnOnce() -> Text) -> crate::Result<Decimal> {
    v.ok_or_else(|| {
        out_of_range(
            Location::Api {
                what: tr!("measure metrics", "措施指标"),
            },
            what(),
        )
    })
}

/// The measure library.
#[derive(Debug, Clone, Default)]
pub struct MeasureLibrary {
    pub measures: Vec<Measure>,
}

impl MeasureLibrary {
    /// The measures shipped in `sectors/measures/`.
    pub fn embedded(sectors: &SectorLibrary) -> crate::Result<MeasureLibrary> {
        let mut files: Vec<(String, String)> = EMBEDDED_MEASURES
            .files()
            .filter_map(|f| {
                Some((
                    format!("sectors/measures/{}", f.path().display()),
                    f.contents_utf8()?.to_string(),
                ))
            })
            .collect();
        files.sort();
        MeasureLibrary::from_files(&files, sectors)
    }

    /// Measures from (path, text) TOML files.
    pub fn from_files(files: &[(String, String)], sectors: &SectorLibrary) -> crate::Result<Self> {
        let mut errs = Vec::new();
        let mut measures = Vec::new();
        for (path, text) in files {
            match toml::from_str::<def::MeasuresFile>(text) {
                Ok(f) => measures.extend(def::compile(f, path, text, sectors, &mut errs)),
                Err(e) => {
                    let line = e
                        .span()
                        .map(|s| crate::error::line_of(text, s.start))
                        .unwrap_or(1);
                    errs.push(DataError::new(
                        Location::line(path, line),
                        e.message().trim().to_string(),
                    ));
                }
            }
        }
        let mut seen = BTreeMap::new();
        for m in &measures {
            if let Some(first) = seen.insert(m.id.clone(), m.location.clone()) {
                let id = &m.id;
                errs.push(DataError::new(
                    m.location.clone(),
                    tr!(
                        "duplicate measure id '{id}' (first at {first})",
                        "措施 id“{id}”重复（首次出现于 {first}）"
                    ),
                ));
            }
        }
        if errs.is_empty() {
            Ok(MeasureLibrary { measures })
        } else {
            errs.sort();
            Err(Error::from_findings(errs))
        }
    }

    /// The measure with this id.
    pub fn get(&self, id: &str) -> Option<&Measure> {
        self.measures.iter().find(|m| m.id == id)
    }
}

/// How pollutant co-benefits are valued and metrics chosen.
#[derive(Debug, Clone)]
pub struct MetricSettings {
    /// discount rate for the CRF
    pub discount_rate: Decimal,
    /// λ in EReq = APeq + λ·CO2e (pollution equivalents per t CO2e)
    pub lambda: Decimal,
    /// the y axis and the elasticity's pollutant: a substance code or `APeq`
    pub pollutant: String,
    /// value per air pollution equivalent (CNY); default Sichuan's tax 3.9
    pub value_air_eq: Decimal,
    /// value per water pollution equivalent (CNY); default Sichuan's tax 2.8
    pub value_water_eq: Decimal,
    /// user shadow prices per t of a substance (replace the equivalents' value for it)
    pub shadow_prices: BTreeMap<String, Decimal>,
    /// weights of the co-reduction degree index over r_CO2e, r_APeq, r_WPeq
    pub index_weights: [Decimal; 3],
}

impl MetricSettings {
    /// Defaults: 8 % (the CRF example of the notes), λ = 0, APeq on the y axis,
    /// Sichuan's environmental-tax rates from the factor library, index
    /// weights 0.5 / 0.3 / 0.2.
    pub fn defaults(lib: &FactorLibrary) -> MetricSettings {
        let rate = |id: &str, fallback: Decimal| lib.get(id).map(|f| f.value).unwrap_or(fallback);
        MetricSettings {
            discount_rate: dec!(0.08),
            lambda: Decimal::ZERO,
            pollutant: "APeq".into(),
            value_air_eq: rate("tax.sc.air", dec!(3.9)),
            value_water_eq: rate("tax.sc.water", dec!(2.8)),
            shadow_prices: BTreeMap::new(),
            index_weights: [dec!(0.5), dec!(0.3), dec!(0.2)],
        }
    }
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
        let keys: std::collections::BTreeSet<&String> = base
            .totals
            .by_substance
            .keys()
            .chain(with.totals.by_substance.keys())
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
    /// facility id → metrics
    pub by_facility: BTreeMap<String, Metrics>,
    pub by_sector: BTreeMap<String, Metrics>,
    pub province: Metrics,
    #[serde(skip)]
    pub totals: Totals2,
}

/// True when an inventory with edits equals the baseline in every total.
pub(crate) fn unchanged(base: &Inventory, with: &Inventory) -> bool {
    let (a, b) = (&base.totals, &with.totals);
    a.by_substance == b.by_substance
        && a.outside_view == b.outside_view
        && a.co2e == b.co2e
        && a.energy_tce == b.energy_tce
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
    for (fy, base) in fys.iter().zip(baselines) {
        let applicable: Vec<&&Measure> = measures
            .iter()
            .filter(|m| m.applies(&base.sector, &base.technology))
            .collect();
        if applicable.is_empty() {
            continue;
        }
        let here = format!("{} {}", base.facility_id, base.year);
        let mut edits = Vec::new();
        let mut cost = Decimal::ZERO;
        for m in &applicable {
            let x = penetration
                .unwrap_or(m.max_penetration)
                .min(m.max_penetration);
            let own = m.edits_at(x);
            // In a package, a measure whose own edits change nothing here
            // (coal-to-gas at a gas-fired plant) does not apply here: no cost.
            if applicable.len() > 1 {
                let alone = inventory_with_edits(settings, lib, sectors, fy, &own)?;
                if unchanged(base, &alone) {
                    not_applicable.push(format!("{} at {here}", m.id));
                    continue;
                }
            }
            edits.extend(own);
            let c = m.annual_cost(base.output, x, ms.discount_rate)?;
            let id = &m.id;
            cost = checked(cost.checked_add(c), || {
                tr!("the cost of '{id}'", "措施“{id}”的成本")
            })?;
        }
        if edits.is_empty() {
            continue;
        }
        let with = inventory_with_edits(settings, lib, sectors, fy, &edits)?;
        if applicable.len() == 1 && unchanged(base, &with) {
            not_applicable.push(here);
            continue;
        }
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

/// One bar of a MACC.
#[derive(Debug, Clone, Serialize)]
pub struct MaccStep {
    pub measure: String,
    pub name_en: String,
    pub name_zh: String,
    /// t CO2e/a, computed on the residual left by the measures before it
    #[serde(with = "rust_decimal::serde::str")]
    pub potential_co2e: Decimal,
    /// air pollution equivalents/a on the residual
    #[serde(with = "rust_decimal::serde::str")]
    pub potential_apeq: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_cost: Decimal,
    /// CNY/t CO2e on the residual potential (None where it is ≤ 0)
    #[serde(with = "rust_decimal::serde::str_option")]
    pub cost_per_t_co2e: Option<Decimal>,
    /// co-benefit-adjusted MAC on the residual potential
    #[serde(with = "rust_decimal::serde::str_option")]
    pub mac_adjusted: Option<Decimal>,
}

/// The MACC's order: by stand-alone unit cost (CNY/t CO2e), undefined costs
/// last, then by id. The package applies the measures in this order too, so
/// that the MACC's steps add up to it: measures on the same source are not
/// always independent of their order (two switches away from one fuel).
pub fn macc_order<'a>(measures: &[&'a Measure], alone: &[Evaluation]) -> Vec<&'a Measure> {
    let mut order: Vec<(&Measure, Option<Decimal>)> = measures
        .iter()
        .zip(alone)
        .map(|(m, e)| (*m, e.province.cost_per_t_co2e))
        .collect();
    order.sort_by(|a, b| match (a.1, b.1) {
        (Some(x), Some(y)) => x.cmp(&y).then_with(|| a.0.id.cmp(&b.0.id)),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.0.id.cmp(&b.0.id),
    });
    order.into_iter().map(|(m, _)| m).collect()
}

/// The MACC: measures ordered by their stand-alone unit cost (undefined costs
/// last), each potential computed on the residual left by those before it.
#[allow(clippy::too_many_arguments)]
pub fn macc(
    measures: &[&Measure],
    settings: &Settings,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    fys: &[FacilityYear],
    baselines: &[Inventory],
    ms: &MetricSettings,
    alone: &[Evaluation],
) -> crate::Result<Vec<MaccStep>> {
    let mut steps = Vec::new();
    let mut applied: Vec<&Measure> = Vec::new();
    let mut previous = (Decimal::ZERO, Decimal::ZERO);
    for m in macc_order(measures, alone) {
        applied.push(m);
        let e = evaluate(
            ("package", "", ""),
            &applied,
            None,
            settings,
            lib,
            sectors,
            fys,
            baselines,
            ms,
        )?;
        let er = |k: &str| e.province.reduction.get(k).copied().unwrap_or_default();
        let (co2e, apeq) = (er("CO2e"), er("APeq"));
        let (d_co2e, d_apeq) = (co2e - previous.0, apeq - previous.1);
        previous = (co2e, apeq);
        let alone_cost = alone
            .iter()
            .find(|x| x.measure == m.id)
            .map(|x| x.province.annual_cost)
            .unwrap_or_default();
        let value = d_apeq * ms.value_air_eq;
        steps.push(MaccStep {
            measure: m.id.clone(),
            name_en: m.name_en.clone(),
            name_zh: m.name_zh.clone(),
            potential_co2e: d_co2e,
            potential_apeq: d_apeq,
            annual_cost: alone_cost,
            cost_per_t_co2e: unit_cost(alone_cost, d_co2e),
            mac_adjusted: unit_cost(alone_cost - value, d_co2e),
        });
    }
    Ok(steps)
}

/// Compiles the workbook's `measures` sheet (one row per edit or attribute,
/// in the same vocabulary as `sectors/measures/*.toml`) into measures.
/// Defaults where a row is absent: penetration 1, lifetime 15 years, zero
/// costs, confidence `assumption` (it is the user's own measure).
pub fn from_rows(
    rows: &[crate::study::MeasureRow],
    sectors: &SectorLibrary,
) -> Result<Vec<Measure>, Vec<DataError>> {
    use crate::error::did_you_mean;
    use crate::substance::Substance;
    use crate::units::Unit;
    let mut errs = Vec::new();
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<&crate::study::MeasureRow>> = BTreeMap::new();
    for r in rows {
        if !groups.contains_key(&r.measure_id) {
            order.push(r.measure_id.clone());
        }
        groups.entry(r.measure_id.clone()).or_default().push(r);
    }
    const FIELDS: [&str; 15] = [
        "scale",
        "switch",
        "control",
        "green_power",
        "add",
        "scale_factor",
        "set_factor",
        "max_penetration",
        "lifetime",
        "capex",
        "om_change",
        "energy_cost_change",
        "applies_to",
        "name_zh",
        "confidence",
    ];
    let mut out = Vec::new();
    for id in order {
        let rows = &groups[&id];
        let first = rows[0];
        let sector = match sectors.get(&first.sector) {
            Ok(s) => s,
            Err(m) => {
                errs.push(DataError::new(first.location.clone(), m));
                continue;
            }
        };
        let mut m = Measure {
            id: id.clone(),
            sector: sector.id.clone(),
            name_en: if first.name.is_empty() {
                id.clone()
            } else {
                first.name.clone()
            },
            name_zh: first.name.clone(),
            applies_to: Vec::new(),
            max_penetration: Decimal::ONE,
            lifetime: 15,
            capex: CostItem {
                per_output: Decimal::ZERO,
                note: String::new(),
            },
            om_change: CostItem {
                per_output: Decimal::ZERO,
                note: String::new(),
            },
            energy_cost_change: CostItem {
                per_output: Decimal::ZERO,
                note: String::new(),
            },
            confidence: Confidence::Assumption,
            sources: vec!["user measure (workbook)".into()],
            note: String::new(),
            edits: Vec::new(),
            location: first.location.clone(),
        };
        for r in rows {
            let at = r.location.clone();
            let field = &r.field;
            let val = |errs: &mut Vec<DataError>| {
                r.value.ok_or_else(|| {
                    errs.push(DataError::new(
                        r.value_location.clone(),
                        tr!(
                            "'{field}' needs a number in the value column",
                            "“{field}”需要在 value 列填写数值"
                        ),
                    ))
                })
            };
            let target = |errs: &mut Vec<DataError>| {
                r.target.clone().ok_or_else(|| {
                    errs.push(DataError::new(
                        at.clone(),
                        tr!("'{field}' needs a target", "“{field}”需要填写 target"),
                    ))
                })
            };
            let qty = |errs: &mut Vec<DataError>| -> Option<Quantity> {
                let v = val(errs).ok()?;
                let u = r.unit.clone().unwrap_or_else(|| "1".into());
                Quantity::parse(v, &u)
                    .map_err(|e| {
                        errs.push(DataError::new(
                            r.value_location.clone(),
                            unit_error_text(&e),
                        ))
                    })
                    .ok()
            };
            if let Some(n) = &r.node {
                if sector.node(n).is_none() {
                    let sector_id = &sector.id;
                    errs.push(
                        DataError::new(
                            at.clone(),
                            tr!(
                                "unknown process '{n}' for sector {sector_id}",
                                "行业 {sector_id} 中没有工序“{n}”"
                            ),
                        )
                        .with_hint(did_you_mean(n, sector.nodes.iter().map(|x| x.id.as_str()))),
                    );
                    continue;
                }
            }
            let cost = |errs: &mut Vec<DataError>| -> Option<CostItem> {
                let q = qty(errs)?;
                let want = Unit::parse("CNY")
                    .and_then(|u| u.div(&sector.output_unit))
                    .ok()?;
                match q.value_in(&want) {
                    Ok(v) => match check::cost_problem(Text::from(field.as_str()), v) {
                        Some(problem) => {
                            errs.push(DataError::new(r.value_location.clone(), problem));
                            None
                        }
                        None => Some(CostItem {
                            per_output: v,
                            note: r.note.clone(),
                        }),
                    },
                    Err(_) => {
                        let out = &sector.output_unit;
                        errs.push(DataError::new(
                            r.value_location.clone(),
                            tr!(
                                "'{field}' must be money per {out} of output (e.g. CNY/{out})",
                                "“{field}”须为每 {out} 产品的货币金额（如 CNY/{out}）"
                            ),
                        ));
                        None
                    }
                }
            };
            match r.field.as_str() {
                "scale" => {
                    if let (Ok(item), Ok(v)) = (target(&mut errs), val(&mut errs)) {
                        push_checked(
                            &mut m.edits,
                            &mut errs,
                            &r.value_location,
                            Edit::Scale {
                                item,
                                node: r.node.clone(),
                                multiplier: v,
                            },
                        );
                    }
                }
                "switch" => {
                    let Ok(t) = target(&mut errs) else { continue };
                    let Some((from, to)) = t.split_once('>') else {
                        errs.push(DataError::new(
                            at.clone(),
                            tr!(
                                "switch target '{t}' must read from>to, e.g. fuel.raw_coal>fuel.natural_gas",
                                "替代目标“{t}”应写为 from>to，如 fuel.raw_coal>fuel.natural_gas"
                            ),
                        ));
                        continue;
                    };
                    if let Some(ratio) = qty(&mut errs) {
                        push_checked(
                            &mut m.edits,
                            &mut errs,
                            &r.value_location,
                            Edit::Switch {
                                from: from.trim().into(),
                                to: to.trim().into(),
                                node: r.node.clone(),
                                share: Decimal::ONE,
                                ratio,
                            },
                        );
                    }
                }
                "control" => {
                    let Ok(t) = target(&mut errs) else { continue };
                    let Some(substance) = Substance::parse(&t) else {
                        errs.push(
                            DataError::new(
                                at.clone(),
                                tr!("unknown substance '{t}'", "未知物质“{t}”"),
                            )
                            .with_hint(did_you_mean(&t, Substance::codes())),
                        );
                        continue;
                    };
                    if let Ok(v) = val(&mut errs) {
                        push_checked(
                            &mut m.edits,
                            &mut errs,
                            &r.value_location,
                            Edit::Control {
                                substance,
                                node: r.node.clone(),
                                efficiency: v,
                                sorbent: None,
                            },
                        );
                    }
                }
                "green_power" => {
                    if let Ok(v) = val(&mut errs) {
                        push_checked(
                            &mut m.edits,
                            &mut errs,
                            &r.value_location,
                            Edit::GreenPower { share: v },
                        );
                    }
                }
                "add" => {
                    let (Ok(item), Some(q)) = (target(&mut errs), qty(&mut errs)) else {
                        continue;
                    };
                    let node = r
                        .node
                        .clone()
                        .unwrap_or_else(|| sector.default_node.clone());
                    push_checked(
                        &mut m.edits,
                        &mut errs,
                        &r.value_location,
                        Edit::Add {
                            item,
                            node,
                            per_output: q,
                        },
                    );
                }
                "scale_factor" => {
                    if let (Ok(id), Ok(v)) = (target(&mut errs), val(&mut errs)) {
                        push_checked(
                            &mut m.edits,
                            &mut errs,
                            &r.value_location,
                            Edit::ScaleFactor { id, multiplier: v },
                        );
                    }
                }
                "set_factor" => {
                    if let (Ok(id), Ok(v)) = (target(&mut errs), val(&mut errs)) {
                        push_checked(
                            &mut m.edits,
                            &mut errs,
                            &r.value_location,
                            Edit::SetFactor {
                                id,
                                value: v,
                                weight: Decimal::ONE,
                            },
                        );
                    }
                }
                "max_penetration" => {
                    if let Ok(v) = val(&mut errs) {
                        if v < Decimal::ZERO || v > Decimal::ONE {
                            errs.push(DataError::new(
                                r.value_location.clone(),
                                tr!(
                                    "max_penetration must lie between 0 and 1 (0–100 %)",
                                    "max_penetration 须在 0 到 1（0–100 %）之间"
                                ),
                            ));
                        }
                        m.max_penetration = v;
                    }
                }
                "lifetime" => {
                    if let Ok(v) = val(&mut errs) {
                        use rust_decimal::prelude::ToPrimitive;
                        match (check::lifetime_problem(v), v.to_u32()) {
                            (None, Some(n)) => m.lifetime = n,
                            (problem, _) => errs.push(DataError::new(
                                r.value_location.clone(),
                                problem.unwrap_or_else(|| {
                                    tr!(
                                        "lifetime {v} is not a number of years",
                                        "寿命期 {v} 不是有效的年数"
                                    )
                                }),
                            )),
                        }
                    }
                }
                "capex" => m.capex = cost(&mut errs).unwrap_or(m.capex.clone()),
                "om_change" => m.om_change = cost(&mut errs).unwrap_or(m.om_change.clone()),
                "energy_cost_change" => {
                    m.energy_cost_change = cost(&mut errs).unwrap_or(m.energy_cost_change.clone())
                }
                "applies_to" => {
                    if let Ok(t) = target(&mut errs) {
                        match sector.technology(&t) {
                            Ok(x) => m.applies_to.push(x.id.clone()),
                            Err(e) => errs.push(DataError::new(at.clone(), e)),
                        }
                    }
                }
                "name_zh" => {
                    if let Ok(t) = target(&mut errs) {
                        m.name_zh = t;
                    }
                }
                "confidence" => {
                    if let Ok(t) = target(&mut errs) {
                        match Confidence::parse(&t) {
                            Some(c) => m.confidence = c,
                            None => errs.push(DataError::new(
                                at.clone(),
                                tr!("unknown confidence '{t}'", "未知可信度等级“{t}”"),
                            )),
                        }
                    }
                }
                other => errs.push(
                    DataError::new(
                        at.clone(),
                        tr!("unknown measure field '{other}'", "未知措施字段“{other}”"),
                    )
                    .with_hint(did_you_mean(other, FIELDS)),
                ),
            }
        }
        if m.edits.is_empty() {
            errs.push(DataError::new(
                m.location.clone(),
                tr!(
                    "measure '{id}' has no edits (scale, switch, control, green_power, add, scale_factor, set_factor)",
                    "措施“{id}”没有任何修改项（scale、switch、control、green_power、add、scale_factor、set_factor）"
                ),
            ));
        }
        out.push(m);
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// Pushes an edit, or a finding at `at` where its value is out of range
/// ([`check::edit_problem`]).
fn push_checked(edits: &mut Vec<Edit>, errs: &mut Vec<DataError>, at: &Location, edit: Edit) {
    match check::edit_problem(&edit) {
        Some(problem) => errs.push(DataError::new(at.clone(), problem)),
        None => edits.push(edit),
    }
}

/// Everything `coreduce measures` reports.
#[derive(Debug, Clone, Serialize)]
pub struct MeasureReport {
    pub format: &'static str,
    #[serde(with = "rust_decimal::serde::str")]
    pub discount_rate: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub lambda: Decimal,
    pub coordinate_axes: (Text, Text),
    pub co_benefit_valuation: Text,
    /// The avoided environmental-protection tax per air and water pollution
    /// equivalent, CNY (the co-benefit values when no shadow prices are given).
    #[serde(with = "rust_decimal::serde::str")]
    pub value_air_eq: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub value_water_eq: Decimal,
    /// true where the user gave shadow prices per t instead
    pub shadow_prices: bool,
    pub degree_index: Text,
    #[serde(serialize_with = "ser_weights")]
    pub index_weights: [Decimal; 3],
    pub measures: Vec<Measure>,
    /// each measure alone at its maximum penetration
    pub alone: Vec<Evaluation>,
    /// all applicable measures together (applied in id order)
    pub package: Evaluation,
    pub macc: Vec<MaccStep>,
}

fn ser_weights<S: serde::Serializer>(
    w: &[Decimal; 3],
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(3))?;
    for x in w {
        seq.serialize_element(&x.to_string())?;
    }
    seq.end()
}

/// Evaluates every applicable measure (library and user), the package and
/// the MACC on a computed workbook study.
pub fn report(
    run: &crate::accounting::ComputedStudy,
    sectors: &SectorLibrary,
    library: &MeasureLibrary,
    ms: &MetricSettings,
) -> crate::Result<MeasureReport> {
    let user = user_measures(&run.study, sectors, &run.factors)?;
    let mut all: Vec<Measure> = library.measures.clone();
    all.extend(user);
    let applicable: Vec<&Measure> = all
        .iter()
        .filter(|m| {
            run.inventories
                .iter()
                .any(|i| m.applies(&i.sector, &i.technology))
        })
        .collect();
    let st = &run.study.settings;
    let fys = &run.study.facility_years;
    let base = &run.inventories;
    let mut alone = Vec::new();
    for m in &applicable {
        alone.push(evaluate(
            (&m.id, &m.name_en, &m.name_zh),
            &[*m],
            None,
            st,
            &run.factors,
            sectors,
            fys,
            base,
            ms,
        )?);
    }
    let sorted = macc_order(&applicable, &alone);
    let package = evaluate(
        ("package", "All applicable measures", "全部适用措施"),
        &sorted,
        None,
        st,
        &run.factors,
        sectors,
        fys,
        base,
        ms,
    )?;
    let steps = macc(
        &applicable,
        st,
        &run.factors,
        sectors,
        fys,
        base,
        ms,
        &alone,
    )?;
    Ok(MeasureReport {
        format: "coreduce-measures-v1",
        discount_rate: ms.discount_rate,
        lambda: ms.lambda,
        coordinate_axes: (
            tr!("x: CO2e reduction (t)", "x：CO2e 减排量（吨）"),
            tr!("y: {} reduction", "y：{} 减排量", ms.pollutant),
        ),
        co_benefit_valuation: if ms.shadow_prices.is_empty() {
            let (air, water) = (ms.value_air_eq, ms.value_water_eq);
            tr!(
                "avoided environmental-protection tax: {air} CNY per air pollution equivalent, {water} CNY per water pollution equivalent (Sichuan rates)",
                "协同效益按避免的环境保护税计：每大气污染当量 {air} 元，每水污染当量 {water} 元（四川税额）"
            )
        } else {
            tr!(
                "user shadow prices per t",
                "协同效益按用户给定的每吨影子价格计"
            )
        },
        value_air_eq: ms.value_air_eq,
        value_water_eq: ms.value_water_eq,
        shadow_prices: !ms.shadow_prices.is_empty(),
        degree_index: Text::new(DEGREE_INDEX_NOTE, DEGREE_INDEX_NOTE_ZH),
        index_weights: ms.index_weights,
        measures: applicable.into_iter().cloned().collect(),
        alone,
        package,
        macc: steps,
    })
}

/// Metric settings: the defaults with the study's own `settings` values.
pub fn settings_for(study: &crate::study::Study, lib: &FactorLibrary) -> MetricSettings {
    let mut ms = MetricSettings::defaults(lib);
    let m = &study.metric;
    if let Some(v) = m.discount_rate {
        ms.discount_rate = v;
    }
    if let Some(v) = m.lambda {
        ms.lambda = v;
    }
    if let Some(v) = &m.coordinate_pollutant {
        ms.pollutant = v.clone();
    }
    if let Some(v) = m.value_air_eq {
        ms.value_air_eq = v;
    }
    if let Some(v) = m.value_water_eq {
        ms.value_water_eq = v;
    }
    if let Some(w) = m.index_weights {
        ms.index_weights = w;
    }
    ms
}

/// The library's measures plus the study's own.
pub fn all_measures(
    study: &crate::study::Study,
    sectors: &SectorLibrary,
    library: &MeasureLibrary,
    factors: &FactorLibrary,
) -> crate::Result<Vec<Measure>> {
    let mut all = library.measures.clone();
    all.extend(user_measures(study, sectors, factors)?);
    Ok(all)
}

/// The study's own measures (its `measures` sheet), every value and factor id
/// checked.
pub fn user_measures(
    study: &crate::study::Study,
    sectors: &SectorLibrary,
    factors: &FactorLibrary,
) -> crate::Result<Vec<Measure>> {
    let user = from_rows(&study.measure_rows, sectors).map_err(Error::from_findings)?;
    let unknown = check::factor_id_problems(&user, factors);
    if unknown.is_empty() {
        Ok(user)
    } else {
        Err(Error::from_findings(unknown))
    }
}
