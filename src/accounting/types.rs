//! Inputs and results of the inventory engine.

use crate::study::{GwpSet, View};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where an input value of a row came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputOrigin {
    /// Given by the user (workbook cell or code).
    Measured,
    /// Tier 1 default from the sector graph and factor library.
    Default,
}

/// One input a row used.
#[derive(Debug, Clone, Serialize)]
pub struct InputUsed {
    pub item: String,
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub unit: String,
    pub origin: InputOrigin,
    /// where the measured value was read, or the factor ids of a default
    pub from: String,
}

/// One line of the inventory: one source, one substance.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub node: String,
    pub source: String,
    pub method: String,
    /// substance code, or `CO2e` for the CO2-equivalent row of a GHG
    pub substance: String,
    /// tonnes
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    pub unit: String,
    pub tier: u8,
    /// 1 or 2; 0 for a memo item
    pub scope: u8,
    /// counted in the study view's total
    pub in_view: bool,
    pub factor_ids: Vec<String>,
    pub inputs: Vec<InputUsed>,
}

/// A warning attached to a facility-year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub location: String,
    pub message: String,
}

/// Totals of one facility-year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// t per substance (GHGs, pollutants, memo), rows summed
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub by_substance: BTreeMap<String, Decimal>,
    /// t CO2e in the study's view
    #[serde(with = "rust_decimal::serde::str")]
    pub co2e: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub co2e_scope1: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub co2e_scope2: Decimal,
    /// t biogenic CO2 (memo, outside every total)
    #[serde(with = "rust_decimal::serde::str")]
    pub co2_biogenic_memo: Decimal,
    /// energy use, tce (fuels at NCV; electricity at its calorific equivalent)
    #[serde(with = "rust_decimal::serde::str")]
    pub energy_tce: Decimal,
    /// air pollution equivalents (count), weighting in `pollution_equivalent_weighting`
    #[serde(with = "rust_decimal::serde::str")]
    pub apeq: Decimal,
    /// water pollution equivalents (count)
    #[serde(with = "rust_decimal::serde::str")]
    pub wpeq: Decimal,
    pub pollution_equivalent_weighting: String,
    /// t CO2e per unit of output
    #[serde(with = "rust_decimal::serde::str_option")]
    pub co2e_per_output: Option<Decimal>,
    /// t per unit of output, per substance (empty when output is zero)
    #[serde(serialize_with = "crate::units::ser_decimal_map")]
    pub per_output: BTreeMap<String, Decimal>,
}

/// The inventory of one facility-year.
#[derive(Debug, Clone, Serialize)]
pub struct Inventory {
    pub facility_id: String,
    pub name: String,
    pub sector: String,
    pub technology: String,
    pub edition: String,
    pub city: Option<String>,
    /// The county-level division where the workbook named one (a level below the city).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub county: Option<String>,
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub output: Decimal,
    pub output_unit: String,
    pub gwp: GwpSet,
    pub view: View,
    pub grid_factor: String,
    pub rows: Vec<Row>,
    pub totals: Totals,
    pub warnings: Vec<Warning>,
}

impl Inventory {
    /// Sum of the rows of one substance code (`CO2`, `SO2`, `CO2e`, …), in t.
    pub fn total(&self, substance: &str) -> Decimal {
        self.rows
            .iter()
            .filter(|r| r.substance == substance)
            .map(|r| r.amount)
            .sum()
    }
    /// Sum of one substance at one source.
    pub fn source_total(&self, source: &str, substance: &str) -> Decimal {
        self.rows
            .iter()
            .filter(|r| r.source == source && r.substance == substance)
            .map(|r| r.amount)
            .sum()
    }
    /// Every factor id used, sorted and unique.
    pub fn factor_ids(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .rows
            .iter()
            .flat_map(|r| r.factor_ids.iter().cloned())
            .collect();
        v.sort();
        v.dedup();
        v
    }
}
