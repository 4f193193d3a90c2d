//! Issue 16: activity items written as names, in Chinese or English
//! (`外购电力`, `原煤`, `产量`, `天然气@kiln`), are read as their codes: the
//! inventory equals the one of the same workbook written with codes, and
//! every output shows the code.

use coreduce::workbook::run_workbook;

use crate::common;
use common::{libs, Book};

fn workbook(path: &std::path::Path, items: [&str; 6]) {
    Book::new()
        .settings()
        .sheet(
            "facilities",
            &["facility_id", "sector", "technology"],
            &[
                row!["TB-01", "tobacco", "coal_bulk_barn"],
                row!["CE-01", "ceramics", "roller_kiln_coal_spray"],
            ],
        )
        .sheet(
            "activity",
            &["facility_id", "year", "item", "value", "unit"],
            &[
                row!["TB-01", 2022, items[0], 500, "t"],
                row!["TB-01", 2022, items[1], 875, "t"],
                row!["TB-01", 2022, items[2], 200, "MWh"],
                row!["CE-01", 2022, items[3], 1_000_000, "m2"],
                row!["CE-01", 2022, items[4], 70, "10^4 Nm3"],
                row!["CE-01", 2022, items[5], 4000, "MWh"],
            ],
        )
        .save(path);
}

#[test]
fn items_by_name_equal_items_by_code() {
    let dir = tempfile::tempdir().unwrap();
    let (f, s) = libs();
    let codes = dir.path().join("codes.xlsx");
    workbook(
        &codes,
        [
            "output",
            "fuel.raw_coal",
            "electricity.purchased",
            "output",
            "fuel.natural_gas@kiln",
            "electricity.purchased",
        ],
    );
    let names = dir.path().join("names.xlsx");
    workbook(
        &names,
        [
            "产量",
            "原煤",
            "外购电力",
            "Production",
            "天然气@kiln",
            "purchased electricity",
        ],
    );
    let a = run_workbook(&codes, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let b = run_workbook(&names, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    for (x, y) in a.inventories.iter().zip(&b.inventories) {
        assert_eq!(x.totals.co2e, y.totals.co2e, "{}", x.facility_id);
        assert_eq!(x.totals.by_substance, y.totals.by_substance);
    }
    // the study keeps the codes
    let items: Vec<&str> = b
        .study
        .facility_years
        .iter()
        .flat_map(|fy| fy.activity.iter().map(|a| &*a.item))
        .collect();
    for code in [
        "output",
        "fuel.raw_coal",
        "electricity.purchased",
        "fuel.natural_gas@kiln",
    ] {
        assert!(items.contains(&code), "{code} missing from {items:?}");
    }
    assert!(items.iter().all(|i| i.is_ascii()), "{items:?}");
    // a name that means nothing still gets a located error
    let bad = dir.path().join("bad.xlsx");
    workbook(
        &bad,
        [
            "产量",
            "原煤",
            "外购电",
            "output",
            "fuel.natural_gas@kiln",
            "electricity.purchased",
        ],
    );
    let e = run_workbook(&bad, &f, &s).err().unwrap().to_string();
    assert!(e.contains("activity!C4: unknown item '外购电'"), "{e}");
}
