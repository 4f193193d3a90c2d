//! The shipped data: every file in `factors/` and `sectors/` loads and passes
//! its checks; the GWP table matches the notes; decimals keep their text;
//! broken sector files give errors naming file and line.

use coreduce::graph::SectorLibrary;
use coreduce::{Confidence, FactorLibrary};
use rust_decimal_macros::dec;

fn lib() -> FactorLibrary {
    FactorLibrary::embedded().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn shipped_factors_and_sectors_load() {
    let lib = lib();
    assert!(lib.len() > 400, "only {} factors", lib.len());
    let findings = lib.check();
    assert!(findings.is_empty(), "{findings:#?}");
    let sectors = SectorLibrary::embedded(&lib).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        sectors.sectors.keys().collect::<Vec<_>>(),
        ["aluminium", "baijiu", "ceramics", "tobacco"]
    );
    assert_eq!(sectors.cities.len(), 21);
    assert_eq!(sectors.regions.len(), 5);
}

#[test]
fn every_factor_has_a_source_and_a_confidence() {
    for f in lib().iter() {
        assert!(!f.source.title.trim().is_empty(), "{} has no source", f.id);
        assert!(!f.edition.is_empty(), "{} has no edition", f.id);
        if f.confidence == Confidence::Conflicting {
            assert!(!f.alternative.is_empty(), "{} names no alternative", f.id);
        }
        if matches!(f.confidence, Confidence::Derived | Confidence::Assumption) {
            assert!(!f.note.is_empty(), "{} gives no arithmetic or reason", f.id);
        }
    }
}

#[test]
fn gwp_table_matches_the_notes() {
    // notes/methods-and-peers.md §2.1
    let table = [
        (
            "sar",
            [dec!(21), dec!(310), dec!(6500), dec!(9200), dec!(23900)],
        ),
        (
            "ar4",
            [dec!(25), dec!(298), dec!(7390), dec!(12200), dec!(22800)],
        ),
        (
            "ar5",
            [dec!(28), dec!(265), dec!(6630), dec!(11100), dec!(23500)],
        ),
        (
            "ar6",
            [dec!(27.9), dec!(273), dec!(7380), dec!(12400), dec!(25200)],
        ),
    ];
    let lib = lib();
    for (set, values) in table {
        for (gas, v) in ["ch4", "n2o", "cf4", "c2f6", "sf6"].iter().zip(values) {
            let id = format!("gwp.{set}.{gas}");
            assert_eq!(lib.get(&id).unwrap().value, v, "{id}");
        }
        assert_eq!(lib.get(&format!("gwp.{set}.co2")).unwrap().value, dec!(1));
    }
    assert_eq!(lib.get("gwp.ar6.ch4_fossil").unwrap().value, dec!(29.8));
    assert_eq!(lib.get("gwp.ar6.ch4_nonfossil").unwrap().value, dec!(27.0));
}

#[test]
fn the_preferred_values_of_the_shared_readme_are_shipped() {
    let lib = lib();
    for (id, v) in [
        ("grid.sc.avg.2021", dec!(0.1255)),
        ("grid.sc.avg.2022", dec!(0.1404)),
        ("grid.sc.avg.2023", dec!(0.1564)),
        ("grid.cn.avg.2021", dec!(0.5568)),
        ("grid.cn.avg.2022", dec!(0.5366)),
        ("grid.cn.avg.2023", dec!(0.5306)),
        ("grid.cn.ets.2022", dec!(0.5703)),
        ("al.ndrc2013.c2f6", dec!(0.0034)),
        ("fuel.gbt32151_2024.natural_gas.ncv", dec!(389.31)),
        ("fuel.gbt32151_2024.natural_gas.cc", dec!(15.3)),
        ("fuel.gbt32151_2024.natural_gas.of", dec!(0.99)),
        ("tax.sc.air", dec!(3.9)),
        ("tax.sc.water", dec!(2.8)),
    ] {
        assert_eq!(lib.get(id).unwrap().value, v, "{id}");
    }
    assert!(lib
        .iter()
        .all(|f| !f.id.contains("15_18") && !f.id.contains("loss_rate")));
    assert!(
        !lib.ids().any(|id| id.starts_with("pev.water.tn")),
        "TN has no PEV"
    );
    // The library's tce constant is the units module's.
    assert_eq!(
        lib.get("const.tce.gj_per_tce").unwrap().value,
        coreduce::units::GJ_PER_TCE
    );
}

#[test]
fn decimals_keep_their_text_through_a_dataset() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("mine");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(
        d.join("dataset.toml"),
        "id = \"mine\"\ntitle = \"test\"\n[sources.s]\ntitle = \"a test source\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("factors.csv"),
        "id,value,unit,substance,edition,geography,confidence,source,locator,alternative,note,uncertainty\n\
         my.a,0.1,t/t,,test,CN,unverified,s,,,,\n\
         my.b,123.400,kg/t,,test,CN,unverified,s,,,,pct95:10\n",
    )
    .unwrap();
    let lib = FactorLibrary::from_dir(dir.path()).unwrap();
    assert_eq!(lib.get("my.a").unwrap().value.to_string(), "0.1");
    assert_eq!(lib.get("my.b").unwrap().value.to_string(), "123.400");
}

