//! A measure's energy cost from the energy-price table (`factors/energy-prices`):
//! Σ over the energy items the engine says the measure changes at a facility
//! of (quantity with the measure − quantity without) × price. A price is
//! looked up as `price.<sector>.<item>` (power for smelters) and then as
//! `price.<item>`; an energy item that changes without a price is an error,
//! never a silent zero.

use super::Measure;
use crate::accounting::Inventory;
use crate::error::{DataError, Error};
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::tr;
use crate::units::Unit;
use rust_decimal::Decimal;
use std::collections::BTreeSet;

/// The price of `item` in CNY per the item's canonical unit, with its factor id.
pub fn price_of(
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    sector: &str,
    item: &str,
) -> Option<(Decimal, String)> {
    let f = lib
        .find(&format!("price.{sector}.{item}"))
        .or_else(|| lib.find(&format!("price.{item}")))?;
    let per = canonical_unit(sectors, item)?;
    let want = Unit::parse("CNY").ok()?.div(&per).ok()?;
    let v = f.unit.convert(f.value, &want).ok()?;
    Some((v, f.id.clone()))
}

/// The unit the engine keeps an energy item in: a fuel's own unit (t or
/// 10^4 Nm3), MWh of power, GJ of heat.
fn canonical_unit(sectors: &SectorLibrary, item: &str) -> Option<Unit> {
    let u = if let Some(fuel) = item.strip_prefix("fuel.") {
        sectors.fuel(fuel)?.unit.clone()
    } else if item.starts_with("electricity.") {
        "MWh".to_string()
    } else if item.starts_with("heat.") {
        "GJ".to_string()
    } else {
        return None;
    };
    Unit::parse(&u).ok()
}

/// The change in energy cost (CNY per year) of `with` against `base` at one
/// facility-year, priced for `m` (its sector's prices, its location in errors).
pub fn energy_cost(
    m: &Measure,
    lib: &FactorLibrary,
    sectors: &SectorLibrary,
    base: &Inventory,
    with: &Inventory,
) -> crate::Result<Decimal> {
    let (a, b) = (&base.totals.energy_use, &with.totals.energy_use);
    let items: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    let mut cost = Decimal::ZERO;
    for item in items {
        let before = a.get(item).copied().unwrap_or_default();
        let after = b.get(item).copied().unwrap_or_default();
        let id = &m.id;
        let out_of_range = || {
            super::out_of_range(
                m.location.clone(),
                tr!(
                    "measure '{id}': the energy cost of '{item}'",
                    "措施“{id}”：“{item}”的能源成本"
                ),
            )
        };
        let delta = after.checked_sub(before).ok_or_else(out_of_range)?;
        if delta.is_zero() {
            continue;
        }
        let Some((price, _)) = price_of(lib, sectors, &m.sector, item) else {
            let sector = &m.sector;
            return Err(Error::Data(DataError::new(
                m.location.clone(),
                tr!(
                    "measure '{id}' is priced from the energy-price table, but it changes '{item}' and no price.{sector}.{item} or price.{item} is there (factors/energy-prices)",
                    "措施“{id}”的能源成本按能源价格表计算，但它改变了“{item}”，而表中（factors/energy-prices）没有 price.{sector}.{item} 或 price.{item}"
                ),
            )));
        };
        cost = delta
            .checked_mul(price)
            .and_then(|c| c.checked_add(cost))
            .ok_or_else(out_of_range)?;
    }
    Ok(cost)
}
