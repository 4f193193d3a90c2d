//! Two studies side by side: the inventories of study A and study B (last
//! year's and this year's, or measured data against Tier 1 defaults) keyed by
//! facility, process node, source and substance, with the change from A to B
//! of every amount, of each facility's totals and of the totals over all
//! facilities. This module owns the comparison and nothing else: callers
//! choose the inventories (for a workbook, its base year, see
//! `ComputedStudy::base_year_only`), and the adapters write the result.
//!
//! **What is compared.** Only the rows counted in each study's view
//! (`Row::in_view`), the rows that make `Totals::by_substance` and
//! `Totals::co2e`; memo items (biogenic CO2) and what the compliance view
//! leaves out are not compared. CO2e is not recomputed: it is the CO2e rows
//! the engine adds after every GHG row (the study's GWP set), in the view,
//! so a facility's CO2e here equals its `Totals::co2e` (and not
//! `Inventory::total("CO2e")`, which also adds the rows outside the view).
//! Amounts are exact decimals; only the percentage is rounded (2 dp).

use super::Inventory;
use crate::error::{Error, Result};
use crate::text::Text;
use crate::tr;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// An amount in both studies and its change (t; written as the other
/// exports write decimals).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Amounts {
    /// in study A; `None` where study A has none
    #[serde(serialize_with = "crate::units::ser_written_opt")]
    pub a: Option<Decimal>,
    /// in study B; `None` where study B has none
    #[serde(serialize_with = "crate::units::ser_written_opt")]
    pub b: Option<Decimal>,
    /// b − a, an absent side counting 0
    #[serde(serialize_with = "crate::units::ser_written")]
    pub change: Decimal,
    /// change / a × 100, rounded to 2 dp (half away from zero); `None`
    /// where a is absent or zero
    #[serde(serialize_with = "crate::units::ser_written_opt")]
    pub change_pct: Option<Decimal>,
}

/// One source's amount of one substance at one facility, in both studies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CompareRow {
    pub facility_id: String,
    /// The name in study A, else in study B.
    pub facility_name: String,
    /// The sector in study A, else in study B.
    pub sector: String,
    pub node: String,
    pub source: String,
    /// substance code, or `CO2e`
    pub substance: String,
    pub unit: String,
    #[serde(flatten)]
    pub amounts: Amounts,
    /// The facility's year in study A (`None`: not in study A).
    pub a_year: Option<i32>,
    /// The facility's year in study B (`None`: not in study B).
    pub b_year: Option<i32>,
}

/// One facility's total of one substance, in both studies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacilityTotal {
    pub facility_id: String,
    pub facility_name: String,
    pub sector: String,
    pub substance: String,
    pub unit: String,
    #[serde(flatten)]
    pub amounts: Amounts,
    pub a_year: Option<i32>,
    pub b_year: Option<i32>,
}

/// One substance over all facilities, in both studies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SubstanceTotal {
    pub substance: String,
    pub unit: String,
    #[serde(flatten)]
    pub amounts: Amounts,
}

/// Study A against study B. Every list is sorted: rows by facility id, node,
/// source and substance; facility totals by facility id and substance;
/// totals by substance.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Comparison {
    pub rows: Vec<CompareRow>,
    pub facility_totals: Vec<FacilityTotal>,
    pub totals: Vec<SubstanceTotal>,
    /// Where the two studies' CO2e or scope 2 figures rest on different
    /// settings (GWP set, view, grid factor), so part of a change is the
    /// change of setting. For the terminal; not serialised.
    #[serde(skip)]
    pub notes: Vec<Text>,
}

/// A facility as one study has it.
#[derive(Debug, Clone)]
struct Facility {
    name: String,
    sector: String,
    year: i32,
}

/// One study reduced to amounts: facilities, and t per key
/// (facility, node, source, substance) with the unit.
#[derive(Default)]
struct Side {
    facilities: BTreeMap<String, Facility>,
    amounts: BTreeMap<Key, (Decimal, String)>,
}

type Key = (String, String, String, String);

/// `what`'s sum or difference is out of range: an error, never a panic.
fn out_of_range(what: &str) -> Error {
    Error::request(tr!(
        "comparing the studies: {what} is out of range (larger than about 7.9e28)",
        "比较两项研究：{what} 超出数值范围（大于约 7.9e28）"
    ))
}

