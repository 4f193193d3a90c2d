//! Roadmaps: the built-in study runs; the optimiser finds a hand-worked LP
//! optimum; infeasible targets are explained; the IAMC table parses back.

use coreduce::accounting::{inventories, FacilityYear, Settings};
use coreduce::measures::{all_measures, MeasureLibrary, MetricSettings};
use coreduce::roadmap::{run, series_of};
use coreduce::workbook::{MeasureRow, ScenarioRow, Study, TargetRow};
use coreduce::Location;
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::common;
use common::libs;

fn here() -> Location {
    Location::api("test")
}

fn mrow(
    id: &str,
    field: &str,
    target: Option<&str>,
    value: Decimal,
    unit: Option<&str>,
) -> MeasureRow {
    MeasureRow {
        measure_id: id.into(),
        sector: "tobacco".into(),
        name: id.into(),
        field: field.into(),
        node: None,
        target: target.map(str::to_string),
        value: Some(value),
        unit: unit.map(str::to_string),
        note: String::new(),
        location: here(),
        value_location: here(),
    }
}

fn srow(
    scenario: &str,
    kind: &str,
    field: &str,
    target: Option<&str>,
    year: Option<i32>,
    value: Decimal,
) -> ScenarioRow {
    ScenarioRow {
        scenario: scenario.into(),
        kind: kind.into(),
        field: field.into(),
        scope: None,
        target: target.map(str::to_string),
        year,
        value: Some(value),
        unit: None,
        note: "test".into(),
        note_zh: String::new(),
        location: here(),
        value_location: here(),
    }
}

/// One coal-barn station of 1 000 t, three user measures on three different
/// sources (so their effects add exactly): fertiliser × 0.5 at 5 CNY/t, barn
/// power × 0.5 at 1 CNY/t, fuel × 0.9 at 50 CNY/t; one CO2e target in 2024.
fn three_measure_study(cap: Decimal) -> Study {
    study_with(
        cap,
        &[
            ("m1", "fertiliser.n", dec!(0.5), dec!(5)),
            ("m2", "electricity.purchased", dec!(0.5), dec!(1)),
            ("m3", "fuel.*", dec!(0.9), dec!(50)),
        ],
    )
}

fn study_with(cap: Decimal, measures: &[(&str, &str, Decimal, Decimal)]) -> Study {
    let (f, s) = libs();
    let fy = FacilityYear::new("TB", "tobacco", 2023)
        .technology("coal_bulk_barn")
        .with("output", dec!(1000), "t")
        .unwrap();
    let mut measure_rows = Vec::new();
    for (id, item, mult, om) in measures {
        measure_rows.push(mrow(id, "scale", Some(item), *mult, None));
        measure_rows.push(mrow(id, "om_change", None, *om, Some("CNY/t")));
    }
    let mut scenario_rows = vec![srow("*", "", "horizon", None, None, dec!(2026))];
    for (id, _, _, _) in measures {
        scenario_rows.push(srow(
            "lc",
            "least_cost",
            "x_max",
            Some(id),
            None,
            Decimal::ONE,
        ));
        scenario_rows.push(srow(
            "lc",
            "least_cost",
            "ramp",
            Some(id),
            None,
            Decimal::ONE,
        ));
    }
    let _ = (&f, &s);
    Study {
        path: "test".into(),
        name: "three measures".into(),
        base_year: Some(2023),
        language: "en".into(),
        settings: Settings::default(),
        facilities: Vec::new(),
        facility_years: vec![fy],
        overrides: Vec::new(),
        other_sheets: Vec::new(),
        measure_rows,
        metric: Default::default(),
        scenario_rows,
        target_rows: vec![TargetRow {
            id: "co2e-2024".into(),
            year: 2024,
            substance: "CO2e".into(),
            scope: "province".into(),
            cap,
            unit: "t".into(),
            note: String::new(),
            location: here(),
            substance_location: here(),
            scope_location: here(),
        }],
        notices: Vec::new(),
        activity_file: None,
        coverage: None,
    }
}

