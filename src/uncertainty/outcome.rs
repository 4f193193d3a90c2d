//! What the Monte Carlo runs add up to: the exact totals they are compared
//! with, the percentile summary of every total, and the rank sensitivities of
//! the province CO2e to the tracked inputs.

use super::{pearson, percentile, ranks, Input, Key, Sample, Sensitivity, Slots, Summary};
use crate::accounting::Inventory;
use crate::error::{DataError, Error, Location};
use crate::text::Text;
use crate::tr;
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// The exact (deterministic) value of every total of the base inventories,
/// by facility, sector and province, for comparison with the runs.
pub(super) fn exact_totals(
    base: &[Inventory],
    sector_of: &[(String, String)],
) -> crate::Result<BTreeMap<Key, Decimal>> {
    let mut exact: BTreeMap<Key, Decimal> = BTreeMap::new();
    for (inv, (fid, sector)) in base.iter().zip(sector_of) {
        let mut put = |sub: &str, v: Decimal| -> crate::Result<()> {
            for key in [
                ("facility".to_string(), fid.clone(), sub.to_string()),
                ("sector".into(), sector.clone(), sub.into()),
                ("province".into(), "Sichuan".into(), sub.into()),
            ] {
                let sum = exact.entry(key.clone()).or_default();
                *sum = sum.checked_add(v).ok_or_else(|| {
                    let (level, name, substance) = (&key.0, &key.1, &key.2);
                    let level_zh = match level.as_str() {
                        "facility" => "设施",
                        "sector" => "行业",
                        "province" => "省",
                        other => other,
                    };
                    Error::Data(DataError::new(
                        Location::api(Text::new(
                            format!("{level} '{name}' {substance}"),
                            format!("{level_zh}“{name}” {substance}"),
                        )),
                        tr!(
                            "the total {sum} + {v} is out of range (larger than about 7.9e28)",
                            "合计 {sum} + {v} 超出范围（大于约 7.9e28）"
                        ),
                    ))
                })?;
            }
            Ok(())
        };
        for (k, v) in &inv.totals.by_substance {
            if &**k != "CO2e" {
                put(k, *v)?;
            }
        }
        put("CO2e", inv.totals.co2e)?;
    }
    Ok(exact)
}

/// Every total in key order: the base inventories' slots (with their
/// index), and any a draw brought in (with none).
pub(super) fn all_totals<'s>(
    slots: &'s Slots,
    samples: &'s [Sample],
) -> BTreeMap<&'s Key, Option<usize>> {
    let mut keys: BTreeMap<&Key, Option<usize>> = slots
        .keys
        .iter()
        .enumerate()
        .map(|(i, k)| (k, Some(i)))
        .collect();
    for s in samples {
        for k in s.2.keys() {
            keys.entry(k).or_insert(None);
        }
    }
    keys
}

/// One run's value of a total: its slot plus what a draw brought in under
/// its key.
pub(super) fn value(s: &Sample, k: &Key, slot: Option<usize>) -> f64 {
    match slot {
        Some(i) => s.1[i] + s.2.get(k).copied().unwrap_or(0.0),
        None => s.2.get(k).copied().unwrap_or(0.0),
    }
}

/// The percentile summary of every total, beside its Approach 1 half-width
/// and its exact value.
pub(super) fn summaries(
    keys: &BTreeMap<&Key, Option<usize>>,
    samples: &[Sample],
    approach1: &[f64],
    exact: &BTreeMap<Key, Decimal>,
) -> Vec<Summary> {
    let mut summaries = Vec::new();
    for (&k, &slot) in keys {
        let mut v: Vec<f64> = samples.iter().map(|s| value(s, k, slot)).collect();
        let mean = v.iter().sum::<f64>() / v.len() as f64;
        v.sort_by(f64::total_cmp);
        summaries.push(Summary {
            level: k.0.clone(),
            key: k.1.clone(),
            substance: k.2.clone(),
            mean,
            median: percentile(&v, 0.5),
            p2_5: percentile(&v, 0.025),
            p97_5: percentile(&v, 0.975),
            approach1_half_width: slot.map_or(0.0, |i| approach1[i]),
            exact: exact.get(k).copied().unwrap_or_default(),
        });
    }
    summaries
}

/// The Spearman rank correlation of each tracked input with `y` (the
/// province CO2e of every run), its ρ² share, strongest first.
pub(super) fn sensitivity(
    ins: &[Input],
    tracked: &[bool],
    samples: &[Sample],
    y: &[f64],
) -> Vec<Sensitivity> {
    let ry = ranks(y);
    let mut sens: Vec<Sensitivity> = ins
        .iter()
        .zip(tracked)
        .filter(|(_, t)| **t)
        .enumerate()
        .map(|(i, (input, _))| {
            let x: Vec<f64> = samples.iter().map(|s| s.0[i]).collect();
            Sensitivity {
                input: input.name.clone(),
                rank_correlation: pearson(&ranks(&x), &ry),
                variance_share: 0.0,
            }
        })
        .collect();
    let total: f64 = sens.iter().map(|s| s.rank_correlation.powi(2)).sum();
    for s in &mut sens {
        s.variance_share = if total > 0.0 {
            s.rank_correlation.powi(2) / total
        } else {
            0.0
        };
    }
    sens.sort_by(|a, b| {
        b.rank_correlation
            .abs()
            .total_cmp(&a.rank_correlation.abs())
            .then_with(|| a.input.cmp(&b.input))
    });
    sens
}
