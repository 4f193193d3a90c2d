//! `factors check` flags a confidence mark the factor's source cannot
//! support (issue 13): `verified` needs the official text read, `secondary`
//! a faithful copy or two independent secondary sources.

use coreduce::FactorLibrary;
use std::fs;

fn library(seen: &str, mark: &str) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("test");
    fs::create_dir(&d).unwrap();
    fs::write(
        d.join("dataset.toml"),
        format!(
            "id = \"test\"\ntitle = \"t\"\n\n[sources.s]\ntitle = \"a transcription\"\n{seen}\n"
        ),
    )
    .unwrap();
    fs::write(
        d.join("factors.csv"),
        format!("id,value,unit,substance,edition,geography,confidence,source,locator,alternative,note,uncertainty\nx.one,1,t/t,,e,CN,{mark},s,,,,\n"),
    )
    .unwrap();
    let lib = FactorLibrary::from_dir(dir.path()).unwrap_or_else(|e| panic!("{e}"));
    lib.unsupported_marks()
        .into_iter()
        .map(|(f, why)| format!("{}: {why}", f.id))
        .collect()
}

#[test]
fn one_secondary_source_does_not_support_secondary() {
    let flagged = library("", "secondary");
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(flagged[0].contains("one secondary source"), "{flagged:?}");
    // The same value marked unverified is what one source supports.
    assert!(library("", "unverified").is_empty());
}

#[test]
fn two_independent_sources_or_a_faithful_copy_support_secondary() {
    assert!(library("independent = 2", "secondary").is_empty());
    assert!(library("seen = \"faithful_copy\"", "secondary").is_empty());
}

#[test]
fn verified_needs_the_official_text() {
    assert_eq!(library("seen = \"faithful_copy\"", "verified").len(), 1);
    assert_eq!(library("independent = 3", "verified").len(), 1);
    assert!(library("seen = \"official\"", "verified").is_empty());
}

#[test]
fn the_shipped_library_lists_what_it_cannot_support() {
    // The marks the recorded sources cannot support today (listed by
    // `factors check`): each rests on one transcription or one paper.
    let lib = FactorLibrary::embedded().unwrap();
    let flagged = lib.unsupported_marks();
    assert!(flagged
        .iter()
        .all(|(f, _)| f.confidence == coreduce::Confidence::Secondary));
    assert!(flagged
        .iter()
        .any(|(f, _)| f.source_key == "ndrc_2013_aluminium"));
    // The GHG Protocol aluminium workbook's data files are a faithful copy.
    assert!(flagged
        .iter()
        .all(|(f, _)| f.source_key != "ghgp_aluminium_workbook"));
}
