//! A workbook study read and computed in one step: the adapter's entry point
//! for commands that need every facility-year's inventory in memory
//! (measures, roadmap, uncertainty, the terminal table).

use super::WorkbookError;
use crate::accounting::{compute, ComputedStudy};
use crate::error::{DataError, Error, Location};
use crate::factors::FactorLibrary;
use crate::graph::SectorLibrary;
use crate::text::{Lang, Text};

/// A workbook study, computed (the engine's [`ComputedStudy`]).
pub type WorkbookRun = ComputedStudy;

/// Reads a workbook and computes every facility-year. Reading problems and
/// engine problems come back together as located findings.
pub fn run_workbook(
    path: &std::path::Path,
    factors: &FactorLibrary,
    sectors: &SectorLibrary,
) -> Result<WorkbookRun, WorkbookError> {
    let study = super::read(path, factors, sectors)?;
    let language = Lang::of_setting(&study.language);
    let invalid = |findings| WorkbookError::Invalid {
        path: path.display().to_string(),
        findings,
        language,
    };
    compute(study, factors, sectors).map_err(|e| match e {
        Error::Data(e) => invalid(vec![e]),
        Error::Invalid(es) => invalid(es),
        e => invalid(vec![DataError::new(
            Location::file(path.display().to_string()),
            Text::new(e.to_string(), e.text(Lang::Zh)),
        )]),
    })
}
