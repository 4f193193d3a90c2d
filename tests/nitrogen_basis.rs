//! Fertiliser N2O emission factors on the nitrogen basis (issue 13 item 5):
//! the library's EF1/EF4/EF5 are kg N2O-N per kg N, and a factor given in
//! real kg N2O per kg N is put on the N basis (× 28/44) once, before the
//! method's 44/28. Hand-worked.

use crate::common;

use common::libs;
use coreduce::accounting::{inventory, FacilityYear, Settings};
use coreduce::units::{nitrogen_basis, Unit};
use coreduce::FactorLibrary;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn field_n2o(f: &FactorLibrary) -> Result<Decimal, String> {
    let (_, s) = libs();
    // 100 t of N on the field.
    let fy = FacilityYear::new("TB-01", "tobacco", 2022)
        .technology("coal_bulk_barn")
        .with("output", dec!(1000), "t")
        .unwrap()
        .with("fertiliser.n", dec!(100), "t")
        .unwrap();
    inventory(&Settings::default(), f, &s, &fy)
        .map(|inv| inv.source_total("field_n2o", "N2O"))
        .map_err(|e| e.to_string())
}

fn with_ef1(value: Decimal, unit: &str) -> FactorLibrary {
    let (mut f, _) = libs();
    let mut ef1 = f.get("tb.n2o.ef1").unwrap().clone();
    ef1.value = value;
    ef1.unit = Unit::parse(unit).unwrap();
    f.insert(ef1);
    f
}

#[test]
fn the_library_factors_are_n2o_n_per_n() {
    let (f, _) = libs();
    assert_eq!(f.get("tb.n2o.ef1").unwrap().unit.symbol(), "kgN2O-N/kgN");
    // 100 × (0.01 + 0.10 × 0.01 + 0.30 × 0.0075) × 44/28
    //   = 100 × 0.01325 × 44/28 = 2.0821428… t N2O
    let expected = dec!(100) * dec!(0.01325) * dec!(44) / dec!(28);
    let got = field_n2o(&f).unwrap();
    assert!(
        (got - expected).abs() < dec!(0.000000001),
        "{got} against {expected}"
    );
}

#[test]
fn an_ef_in_real_kg_n2o_is_converted_once() {
    // EF1 = 0.022 kg N2O/kg N is 0.022 × 28/44 = 0.014 kg N2O-N/kg N:
    // 100 × (0.014 + 0.001 + 0.00225) × 44/28 = 100 × 0.01725 × 44/28 = 2.7107142… t
    let expected = dec!(100) * dec!(0.01725) * dec!(44) / dec!(28);
    let as_n2o = field_n2o(&with_ef1(dec!(0.022), "kgN2O/kgN")).unwrap();
    let as_n = field_n2o(&with_ef1(dec!(0.014), "kgN2O-N/kgN")).unwrap();
    assert!((as_n2o - expected).abs() < dec!(0.000000001), "{as_n2o}");
    assert!((as_n - expected).abs() < dec!(0.000000001), "{as_n}");
    // Counted twice (the old reading) it would have been 100 × 0.02525 × 44/28 = 3.97 t.
    assert!(as_n2o < dec!(3));
}

#[test]
fn the_tag_decides_the_basis() {
    let basis = |u: &str| nitrogen_basis(&Unit::parse(u).unwrap());
    assert_eq!(basis("kgN2O-N/kgN"), Ok(Decimal::ONE));
    assert_eq!(basis("fraction"), Ok(Decimal::ONE));
    assert_eq!(basis("%"), Ok(Decimal::ONE));
    assert_eq!(basis("kg N2O/kg N"), Ok(dec!(28) / dec!(44)));
    let e = basis("kgCO2/kgN").unwrap_err();
    assert!(
        e.en.contains("kgN2O-N/kgN") && e.en.contains("'CO2'"),
        "{e}"
    );
    // A wrong tag is an error at the facility, not a silent number.
    let e = field_n2o(&with_ef1(dec!(0.01), "kgCO2/kgN")).unwrap_err();
    assert!(e.contains("tb.n2o.ef1"), "{e}");
}
