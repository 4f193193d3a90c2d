//! The activity-item vocabulary of workbook v1: which items exist, whether each
//! is an amount (summed, may be given per unit of output) or a property (a
//! parameter such as a sulfur content), and its dimensions.

use crate::substance::Substance;
use crate::units::{BaseDim, Dims, Unit};

/// Amount or property.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// A quantity consumed or emitted (t, MWh, 10^4 Nm3). May be given per unit
    /// of output (e.g. `t/t`), in which case it is multiplied by output.
    Amount,
    /// A parameter of a formula (NCV, sulfur content, efficiency).
    Property,
}

/// What the engine knows about one item id.
#[derive(Debug, Clone)]
pub struct ItemSpec {
    pub kind: ItemKind,
    /// Accepted dimensions (the first is canonical).
    pub dims: Vec<Dims>,
    /// Canonical unit for outputs.
    pub unit: &'static str,
    /// The substance this item is about, for control/emission/stack/discharge items.
    pub substance: Option<Substance>,
}

const MASS: Dims = Dims::base(BaseDim::Mass);
const ENERGY: Dims = Dims::base(BaseDim::Energy);
const VOLUME: Dims = Dims::base(BaseDim::Volume);

fn unit_dims(u: &str) -> Dims {
    Unit::parse(u).map(|u| u.dims()).unwrap_or_default()
}

/// Splits `item@node` into the item and the optional node qualifier.
pub fn split_node(item: &str) -> (&str, Option<&str>) {
    match item.split_once('@') {
        Some((i, n)) => (i.trim(), Some(n.trim())),
        None => (item.trim(), None),
    }
}

/// The spec of an item id (without its `@node` qualifier), given the sector's
/// output unit and the known fuel ids; `None` for an unknown item.
pub fn item_spec(item: &str, fuels: &[&str]) -> Option<ItemSpec> {
    let amount = |dims: Vec<Dims>, unit| ItemSpec {
        kind: ItemKind::Amount,
        dims,
        unit,
        substance: None,
    };
    let property = |dims: Vec<Dims>, unit| ItemSpec {
        kind: ItemKind::Property,
        dims,
        unit,
        substance: None,
    };
    let fraction = || property(vec![Dims::NONE], "fraction");
    match item {
        "output" => return Some(amount(vec![], "")),
        "electricity.purchased" | "electricity.exported" | "electricity.green" => {
            return Some(amount(vec![ENERGY], "MWh"))
        }
        "heat.purchased" | "heat.exported" => return Some(amount(vec![ENERGY], "GJ")),
        "anode.net_consumption" => return Some(amount(vec![MASS], "t")),
        "anode.sulfur" | "anode.ash" => return Some(fraction()),
        "pfc.aem" => return Some(property(vec![Dims::base(BaseDim::AnodeEffect)], "AEM")),
        "limestone" | "carbonate.caco3" | "carbonate.mgco3" => {
            return Some(amount(vec![MASS], "t"))
        }
        "wastewater.cod_removed" | "wastewater.cod_sludge" | "biogas.ch4_recovered" => {
            return Some(amount(vec![MASS], "t"))
        }
        "wastewater.mcf" => return Some(fraction()),
        "fertiliser.n" => return Some(amount(vec![MASS], "t")),
        "stack.flow" => return Some(amount(vec![VOLUME], "Nm3")),
        "stack.o2" | "stack.o2_ref" => return Some(fraction()),
        _ => {}
    }
    if let Some(rest) = item.strip_prefix("discharge.") {
        let sub = match rest {
            "cod" => Substance::Cod,
            "nh3n" => Substance::Nh3n,
            "tn" => Substance::Tn,
            "tp" => Substance::Tp,
            _ => return None,
        };
        return Some(ItemSpec {
            substance: Some(sub),
            ..amount(vec![MASS], "t")
        });
    }
    if let Some(rest) = item.strip_prefix("control.") {
        let sub = Substance::parse(rest.strip_suffix(".efficiency")?)?;
        return Some(ItemSpec {
            substance: Some(sub),
            ..fraction()
        });
    }
    if let Some(rest) = item.strip_prefix("emission.") {
        let sub = Substance::parse(rest)?;
        return Some(ItemSpec {
            substance: Some(sub),
            ..amount(vec![MASS], "t")
        });
    }
    if let Some(rest) = item.strip_prefix("stack.") {
        let (sub, which) = rest.rsplit_once('.')?;
        if which != "concentration" && which != "concentration_ref" {
            return None;
        }
        return Some(ItemSpec {
            substance: Some(Substance::parse(sub)?),
            ..property(vec![unit_dims("mg/m3")], "mg/m3")
        });
    }
    if let Some(rest) = item.strip_prefix("fuel.") {
        let (fuel, prop) = match rest.split_once('.') {
            Some((f, p)) => (f, Some(p)),
            None => (rest, None),
        };
        if !fuels.contains(&fuel) {
            return None;
        }
        return Some(match prop {
            None => amount(vec![MASS, VOLUME], "t"),
            Some("ncv") => property(vec![unit_dims("GJ/t"), unit_dims("GJ/Nm3")], "GJ/t"),
            Some("carbon_content") => property(vec![unit_dims("tC/TJ")], "tC/TJ"),
            Some("oxidation") | Some("sulfur") => fraction(),
            Some(_) => return None,
        });
    }
    None
}

/// Every item pattern, for documentation and did-you-mean.
pub fn item_examples(fuels: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = [
        "output",
        "electricity.purchased",
        "electricity.exported",
        "electricity.green",
        "heat.purchased",
        "heat.exported",
        "anode.net_consumption",
        "anode.sulfur",
        "anode.ash",
        "pfc.aem",
        "limestone",
        "carbonate.caco3",
        "carbonate.mgco3",
        "wastewater.cod_removed",
        "wastewater.cod_sludge",
        "wastewater.mcf",
        "biogas.ch4_recovered",
        "discharge.cod",
        "discharge.nh3n",
        "discharge.tn",
        "discharge.tp",
        "fertiliser.n",
        "stack.flow",
        "stack.o2",
        "stack.o2_ref",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for f in fuels {
        v.push(format!("fuel.{f}"));
        for p in ["ncv", "carbon_content", "oxidation", "sulfur"] {
            v.push(format!("fuel.{f}.{p}"));
        }
    }
    for s in Substance::ALL {
        v.push(format!("control.{}.efficiency", s.code()));
        v.push(format!("emission.{}", s.code()));
        v.push(format!("stack.{}.concentration", s.code()));
        v.push(format!("stack.{}.concentration_ref", s.code()));
    }
    v
}
