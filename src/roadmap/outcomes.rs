//! What a scenario's points add up to: series of one quantity over a scope,
//! the peak year and the plateau after it, and the attainment of targets.

use super::scenario::Target;
use super::{Point, Scope};
use crate::graph::SectorLibrary;
use crate::study::Study;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// Tolerance below the peak that still counts as plateau (2 %, an assumption:
/// CAEP allows fluctuation but gives no number).
pub const PLATEAU_TOLERANCE: Decimal = dec!(0.02);

/// The peak of a trajectory: its year and value, and the plateau after it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Peak {
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub value: Decimal,
    /// last year of the plateau: values stay within the tolerance below the peak
    pub plateau_until: i32,
    /// false when the highest value is the last year (still rising)
    pub peaked: bool,
}

/// Finds the peak (the first year of the maximum) and the plateau that
/// follows: consecutive years within `tolerance` (a fraction) below it. A
/// plateau may fluctuate but never exceeds the peak (CAEP's definition).
pub fn peak(series: &[(i32, Decimal)], tolerance: Decimal) -> Option<Peak> {
    let (year, value) =
        series
            .iter()
            .copied()
            .fold(None, |best: Option<(i32, Decimal)>, (y, v)| match best {
                Some((_, bv)) if bv >= v => best,
                _ => Some((y, v)),
            })?;
    let floor = value * (Decimal::ONE - tolerance);
    let plateau_until = series
        .iter()
        .filter(|(y, _)| *y >= year)
        .take_while(|(_, v)| *v >= floor)
        .map(|(y, _)| *y)
        .last()
        .unwrap_or(year);
    let last = series.last().map(|(y, _)| *y).unwrap_or(year);
    Some(Peak {
        year,
        value,
        plateau_until,
        peaked: plateau_until < last,
    })
}

/// Whether and when a target is met in a scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Attainment {
    pub target: String,
    pub scenario: String,
    pub year: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub cap: Decimal,
    #[serde(with = "rust_decimal::serde::str")]
    pub value_in_year: Decimal,
    pub met_in_year: bool,
    /// first year from which the cap holds through the horizon
    pub met_from: Option<i32>,
}

/// Sums one quantity over a scope for each year.
pub fn series(
    points: &[Point],
    key: &str,
    scope: &Scope,
    study: &Study,
    sectors: &SectorLibrary,
) -> Vec<(i32, Decimal)> {
    let inside: BTreeSet<&str> = study
        .facility_years
        .iter()
        .filter(|f| scope.contains(f, sectors))
        .map(|f| f.facility_id.as_str())
        .collect();
    let mut by_year: BTreeMap<i32, Decimal> = BTreeMap::new();
    for p in points
        .iter()
        .filter(|p| inside.contains(p.facility.as_str()))
    {
        *by_year.entry(p.year).or_default() += p.totals.get(key).copied().unwrap_or_default();
    }
    by_year.into_iter().collect()
}

/// Province totals of one quantity per year.
pub fn series_of(points: &[Point], key: &str) -> BTreeMap<i32, Decimal> {
    let mut by_year = BTreeMap::new();
    for p in points {
        *by_year.entry(p.year).or_default() += p.totals.get(key).copied().unwrap_or_default();
    }
    by_year
}

/// Attainment of each target in a scenario.
pub fn attainment(
    targets: &[Target],
    scenario: &str,
    points: &[Point],
    study: &Study,
    sectors: &SectorLibrary,
) -> Vec<Attainment> {
    targets
        .iter()
        .map(|t| {
            let s = series(points, &t.substance, &t.scope, study, sectors);
            let value = s
                .iter()
                .find(|(y, _)| *y == t.year)
                .map(|(_, v)| *v)
                .unwrap_or_default();
            let met_from = s
                .iter()
                .rev()
                .take_while(|(_, v)| *v <= t.cap)
                .last()
                .map(|(y, _)| *y);
            Attainment {
                target: t.id.clone(),
                scenario: scenario.to_string(),
                year: t.year,
                cap: t.cap,
                value_in_year: value,
                met_in_year: value <= t.cap,
                met_from,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[(i32, i64)]) -> Vec<(i32, Decimal)> {
        v.iter().map(|(y, x)| (*y, Decimal::from(*x))).collect()
    }

    #[test]
    fn peak_of_a_rise_and_fall() {
        let p = peak(
            &s(&[(2023, 90), (2024, 95), (2025, 100), (2026, 97), (2027, 90)]),
            dec!(0.02),
        )
        .unwrap();
        assert_eq!(
            (p.year, p.value, p.plateau_until, p.peaked),
            (2025, dec!(100), 2025, true)
        );
    }

    #[test]
    fn plateau_within_tolerance_then_decline() {
        // 100 → 99 → 98.5 stay within 2 % of the peak; 97 falls below.
        let series = vec![
            (2028, dec!(100)),
            (2029, dec!(99)),
            (2030, dec!(98.5)),
            (2031, dec!(97)),
            (2032, dec!(90)),
        ];
        let p = peak(&series, dec!(0.02)).unwrap();
        assert_eq!((p.year, p.plateau_until, p.peaked), (2028, 2030, true));
    }

    #[test]
    fn still_rising_has_not_peaked() {
        let p = peak(&s(&[(2023, 1), (2024, 2), (2025, 3)]), dec!(0.02)).unwrap();
        assert_eq!((p.year, p.peaked), (2025, false));
    }

    #[test]
    fn equal_maxima_take_the_first_year() {
        let p = peak(&s(&[(2023, 5), (2024, 7), (2025, 7), (2026, 3)]), dec!(0)).unwrap();
        assert_eq!((p.year, p.plateau_until), (2024, 2025));
    }
}
