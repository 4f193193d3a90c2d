//! Range checks of a measure's values, shared by the TOML compiler
//! (`sectors/measures/*.toml`) and the workbook's `measures` sheet, so that a
//! value refused in one is refused in the other with the same words.
//!
//! The bounds keep every product the engine forms in range (a `Decimal` holds
//! about 7.9 × 10^28) and refuse values that cannot mean what the user wants:
//! a scale of −5 would be a 600 % cut, a green-power share of 5 would buy five
//! times the plant's power, a lifetime of 900 years makes the capital cost
//! vanish.

use crate::study::Edit;
use crate::text::{Lang, Text};
use crate::tr;
use crate::units::MAX_MAGNITUDE;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

/// The largest multiplier a `scale` or `scale_factor` edit may apply: 100.
/// Measures cut or raise an input; a hundredfold rise is far beyond any
/// technology change and is almost always a percentage typed as a number.
pub const MAX_MULTIPLIER: Decimal = dec!(100);

/// The longest lifetime of a measure: 100 years (plant lives are 15–40).
pub const MAX_LIFETIME: u32 = 100;

/// The largest cost per unit of output a measure may state: 10^9 CNY per t,
/// m2 or case. Real capital costs per unit of annual output are below 10^5
/// (an aluminium smelter costs about 2 × 10^4 CNY per t/a), so the bound is a
/// margin of 10^4, and output (≤ 10^15) × cost stays within a `Decimal`.
pub const MAX_COST_PER_OUTPUT: Decimal = dec!(1_000_000_000);

/// A message about `what` (a quantity named in both languages): `en` and
/// `zh` make each language's text from the name in that language.
fn about(what: &Text, en: impl FnOnce(&str) -> String, zh: impl FnOnce(&str) -> String) -> Text {
    Text::new(en(&what.en), zh(what.get(Lang::Zh)))
}

fn fraction(what: Text, v: Decimal) -> Option<Text> {
    (v < Decimal::ZERO || v > Decimal::ONE).then(|| {
        about(
            &what,
            |w| format!("{w} must lie between 0 and 1 (0–100 %), not {v}"),
            |w| format!("{w}须在 0 到 1（0–100 %）之间，现为 {v}"),
        )
    })
}

fn multiplier(what: Text, m: Decimal) -> Option<Text> {
    if m < Decimal::ZERO {
        Some(about(
            &what,
            |w| {
                format!(
                    "{w} cannot be negative ({m}): a multiplier of 0.8 means −20 %, 0 removes it"
                )
            },
            |w| format!("{w}不能为负数（{m}）：系数 0.8 表示减少 20 %，0 表示完全去除"),
        ))
    } else if m > MAX_MULTIPLIER {
        Some(about(
            &what,
            |w| {
                format!("{w} {m} is out of range: at most {MAX_MULTIPLIER} (0.8 means −20 %; write 80 % as 0.8)")
            },
            |w| {
                format!("{w} {m} 超出范围：最大为 {MAX_MULTIPLIER}（0.8 表示减少 20 %；80 % 应写作 0.8）")
            },
        ))
    } else {
        None
    }
}

fn magnitude(what: Text, v: Decimal) -> Option<Text> {
    (v.abs() > MAX_MAGNITUDE).then(|| {
        about(
            &what,
            |w| format!("{w} {v} is out of range: at most ±1e15"),
            |w| format!("{w} {v} 超出范围：绝对值最大为 1e15"),
        )
    })
}

/// Why an edit's value cannot be used, or None.
pub fn edit_problem(edit: &Edit) -> Option<Text> {
    match edit {
        Edit::Scale { multiplier: m, .. } => multiplier(tr!("a scale multiplier", "缩放系数"), *m),
        Edit::ScaleFactor { multiplier: m, .. } => {
            multiplier(tr!("a factor multiplier", "因子缩放系数"), *m)
        }
        Edit::Switch {
            from,
            to,
            share,
            ratio,
            ..
        } => {
            if from.trim() == to.trim() {
                return Some(tr!(
                    "the switch turns '{from}' into itself: name the item it switches to (from>to)",
                    "替代措施把“{from}”替代为其自身：请写明替代后的项目（from>to）"
                ));
            }
            if ratio.value < Decimal::ZERO {
                return Some(tr!(
                    "a switch ratio cannot be negative ({ratio})",
                    "替代比例不能为负数（{ratio}）"
                ));
            }
            fraction(tr!("a switch share", "替代份额"), *share)
                .or_else(|| magnitude(tr!("a switch ratio", "替代比例"), ratio.value))
        }
        Edit::Control {
            efficiency,
            sorbent,
            ..
        } => fraction(tr!("a control efficiency", "治理效率"), *efficiency).or_else(|| {
            // A feed ratio below 1 would remove more than the reagent can bind.
            sorbent
                .as_ref()
                .map(|s| s.ratio)
                .filter(|r| *r < Decimal::ONE || *r > Decimal::TEN)
                .map(|r| {
                    tr!(
                        "a sorbent feed ratio must be from 1 to 10, not {r}",
                        "吸收剂投加比须在 1 到 10 之间，现为 {r}"
                    )
                })
        }),
        Edit::GreenPower { share } => fraction(tr!("a green power share", "绿电比例"), *share),
        Edit::Add { per_output, .. } => {
            if per_output.value < Decimal::ZERO {
                return Some(tr!(
                    "an added amount cannot be negative ({per_output}): use scale to reduce an item",
                    "新增量不能为负数（{per_output}）：减少某一项目请用 scale"
                ));
            }
            magnitude(tr!("an added amount", "新增量"), per_output.value)
        }
        Edit::SetFactor { value, .. } => {
            if *value < Decimal::ZERO {
                return Some(tr!(
                    "a factor value cannot be negative ({value})",
                    "因子值不能为负数（{value}）"
                ));
            }
            magnitude(tr!("a factor value", "因子值"), *value)
        }
    }
}

