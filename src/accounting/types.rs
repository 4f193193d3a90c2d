//! Inputs and results of the inventory engine.

use crate::error::Location;
use crate::units::Quantity;
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;

/// The GWP100 set a study uses for every CO2e figure (sets are never mixed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum GwpSet {
    /// IPCC Second Assessment Report (NDRC 2013/2015 guidelines).
    Sar,
    /// Fourth Assessment Report.
    Ar4,
    /// Fifth Assessment Report (MEE 2024 aluminium guideline).
    Ar5,
    /// Sixth Assessment Report.
    Ar6,
}

impl GwpSet {
    /// Parses SAR, AR4, AR5 or AR6 (any case).
    pub fn parse(s: &str) -> Option<GwpSet> {
        Some(match s.trim().to_ascii_lowercase().as_str() {
            "sar" | "ar2" => GwpSet::Sar,
            "ar4" => GwpSet::Ar4,
            "ar5" => GwpSet::Ar5,
            "ar6" => GwpSet::Ar6,
            _ => return None,
        })
    }
    /// The id segment in `gwp.<set>.<gas>`.
    pub fn key(self) -> &'static str {
        match self {
            GwpSet::Sar => "sar",
            GwpSet::Ar4 => "ar4",
            GwpSet::Ar5 => "ar5",
            GwpSet::Ar6 => "ar6",
        }
    }
}

/// How the grid factor is chosen.
#[derive(Debug, Clone, PartialEq)]
pub enum GridFactor {
    /// A factor id, or a series prefix resolved per year (`grid.sc.avg` →
    /// `grid.sc.avg.2022`).
    Factor(String),
    /// A number with its unit, for every year of the study.
    Value(Quantity),
}

/// Which total is reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum View {
    /// Scope 1 and scope 2: everything.
    Footprint,
    /// The official reporting total (aluminium MEE 2024: fuel + anode + PFC +
    /// carbonate; other sectors: the guideline total incl. net electricity and heat).
    Compliance,
}

/// Study-wide settings.
#[derive(Debug, Clone)]
pub struct Settings {
    pub gwp: GwpSet,
    pub grid: GridFactor,
    pub view: View,
    /// sector id → edition id (the sector's default where absent)
    pub editions: BTreeMap<String, String>,
    /// factor id of the purchased-heat factor
    pub heat_factor: String,
}

impl Default for Settings {
    /// AR5 (the GWP set of the newest official guideline, MEE 2024, and of
    /// China's recent national inventories), the Sichuan average grid factor of
    /// the facility's year, the footprint view.
    fn default() -> Self {
        Settings {
            gwp: GwpSet::Ar5,
            grid: GridFactor::Factor("grid.sc.avg".into()),
            view: View::Footprint,
            editions: BTreeMap::new(),
            heat_factor: "heat.default".into(),
        }
    }
}

/// One activity value, as given (a workbook row or a code call).
#[derive(Debug, Clone)]
pub struct Activity {
    /// `fuel.raw_coal`, `electricity.purchased`, `fuel.natural_gas@kiln`, …
    pub item: String,
    pub quantity: Quantity,
    pub location: Location,
}

/// A facility and one year of its activity.
#[derive(Debug, Clone)]
pub struct FacilityYear {
    pub facility_id: String,
    pub name: String,
    pub sector: String,
    pub technology: Option<String>,
    pub city: Option<String>,
    pub year: i32,
    pub activity: Vec<Activity>,
}

impl FacilityYear {
    /// A facility-year with no activity yet.
    pub fn new(facility_id: &str, sector: &str, year: i32) -> Self {
        FacilityYear {
            facility_id: facility_id.into(),
            name: facility_id.into(),
            sector: sector.into(),
            technology: None,
            city: None,
            year,
            activity: Vec::new(),
        }
    }
    /// Adds an activity value (builder style); panics on a bad unit only in
    /// the sense of returning the error: use `try_with` in fallible code.
    pub fn with(mut self, item: &str, value: Decimal, unit: &str) -> crate::Result<Self> {
        self.activity.push(Activity {
            item: item.into(),
            quantity: Quantity::parse(value, unit)?,
            location: Location::Api {
                what: format!("{} {} {item}", self.facility_id, self.year),
            },
        });
        Ok(self)
    }
    /// Sets the technology.
    pub fn technology(mut self, t: &str) -> Self {
        self.technology = Some(t.into());
        self
    }
}

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
    #[serde(serialize_with = "ser_map")]
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
}

fn ser_map<S: serde::Serializer>(
    m: &BTreeMap<String, Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(m.len()))?;
    for (k, v) in m {
        map.serialize_entry(k, &v.normalize().to_string())?;
    }
    map.end()
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
