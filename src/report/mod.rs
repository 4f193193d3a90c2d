//! The report: one self-contained HTML page (inline CSS and SVG, no network
//! access, no script), in Chinese or English, with the study summary,
//! inventory tables, trajectories, the co-control coordinate plot, the MACC,
//! the elasticity table, targets and peak, each sector's process graph, the
//! factors used and the warnings. Every chart and table is stamped with its
//! scenario, GWP set and grid factor. All text from the user is HTML-escaped.

pub mod svg;

mod format;
mod page;
mod sections;

use crate::accounting::Inventory;
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::measures::MeasureReport;
use crate::roadmap::RoadmapReport;
use std::collections::BTreeSet;

/// The generator mark: a report.html carrying it may be replaced by a new run;
/// any other file of that name is never overwritten.
pub const GENERATOR: &str = "<meta name=\"generator\" content=\"coreduce\">";

/// Report language: the crate's one language type.
pub use crate::text::Lang;

/// HTML-escapes text.
pub fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// What a report shows; sections without data are left out.
pub struct ReportInput<'a> {
    pub title: String,
    pub lang: Lang,
    pub inventories: &'a [Inventory],
    pub measures: Option<&'a MeasureReport>,
    pub roadmap: Option<&'a RoadmapReport>,
    /// The roadmap's Monte Carlo (`roadmap --runs`): fans on the
    /// trajectories and the probability of each target.
    pub roadmap_odds: Option<&'a crate::uncertainty::roadmap::RoadmapOdds>,
    /// The inventory's Monte Carlo (`uncertainty`, `roadmap --runs`): error
    /// bars on the inventory and the tornado of the province CO2e.
    pub uncertainty: Option<&'a crate::uncertainty::McReport>,
    pub factors: &'a FactorLibrary,
    pub sectors: &'a SectorLibrary,
    /// The factor ids the inventories used, where their rows were written to
    /// a results file and dropped; `None`: taken from the rows.
    pub factors_used: Option<&'a BTreeSet<String>>,
    /// What the reader assumed or could not place, said once each (the
    /// study's notices: a setting left to its default, a technology inferred,
    /// a listed facility without activity), shown above the warnings.
    pub notes: &'a [crate::text::Text],
}

/// Renders the report: the page's head, then each section with data, in
/// the order of the navigation.
pub fn render(input: &ReportInput<'_>) -> String {
    let cx = page::Ctx::new(input);
    let mut o = String::new();
    page::head(&mut o, &cx);
    sections::summary(&mut o, &cx);
    if !input.inventories.is_empty() {
        sections::inventory(&mut o, &cx);
    }
    if let Some(mc) = input.uncertainty {
        sections::uncertainty(&mut o, &cx, mc);
    }
    if let Some(rm) = input.roadmap {
        sections::trajectories(&mut o, &cx, rm);
        sections::targets(&mut o, &cx, rm);
    }
    if let Some(m) = input.measures {
        sections::coordinates(&mut o, &cx, m);
        sections::macc(&mut o, &cx, m);
        sections::elasticity(&mut o, &cx, m);
    }
    sections::graphs(&mut o, &cx);
    sections::factors(&mut o, &cx);
    sections::warnings(&mut o, &cx);
    page::foot(&mut o);
    o
}

/// Renders the report and writes it as `report.html` beside a results file
/// (in the results file's folder).
pub fn write_beside(
    results: &std::path::Path,
    input: &ReportInput<'_>,
    protected: &[&std::path::Path],
) -> crate::Result<std::path::PathBuf> {
    let dir = results
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    write_report(dir, &render(input), protected)
}

/// Writes `report.html` into `dir`, replacing only a report coreduce wrote.
pub fn write_report(
    dir: &std::path::Path,
    html: &str,
    protected: &[&std::path::Path],
) -> crate::Result<std::path::PathBuf> {
    let path = dir.join("report.html");
    if path.exists() {
        let old = std::fs::read_to_string(&path).unwrap_or_default();
        if !old.contains(GENERATOR) {
            let shown = path.display();
            return Err(crate::Error::request(crate::tr!(
                "'{shown}' exists and was not written by coreduce: move it away or choose another output folder",
                "“{shown}”已存在且并非由 coreduce 生成：请将其移走，或另选输出文件夹"
            )));
        }
    }
    crate::output::atomic_write(&path, protected, |tmp| {
        std::fs::write(tmp, html).map_err(|e| crate::Error::Io {
            path: tmp.display().to_string(),
            source: e,
        })
    })?;
    Ok(path)
}
