//! Sector process graphs: loading `sectors/*.toml` into petgraph graphs,
//! checking them (unknown factor ids, unit mismatches along edges, dangling
//! nodes, all with file and line), solving the flow system for one unit of
//! output (a technosphere-style linear solve, so loops such as biogas from the
//! wastewater plant back to the boiler are kept), and rendering the graph as
//! text, Graphviz dot or Mermaid.
//!
//! A sector file holds data only: nodes (process steps with a product and
//! unit), flows between them per unit of the consumer's product, Tier 1 input
//! intensities per node, and emission sources naming a method and the factor
//! ids it uses. The formulas behind the methods live in `accounting`.
//!
//! The library also resolves what people write: technologies by id, name or
//! synonym (`aliases`, English and Chinese, matched after folding case, spaces
//! and punctuation), inferred from fuels (`infer_from_fuels`) where a name is
//! not recognised; and places, from `regions.toml` (the 21 prefecture-level
//! cities) and `counties.csv` (the 183 county-level divisions, MCA 2023 codes),
//! to a prefecture with the county kept.

mod compile;
mod def;
pub mod items;
mod library;
mod solve;

use compile::*;
pub use library::{fold_name, Place};
pub use solve::FlowSystem;

pub use def::{City, County, FlowKind, FuelDef, FuelState, Region};

use crate::error::{did_you_mean, DataError, Error, Location, Result};
use crate::factors::FactorLibrary;
use crate::substance::Substance;
use crate::units::{parse_decimal, Quantity, Unit};
use def::{AmountDef, SectorFile};
use include_dir::{include_dir, Dir};
use petgraph::graph::{DiGraph, NodeIndex};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use toml::Spanned;

/// The repository's `sectors/` folder, embedded at build time.
pub static EMBEDDED_SECTORS: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/sectors");

/// The emission-calculation methods a source may name. Their formulas are in
/// `accounting`; their parameters are factor ids in the sector file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Fuel combustion: FC × NCV × CC × OF × 44/12, SO2 by sulfur balance,
    /// other pollutants by factor.
    Combustion,
    /// Net purchased electricity × grid factor.
    Electricity,
    /// Net purchased heat × heat factor.
    Heat,
    /// Anode consumption CO2 = P·NC·(1−S−A)·44/12; SO2 = 2·P·NC·S.
    Anode,
    /// Aluminium PFCs: default factors, slope from AEM, or IPCC Tier 1.
    Pfc,
    /// Carbonate decomposition Σ mass × EF.
    Carbonate,
    /// Wastewater CH4 = (COD removed − sludge COD)·B0·MCF − recovered.
    WastewaterCh4,
    /// Fertiliser N2O, IPCC 2006 Tier 1 (direct + volatilisation + leaching).
    FertiliserN2o,
    /// Node activity × a factor, with optional capture and removal.
    Factor,
    /// Measured discharges passed through.
    Discharge,
}

impl Method {
    fn parse(s: &str) -> Option<Method> {
        Some(match s {
            "combustion" => Method::Combustion,
            "electricity" => Method::Electricity,
            "heat" => Method::Heat,
            "anode" => Method::Anode,
            "pfc" => Method::Pfc,
            "carbonate" => Method::Carbonate,
            "wastewater_ch4" => Method::WastewaterCh4,
            "fertiliser_n2o" => Method::FertiliserN2o,
            "factor" => Method::Factor,
            "discharge" => Method::Discharge,
            _ => return None,
        })
    }
    const NAMES: [&'static str; 10] = [
        "combustion",
        "electricity",
        "heat",
        "anode",
        "pfc",
        "carbonate",
        "wastewater_ch4",
        "fertiliser_n2o",
        "factor",
        "discharge",
    ];
}

/// A process step.
#[derive(Debug, Clone, Serialize)]
pub struct Node {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub product: String,
    #[serde(serialize_with = "ser_unit")]
    pub unit: Unit,
}

fn ser_unit<S: serde::Serializer>(u: &Unit, s: S) -> std::result::Result<S::Ok, S::Error> {
    s.serialize_str(u.symbol())
}