/// Pushes an edit, or a finding at `at` where its value is out of range
/// ([`edit_problem`]); both compilers keep only the edits that pass.
pub(super) fn push_checked(
    edits: &mut Vec<Edit>,
    errs: &mut Vec<crate::error::DataError>,
    at: &crate::error::Location,
    edit: Edit,
) {
    match edit_problem(&edit) {
        Some(problem) => errs.push(crate::error::DataError::new(at.clone(), problem)),
        None => edits.push(edit),
    }
}

/// Why a lifetime (in years, as given) cannot be used, or None.
pub fn lifetime_problem(years: Decimal) -> Option<Text> {
    let whole = years.fract().is_zero();
    (!whole || years < Decimal::ONE || years > Decimal::from(MAX_LIFETIME)).then(|| {
        tr!(
            "lifetime must be a whole number of years from 1 to {MAX_LIFETIME}, not {years}",
            "寿命期须为 1 到 {MAX_LIFETIME} 之间的整数年，现为 {years}"
        )
    })
}

/// Why a cost per unit of output cannot be used, or None; `what` names the
/// cost in both languages.
pub fn cost_problem(what: Text, per_output: Decimal) -> Option<Text> {
    (per_output.abs() > MAX_COST_PER_OUTPUT).then(|| {
        about(
            &what,
            |w| format!("{w} {per_output} per unit of output is out of range: at most ±1e9 (CNY per t, m2 or case)"),
            |w| format!("{w}（单位产品）{per_output} 超出范围：绝对值最大为 1e9（元/t、元/m2 或元/箱）"),
        )
    })
}

/// True when a library id fits a factor-id template: each placeholder
/// (`{edition}`, `{technology}`, `{cell}`, `{anode}`) stands for one or more
/// characters other than `.`.
fn fits(template: &str, id: &str) -> bool {
    let Some((head, rest)) = template.split_once('{') else {
        return template == id;
    };
    let Some(tail_of_id) = id.strip_prefix(head) else {
        return false;
    };
    let rest = rest.split_once('}').map_or("", |(_, r)| r);
    // The placeholder takes 1.. characters up to the next '.'.
    let segment = tail_of_id.find('.').unwrap_or(tail_of_id.len());
    (1..=segment).any(|n| fits(rest, &tail_of_id[n..]))
}