fn add(sum: &mut Decimal, x: Decimal, what: impl FnOnce() -> String) -> Result<()> {
    *sum = sum.checked_add(x).ok_or_else(|| out_of_range(&what()))?;
    Ok(())
}

impl Side {
    /// Each facility's inventory of its latest year on this side (a study's
    /// base year holds one per facility; a caller passing several years gets
    /// the latest, never a sum of years), its rows in the view summed per key.
    fn of(inventories: &[Inventory]) -> Result<Side> {
        let mut latest: BTreeMap<&str, i32> = BTreeMap::new();
        for inv in inventories {
            let y = latest.entry(inv.facility_id.as_str()).or_insert(inv.year);
            *y = (*y).max(inv.year);
        }
        let mut side = Side::default();
        for inv in inventories {
            if latest.get(inv.facility_id.as_str()) != Some(&inv.year) {
                continue;
            }
            side.facilities
                .entry(inv.facility_id.clone())
                .or_insert_with(|| Facility {
                    name: inv.name.clone(),
                    sector: inv.sector.clone(),
                    year: inv.year,
                });
            for r in inv.rows.iter().filter(|r| r.in_view) {
                let key = (
                    inv.facility_id.clone(),
                    r.node.clone(),
                    r.source.clone(),
                    r.substance.clone(),
                );
                let (sum, _) = side
                    .amounts
                    .entry(key)
                    .or_insert_with(|| (Decimal::ZERO, r.unit.clone()));
                add(sum, r.amount, || {
                    format!(
                        "{} of {} at {} {}",
                        r.substance, r.source, inv.facility_id, inv.year
                    )
                })?;
            }
        }
        Ok(side)
    }
}

/// The amounts a and b with b − a (absent = 0) and change / a × 100 to
/// 2 dp (`None` where a is absent or zero).
fn delta(a: Option<Decimal>, b: Option<Decimal>, what: impl Fn() -> String) -> Result<Amounts> {
    let change = b
        .unwrap_or_default()
        .checked_sub(a.unwrap_or_default())
        .ok_or_else(|| out_of_range(&format!("the change of {}", what())))?;
    let change_pct = match a.filter(|a| !a.is_zero()) {
        None => None,
        Some(a) => Some(
            change
                .checked_div(a)
                .and_then(|r| r.checked_mul(Decimal::ONE_HUNDRED))
                .ok_or_else(|| out_of_range(&format!("the change in % of {}", what())))?
                .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        ),
    };
    Ok(Amounts {
        a,
        b,
        change,
        change_pct,
    })
}

/// Sums of (a, b) per group with the unit of the group's first row.
type Sums<K> = BTreeMap<K, (Option<Decimal>, Option<Decimal>, String)>;

fn add_to<K: Ord>(
    sums: &mut Sums<K>,
    key: K,
    (a, b): (Option<Decimal>, Option<Decimal>),
    unit: &str,
    what: impl Fn() -> String,
) -> Result<()> {
    let (sa, sb, _) = sums
        .entry(key)
        .or_insert_with(|| (None, None, unit.to_string()));
    for (sum, x) in [(sa, a), (sb, b)] {
        if let Some(x) = x {
            add(sum.get_or_insert(Decimal::ZERO), x, &what)?;
        }
    }
    Ok(())
}

