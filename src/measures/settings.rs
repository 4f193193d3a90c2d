//! How pollutant co-benefits are valued and which metrics are chosen: the
//! defaults and a study's own `settings` values.

use crate::factors::FactorLibrary;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use std::collections::BTreeMap;

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
