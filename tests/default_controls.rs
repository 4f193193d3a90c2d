//! Tier 1 facilities without a control row are taken to run the control
//! their emission standard requires, said on every result, and results are
//! checked against the standard where a concentration can be formed (issue
//! 13 item 7). Hand-worked.

use crate::common;

use common::libs;
use coreduce::accounting::{inventory, FacilityYear, Inventory, Settings};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

fn coal_distillery() -> FacilityYear {
    FacilityYear::new("BJ-01", "baijiu", 2022)
        .technology("coal_boiler")
        .with("output", dec!(1000), "t")
        .unwrap()
        .with("fuel.raw_coal", dec!(1000), "t")
        .unwrap()
}

fn at_boiler(inv: &Inventory, substance: &str) -> Decimal {
    inv.rows
        .iter()
        .filter(|r| r.node == "boiler" && r.substance == substance)
        .map(|r| r.amount)
        .sum()
}

fn run(fy: &FacilityYear) -> Inventory {
    let (f, s) = libs();
    inventory(&Settings::default(), &f, &s, fy).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_coal_boiler_without_a_control_row_gets_the_standards_controls() {
    // Uncontrolled: the same plant with every control given as 0 %.
    let none = run(&coal_distillery()
        .with("control.SO2.efficiency", dec!(0), "%")
        .unwrap()
        .with("control.PM.efficiency", dec!(0), "%")
        .unwrap()
        .with("control.NOx.efficiency", dec!(0), "%")
        .unwrap());
    let default = run(&coal_distillery());
    // SO2 × (1 − 0.91), PM × (1 − 0.99), NOx × (1 − 0.30).
    assert_eq!(
        at_boiler(&default, "SO2"),
        at_boiler(&none, "SO2") * dec!(0.09)
    );
    assert_eq!(
        at_boiler(&default, "PM"),
        at_boiler(&none, "PM") * dec!(0.01)
    );
    assert_eq!(
        at_boiler(&default, "NOx"),
        at_boiler(&none, "NOx") * dec!(0.7)
    );
    // CO2 does not move.
    assert_eq!(at_boiler(&default, "CO2"), at_boiler(&none, "CO2"));
    // Said once, with the values, and traced to the factor.
    let said: Vec<_> = default
        .warnings
        .iter()
        .filter(|w| w.message.contains("default controls are assumed"))
        .collect();
    assert_eq!(said.len(), 1);
    assert!(
        said[0].message.contains("SO2 at boiler 91 %"),
        "{}",
        said[0].message
    );
    let so2 = default
        .rows
        .iter()
        .find(|r| r.node == "boiler" && r.substance == "SO2")
        .unwrap();
    assert!(so2
        .factor_ids
        .iter()
        .any(|i| i == "ctrl.default.coal_boiler.so2"));
    assert!(none
        .warnings
        .iter()
        .all(|w| !w.message.contains("default controls")));
}

#[test]
fn a_given_control_replaces_the_default_for_its_pollutant_only() {
    let none = run(&coal_distillery()
        .with("control.SO2.efficiency", dec!(0), "%")
        .unwrap()
        .with("control.PM.efficiency", dec!(0), "%")
        .unwrap());
    let own = run(&coal_distillery()
        .with("control.SO2.efficiency", dec!(80), "%")
        .unwrap());
    // The plant's own 80 % for SO2; PM still gets the default 99 %.
    assert_eq!(at_boiler(&own, "SO2"), at_boiler(&none, "SO2") * dec!(0.2));
    assert_eq!(at_boiler(&own, "PM"), at_boiler(&none, "PM") * dec!(0.01));
}

#[test]
fn a_gas_boiler_and_a_curing_barn_get_no_default_control() {
    let gas = run(&FacilityYear::new("BJ-02", "baijiu", 2022)
        .technology("gas_boiler")
        .with("output", dec!(1000), "t")
        .unwrap());
    assert!(gas
        .warnings
        .iter()
        .all(|w| !w.message.contains("default controls")));
    let barn = run(&FacilityYear::new("TB-01", "tobacco", 2022)
        .technology("coal_bulk_barn")
        .with("output", dec!(100), "t")
        .unwrap());
    assert!(barn
        .warnings
        .iter()
        .all(|w| !w.message.contains("default controls")));
}

#[test]
fn a_result_above_the_standard_is_said_where_a_stack_flow_forms_a_concentration() {
    // The plant says its FGD removes only 50 %. SO2 = uncontrolled × 0.5;
    // with 10^7 Nm3 of flue gas, C = SO2 (t) × 10^9 / 10^7 mg/m3.
    let uncontrolled = at_boiler(
        &run(&coal_distillery()
            .with("control.SO2.efficiency", dec!(0), "%")
            .unwrap()),
        "SO2",
    );
    let fy = coal_distillery()
        .with("control.SO2.efficiency", dec!(50), "%")
        .unwrap()
        .with("stack.flow@boiler", dec!(10000000), "Nm3")
        .unwrap();
    let inv = run(&fy);
    let conc = uncontrolled * dec!(0.5) * dec!(1000000000) / dec!(10000000);
    assert!(conc > dec!(300), "the case must exceed the limit: {conc}");
    let w = inv
        .warnings
        .iter()
        .find(|w| w.message.contains("above the limit"))
        .unwrap_or_else(|| panic!("{:?}", inv.warnings));
    assert!(
        w.message
            .contains(&format!("{} mg/m3", conc.round_dp(1).normalize()))
            && w.message.contains("300 mg/m3 (std.gb13271_2014.coal.so2)"),
        "{}",
        w.message
    );
    // At 99 % it is within the limit: no warning.
    let ok = run(&coal_distillery()
        .with("control.SO2.efficiency", dec!(99), "%")
        .unwrap()
        .with("stack.flow@boiler", dec!(10000000), "Nm3")
        .unwrap());
    assert!(ok
        .warnings
        .iter()
        .all(|w| !w.message.contains("above the limit")));
}
