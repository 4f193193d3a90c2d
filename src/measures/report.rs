//! Everything `coreduce measures` reports: each applicable measure alone,
//! the package and the MACC, with the valuation and index notes.

use super::{
    evaluate, macc, macc_order, user_measures, Evaluation, MaccStep, Measure, MeasureLibrary,
    MetricSettings, DEGREE_INDEX_NOTE, DEGREE_INDEX_NOTE_ZH,
};
use crate::graph::SectorLibrary;
use crate::text::Text;
use crate::tr;
use rust_decimal::Decimal;
use serde::Serialize;

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