/// The `scale_factor` and `set_factor` edits whose id no factor of the
/// library fits (for any edition or technology): such an edit would change
/// nothing, so it is an error at the measure, with a did-you-mean.
pub fn factor_id_problems(
    measures: &[super::Measure],
    factors: &crate::factors::FactorLibrary,
) -> Vec<crate::error::DataError> {
    let mut out = Vec::new();
    for m in measures {
        for e in &m.edits {
            let id = match e {
                Edit::ScaleFactor { id, .. } | Edit::SetFactor { id, .. } => id,
                Edit::Control {
                    sorbent: Some(s), ..
                } => &s.factor,
                _ => continue,
            };
            let known = if id.contains('{') {
                factors.ids().any(|f| fits(id, f))
            } else {
                factors.contains(id)
            };
            if !known {
                let measure = &m.id;
                out.push(
                    crate::error::DataError::new(
                        m.location.clone(),
                        tr!(
                            "measure '{measure}' edits factor '{id}', which the factor library does not have: the edit would change nothing",
                            "措施“{measure}”修改的因子“{id}”不在因子库中：该修改不起任何作用"
                        ),
                    )
                    .with_hint(crate::error::did_you_mean(id, factors.ids())),
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::units::Quantity;

    #[test]
    fn values_that_cannot_mean_what_the_user_wants_are_refused() {
        let scale = |m| Edit::Scale {
            item: "fuel.raw_coal".into(),
            node: None,
            multiplier: m,
        };
        assert!(edit_problem(&scale(dec!(-5))).is_some());
        assert!(edit_problem(&scale(dec!(101))).is_some());
        assert_eq!(edit_problem(&scale(dec!(0))), None);
        assert_eq!(edit_problem(&scale(dec!(1.5))), None);
        let green = |s| Edit::GreenPower { share: s };
        assert!(edit_problem(&green(dec!(5))).is_some());
        assert!(edit_problem(&green(dec!(-3))).is_some());
        assert_eq!(edit_problem(&green(dec!(0.3))), None);
        let switch = |to: &str| Edit::Switch {
            from: "fuel.raw_coal".into(),
            to: to.into(),
            node: None,
            share: Decimal::ONE,
            ratio: Quantity::parse(dec!(1), "GJ/GJ").unwrap(),
        };
        assert!(edit_problem(&switch("fuel.raw_coal")).is_some());
        assert_eq!(edit_problem(&switch("fuel.natural_gas")), None);
        assert!(lifetime_problem(dec!(900)).is_some());
        assert!(lifetime_problem(dec!(0)).is_some());
        assert!(lifetime_problem(dec!(2.5)).is_some());
        assert_eq!(lifetime_problem(dec!(100)), None);
        assert!(cost_problem("capex".into(), dec!(1_000_000_000_000_000)).is_some());
        assert_eq!(cost_problem("capex".into(), dec!(-25000)), None);
    }

    #[test]
    fn templates_fit_ids_of_any_edition_or_technology() {
        assert!(fits("al.{edition}.cf4", "al.ndrc2013.cf4"));
        assert!(fits(
            "al.ipcc2006.t1_cf4.{technology}",
            "al.ipcc2006.t1_cf4.cwpb"
        ));
        assert!(!fits("al.{edition}.cf4", "al.ndrc2013.c2f6"));
        assert!(!fits("al.{edition}.cf4", "al..cf4"));
        assert!(!fits("al.{edition}.cf4", "al.a.b.cf4"));
        assert!(fits("bj.wwtp.biogas_recovery", "bj.wwtp.biogas_recovery"));
    }

    #[test]
    fn every_built_in_factor_edit_names_a_factor_of_the_library() {
        let factors = crate::factors::FactorLibrary::embedded().unwrap();
        let sectors = crate::graph::SectorLibrary::embedded(&factors).unwrap();
        let lib = super::super::MeasureLibrary::embedded(&sectors).unwrap();
        let problems = factor_id_problems(&lib.measures, &factors);
        assert!(problems.is_empty(), "{problems:?}");
        // and a misspelt one is caught, with the id it meant
        let mut m = lib.measures[0].clone();
        m.edits = vec![Edit::SetFactor {
            id: "bj.wwtp.biogas_recovry".into(),
            value: dec!(0.9),
            weight: Decimal::ONE,
        }];
        let found = factor_id_problems(&[m], &factors);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].to_string().contains("bj.wwtp.biogas_recovery"),
            "{}",
            found[0]
        );
    }
}

#[cfg(test)]
mod overflow {
    use super::super::{MetricSettings, Metrics, Totals2};
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    /// Totals near the range of a `Decimal` (a sum of many bounded
    /// facility-years) give an error naming the metric, never a panic
    /// (this panicked with "Multiplication overflowed" before).
    #[test]
    fn metrics_of_totals_near_the_decimal_range_are_an_error() {
        let lib = crate::factors::FactorLibrary::embedded().unwrap();
        let mut ms = MetricSettings::defaults(&lib);
        ms.lambda = dec!(1000);
        let mut t = Totals2::default();
        t.pairs.insert(
            "CO2e".into(),
            (dec!(70_000_000_000_000_000_000_000_000_000), Decimal::ZERO),
        );
        t.pairs.insert("APeq".into(), (dec!(1), Decimal::ZERO));
        let e = Metrics::from_totals(&t, &ms).unwrap_err().to_string();
        assert!(e.contains("EReq") && e.contains("out of range"), "{e}");
        // and the same totals with λ = 0 compute: ER = Q − Q' exactly
        ms.lambda = Decimal::ZERO;
        let m = Metrics::from_totals(&t, &ms).unwrap();
        assert_eq!(
            m.reduction["CO2e"],
            dec!(70_000_000_000_000_000_000_000_000_000)
        );
        assert_eq!(m.ereq, dec!(1));
    }
}
