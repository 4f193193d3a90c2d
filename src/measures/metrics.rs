//! The co-control metrics (notes/methods-and-peers.md §1): reductions ER and
//! relative reductions r, the coordinate-system quadrant, the elasticity Els as
//! a tagged result, the capital recovery factor and unit costs. Nothing here
//! returns NaN or infinity: undefined values are `None` or a tag.

use crate::text::Text;
use crate::tr;
use rust_decimal::{Decimal, MathematicalOps};
use serde::Serialize;

/// Capital recovery factor CRF(r, n) = r(1+r)^n / ((1+r)^n − 1); for r = 0, 1/n.
pub fn crf(rate: Decimal, years: u32) -> Option<Decimal> {
    if years == 0 {
        return None;
    }
    if rate.is_zero() {
        return Some(Decimal::ONE / Decimal::from(years));
    }
    // Where (1 + r)^n leaves the range of a Decimal (about 7.9e28), g/(g − 1)
    // equals 1 to the 28 digits a Decimal holds, so CRF = r exactly as stored.
    let Some(g) = Decimal::ONE
        .checked_add(rate)
        .and_then(|b| b.checked_powu(u64::from(years)))
    else {
        return Some(rate);
    };
    let den = g - Decimal::ONE;
    if den.is_zero() {
        return None;
    }
    Some(rate.checked_mul(g).map_or(rate, |rg| rg / den))
}

/// Relative reduction r = ER / Q; undefined when the baseline is zero.
pub fn relative(reduction: Decimal, baseline: Decimal) -> Option<Decimal> {
    if baseline.is_zero() {
        None
    } else {
        Some(reduction / baseline)
    }
}

/// The quadrant of the co-control effect coordinate system
/// (x: GHG reduction, y: pollutant reduction; positive = reduced).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Quadrant {
    /// I: both reduced (协同减排).
    CoControl,
    /// II: pollutant reduced, GHG increased (trade-off).
    PollutantOnly,
    /// III: both increased.
    BothIncrease,
    /// IV: GHG reduced, pollutant increased (trade-off).
    GhgOnly,
    /// On the x axis: GHG changes, the pollutant does not.
    GhgAxis,
    /// On the y axis: the pollutant changes, GHG does not.
    PollutantAxis,
    /// At the origin: no effect.
    NoEffect,
}

impl Quadrant {
    /// Classifies a (GHG reduction, pollutant reduction) point.
    pub fn of(ghg: Decimal, pollutant: Decimal) -> Quadrant {
        use std::cmp::Ordering::*;
        match (ghg.cmp(&Decimal::ZERO), pollutant.cmp(&Decimal::ZERO)) {
            (Greater, Greater) => Quadrant::CoControl,
            (Less, Greater) => Quadrant::PollutantOnly,
            (Less, Less) => Quadrant::BothIncrease,
            (Greater, Less) => Quadrant::GhgOnly,
            (_, Equal) if ghg.is_zero() => Quadrant::NoEffect,
            (_, Equal) => Quadrant::GhgAxis,
            (Equal, _) => Quadrant::PollutantAxis,
        }
    }
    /// Roman numeral or axis name in either language, for tables and plots.
    pub fn name(self) -> Text {
        match self {
            Quadrant::GhgAxis => tr!("x axis", "x 轴"),
            Quadrant::PollutantAxis => tr!("y axis", "y 轴"),
            Quadrant::NoEffect => tr!("origin", "原点"),
            q => Text::neutral(q.label()),
        }
    }

    /// Roman numeral or axis name, for tables and plots.
    pub fn label(self) -> &'static str {
        match self {
            Quadrant::CoControl => "I",
            Quadrant::PollutantOnly => "II",
            Quadrant::BothIncrease => "III",
            Quadrant::GhgOnly => "IV",
            Quadrant::GhgAxis => "x axis",
            Quadrant::PollutantAxis => "y axis",
            Quadrant::NoEffect => "origin",
        }
    }
}