/// Compares study A with study B: each side is the inventories of one study
/// (for a workbook, its base year; where a side holds several years of a
/// facility, the latest is used). Rows are keyed by (facility id, node,
/// source, substance), never by year, since the studies may be of different
/// years; a key on one side only has `None` on the other. Only rows counted
/// in each study's view are compared (see the module documentation). An
/// error only where a sum leaves the range of a `Decimal`.
pub fn compare(a: &[Inventory], b: &[Inventory]) -> Result<Comparison> {
    let (sa, sb) = (Side::of(a)?, Side::of(b)?);
    let keys: BTreeSet<&Key> = sa.amounts.keys().chain(sb.amounts.keys()).collect();
    let mut rows = Vec::with_capacity(keys.len());
    let mut by_facility: Sums<(String, String)> = BTreeMap::new();
    let mut by_substance: Sums<String> = BTreeMap::new();
    for key in keys {
        let (fid, node, source, substance) = key;
        let (ra, rb) = (sa.amounts.get(key), sb.amounts.get(key));
        let unit = ra.or(rb).map(|(_, u)| u.clone()).unwrap_or_default();
        let (va, vb) = (ra.map(|(v, _)| *v), rb.map(|(v, _)| *v));
        let what = || format!("{substance} of {source} at {fid}");
        let amounts = delta(va, vb, what)?;
        let (fa, fb) = (sa.facilities.get(fid), sb.facilities.get(fid));
        let facility = fa.or(fb);
        add_to(
            &mut by_facility,
            (fid.clone(), substance.clone()),
            (va, vb),
            &unit,
            || format!("the total {substance} of {fid}"),
        )?;
        add_to(
            &mut by_substance,
            substance.clone(),
            (va, vb),
            &unit,
            || format!("the total {substance}"),
        )?;
        rows.push(CompareRow {
            facility_id: fid.clone(),
            facility_name: facility.map(|f| f.name.clone()).unwrap_or_default(),
            sector: facility.map(|f| f.sector.clone()).unwrap_or_default(),
            node: node.clone(),
            source: source.clone(),
            substance: substance.clone(),
            unit,
            amounts,
            a_year: fa.map(|f| f.year),
            b_year: fb.map(|f| f.year),
        });
    }
    let mut facility_totals = Vec::with_capacity(by_facility.len());
    for ((fid, substance), (va, vb, unit)) in by_facility {
        let amounts = delta(va, vb, || format!("the total {substance} of {fid}"))?;
        let (fa, fb) = (sa.facilities.get(&fid), sb.facilities.get(&fid));
        let facility = fa.or(fb);
        facility_totals.push(FacilityTotal {
            facility_name: facility.map(|f| f.name.clone()).unwrap_or_default(),
            sector: facility.map(|f| f.sector.clone()).unwrap_or_default(),
            facility_id: fid,
            substance,
            unit,
            amounts,
            a_year: fa.map(|f| f.year),
            b_year: fb.map(|f| f.year),
        });
    }
    let mut totals = Vec::with_capacity(by_substance.len());
    for (substance, (va, vb, unit)) in by_substance {
        let amounts = delta(va, vb, || format!("the total {substance}"))?;
        totals.push(SubstanceTotal {
            substance,
            unit,
            amounts,
        });
    }
    Ok(Comparison {
        rows,
        facility_totals,
        totals,
        notes: setting_notes(a, b),
    })
}

/// The settings behind CO2e and scope 2 where the two studies differ.
fn setting_notes(a: &[Inventory], b: &[Inventory]) -> Vec<Text> {
    let set = |invs: &[Inventory], f: &dyn Fn(&Inventory) -> String| {
        invs.iter().map(f).collect::<BTreeSet<String>>()
    };
    let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(", ");
    let mut notes = Vec::new();
    let gwp = |i: &Inventory| i.gwp.key().to_uppercase();
    let (ga, gb) = (set(a, &gwp), set(b, &gwp));
    if !a.is_empty() && !b.is_empty() && ga != gb {
        let (ga, gb) = (list(&ga), list(&gb));
        notes.push(tr!(
            "the studies use different GWP sets (A: {ga}; B: {gb}): the changes of CO2e include the change of set",
            "两项研究采用不同的 GWP 值（A：{ga}；B：{gb}）：CO2e 的变化包含 GWP 取值的变化"
        ));
    }
    let view = |i: &Inventory| format!("{:?}", i.view).to_lowercase();
    let (va, vb) = (set(a, &view), set(b, &view));
    if !a.is_empty() && !b.is_empty() && va != vb {
        let (va, vb) = (list(&va), list(&vb));
        notes.push(tr!(
            "the studies count different views (A: {va}; B: {vb}): a row counted in one view only appears on one side",
            "两项研究的核算口径不同（A：{va}；B：{vb}）：只在一种口径中计入的行只出现在一侧"
        ));
    }
    let grid = |i: &Inventory| i.grid_factor.clone();
    let (ra, rb) = (set(a, &grid), set(b, &grid));
    if !a.is_empty() && !b.is_empty() && ra != rb {
        let (ra, rb) = (list(&ra), list(&rb));
        notes.push(tr!(
            "the grid factors differ (A: {ra}; B: {rb}): the changes of purchased electricity's CO2 include the change of factor",
            "电网排放因子不同（A：{ra}；B：{rb}）：外购电力 CO2 的变化包含因子的变化"
        ));
    }
    notes
}
