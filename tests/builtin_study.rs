//! The built-in Sichuan study (issue 14): its coverage stated in every output
//! of `coreduce roadmap`, 舍得's (BJ4) documented biogas capture in the base
//! year, and the grid sensitivities of BAU (a dry-year path 0.02 t/MWh above
//! the central one, a grid factor held at the base year).

use coreduce::accounting::inventories;
use coreduce::measures::{all_measures, MeasureLibrary, MetricSettings};
use coreduce::roadmap::{compile, interpolate, run_scenario, scenario_name};
use coreduce::text::Lang;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::common::{coreduce_command, libs};

/// Every output of the built-in roadmap states the coverage, from the
/// `[coverage]` table of sichuan.toml (the statements are compared with the
/// file's, not written here): the terminal summary, roadmap.json, the
/// report, roadmap.xlsx's `coverage` sheet (both in the study's Chinese), the IAMC region of both IAMC
/// tables and iamc.xlsx's `meta` sheet.
#[test]
fn coverage_is_stated_in_every_output_of_the_builtin_roadmap() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let cov = study
        .coverage
        .clone()
        .expect("sichuan.toml states its coverage");
    assert_eq!(cov.region, "Sichuan (study coverage)");
    let shares: Vec<(&str, Option<Decimal>)> = cov
        .sectors
        .iter()
        .map(|x| (x.sector.as_str(), x.share_percent))
        .collect();
    assert_eq!(
        shares,
        [
            ("aluminium", Some(dec!(83))),
            ("ceramics", Some(dec!(77))),
            ("baijiu", Some(dec!(27))),
            ("tobacco", None),
        ]
    );
    // The shares are the arithmetic the statements give:
    // aluminium 875 kt ÷ 1 060 kt = 82.5 %; tiles 344.2 ÷ 447 = 77.0 %;
    // baijiu (497 + 80 + 50 + 50 + 179.6) = 856.6 kt ÷ 3 126 kt = 27.4 %.
    assert_eq!((dec!(875) / dec!(1060) * dec!(100)).round(), dec!(83));
    assert_eq!((dec!(344.2) / dec!(447) * dec!(100)).round(), dec!(77));
    let baijiu: Decimal = study
        .facility_years
        .iter()
        .filter(|fy| fy.sector == "baijiu")
        .flat_map(|fy| fy.activity.iter().filter(|a| &*a.item == "output"))
        .map(|a| a.quantity.value)
        .sum();
    assert_eq!(baijiu, dec!(856600));
    assert_eq!((baijiu / dec!(3126000) * dec!(100)).round(), dec!(27));

    let dir = tempfile::tempdir().unwrap();
    let o = coreduce_command()
        .args(["roadmap", "--out", "out"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = dir.path().join("out");
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let (json, report) = (read("roadmap.json"), read("report.html"));
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["coverage"]["region"], "Sichuan (study coverage)");
    assert!(
        stdout.contains("coverage (Sichuan (study coverage)):"),
        "{stdout}"
    );
    // The built-in study is Chinese: its report and workbook are in Chinese,
    // the terminal in the locale's language (C: English).
    assert!(report.contains("<html lang=\"zh-CN\""));
    assert!(report.contains("研究覆盖范围"));
    for (i, x) in cov.sectors.iter().enumerate() {
        assert!(stdout.contains(&x.note), "terminal lacks {}", x.sector);
        assert_eq!(json["coverage"]["sectors"][i]["note"], x.note.as_str());
        assert_eq!(json["coverage"]["sectors"][i]["source"], x.source.as_str());
        assert!(report.contains(&x.note_zh), "report lacks {}", x.sector);
    }
    assert_eq!(json["coverage"]["sectors"][0]["share_percent"], "83");
    assert!(json["coverage"]["sectors"][3]["share_percent"].is_null());

    // roadmap.xlsx: the coverage sheet, first.
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(out.join("roadmap.xlsx")).unwrap();
    assert_eq!(book.sheet_names()[0], "coverage");
    let sheet = book.worksheet_range("coverage").unwrap();
    let cells: Vec<String> = sheet.cells().map(|(_, _, c)| c.to_string()).collect();
    for x in &cov.sectors {
        assert!(
            cells.contains(&x.note_zh),
            "roadmap.xlsx lacks {}",
            x.sector
        );
    }
    // iamc.xlsx: a meta row per scenario saying what the region covers.
    let mut iamc: calamine::Xlsx<_> = calamine::open_workbook(out.join("iamc.xlsx")).unwrap();
    let meta = iamc.worksheet_range("meta").unwrap();
    assert_eq!(meta.get_value((1, 3)).unwrap().to_string(), cov.region);
    assert_eq!(
        meta.height(),
        1 + json["scenarios"].as_array().unwrap().len()
    );

    // Both IAMC tables: every row is in the coverage or a part of it.
    for f in ["iamc.csv", "iamc-coreduce.csv"] {
        let mut rows = csv::Reader::from_path(out.join(f)).unwrap();
        let mut n = 0;
        for r in rows.records() {
            let region = r.unwrap()[2].to_string();
            assert!(
                region == cov.region || region.starts_with(&format!("{}|", cov.region)),
                "{f}: {region}"
            );
            n += 1;
        }
        assert!(n > 0);
    }
}

