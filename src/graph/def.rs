//! The TOML schema of `sectors/<sector>.toml` and `sectors/fuels.toml`
//! (serde types only; meaning and checks live in `mod.rs`).

use serde::Deserialize;
use std::collections::BTreeMap;
use toml::Spanned;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectorFile {
    pub sector: SectorMeta,
    #[serde(default)]
    pub technology: Vec<TechnologyDef>,
    #[serde(default)]
    pub node: Vec<NodeDef>,
    #[serde(default)]
    pub flow: Vec<FlowDef>,
    #[serde(default)]
    pub input: Vec<InputDef>,
    #[serde(default)]
    pub source: Vec<SourceDef>,
    #[serde(default)]
    pub default_control: Vec<DefaultControlDef>,
}

/// The end-of-pipe control a Tier 1 facility is taken to have when its
/// workbook gives none for the pollutant at the node.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DefaultControlDef {
    pub substance: Spanned<String>,
    pub node: Spanned<String>,
    /// factor id of the efficiency (a fraction)
    pub efficiency: Spanned<String>,
    #[serde(default)]
    pub technology: Vec<Spanned<String>>,
    /// factor id of the emission standard's limit at the node (mg/m3)
    #[serde(default)]
    pub limit: Option<Spanned<String>>,
    /// Why this control is the default (documentation in the file).
    #[serde(default)]
    #[allow(dead_code)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SectorMeta {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    pub output_unit: Spanned<String>,
    pub output_label: String,
    pub reference_node: Spanned<String>,
    pub default_node: Spanned<String>,
    pub default_technology: Spanned<String>,
    pub default_edition: Spanned<String>,
    /// edition -> its guideline's GWP set and fuel tables
    pub edition: BTreeMap<String, EditionDef>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EditionDef {
    pub name: String,
    pub gwp: String,
    pub fuel_tables: Vec<Spanned<String>>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TechnologyDef {
    pub id: Spanned<String>,
    pub name_en: String,
    pub name_zh: String,
    /// Other names people write for it, English and Chinese (matched after
    /// folding case, spaces and punctuation).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Fuel ids whose presence in a facility's activity indicates this
    /// technology when the written technology is not recognised.
    #[serde(default)]
    pub infer_from_fuels: Vec<String>,
    /// Template value for `{cell}` in factor ids (aluminium cell class).
    #[serde(default)]
    pub cell: Option<String>,
    /// Template value for `{anode}` in factor ids (aluminium anode family:
    /// `prebake` or `soderberg`, the rows of IPCC 2006 Table 4.10).
    #[serde(default)]
    pub anode: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NodeDef {
    pub id: Spanned<String>,
    pub name_en: String,
    pub name_zh: String,
    pub product: String,
    pub unit: Spanned<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AmountDef {
    /// A product of factor ids (templates `{edition}`, `{technology}`, `{cell}` allowed).
    #[serde(default)]
    pub factors: Vec<Spanned<String>>,
    /// Factor ids to divide by.
    #[serde(default)]
    pub divide_by: Vec<Spanned<String>>,
    /// A literal exact value (identity flows): needs `unit` and a `note`.
    #[serde(default)]
    pub value: Option<Spanned<String>>,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FlowDef {
    pub from: Spanned<String>,
    pub to: Spanned<String>,
    pub label: String,
    /// the label in Chinese, for the report's flow diagram
    #[serde(default)]
    pub label_zh: String,
    #[serde(default)]
    pub kind: FlowKind,
    pub amount: AmountDef,
    #[serde(default)]
    pub technology: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    /// `from` supplies its product to `to` (per unit of `to`'s product).
    #[default]
    Supply,
    /// `from` treats `to`'s waste (a service; drawn as `to` → `from`).
    Waste,
    /// `from` co-produces `to`'s product and delivers it to `to`, per unit of
    /// `from`'s product; it displaces `to`'s own production (e.g. biogas steam).
    Coproduct,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct InputDef {
    pub node: Spanned<String>,
    pub item: Spanned<String>,
    pub amount: AmountDef,
    #[serde(default)]
    pub technology: Vec<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SourceDef {
    pub id: Spanned<String>,
    pub node: Spanned<String>,
    pub name_en: String,
    pub name_zh: String,
    pub method: Spanned<String>,
    #[serde(default)]
    pub substances: Vec<Spanned<String>>,
    #[serde(default)]
    pub params: BTreeMap<String, Spanned<String>>,
    #[serde(default)]
    pub params_by_edition: BTreeMap<String, BTreeMap<String, Spanned<String>>>,
    /// fuel -> substance -> factor id (combustion pollutants)
    #[serde(default)]
    pub pollutants: BTreeMap<String, BTreeMap<String, Spanned<String>>>,
    /// node -> fuel -> substance -> factor id: a node's own factors where
    /// they differ from `pollutants` (a ceramic kiln is not a boiler)
    #[serde(default)]
    pub pollutants_by_node: BTreeMap<String, BTreeMap<String, BTreeMap<String, Spanned<String>>>>,
    /// item -> factor id (carbonates)
    #[serde(default)]
    pub items: BTreeMap<String, Spanned<String>>,
    /// edition -> item -> factor id, where an edition's factor is not
    /// `items`' template (a factor stored under another edition's id)
    #[serde(default)]
    pub items_by_edition: BTreeMap<String, BTreeMap<String, Spanned<String>>>,
    #[serde(default = "one")]
    pub scope: u8,
    #[serde(default = "yes")]
    pub in_compliance: bool,
}

fn one() -> u8 {
    1
}
fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct FuelsFile {
    pub fuel: Vec<FuelDef>,
}

/// `sectors/items.toml`: names of activity items as people write them.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemsFile {
    pub item: Vec<ItemName>,
}

/// One activity item's names (the code is always accepted as well).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct ItemName {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    #[serde(default)]
    pub aliases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct FuelDef {
    pub id: String,
    pub name_en: String,
    pub name_zh: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// solid, liquid or gas
    pub state: FuelState,
    /// biomass fuels give CO2_bio (memo) instead of CO2
    #[serde(default)]
    pub biogenic: bool,
    /// the unit amounts are usually given in (`t` or `10^4 Nm3`)
    pub unit: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FuelState {
    Solid,
    Liquid,
    Gas,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RegionsFile {
    pub region: Vec<Region>,
    pub city: Vec<City>,
}

/// One of Sichuan's five economic regions.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
    pub cities: Vec<String>,
}

/// One of Sichuan's 183 county-level divisions (`sectors/counties.csv`).
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct County {
    /// the six-digit administrative division code (510000 + …)
    pub code: String,
    /// the official name (夹江县, 会理市, 北川羌族自治县)
    pub name: String,
    /// the name without 区/县/市 and ethnic designation (夹江, 北川)
    pub short: String,
    pub pinyin: String,
    /// the city id of its prefecture
    pub prefecture: String,
}

/// One of Sichuan's 21 prefecture-level cities.
#[derive(Debug, Clone, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct City {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}
