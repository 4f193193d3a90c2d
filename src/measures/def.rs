//! The TOML schema of `sectors/measures/<sector>.toml` and its compilation
//! into [`Measure`]s, every finding at the line of the value it is about.
//! The workbook's `measures` sheet has its own reader (`rows`) with the same
//! edit vocabulary and the same range checks (`check`).

use super::{check, unit_error_text, CostItem, Measure};
use crate::error::{did_you_mean, DataError, Location};
use crate::factors::Confidence;
use crate::graph::{Sector, SectorLibrary};
use crate::study::{Edit, Sorbent};
use crate::substance::Substance;
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{parse_decimal, Quantity, Unit};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::ops::Range;
use toml::Spanned;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeasuresFile {
    pub measure: Vec<MeasureDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MeasureDef {
    pub id: Spanned<String>,
    pub sector: Spanned<String>,
    pub name_en: String,
    pub name_zh: String,
    #[serde(default)]
    pub applies_to: Vec<Spanned<String>>,
    pub max_penetration: Spanned<String>,
    pub lifetime: u32,
    pub capex: CostDef,
    pub om_change: CostDef,
    /// a stated cost, or `{ from = "prices" }`: priced at each facility
    pub energy_cost_change: CostDef,
    /// fuel items of which the facility must burn one (empty: any)
    #[serde(default)]
    pub requires_fuel: Vec<Spanned<String>>,
    /// substances whose reported control at least as good as the measure's
    /// own makes it not applicable
    #[serde(default)]
    pub unless_controlled: Vec<Spanned<String>>,
    /// items the facility must report for the saving to show
    #[serde(default)]
    pub requires_measured: Vec<String>,
    pub confidence: Spanned<String>,
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub edit: Vec<EditDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CostDef {
    #[serde(default)]
    pub value: Option<Spanned<String>>,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    /// `prices`: the energy cost comes from the energy-price table
    #[serde(default)]
    pub from: Option<Spanned<String>>,
    #[serde(default)]
    pub note: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EditDef {
    pub kind: Spanned<String>,
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub node: Option<String>,
    #[serde(default)]
    pub multiplier: Option<Spanned<String>>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
    #[serde(default)]
    pub share: Option<Spanned<String>>,
    #[serde(default)]
    pub ratio: Option<Spanned<String>>,
    #[serde(default)]
    pub unit: Option<Spanned<String>>,
    #[serde(default)]
    pub substance: Option<Spanned<String>>,
    #[serde(default)]
    pub efficiency: Option<Spanned<String>>,
    #[serde(default)]
    pub value: Option<Spanned<String>>,
    #[serde(default)]
    pub id: Option<String>,
    /// A control's reagent, used in proportion to what it removes.
    #[serde(default)]
    pub sorbent: Option<String>,
    /// The factor id of the reagent's stoichiometric mass ratio.
    #[serde(default)]
    pub sorbent_factor: Option<String>,
    /// The reagent's molar feed ratio (Ca/S).
    #[serde(default)]
    pub sorbent_ratio: Option<Spanned<String>>,
    /// Why the edit holds (documentation in the file; not used in arithmetic).
    #[serde(default)]
    #[allow(dead_code)]
    pub note: String,
}

/// Edit kinds of the vocabulary, for did-you-mean.
pub const EDIT_KINDS: [&str; 7] = [
    "scale",
    "switch",
    "control",
    "green_power",
    "add",
    "scale_factor",
    "set_factor",
];

/// Compiles a parsed measures file; findings go to `errs`, and a measure
/// whose sector is unknown is left out.
pub(crate) fn compile(
    file: MeasuresFile,
    path: &str,
    text: &str,
    sectors: &SectorLibrary,
    errs: &mut Vec<DataError>,
) -> Vec<Measure> {
    let src = Source { path, text };
    file.measure
        .into_iter()
        .filter_map(|m| compile_measure(m, &src, sectors, errs))
        .collect()
}

/// The file being compiled: turns spans into line locations and reads the
/// decimals, which the TOML holds as strings so that no digit is lost.
struct Source<'a> {
    path: &'a str,
    text: &'a str,
}

impl Source<'_> {
    fn at(&self, s: Range<usize>) -> Location {
        Location::line(self.path, crate::error::line_of(self.text, s.start))
    }

    /// The decimal in `s`, or zero and a finding naming it `what`.
    fn dec(&self, s: &Spanned<String>, what: &str, errs: &mut Vec<DataError>) -> Decimal {
        parse_decimal(s.get_ref()).unwrap_or_else(|| {
            let v = s.get_ref();
            errs.push(DataError::new(
                self.at(s.span()),
                tr!(
                    "{what} '{v}' is not a decimal number",
                    "{what}“{v}”不是有效的十进制数"
                ),
            ));
            Decimal::ZERO
        })
    }
}

/// One `[[measure]]`: its sector, applicability, penetration, confidence,
/// costs, lifetime and edits, in that order of findings.
fn compile_measure(
    m: MeasureDef,
    src: &Source<'_>,
    sectors: &SectorLibrary,
    errs: &mut Vec<DataError>,
) -> Option<Measure> {
    let here = src.at(m.id.span());
    let Ok(sector) = sectors.get(m.sector.get_ref()) else {
        let name = m.sector.get_ref();
        errs.push(DataError::new(
            src.at(m.sector.span()),
            tr!("unknown sector '{name}'", "未知行业“{name}”"),
        ));
        return None;
    };
    let mut applies_to = Vec::new();
    for t in &m.applies_to {
        match sector.technology(t.get_ref()) {
            Ok(x) => applies_to.push(x.id.clone()),
            Err(e) => errs.push(DataError::new(src.at(t.span()), e)),
        }
    }
    let max_penetration = src.dec(&m.max_penetration, "max_penetration", errs);
    if max_penetration < Decimal::ZERO || max_penetration > Decimal::ONE {
        errs.push(DataError::new(
            src.at(m.max_penetration.span()),
            tr!(
                "max_penetration must lie between 0 and 1",
                "max_penetration 须在 0 到 1 之间"
            ),
        ));
    }
    let confidence = Confidence::parse(m.confidence.get_ref()).unwrap_or_else(|| {
        let c = m.confidence.get_ref();
        errs.push(DataError::new(
            src.at(m.confidence.span()),
            tr!("unknown confidence '{c}'", "未知可信度等级“{c}”"),
        ));
        Confidence::Assumption
    });
    let capex = cost(&m.capex, sector, src, &here, errs);
    let om = cost(&m.om_change, sector, src, &here, errs);
    let energy_from_prices = priced(&m.energy_cost_change, src, errs);
    let energy = if energy_from_prices {
        CostItem {
            per_output: Decimal::ZERO,
            note: m.energy_cost_change.note.clone(),
        }
    } else {
        cost(&m.energy_cost_change, sector, src, &here, errs)
    };
    let requires = requires(&m, sectors, src, errs);
    if let Some(problem) = check::lifetime_problem(Decimal::from(m.lifetime)) {
        errs.push(DataError::new(here.clone(), problem));
    }
    let fuels = sectors.fuel_ids();
    let mut edits = Vec::new();
    for e in &m.edit {
        let at = src.at(e.kind.span());
        let cx = EditCx {
            e,
            sector,
            fuels: &fuels,
            at: &at,
            src,
        };
        if let Some(x) = cx.compile(errs) {
            check::push_checked(&mut edits, errs, &at, x);
        }
    }
    Some(Measure {
        id: m.id.get_ref().clone(),
        sector: sector.id.clone(),
        name_en: m.name_en,
        name_zh: m.name_zh,
        applies_to,
        max_penetration,
        lifetime: m.lifetime,
        capex,
        om_change: om,
        energy_cost_change: energy,
        energy_from_prices,
        requires,
        confidence,
        sources: m.sources,
        note: m.note,
        edits,
        location: here,
    })
}

/// True for `{ from = "prices" }`; any other `from`, or `from` with a
/// stated value, is a finding.
fn priced(c: &CostDef, src: &Source<'_>, errs: &mut Vec<DataError>) -> bool {
    let Some(from) = &c.from else {
        return false;
    };
    let f = from.get_ref();
    if f != "prices" {
        errs.push(DataError::new(
            src.at(from.span()),
            tr!(
                "energy_cost_change from '{f}': the only source is 'prices' (the energy-price table)",
                "energy_cost_change 的来源“{f}”无效：只能为“prices”（能源价格表）"
            ),
        ));
        return false;
    }
    if c.value.is_some() {
        errs.push(DataError::new(
            src.at(from.span()),
            tr!(
                "an energy cost from prices has no stated value: remove 'value' and 'unit'",
                "按能源价格计算的能源成本不应另给数值：请删除“value”和“unit”"
            ),
        ));
    }
    true
}

/// The applicability needs: fuels and substances checked against the vocabulary.
fn requires(
    m: &MeasureDef,
    sectors: &SectorLibrary,
    src: &Source<'_>,
    errs: &mut Vec<DataError>,
) -> super::Requires {
    let fuels = sectors.fuel_ids();
    let mut out = super::Requires {
        measured: m.requires_measured.clone(),
        ..Default::default()
    };
    for f in &m.requires_fuel {
        let id = f.get_ref();
        match id.strip_prefix("fuel.") {
            Some(x) if fuels.contains(&x) => out.fuel.push(id.clone()),
            _ => errs.push(DataError::new(
                src.at(f.span()),
                tr!(
                    "requires_fuel '{id}' is not a fuel item (fuel.<id>)",
                    "requires_fuel“{id}”不是燃料项目（fuel.<id>）"
                ),
            )),
        }
    }
    for s in &m.unless_controlled {
        match Substance::parse(s.get_ref()) {
            Some(x) => out.unless_controlled.push(x),
            None => {
                let sub = s.get_ref();
                errs.push(DataError::new(
                    src.at(s.span()),
                    tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
                ));
            }
        }
    }
    out
}

/// A cost converted to CNY per unit of the sector's output and range-checked.
fn cost(
    c: &CostDef,
    sector: &Sector,
    src: &Source<'_>,
    here: &Location,
    errs: &mut Vec<DataError>,
) -> CostItem {
    let (Some(value), Some(unit)) = (&c.value, &c.unit) else {
        errs.push(DataError::new(
            here.clone(),
            tr!(
                "a cost needs 'value' and 'unit'",
                "成本须给出“value”和“unit”"
            ),
        ));
        return CostItem {
            per_output: Decimal::ZERO,
            note: c.note.clone(),
        };
    };
    let value = src.dec(value, "cost", errs);
    let unit_text = unit;
    let unit = Unit::parse(unit_text.get_ref()).unwrap_or_else(|e| {
        errs.push(DataError::new(
            src.at(unit_text.span()),
            unit_error_text(&e),
        ));
        Unit::one()
    });
    let want = CostItem::unit_for(sector).unwrap_or_else(|_| Unit::one());
    let value = match unit.convert(value, &want) {
        Ok(v) => v,
        Err(_) => {
            let out = &sector.output_unit;
            errs.push(DataError::new(
                src.at(unit_text.span()),
                tr!(
                    "cost unit '{unit}' must be money per {out} of output (e.g. CNY/{out})",
                    "成本单位“{unit}”须为每 {out} 产品的货币金额（如 CNY/{out}）"
                ),
            ));
            Decimal::ZERO
        }
    };
    if let Some(problem) = check::cost_problem(tr!("cost", "成本"), value) {
        errs.push(DataError::new(src.at(value_span(c)), problem));
    }
    CostItem {
        per_output: value,
        note: c.note.clone(),
    }
}

/// One `[[measure.edit]]` being compiled: every finding is at its `kind`
/// line; a missing field or an unknown substance or kind drops the edit,
/// an unknown node or item is reported and the edit kept.
struct EditCx<'a> {
    e: &'a EditDef,
    sector: &'a Sector,
    fuels: &'a [&'a str],
    at: &'a Location,
    src: &'a Source<'a>,
}

