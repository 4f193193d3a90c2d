//! Unit tests of units: spellings, dimensions, conversions, number text.
use super::*;

fn u(s: &str) -> Unit {
    Unit::parse(s).unwrap()
}

#[test]
fn tce_is_29_3076_gj() {
    assert_eq!(u("tce").convert(dec!(1), &u("GJ")).unwrap(), dec!(29.3076));
    assert_eq!(
        u("吨标准煤").convert(dec!(2), &u("GJ")).unwrap(),
        dec!(58.6152)
    );
    assert_eq!(u("kgce").convert(dec!(1000), &u("tce")).unwrap(), dec!(1));
}

#[test]
fn wan_kwh_is_10_mwh() {
    assert_eq!(u("万kWh").convert(dec!(1), &u("MWh")).unwrap(), dec!(10));
    assert_eq!(
        u("万千瓦时").convert(dec!(3), &u("kWh")).unwrap(),
        dec!(30000)
    );
}

#[test]
fn wan_nm3_is_ten_thousand_nm3() {
    assert_eq!(u("万Nm3").convert(dec!(1), &u("Nm3")).unwrap(), dec!(10000));
    assert_eq!(
        u("10^4 Nm3").convert(dec!(1), &u("Nm3")).unwrap(),
        dec!(10000)
    );
    assert_eq!(
        u("万立方米").convert(dec!(2.5), &u("m3")).unwrap(),
        dec!(25000)
    );
}

#[test]
fn percent_and_fraction() {
    assert_eq!(u("%").convert(dec!(2), &u("fraction")).unwrap(), dec!(0.02));
    assert_eq!(
        u("fraction").convert(dec!(0.85), &u("%")).unwrap(),
        dec!(85)
    );
}

#[test]
fn compound_units() {
    // 389.31 GJ/10^4 Nm3 = 0.038931 GJ/Nm3
    assert_eq!(
        u("GJ/10^4 Nm3")
            .convert(dec!(389.31), &u("GJ/Nm3"))
            .unwrap(),
        dec!(0.038931)
    );
    // 15.3 tC/TJ = 0.0153 tC/GJ
    assert_eq!(
        u("tC/TJ").convert(dec!(15.3), &u("tC/GJ")).unwrap(),
        dec!(0.0153)
    );
    // 0.1404 tCO2/MWh = 0.1404 kgCO2/kWh
    assert_eq!(
        u("tCO2/MWh")
            .convert(dec!(0.1404), &u("kgCO2/kWh"))
            .unwrap(),
        dec!(0.1404)
    );
    assert_eq!(
        u("kg/t").convert(dec!(16.8), &u("fraction")).unwrap(),
        dec!(0.0168)
    );
    assert!(u("kg/t/AEM").compatible(&u("t/t/AE-min/cell-day")));
}

#[test]
fn chinese_and_english_spellings_agree() {
    for (zh, en) in [
        ("吨", "t"),
        ("千克", "kg"),
        ("万吨", "万t"),
        ("千瓦时", "kWh"),
        ("立方米", "m3"),
        ("标准立方米", "Nm3"),
        ("升", "L"),
        ("千升", "kL"),
        ("平方米", "m2"),
        ("元", "CNY"),
        ("万元", "10^4 CNY"),
        ("千克标准煤", "kgce"),
    ] {
        assert_eq!(u(zh), u(en), "{zh} vs {en}");
    }
}

#[test]
fn capacities_per_year_are_rates_of_their_own_dimension() {
    for (text, per_year_in_t_or_m2, base) in [
        ("t/a", dec!(1), "t"),
        ("t/yr", dec!(1), "t"),
        ("万t/a", dec!(10000), "t"),
        ("吨/年", dec!(1), "t"),
        ("万吨/年", dec!(10000), "t"),
        ("m2/a", dec!(1), "m2"),
        ("万m2/a", dec!(10000), "m2"),
        ("平方米/年", dec!(1), "m2"),
        ("万平方米/年", dec!(10000), "m2"),
        ("㎡/a", dec!(1), "m2"),
        ("万㎡/年", dec!(10000), "m2"),
    ] {
        let rate = u(text);
        assert!(rate.is_per_year(), "{text}");
        assert!(
            !rate.compatible(&u(base)),
            "{text} is a rate, not an amount"
        );
        let per_year = format!("{base}/a");
        assert_eq!(
            rate.convert(dec!(1), &u(&per_year)).unwrap(),
            per_year_in_t_or_m2,
            "{text}"
        );
        let annual = rate.annual().unwrap();
        assert_eq!(
            annual.convert(dec!(3), &u(base)).unwrap(),
            per_year_in_t_or_m2 * dec!(3),
            "{text}"
        );
    }
    assert_eq!(u("万吨/年").annual().unwrap().symbol(), "万吨");
    assert!(u("t").annual().is_none());
    assert_eq!(u("㎡"), u("m2"));
    assert_eq!(u("万㎡"), u("万m2"));
}

#[test]
fn anode_effect_and_energy_spellings() {
    for s in [
        "min/cell-day",
        "AE-min/cell-day",
        "分钟/槽·日",
        "分钟/(槽·日)",
        "AEM",
    ] {
        assert_eq!(u(s), u("AEM"), "{s}");
    }
    assert!(u("t/t/min/cell-day").compatible(&u("t/t/AEM")));
    for s in ["万千瓦时", "万kWh", "10^4 kWh", "10^4kWh"] {
        assert_eq!(u(s).convert(dec!(1), &u("MWh")).unwrap(), dec!(10), "{s}");
    }
}