#[test]
fn optimiser_finds_the_hand_worked_optimum() {
    let (f, s) = libs();
    // Full effects from the engine: half the fertiliser N2O (e1), half the barn
    // power CO2 (e2), a tenth of the coal CO2 (e3), in 2024 with no growth.
    let probe = three_measure_study(dec!(0));
    let base = inventories(&probe.settings, &f, &s, &probe.facility_years).unwrap();
    let bau = base[0].totals.co2e;
    let e1 = base[0].source_total("field_n2o", "CO2e") / dec!(2);
    let e2 = base[0].source_total("electricity", "CO2e") / dec!(2);
    let e3 = base[0].source_total("curing_combustion", "CO2e") / dec!(10);
    // Costs 5 000, 1 000 and 50 000 CNY: per t, m2 (≈32) < m1 (≈40) < m3 (≈150).
    // Need 200 t: the fractional-knapsack optimum takes m2 and m1 in full and
    // m3 for the rest: x3 = (200 − e1 − e2) / e3.
    let need = dec!(200);
    let study = three_measure_study(bau - need);
    let measures = all_measures(&study, &s, &MeasureLibrary::default(), &f).unwrap();
    let rep = run(&study, &f, &s, &measures, &MetricSettings::defaults(&f)).unwrap();
    let lc = rep.least_cost.as_ref().unwrap();
    assert_eq!(lc.status, "solved", "{:?}", lc.explanations);
    let x = |m: &str| lc.points[m][&2024].to_f64().unwrap();
    let x3 = ((need - e1 - e2) / e3).to_f64().unwrap();
    assert!((x("m1") - 1.0).abs() < 1e-4, "m1 = {}", x("m1"));
    assert!((x("m2") - 1.0).abs() < 1e-4, "m2 = {}", x("m2"));
    assert!((x("m3") - x3).abs() < 1e-4, "m3 = {} vs {x3}", x("m3"));
    // The deployment is never withdrawn, so it costs every year to the
    // horizon (2026): the objective is the present value at 8 % of the same
    // annual cost in 2024, 2025 and 2026: × (1/1.08 + 1/1.08² + 1/1.08³).
    let annual = (dec!(6000) + dec!(50000) * (need - e1 - e2) / e3)
        .to_f64()
        .unwrap();
    let pv_years = 1.0 / 1.08 + 1.0 / 1.08f64.powi(2) + 1.0 / 1.08f64.powi(3);
    let cost = annual * pv_years;
    assert!(
        (lc.total_cost.to_f64().unwrap() - cost).abs() < 1.0,
        "{} vs {cost}",
        lc.total_cost
    );
    // The marginal cost is the marginal measure's cost per t: 50 000 / e3;
    // the dual itself is that over the three years the tonne must be held.
    let price = (dec!(50000) / e3).to_f64().unwrap();
    let p = lc.prices[0].marginal_cost.to_f64().unwrap();
    assert!((p - price).abs() < 0.01 * price, "{p} vs {price}");
    let pv = lc.prices[0].shadow_price_pv.to_f64().unwrap();
    assert!((pv - price * pv_years).abs() < 0.01 * price, "{pv}");
    assert_eq!(lc.prices[0].holds_until, 2026);
    assert!(lc.prices[0].binding);
    assert!(lc.prices[0].note.en.is_empty(), "{}", lc.prices[0].note);
    // Independent sources: the exact re-run meets the target.
    let sc = rep.scenarios.iter().find(|x| x.scenario == "lc").unwrap();
    assert!(sc.attainment[0].met_in_year, "{:?}", sc.attainment[0]);
}

