//! Workbooks written the way people write them (issue 19) read clean and give
//! the same numbers as the same study written in coreduce's codes.
//!
//! `tests/fixtures/make_people_fixtures.py` writes the `people_*.xlsx`
//! fixtures with openpyxl (its docstring lists what each one tests); the
//! `province-400-*.xlsx` pair is `shared/bench/make_province.py` at 400
//! facility-years with and without `--codes`.

use coreduce::accounting::Inventory;
use coreduce::graph::SectorLibrary;
use coreduce::measures::MeasureLibrary;
use coreduce::workbook::{run_workbook, WorkbookRun};
use coreduce::FactorLibrary;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::OnceLock;

fn libs() -> &'static (FactorLibrary, SectorLibrary) {
    static L: OnceLock<(FactorLibrary, SectorLibrary)> = OnceLock::new();
    L.get_or_init(|| {
        let f = FactorLibrary::embedded().unwrap();
        let s = SectorLibrary::embedded(&f).unwrap();
        (f, s)
    })
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn run(name: &str) -> WorkbookRun {
    let (f, s) = libs();
    run_workbook(&fixture(name), f, s).unwrap_or_else(|e| panic!("{name} is not clean: {e}"))
}

/// Every row amount keyed by facility, year, process, source and substance,
/// plus every total of the JSON view.
fn amounts(invs: &[Inventory]) -> BTreeMap<String, Decimal> {
    let mut m = BTreeMap::new();
    for i in invs {
        for r in &i.rows {
            *m.entry(format!(
                "{}|{}|{}|{}|{}",
                i.facility_id, i.year, r.node, r.source, r.substance
            ))
            .or_insert(Decimal::ZERO) += r.amount;
        }
        let totals = serde_json::to_value(&i.totals).unwrap();
        m.insert(
            format!("{}|{}|totals", i.facility_id, i.year),
            Decimal::ZERO,
        );
        for (k, v) in totals.as_object().unwrap() {
            if let Some(s) = v.as_str() {
                if let Ok(d) = s.parse::<Decimal>() {
                    m.insert(format!("{}|{}|total|{k}", i.facility_id, i.year), d);
                }
            }
        }
        m.insert(
            format!("{}|{}|technology|{}", i.facility_id, i.year, i.technology),
            Decimal::ONE,
        );
        m.insert(
            format!(
                "{}|{}|city|{}",
                i.facility_id,
                i.year,
                i.city.as_deref().unwrap_or("")
            ),
            Decimal::ONE,
        );
        m.insert(
            format!("{}|{}|output", i.facility_id, i.year),
            i.output.normalize(),
        );
    }
    m
}

fn assert_same_numbers(a: &[Inventory], b: &[Inventory]) {
    let (a, b) = (amounts(a), amounts(b));
    assert!(!a.is_empty());
    let mut diffs = Vec::new();
    for (k, v) in &a {
        match b.get(k) {
            Some(w) if w.normalize() == v.normalize() => {}
            other => diffs.push(format!("{k}: {v} vs {other:?}")),
        }
    }
    for k in b.keys().filter(|k| !a.contains_key(*k)) {
        diffs.push(format!("{k}: missing on the left"));
    }
    assert!(
        diffs.is_empty(),
        "{} differences:\n{}",
        diffs.len(),
        diffs.join("\n")
    );
}

