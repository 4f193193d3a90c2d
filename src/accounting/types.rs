//! Inputs and results of the inventory engine.

use crate::study::{GwpSet, View};
use crate::text::{Lang, Text};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::Arc;

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
    #[serde(serialize_with = "crate::units::ser_written")]
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
    #[serde(serialize_with = "crate::units::ser_written")]
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

/// A warning attached to a facility-year. `location` and `message` are
/// English (the JSON's stable text); the Chinese of both comes from the same
/// [`crate::tr!`] call and is what a Chinese study's xlsx, report and
/// terminal show.
///
/// The message is shared (`Arc<str>`): the same few messages recur in most
/// facility-years, and a run keeps every facility-year's warnings until its
/// summaries are written, so [`Warning::share_message`] lets it hold each
/// distinct text once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    pub location: String,
    pub message: Arc<str>,
    #[serde(skip)]
    pub location_zh: Option<String>,
    #[serde(skip)]
    pub message_zh: Option<Arc<str>>,
}

impl Warning {
    /// A warning at a place (a [`crate::Location`] or a text) with its message.
    pub fn new(location: impl Into<Text>, message: impl Into<Text>) -> Self {
        let (location, message) = (location.into(), message.into());
        Warning {
            location: location.en,
            message: message.en.into(),
            location_zh: location.zh,
            message_zh: message.zh.map(Arc::from),
        }
    }

    /// Replaces the message's texts by equal ones already in `pool` (adding
    /// them where new), so equal messages share one allocation.
    pub fn share_message(&mut self, pool: &mut std::collections::HashSet<Arc<str>>) {
        share_text(pool, &mut self.message);
        if let Some(zh) = &mut self.message_zh {
            share_text(pool, zh);
        }
    }

    /// The place in `lang`.
    pub fn location_in(&self, lang: Lang) -> &str {
        match (lang, &self.location_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.location,
        }
    }

    /// The message in `lang`.
    pub fn message_in(&self, lang: Lang) -> &str {
        match (lang, &self.message_zh) {
            (Lang::Zh, Some(zh)) => zh,
            _ => &self.message,
        }
    }
}

/// Replaces `text` by an equal one already in `pool` (adding it where new):
/// what a run keeps of many facility-years holds each repeated text once.
pub fn share_text(pool: &mut std::collections::HashSet<Arc<str>>, text: &mut Arc<str>) {
    match pool.get(&**text) {
        Some(shared) => *text = Arc::clone(shared),
        None => {
            pool.insert(Arc::clone(text));
        }
    }
}

