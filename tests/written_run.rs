//! An inventory run written to a file keeps only what its summaries read
//! (issue 12: memory for a million facility-years): the activity is released
//! batch by batch, equal warning texts are held once, and nothing it keeps
//! differs from the inventories computed in memory.

use crate::common::libs;
use coreduce::workbook::run_workbook;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;

#[test]
fn a_written_run_releases_its_input_and_keeps_the_same_summaries() {
    let (f, s) = libs();
    let sample = Path::new("examples/sichuan-sample.xlsx");
    let reference = run_workbook(sample, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let mut study = coreduce::workbook::read(sample, &f, &s).unwrap();
    let lib = study.factors(&f).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("inventory.csv");
    let run = coreduce::export::write_inventory_run(
        &out,
        &[sample],
        &study.settings,
        &lib,
        &s,
        &mut study.facility_years,
        coreduce::Lang::En,
    )
    .unwrap();

    // the input was released as it was computed; the places stay
    assert!(!study.facility_years.is_empty());
    assert!(study.facility_years.iter().all(|fy| fy.activity.is_empty()));
    assert!(study
        .facility_years
        .iter()
        .all(|fy| !fy.facility_id.is_empty()));

    // the same facility-years, totals and warnings as in memory; the rows
    // are in the file (one line each after the header)
    let expected = &reference.inventories;
    assert_eq!(run.inventories.len(), expected.len());
    let rows: usize = expected.iter().map(|i| i.rows.len()).sum();
    assert_eq!(run.rows, rows);
    let csv = std::fs::read_to_string(&out).unwrap();
    assert_eq!(csv.lines().count(), rows + 1);
    for (kept, inv) in run.inventories.iter().zip(expected) {
        assert_eq!((&kept.facility_id, kept.year), (&inv.facility_id, inv.year));
        assert_eq!(kept.totals.co2e, inv.totals.co2e);
        assert_eq!(kept.totals.apeq, inv.totals.apeq);
        assert_eq!(kept.totals.by_substance, inv.totals.by_substance);
        assert_eq!(kept.totals.outside_view, inv.totals.outside_view);
        assert_eq!(kept.warnings, inv.warnings);
        // what only the file needs is not kept
        assert!(kept.rows.is_empty());
        assert!(kept.totals.per_output.is_empty());
    }
    let used: BTreeSet<String> = expected.iter().flat_map(|i| i.factor_ids()).collect();
    assert_eq!(run.factor_ids, used);

    // equal messages share one text
    let warnings: Vec<_> = run.inventories.iter().flat_map(|i| &i.warnings).collect();
    let mut pairs = 0;
    for (i, a) in warnings.iter().enumerate() {
        for b in &warnings[i + 1..] {
            if a.message == b.message {
                assert!(Arc::ptr_eq(&a.message, &b.message), "{}", a.message);
                pairs += 1;
            }
        }
    }
    assert!(
        pairs > 0,
        "the sample repeats a warning in two facility-years"
    );

    // each substance code of the kept totals is one text for the whole run
    let mut first: std::collections::HashMap<&str, &Arc<str>> = Default::default();
    let mut shared = 0;
    for inv in &run.inventories {
        for code in inv
            .totals
            .by_substance
            .keys()
            .chain(inv.totals.outside_view.keys())
        {
            match first.get(&**code) {
                Some(kept) => {
                    assert!(Arc::ptr_eq(kept, code), "{code}");
                    shared += 1;
                }
                None => {
                    first.insert(code, code);
                }
            }
        }
    }
    assert!(
        first.contains_key("CO2") && shared > 0,
        "the sample's facility-years share codes: {shared} of {:?}",
        first.keys()
    );
}

/// `validate` computes every facility-year as a run does but keeps only
/// what it reports: the same facility-years and warnings, in study order,
/// with the activity released and no rows or totals held.
#[test]
fn a_checked_study_keeps_the_warnings_of_the_computed_one_and_nothing_else() {
    let (f, s) = libs();
    let sample = Path::new("examples/sichuan-sample.xlsx");
    let reference = run_workbook(sample, &f, &s).unwrap_or_else(|e| panic!("{e}"));
    let checked = coreduce::workbook::check_workbook(sample, &f, &s).unwrap();
    assert_eq!(checked.inventories.len(), reference.inventories.len());
    assert!(checked.inventories.iter().any(|i| !i.warnings.is_empty()));
    for (kept, inv) in checked.inventories.iter().zip(&reference.inventories) {
        assert_eq!((&kept.facility_id, kept.year), (&inv.facility_id, inv.year));
        assert_eq!(kept.warnings, inv.warnings);
        assert!(kept.rows.is_empty());
        assert!(kept.totals.by_substance.is_empty());
    }
    assert!(checked
        .study
        .facility_years
        .iter()
        .all(|fy| fy.activity.is_empty()));
    assert_eq!(
        checked.study.facility_years.len(),
        reference.study.facility_years.len()
    );
}

/// An activity row is held for every value a study gives until its batch
/// runs (868,008 rows at a hundred thousand facility-years): each byte here
/// is close to a megabyte of a large run's peak memory. The unit is a shared
/// pointer, the item a shared text, and the location no larger than a cell.
#[test]
fn an_activity_row_stays_small() {
    use std::mem::size_of;
    assert_eq!(size_of::<coreduce::units::Unit>(), 8);
    assert_eq!(size_of::<coreduce::units::Quantity>(), 24);
    assert!(
        size_of::<coreduce::Location>() <= 32,
        "{}",
        size_of::<coreduce::Location>()
    );
    assert!(
        size_of::<coreduce::study::Activity>() <= 88,
        "{}",
        size_of::<coreduce::study::Activity>()
    );
}