/// 舍得 (BJ4): the documented biogas is in the base year. Recovered
/// CH4 = 800 m3/h × 8 000 h × 0.65 CH4 × 0.716 kg/Nm3 = 2 978.56 t; the COD
/// that yields it at 95 % capture = 2 978.56 ÷ (0.95 × 0.25 × 0.8) =
/// 15 676.63 t; CH4 generated = 15 676.63 × 0.25 × 0.8 = 3 135.326 t, so
/// CH4 emitted = 3 135.326 − 2 978.56 = 156.766 t (it was 50 000 t ×
/// 0.0255 t/t = 1 275 t with nothing recovered).
#[test]
fn bj4_biogas_capture_is_counted_in_the_base_year() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let bj4 = study
        .facility_years
        .iter()
        .find(|fy| fy.facility_id == "BJ4")
        .unwrap();
    let item = |name: &str| {
        bj4.activity
            .iter()
            .find(|a| &*a.item == name)
            .map(|a| a.quantity.value)
            .unwrap()
    };
    let recovered = dec!(800) * dec!(8000) * dec!(0.65) * dec!(0.716) / dec!(1000);
    assert_eq!(recovered, dec!(2978.56));
    assert_eq!(item("biogas.ch4_recovered"), recovered);
    let cod = item("wastewater.cod_removed");
    assert_eq!(cod, dec!(15676.63));
    assert_eq!(
        (recovered / (dec!(0.95) * dec!(0.25) * dec!(0.8))).round_dp(2),
        cod
    );
    let invs = inventories(&study.settings, &f, &s, std::slice::from_ref(bj4)).unwrap();
    let ch4 = invs[0].totals.by_substance["CH4"];
    assert_eq!(cod * dec!(0.25) * dec!(0.8), dec!(3135.326));
    assert_eq!(ch4, dec!(3135.326) - dec!(2978.56));
    assert_eq!(ch4, dec!(156.766));
    // nothing recovered beyond what is generated (the engine would warn and
    // set the emission to 0)
    assert!(
        !invs[0]
            .warnings
            .iter()
            .any(|w| w.message.contains("recovered CH4")),
        "{:?}",
        invs[0].warnings
    );
}

/// The dry-year and flat-grid scenarios exist with names in both languages;
/// the dry-year grid is the central one + 0.02 t/MWh in every projected year
/// (the base year as observed), and its CO2e is above the central BAU by
/// 0.02 × the purchased MWh: in 2040 aluminium 11 834 500 MWh × 1.045^7
/// (4.5 %/a 2024–2030, flat after) = 16 105 119.33, ceramics 1 045 200 ×
/// 0.85 = 888 420, tobacco 59 841.65, baijiu 856 600 t × 0.3 MWh/t (Tier 1)
/// = 256 980: 17 310 360.98 MWh × 0.02 = 346 207.22 t. The flat grid holds
/// 0.1564 in every year.
#[test]
fn the_grid_sensitivities_are_scenarios_of_the_builtin_study() {
    let (f, s) = libs();
    let study = coreduce::study::builtin::load("sichuan", &f, &s).unwrap();
    let lib = MeasureLibrary::embedded(&s).unwrap();
    let measures = all_measures(&study, &s, &lib, &f).unwrap();
    let rm = compile(&study, &s, &measures).unwrap();
    let get = |id: &str| rm.scenarios.iter().find(|x| x.id == id).unwrap();
    let (bau, dry, flat) = (get("bau"), get("bau_dry_year"), get("bau_flat_grid"));
    for sc in [dry, flat] {
        assert_eq!(sc.kind, "bau");
        assert!(sc.deployments.is_empty());
        let zh = scenario_name(&sc.id, &sc.kind).get(Lang::Zh).to_string();
        assert!(!zh.chars().any(|c| c.is_ascii_alphabetic()), "{zh}");
    }
    let grid = |sc: &coreduce::roadmap::Scenario, y: i32| interpolate(&sc.grid, y).unwrap();
    assert_eq!(grid(dry, 2023), dec!(0.1564));
    for y in 2024..=2060 {
        assert_eq!(grid(dry, y) - grid(bau, y), dec!(0.02), "{y}");
    }
    for y in 2023..=2060 {
        assert_eq!(grid(flat, y), dec!(0.1564), "{y}");
    }
    let rate = MetricSettings::defaults(&f).discount_rate;
    let co2e_2040 = |sc| -> Decimal {
        run_scenario(
            sc,
            &[],
            &study,
            &study.settings,
            &f,
            &s,
            &measures,
            &rm,
            rate,
        )
        .unwrap()
        .iter()
        .filter(|p| p.year == 2040)
        .map(|p| p.totals["CO2e"])
        .sum()
    };
    let mwh = dec!(11834500) * (0..7).fold(Decimal::ONE, |x, _| x * dec!(1.045))
        + dec!(888420)
        + dec!(59841.65)
        + dec!(256980);
    assert_eq!(mwh.round_dp(2), dec!(17310360.98));
    let above = co2e_2040(dry) - co2e_2040(bau);
    assert!((above - dec!(0.02) * mwh).abs() < dec!(0.01), "{above}");
    assert_eq!(above.round_dp(2), dec!(346207.22));
}
