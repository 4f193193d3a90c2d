//! The roadmap's Monte Carlo (issue 15): the probability that each target
//! is met, by scenario, from runs that redraw factors and activity and hold
//! the plans fixed; the same numbers on 1 and 2 threads.

use crate::common;

use common::libs;
use coreduce::measures::{all_measures, settings_for, MeasureLibrary};
use coreduce::uncertainty::roadmap::{roadmap_odds, RoadmapOdds};
use rust_decimal_macros::dec;

fn odds(runs: usize, threads: usize, tweak: impl Fn(&mut coreduce::study::Study)) -> RoadmapOdds {
    odds_with(runs, threads, tweak, |_| {})
}

fn odds_with(
    runs: usize,
    threads: usize,
    tweak: impl Fn(&mut coreduce::study::Study),
    tweak_factors: impl Fn(&mut coreduce::factors::FactorLibrary),
) -> RoadmapOdds {
    let (f, s) = libs();
    let mut study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    tweak(&mut study);
    let mut run = coreduce::accounting::compute(study, &f, &s).unwrap();
    tweak_factors(&mut run.factors);
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
                &|| {},
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
    // progress is reported once per run (the CLI's bar and `progress:` lines)
    let done = std::sync::atomic::AtomicUsize::new(0);
    let o = roadmap_odds(
        &run.study,
        &run.factors,
        &s,
        &measures,
        ms.discount_rate,
        rm.least_cost.as_ref(),
        4,
        3,
        &|| {
            done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        },
    )
    .unwrap();
    assert_eq!(done.into_inner(), 4);
    let html = |odds| {
        render(&ReportInput {
            title: "t".into(),
            lang: Lang::En,
            inventories: &run.inventories,
            measures: None,
            roadmap: Some(&rm),
            roadmap_odds: odds,
            uncertainty: None,
            factors: &f,
            sectors: &s,
            factors_used: None,
            notes: &[],
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

#[test]
fn a_run_s_growth_offset_compounds_with_every_rate_and_its_grid_offset_moves_the_path() {
    use coreduce::roadmap::{Scenario, Scope};
    use coreduce::uncertainty::roadmap::PathSpreads;
    use std::collections::BTreeMap;
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let run = coreduce::accounting::compute(study, &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&run.study, &s, &lib, &run.factors).unwrap();
    let rm = coreduce::roadmap::compile(&run.study, &s, &measures).unwrap();
    let base = rm.base_year;
    // The library's spreads: ±1 pp/yr and ±0.03 tCO2/MWh at 95 %.
    let spreads = PathSpreads::from_library(&run.factors).unwrap();
    assert!((spreads.growth_sd - 0.01 / 1.96).abs() < 1e-12);
    assert!((spreads.grid_sd - 0.03 / 1.96).abs() < 1e-12);
    // A negative spread is an error naming the factor and where it was read.
    let mut bad = run.factors.clone();
    bad.set_value("spread.roadmap.grid", dec!(-0.03));
    let e = PathSpreads::from_library(&bad).unwrap_err().to_string();
    assert!(
        e.contains("spread.roadmap.grid") && e.contains("factors.csv") && e.contains("negative"),
        "{e}"
    );
    let sector_ids: Vec<String> = s.sectors.keys().cloned().collect();
    let drawn = spreads.apply(&rm, &sector_ids, 42, 7);
    // One offset per sector, the same in every scenario of the run.
    let offsets = &drawn.scenarios[0].growth_offset;
    assert_eq!(offsets.len(), sector_ids.len());
    for sc in &drawn.scenarios {
        assert_eq!(&sc.growth_offset, offsets);
    }
    // One grid offset for every point after the base year, none before.
    let mut grid_offset = None;
    for (before, after) in rm.scenarios.iter().zip(&drawn.scenarios) {
        for ((y, v0), (_, v1)) in before.grid.iter().zip(&after.grid) {
            if *y <= base {
                assert_eq!(v0, v1);
            } else if *v1 > dec!(0) {
                let d = *v1 - *v0;
                assert_eq!(*grid_offset.get_or_insert(d), d, "{} {y}", before.id);
            }
        }
    }
    assert!(grid_offset.is_some());
    // The same run draws the same offsets; another run others.
    assert_eq!(
        spreads.apply(&rm, &sector_ids, 42, 7).scenarios[0].growth_offset,
        *offsets
    );
    assert_ne!(
        spreads.apply(&rm, &sector_ids, 42, 8).scenarios[0].growth_offset,
        *offsets
    );
    // Hand-worked: a rate of 2 %/yr with a run's offset of +1 pp over two
    // years is 1.03 × 1.03 = 1.0609; with no rate given, the offset alone:
    // 1.01 × 1.01 = 1.0201.
    let fy = &run.study.facility_years[0];
    let mut sc: Scenario = rm.scenarios[0].clone();
    sc.output_index.clear();
    sc.growth = vec![(Scope::All, base + 1, dec!(0.02))];
    sc.growth_offset = BTreeMap::from([(fy.sector.clone(), dec!(0.01))]);
    assert_eq!(sc.index(fy, base, base + 2, &s), dec!(1.0609));
    sc.growth.clear();
    assert_eq!(sc.index(fy, base, base + 2, &s), dec!(1.0201));
    // Another sector's offset does not move this facility.
    sc.growth_offset = BTreeMap::from([("not-this-sector".to_string(), dec!(0.01))]);
    assert_eq!(sc.index(fy, base, base + 2, &s), dec!(1));
}

#[test]
fn the_path_spreads_widen_the_far_fans_and_leave_the_base_year_alone() {
    // BAU alone keeps the test short; 20 runs put the 2.5th and 97.5th
    // percentiles near the extremes, which only makes both bands wider.
    let bau_only =
        |st: &mut coreduce::study::Study| st.scenario_rows.retain(|r| r.scenario == "bau");
    let with = odds_with(20, 2, bau_only, |_| {});
    let without = odds_with(20, 2, bau_only, |lib| {
        lib.set_value("spread.roadmap.growth", dec!(0));
        lib.set_value("spread.roadmap.grid", dec!(0));
    });
    let fan = |o: &RoadmapOdds, year: i32| {
        o.fans
            .iter()
            .find(|p| p.scenario == "bau" && p.substance == "CO2e" && p.year == year)
            .cloned()
            .unwrap()
    };
    let base = with.fans.iter().map(|p| p.year).min().unwrap();
    // The base year is the inventory's Monte Carlo: the same draws of
    // factors and activity either way (the path offsets use their own
    // stream), so the same fan to the last digit.
    let (a, b) = (fan(&with, base), fan(&without, base));
    assert_eq!((a.p2_5, a.p50, a.p97_5), (b.p2_5, b.p50, b.p97_5));
    // By 2060 a ±1 pp/yr growth offset alone spans about ±30 % of output
    // (1.01^37 = 1.44): the 95 % band must be clearly wider than with the
    // factor and activity draws only (about ±9 % of the median).
    let (a, b) = (fan(&with, 2060), fan(&without, 2060));
    let width = |p: &coreduce::uncertainty::roadmap::FanPoint| (p.p97_5 - p.p2_5) / p.p50;
    assert!(
        width(&a) > 1.5 * width(&b),
        "with {:.3} without {:.3}",
        width(&a),
        width(&b)
    );
}

/// `roadmap --runs` says how far its runs are, as `uncertainty` does: a
/// `progress: n/m` line per run (up to about 50) for coreduce serve's page.
#[test]
fn the_roadmap_runs_report_their_progress() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sichuan-sample.xlsx");
    let dir = tempfile::tempdir().unwrap();
    let out = common::coreduce_command()
        .args(["roadmap", sample, "--runs", "6", "--seed", "2", "--out"])
        .arg(dir.path().join("rm"))
        .env("COREDUCE_PROGRESS", "lines")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // the runs go on two threads, so two lines may come in either order
    // (one digit each: sorted as text is sorted by count)
    let mut lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("progress: "))
        .collect();
    lines.sort();
    let expected: Vec<String> = (1..=6).map(|n| format!("progress: {n}/6")).collect();
    assert_eq!(lines, expected, "{err}");
}