/// Issue 14: two measures, two caps. m2 (half the barn power, 1 000 CNY a
/// year) is cheap; m3 (a tenth of the coal, 50 000 CNY a year) is the
/// marginal one. The 2024 cap needs m2 and a quarter of m3, the 2026 cap
/// three quarters of m3. Discounting at 8 % makes the just-in-time plan
/// optimal: x3 = 0.25 in 2024 and 2025, 0.75 in 2026. Each dual, divided by
/// the present value of one tonne a year while its tightening holds (2024–
/// 2025 for the first cap, whose tightening the tighter 2026 cap takes over;
/// 2026 for the second), is m3's unit cost 50 000 / e3 CNY per t.
#[test]
fn discounted_duals_are_the_marginal_measure_s_unit_cost() {
    let (f, s) = libs();
    let probe = three_measure_study(dec!(0));
    let base = inventories(&probe.settings, &f, &s, &probe.facility_years).unwrap();
    let bau = base[0].totals.co2e;
    let e2 = base[0].source_total("electricity", "CO2e") / dec!(2);
    let e3 = base[0].source_total("curing_combustion", "CO2e") / dec!(10);
    let pair = [
        ("m2", "electricity.purchased", dec!(0.5), dec!(1)),
        ("m3", "fuel.*", dec!(0.9), dec!(50)),
    ];
    let mut study = study_with(bau - e2 - e3 / dec!(4), &pair);
    let mut later = study.target_rows[0].clone();
    later.id = "co2e-2026".into();
    later.year = 2026;
    later.cap = bau - e2 - e3 * dec!(0.75);
    study.target_rows.push(later);
    let measures = all_measures(&study, &s, &MeasureLibrary::default(), &f).unwrap();
    let rep = run(&study, &f, &s, &measures, &MetricSettings::defaults(&f)).unwrap();
    let lc = rep.least_cost.as_ref().unwrap();
    assert_eq!(lc.status, "solved", "{:?}", lc.explanations);
    let x = |m: &str, y: i32| lc.points[m][&y].to_f64().unwrap();
    for (y, want) in [(2024, 0.25), (2025, 0.25), (2026, 0.75)] {
        assert!((x("m3", y) - want).abs() < 1e-4, "x3 {y} = {}", x("m3", y));
        assert!((x("m2", y) - 1.0).abs() < 1e-4, "x2 {y} = {}", x("m2", y));
    }
    let df = |y: i32| 1.08f64.powi(-(y - 2023));
    // NPV: m2 all three years, m3 at 0.25, 0.25, 0.75.
    let npv = 1000.0 * (df(2024) + df(2025) + df(2026))
        + 50000.0 * (0.25 * df(2024) + 0.25 * df(2025) + 0.75 * df(2026));
    let total = lc.total_cost.to_f64().unwrap();
    assert!((total - npv).abs() < 1.0, "{total} vs {npv}");
    let unit = (dec!(50000) / e3).to_f64().unwrap();
    let first = &lc.prices[0];
    let second = &lc.prices[1];
    assert_eq!(
        (first.target.as_str(), first.holds_until),
        ("co2e-2024", 2025)
    );
    assert_eq!(
        (second.target.as_str(), second.holds_until),
        ("co2e-2026", 2026)
    );
    for (p, years) in [(first, df(2024) + df(2025)), (second, df(2026))] {
        assert!(p.binding, "{}", p.target);
        let mac = p.marginal_cost.to_f64().unwrap();
        assert!(
            (mac - unit).abs() < 0.01 * unit,
            "{}: {mac} vs {unit}",
            p.target
        );
        let pv = p.shadow_price_pv.to_f64().unwrap();
        assert!(
            (pv - unit * years).abs() < 0.01 * unit,
            "{}: {pv}",
            p.target
        );
        // Within the candidates' unit costs (m2's ≤ m3's): no note.
        assert!(p.note.en.is_empty(), "{}", p.note);
        assert!(p.unit_cost_high.unwrap().to_f64().unwrap() >= mac * 0.99);
    }
}