#[test]
fn dimension_mismatch_names_both_units() {
    let a = Quantity::parse(dec!(1), "t").unwrap();
    let b = Quantity::parse(dec!(1), "MWh").unwrap();
    let err = a.add(&b).unwrap_err().to_string();
    assert!(err.contains("'t'") && err.contains("'MWh'"), "{err}");
    assert!(err.contains("mass") && err.contains("energy"), "{err}");
}

#[test]
fn unknown_unit_suggests() {
    let err = Unit::parse("kwhh").unwrap_err().to_string();
    assert!(err.contains("unknown unit 'kwhh'"), "{err}");
    assert!(err.contains("did you mean"), "{err}");
}

#[test]
fn decimals_round_trip_exactly() {
    assert_eq!(parse_decimal("0.1").unwrap().to_string(), "0.1");
    assert_eq!(parse_decimal("123.400").unwrap().to_string(), "123.400");
    assert_eq!(parse_decimal("1,234.5").unwrap(), dec!(1234.5));
    assert_eq!(parse_decimal("１２３．５").unwrap(), dec!(123.5));
    assert_eq!(parse_decimal("1e3").unwrap(), dec!(1000));
    assert_eq!(parse_decimal(""), None);
    assert_eq!(parse_decimal("abc"), None);
}

#[test]
fn only_unambiguous_number_text_is_read() {
    for (text, value) in [
        ("1,234.5", dec!(1234.5)),
        ("1,234,567", dec!(1234567)),
        ("1234.5", dec!(1234.5)),
        ("1 234.5", dec!(1234.5)),
        ("-1,234", dec!(-1234)),
        ("+5", dec!(5)),
        ("１２３．５", dec!(123.5)),
        ("１，２３４", dec!(1234)),
        ("−2.5", dec!(-2.5)),
        ("0.5", dec!(0.5)),
        ("2.5e3", dec!(2500)),
    ] {
        assert_eq!(parse_decimal(text), Some(value), "{text}");
    }
    for text in [
        "1,2", ",5", "1.234,5", "1,2,3", "1,23", "12,34.5", "1.2.3", "1 2", "1, 234", "1,",
    ] {
        let why = parse_decimal_explained(text).unwrap_err();
        assert!(why.en.contains("type"), "{text}: {why}");
    }
    assert!(parse_decimal_explained("1,2")
        .unwrap_err()
        .en
        .contains("e.g. 1234.5 or 1,234.5"));
}

#[test]
fn quantity_arithmetic_keeps_units() {
    let coal = Quantity::parse(dec!(2), "万t").unwrap();
    let ncv = Quantity::parse(dec!(20.908), "GJ/t").unwrap();
    let energy = coal.mul(&ncv).unwrap();
    assert_eq!(energy.value_in(&u("TJ")).unwrap(), dec!(418.16));
    assert!(coal.div(&Quantity::parse(dec!(0), "t").unwrap()).is_err());
}

/// The written text of an amount as it was built before [`Written`]: rounded
/// to 15 significant digits in every case, normalised, then rust_decimal's
/// own `Display`.
fn written_by_rust_decimal(d: Decimal) -> String {
    d.round_sf_with_strategy(
        WRITTEN_DIGITS,
        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
    )
    .unwrap_or(d)
    .normalize()
    .to_string()
}

#[test]
fn written_text_by_hand() {
    for (d, text) in [
        (dec!(0), "0"),
        (dec!(-0.000), "0"),
        (dec!(1.2300), "1.23"),
        (dec!(-1.2300), "-1.23"),
        (dec!(120), "120"),
        (dec!(0.00012), "0.00012"),
        (
            dec!(-0.0000000000000000000000000001),
            "-0.0000000000000000000000000001",
        ),
        // 16 digits: rounded half away from zero to 15
        (dec!(1234567890.123456), "1234567890.12346"),
        (dec!(-1234567890.123455), "-1234567890.12346"),
        // the residue of a 28-digit division
        (dec!(2.0000000000000000000000000009), "2"),
        (Decimal::MAX, "79228162514264300000000000000"),
    ] {
        assert_eq!(Written(d).to_string(), text, "{d:?}");
        assert_eq!(written_by_rust_decimal(d), text, "{d:?}");
    }
}

proptest::proptest! {
    /// The fast text is the text rust_decimal writes of the rounded value,
    /// over the whole range of mantissas and scales.
    #[test]
    fn written_text_is_rust_decimals(
        lo: u32,
        mid in proptest::prop_oneof![proptest::strategy::Just(0u32), proptest::prelude::any::<u32>()],
        hi in proptest::prop_oneof![proptest::strategy::Just(0u32), proptest::prelude::any::<u32>()],
        negative: bool,
        scale in 0u32..=28,
    ) {
        let d = Decimal::from_parts(lo, mid, hi, negative, scale);
        proptest::prop_assert_eq!(Written(d).to_string(), written_by_rust_decimal(d));
        proptest::prop_assert_eq!(written(d).to_string(), written_by_rust_decimal(d));
    }
}
