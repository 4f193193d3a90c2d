//! What a measure needs at a facility beyond its sector and technology: a
//! fuel it acts on, no existing control already as good as its own, and the
//! measured values without which its saving cannot show. Each failed need is
//! a reason, in both languages, for "not applicable" with no cost.

use super::Measure;
use crate::accounting::Inventory;
use crate::graph::items::split_node;
use crate::study::{Edit, FacilityYear};
use crate::substance::Substance;
use crate::text::Text;
use crate::tr;
use crate::units::Unit;
use rust_decimal::Decimal;
use serde::Serialize;

/// The needs of a measure (the TOML fields `requires_fuel`,
/// `unless_controlled` and `requires_measured`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Requires {
    /// fuel items of which the facility must burn at least one (empty: any)
    pub fuel: Vec<String>,
    /// substances whose reported control, at least as efficient as the
    /// measure's own control of it, makes the measure not applicable
    pub unless_controlled: Vec<Substance>,
    /// items the facility must report: the measure scales a default factor
    /// (AEM, net anode consumption), and a plant on defaults cannot show the
    /// saving until it measures the value
    pub measured: Vec<String>,
}

impl Measure {
    /// Why the measure does not apply at this facility-year (`base` is its
    /// inventory without the measure), or `None` when it may.
    pub fn inapplicable(&self, fy: &FacilityYear, base: &Inventory) -> Option<Text> {
        let r = &self.requires;
        let burns = |f: &String| {
            base.totals
                .energy_use
                .get(f)
                .is_some_and(|q| *q > Decimal::ZERO)
        };
        if !r.fuel.is_empty() && !r.fuel.iter().any(burns) {
            let fuels = r.fuel.join(", ");
            return Some(tr!(
                "not applicable: the facility burns none of {fuels}",
                "不适用：该设施不使用 {fuels}"
            ));
        }
        for sub in &r.unless_controlled {
            if let Some(why) = self.controlled(fy, *sub) {
                return Some(why);
            }
        }
        None
    }

    /// Why the measure's saving cannot show at this facility-year: it
    /// scales a default factor the facility has not measured. `coreduce
    /// measures` says so with the result; the roadmap deploys the measure
    /// only where the value is measured.
    pub fn unmeasured(&self, fy: &FacilityYear) -> Option<Text> {
        let item = self
            .requires
            .measured
            .iter()
            .find(|item| !fy.activity.iter().any(|a| split_node(&a.item).0 == *item))?;
        Some(tr!(
            "the saving scales the default {item}: a plant on defaults cannot show it until it reports a measured {item}",
            "该措施按比例调整 {item} 的缺省值：采用缺省值的企业须先填报实测的 {item} 才能体现其减排"
        ))
    }

    /// The reason when the facility reports a control of `sub` at least as
    /// efficient as the measure's own control of it (at the same node, or
    /// without a node).
    fn controlled(&self, fy: &FacilityYear, sub: Substance) -> Option<Text> {
        let item = format!("control.{}.efficiency", sub.code());
        let fraction = Unit::parse("fraction").ok()?;
        self.edits.iter().find_map(|e| {
            let Edit::Control {
                substance,
                node,
                efficiency,
                ..
            } = e
            else {
                return None;
            };
            if *substance != sub {
                return None;
            }
            fy.activity.iter().find_map(|a| {
                let (i, at) = split_node(&a.item);
                let same_node = at.is_none() || node.is_none() || at == node.as_deref();
                let have = a.quantity.unit.convert(a.quantity.value, &fraction).ok()?;
                (i == item && same_node && have >= *efficiency).then(|| {
                    let code = sub.code();
                    tr!(
                        "not applicable: already controlled (reported {code} control {have} ≥ the measure's {efficiency})",
                        "不适用：已有控制措施（填报的 {code} 去除效率 {have} ≥ 本措施的 {efficiency}）"
                    )
                })
            })
        })
    }
}