/// An amount per unit of a node's product: a product of factors divided by
/// others, or an exact literal (identity flows).
#[derive(Debug, Clone, Serialize)]
pub struct Amount {
    pub factors: Vec<String>,
    pub divide_by: Vec<String>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub value: Option<Decimal>,
    pub unit: Option<String>,
    pub note: String,
    #[serde(skip)]
    pub location: Location,
}

/// A flow between two nodes (an edge of the graph).
#[derive(Debug, Clone, Serialize)]
pub struct Flow {
    pub from: String,
    pub to: String,
    pub label: String,
    pub label_zh: String,
    pub kind: FlowKind,
    pub amount: Amount,
    pub technology: Vec<String>,
}

/// A Tier 1 default input of an activity item at a node.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub node: String,
    pub item: String,
    pub amount: Amount,
    pub technology: Vec<String>,
}

/// The end-of-pipe control a Tier 1 facility is taken to have when its
/// workbook gives none for the pollutant at the node: a plant without
/// controls could not run under the emission standard, so "uncontrolled" is
/// the less likely reading of a missing row. Every result that uses one says
/// so.
#[derive(Debug, Clone, Serialize)]
pub struct DefaultControl {
    pub substance: Substance,
    pub node: String,
    /// factor id of the efficiency
    pub efficiency: String,
    pub technology: Vec<String>,
    /// factor id of the emission standard's limit at the node (mg/m3)
    pub limit: Option<String>,
    #[serde(skip)]
    pub location: Location,
}

/// An emission source on a node.
#[derive(Debug, Clone, Serialize)]
pub struct Source {
    pub id: String,
    pub node: String,
    pub name_en: String,
    pub name_zh: String,
    pub method: Method,
    pub substances: Vec<Substance>,
    pub params: BTreeMap<String, String>,
    pub params_by_edition: BTreeMap<String, BTreeMap<String, String>>,
    pub pollutants: BTreeMap<String, BTreeMap<Substance, String>>,
    /// node -> fuel -> substance -> factor id, overriding `pollutants` there
    pub pollutants_by_node: BTreeMap<String, BTreeMap<String, BTreeMap<Substance, String>>>,
    pub items: BTreeMap<String, String>,
    pub items_by_edition: BTreeMap<String, BTreeMap<String, String>>,
    pub scope: u8,
    pub in_compliance: bool,
    #[serde(skip)]
    pub location: Location,
}

impl Source {
    /// The factor id of a parameter for an edition (edition-specific first).
    pub fn param(&self, name: &str, edition: &str) -> Option<&str> {
        self.params_by_edition
            .get(edition)
            .and_then(|p| p.get(name))
            .or_else(|| self.params.get(name))
            .map(String::as_str)
    }

    /// The pollutant factor ids of a fuel burnt at a node: the node's own
    /// where it has them, else the source's.
    pub fn pollutants_at(&self, node: &str, fuel: &str) -> BTreeMap<Substance, &str> {
        let mut out: BTreeMap<Substance, &str> = self
            .pollutants
            .get(fuel)
            .map(|t| t.iter().map(|(s, id)| (*s, id.as_str())).collect())
            .unwrap_or_default();
        if let Some(t) = self.pollutants_by_node.get(node).and_then(|n| n.get(fuel)) {
            out.extend(t.iter().map(|(s, id)| (*s, id.as_str())));
        }
        out
    }

    /// The factor id of an item (carbonates) for an edition (edition-specific first).
    pub fn item_factor(&self, item: &str, edition: &str) -> Option<&str> {
        self.items_by_edition
            .get(edition)
            .and_then(|p| p.get(item))
            .or_else(|| self.items.get(item))
            .map(String::as_str)
    }
}

/// A sub-type of a sector where formulas or defaults differ.
#[derive(Debug, Clone, Serialize)]
pub struct Technology {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub aliases: Vec<String>,
    /// fuel ids that indicate this technology (inference from activity)
    pub infer_from_fuels: Vec<String>,
    pub cell: Option<String>,
    pub anode: Option<String>,
}