#[test]
fn bad_factor_rows_name_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("bad");
    std::fs::create_dir(&d).unwrap();
    std::fs::write(
        d.join("dataset.toml"),
        "id = \"bad\"\ntitle = \"t\"\n[sources.s]\ntitle = \"x\"\n",
    )
    .unwrap();
    std::fs::write(
        d.join("factors.csv"),
        "id,value,unit,substance,edition,geography,confidence,source,locator,alternative,note,uncertainty\n\
         b.one,1.5,kwhh,,e,CN,unverified,s,,,,\n\
         b.two,x,t,,e,CN,sure,src,,,,\n\
         b.three,1,t,SOX,e,CN,unverified,s,,,,lognormal:0.5\n",
    )
    .unwrap();
    let err = FactorLibrary::from_dir(dir.path()).unwrap_err().to_string();
    let err = err.replace(&dir.path().display().to_string(), "DIR");
    insta::assert_snapshot!(err, @r"
    7 problems found:
      - DIR/bad/factors.csv:2: unknown unit 'kwhh' (did you mean 'kWh'?)
      - DIR/bad/factors.csv:3: confidence 'sure' is not one of verified, secondary, conflicting, derived, unverified, assumption
      - DIR/bad/factors.csv:3: source 'src' is not defined in dataset.toml [sources]
      - DIR/bad/factors.csv:3: value 'x' is not a decimal number
      - DIR/bad/factors.csv:4: factor 'b.three': a geometric standard deviation must be at least 1
      - DIR/bad/factors.csv:4: rows must be sorted by id: 'b.three' comes after 'b.two'
      - DIR/bad/factors.csv:4: unknown substance 'SOX' (did you mean 'SO2'?)
    ");
}

const MINI: &str = r#"
[sector]
id = "mini"
name_en = "Mini"
name_zh = "小"
output_unit = "t"
output_label = "t"
reference_node = "b"
default_node = "b"
default_technology = "x"
default_edition = "e"

[sector.edition.e]
name = "test"
gwp = "ar5"
fuel_tables = ["gbt32151_2024"]

[[technology]]
id = "x"
name_en = "x"
name_zh = "x"

[[node]]
id = "a"
name_en = "A"
name_zh = "A"
product = "heat"
unit = "GJ"

[[node]]
id = "b"
name_en = "B"
name_zh = "B"
product = "goods"
unit = "t"

[[node]]
id = "lonely"
name_en = "Lonely"
name_zh = "L"
product = "nothing"
unit = "t"

[[flow]]
from = "a"
to = "b"
label = "heat"
amount = { factors = ["tb.yield.sichuan"] }

[[source]]
id = "s"
node = "b"
name_en = "s"
name_zh = "s"
method = "factor"
substances = ["CO2"]
params = { factor = "no.such.factor" }
"#;

#[test]
fn sector_file_errors_name_file_and_line() {
    let lib = lib();
    let err = SectorLibrary::from_files(&[("sectors/mini.toml".into(), MINI.into())], &lib)
        .unwrap_err()
        .to_string();
    insta::assert_snapshot!(err, @r"
    3 problems found:
      - sectors/mini.toml: node 'lonely' is dangling: no flow connects it to the reference node 'b'
      - sectors/mini.toml:45: unit mismatch along the edge a → b: the amount is in 't/ha' (mass per area), but the edge needs 'GJ' per 't'
      - sectors/mini.toml:51: unknown factor 'no.such.factor' (source 's', edition e, technology x)
    ");
}

#[test]
fn unknown_node_and_method_are_located() {
    let bad = MINI
        .replace("to = \"b\"", "to = \"bb\"")
        .replace("method = \"factor\"", "method = \"facter\"");
    let err = SectorLibrary::from_files(&[("sectors/mini.toml".into(), bad)], &lib())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("sectors/mini.toml:46: unknown node 'bb' (did you mean 'b'?)"),
        "{err}"
    );
    assert!(
        err.contains("unknown method 'facter' (did you mean 'factor'?)"),
        "{err}"
    );
}

/// No `f64` on the accounting path: units, factors, graph and accounting code.
#[test]
fn no_f64_on_the_accounting_path() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![root.join("substance.rs")];
    for dir in ["units", "factors", "graph", "study", "accounting"] {
        for e in std::fs::read_dir(root.join(dir)).unwrap() {
            files.push(e.unwrap().path());
        }
    }
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            assert!(
                !code.contains("f64") && !code.contains("f32"),
                "{}:{}: {line}",
                f.display(),
                n + 1
            );
        }
    }
}

#[test]
fn shipped_measures_load_six_or_more_per_sector() {
    let lib = lib();
    let sectors = SectorLibrary::embedded(&lib).unwrap();
    let m =
        coreduce::measures::MeasureLibrary::embedded(&sectors).unwrap_or_else(|e| panic!("{e}"));
    for s in ["aluminium", "baijiu", "ceramics", "tobacco"] {
        let n = m.measures.iter().filter(|x| x.sector == s).count();
        assert!(n >= 6, "{s}: {n} measures");
    }
}

/// Two technologies answering to one name (after folding case, spaces and
/// punctuation) are a finding at the second's line: a workbook writing that
/// name could not say which it means.
#[test]
fn technologies_sharing_a_name_are_located() {
    let two = MINI.replace(
        "[[technology]]\nid = \"x\"\nname_en = \"x\"\nname_zh = \"x\"\n",
        "[[technology]]\nid = \"x\"\nname_en = \"x\"\nname_zh = \"x\"\naliases = [\"Gas Boiler\"]\n\n\
         [[technology]]\nid = \"gas_boiler\"\nname_en = \"gas boiler\"\nname_zh = \"燃气锅炉\"\n",
    );
    assert_ne!(two, MINI, "the technology block was not found");
    let err = SectorLibrary::from_files(&[("sectors/mini.toml".into(), two)], &lib())
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "sectors/mini.toml:25: technologies 'x' and 'gas_boiler' both answer to the name 'gas_boiler'"
        ),
        "{err}"
    );
}
