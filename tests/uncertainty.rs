//! Monte Carlo: a single uncertain input matches the analytic answer within
//! sampling error; the same seed gives the same numbers on 1 and 2 threads;
//! bad distributions are errors naming the factor or cell.

use coreduce::accounting::{inventories, FacilityYear, Settings};
use coreduce::factors::Uncertainty;
use coreduce::graph::SectorLibrary;
use coreduce::uncertainty::monte_carlo;
use coreduce::FactorLibrary;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal_macros::dec;

mod common;
use common::{libs, Book};

/// A barn burning 100 t coal (normal, sd 10 t) and nothing else uncertain:
/// CO2 = 100 × 1.9002988488 t with sd 19.002988488 t.
fn one_input() -> (FactorLibrary, SectorLibrary, Vec<FacilityYear>) {
    let (mut f, s) = libs();
    // Remove the library's own spreads from the factors this case uses.
    for id in [
        "fuel.gbt2589.raw_coal.ncv",
        "fuel.gbt2589.raw_coal.cc",
        "fuel.gbt2589.raw_coal.of",
    ] {
        let mut x = f.get(id).unwrap().clone();
        x.uncertainty = None;
        f.insert(x);
    }
    let mut fy = FacilityYear::new("TB", "tobacco", 2022)
        .technology("coal_bulk_barn")
        .with("output", dec!(60), "t")
        .unwrap()
        .with("fuel.raw_coal", dec!(100), "t")
        .unwrap()
        .with("electricity.purchased", dec!(0), "MWh")
        .unwrap()
        .with("fertiliser.n", dec!(0), "t")
        .unwrap();
    fy.activity[1].uncertainty = Some(Uncertainty::Normal { sd: dec!(10) });
    (f, s, vec![fy])
}

#[test]
fn single_input_matches_the_analytic_answer() {
    let (f, s, fys) = one_input();
    let st = Settings::default();
    let base = inventories(&st, &f, &s, &fys).unwrap();
    let rep = monte_carlo(&st, &f, &s, &fys, &base, 4000, 7, &|| {}).unwrap();
    let co2 = rep
        .summaries
        .iter()
        .find(|x| x.level == "province" && x.substance == "CO2")
        .unwrap();
    let k = 1.9002988488_f64; // t CO2 per t coal: 20.908 × 0.02637 × 0.94 × 44/12
    let (mean, sd) = (100.0 * k, 10.0 * k);
    assert!((co2.exact.to_f64().unwrap() - mean).abs() < 1e-6);
    // Standard error of the mean: sd/√4000 ≈ 0.30; allow 4 SE.
    assert!(
        (co2.mean - mean).abs() < 4.0 * sd / 4000f64.sqrt(),
        "mean {}",
        co2.mean
    );
    // Normal percentiles: mean ∓ 1.96 sd (= 152.75, 227.31); allow 0.1 sd.
    assert!(
        (co2.p2_5 - (mean - 1.96 * sd)).abs() < 0.1 * sd,
        "p2.5 {}",
        co2.p2_5
    );
    assert!(
        (co2.p97_5 - (mean + 1.96 * sd)).abs() < 0.1 * sd,
        "p97.5 {}",
        co2.p97_5
    );
    assert!((co2.median - mean).abs() < 0.1 * sd);
    assert_eq!(rep.sensitivity[0].input, "activity:TB:fuel.raw_coal");
    assert!(rep.sensitivity[0].rank_correlation > 0.99);
}

#[test]
fn same_seed_same_numbers_on_one_and_two_threads() {
    let (f, s) = libs();
    let fys = vec![FacilityYear::new("TB", "tobacco", 2022)
        .technology("coal_bulk_barn")
        .with("output", dec!(100), "t")
        .unwrap()];
    let st = Settings::default();
    let base = inventories(&st, &f, &s, &fys).unwrap();
    let run = |threads: usize| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| monte_carlo(&st, &f, &s, &fys, &base, 300, 11, &|| {}).unwrap())
    };
    let (a, b) = (run(1), run(2));
    assert!(a.inputs > 0);
    for (x, y) in a.summaries.iter().zip(&b.summaries) {
        assert_eq!(
            (x.mean, x.p2_5, x.p97_5),
            (y.mean, y.p2_5, y.p97_5),
            "{} {}",
            x.key,
            x.substance
        );
    }
    let c = run(2);
    let d = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap()
        .install(|| monte_carlo(&st, &f, &s, &fys, &base, 300, 12, &|| {}).unwrap());
    assert_eq!(c.summaries[0].mean, b.summaries[0].mean);
    assert!(
        c.summaries
            .iter()
            .zip(&d.summaries)
            .any(|(x, y)| x.mean != y.mean),
        "another seed, other numbers"
    );
}

#[test]
fn bad_distributions_are_errors_naming_the_factor_or_cell() {
    assert!(Uncertainty::parse("normal:-1", dec!(5))
        .unwrap_err()
        .contains("negative"));
    assert!(Uncertainty::parse("lognormal:1.5", dec!(-2))
        .unwrap_err()
        .contains("positive value"));
    assert!(Uncertainty::parse("triangular:3;1;2", dec!(2))
        .unwrap_err()
        .contains("low ≤ mode ≤ high"));
    // In a workbook: the uncertainty cell is named.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("u.xlsx");
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector"],
            &[row!["TB", "tobacco"]],
        )
        .sheet(
            "activity",
            &[
                "facility_id",
                "year",
                "item",
                "value",
                "unit",
                "note",
                "uncertainty",
            ],
            &[row!["TB", 2022, "output", 10, "t", "", "normal:-3"]],
        )
        .save(&path);
    let (f, s) = libs();
    let err = coreduce::workbook::run_workbook(&path, &f, &s)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains(
            "activity!G2: uncertainty 'normal:-3': a negative standard deviation is not allowed"
        ),
        "{err}"
    );
}