/// An accounting edition (guideline) of a sector.
#[derive(Debug, Clone, Serialize)]
pub struct Edition {
    pub id: String,
    pub name: String,
    pub gwp: String,
    pub fuel_tables: Vec<String>,
    pub note: String,
}

/// One sector's process graph and accounting recipe.
#[derive(Debug, Clone)]
pub struct Sector {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    pub aliases: Vec<String>,
    pub output_unit: Unit,
    pub output_label: String,
    pub reference_node: String,
    pub default_node: String,
    pub default_technology: String,
    pub default_edition: String,
    pub editions: BTreeMap<String, Edition>,
    pub technologies: Vec<Technology>,
    pub nodes: Vec<Node>,
    pub flows: Vec<Flow>,
    pub inputs: Vec<Input>,
    pub sources: Vec<Source>,
    pub default_controls: Vec<DefaultControl>,
    /// The petgraph view: nodes are indices into `nodes`, edges into `flows`.
    pub graph: DiGraph<usize, usize>,
    pub path: String,
}

/// The context that fills templates in factor ids.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub edition: &'a str,
    pub technology: &'a str,
}

/// All sectors plus the fuel list.
#[derive(Debug, Clone)]
pub struct SectorLibrary {
    pub sectors: BTreeMap<String, Sector>,
    pub fuels: Vec<FuelDef>,
    /// names of activity items as people write them (`sectors/items.toml`)
    pub items: Vec<def::ItemName>,
    pub cities: Vec<City>,
    pub regions: Vec<Region>,
    /// Sichuan's county-level divisions (empty when `counties.csv` is absent).
    pub counties: Vec<County>,
}

/// Fills `{edition}`, `{technology}`, `{cell}` and `{anode}` in a factor-id template.
pub fn expand(template: &str, sector: &Sector, ctx: Context<'_>) -> String {
    // Most ids are plain: no placeholder, nothing to look up or replace.
    if !template.contains('{') {
        return template.to_string();
    }
    let technology = sector.technologies.iter().find(|t| t.id == ctx.technology);
    let cell = technology
        .and_then(|t| t.cell.as_deref())
        .unwrap_or(ctx.technology);
    let anode = technology
        .and_then(|t| t.anode.as_deref())
        .unwrap_or(ctx.technology);
    template
        .replace("{edition}", ctx.edition)
        .replace("{technology}", ctx.technology)
        .replace("{cell}", cell)
        .replace("{anode}", anode)
}

/// The activity scaling of each node for a given final demand.
#[derive(Debug, Clone, Serialize)]
pub struct Scaling {
    /// node id → activity in the node's unit
    pub activity: BTreeMap<String, Quantity2>,
}

/// A serialisable quantity (value as a string, unit symbol).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Quantity2 {
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    pub unit: String,
}

pub mod render;

#[cfg(test)]
mod tests {
    use super::solve::{gauss, Gauss};
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn gauss_solves_a_loop() {
        // x = 10 + 0.5 y ; y = 0.4 x  →  x = 12.5, y = 5
        let m = vec![vec![dec!(1), dec!(-0.5)], vec![dec!(-0.4), dec!(1)]];
        let s = gauss(m, vec![dec!(10), dec!(0)]).unwrap();
        assert_eq!(s, vec![dec!(12.5), dec!(5)]);
    }

    #[test]
    fn gauss_reports_singular() {
        let m = vec![vec![dec!(1), dec!(-1)], vec![dec!(-1), dec!(1)]];
        assert_eq!(gauss(m, vec![dec!(1), dec!(0)]), Err(Gauss::Singular));
    }

    #[test]
    fn gauss_reports_overflow_apart_from_singular() {
        let m = vec![vec![dec!(1), dec!(-1)], vec![dec!(0), dec!(0.0000000001)]];
        let max = Decimal::MAX;
        assert_eq!(gauss(m, vec![dec!(0), max]), Err(Gauss::Overflow));
    }
}