/// What an elasticity Els = r_j / r_k means (PMC11666946 Table 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElasticityClass {
    /// Both reduced by the same relative amount (Els = 1).
    CoControlEqual,
    /// Both reduced; the GHG relatively more (0 < Els < 1).
    CoControlGhgMore,
    /// Both reduced; the pollutant relatively more (Els > 1).
    CoControlPollutantMore,
    /// One reduced, the other increased (Els < 0): not co-control.
    TradeOff,
    /// Both increased (Els > 0 with both terms negative).
    BothIncrease,
    /// The pollutant is unchanged (r_j = 0).
    NoEffectOnPollutant,
    /// The GHG is unchanged (r_k = 0).
    NoEffectOnGhg,
    /// Neither changes, or a baseline is zero so r is undefined.
    Undefined,
}

impl ElasticityClass {
    /// What the class means, for tables and the report.
    pub fn name(self) -> Text {
        match self {
            ElasticityClass::CoControlEqual => tr!("co-control, equal", "协同，等幅"),
            ElasticityClass::CoControlGhgMore => tr!("co-control, GHG more", "协同，降碳更多"),
            ElasticityClass::CoControlPollutantMore => {
                tr!("co-control, pollutant more", "协同，减污更多")
            }
            ElasticityClass::TradeOff => tr!("trade-off", "此消彼长"),
            ElasticityClass::BothIncrease => tr!("both increase", "双增"),
            ElasticityClass::NoEffectOnPollutant => {
                tr!("no effect on the pollutant", "对污染物无影响")
            }
            ElasticityClass::NoEffectOnGhg => tr!("no effect on GHG", "对温室气体无影响"),
            ElasticityClass::Undefined => tr!("undefined", "无定义"),
        }
    }
}

/// The elasticity as a tagged result with both relative reductions beside it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Elasticity {
    pub class: ElasticityClass,
    /// r_j / r_k where both are defined and r_k ≠ 0
    #[serde(with = "rust_decimal::serde::str_option")]
    pub value: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub r_pollutant: Option<Decimal>,
    #[serde(with = "rust_decimal::serde::str_option")]
    pub r_ghg: Option<Decimal>,
}

impl Elasticity {
    /// Els of pollutant j over GHG k from their relative reductions.
    pub fn of(r_j: Option<Decimal>, r_k: Option<Decimal>) -> Elasticity {
        let class = match (r_j, r_k) {
            (Some(j), Some(k)) => {
                if j.is_zero() && k.is_zero() {
                    ElasticityClass::Undefined
                } else if j.is_zero() {
                    ElasticityClass::NoEffectOnPollutant
                } else if k.is_zero() {
                    ElasticityClass::NoEffectOnGhg
                } else if (j > Decimal::ZERO) != (k > Decimal::ZERO) {
                    ElasticityClass::TradeOff
                } else if j < Decimal::ZERO {
                    ElasticityClass::BothIncrease
                } else if j == k {
                    ElasticityClass::CoControlEqual
                } else if j < k {
                    ElasticityClass::CoControlGhgMore
                } else {
                    ElasticityClass::CoControlPollutantMore
                }
            }
            _ => ElasticityClass::Undefined,
        };
        let value = match (r_j, r_k) {
            (Some(j), Some(k)) if !k.is_zero() => Some(j / k),
            _ => None,
        };
        Elasticity {
            class,
            value,
            r_pollutant: r_j,
            r_ghg: r_k,
        }
    }
}