#[test]
fn measures_on_one_source_are_corrected_to_meet_the_target_exactly() {
    let (f, s) = libs();
    // Two cuts of the same fuel compose on the residual, so the linear programme
    // over-states their joint effect; the exact re-run raises the need until met.
    let probe = study_with(
        dec!(0),
        &[
            ("a", "fuel.*", dec!(0.9), dec!(10)),
            ("b", "fuel.*", dec!(0.8), dec!(30)),
        ],
    );
    let base = inventories(&probe.settings, &f, &s, &probe.facility_years).unwrap();
    let coal = base[0].source_total("curing_combustion", "CO2e");
    let study = study_with(
        base[0].totals.co2e - coal * dec!(0.25),
        &[
            ("a", "fuel.*", dec!(0.9), dec!(10)),
            ("b", "fuel.*", dec!(0.8), dec!(30)),
        ],
    );
    let measures = all_measures(&study, &s, &MeasureLibrary::default(), &f).unwrap();
    let rep = run(&study, &f, &s, &measures, &MetricSettings::defaults(&f)).unwrap();
    let lc = rep.least_cost.as_ref().unwrap();
    assert_eq!(lc.status, "solved");
    assert!(!lc.method.contains("(1 pass"), "{}", lc.method);
    let sc = rep.scenarios.iter().find(|x| x.scenario == "lc").unwrap();
    assert!(sc.attainment[0].met_in_year, "{:?}", sc.attainment[0]);
}

#[test]
fn an_infeasible_target_is_explained() {
    let (f, s) = libs();
    let probe = three_measure_study(dec!(0));
    let base = inventories(&probe.settings, &f, &s, &probe.facility_years).unwrap();
    let bau = base[0].totals.co2e;
    let all = base[0].source_total("field_n2o", "CO2e") / dec!(2)
        + base[0].source_total("electricity", "CO2e") / dec!(2)
        + base[0].source_total("curing_combustion", "CO2e") / dec!(10);
    // All three at full cut `all`; ask for 100 t more.
    let study = three_measure_study(bau - all - dec!(100));
    let measures = all_measures(&study, &s, &MeasureLibrary::default(), &f).unwrap();
    let rep = run(&study, &f, &s, &measures, &MetricSettings::defaults(&f)).unwrap();
    let lc = rep.least_cost.unwrap();
    assert_eq!(lc.status, "infeasible");
    let msg = &lc.explanations[0];
    assert!(msg.en.starts_with("target 'co2e-2024' (CO2e ≤"), "{msg}");
    assert!(msg.en.contains("in 2024, province) cannot be met"), "{msg}");
    assert!(msg.en.ends_with("short by 100"), "{msg}");
    let zh = msg.get(coreduce::Lang::Zh);
    assert!(zh.starts_with("目标“co2e-2024”（2024 年 CO2e ≤"), "{zh}");
    assert!(
        zh.contains("，全省）无法达成") && zh.ends_with("仍差 100"),
        "{zh}"
    );
}

