//! The Monte Carlo's compiled plans give the exact engine's numbers: the
//! same seed draws the same values, and every run's totals replayed from the
//! plans match the runs through the exact engine to far below any digit a
//! summary shows. Every facility-year of the sample workbook and of the
//! built-in study is compiled (a change to the engine that breaks a plan
//! shows here as a count, not as a silent slowdown).

use coreduce::accounting::inventories;
use coreduce::uncertainty::{monte_carlo_with, McReport, Replay};

use crate::common;
use common::libs;

/// Every summary of `a` equals `b`'s to 1e-9 of its size (the exact value
/// is the same inventory in both).
fn assert_same_numbers(a: &McReport, b: &McReport) {
    assert_eq!(a.summaries.len(), b.summaries.len());
    for (x, y) in a.summaries.iter().zip(&b.summaries) {
        assert_eq!(
            (&x.level, &x.key, &x.substance),
            (&y.level, &y.key, &y.substance)
        );
        assert_eq!(x.exact, y.exact);
        for (p, q, what) in [
            (x.mean, y.mean, "mean"),
            (x.median, y.median, "median"),
            (x.p2_5, y.p2_5, "2.5 %"),
            (x.p97_5, y.p97_5, "97.5 %"),
        ] {
            let scale = p.abs().max(q.abs()).max(1e-12);
            assert!(
                (p - q).abs() <= 1e-9 * scale,
                "{} {} {}: {what} compiled {p}, exact {q}",
                x.level,
                x.key,
                x.substance
            );
        }
    }
    assert_eq!(a.sensitivity.len(), b.sensitivity.len());
    for (x, y) in a.sensitivity.iter().zip(&b.sensitivity) {
        assert_eq!(x.input, y.input);
        assert!((x.rank_correlation - y.rank_correlation).abs() < 1e-9);
    }
}

#[test]
fn the_sample_s_compiled_runs_are_the_exact_engine_s() {
    let (f, s) = libs();
    let run = common::sample_run(&f, &s);
    let mc = |replay| {
        monte_carlo_with(
            &run.study.settings,
            &run.factors,
            &s,
            &run.study.facility_years,
            &run.inventories,
            500,
            7,
            replay,
            &|| {},
        )
        .unwrap()
    };
    let (compiled, exact) = (mc(Replay::Compiled), mc(Replay::Exact));
    // the aluminium smelter (anode CO2 = NC × P × (1 − S − Ash) × 44/12,
    // fluoride through capture × removal), the ceramics kiln, the baijiu
    // distillery and the tobacco farm (field N2O, five N inputs in one sum)
    assert_eq!(run.inventories.len(), 4);
    assert_eq!(compiled.compiled, 4, "{}", compiled.method);
    assert_eq!(exact.compiled, 0);
    assert!(compiled.method.contains("4 of 4 facility-years replayed"));
    assert!(exact
        .method
        .contains("every facility-year of every run through the exact"));
    assert_same_numbers(&compiled, &exact);
}

#[test]
fn the_built_in_study_s_compiled_runs_are_the_exact_engine_s() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let base = inventories(&study.settings, &f, &s, &study.facility_years).unwrap();
    let mc = |replay| {
        monte_carlo_with(
            &study.settings,
            &f,
            &s,
            &study.facility_years,
            &base,
            300,
            3,
            replay,
            &|| {},
        )
        .unwrap()
    };
    let (compiled, exact) = (mc(Replay::Compiled), mc(Replay::Exact));
    assert_eq!(compiled.compiled, base.len(), "{}", compiled.method);
    assert_same_numbers(&compiled, &exact);
}
