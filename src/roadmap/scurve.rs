//! Logistic S-curves for measure deployment, fitted to two planning anchors
//! (notes/methods-and-peers.md §4.1 step 5): x(t) = x_max / (1 + e^{−k(t − t_mid)}),
//! with y_i = ln(x_i / (x_max − x_i)), k = (y₂ − y₁)/(t₂ − t₁), t_mid = t₁ − y₁/k.
//!
//! Computed on odds, exactly where the exponent is whole: the odds
//! x/(x_max − x) grow by the same factor every year, so
//! odds(t) = odds₁ · (odds₂/odds₁)^((t − t₁)/(t₂ − t₁)).

use crate::text::Text;
use crate::tr;
use rust_decimal::{Decimal, MathematicalOps};
use serde::Serialize;

/// A fitted S-curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SCurve {
    #[serde(with = "rust_decimal::serde::str")]
    pub x_max: Decimal,
    pub t1: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub x1: Decimal,
    pub t2: i32,
    #[serde(with = "rust_decimal::serde::str")]
    pub x2: Decimal,
}

impl SCurve {
    /// Fits the curve; anchors must satisfy 0 < x₁ < x₂ < x_max and t₁ < t₂.
    pub fn fit(
        x_max: Decimal,
        (t1, x1): (i32, Decimal),
        (t2, x2): (i32, Decimal),
    ) -> Result<SCurve, Text> {
        if t1 >= t2 {
            return Err(tr!(
                "S-curve anchors need two different years in order, got {t1} and {t2}",
                "S 曲线的两个锚点须为先后不同的两个年份，现为 {t1} 和 {t2}"
            ));
        }
        if !(Decimal::ZERO < x1 && x1 < x2 && x2 < x_max) {
            return Err(tr!(
                "S-curve anchors need 0 < x1 < x2 < x_max, got x1 = {x1}, x2 = {x2}, x_max = {x_max}",
                "S 曲线的锚点须满足 0 < x1 < x2 < x_max，现为 x1 = {x1}，x2 = {x2}，x_max = {x_max}"
            ));
        }
        Ok(SCurve {
            x_max,
            t1,
            x1,
            t2,
            x2,
        })
    }

    fn odds(&self, x: Decimal) -> Decimal {
        x / (self.x_max - x)
    }

    /// Growth rate k per year.
    pub fn k(&self) -> Decimal {
        let ratio = self.odds(self.x2) / self.odds(self.x1);
        ratio.ln() / Decimal::from(self.t2 - self.t1)
    }

    /// Mid-point year t_mid.
    pub fn t_mid(&self) -> Decimal {
        Decimal::from(self.t1) - self.odds(self.x1).ln() / self.k()
    }

    /// Penetration in year `t`.
    pub fn at(&self, t: i32) -> Decimal {
        let (o1, o2) = (self.odds(self.x1), self.odds(self.x2));
        let span = self.t2 - self.t1;
        let steps = t - self.t1;
        // Whole multiples of the anchor span keep exact arithmetic.
        let odds = if steps % span == 0 {
            let n = steps / span;
            let r = o2 / o1;
            if n >= 0 {
                o1 * r.powi(i64::from(n))
            } else {
                o1 / r.powi(i64::from(-n))
            }
        } else {
            let exponent = Decimal::from(steps) / Decimal::from(span);
            o1 * (o2 / o1).powd(exponent)
        };
        self.x_max * odds / (Decimal::ONE + odds)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn the_notes_example_reaches_84_percent_in_2035() {
        // x_max 90 %, 20 % in 2025, 60 % in 2030: odds 2/7 and 2, ×7 per five years;
        // in 2035 the odds are 14, so x = 0.9 × 14/15 = 0.84.
        let s = SCurve::fit(dec!(0.9), (2025, dec!(0.2)), (2030, dec!(0.6))).unwrap();
        assert_eq!(s.at(2035), dec!(0.84));
        assert_eq!(s.at(2025), dec!(0.2));
        assert_eq!(s.at(2030), dec!(0.6));
        // k = ln 7 / 5 = 0.389…, t_mid ≈ 2028.2
        assert_eq!(s.k().round_dp(3), dec!(0.389));
        assert_eq!(s.t_mid().round_dp(1), dec!(2028.2));
        // Between anchors the curve rises monotonically and stays below x_max.
        let mut last = Decimal::ZERO;
        for t in 2020..2060 {
            let x = s.at(t);
            assert!(x > last && x < dec!(0.9), "{t}: {x}");
            last = x;
        }
    }

    #[test]
    fn bad_anchors_are_refused() {
        assert!(SCurve::fit(dec!(0.5), (2025, dec!(0.2)), (2030, dec!(0.6))).is_err());
        assert!(SCurve::fit(dec!(0.9), (2030, dec!(0.2)), (2025, dec!(0.6))).is_err());
        assert!(SCurve::fit(dec!(0.9), (2025, dec!(0)), (2030, dec!(0.6))).is_err());
    }
}