#[test]
fn builtin_study_runs_and_its_iamc_table_parses_back() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap_or_else(|e| panic!("{e}"));
    assert!(study.facility_years.len() >= 15);
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&study, &s, &lib, &f).unwrap();
    let rep = run(&study, &f, &s, &measures, &MetricSettings::defaults(&f)).unwrap();
    let kinds: Vec<&str> = rep.scenarios.iter().map(|x| x.kind.as_str()).collect();
    for k in ["bau", "policy", "enhanced", "least_cost"] {
        assert!(kinds.contains(&k), "{kinds:?}");
    }
    assert_eq!((rep.base_year, rep.end_year), (2023, 2060));
    // Every scenario starts from the same measured base year.
    let base: Vec<Decimal> = rep
        .scenarios
        .iter()
        .map(|x| series_of(&x.points, "CO2e")[&2023])
        .collect();
    assert!(base.windows(2).all(|w| w[0] == w[1]), "{base:?}");
    // The enhanced scenario cuts more CO2e and SO2 by 2030 than BAU.
    let at = |sc: &str, key: &str, y: i32| {
        series_of(
            &rep.scenarios
                .iter()
                .find(|x| x.scenario == sc)
                .unwrap()
                .points,
            key,
        )[&y]
    };
    assert!(at("enhanced", "CO2e", 2030) < at("bau", "CO2e", 2030));
    assert!(at("enhanced", "SO2", 2030) < at("bau", "SO2", 2030));
    // The IAMC CSV: header, and the province CO2e of BAU in 2023 equals the report's.
    let mut buf = Vec::new();
    coreduce::export::iamc_csv_to(&rep, &s, &mut buf).unwrap();
    let mut reader = csv::Reader::from_reader(buf.as_slice());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().take(5).collect::<Vec<_>>(),
        ["Model", "Scenario", "Region", "Variable", "Unit"]
    );
    assert_eq!(&headers[5], "2023");
    assert_eq!(&headers[headers.len() - 1], "2060");
    let mut found = false;
    for rec in reader.records() {
        let rec = rec.unwrap();
        if &rec[1] == "bau"
            && &rec[2] == "Sichuan (study coverage)"
            && &rec[3] == "Emissions|CO2e|Industry"
        {
            assert_eq!(&rec[4], "t CO2e/yr");
            let v: Decimal = rec[5].parse().unwrap();
            assert_eq!(v, at("bau", "CO2e", 2023).round_dp(6));
            found = true;
        }
        assert!(
            rec[3].starts_with("Emissions|")
                || rec[3].starts_with("Cost|")
                || rec[3].starts_with("Final Energy|")
                || rec[3].starts_with("Pollution Equivalents|"),
            "{}",
            &rec[3]
        );
    }
    assert!(found);
    // Every city and economic region row sums back to the province.
    let lc = rep.least_cost.as_ref().unwrap();
    assert_eq!(lc.status, "solved", "{:?}", lc.explanations);
    // Issue 14: every marginal cost falls within the candidates' unit costs
    // for its substance, or says why not. (The undiscounted LP gave SO2-2030
    // 68,939 CNY/t, cumulative over the remaining years.)
    for p in &lc.prices {
        let (lo, hi) = (p.unit_cost_low.unwrap(), p.unit_cost_high.unwrap());
        let inside = p.marginal_cost >= lo && p.marginal_cost <= hi;
        assert!(inside || !p.note.en.is_empty(), "{p:?}");
        assert!(p.holds_until >= p.year && p.holds_until <= rep.end_year);
    }
}

/// Issue 14: the built-in targets' notes say how far below the base year's
/// study total each cap is, and the numbers agree with the caps (the 2030
/// SO2 note said −40 % for a cap 28 % below).
#[test]
fn the_builtin_targets_notes_agree_with_their_caps() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let invs = inventories(&study.settings, &f, &s, &study.facility_years).unwrap();
    let total = |year: i32, substance: &str| -> Decimal {
        invs.iter()
            .filter(|i| i.year == year)
            .map(|i| {
                if substance == "CO2e" {
                    i.totals.co2e
                } else {
                    i.totals
                        .by_substance
                        .get(substance)
                        .copied()
                        .unwrap_or_default()
                }
            })
            .sum()
    };
    let mut checked = 0;
    for t in &study.target_rows {
        // "[asm] 28 % below the 2023 study total"
        let Some((head, tail)) = t.note.split_once(" % below the ") else {
            continue;
        };
        let pct: Decimal = head.rsplit(' ').next().unwrap().parse().unwrap();
        let year: i32 = tail.split(' ').next().unwrap().parse().unwrap();
        let base = total(year, &t.substance);
        let below = (Decimal::ONE - t.cap / base) * dec!(100);
        assert!(
            (below - pct).abs() < dec!(1),
            "{}: the note says {pct} % below, the cap is {} % below {base}",
            t.id,
            below.round_dp(1)
        );
        checked += 1;
    }
    assert_eq!(
        checked,
        study.target_rows.len(),
        "every target's note states its cut"
    );
}