impl EditCx<'_> {
    fn compile(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        self.check_node(errs);
        match self.e.kind.get_ref().as_str() {
            "scale" => self.scale(errs),
            "switch" => self.switch(errs),
            "control" => self.control(errs),
            "green_power" => self.green_power(errs),
            "add" => self.add(errs),
            "scale_factor" => self.scale_factor(errs),
            "set_factor" => self.set_factor(errs),
            other => {
                errs.push(
                    DataError::new(
                        self.at.clone(),
                        tr!("unknown edit kind '{other}'", "未知修改类型“{other}”"),
                    )
                    .with_hint(did_you_mean(other, EDIT_KINDS)),
                );
                None
            }
        }
    }

    fn dec(&self, s: &Spanned<String>, what: &str, errs: &mut Vec<DataError>) -> Decimal {
        self.src.dec(s, what, errs)
    }

    /// A finding that this kind of edit needs `what`; the edit is dropped.
    fn need(&self, what: Text, errs: &mut Vec<DataError>) -> Option<Edit> {
        let kind = self.e.kind.get_ref();
        errs.push(DataError::new(
            self.at.clone(),
            Text::new(
                format!("a '{kind}' edit needs '{}'", what.en),
                format!("“{kind}”类修改需要：{}", what.get(Lang::Zh)),
            ),
        ));
        None
    }

    fn check_node(&self, errs: &mut Vec<DataError>) {
        let Some(n) = &self.e.node else { return };
        if self.sector.node(n).is_none() {
            errs.push(
                DataError::new(self.at.clone(), tr!("unknown node '{n}'", "未知节点“{n}”"))
                    .with_hint(did_you_mean(
                        n,
                        self.sector.nodes.iter().map(|x| x.id.as_str()),
                    )),
            );
        }
    }

    /// An item id of the vocabulary; `prefix*` stands for a family of items
    /// and is probed with one of them.
    fn check_item(&self, i: &str, errs: &mut Vec<DataError>) {
        let base = i.strip_suffix('*').map(|p| format!("{p}natural_gas"));
        let probe = base.as_deref().unwrap_or(i);
        if crate::graph::items::item_spec(probe, self.fuels).is_none() {
            errs.push(DataError::new(
                self.at.clone(),
                tr!("unknown item '{i}'", "未知项目“{i}”"),
            ));
        }
    }

    /// The decimal `value` (named `what`) in `unit`.
    fn quantity(
        &self,
        value: &Spanned<String>,
        what: &str,
        unit: &Spanned<String>,
        errs: &mut Vec<DataError>,
    ) -> Option<Quantity> {
        Quantity::parse(self.dec(value, what, errs), unit.get_ref())
            .map_err(|x| errs.push(DataError::new(self.at.clone(), unit_error_text(&x))))
            .ok()
    }

    fn scale(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let e = self.e;
        let (Some(item), Some(m)) = (&e.item, &e.multiplier) else {
            return self.need(tr!("item and multiplier", "item 和 multiplier"), errs);
        };
        self.check_item(item, errs);
        Some(Edit::Scale {
            item: item.clone(),
            node: e.node.clone(),
            multiplier: self.dec(m, "multiplier", errs),
        })
    }

    fn switch(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let e = self.e;
        let (Some(from), Some(to), Some(ratio), Some(unit)) = (&e.from, &e.to, &e.ratio, &e.unit)
        else {
            return self.need(
                tr!("from, to, ratio and unit", "from、to、ratio 和 unit"),
                errs,
            );
        };
        self.check_item(from, errs);
        self.check_item(to, errs);
        let ratio = self.quantity(ratio, "ratio", unit, errs)?;
        Some(Edit::Switch {
            from: from.clone(),
            to: to.clone(),
            node: e.node.clone(),
            share: e
                .share
                .as_ref()
                .map(|s| self.dec(s, "share", errs))
                .unwrap_or(Decimal::ONE),
            ratio,
        })
    }

    fn control(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let e = self.e;
        let (Some(sub), Some(eta)) = (&e.substance, &e.efficiency) else {
            return self.need(
                tr!("substance and efficiency", "substance 和 efficiency"),
                errs,
            );
        };
        let Some(substance) = Substance::parse(sub.get_ref()) else {
            let sub = sub.get_ref();
            errs.push(DataError::new(
                self.at.clone(),
                tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
            ));
            return None;
        };
        let sorbent = self.sorbent(errs).ok()?;
        Some(Edit::Control {
            substance,
            node: e.node.clone(),
            efficiency: self.dec(eta, "efficiency", errs),
            sorbent,
        })
    }

    /// A control's reagent: all three of sorbent, sorbent_factor and
    /// sorbent_ratio, or none; a part of them drops the edit.
    fn sorbent(&self, errs: &mut Vec<DataError>) -> Result<Option<Sorbent>, ()> {
        let e = self.e;
        match (&e.sorbent, &e.sorbent_factor, &e.sorbent_ratio) {
            (None, None, None) => Ok(None),
            (Some(item), Some(factor), Some(ratio)) => {
                self.check_item(item, errs);
                Ok(Some(Sorbent {
                    item: item.clone(),
                    factor: factor.clone(),
                    ratio: self.dec(ratio, "sorbent_ratio", errs),
                }))
            }
            _ => {
                self.need(
                    tr!(
                        "sorbent, sorbent_factor and sorbent_ratio together",
                        "sorbent、sorbent_factor 和 sorbent_ratio 三项同时给出"
                    ),
                    errs,
                );
                Err(())
            }
        }
    }

    fn green_power(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let Some(share) = &self.e.share else {
            return self.need(tr!("share", "share（份额）"), errs);
        };
        Some(Edit::GreenPower {
            share: self.dec(share, "share", errs),
        })
    }

    fn add(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let e = self.e;
        let (Some(item), Some(node), Some(value), Some(unit)) =
            (&e.item, &e.node, &e.value, &e.unit)
        else {
            return self.need(
                tr!("item, node, value and unit", "item、node、value 和 unit"),
                errs,
            );
        };
        self.check_item(item, errs);
        let q = self.quantity(value, "value", unit, errs)?;
        Some(Edit::Add {
            item: item.clone(),
            node: node.clone(),
            per_output: q,
        })
    }

    fn scale_factor(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let (Some(id), Some(m)) = (&self.e.id, &self.e.multiplier) else {
            return self.need(tr!("id and multiplier", "id 和 multiplier"), errs);
        };
        Some(Edit::ScaleFactor {
            id: id.clone(),
            multiplier: self.dec(m, "multiplier", errs),
        })
    }

    fn set_factor(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let (Some(id), Some(v)) = (&self.e.id, &self.e.value) else {
            return self.need(tr!("id and value", "id 和 value"), errs);
        };
        Some(Edit::SetFactor {
            id: id.clone(),
            value: self.dec(v, "value", errs),
            weight: Decimal::ONE,
        })
    }
}

/// Where a cost's value is written (it is there once `cost` reads it).
fn value_span(c: &CostDef) -> Range<usize> {
    c.value.as_ref().map(|v| v.span()).unwrap_or(0..0)
}