#[test]
fn words_units_and_places_give_the_same_inventory_as_codes() {
    let words = run("people_words.xlsx");
    let codes = run("people_codes.xlsx");
    assert_eq!(words.inventories.len(), 8);
    assert_same_numbers(&words.inventories, &codes.inventories);
    // every technology was recognised: no notice about one
    assert!(
        !words
            .study
            .notices
            .iter()
            .any(|n| n.en.contains("technology")),
        "{:?}",
        words.study.notices
    );
    // counties are kept on the facility, its facility-years and the inventory
    let county = |id: &str| {
        words
            .inventories
            .iter()
            .find(|i| i.facility_id == id)
            .and_then(|i| i.county.clone())
    };
    assert_eq!(county("CE-01").as_deref(), Some("夹江县"));
    assert_eq!(county("CE-02").as_deref(), Some("夹江县"));
    assert_eq!(county("TB-01").as_deref(), Some("会理市"));
    assert_eq!(county("BJ-01").as_deref(), Some("古蔺县"));
    assert_eq!(county("TB-02"), None);
    assert_eq!(county("BJ-02"), None);
    let ce = words
        .study
        .facilities
        .iter()
        .find(|f| f.id == "CE-01")
        .unwrap();
    assert_eq!(ce.city.as_deref(), Some("leshan"));
    // 1000 万m2/a is one year's 10 000 000 m2
    let cap = ce.capacity.as_ref().unwrap();
    assert_eq!(
        cap.value_in(&coreduce::units::Unit::parse("m2").unwrap())
            .unwrap(),
        Decimal::from(10_000_000)
    );
}

#[test]
fn percent_formatted_text_and_plain_percentages_agree() {
    let r = run("people_percent.xlsx");
    let by_id = |id: &str| {
        r.inventories
            .iter()
            .find(|i| i.facility_id == id)
            .unwrap()
            .clone()
    };
    let n = by_id("TB-N");
    // SO2 = 2 × 875 t × 2 % × (1 − 0.2 retention) × (1 − 85 %) = 4.2 t
    assert_eq!(
        n.source_total("curing_combustion", "SO2").normalize(),
        Decimal::new(42, 1)
    );
    for other in ["TB-T", "TB-F"] {
        let mut o = by_id(other);
        o.facility_id = "TB-N".into();
        o.name = n.name.clone();
        assert_same_numbers(std::slice::from_ref(&n), &[o]);
    }
}

#[test]
fn make_province_without_codes_reads_clean_and_inventories_as_with_codes() {
    let words = run("province-400-words.xlsx");
    let codes = run("province-400-codes.xlsx");
    assert_eq!(words.inventories.len(), 400);
    assert_same_numbers(&words.inventories, &codes.inventories);
}

fn roadmap_json(r: &WorkbookRun) -> serde_json::Value {
    let (_, s) = libs();
    let library = MeasureLibrary::embedded(s).unwrap();
    let measures = coreduce::measures::all_measures(&r.study, s, &library, &r.factors).unwrap();
    let ms = coreduce::measures::settings_for(&r.study, &r.factors);
    let rep = coreduce::roadmap::run(&r.study, &r.factors, s, &measures, &ms).unwrap();
    serde_json::to_value(&rep).unwrap()
}

#[test]
fn three_years_of_history_give_the_base_year_roadmap_not_their_sum() {
    let three = run("people_three_years.xlsx");
    assert_eq!(three.inventories.len(), 24);
    assert!(
        three
            .study
            .notices
            .iter()
            .any(|n| n.en.contains("no 'base_year'") && n.en.contains("2022")),
        "{:?}",
        three.study.notices
    );
    // the test can fail: all three years at once would be another roadmap
    let summed = roadmap_json(&three);
    let three = three.base_year_only();
    assert_eq!(three.study.chosen_base_year(), Some(2022));
    assert_eq!(three.inventories.len(), 8);
    assert!(three.study.facility_years.iter().all(|f| f.year == 2022));
    let one = run("people_codes.xlsx").base_year_only();
    assert_eq!(one.inventories.len(), 8);
    let (a, b) = (roadmap_json(&three), roadmap_json(&one));
    assert_eq!(a["base_year"], 2022);
    assert_eq!(a, b, "the roadmaps differ");
    assert_ne!(
        summed, b,
        "three years added together must not give the base-year roadmap"
    );
}

