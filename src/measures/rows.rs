//! The workbook's `measures` sheet compiled into measures: one row per edit
//! or attribute, in the vocabulary of `sectors/measures/*.toml`, every
//! finding at the row's `field` or `value` cell.

use super::def::EDIT_KINDS;
use super::{check, unit_error_text, CostItem, Measure, MeasureLibrary};
use crate::error::{did_you_mean, DataError, Error};
use crate::factors::{Confidence, FactorLibrary};
use crate::graph::{Sector, SectorLibrary};
use crate::study::{Edit, MeasureRow};
use crate::substance::Substance;
use crate::text::Text;
use crate::tr;
use crate::units::Quantity;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The library's measures plus the study's own.
pub fn all_measures(
    study: &crate::study::Study,
    sectors: &SectorLibrary,
    library: &MeasureLibrary,
    factors: &FactorLibrary,
) -> crate::Result<Vec<Measure>> {
    let mut all = library.measures.clone();
    all.extend(user_measures(study, sectors, factors)?);
    Ok(all)
}

/// The study's own measures (its `measures` sheet), every value and factor id
/// checked.
pub fn user_measures(
    study: &crate::study::Study,
    sectors: &SectorLibrary,
    factors: &FactorLibrary,
) -> crate::Result<Vec<Measure>> {
    let user = from_rows(&study.measure_rows, sectors).map_err(Error::from_findings)?;
    let unknown = check::factor_id_problems(&user, factors);
    if unknown.is_empty() {
        Ok(user)
    } else {
        Err(Error::from_findings(unknown))
    }
}

/// The attribute fields of the sheet, after the edit kinds ([`EDIT_KINDS`]);
/// together they are the vocabulary offered for a misspelt field.
const ATTRIBUTES: [&str; 11] = [
    "max_penetration",
    "lifetime",
    "capex",
    "om_change",
    "energy_cost_change",
    "applies_to",
    "requires_fuel",
    "unless_controlled",
    "requires_measured",
    "name_zh",
    "confidence",
];

/// Compiles the workbook's `measures` sheet (one row per edit or attribute,
/// in the same vocabulary as `sectors/measures/*.toml`) into measures.
/// Defaults where a row is absent: penetration 1, lifetime 15 years, zero
/// costs, confidence `assumption` (it is the user's own measure).
pub fn from_rows(
    rows: &[MeasureRow],
    sectors: &SectorLibrary,
) -> Result<Vec<Measure>, Vec<DataError>> {
    let mut errs = Vec::new();
    let mut out = Vec::new();
    for (id, rows) in grouped(rows) {
        // The measure's sector is read from its first row.
        let first = rows[0];
        let sector = match sectors.get(&first.sector) {
            Ok(s) => s,
            Err(m) => {
                errs.push(DataError::new(first.location.clone(), m));
                continue;
            }
        };
        let mut m = defaults(id, first, sector);
        for r in rows {
            let row = Row { r, sector, sectors };
            // A row naming a process the sector lacks is reported once and
            // not read further: its edit would land nowhere.
            if row.node_is_known(&mut errs) {
                row.apply(&mut m, &mut errs);
            }
        }
        if m.edits.is_empty() {
            let id = &m.id;
            errs.push(DataError::new(
                m.location.clone(),
                tr!(
                    "measure '{id}' has no edits (scale, switch, control, green_power, add, scale_factor, set_factor)",
                    "措施“{id}”没有任何修改项（scale、switch、control、green_power、add、scale_factor、set_factor）"
                ),
            ));
        }
        out.push(m);
    }
    if errs.is_empty() {
        Ok(out)
    } else {
        Err(errs)
    }
}

/// The rows of each measure id, ids in the order they first appear (a
/// measure's rows need not be adjacent in the sheet).
fn grouped(rows: &[MeasureRow]) -> Vec<(&str, Vec<&MeasureRow>)> {
    let mut groups: Vec<(&str, Vec<&MeasureRow>)> = Vec::new();
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for r in rows {
        let at = *index.entry(&r.measure_id).or_insert_with(|| {
            groups.push((&r.measure_id, Vec::new()));
            groups.len() - 1
        });
        groups[at].1.push(r);
    }
    groups
}

