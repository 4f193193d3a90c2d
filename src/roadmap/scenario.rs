//! What a compiled roadmap holds: scenarios (growth, output indices, caps,
//! the grid-factor trajectory, measure deployments), targets, the inert
//! measure–facility pairs; and how a scenario projects one facility-year and
//! the study settings to a later year.

use super::scurve::SCurve;
use super::Scope;
use crate::accounting::inventory_with_edits;
use crate::error::Location;
use crate::factors::FactorLibrary;
use crate::graph::items::{item_spec, split_node, ItemKind};
use crate::graph::SectorLibrary;
use crate::measures::Measure;
use crate::study::{FacilityYear, GridFactor, Settings, Study};
use crate::units::{Quantity, Unit};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// How a measure is deployed over the years.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Deployment {
    /// Penetration given per year, linear in between, held after the last.
    Explicit {
        #[serde(serialize_with = "ser_points")]
        points: BTreeMap<i32, Decimal>,
    },
    /// A logistic S-curve through two anchors.
    SCurve(SCurve),
}

fn ser_points<S: serde::Serializer>(
    p: &BTreeMap<i32, Decimal>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(p.len()))?;
    for (k, v) in p {
        m.serialize_entry(k, &v.to_string())?;
    }
    m.end()
}

/// Linear interpolation through points, held flat outside them.
pub fn interpolate(points: &BTreeMap<i32, Decimal>, year: i32) -> Option<Decimal> {
    let before = points.range(..=year).next_back();
    let after = points.range(year..).next();
    match (before, after) {
        (Some((&y0, &v0)), Some((&y1, &v1))) if y1 != y0 => {
            Some(v0 + (v1 - v0) * Decimal::from(year - y0) / Decimal::from(y1 - y0))
        }
        (Some((_, &v)), _) | (None, Some((_, &v))) => Some(v),
        (None, None) => None,
    }
}

impl Deployment {
    /// Penetration in `year` (0 before an explicit first point).
    pub fn at(&self, year: i32) -> Decimal {
        match self {
            Deployment::Explicit { points } => {
                if points.keys().next().is_some_and(|first| year < *first) {
                    Decimal::ZERO
                } else {
                    interpolate(points, year).unwrap_or(Decimal::ZERO)
                }
            }
            Deployment::SCurve(s) => s.at(year),
        }
    }
}

/// One scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    pub id: String,
    /// bau, policy, enhanced, least_cost, or another word
    pub kind: String,
    /// (scope, from year, annual rate)
    pub growth: Vec<(Scope, i32, Decimal)>,
    /// scope → year → output index relative to the base year
    pub output_index: Vec<(Scope, BTreeMap<i32, Decimal>)>,
    /// scope → cap on output in the sector's output unit
    pub caps: Vec<(Scope, Decimal)>,
    /// year → grid factor, tCO2/MWh
    #[serde(serialize_with = "ser_points")]
    pub grid: BTreeMap<i32, Decimal>,
    /// measure id → (scope, deployment)
    pub deployments: Vec<(String, Scope, Deployment)>,
    /// least-cost candidates: measure id → (upper bound, yearly ramp)
    pub candidates: BTreeMap<String, (Decimal, Decimal)>,
    /// sector → a run's offset on every annual growth rate (Monte Carlo
    /// only; empty in a central projection)
    #[serde(skip)]
    pub growth_offset: BTreeMap<String, Decimal>,
}

/// One target: in `year`, the `substance` total over `scope` at most `cap` t.
#[derive(Debug, Clone, Serialize)]
pub struct Target {
    pub id: String,
    pub year: i32,
    /// CO2e, a substance code, APeq or WPeq
    pub substance: String,
    pub scope: Scope,
    #[serde(with = "rust_decimal::serde::str")]
    pub cap: Decimal,
    #[serde(skip)]
    pub location: Location,
}

/// A study ready for a roadmap.
#[derive(Debug, Clone)]
pub struct Roadmap {
    pub base_year: i32,
    pub end_year: i32,
    pub scenarios: Vec<Scenario>,
    pub targets: Vec<Target>,
    /// (measure, facility) pairs of the right sector and technology where the
    /// measure changes nothing (coal-to-gas at a gas-fired plant): deployment
    /// skips them, so they cost nothing ([`Roadmap::find_inert`])
    pub inert: BTreeSet<(String, String)>,
    /// measure → why it is not applicable at some facility (a fuel it does
    /// not act on, a control already as good, a default not yet measured),
    /// the first reason found; those pairs are in `inert` as well
    pub inert_why: BTreeMap<String, crate::text::Text>,
    /// (measure, facility) → the energy cost change in CNY per unit of
    /// output at full penetration, for measures priced from the
    /// energy-price table: the engine's change at the facility's first
    /// year where the measure acts, at its maximum penetration, divided
    /// by that penetration and output (the roadmap's costs and its LP are
    /// linear in penetration and output)
    pub energy_per_output: BTreeMap<(String, String), Decimal>,
}

impl Roadmap {
    /// The energy cost change (CNY per year) of a measure priced from the
    /// energy-price table at a facility with `output` at penetration `x`;
    /// zero for a measure with a stated energy cost (in its annual cost).
    pub fn energy_cost(
        &self,
        measure: &str,
        facility: &str,
        output: Decimal,
        x: Decimal,
    ) -> Option<Decimal> {
        let per = self
            .energy_per_output
            .get(&(measure.to_string(), facility.to_string()))
            .copied()
            .unwrap_or_default();
        per.checked_mul(output)?.checked_mul(x)
    }

    /// True when the measure changes nothing at the facility.
    pub fn is_inert(&self, measure: &str, facility: &str) -> bool {
        !self.inert.is_empty()
            && self
                .inert
                .contains(&(measure.to_string(), facility.to_string()))
    }