/// Issue 14: a deployment reaches only facilities where the measure changes
/// something: the built-in policy scenario deploys coal-to-gas boilers to the
/// baijiu sector, and its distilleries that burn no coal get neither the
/// measure nor its cost (about 46 million CNY a year in 2030 before).
#[test]
fn deployments_skip_facilities_where_the_measure_changes_nothing() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&study, &s, &lib, &f).unwrap();
    let rep = run(&study, &f, &s, &measures, &MetricSettings::defaults(&f)).unwrap();
    let gas_fired: Vec<&str> = study
        .facility_years
        .iter()
        .filter(|fy| fy.sector == "baijiu" && fy.technology.as_deref() == Some("gas_boiler"))
        // a gas-fired plant that still burns some coal (BJ1) does gain
        .filter(|fy| {
            fy.activity
                .iter()
                .all(|a| !a.item.starts_with("fuel.raw_coal"))
        })
        .map(|fy| fy.facility_id.as_str())
        .collect();
    assert!(!gas_fired.is_empty());
    let mut deployed_elsewhere = false;
    for sc in &rep.scenarios {
        for p in &sc.points {
            let coal_to_gas = p.penetration.contains_key("bj.coal_to_gas_boiler");
            if gas_fired.contains(&p.facility.as_str()) {
                assert!(!coal_to_gas, "{} {} {}", sc.scenario, p.facility, p.year);
            } else if coal_to_gas {
                deployed_elsewhere = true;
            }
        }
    }
    assert!(
        deployed_elsewhere,
        "the coal-fired distilleries still get it"
    );
}

/// Issue 14: an explicit deployment grows linearly from the base year to its
/// first point instead of jumping in that year (the enhanced scenario's
/// coal-to-gas went 0 → 1 from 2024 to 2025, and its "peak year 2024" was an
/// artefact). Base year 2023, first point 2025 at 1: 2024 is 0.5.
#[test]
fn explicit_deployments_ramp_from_the_base_year() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&study, &s, &lib, &f).unwrap();
    let rep = run(&study, &f, &s, &measures, &MetricSettings::defaults(&f)).unwrap();
    let enhanced = rep.scenarios.iter().find(|x| x.kind == "enhanced").unwrap();
    let at = |year: i32| {
        enhanced
            .points
            .iter()
            .filter(|p| p.year == year)
            .find_map(|p| p.penetration.get("bj.coal_to_gas_boiler").copied())
            .unwrap_or_default()
    };
    assert_eq!(
        (at(2023), at(2024), at(2025)),
        (dec!(0), dec!(0.5), dec!(1))
    );
    // and the province CO2e falls year by year from the base year
    let co2e = series_of(&enhanced.points, "CO2e");
    assert!(
        co2e[&2023] > co2e[&2024] && co2e[&2024] > co2e[&2025],
        "{co2e:?}"
    );
    assert_eq!(enhanced.peak.as_ref().unwrap().year, 2023);
}

