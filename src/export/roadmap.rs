//! The roadmap out, one file per output: the IAMC tables as CSV and xlsx
//! ([`iamc`](self::iamc)), roadmap.xlsx with its tables and native charts
//! ([`workbook`](self::workbook)), the Monte Carlo's odds and fans
//! ([`odds`](self::odds)); this file writes them together into a folder,
//! with roadmap.json.

mod iamc;
mod odds;
mod workbook;

pub use iamc::{iamc_common_csv_to, iamc_common_rows, iamc_csv_to, iamc_rows, IamcRow};
pub use odds::write_roadmap_odds;
pub use workbook::scenario_sheet_names;

use crate::error::{Error, Result};
use crate::output::atomic_write;
use crate::text::Lang;
use crate::tr;
use std::path::Path;

/// Writes the roadmap outputs into a folder: roadmap.xlsx (tables and native
/// charts), iamc.csv, iamc.xlsx and roadmap.json.
pub fn write_roadmap(
    dir: &Path,
    rep: &crate::roadmap::RoadmapReport,
    macc: &[crate::measures::MaccStep],
    sectors: &crate::graph::SectorLibrary,
    protected: &[&Path],
    lang: Lang,
) -> Result<Vec<std::path::PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io {
        path: dir.display().to_string(),
        source: e,
    })?;
    let io = |p: &Path, e| Error::Io {
        path: p.display().to_string(),
        source: e,
    };
    let mut written = Vec::new();
    let csv_path = dir.join("iamc.csv");
    atomic_write(&csv_path, protected, |tmp| {
        let f = std::fs::File::create(tmp).map_err(|e| io(tmp, e))?;
        iamc_common_csv_to(rep, sectors, std::io::BufWriter::new(f))
    })?;
    written.push(csv_path);
    let own_path = dir.join("iamc-coreduce.csv");
    atomic_write(&own_path, protected, |tmp| {
        let f = std::fs::File::create(tmp).map_err(|e| io(tmp, e))?;
        iamc_csv_to(rep, sectors, std::io::BufWriter::new(f))
    })?;
    written.push(own_path);
    let json_path = dir.join("roadmap.json");
    super::write_pretty_json(&json_path, protected, rep)?;
    written.push(json_path);
    let iamc_xlsx = dir.join("iamc.xlsx");
    atomic_write(&iamc_xlsx, protected, |tmp| {
        iamc::iamc_xlsx_file(tmp, rep, sectors).map_err(|e| {
            Error::request(tr!("cannot write the workbook: {e}", "无法写入工作簿：{e}"))
        })
    })?;
    written.push(iamc_xlsx);
    let xlsx = dir.join("roadmap.xlsx");
    atomic_write(&xlsx, protected, |tmp| {
        workbook::roadmap_xlsx(tmp, rep, macc, sectors, lang).map_err(|e| {
            Error::request(tr!("cannot write the workbook: {e}", "无法写入工作簿：{e}"))
        })
    })?;
    written.push(xlsx);
    Ok(written)
}