#[test]
fn places_resolve_to_their_prefecture_and_keep_the_county() {
    let (_, s) = libs();
    assert_eq!(s.counties.len(), 183);
    for (text, city, county) in [
        ("夹江县", "leshan", Some("夹江县")),
        ("夹江", "leshan", Some("夹江县")),
        ("乐山市夹江县", "leshan", Some("夹江县")),
        ("乐山夹江县", "leshan", Some("夹江县")),
        ("Jiajiang", "leshan", Some("夹江县")),
        ("jiajiang county", "leshan", Some("夹江县")),
        ("凉山州会理市", "liangshan", Some("会理市")),
        ("泸州市古蔺县", "luzhou", Some("古蔺县")),
        ("Gulin", "luzhou", Some("古蔺县")),
        ("乐山市市中区", "leshan", Some("市中区")),
        ("内江市市中区", "neijiang", Some("市中区")),
        ("北川羌族自治县", "mianyang", Some("北川羌族自治县")),
        ("凉山彝族自治州", "liangshan", None),
        ("阿坝藏族羌族自治州", "aba", None),
        ("甘孜藏族自治州", "ganzi", None),
        ("四川省乐山市", "leshan", None),
        ("泸州", "luzhou", None),
        ("泸州市", "luzhou", None),
        ("Leshan", "leshan", None),
        ("甘孜县", "ganzi", Some("甘孜县")),
    ] {
        let p = s.place(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(p.city.id, city, "{text}");
        assert_eq!(p.county.map(|c| c.name.as_str()), county, "{text}");
    }
    let err = s.place("市中区").unwrap_err();
    assert!(err.en.contains("内江") && err.en.contains("乐山"), "{err}");
    // The same question in Chinese, with the same prefectures.
    let zh = err.get(coreduce::Lang::Zh);
    assert!(
        zh.contains("内江") && zh.contains("乐山") && zh.contains("市中区"),
        "{zh}"
    );
    let err = s.place("Jiajang").unwrap_err();
    assert!(err.en.contains("did you mean 'Jiajiang'"), "{err}");
    assert!(
        err.get(coreduce::Lang::Zh).contains("是否应为“Jiajiang”"),
        "{err:?}"
    );
}

#[test]
fn technology_words_map_to_their_technology() {
    let (_, s) = libs();
    for (sector, text, id) in [
        ("aluminium", "CWPB prebake cells", "cwpb"),
        ("aluminium", "中心下料预焙阳极电解槽", "cwpb"),
        ("ceramics", "roller kiln", "roller_kiln_coal_spray"),
        ("ceramics", "Roller-Kiln", "roller_kiln_coal_spray"),
        ("ceramics", "辊道窑", "roller_kiln_coal_spray"),
        ("tobacco", "bulk curing barn", "coal_bulk_barn"),
        ("tobacco", "密集烤房", "coal_bulk_barn"),
        ("tobacco", "air-source heat pump barn", "heat_pump_barn"),
        ("tobacco", "coal bulk barn", "coal_bulk_barn"),
        (
            "baijiu",
            "strong-aroma solid-state, gas boiler",
            "gas_boiler",
        ),
        (
            "baijiu",
            "strong-aroma solid-state, coal boiler",
            "coal_boiler",
        ),
        (
            "baijiu",
            "Strong aroma (solid state), GAS BOILER",
            "gas_boiler",
        ),
        ("baijiu", "浓香型固态发酵，燃煤锅炉", "coal_boiler"),
    ] {
        let sec = s.get(sector).unwrap();
        let t = sec
            .technology(text)
            .unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(t.id, id, "{text}");
    }
    // no name of one technology is a name of another in the same sector
    for sec in s.sectors.values() {
        for t in &sec.technologies {
            for name in std::iter::once(&t.id)
                .chain([&t.name_en, &t.name_zh])
                .chain(t.aliases.iter())
            {
                assert_eq!(
                    sec.technology(name).map(|x| x.id.clone()),
                    Ok(t.id.clone()),
                    "{}: '{name}'",
                    sec.id
                );
            }
        }
    }
}

#[test]
fn a_small_number_in_a_percent_row_is_a_question_where_formats_cannot_be_read() {
    // An xls (written by LibreOffice from the ods below): calamine does not
    // expose its number formats, so 0.02 in a '%' row could be 0.02 % or 2 %.
    let (f, s) = libs();
    let err = match run_workbook(&fixture("people_percent_unknown.xls"), f, s) {
        Ok(_) => panic!("an xls 0.02 in a % row must not be read silently"),
        Err(coreduce::workbook::WorkbookError::Invalid { findings, .. }) => findings
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(e) => panic!("{e}"),
    };
    insta::assert_snapshot!("percent_row_unknown_format", err);
}

#[test]
fn the_words_workbook_resaved_by_libreoffice_gives_the_same_inventory() {
    // LibreOffice Calc's own xlsx and ods (tests/fixtures/make_people_fixtures.py)
    let codes = run("people_codes.xlsx");
    for file in [
        "people_words_libreoffice.xlsx",
        "people_words_libreoffice.ods",
    ] {
        let lo = run(file);
        assert_eq!(lo.inventories.len(), 8, "{file}");
        assert_same_numbers(&lo.inventories, &codes.inventories);
    }
}

#[test]
fn an_ods_says_which_cells_are_percentages() {
    // The same study as an ods: OpenDocument marks a percentage on the cell
    // (`office:value-type="percentage"`), and this 0.02 is a plain number
    // (`float`), so with the unit '%' it is 0.02 %: no question to ask.
    let (f, s) = libs();
    let run = run_workbook(&fixture("people_percent_unknown.ods"), f, s)
        .unwrap_or_else(|e| panic!("{e}"));
    let sulfur = run.study.facility_years[0]
        .activity
        .iter()
        .find(|a| &*a.item == "fuel.raw_coal.sulfur")
        .unwrap();
    let fraction = coreduce::units::Unit::parse("fraction").unwrap();
    assert_eq!(
        sulfur.quantity.value_in(&fraction).unwrap(),
        Decimal::new(2, 4)
    );
}

#[test]
fn counties_are_a_level_below_the_city_in_the_roadmap() {
    let (_, s) = libs();
    let words = run("people_words.xlsx").base_year_only();
    let library = MeasureLibrary::embedded(s).unwrap();
    let measures =
        coreduce::measures::all_measures(&words.study, s, &library, &words.factors).unwrap();
    let ms = coreduce::measures::settings_for(&words.study, &words.factors);
    let rep = coreduce::roadmap::run(&words.study, &words.factors, s, &measures, &ms).unwrap();
    // every point keeps the county its facility named
    let named: BTreeMap<&str, &str> = words
        .study
        .facility_years
        .iter()
        .filter_map(|f| Some((f.facility_id.as_str(), f.county.as_deref()?)))
        .collect();
    assert!(named.values().any(|c| *c == "夹江县"), "{named:?}");
    let sc = &rep.scenarios[0];
    for p in &sc.points {
        assert_eq!(
            p.county,
            named.get(p.facility.as_str()).copied().unwrap_or(""),
            "{}",
            p.facility
        );
    }
    // the IAMC table: a county's row is the sum of its facilities, and at most its city's
    let (years, rows) = coreduce::export::iamc_rows(&rep, s);
    let base = years.iter().position(|y| *y == rep.base_year).unwrap();
    let value = |region: &str| {
        rows.iter()
            .find(|r| r.1 == sc.scenario && r.2 == region && r.3 == "Emissions|CO2e|Industry")
            .map(|r| r.5[base])
            .unwrap_or_else(|| panic!("no CO2e row for {region}"))
    };
    let jiajiang: Decimal = sc
        .points
        .iter()
        .filter(|p| p.year == rep.base_year && p.county == "夹江县")
        .map(|p| p.totals["CO2e"])
        .sum();
    assert!(jiajiang > Decimal::ZERO);
    assert_eq!(value("Sichuan|Leshan|Jiajiang"), jiajiang);
    assert!(value("Sichuan|Leshan") >= jiajiang);
}
