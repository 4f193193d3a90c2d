//! The roadmap's Monte Carlo (issue 15): the probability that each target
//! is met, by scenario, from runs that redraw factors and activity and hold
//! the plans fixed; the same numbers on 1 and 2 threads.

mod common;

use common::libs;
use coreduce::measures::{all_measures, settings_for, MeasureLibrary};
use coreduce::uncertainty::roadmap::{roadmap_odds, RoadmapOdds};
use rust_decimal_macros::dec;

fn odds(runs: usize, threads: usize, tweak: impl Fn(&mut coreduce::study::Study)) -> RoadmapOdds {
    let (f, s) = libs();
    let mut study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    tweak(&mut study);
    let run = coreduce::accounting::compute(study, &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&run.study, &s, &lib, &run.factors).unwrap();
    let ms = settings_for(&run.study, &run.factors);
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap()
        .install(|| {
            roadmap_odds(
                &run.study,
                &run.factors,
                &s,
                &measures,
                ms.discount_rate,
                None,
                runs,
                11,
            )
            .unwrap_or_else(|e| panic!("{e}"))
        })
}

#[test]
fn the_same_seed_gives_the_same_odds_on_one_and_two_threads() {
    let a = odds(6, 1, |_| {});
    let b = odds(6, 2, |_| {});
    let key = |o: &RoadmapOdds| {
        o.odds
            .iter()
            .map(|x| {
                (
                    x.scenario.clone(),
                    x.target.clone(),
                    x.probability,
                    x.median,
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(key(&a), key(&b));
    assert_eq!(a.fans.len(), b.fans.len());
    assert!(a
        .fans
        .iter()
        .zip(&b.fans)
        .all(|(x, y)| x.p50 == y.p50 && x.p97_5 == y.p97_5));
}

#[test]
fn a_cap_far_above_every_run_is_certain_and_far_below_impossible() {
    let o = odds(6, 2, |st| {
        for t in st.target_rows.iter_mut() {
            // CO2e caps at 100 Mt (never reached), SO2 caps at 1 t (never met).
            t.cap = if t.substance == "CO2e" {
                dec!(100000000)
            } else {
                dec!(1)
            };
        }
    });
    assert!(!o.odds.is_empty());
    for x in &o.odds {
        let want = if x.substance == "CO2e" { 1.0 } else { 0.0 };
        assert_eq!(x.probability, want, "{} {}", x.scenario, x.target);
    }
    // The fans are ordered and bracket the median.
    for p in &o.fans {
        assert!(
            p.p2_5 <= p.p25 && p.p25 <= p.p50 && p.p50 <= p.p75 && p.p75 <= p.p97_5,
            "{p:?}"
        );
    }
    // A fan has width: the inputs do carry spreads.
    let co2e_2030 = o
        .fans
        .iter()
        .find(|p| p.scenario == "bau" && p.substance == "CO2e" && p.year == 2030)
        .unwrap();
    assert!(co2e_2030.p97_5 > co2e_2030.p2_5 * 1.01, "{co2e_2030:?}");
}

#[test]
fn the_report_draws_the_fans_and_the_probabilities() {
    use coreduce::report::{render, Lang, ReportInput};
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let run = coreduce::accounting::compute(study, &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&run.study, &s, &lib, &run.factors).unwrap();
    let ms = settings_for(&run.study, &run.factors);
    let rm = coreduce::roadmap::run(&run.study, &f, &s, &measures, &ms).unwrap();
    let o = roadmap_odds(
        &run.study,
        &run.factors,
        &s,
        &measures,
        ms.discount_rate,
        rm.least_cost.as_ref(),
        4,
        3,
    )
    .unwrap();
    let html = |odds| {
        render(&ReportInput {
            title: "t".into(),
            lang: Lang::En,
            inventories: &run.inventories,
            measures: None,
            roadmap: Some(&rm),
            roadmap_odds: odds,
            factors: &f,
            sectors: &s,
            factors_used: None,
        })
    };
    let with = html(Some(&o));
    // A 95 % and a 50 % band per scenario on each of the two trajectory charts.
    assert_eq!(
        with.matches("fill-opacity=\"0.12\"").count(),
        2 * rm.scenarios.len()
    );
    assert_eq!(
        with.matches("fill-opacity=\"0.25\"").count(),
        2 * rm.scenarios.len()
    );
    assert!(with.contains("Probability that each target is met"));
    assert!(with.contains("the 50 % and 95 % bands of 4 Monte Carlo runs (seed 3)"));
    let without = html(None);
    assert!(!without.contains("fill-opacity=\"0.12\""));
}