/// Issue 14: iamc.csv speaks the IAMC common definitions (names and units),
/// with direct emissions only under `Emissions|*`: `Emissions|Kyoto Gases`
/// plus the indirect CO2e of purchased power is the study view's CO2e;
/// `Emissions|CO2` is its energy and process parts; SO2 is `Emissions|Sulfur`
/// in Mt; final energy in EJ (1 tce = 29.3076 GJ). What the definitions do
/// not name (PM, water pollutants, pollution equivalents, costs) is only in
/// iamc-coreduce.csv. `scripts/check-iamc.py` validates the file with
/// nomenclature-iamc where installed.
#[test]
fn the_iamc_table_uses_the_common_definitions_and_keeps_indirect_emissions_apart() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&study, &s, &lib, &f).unwrap();
    let rep = run(&study, &f, &s, &measures, &MetricSettings::defaults(&f)).unwrap();
    let (years, rows) = coreduce::export::iamc_common_rows(&rep, &s);
    let at = |scenario: &str, variable: &str, year: i32| -> (Decimal, String) {
        let r = rows
            .iter()
            .find(|r| r.1 == scenario && r.2 == "Sichuan (study coverage)" && r.3 == variable)
            .unwrap_or_else(|| panic!("{scenario} {variable}"));
        let i = years.iter().position(|y| *y == year).unwrap();
        (r.5[i], r.4.clone())
    };
    let bau = rep.scenarios.iter().find(|x| x.scenario == "bau").unwrap();
    let total = |key: &str, year: i32| -> Decimal {
        bau.points
            .iter()
            .filter(|p| p.year == year)
            .map(|p| p.totals.get(key).copied().unwrap_or_default())
            .sum()
    };
    let split = |key: &str, year: i32| -> Decimal {
        bau.points
            .iter()
            .filter(|p| p.year == year)
            .map(|p| p.split.get(key).copied().unwrap_or_default())
            .sum()
    };
    for year in [2023, 2030, 2060] {
        let (sulfur, unit) = at("bau", "Emissions|Sulfur", year);
        assert_eq!(unit, "Mt SO2/yr");
        assert_eq!(
            sulfur.round_dp(12),
            (total("SO2", year) / dec!(1000000)).round_dp(12)
        );
        let (kyoto, unit) = at("bau", "Emissions|Kyoto Gases", year);
        assert_eq!(unit, "Mt CO2-equiv/yr");
        // direct + indirect = the study view (location-based scope 2)
        assert_eq!(
            (kyoto * dec!(1000000) + split("CO2e|Indirect", year)).round_dp(6),
            total("CO2e", year).round_dp(6)
        );
        assert!(split("CO2e|Indirect", year) > Decimal::ZERO);
        let (co2, _) = at("bau", "Emissions|CO2", year);
        let (energy, _) = at("bau", "Emissions|CO2|Energy|Demand|Industry", year);
        let (process, _) = at("bau", "Emissions|CO2|Industrial Processes", year);
        assert_eq!(co2.round_dp(12), (energy + process).round_dp(12));
        assert!(energy > Decimal::ZERO && process > Decimal::ZERO);
        // the direct CO2 leaves out purchased power: it is the inventory's
        // CO2 less the indirect part
        assert_eq!(
            (co2 * dec!(1000000)).round_dp(6),
            (total("CO2", year) - split("CO2|Indirect", year)).round_dp(6)
        );
        let (fe, unit) = at("bau", "Final Energy|Industry", year);
        assert_eq!(unit, "EJ/yr");
        // Summed per facility after scaling: equal to 12 decimals (a
        // milligram of CO2 in Mt; the file shows 9).
        assert_eq!(
            fe.round_dp(12),
            (total("energy_tce", year) * dec!(0.0000000293076)).round_dp(12)
        );
        let (n2o, unit) = at("bau", "Emissions|N2O", year);
        assert_eq!(
            (n2o.round_dp(12), unit.as_str()),
            ((total("N2O", year) / dec!(1000)).round_dp(12), "kt N2O/yr")
        );
    }
    // Only names of the common definitions.
    for r in &rows {
        assert!(
            r.3.starts_with("Emissions|") || r.3.starts_with("Final Energy|Industry"),
            "{}",
            r.3
        );
        for bad in [
            "PM",
            "COD",
            "CO2e",
            "Pollution",
            "Cost",
            "|Indirect",
            "CO2_bio",
        ] {
            assert!(
                !r.3.contains(bad),
                "{} is not a common-definitions variable",
                r.3
            );
        }
    }
}
