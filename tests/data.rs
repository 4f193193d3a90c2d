//! The shipped data loads and passes its own checks.
use coreduce::graph::SectorLibrary;
use coreduce::FactorLibrary;

#[test]
fn shipped_factors_and_sectors_load() {
    let lib = FactorLibrary::embedded().unwrap_or_else(|e| panic!("{e}"));
    assert!(lib.len() > 400, "only {} factors", lib.len());
    let findings = lib.check();
    assert!(findings.is_empty(), "{findings:#?}");
    let sectors = SectorLibrary::embedded(&lib).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sectors.sectors.len(), 4);
}
