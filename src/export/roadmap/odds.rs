//! The roadmap's Monte Carlo out: the probability of each target
//! (`roadmap-odds.csv`), the fans (`roadmap-fans.csv`) and both in
//! `roadmap-uncertainty.json`.

use crate::error::Result;
use crate::output::{atomic_write, neutralise};
use std::path::Path;

/// Writes the roadmap's Monte Carlo: `roadmap-odds.csv` (the probability of
/// each target by scenario) and `roadmap-fans.csv` (percentiles of the
/// province totals by scenario, substance and year), and both in
/// `roadmap-uncertainty.json`.
pub fn write_roadmap_odds(
    dir: &Path,
    odds: &crate::uncertainty::roadmap::RoadmapOdds,
    protected: &[&Path],
) -> Result<Vec<std::path::PathBuf>> {
    let mut written = Vec::new();
    let path = dir.join("roadmap-odds.csv");
    write_csv_table(
        &path,
        protected,
        &[
            "scenario",
            "target",
            "substance",
            "year",
            "cap",
            "probability",
            "median",
        ],
        odds.odds.iter().map(|o| {
            vec![
                neutralise(&o.scenario),
                neutralise(&o.target),
                neutralise(&o.substance),
                o.year.to_string(),
                o.cap.to_string(),
                format!("{:.4}", o.probability),
                format!("{:.1}", o.median),
            ]
        }),
    )?;
    written.push(path);
    let path = dir.join("roadmap-fans.csv");
    write_csv_table(
        &path,
        protected,
        &[
            "scenario",
            "substance",
            "year",
            "p2.5",
            "p25",
            "p50",
            "p75",
            "p97.5",
        ],
        odds.fans.iter().map(|p| {
            vec![
                neutralise(&p.scenario),
                neutralise(&p.substance),
                p.year.to_string(),
                format!("{:.1}", p.p2_5),
                format!("{:.1}", p.p25),
                format!("{:.1}", p.p50),
                format!("{:.1}", p.p75),
                format!("{:.1}", p.p97_5),
            ]
        }),
    )?;
    written.push(path);
    let path = dir.join("roadmap-uncertainty.json");
    super::super::write_pretty_json(&path, protected, odds)?;
    written.push(path);
    Ok(written)
}

/// Writes a small CSV table atomically: a header and rows of text.
fn write_csv_table(
    path: &Path,
    protected: &[&Path],
    header: &[&str],
    rows: impl Iterator<Item = Vec<String>>,
) -> Result<()> {
    atomic_write(path, protected, |tmp| {
        let err = |e: csv::Error| crate::export::write_error(path, "CSV", e);
        let mut w = csv::Writer::from_path(tmp).map_err(err)?;
        w.write_record(header).map_err(err)?;
        for r in rows {
            w.write_record(&r).map_err(err)?;
        }
        w.flush()
            .map_err(|e| crate::export::write_error(path, "CSV", e))
    })
}