/// A user measure before its rows are read: the defaults of the sheet.
fn defaults(id: &str, first: &MeasureRow, sector: &Sector) -> Measure {
    let zero = || CostItem {
        per_output: Decimal::ZERO,
        note: String::new(),
    };
    Measure {
        id: id.to_string(),
        sector: sector.id.clone(),
        name_en: if first.name.is_empty() {
            id.to_string()
        } else {
            first.name.clone()
        },
        name_zh: first.name.clone(),
        applies_to: Vec::new(),
        max_penetration: Decimal::ONE,
        lifetime: 15,
        capex: zero(),
        om_change: zero(),
        energy_cost_change: zero(),
        // A stated energy cost unless the sheet says `prices` (below).
        energy_from_prices: false,
        requires: Default::default(),
        confidence: Confidence::Assumption,
        sources: vec!["user measure (workbook)".into()],
        note: String::new(),
        edits: Vec::new(),
        location: first.location.clone(),
    }
}

/// One row of the sheet in its measure's sector: reads its cells, each
/// finding at the `field` cell (what the row names) or the `value` cell
/// (what it gives).
struct Row<'a> {
    r: &'a MeasureRow,
    sector: &'a Sector,
    sectors: &'a SectorLibrary,
}

impl Row<'_> {
    /// The value column, or a finding that the field needs one.
    fn value(&self, errs: &mut Vec<DataError>) -> Result<Decimal, ()> {
        let field = &self.r.field;
        self.r.value.ok_or_else(|| {
            errs.push(DataError::new(
                self.r.value_location.clone(),
                tr!(
                    "'{field}' needs a number in the value column",
                    "“{field}”需要在 value 列填写数值"
                ),
            ))
        })
    }

    /// The target column, or a finding that the field needs one.
    fn target(&self, errs: &mut Vec<DataError>) -> Result<String, ()> {
        let field = &self.r.field;
        self.r.target.clone().ok_or_else(|| {
            errs.push(DataError::new(
                self.r.location.clone(),
                tr!("'{field}' needs a target", "“{field}”需要填写 target"),
            ))
        })
    }

    /// The value in the unit column (no unit: a plain number).
    fn quantity(&self, errs: &mut Vec<DataError>) -> Option<Quantity> {
        let v = self.value(errs).ok()?;
        let u = self.r.unit.clone().unwrap_or_else(|| "1".into());
        Quantity::parse(v, &u)
            .map_err(|e| {
                errs.push(DataError::new(
                    self.r.value_location.clone(),
                    unit_error_text(&e),
                ))
            })
            .ok()
    }

    /// A cost per unit of the sector's output, range-checked.
    fn cost(&self, errs: &mut Vec<DataError>) -> Option<CostItem> {
        let (r, field) = (self.r, &self.r.field);
        let q = self.quantity(errs)?;
        let want = CostItem::unit_for(self.sector).ok()?;
        match q.value_in(&want) {
            Ok(v) => match check::cost_problem(Text::from(field.as_str()), v) {
                Some(problem) => {
                    errs.push(DataError::new(r.value_location.clone(), problem));
                    None
                }
                None => Some(CostItem {
                    per_output: v,
                    note: r.note.clone(),
                }),
            },
            Err(_) => {
                let out = &self.sector.output_unit;
                errs.push(DataError::new(
                    r.value_location.clone(),
                    tr!(
                        "'{field}' must be money per {out} of output (e.g. CNY/{out})",
                        "“{field}”须为每 {out} 产品的货币金额（如 CNY/{out}）"
                    ),
                ));
                None
            }
        }
    }

    /// False, with a finding, where the row names a process its sector lacks.
    fn node_is_known(&self, errs: &mut Vec<DataError>) -> bool {
        let Some(n) = &self.r.node else { return true };
        if self.sector.node(n).is_some() {
            return true;
        }
        let sector_id = &self.sector.id;
        errs.push(
            DataError::new(
                self.r.location.clone(),
                tr!(
                    "unknown process '{n}' for sector {sector_id}",
                    "行业 {sector_id} 中没有工序“{n}”"
                ),
            )
            .with_hint(did_you_mean(
                n,
                self.sector.nodes.iter().map(|x| x.id.as_str()),
            )),
        );
        false
    }

    /// Reads the row into the measure: an edit (range-checked at the value
    /// cell) or an attribute.
    fn apply(&self, m: &mut Measure, errs: &mut Vec<DataError>) {
        let node = || self.r.node.clone();
        let edit = match self.r.field.as_str() {
            "scale" => match (self.target(errs), self.value(errs)) {
                (Ok(item), Ok(v)) => Some(Edit::Scale {
                    item,
                    node: node(),
                    multiplier: v,
                }),
                _ => None,
            },
            "switch" => self.switch(errs),
            "control" => self.control(errs),
            "green_power" => self.value(errs).ok().map(|v| Edit::GreenPower { share: v }),
            "add" => self.add(errs),
            "scale_factor" => match (self.target(errs), self.value(errs)) {
                (Ok(id), Ok(v)) => Some(Edit::ScaleFactor { id, multiplier: v }),
                _ => None,
            },
            "set_factor" => match (self.target(errs), self.value(errs)) {
                (Ok(id), Ok(v)) => Some(Edit::SetFactor {
                    id,
                    value: v,
                    weight: Decimal::ONE,
                }),
                _ => None,
            },
            _ => {
                self.set_attribute(m, errs);
                return;
            }
        };
        if let Some(edit) = edit {
            check::push_checked(&mut m.edits, errs, &self.r.value_location, edit);
        }
    }

    /// A `switch` row: target `from>to`, the value the ratio in its unit.
    fn switch(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let t = self.target(errs).ok()?;
        let Some((from, to)) = t.split_once('>') else {
            errs.push(DataError::new(
                self.r.location.clone(),
                tr!(
                    "switch target '{t}' must read from>to, e.g. fuel.raw_coal>fuel.natural_gas",
                    "替代目标“{t}”应写为 from>to，如 fuel.raw_coal>fuel.natural_gas"
                ),
            ));
            return None;
        };
        let ratio = self.quantity(errs)?;
        Some(Edit::Switch {
            from: from.trim().into(),
            to: to.trim().into(),
            node: self.r.node.clone(),
            share: Decimal::ONE,
            ratio,
        })
    }

    /// A `control` row: target the substance, the value the efficiency.
    fn control(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let t = self.target(errs).ok()?;
        let Some(substance) = Substance::parse(&t) else {
            errs.push(
                DataError::new(
                    self.r.location.clone(),
                    tr!("unknown substance '{t}'", "未知物质“{t}”"),
                )
                .with_hint(did_you_mean(&t, Substance::codes())),
            );
            return None;
        };
        let v = self.value(errs).ok()?;
        Some(Edit::Control {
            substance,
            node: self.r.node.clone(),
            efficiency: v,
            sorbent: None,
        })
    }

    /// An `add` row: target the item, the value per unit of output; the
    /// sector's default process where the row names none.
    fn add(&self, errs: &mut Vec<DataError>) -> Option<Edit> {
        let (Ok(item), Some(q)) = (self.target(errs), self.quantity(errs)) else {
            return None;
        };
        let node = self
            .r
            .node
            .clone()
            .unwrap_or_else(|| self.sector.default_node.clone());
        Some(Edit::Add {
            item,
            node,
            per_output: q,
        })
    }

    /// An attribute row (penetration, lifetime, costs, applicability, Chinese
    /// name, confidence), or a finding for an unknown field.
    fn set_attribute(&self, m: &mut Measure, errs: &mut Vec<DataError>) {
        let at = &self.r.location;
        match self.r.field.as_str() {
            "max_penetration" => {
                if let Ok(v) = self.value(errs) {
                    if v < Decimal::ZERO || v > Decimal::ONE {
                        errs.push(DataError::new(
                            self.r.value_location.clone(),
                            tr!(
                                "max_penetration must lie between 0 and 1 (0–100 %)",
                                "max_penetration 须在 0 到 1（0–100 %）之间"
                            ),
                        ));
                    }
                    m.max_penetration = v;
                }
            }
            "lifetime" => {
                if let Ok(v) = self.value(errs) {
                    self.set_lifetime(m, v, errs);
                }
            }
            "capex" => m.capex = self.cost(errs).unwrap_or(m.capex.clone()),
            "om_change" => m.om_change = self.cost(errs).unwrap_or(m.om_change.clone()),
            // `prices` in the target column: priced from the energy-price
            // table on each facility's own change, as in the TOML library
            "energy_cost_change" if self.r.value.is_none() && self.priced() => {
                m.energy_from_prices = true
            }
            "energy_cost_change" => {
                m.energy_cost_change = self.cost(errs).unwrap_or(m.energy_cost_change.clone())
            }
            "requires_fuel" => {
                if let Ok(t) = self.target(errs) {
                    self.require_fuel(m, &t, errs);
                }
            }
            "unless_controlled" => {
                if let Ok(t) = self.target(errs) {
                    match crate::substance::Substance::parse(&t) {
                        Some(x) => m.requires.unless_controlled.push(x),
                        None => errs.push(DataError::new(
                            at.clone(),
                            tr!("unknown substance '{t}'", "未知物质“{t}”"),
                        )),
                    }
                }
            }
            "requires_measured" => {
                if let Ok(t) = self.target(errs) {
                    let item = self.sectors.item_by_name(&t).unwrap_or(t);
                    m.requires.measured.push(item);
                }
            }
            "applies_to" => {
                if let Ok(t) = self.target(errs) {
                    match self.sector.technology(&t) {
                        Ok(x) => m.applies_to.push(x.id.clone()),
                        Err(e) => errs.push(DataError::new(at.clone(), e)),
                    }
                }
            }
            "name_zh" => {
                if let Ok(t) = self.target(errs) {
                    m.name_zh = t;
                }
            }
            "confidence" => {
                if let Ok(t) = self.target(errs) {
                    match Confidence::parse(&t) {
                        Some(c) => m.confidence = c,
                        None => errs.push(DataError::new(
                            at.clone(),
                            tr!("unknown confidence '{t}'", "未知可信度等级“{t}”"),
                        )),
                    }
                }
            }
            other => errs.push(
                DataError::new(
                    at.clone(),
                    tr!("unknown measure field '{other}'", "未知措施字段“{other}”"),
                )
                .with_hint(did_you_mean(
                    other,
                    EDIT_KINDS.into_iter().chain(ATTRIBUTES),
                )),
            ),
        }
    }

    /// True when the target column says the energy cost comes from prices.
    fn priced(&self) -> bool {
        self.r.target.as_deref().is_some_and(|t| {
            matches!(
                t.trim().to_lowercase().as_str(),
                "prices" | "price" | "按价格" | "价格表"
            )
        })
    }

    /// A fuel the facility must burn for the measure to apply: a fuel item
    /// (`fuel.raw_coal`) or its name (原煤).
    fn require_fuel(&self, m: &mut Measure, t: &str, errs: &mut Vec<DataError>) {
        let fuels = self.sectors.fuel_ids();
        let code = self
            .sectors
            .item_by_name(t)
            .unwrap_or_else(|| t.to_string());
        // the fuel's own id, for the did-you-mean
        let bare = t.strip_prefix("fuel.").unwrap_or(t);
        match code.strip_prefix("fuel.") {
            Some(x) if fuels.contains(&x) => m.requires.fuel.push(code.clone()),
            _ => errs.push(
                DataError::new(
                    self.r.location.clone(),
                    tr!(
                        "requires_fuel '{t}' is not a fuel item (fuel.<id>)",
                        "requires_fuel“{t}”不是燃料项目（fuel.<id>）"
                    ),
                )
                .with_hint(did_you_mean(bare, fuels.iter().copied())),
            ),
        }
    }

    /// A whole number of years within [`check::lifetime_problem`]'s bounds.
    fn set_lifetime(&self, m: &mut Measure, v: Decimal, errs: &mut Vec<DataError>) {
        use rust_decimal::prelude::ToPrimitive;
        match (check::lifetime_problem(v), v.to_u32()) {
            (None, Some(n)) => m.lifetime = n,
            (problem, _) => errs.push(DataError::new(
                self.r.value_location.clone(),
                problem.unwrap_or_else(|| {
                    tr!(
                        "lifetime {v} is not a number of years",
                        "寿命期 {v} 不是有效的年数"
                    )
                }),
            )),
        }
    }
}
