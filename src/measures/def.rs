//! The TOML schema of `sectors/measures/<sector>.toml` and its compilation
//! into [`Measure`]s (shared with the workbook's `measures` sheet).

use super::{unit_error_text, CostItem, Measure};
use crate::error::{did_you_mean, DataError, Location};
use crate::factors::Confidence;
use crate::graph::SectorLibrary;
use crate::study::{Edit, Sorbent};
use crate::substance::Substance;
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::{parse_decimal, Quantity, Unit};
use rust_decimal::Decimal;
use serde::Deserialize;
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
    pub energy_cost_change: CostDef,
    pub confidence: Spanned<String>,
    pub sources: Vec<String>,
    #[serde(default)]
    pub note: String,
    pub edit: Vec<EditDef>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CostDef {
    pub value: Spanned<String>,
    pub unit: Spanned<String>,
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

pub(crate) fn compile(
    file: MeasuresFile,
    path: &str,
    text: &str,
    sectors: &SectorLibrary,
    errs: &mut Vec<DataError>,
) -> Vec<Measure> {
    let at = |s: std::ops::Range<usize>| Location::line(path, crate::error::line_of(text, s.start));
    let mut out = Vec::new();
    for m in file.measure {
        let here = at(m.id.span());
        let dec = |s: &Spanned<String>, what: &str, errs: &mut Vec<DataError>| {
            parse_decimal(s.get_ref()).unwrap_or_else(|| {
                let v = s.get_ref();
                errs.push(DataError::new(
                    at(s.span()),
                    tr!(
                        "{what} '{v}' is not a decimal number",
                        "{what}“{v}”不是有效的十进制数"
                    ),
                ));
                Decimal::ZERO
            })
        };
        let Ok(sector) = sectors.get(m.sector.get_ref()) else {
            let name = m.sector.get_ref();
            errs.push(DataError::new(
                at(m.sector.span()),
                tr!("unknown sector '{name}'", "未知行业“{name}”"),
            ));
            continue;
        };
        let mut applies_to = Vec::new();
        for t in &m.applies_to {
            match sector.technology(t.get_ref()) {
                Ok(x) => applies_to.push(x.id.clone()),
                Err(e) => errs.push(DataError::new(at(t.span()), e)),
            }
        }
        let max_penetration = dec(&m.max_penetration, "max_penetration", errs);
        if max_penetration < Decimal::ZERO || max_penetration > Decimal::ONE {
            errs.push(DataError::new(
                at(m.max_penetration.span()),
                tr!(
                    "max_penetration must lie between 0 and 1",
                    "max_penetration 须在 0 到 1 之间"
                ),
            ));
        }
        let confidence = Confidence::parse(m.confidence.get_ref()).unwrap_or_else(|| {
            let c = m.confidence.get_ref();
            errs.push(DataError::new(
                at(m.confidence.span()),
                tr!("unknown confidence '{c}'", "未知可信度等级“{c}”"),
            ));
            Confidence::Assumption
        });
        let per_output = |c: &CostDef, errs: &mut Vec<DataError>| -> CostItem {
            let value = dec(&c.value, "cost", errs);
            let unit = Unit::parse(c.unit.get_ref()).unwrap_or_else(|e| {
                errs.push(DataError::new(at(c.unit.span()), unit_error_text(&e)));
                Unit::one()
            });
            let want = Unit::parse("CNY")
                .and_then(|u| u.div(&sector.output_unit))
                .unwrap_or_else(|_| Unit::one());
            let value = match unit.convert(value, &want) {
                Ok(v) => v,
                Err(_) => {
                    let out = &sector.output_unit;
                    errs.push(DataError::new(
                        at(c.unit.span()),
                        tr!(
                            "cost unit '{unit}' must be money per {out} of output (e.g. CNY/{out})",
                            "成本单位“{unit}”须为每 {out} 产品的货币金额（如 CNY/{out}）"
                        ),
                    ));
                    Decimal::ZERO
                }
            };
            if let Some(problem) = super::check::cost_problem(tr!("cost", "成本"), value) {
                errs.push(DataError::new(at(c.value.span()), problem));
            }
            CostItem {
                per_output: value,
                note: c.note.clone(),
            }
        };
        let capex = per_output(&m.capex, errs);
        let om = per_output(&m.om_change, errs);
        let energy = per_output(&m.energy_cost_change, errs);
        if let Some(problem) = super::check::lifetime_problem(Decimal::from(m.lifetime)) {
            errs.push(DataError::new(here.clone(), problem));
        }
        let mut edits = Vec::new();
        for e in &m.edit {
            let eat = at(e.kind.span());
            if let Some(x) = compile_edit(e, sector, &sectors.fuel_ids(), &eat, &dec, errs) {
                match super::check::edit_problem(&x) {
                    Some(problem) => errs.push(DataError::new(eat, problem)),
                    None => edits.push(x),
                }
            }
        }
        out.push(Measure {
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
            confidence,
            sources: m.sources,
            note: m.note,
            edits,
            location: here,
        });
    }
    out
}

type DecFn<'a> = dyn Fn(&Spanned<String>, &str, &mut Vec<DataError>) -> Decimal + 'a;

fn compile_edit(
    e: &EditDef,
    sector: &crate::graph::Sector,
    fuels: &[&str],
    at: &Location,
    dec: &DecFn<'_>,
    errs: &mut Vec<DataError>,
) -> Option<Edit> {
    let need = |what: Text, errs: &mut Vec<DataError>| {
        let kind = e.kind.get_ref();
        errs.push(DataError::new(
            at.clone(),
            Text::new(
                format!("a '{kind}' edit needs '{}'", what.en),
                format!("“{kind}”类修改需要：{}", what.get(Lang::Zh)),
            ),
        ));
    };
    let check_node = |n: &Option<String>, errs: &mut Vec<DataError>| {
        if let Some(n) = n {
            if sector.node(n).is_none() {
                errs.push(
                    DataError::new(at.clone(), tr!("unknown node '{n}'", "未知节点“{n}”"))
                        .with_hint(did_you_mean(n, sector.nodes.iter().map(|x| x.id.as_str()))),
                );
            }
        }
    };
    let check_item = |i: &str, errs: &mut Vec<DataError>| {
        let base = i.strip_suffix('*').map(|p| format!("{p}natural_gas"));
        let probe = base.as_deref().unwrap_or(i);
        if crate::graph::items::item_spec(probe, fuels).is_none() {
            errs.push(DataError::new(
                at.clone(),
                tr!("unknown item '{i}'", "未知项目“{i}”"),
            ));
        }
    };
    check_node(&e.node, errs);
    Some(match e.kind.get_ref().as_str() {
        "scale" => {
            let (Some(item), Some(m)) = (&e.item, &e.multiplier) else {
                need(tr!("item and multiplier", "item 和 multiplier"), errs);
                return None;
            };
            check_item(item, errs);
            Edit::Scale {
                item: item.clone(),
                node: e.node.clone(),
                multiplier: dec(m, "multiplier", errs),
            }
        }
        "switch" => {
            let (Some(from), Some(to), Some(ratio), Some(unit)) =
                (&e.from, &e.to, &e.ratio, &e.unit)
            else {
                need(
                    tr!("from, to, ratio and unit", "from、to、ratio 和 unit"),
                    errs,
                );
                return None;
            };
            check_item(from, errs);
            check_item(to, errs);
            let ratio = Quantity::parse(dec(ratio, "ratio", errs), unit.get_ref())
                .map_err(|x| errs.push(DataError::new(at.clone(), unit_error_text(&x))))
                .ok()?;
            Edit::Switch {
                from: from.clone(),
                to: to.clone(),
                node: e.node.clone(),
                share: e
                    .share
                    .as_ref()
                    .map(|s| dec(s, "share", errs))
                    .unwrap_or(Decimal::ONE),
                ratio,
            }
        }
        "control" => {
            let (Some(sub), Some(eta)) = (&e.substance, &e.efficiency) else {
                need(
                    tr!("substance and efficiency", "substance 和 efficiency"),
                    errs,
                );
                return None;
            };
            let Some(substance) = Substance::parse(sub.get_ref()) else {
                let sub = sub.get_ref();
                errs.push(DataError::new(
                    at.clone(),
                    tr!("unknown substance '{sub}'", "未知物质“{sub}”"),
                ));
                return None;
            };
            let sorbent = match (&e.sorbent, &e.sorbent_factor, &e.sorbent_ratio) {
                (None, None, None) => None,
                (Some(item), Some(factor), Some(ratio)) => {
                    check_item(item, errs);
                    Some(Sorbent {
                        item: item.clone(),
                        factor: factor.clone(),
                        ratio: dec(ratio, "sorbent_ratio", errs),
                    })
                }
                _ => {
                    need(
                        tr!(
                            "sorbent, sorbent_factor and sorbent_ratio together",
                            "sorbent、sorbent_factor 和 sorbent_ratio 三项同时给出"
                        ),
                        errs,
                    );
                    return None;
                }
            };
            Edit::Control {
                substance,
                node: e.node.clone(),
                efficiency: dec(eta, "efficiency", errs),
                sorbent,
            }
        }
        "green_power" => {
            let Some(share) = &e.share else {
                need(tr!("share", "share（份额）"), errs);
                return None;
            };
            Edit::GreenPower {
                share: dec(share, "share", errs),
            }
        }
        "add" => {
            let (Some(item), Some(node), Some(value), Some(unit)) =
                (&e.item, &e.node, &e.value, &e.unit)
            else {
                need(
                    tr!("item, node, value and unit", "item、node、value 和 unit"),
                    errs,
                );
                return None;
            };
            check_item(item, errs);
            let q = Quantity::parse(dec(value, "value", errs), unit.get_ref())
                .map_err(|x| errs.push(DataError::new(at.clone(), unit_error_text(&x))))
                .ok()?;
            Edit::Add {
                item: item.clone(),
                node: node.clone(),
                per_output: q,
            }
        }
        "scale_factor" => {
            let (Some(id), Some(m)) = (&e.id, &e.multiplier) else {
                need(tr!("id and multiplier", "id 和 multiplier"), errs);
                return None;
            };
            Edit::ScaleFactor {
                id: id.clone(),
                multiplier: dec(m, "multiplier", errs),
            }
        }
        "set_factor" => {
            let (Some(id), Some(v)) = (&e.id, &e.value) else {
                need(tr!("id and value", "id 和 value"), errs);
                return None;
            };
            Edit::SetFactor {
                id: id.clone(),
                value: dec(v, "value", errs),
                weight: Decimal::ONE,
            }
        }
        other => {
            errs.push(
                DataError::new(
                    at.clone(),
                    tr!("unknown edit kind '{other}'", "未知修改类型“{other}”"),
                )
                .with_hint(did_you_mean(other, EDIT_KINDS)),
            );
            return None;
        }
    })
}
