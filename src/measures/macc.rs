//! The marginal abatement cost curve: its order and its steps, each
//! measure's potential on the residual left by those before it.

use super::metrics::unit_cost;
use super::{evaluate, Evaluation, Measure, MetricSettings};
use crate::accounting::Inventory;
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::study::{FacilityYear, Settings};
use rust_decimal::Decimal;
use serde::Serialize;

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