/// A unit cost that is undefined (not a negative cost) when the reduction is ≤ 0.
pub fn unit_cost(cost: Decimal, reduction: Decimal) -> Option<Decimal> {
    if reduction > Decimal::ZERO {
        Some(cost / reduction)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn crf_8_percent_15_years_is_0_1168() {
        // 0.08 × 1.08^15 / (1.08^15 − 1) = 0.08 × 3.172169… / 2.172169… = 0.116829…
        assert_eq!(crf(dec!(0.08), 15).unwrap().round_dp(4), dec!(0.1168));
        assert_eq!(crf(dec!(0), 10).unwrap(), dec!(0.1));
        assert_eq!(crf(dec!(0.08), 0), None);
        // 2^100 ≈ 1.27e30 leaves a Decimal: CRF → r, never 0 (which would
        // make the capital cost of a long-lived measure vanish).
        assert_eq!(crf(dec!(1), 100), Some(dec!(1)));
    }

    #[test]
    fn elasticity_interpretation_table_all_seven_rows() {
        let e = |j: Decimal, k: Decimal| Elasticity::of(Some(j), Some(k));
        // 1. Els > 0, both positive: co-control
        assert!(matches!(
            e(dec!(0.2), dec!(0.4)).class,
            ElasticityClass::CoControlGhgMore
                | ElasticityClass::CoControlPollutantMore
                | ElasticityClass::CoControlEqual
        ));
        // 2. Els < 0: one reduced, the other increases
        assert_eq!(e(dec!(0.3), dec!(-0.1)).class, ElasticityClass::TradeOff);
        assert_eq!(e(dec!(0.3), dec!(-0.1)).value, Some(dec!(-3)));
        // 3. Els = 1: equal relative reductions
        assert_eq!(
            e(dec!(0.25), dec!(0.25)).class,
            ElasticityClass::CoControlEqual
        );
        // 4. 0 < Els < 1: the GHG is reduced relatively more
        assert_eq!(
            e(dec!(0.1), dec!(0.4)).class,
            ElasticityClass::CoControlGhgMore
        );
        assert_eq!(e(dec!(0.1), dec!(0.4)).value, Some(dec!(0.25)));
        // 5. Els > 1: the pollutant is reduced relatively more
        assert_eq!(
            e(dec!(0.9), dec!(0.3)).class,
            ElasticityClass::CoControlPollutantMore
        );
        // 6. Els > 0, both negative: both increase
        assert_eq!(
            e(dec!(-0.1), dec!(-0.2)).class,
            ElasticityClass::BothIncrease
        );
        assert_eq!(e(dec!(-0.1), dec!(-0.2)).value, Some(dec!(0.5)));
        // 7. r_j = 0 or r_k = 0: no effect on that species, never NaN or infinity
        assert_eq!(
            e(dec!(0), dec!(0.2)).class,
            ElasticityClass::NoEffectOnPollutant
        );
        let k0 = e(dec!(0.2), dec!(0));
        assert_eq!(k0.class, ElasticityClass::NoEffectOnGhg);
        assert_eq!(k0.value, None);
        assert_eq!(
            Elasticity::of(None, Some(dec!(0.1))).class,
            ElasticityClass::Undefined
        );
    }

    #[test]
    fn quadrants() {
        assert_eq!(Quadrant::of(dec!(1), dec!(1)), Quadrant::CoControl);
        assert_eq!(Quadrant::of(dec!(-1), dec!(1)), Quadrant::PollutantOnly);
        assert_eq!(Quadrant::of(dec!(-1), dec!(-1)), Quadrant::BothIncrease);
        assert_eq!(Quadrant::of(dec!(1), dec!(-1)), Quadrant::GhgOnly);
        assert_eq!(Quadrant::of(dec!(1), dec!(0)), Quadrant::GhgAxis);
        assert_eq!(Quadrant::of(dec!(0), dec!(2)), Quadrant::PollutantAxis);
        assert_eq!(Quadrant::of(dec!(0), dec!(0)), Quadrant::NoEffect);
    }

    #[test]
    fn unit_cost_is_undefined_without_a_reduction() {
        assert_eq!(unit_cost(dec!(100), dec!(4)), Some(dec!(25)));
        assert_eq!(unit_cost(dec!(-100), dec!(4)), Some(dec!(-25)));
        assert_eq!(unit_cost(dec!(100), dec!(0)), None);
        assert_eq!(unit_cost(dec!(100), dec!(-3)), None);
    }
}