    /// Finds the measures that change nothing at a facility: every year of
    /// the facility's activity is computed with the measure at its maximum
    /// penetration, and a pair is inert when no year changes.
    pub fn find_inert(
        &mut self,
        study: &Study,
        lib: &FactorLibrary,
        sectors: &SectorLibrary,
        measures: &[Measure],
    ) -> crate::Result<()> {
        let mut acted: BTreeSet<(String, String)> = BTreeSet::new();
        let mut seen: BTreeSet<(String, String)> = BTreeSet::new();
        for fy in &study.facility_years {
            let tech = technology_of(fy, sectors);
            let base = crate::accounting::inventory(&study.settings, lib, sectors, fy)?;
            for m in measures.iter().filter(|m| m.applies(&fy.sector, &tech)) {
                let key = (m.id.clone(), fy.facility_id.clone());
                seen.insert(key.clone());
                if acted.contains(&key) {
                    continue;
                }
                if let Some(why) = m.inapplicable(fy, &base).or_else(|| m.unmeasured(fy)) {
                    self.inert_why.entry(m.id.clone()).or_insert(why);
                    continue;
                }
                let x = m.max_penetration;
                let with = inventory_with_edits(&study.settings, lib, sectors, fy, &m.edits_at(x))?;
                if crate::measures::unchanged(&base, &with) {
                    continue;
                }
                acted.insert(key.clone());
                let scale = x * base.output;
                if m.energy_from_prices && !scale.is_zero() {
                    let c = crate::measures::prices::energy_cost(m, lib, sectors, &base, &with)?;
                    self.energy_per_output.insert(key, c / scale);
                }
            }
        }
        self.inert = seen.difference(&acted).cloned().collect();
        Ok(())
    }
}

impl Scenario {
    /// Output index of a facility in `year` (1 in the base year).
    pub fn index(
        &self,
        fy: &FacilityYear,
        base_year: i32,
        year: i32,
        sectors: &SectorLibrary,
    ) -> Decimal {
        let best = |list: &mut dyn Iterator<Item = (&Scope, i32)>| {
            list.filter(|(s, _)| s.contains(fy, sectors))
                .max_by_key(|(s, _)| s.rank())
                .map(|(s, y)| (s.clone(), y))
        };
        let offset = self
            .growth_offset
            .get(&fy.sector)
            .copied()
            .unwrap_or_default();
        if let Some((scope, _)) = best(&mut self.output_index.iter().map(|(s, _)| (s, 0))) {
            if let Some((_, points)) = self.output_index.iter().find(|(s, _)| *s == scope) {
                let mut p = points.clone();
                p.entry(base_year).or_insert(Decimal::ONE);
                let mut index = interpolate(&p, year).unwrap_or(Decimal::ONE);
                for _ in base_year + 1..=year {
                    index *= Decimal::ONE + offset;
                }
                return index;
            }
        }
        let mut index = Decimal::ONE;
        for y in base_year + 1..=year {
            // The most specific scope with a rate in force this year.
            let rate = self
                .growth
                .iter()
                .filter(|(s, from, _)| s.contains(fy, sectors) && *from <= y)
                .max_by_key(|(s, from, _)| (s.rank(), *from))
                .map(|(_, _, r)| *r)
                .unwrap_or_default();
            index *= Decimal::ONE + rate + offset;
        }
        index
    }

    /// The facility-year projected to `year`: amounts scaled by the output
    /// index (capped), properties kept.
    pub fn project(
        &self,
        fy: &FacilityYear,
        base_year: i32,
        year: i32,
        sectors: &SectorLibrary,
    ) -> FacilityYear {
        let mut index = self.index(fy, base_year, year, sectors);
        let base_output = fy
            .activity
            .iter()
            .find(|a| &*a.item == "output")
            .map(|a| a.quantity.value);
        if let Some(out) = base_output.filter(|o| !o.is_zero()) {
            for (scope, cap) in &self.caps {
                if scope.contains(fy, sectors) && out * index > *cap {
                    index = *cap / out;
                }
            }
        }
        let fuels = sectors.fuel_ids();
        let mut p = fy.clone();
        p.year = year;
        for a in &mut p.activity {
            let (item, _) = split_node(&a.item);
            let amount = item == "output"
                || item_spec(item, &fuels).is_some_and(|s| s.kind == ItemKind::Amount);
            if amount {
                a.quantity = Quantity::new(a.quantity.value * index, a.quantity.unit.clone());
            }
        }
        p
    }

    /// The study settings for `year` (the scenario's grid factor where it gives one).
    pub fn settings(&self, base: &Settings, year: i32) -> Settings {
        let mut s = base.clone();
        if let Some(v) = interpolate(&self.grid, year) {
            if let Ok(u) = Unit::parse("tCO2/MWh") {
                s.grid = GridFactor::Value(Quantity::new(v, u));
            }
        }
        s
    }
}

/// A facility's technology, or its sector's default.
pub(crate) fn technology_of(fy: &FacilityYear, sectors: &SectorLibrary) -> String {
    fy.technology.clone().unwrap_or_else(|| {
        sectors
            .get(&fy.sector)
            .map(|s| s.default_technology.clone())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn interpolation_is_linear_and_held() {
        let p = BTreeMap::from([(2025, dec!(0.2)), (2030, dec!(0.7))]);
        assert_eq!(interpolate(&p, 2027), Some(dec!(0.4)));
        assert_eq!(interpolate(&p, 2040), Some(dec!(0.7)));
        assert_eq!(interpolate(&p, 2020), Some(dec!(0.2)));
    }
}
