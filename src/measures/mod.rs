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
//!
//! This file holds the [`Measure`] itself; the rest is split by concern:
//! `library` (the TOML measure library), `def` (compiling its TOML),
//! `rows` (compiling the workbook's `measures` sheet), `settings` (how
//! co-benefits are valued), `evaluate` (a measure against the inventories),
//! `macc` (the abatement cost curve), `report` (what `coreduce measures`
//! prints), `prices` (energy costs from the energy-price table) and
//! `applicability` (fuels, existing controls and measured values a measure
//! needs at a facility).

mod applicability;
pub mod check;
mod def;
mod evaluate;
mod library;
mod macc;
pub mod metrics;
pub mod prices;
mod report;
mod rows;
mod settings;

pub use applicability::Requires;
pub(crate) use evaluate::unchanged;
pub use evaluate::{
    evaluate, Evaluation, Metrics, Totals2, DEGREE_INDEX_NOTE, DEGREE_INDEX_NOTE_ZH,
};
pub use library::{MeasureLibrary, EMBEDDED_MEASURES};
pub use macc::{macc, macc_order, MaccStep};
pub use report::{report, MeasureReport};
pub use rows::{all_measures, from_rows, user_measures};
pub use settings::{settings_for, MetricSettings};

use crate::error::{DataError, Error, Location};
use crate::factors::Confidence;
use crate::graph::Sector;
use crate::study::Edit;
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{Quantity, Unit, UnitError};
use metrics::crf;
use rust_decimal::Decimal;
use serde::Serialize;

/// A cost per unit of output (CNY per t, per m2 …).
#[derive(Debug, Clone, Serialize)]
pub struct CostItem {
    #[serde(with = "rust_decimal::serde::str")]
    pub per_output: Decimal,
    pub note: String,
}

impl CostItem {
    /// The unit a cost is kept in: CNY per unit of the sector's output.
    fn unit_for(sector: &Sector) -> Result<Unit, UnitError> {
        Unit::parse("CNY").and_then(|u| u.div(&sector.output_unit))
    }
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
    /// change in energy cost per unit of output and year (negative: savings);
    /// zero and unused when `energy_from_prices` is set
    pub energy_cost_change: CostItem,
    /// The energy cost is Σ (quantity with − without) × price of the energy
    /// items the measure changes at each facility (`prices`), so it follows
    /// the facility's own baseline, not the one the literature measured.
    pub energy_from_prices: bool,
    /// Applicability beyond the technology: fuels, existing controls and
    /// measured values the facility must have (`applicability`).
    pub requires: Requires,
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
    /// C = I·CRF(r, n) + ΔO&M + Δenergy cost (CNY per year). A measure priced
    /// from the energy-price table leaves its energy cost out here: the
    /// caller adds it from the facility's inventories ([`prices`]).
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
pub(crate) fn out_of_range(at: Location, what: Text) -> Error {
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
