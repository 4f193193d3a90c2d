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

use crate::common;
use common::{libs, Book};

/// A barn burning 100 t coal (normal, sd 10 t) and nothing else uncertain:
/// CO2 = 100 × 1.9002988488 t with sd 19.002988488 t.
fn one_input() -> (FactorLibrary, SectorLibrary, Vec<FacilityYear>) {
    barns(1, None, Some(Uncertainty::Normal { sd: dec!(10) }))
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
    // Approach 1: CO2 is linear in the coal, so ±1 σ of coal moves CO2 by
    // exactly k σ: the half-width is 1.96 × 10 × k.
    assert!(
        (co2.approach1_half_width - 1.96 * sd).abs() < 1e-6,
        "{}",
        co2.approach1_half_width
    );
    assert_eq!(rep.tornado[0].input, "activity:TB0:fuel.raw_coal");
    assert!((rep.tornado[0].high - rep.tornado[0].low - 2.0 * 1.96 * sd).abs() < 1e-6);
    assert_eq!(rep.sensitivity[0].input, "activity:TB0:fuel.raw_coal");
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
        .en
        .contains("negative"));
    assert!(Uncertainty::parse("lognormal:1.5", dec!(-2))
        .unwrap_err()
        .en
        .contains("positive value"));
    assert!(Uncertainty::parse("triangular:3;1;2", dec!(2))
        .unwrap_err()
        .en
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

/// `n` barns burning 100 t of raw coal each (held exact), with the library's
/// spreads on raw coal replaced by `ncv` on its NCV and none on the rest; the
/// first barn's coal gets `coal` instead of exact.
fn barns(
    n: usize,
    ncv: Option<Uncertainty>,
    coal: Option<Uncertainty>,
) -> (FactorLibrary, SectorLibrary, Vec<FacilityYear>) {
    let (mut f, s) = libs();
    for (id, u) in [
        ("fuel.gbt2589.raw_coal.ncv", ncv),
        ("fuel.gbt2589.raw_coal.cc", None),
        ("fuel.gbt2589.raw_coal.of", None),
    ] {
        let mut x = f.get(id).unwrap().clone();
        x.uncertainty = u;
        f.insert(x);
    }
    let exact = Some(Uncertainty::Pct95 {
        half_width_pct: dec!(0),
    });
    let fys = (0..n)
        .map(|i| {
            let mut fy = FacilityYear::new(&format!("TB{i}"), "tobacco", 2022)
                .technology("coal_bulk_barn")
                .with("output", dec!(60), "t")
                .unwrap()
                .with("fuel.raw_coal", dec!(100), "t")
                .unwrap()
                // no barn fan power, no field N2O: coal CO2 alone
                .with("electricity.purchased", dec!(0), "MWh")
                .unwrap()
                .with("fertiliser.n", dec!(0), "t")
                .unwrap();
            fy.activity[1].uncertainty = if i == 0 {
                coal.clone().or(exact.clone())
            } else {
                exact.clone()
            }
            .map(Box::new);
            fy
        })
        .collect();
    (f, s, fys)
}

fn province_co2(rep: &coreduce::uncertainty::McReport) -> &coreduce::uncertainty::Summary {
    rep.summaries
        .iter()
        .find(|x| x.level == "province" && x.substance == "CO2")
        .unwrap()
}

#[test]
fn a_product_of_two_lognormal_inputs_matches_its_closed_form() {
    // CO2 = coal × NCV × CC × OF × 44/12 with coal ~ LN(gsd 1.2) and NCV ~
    // LN(gsd 1.3) independent: CO2 ~ LN with median = the exact value and
    // gsd = exp(√(ln²1.2 + ln²1.3)) = exp(√(0.033241 + 0.068835)) = exp(0.319494)
    // = 1.376431; percentiles exact × gsd^∓1.96 = exact × 0.534616, × 1.870503.
    let (f, s, fys) = barns(
        1,
        Some(Uncertainty::Lognormal { gsd: dec!(1.3) }),
        Some(Uncertainty::Lognormal { gsd: dec!(1.2) }),
    );
    let st = Settings::default();
    let base = inventories(&st, &f, &s, &fys).unwrap();
    let rep = monte_carlo(&st, &f, &s, &fys, &base, 4000, 3, &|| {}).unwrap();
    let co2 = province_co2(&rep);
    let exact = co2.exact.to_f64().unwrap();
    let gsd = (1.2f64.ln().powi(2) + 1.3f64.ln().powi(2)).sqrt().exp();
    assert!((gsd - 1.376431).abs() < 1e-6);
    assert!((gsd.powf(1.96) - 1.870503).abs() < 1e-6);
    let rel = |x: f64, want: f64| (x / want - 1.0).abs();
    assert!(rel(co2.median, exact) < 0.02, "median {}", co2.median);
    assert!(
        rel(co2.p2_5, exact / gsd.powf(1.96)) < 0.04,
        "p2.5 {}",
        co2.p2_5
    );
    assert!(
        rel(co2.p97_5, exact * gsd.powf(1.96)) < 0.04,
        "p97.5 {}",
        co2.p97_5
    );
}

#[test]
fn approach_1_equals_approach_2_for_small_symmetric_errors() {
    // coal ±4 %, NCV ±3 % (95 % half-widths, normal): Eq. 3.1 for a product
    // gives √(4² + 3²) = 5 %; the Monte Carlo's half interval agrees within
    // sampling error (4000 runs: a few tenths of a per cent).
    let (f, s, fys) = barns(
        1,
        Some(Uncertainty::Pct95 {
            half_width_pct: dec!(3),
        }),
        Some(Uncertainty::Pct95 {
            half_width_pct: dec!(4),
        }),
    );
    let st = Settings::default();
    let base = inventories(&st, &f, &s, &fys).unwrap();
    let rep = monte_carlo(&st, &f, &s, &fys, &base, 4000, 5, &|| {}).unwrap();
    let co2 = province_co2(&rep);
    let exact = co2.exact.to_f64().unwrap();
    let a1 = co2.approach1_half_width / exact;
    let mc = (co2.p97_5 - co2.p2_5) / 2.0 / exact;
    assert!((a1 - 0.05).abs() < 1e-4, "Approach 1: {a1}");
    assert!(
        (mc - a1).abs() < 0.004,
        "Monte Carlo {mc} against Approach 1 {a1}"
    );
}

#[test]
fn a_shared_factor_widens_the_province_interval() {
    // Two barns of 100 t coal, the NCV uniform ±13 % and shared: both move
    // together, so the province's 95 % half-width is that of one uniform,
    // 0.95 × 13 % = 12.35 %. Were the NCV drawn per barn, the sum of two
    // uniforms (a triangle on ±2h) would have P(|S| > t) = (2h − t)²/(4h²)
    // = 0.05 → t = 2h(1 − √0.05) = 1.5528 h, i.e. 0.7764 × 13 % = 10.09 % of
    // the total: narrower by a fifth.
    let ncv = coreduce::FactorLibrary::embedded()
        .unwrap()
        .get("fuel.gbt2589.raw_coal.ncv")
        .unwrap()
        .value;
    let h = ncv * dec!(0.13);
    let (f, s, fys) = barns(
        2,
        Some(Uncertainty::Uniform {
            low: ncv - h,
            high: ncv + h,
        }),
        None,
    );
    let st = Settings::default();
    let base = inventories(&st, &f, &s, &fys).unwrap();
    let rep = monte_carlo(&st, &f, &s, &fys, &base, 4000, 9, &|| {}).unwrap();
    let co2 = province_co2(&rep);
    let exact = co2.exact.to_f64().unwrap();
    let mc = (co2.p97_5 - co2.p2_5) / 2.0 / exact;
    assert!((mc - 0.1235).abs() < 0.004, "shared: {mc}");
    assert!(mc > 0.1009 + 0.01, "not wider than independent draws: {mc}");
    // Approach 1 moves the shared factor for both barns at once: σ of a
    // uniform ±13 % is 13 %/√3 = 7.5056 %, × 1.96 = 14.711 %.
    let a1 = co2.approach1_half_width / exact;
    assert!(
        (a1 - 1.96 * 0.13 / 3f64.sqrt()).abs() < 1e-4,
        "Approach 1: {a1}"
    );
}

/// The sample's intervals are of the order its default spreads imply (they
/// were ±0.005 % for the province before the defaults carried spreads):
///
/// - tobacco CO2e: 875 t raw coal at the single-table GB/T 2589 defaults:
///   NCV uniform ±13 % (σ 7.5 %), carbon content ±5 % (σ 2.9 %), oxidation
///   ±0.02 of 0.94 (σ 1.2 %), metered coal ±2 % (σ 1.0 %): σ ≈ 8.2 %, a 95 %
///   half-width of about 15 %: between 10 and 20 %;
/// - ceramics CO2e: the spray dryer's bituminous coal (≈ 32 kt of 58 kt) at
///   NCV ±13 % and CC ±5 %, the grid (≈ 8.6 kt) at ±11 %, gas at ±3 %: about
///   9 %: between 5 and 15 %;
/// - aluminium CO2e: the Sichuan 2022 grid factor (about half the total) at
///   ±11 % and the anode (about 40 %) at ±5 %: about 6 %: between 3 and 10 %;
/// - baijiu CO2e: wastewater CH4 (a third of the total) at B0 ±30 % and MCF
///   0.7–1.0: about 13 %: between 7 and 20 %;
/// - the province, dominated by aluminium: between 3 and 10 %.
#[test]
fn the_sample_s_intervals_are_of_the_order_its_default_spreads_imply() {
    let (_, _, _, rep) = sample_mc(2000, 1);
    let half = |level: &str, key: &str| {
        let x = rep
            .summaries
            .iter()
            .find(|x| x.level == level && x.key == key && x.substance == "CO2e")
            .unwrap();
        let exact = x.exact.to_f64().unwrap();
        (
            (x.p97_5 - x.p2_5) / 2.0 / exact,
            x.approach1_half_width / exact,
        )
    };
    for (level, key, lo, hi) in [
        ("sector", "tobacco", 0.10, 0.20),
        ("sector", "ceramics", 0.05, 0.15),
        ("sector", "aluminium", 0.03, 0.10),
        ("sector", "baijiu", 0.07, 0.20),
        ("province", "Sichuan", 0.03, 0.10),
    ] {
        let (mc, a1) = half(level, key);
        assert!((lo..hi).contains(&mc), "{key}: Monte Carlo ±{mc}");
        assert!((lo..hi).contains(&a1), "{key}: Approach 1 ±{a1}");
    }
    // the tornado's widest bar is the grid factor, which carries half the
    // aluminium smelter's CO2e
    assert_eq!(rep.tornado[0].input, "factor:grid.sc.avg.2022");
}

/// The report's uncertainty section: an error bar per province and sector
/// total of CO2e, SO2, NOx and PM (in % of the exact value), the table with
/// Approach 1 beside the Monte Carlo, and the tornado of the province CO2e,
/// each bar as deviations from the exact total; in both languages.
#[test]
fn the_report_draws_error_bars_and_the_tornado() {
    use coreduce::report::{render, Lang, ReportInput};
    let (f, s, run, rep) = sample_mc(300, 5);
    let html = |lang| {
        render(&ReportInput {
            title: "t".into(),
            lang,
            inventories: &run.inventories,
            measures: None,
            roadmap: None,
            roadmap_odds: None,
            uncertainty: Some(&rep),
            factors: &f,
            sectors: &s,
            factors_used: None,
            notes: &[],
        })
    };
    let en = html(Lang::En);
    let start = en
        .find("<section id=\"uncertainty\">")
        .expect("the section");
    let sec = &en[start..start + en[start..].find("</section>").unwrap()];
    let shown = rep
        .summaries
        .iter()
        .filter(|x| {
            (x.level == "province" || x.level == "sector")
                && ["CO2e", "SO2", "NOx", "PM"].contains(&x.substance.as_str())
                && !x.exact.is_zero()
        })
        .count();
    // The sample has four sectors: up to (1 + 4) × 4 rows, each one dot.
    assert!(shown > 10, "{shown}");
    assert_eq!(sec.matches("<circle").count(), shown);
    // Tornado: one blue and one red rect per input shown (at most 12).
    let bars = rep.tornado.len().min(12);
    assert_eq!(sec.matches("fill=\"#d62728\"/>").count(), bars);
    // The table's ± Monte Carlo of the province CO2e is half the 95 %
    // interval over the exact value, to one decimal.
    let p = rep
        .summaries
        .iter()
        .find(|x| x.level == "province" && x.substance == "CO2e")
        .unwrap();
    let exact = p.exact.to_f64().unwrap();
    let cell = format!("<td>{:.1}</td>", 100.0 * (p.p97_5 - p.p2_5) / 2.0 / exact);
    assert!(sec.contains(&cell), "{cell} not in the table");
    // The grid factor leads the tornado (as in the analysis above).
    assert!(sec.contains("factor:grid.sc.avg.2022"));
    // Each facility's tornado: a facility's own activity and the shared
    // factors it uses, never another facility's activity; the smelter's
    // widest input is the grid factor (its power is half its CO2e).
    assert_eq!(rep.facility_tornado.len(), run.inventories.len());
    for (fid, bars) in &rep.facility_tornado {
        assert!(!bars.is_empty() && bars.len() <= 10, "{fid}");
        for b in bars {
            assert!(
                b.input.starts_with("factor:") || b.input.starts_with(&format!("activity:{fid}:")),
                "{fid}: {}",
                b.input
            );
        }
        assert!(bars
            .windows(2)
            .all(|w| (w[0].high - w[0].low).abs() >= (w[1].high - w[1].low).abs()));
    }
    assert_eq!(
        rep.facility_tornado["AL-GY-01"][0].input,
        "factor:grid.sc.avg.2022"
    );
    assert!(sec.contains("<td>AL-GY-01</td>"));
    let zh = html(Lang::Zh);
    assert!(zh.contains("清单不确定性") && zh.contains("龙卷风图"));
    assert!(!zh.contains("Inventory uncertainty"));
}

/// The sample workbook's inventory and its Monte Carlo of `runs` runs.
fn sample_mc(
    runs: usize,
    seed: u64,
) -> (
    FactorLibrary,
    SectorLibrary,
    coreduce::workbook::WorkbookRun,
    coreduce::uncertainty::McReport,
) {
    let (f, s) = libs();
    let run = common::sample_run(&f, &s);
    let rep = monte_carlo(
        &run.study.settings,
        &run.factors,
        &s,
        &run.study.facility_years,
        &run.inventories,
        runs,
        seed,
        &|| {},
    )
    .unwrap();
    (f, s, run, rep)
}

/// Activity by tier: the `uncertainty` column may say how a value was
/// obtained instead of giving a distribution. Estimated (估算) takes the
/// library's ±20 % (`spread.activity.estimated`), metered ±2 %
/// (`spread.activity.energy`), measured (实测) the default of its kind
/// (output ±1 %), a blank cell the default of its kind too (electricity
/// ±2 %), and an explicit distribution wins; a word that is neither is a
/// finding at its cell that names the tier words.
#[test]
fn the_uncertainty_column_may_name_the_activity_tier() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tiers.xlsx");
    let header = [
        "facility_id",
        "year",
        "item",
        "value",
        "unit",
        "note",
        "uncertainty",
    ];
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector", "technology"],
            &[row!["TB", "tobacco", "coal_bulk_barn"]],
        )
        .sheet(
            "activity",
            &header,
            &[
                row!["TB", 2022, "output", 10, "t", "", "实测"],
                row!["TB", 2022, "fuel.raw_coal", 17.5, "t", "", "估算"],
                row!["TB", 2022, "electricity.purchased", 4, "MWh", "", "metered"],
                row!["TB", 2022, "fertiliser.n", 1.2, "t", "", ""],
                row!["TB", 2022, "fuel.raw_coal.sulfur", 2, "%", "", "estimated"],
            ],
        )
        .save(&path);
    let (f, s) = libs();
    let run = coreduce::workbook::run_workbook(&path, &f, &s).unwrap();
    let inputs =
        coreduce::uncertainty::inputs(&run.inventories, &run.study.facility_years, &run.factors);
    let dist = |name: &str| {
        inputs
            .iter()
            .find(|i| i.name == name)
            .map(|i| i.dist.clone())
    };
    let pct = |p| Some(Uncertainty::Pct95 { half_width_pct: p });
    assert_eq!(dist("activity:TB:output"), pct(dec!(1)));
    assert_eq!(dist("activity:TB:fuel.raw_coal"), pct(dec!(20)));
    assert_eq!(dist("activity:TB:electricity.purchased"), pct(dec!(2)));
    // blank: a process item's default, ±5 %
    assert_eq!(dist("activity:TB:fertiliser.n"), pct(dec!(5)));
    // a percentage stays exact even when estimated: a ±20 % normal would
    // ignore its bound
    assert_eq!(dist("activity:TB:fuel.raw_coal.sulfur"), None);

    // a word that is neither a distribution nor a tier
    let bad = dir.path().join("bad.xlsx");
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector"],
            &[row!["TB", "tobacco"]],
        )
        .sheet(
            "activity",
            &header,
            &[row!["TB", 2022, "output", 10, "t", "", "guessed"]],
        )
        .save(&bad);
    let err = coreduce::workbook::run_workbook(&bad, &f, &s)
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("activity!G2: uncertainty 'guessed'")
            && err.contains("measured (实测), metered (计量) or estimated (估算)"),
        "{err}"
    );
}