/// Totals of one facility-year.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// t per substance of the rows counted in the study's view (GHGs with
    /// their `CO2e`, pollutants): what every output's totals show
    #[serde(serialize_with = "crate::units::ser_written_map")]
    pub by_substance: BTreeMap<Arc<str>, Decimal>,
    /// t per substance of the rows outside the view: memo items (biogenic
    /// CO2) and, under the compliance view, what the official total leaves out
    /// (purchased electricity and heat of MEE 2024 aluminium)
    #[serde(serialize_with = "crate::units::ser_written_map")]
    pub outside_view: BTreeMap<Arc<str>, Decimal>,
    /// t CO2e in the study's view
    #[serde(serialize_with = "crate::units::ser_written")]
    pub co2e: Decimal,
    #[serde(serialize_with = "crate::units::ser_written")]
    pub co2e_scope1: Decimal,
    #[serde(serialize_with = "crate::units::ser_written")]
    pub co2e_scope2: Decimal,
    /// t CO2 of net purchased electricity and heat, location-based (grid
    /// average), whichever of the two `scope2` puts in the view
    #[serde(serialize_with = "crate::units::ser_written")]
    pub scope2_location_co2: Decimal,
    /// t CO2 of net purchased electricity and heat, market-based (contracted
    /// green power at 0, the rest at the residual factor)
    #[serde(serialize_with = "crate::units::ser_written")]
    pub scope2_market_co2: Decimal,
    /// t biogenic CO2 (memo, outside every total)
    #[serde(serialize_with = "crate::units::ser_written")]
    pub co2_biogenic_memo: Decimal,
    /// energy use, tce (fuels at NCV; electricity at its calorific equivalent)
    #[serde(serialize_with = "crate::units::ser_written")]
    pub energy_tce: Decimal,
    /// air pollution equivalents (count), weighting in `pollution_equivalent_weighting`
    #[serde(serialize_with = "crate::units::ser_written")]
    pub apeq: Decimal,
    /// water pollution equivalents (count)
    #[serde(serialize_with = "crate::units::ser_written")]
    pub wpeq: Decimal,
    /// How `apeq` and `wpeq` weigh each substance: one text for every
    /// facility-year ([`POLLUTION_EQUIVALENT_WEIGHTING`]), not a copy of
    /// its half kilobyte in each of a run's kept summaries.
    pub pollution_equivalent_weighting: &'static str,
    /// t of PM in the view by its pollution-equivalent category (`soot`,
    /// 烟尘, for combustion in boilers, kilns and barns; `general_dust`,
    /// 一般性粉尘, for process dust): each weighted by its own value in `apeq`
    #[serde(serialize_with = "crate::units::ser_written_map")]
    pub pm_by_category: BTreeMap<String, Decimal>,
    /// t CO2e per unit of output
    #[serde(serialize_with = "crate::units::ser_written_opt")]
    pub co2e_per_output: Option<Decimal>,
    /// t per unit of output, per substance (empty when output is zero)
    #[serde(serialize_with = "crate::units::ser_written_map")]
    pub per_output: BTreeMap<Arc<str>, Decimal>,
    /// Energy items used, summed over nodes, in each item's canonical unit
    /// (`fuel.<id>` in t or 10^4 Nm3, `electricity.purchased` in MWh,
    /// `heat.purchased` in GJ): what a measure's energy cost is priced on.
    /// Not written to outputs: the activity already shows it.
    #[serde(skip)]
    pub energy_use: BTreeMap<String, Decimal>,
}

/// The weighting of every inventory's pollution equivalents
/// ([`Totals::pollution_equivalent_weighting`]).
pub const POLLUTION_EQUIVALENT_WEIGHTING: &str = "EP Tax Law annex 2 pollution-equivalent values: N = Σ E_i / PEV_i (air: SO2 0.95, NOx 0.95, CO 16.7, fluoride 0.87, PM by its source: from combustion in boilers, kilns and barns as 烟尘 soot 2.18, process dust as 一般性粉尘 general dust 4 (pm_by_category), NH3 9.09, pitch fume 0.19, BaP 0.000002, VOCs 0.95 kg; water: COD 1, NH3-N 0.8, TP 0.25 kg); TN has no PEV and is reported separately";

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
    #[serde(serialize_with = "crate::units::ser_written")]
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
    /// Makes the warnings' texts share the equal ones already in `pool`
    /// (see [`Warning::share_message`]) and drops their spare room: for a
    /// run that keeps every facility-year's warnings to its end.
    pub fn share_warnings(&mut self, pool: &mut std::collections::HashSet<Arc<str>>) {
        for w in &mut self.warnings {
            w.share_message(pool);
        }
        self.warnings.shrink_to_fit();
    }

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

/// One distinct warning of a run: how many facility-years it was given for,
/// and the first few of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WarningGroup {
    pub message: String,
    #[serde(skip)]
    pub message_zh: Option<String>,
    pub count: usize,
    /// (facility id, year) of the first facility-years, in study order
    pub examples: Vec<(String, i32)>,
}

/// Groups the warnings of a run by message, most frequent first (then by
/// message), keeping `examples` facility-years of each: 10,000 facility-years
/// give a handful of lines a person can read, not 10,000 repeats.
pub fn group_warnings(inventories: &[Inventory], examples: usize) -> Vec<WarningGroup> {
    let mut groups: BTreeMap<&str, WarningGroup> = BTreeMap::new();
    for inv in inventories {
        for w in &inv.warnings {
            let g = groups.entry(&w.message).or_insert_with(|| WarningGroup {
                message: w.message.to_string(),
                message_zh: w.message_zh.as_deref().map(str::to_string),
                count: 0,
                examples: Vec::new(),
            });
            g.count += 1;
            if g.examples.len() < examples {
                g.examples.push((inv.facility_id.clone(), inv.year));
            }
        }
    }
    let mut out: Vec<WarningGroup> = groups.into_values().collect();
    out.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then_with(|| a.message.cmp(&b.message))
    });
    out
}
